package io.llavaseg.eval;

import io.llavaseg.model.BinaryMask;

/**
 * The foreground intersection and union of one prediction against a ground-truth label map, as
 * LISA's {@code intersectionAndUnionGPU(pred, gt, 2, ignore_index=255)} computes them for class 1:
 * pixels where the ground truth is 255 are removed from both; the rest count as foreground when
 * nonzero.
 */
public record Iou(long intersection, long union) {

  public static Iou of(byte[] labels, BinaryMask prediction) {
    byte[] p = prediction.pixels();
    if (p.length != labels.length) {
      throw new IllegalArgumentException("prediction has " + p.length + " pixels, ground truth " + labels.length);
    }
    long inter = 0;
    long union = 0;
    for (int i = 0; i < labels.length; i++) {
      byte g = labels[i];
      if (g == GroundTruth.IGNORE) {
        continue;
      }
      boolean gt = g != 0;
      boolean pr = p[i] != 0;
      if (gt && pr) {
        inter++;
      }
      if (gt || pr) {
        union++;
      }
    }
    return new Iou(inter, union);
  }

  /**
   * The per-image IoU used by gIoU: intersection over union, and 1.0 when the union is empty (both
   * prediction and ground truth empty). LISA divides by {@code union + 1e-5}, which differs from
   * this by less than 1e-5 relative; this one is exactly 1.0 for a perfect prediction.
   */
  public double value() {
    return union == 0 ? 1.0 : (double) intersection / union;
  }
}
