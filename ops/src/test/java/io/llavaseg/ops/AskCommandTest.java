package io.llavaseg.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llavaseg.schemas.CocoRle;
import io.llavaseg.shapeworld.QueryKind;
import io.llavaseg.shapeworld.Sample;
import io.llavaseg.shapeworld.ShapeWorld;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ask --json} on the committed models: the answer, target, attributes and a decodable mask. */
class AskCommandTest {

  @Test
  void shouldWriteTheResultAsJsonWithTheMaskAsCocoRle(@TempDir Path dir) throws Exception {
    Sample s = new ShapeWorld(424242).sample(1, QueryKind.PHRASE);
    Path image = dir.resolve("scene.png");
    ImageIO.write(s.image(), "png", image.toFile());
    Path out = dir.resolve("out/result.json");
    CliOptionsTest.Run run = CliOptionsTest.execute("ask", "--image", image.toString(), "--question", s.query(),
        "--json", out.toString(), "--set", "llavaseg.model.store=" + System.getProperty("llavaseg.model.store", "../model-store"));
    assertEquals(0, run.exit(), run.err());
    JsonNode j = new ObjectMapper().readTree(out.toFile());
    assertEquals(s.query(), j.path("question").asText());
    assertTrue(j.path("answer").isTextual());
    assertEquals("shapeworld-reasoner:v11@cpu()", j.path("models").path("reasoner").asText());
    JsonNode mask = j.path("mask");
    long[] counts = CocoRle.fromCompressedString(mask.path("counts").asText());
    assertEquals(mask.path("area").asLong(), CocoRle.area(counts));
    assertEquals(s.image().getWidth() * s.image().getHeight(),
        CocoRle.decode(counts, mask.path("width").asInt(), mask.path("height").asInt()).length);
    if (j.path("target").isTextual()) {
      assertTrue(j.path("attributes").path("shape").isTextual(), j.toString());
    }
  }
}
