package io.llavaseg.model;

import java.awt.image.BufferedImage;
import java.util.Optional;

/**
 * What the segmenter is prompted with for one query: the target's simple description and its
 * attributes. {@link #of(Optional, Optional)} is the one rule deciding whether a query is segmented:
 * only when the reasoning gave both; otherwise the query has no target and its mask is empty
 * without calling the segmenter.
 */
public record SegmentationTarget(String description, TargetAttributes attributes) {

  public SegmentationTarget {
    if (description == null || attributes == null) {
      throw new IllegalArgumentException("a segmentation target needs a description and attributes");
    }
  }

  /** The target when both the description and the attributes are present, else none. */
  public static Optional<SegmentationTarget> of(Optional<String> description, Optional<TargetAttributes> attributes) {
    return description.flatMap(d -> attributes.map(a -> new SegmentationTarget(d, a)));
  }

  /** The segmentation target of a reasoning result, empty when it has none. */
  public static Optional<SegmentationTarget> of(Reasoning reasoning) {
    return of(reasoning.target(), reasoning.attributes());
  }

  /** The segmenter's request for this target on {@code image}. */
  public SegmentationPrompt on(BufferedImage image) {
    return new SegmentationPrompt(image, description, attributes);
  }
}
