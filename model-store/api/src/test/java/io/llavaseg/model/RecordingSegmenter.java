package io.llavaseg.model;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Test double: masks the top-left pixel of the image and records every batch it was given (a
 * batch's prompts, in order).
 */
public final class RecordingSegmenter implements Segmenter {
  public final List<List<SegmentationPrompt>> batches = new ArrayList<>();

  @Override
  public SegmentationResult segment(BufferedImage image, String description, TargetAttributes attributes) {
    return segmentBatch(List.of(new SegmentationPrompt(image, description, attributes))).get(0);
  }

  @Override
  public List<SegmentationResult> segmentBatch(List<SegmentationPrompt> prompts) {
    batches.add(List.copyOf(prompts));
    List<SegmentationResult> results = new ArrayList<>();
    for (SegmentationPrompt p : prompts) {
      byte[] pixels = new byte[p.image().getWidth() * p.image().getHeight()];
      pixels[0] = 1;
      results.add(new SegmentationResult(new BinaryMask(p.image().getWidth(), p.image().getHeight(), pixels), 0.9f,
          modelId(), 1.0));
    }
    return results;
  }

  @Override
  public ModelId modelId() {
    return new ModelId("recording", "t", "cpu()");
  }

  @Override
  public void close() {}
}
