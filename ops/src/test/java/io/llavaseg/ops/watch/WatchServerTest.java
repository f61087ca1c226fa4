package io.llavaseg.ops.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.schemas.CocoRle;
import io.llavaseg.schemas.ImageMask;
import io.llavaseg.schemas.ModelRef;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class WatchServerTest {

  private static ImageMask mask(String queryId, int w, int h, byte[] pixels) {
    long[] counts = CocoRle.encode(pixels, w, h);
    return ImageMask.newBuilder().setQueryId(queryId).setSourceId("camera-0").setCaptureTime(Instant.ofEpochMilli(1000))
        .setWidth(w).setHeight(h).setRleCounts(Arrays.stream(counts).boxed().toList()).setBbox(java.util.List.of(0, 0, w, h))
        .setArea(1).setScore(1f).setReasoningModel(new ModelRef("reasoner", "v7", "cpu()", "djl"))
        .setMaskedAt(Instant.ofEpochMilli(1100)).setQuestion("q").setAnswer("a").build();
  }

  @Test
  void shouldDrawTheFrameUnderTheMaskAndGreyWhenTheFrameIsMissing() throws Exception {
    int w = 64;
    int h = 48;
    BufferedImage frame = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = frame.createGraphics();
    g.setColor(new Color(220, 30, 30));
    g.fillRect(0, 0, w, h);
    g.dispose();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(frame, "png", png);
    byte[] pixels = new byte[w * h];
    LatestResults results = new LatestResults(4);
    results.mask(mask("camera-0-1/q1", w, h, pixels), Instant.now());
    results.mask(mask("camera-0-2/q2", w, h, pixels), Instant.now());
    results.image("camera-0-1", png.toByteArray());
    try (WatchServer server = WatchServer.start("127.0.0.1", 0, results)) {
      BufferedImage seen = server.render(results.entry("camera-0 / q1").orElseThrow());
      assertEquals(new Color(220, 30, 30).getRGB(), seen.getRGB(10, 10), "the frame, where the mask is empty");
      BufferedImage missing = server.render(results.entry("camera-0 / q2").orElseThrow());
      assertEquals(new Color(90, 90, 90).getRGB(), missing.getRGB(10, 10), "grey while the frame is not read yet");
      assertTrue(seen.getWidth() > w);
    }
  }
}
