package io.llavaseg.eval;

/**
 * Accumulates per-image IoUs into LISA's gIoU (the mean of {@link Iou#value()}) and cIoU (summed
 * intersection over {@code summed union + 1e-10}, LISA's {@code iou_class[1]}). cIoU is reported
 * as undefined ({@code NaN}, {@code null} in JSON, "n/a" in text) when every union is empty, i.e.
 * neither prediction nor ground truth has any foreground, where LISA's epsilon would print 0: a
 * breakdown by query kind has such groups (absent targets), and 0 there would read as a failure.
 * LISA accumulates in float32; this does in double.
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
    return union == 0 ? Double.NaN : intersection / (union + 1e-10);
  }

  public long intersection() {
    return intersection;
  }

  public long union() {
    return union;
  }
}
