package io.llavaseg.ops.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job end to end, as a user runs it: a real KRaft broker and the real registry (child
 * processes), the service on the committed models, 60 ShapeWorld queries of every kind. Checks the
 * issue's done-when criteria on summary.json and that index.html renders in headless Chromium.
 */
class DemoIT {
  static final double GIOU_TARGET = 0.85;
  /** Issue 23's target for the queries with a target. */
  static final double GIOU_TARGETED = 0.85;

  @Test
  void shouldAnswerAndMaskEveryQueryEndToEndAndRenderThePage(@TempDir Path out) throws Exception {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    int rc = new Demo(60, out, null, 4, 4, Duration.ofMinutes(8), null, null)
        .run(new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err);
    String table = stdout.toString(StandardCharsets.UTF_8);
    System.out.println(table);
    assertEquals(0, rc, "demo exit code");

    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertEquals(60, summary.get("queries").asInt());
    assertEquals(60, summary.get("answers").asInt());
    assertEquals(60, summary.get("masks").asInt());
    assertEquals(0, summary.get("dead_letters").asInt());
    assertEquals(0, summary.get("lost").asInt());
    assertTrue(summary.get("run").get("models").get("reasoning").asText().startsWith("shapeworld-reasoner:"),
        "the run names its models: " + summary.get("run"));
    assertTrue(summary.get("run").get("models").get("segmentation").asText().startsWith("shapeworld-segmenter:"));
    // Issue 6's target on these 60 queries (the demo's own seed, 4000037, and kinds are fixed; the
    // served models, reasoner v11 and segmenter v3, measured 0.923 here on 2026-12-07,
    // docs/demo/demo-2026-12-07e.json); one query moves the figure by about 0.017.
    assertTrue(summary.get("giou").asDouble() >= GIOU_TARGET, "gIoU " + summary.get("giou"));
    // The 18 queries without a target score 1.0 when their mask is empty; on the 42 with one the served
    // models measured 0.889 (v9 and v2: 0.830), over issue 23's 0.85 target (one query moves it by
    // about 0.024).
    assertEquals(42, summary.get("targeted").asInt());
    assertTrue(summary.get("giou_targeted").asDouble() >= GIOU_TARGETED,
        "gIoU of the queries with a target " + summary.get("giou_targeted"));
    for (String p : new String[] {"p50", "p95", "p99"}) {
      assertTrue(summary.get("latency_ms").get(p).asDouble() > 0, "latency " + p);
    }
    assertTrue(summary.get("throughput_qps").asDouble() > 0);
    assertTrue(table.contains("gIoU"), "summary table printed");
    String page = Files.readString(out.resolve("index.html"));
    assertTrue(page.contains("gIoU by kind of query") && page.contains("end-to-end latency"),
        "the page shows the per-kind chart and the latency histogram");
    try (var files = Files.list(out.resolve("queries"))) {
      assertEquals(60, files.filter(f -> f.toString().endsWith(".png")).count());
    }

    Optional<Path> chromium = PageScreenshot.chromium();
    assumeTrue(chromium.isPresent(), "Chromium is not installed (apt-get install chromium): screenshot check skipped");
    BufferedImage shot = PageScreenshot.capture(chromium.get(), out.resolve("index.html"), out.resolve("screenshot.png"), 1280, 1600);
    assertTrue(shot.getWidth() >= 1000 && shot.getHeight() >= 1000, "screenshot size");
    assertTrue(PageScreenshot.distinctColours(shot) > 50,
        "index.html rendered blank: " + PageScreenshot.distinctColours(shot) + " colours");
  }
}
