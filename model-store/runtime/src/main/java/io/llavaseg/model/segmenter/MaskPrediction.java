package io.llavaseg.model.segmenter;

import io.llavaseg.model.BinaryMask;

/**
 * The translator's output: the mask at the input image's size, its score (mean foreground
 * probability, 0 when empty) and its bounding box {@code [x, y, w, h]} (all zeros when empty).
 */
public record MaskPrediction(BinaryMask mask, float score, int[] bbox) {}
