package io.llavaseg.model.segmenter;

import java.awt.image.BufferedImage;

/**
 * One segmentation request for the translator: an image of any size and the prompt, LLaVASeg's
 * simple target description and the attribute line ({@code color: ...; shape: ...; size: ...;
 * location: ...}); either text may be empty.
 */
public record SegmenterInput(BufferedImage image, String description, String attributes) {
  public SegmenterInput {
    if (image == null) {
      throw new IllegalArgumentException("image is required");
    }
    description = description == null ? "" : description;
    attributes = attributes == null ? "" : attributes;
  }
}
