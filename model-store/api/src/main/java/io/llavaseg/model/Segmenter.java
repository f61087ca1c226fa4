package io.llavaseg.model;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The downstream segmentation model, prompted with the target's description and attributes (not
 * the user's question). One instance per thread. Any image size in, the mask comes back at that
 * size; an unknown prompt gives an empty or low-score mask, never an exception.
 */
public interface Segmenter extends AutoCloseable {

  SegmentationResult segment(BufferedImage image, String description, TargetAttributes attributes);

  /**
   * Segments several requests, as one batch where the model supports it (the default segments them
   * one by one). Each result equals {@link #segment} on its request alone.
   */
  default List<SegmentationResult> segmentBatch(List<SegmentationPrompt> prompts) {
    List<SegmentationResult> results = new ArrayList<>(prompts.size());
    for (SegmentationPrompt p : prompts) {
      results.add(segment(p.image(), p.description(), p.attributes()));
    }
    return results;
  }

  ModelId modelId();

  @Override
  void close();
}
