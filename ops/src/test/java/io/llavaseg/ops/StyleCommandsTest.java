package io.llavaseg.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llavaseg.shapeworld.Style;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rendering styles through the command line: generate --style, and the trainers' --styles. */
class StyleCommandsTest {
  @TempDir Path root;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldListEveryStyleWithItsGroup() {
    CliOptionsTest.Run r = CliOptionsTest.execute("generate", "--style", "list");
    assertEquals(0, r.exit(), r.err());
    for (Style s : Style.all()) {
      assertTrue(r.out().contains(s.name()) && r.out().contains(s.group().word()), r.out());
    }
    assertTrue(r.out().contains("held-out"), r.out());
  }

  @Test
  void shouldRefuseAnUnknownStyle() {
    CliOptionsTest.Run r = CliOptionsTest.execute("generate", "--style", "watercolour", "--count", "1", "--seed", "7",
        "--out", root.resolve("x").toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("unknown style"), r.err());
  }

  @Test
  void shouldWriteStyledFoldersWhoseGroundTruthScoresOne() throws Exception {
    for (Style s : Style.of(Style.Group.HELD_OUT)) {
      Path data = root.resolve(s.name());
      Path masks = root.resolve(s.name() + "-masks");
      CliOptionsTest.Run g = CliOptionsTest.execute("generate", "--split", "val", "--count", "12", "--style", s.name(),
          "--out", data.toString(), "--masks-out", masks.toString());
      assertEquals(0, g.exit(), g.err());
      assertTrue(g.out().contains("style " + s.name()), g.out());
      Path report = root.resolve(s.name() + ".json");
      CliOptionsTest.Run e = CliOptionsTest.execute("eval", "--dataset", data.toString(), "--predictions", masks.toString(),
          "--json", report.toString(), "--fail-fast");
      assertEquals(0, e.exit(), e.out() + e.err());
      JsonNode j = JSON.readTree(report.toFile());
      assertEquals(12, j.get("count").asInt());
      assertEquals(1.0, j.get("giou").asDouble(), 1e-6, s.name());
    }
  }

  @Test
  void shouldRefuseHeldOutStylesForTraining() {
    for (String trainer : new String[] {"segmenter", "reasoner"}) {
      CliOptionsTest.Run r = CliOptionsTest.execute("train", trainer, "--out", root.resolve("m").toString(),
          "--steps", "1", "--styles", "classic,camera");
      assertEquals(2, r.exit(), trainer + ": " + r.out() + r.err());
      assertTrue(r.err().contains("held-out") && r.err().contains("camera"), r.err());
    }
  }
}
