package io.llavaseg.model;

/**
 * A mask at the input image's size with its confidence (mean foreground probability, 0 when the
 * mask is empty), the model that produced it and the inference time.
 */
public record SegmentationResult(BinaryMask mask, float score, ModelId model, double inferenceMs) {}
