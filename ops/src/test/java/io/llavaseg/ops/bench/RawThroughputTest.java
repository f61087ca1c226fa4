package io.llavaseg.ops.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.model.BinaryMask;
import io.llavaseg.model.ModelId;
import io.llavaseg.model.SegmentationPrompt;
import io.llavaseg.model.SegmentationResult;
import io.llavaseg.model.Segmenter;
import io.llavaseg.model.TargetAttributes;
import io.llavaseg.shapeworld.QueryKind;
import io.llavaseg.shapeworld.Sample;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RawThroughputTest {
  private static final String ATTRIBUTES = "color: red; shape: star; size: small; location: top left";

  /** Records every batch of prompts; each mask empty. */
  private static final class RecordingSegmenter implements Segmenter {
    final List<List<SegmentationPrompt>> batches = new ArrayList<>();

    @Override
    public SegmentationResult segment(BufferedImage image, String description, TargetAttributes attributes) {
      return segmentBatch(List.of(new SegmentationPrompt(image, description, attributes))).get(0);
    }

    @Override
    public List<SegmentationResult> segmentBatch(List<SegmentationPrompt> prompts) {
      batches.add(List.copyOf(prompts));
      return prompts.stream().map(p -> new SegmentationResult(
          BinaryMask.empty(p.image().getWidth(), p.image().getHeight()), 0f, modelId(), 0)).toList();
    }

    @Override
    public ModelId modelId() {
      return new ModelId("recording", "t", "cpu()");
    }

    @Override
    public void close() {}
  }

  private static Sample sample(String target, String attributes) {
    return new Sample("s", new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), null, "q", false,
        QueryKind.values()[0], "a", target, attributes, -1, BinaryMask.empty(4, 4));
  }

  @Test
  void groundTruthWithoutTargetIsNoTarget() {
    assertTrue(RawThroughput.groundTruthTarget(sample(Sample.NO_TARGET, "")).isEmpty());
    assertEquals("the red star", RawThroughput.groundTruthTarget(sample("the red star", ATTRIBUTES))
        .orElseThrow().description());
  }

  @Test
  void segmentsOnlyTheSamplesWithATargetInFullBatches() {
    RecordingSegmenter segmenter = new RecordingSegmenter();
    List<Sample> samples = List.of(sample("the red star", ATTRIBUTES), sample(Sample.NO_TARGET, ""),
        sample("the red star", ATTRIBUTES), sample(Sample.NO_TARGET, ""));
    RawThroughput.segmentation(segmenter, samples, 2);
    assertEquals(1 + RawThroughput.TRIALS, segmenter.batches.size());
    for (List<SegmentationPrompt> batch : segmenter.batches) {
      assertEquals(2, batch.size());
      batch.forEach(p -> assertEquals("the red star", p.description()));
    }
  }
}
