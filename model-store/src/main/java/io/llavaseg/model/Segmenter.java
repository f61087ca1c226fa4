package io.llavaseg.model;

import java.awt.image.BufferedImage;

/**
 * The downstream segmentation model, prompted with the target's description and attributes (not
 * the user's question). One instance per thread. Any image size in, the mask comes back at that
 * size; an unknown prompt gives an empty or low-score mask, never an exception.
 */
public interface Segmenter extends AutoCloseable {

  SegmentationResult segment(BufferedImage image, String description, TargetAttributes attributes);

  ModelId modelId();

  @Override
  void close();
}
