package io.llavaseg.training.segmenter;

import io.llavaseg.model.BinaryMask;
import java.awt.image.BufferedImage;

/** One supervised example: an image, the prompt, and the mask it should produce (maybe empty). */
public record SegmenterExample(
    BufferedImage image, String description, String attributes, BinaryMask mask) {}
