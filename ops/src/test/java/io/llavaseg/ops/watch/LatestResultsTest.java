package io.llavaseg.ops.watch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.schemas.ImageMask;
import io.llavaseg.schemas.ModelRef;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatestResultsTest {

  private static ImageMask mask(String queryId, String source, long captureMillis, String answer) {
    return ImageMask.newBuilder()
        .setQueryId(queryId)
        .setSourceId(source)
        .setCaptureTime(Instant.ofEpochMilli(captureMillis))
        .setWidth(2)
        .setHeight(2)
        .setRleCounts(List.of(0L, 4L))
        .setBbox(List.of(0, 0, 2, 2))
        .setArea(4)
        .setScore(1.0f)
        .setTarget("the red star")
        .setAttributes(null)
        .setEmptyReason(null)
        .setReasoningModel(new ModelRef("reasoner", "v7", "cpu()", "djl"))
        .setSegmentationModel(null)
        .setReasoningMs(1)
        .setSegmentationMs(1)
        .setMaskedAt(Instant.ofEpochMilli(captureMillis + 120))
        .setQuestion("where is the red star?")
        .setAnswer(answer)
        .build();
  }

  @Test
  void shouldKeepTheNewestCaptureOfEachCameraAndQuestion() {
    LatestResults r = new LatestResults(8);
    r.mask(mask("camera-0-2/q1", "camera-0", 2000, "second"), Instant.now());
    r.mask(mask("camera-0-1/q1", "camera-0", 1000, "first, arrived late"), Instant.now());
    r.mask(mask("camera-0-1/q2", "camera-0", 1000, "other question"), Instant.now());
    r.mask(mask("send-1", "cli", 500, "one-off"), Instant.now());

    List<LatestResults.Entry> entries = r.entries();
    assertEquals(List.of("camera-0 / q1", "camera-0 / q2", "cli"), entries.stream().map(LatestResults.Entry::key).toList());
    assertEquals("second", entries.get(0).answer());
    assertEquals("camera-0-2", entries.get(0).imageId());
    assertEquals("send-1", entries.get(2).imageId());
    assertEquals(120, entries.get(0).latencyMs());
    assertEquals(4, r.masksSeen());
  }

  @Test
  void shouldFindAnImageThatArrivesAfterItsMaskAndForgetTheOldestImages() {
    LatestResults r = new LatestResults(2);
    r.mask(mask("camera-0-7/q1", "camera-0", 7000, "a"), Instant.now());
    assertTrue(r.image("camera-0-7").isEmpty());
    long before = r.version();
    r.image("camera-0-7", new byte[] {1});
    assertTrue(r.version() > before, "a new image changes the version the page polls");
    assertArrayEquals(new byte[] {1}, r.image(r.entries().get(0).imageId()).orElseThrow());
    r.image("camera-0-8", new byte[] {2});
    r.image("camera-0-9", new byte[] {3});
    assertTrue(r.image("camera-0-7").isEmpty(), "only the newest two images are kept");
    assertTrue(r.image("camera-0-9").isPresent());
  }
}
