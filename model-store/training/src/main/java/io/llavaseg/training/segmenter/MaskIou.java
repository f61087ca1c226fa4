package io.llavaseg.training.segmenter;

import io.llavaseg.model.BinaryMask;

/**
 * Accumulates LISA's segmentation metrics: gIoU (mean of per-image IoU, 1.0 when prediction and
 * ground truth are both empty) and cIoU (summed intersection over summed union). Not thread-safe.
 * Does not handle ignore pixels (ShapeWorld has none).
 */
public final class MaskIou {
  private double iouSum;
  private long intersection;
  private long union;
  private int count;

  /** Adds one image; the masks must have the same size. Returns that image's IoU. */
  public double add(BinaryMask prediction, BinaryMask truth) {
    if (prediction.width() != truth.width() || prediction.height() != truth.height()) {
      throw new IllegalArgumentException("mask sizes differ");
    }
    byte[] p = prediction.pixels();
    byte[] t = truth.pixels();
    long inter = 0;
    long uni = 0;
    for (int i = 0; i < p.length; i++) {
      boolean a = p[i] != 0;
      boolean b = t[i] != 0;
      inter += a && b ? 1 : 0;
      uni += a || b ? 1 : 0;
    }
    double iou = uni == 0 ? 1.0 : (double) inter / uni;
    iouSum += iou;
    intersection += inter;
    union += uni;
    count++;
    return iou;
  }

  public double gIoU() {
    return count == 0 ? 0 : iouSum / count;
  }

  public double cIoU() {
    return union == 0 ? 1.0 : (double) intersection / union;
  }

  public int count() {
    return count;
  }

  @Override
  public String toString() {
    return String.format("gIoU %.4f cIoU %.4f (%d images)", gIoU(), cIoU(), count);
  }
}
