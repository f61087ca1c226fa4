package io.llavaseg.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The done-when check, through the picocli commands: generate 200 with seed 7, then eval. */
class GenerateEvalCommandTest {
  @TempDir static Path root;
  static Path data;
  static Path masks;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A command run through picocli as {@code ops/llavaseg} runs it ({@link CliOptionsTest#execute}). */
  static CliOptionsTest.Run run(String... args) {
    return CliOptionsTest.execute(args);
  }

  @BeforeAll
  static void generate() {
    data = root.resolve("data");
    masks = root.resolve("masks");
    CliOptionsTest.Run r = run("generate", "--out", data.toString(), "--count", "200", "--seed", "7", "--masks-out", masks.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("wrote 200 samples"), r.out());
  }

  private static long files(Path dir, String ext) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(ext)).count();
    }
  }

  @Test
  void generateWritesAReasonSegFolder() throws Exception {
    assertEquals(200, files(data, ".jpg"));
    assertEquals(200, files(data, ".json"));
    assertEquals(200, files(masks, ".png"));
    JsonNode first = JSON.readTree(data.resolve("sw7-00000000.json").toFile());
    assertTrue(first.get("text").isArray() && first.has("is_sentence") && first.get("shapes").isArray());
  }

  @Test
  void groundTruthMasksScoreOne() throws Exception {
    Path report = root.resolve("gt.json");
    CliOptionsTest.Run r = run("eval", "--dataset", data.toString(), "--predictions", masks.toString(), "--json", report.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    JsonNode j = JSON.readTree(report.toFile());
    assertEquals(200, j.get("count").asInt());
    assertEquals(1.0, j.get("giou").asDouble(), 1e-6); // LISA's U / (U + 1e-5)
    assertEquals(1.0, j.get("ciou").asDouble(), 1e-9);
    assertEquals(0, j.get("missing_predictions").asInt());
    assertTrue(r.out().contains("gIoU 1.0000  cIoU 1.0000"), r.out());
  }

  @Test
  void emptyPredictionsScoreTheShareOfSamplesWithoutTargetAndZeroCiou() throws Exception {
    Path none = Files.createDirectories(root.resolve("none"));
    Path report = root.resolve("empty.json");
    CliOptionsTest.Run r = run("eval", "--dataset", data.toString(), "--predictions", none.toString(), "--json", report.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    int untargeted = 0;
    try (Stream<Path> s = Files.list(data)) {
      for (Path p : s.filter(p -> p.toString().endsWith(".json")).toList()) {
        untargeted += JSON.readTree(p.toFile()).get("shapes").isEmpty() ? 1 : 0;
      }
    }
    assertTrue(untargeted > 0 && untargeted < 200);
    JsonNode j = JSON.readTree(report.toFile());
    assertEquals(untargeted / 200.0, j.get("giou").asDouble(), 1e-12);
    assertEquals(0.0, j.get("ciou").asDouble());
    assertEquals(200, j.get("missing_predictions").asInt());
    assertEquals(1.0, j.get("absent_empty_rate").asDouble());
    assertTrue(r.out().contains("missing predictions (200)"), r.out());
  }

  @Test
  void theRobustnessGridScoresEveryStyleAndLanguageCellAndAveragesThemByGroup() throws Exception {
    Path report = root.resolve("grid.json");
    CliOptionsTest.Run r = run("eval", "--styles", "classic,camera", "--language", "templates,held-out", "--count", "3",
        "--prompts", "ground-truth", "--json", report.toString(),
        "--set", "llavaseg.model.store=" + System.getProperty("llavaseg.model.store", "../model-store"));
    assertEquals(0, r.exit(), r.out() + r.err());
    JsonNode j = JSON.readTree(report.toFile());
    assertEquals(4, j.get("cells").size(), j.toString());
    assertEquals(3, j.get("samples_per_cell").asInt());
    assertTrue(j.has("measured") && j.get("machine").has("cores"), "date and machine recorded");
    for (JsonNode c : j.get("cells")) {
      double giou = c.get("giou").asDouble();
      assertTrue(giou >= 0 && giou <= 1, c.toString());
    }
    assertEquals("camera", j.get("cells").get(2).get("style").asText());
    assertEquals("held-out", j.get("cells").get(2).get("group").asText());
    assertEquals("held-out", j.get("cells").get(3).get("language").asText());
    assertEquals(j.get("cells").get(0).get("giou").asDouble(),
        j.get("summary").get("training_styles_templates_giou").asDouble(), 1e-9, "one training cell: its own mean");
    assertTrue(r.out().contains("camera") && r.out().contains("summary"), r.out());
    CliOptionsTest.Run bad = run("eval", "--styles", "nosuchstyle");
    assertEquals(2, bad.exit(), bad.err());
    assertTrue(bad.err().contains("unknown style"), bad.err());
  }

  @Test
  void aBrokenJsonIsNamedAndTheRestIsScored() throws Exception {
    Path broken = root.resolve("broken");
    CliOptionsTest.Run g = run("generate", "--out", broken.toString(), "--count", "5", "--seed", "7");
    assertEquals(0, g.exit(), g.err());
    Files.writeString(broken.resolve("sw7-00000002.json"), "{\"text\": [");
    CliOptionsTest.Run r = run("eval", "--dataset", broken.toString(), "--predictions", masks.toString());
    assertEquals(3, r.exit());
    assertTrue(r.out().contains("sw7-00000002.json") && r.out().contains("malformed JSON"), r.out());
    assertTrue(r.out().contains("samples 4 scored of 5 listed"), r.out());
    CliOptionsTest.Run ff = run("eval", "--dataset", broken.toString(), "--predictions", masks.toString(), "--fail-fast");
    assertEquals(1, ff.exit());
    assertTrue(ff.err().contains("sw7-00000002.json"), ff.err());
  }

  @Test
  void generateRefusesANonEmptyFolderAndBadArguments() {
    assertEquals(2, run("generate", "--out", data.toString(), "--count", "1", "--seed", "7").exit());
    assertEquals(2, run("generate", "--out", root.resolve("x").toString(), "--count", "1").exit());
    assertEquals(2, run("generate", "--out", root.resolve("y").toString(), "--count", "1", "--seed", "1",
        "--width", "20").exit());
  }

  @Test
  void evalRefusesAnEmptyOrMissingFolder() throws Exception {
    Path empty = Files.createDirectories(root.resolve("empty-dataset"));
    CliOptionsTest.Run r = run("eval", "--dataset", empty.toString(), "--predictions", masks.toString());
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("no samples"), r.err());
    CliOptionsTest.Run m = run("eval", "--dataset", data.toString(), "--predictions", root.resolve("nope").toString());
    assertEquals(1, m.exit());
    assertTrue(m.err().contains("nope"), m.err());
  }

  @Test
  void dryRunGeneratesWithoutWriting() {
    CliOptionsTest.Run r = run("generate", "--dry-run", "--count", "20", "--seed", "3", "--kind", "relational");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("generated 20 samples in memory"), r.out());
    assertTrue(r.out().contains("relational=20"), r.out());
  }

  @Test
  void splitSeedsAreUsedByName() {
    Path val = root.resolve("val");
    CliOptionsTest.Run r = run("generate", "--out", val.toString(), "--count", "2", "--split", "val");
    assertEquals(0, r.exit(), r.err());
    assertTrue(Files.exists(val.resolve("sw2000029-00000001.json")));
  }
}
