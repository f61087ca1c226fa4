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
import java.util.Set;
import org.junit.jupiter.api.Test;

class RawThroughputTest {
  private static final String ATTRIBUTES = "color: red; shape: star; size: small; location: top left";

  /** Takes batches only; records each batch's size and every description it was prompted with. */
  private static final class BatchCountingSegmenter implements Segmenter {
    final List<Integer> batchSizes = new ArrayList<>();
    final List<String> descriptions = new ArrayList<>();

    @Override
    public SegmentationResult segment(BufferedImage image, String description, TargetAttributes attributes) {
      throw new UnsupportedOperationException("the raw path segments in batches");
    }

    @Override
    public List<SegmentationResult> segmentBatch(List<SegmentationPrompt> prompts) {
      batchSizes.add(prompts.size());
      prompts.forEach(p -> descriptions.add(p.description()));
      return prompts.stream().map(p -> new SegmentationResult(
          BinaryMask.empty(p.image().getWidth(), p.image().getHeight()), 0f, modelId(), 0)).toList();
    }

    @Override
    public ModelId modelId() {
      return new ModelId("batch-counting", "t", "cpu()");
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
  void segmentsOnlyTheSamplesWithATargetOneByOneAndInFullBatchesInTurns() {
    BatchCountingSegmenter segmenter = new BatchCountingSegmenter();
    List<Sample> samples = List.of(sample("the red star", ATTRIBUTES), sample(Sample.NO_TARGET, ""),
        sample("the red star", ATTRIBUTES), sample(Sample.NO_TARGET, ""));
    double[] masksPerSecond = RawThroughput.segmentation(segmenter, samples, 2);
    List<Integer> expected = new ArrayList<>();
    for (int pass = 0; pass < RawThroughput.WARMUP_PASSES + RawThroughput.TRIALS; pass++) {
      expected.addAll(List.of(1, 1, 2));
    }
    assertEquals(expected, segmenter.batchSizes);
    assertEquals(2, masksPerSecond.length);
    assertTrue(masksPerSecond[0] > 0 && masksPerSecond[1] > 0);
    assertEquals(Set.of("the red star"), Set.copyOf(segmenter.descriptions));
  }
}
