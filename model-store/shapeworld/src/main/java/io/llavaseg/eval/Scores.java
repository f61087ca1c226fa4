package io.llavaseg.eval;

/**
 * Accumulates per-image IoUs into gIoU (mean of per-image IoU) and cIoU (summed intersection over
 * summed union). cIoU is undefined ({@code NaN}, {@code null} in JSON) when every union is empty,
 * i.e. neither prediction nor ground truth has any foreground (LISA's epsilon would print 0 there).
 */
public final class Scores {
  private long count;
  private double iouSum;
  private long intersection;
  private long union;

  public void add(Iou iou) {
    count++;
    iouSum += iou.value();
    intersection += iou.intersection();
    union += iou.union();
  }

  public long count() {
    return count;
  }

  public double giou() {
    return count == 0 ? Double.NaN : iouSum / count;
  }

  public double ciou() {
    return union == 0 ? Double.NaN : (double) intersection / union;
  }

  public long intersection() {
    return intersection;
  }

  public long union() {
    return union;
  }
}
