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
   * The per-image IoU that gIoU averages, as LISA's {@code validate()} computes it: {@code
   * intersection / (union + 1e-5)}, plus 1.0 when the union is empty (prediction and ground truth
   * both empty: "no-object target"). A perfect prediction therefore scores {@code U / (U + 1e-5)},
   * 1.0 to four decimals. LISA evaluates this in float32; this is the same formula in double
   * (they differ by about 1e-7).
   */
  public double value() {
    return union == 0 ? 1.0 : intersection / (union + 1e-5);
  }
}
