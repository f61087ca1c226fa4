package io.llavaseg.model;

import java.util.Locale;

/**
 * A box in coordinates relative to the image: {@code x0, y0} the top-left and {@code x1, y1} the
 * bottom-right corner, each in {@code [0, 1]}, {@code x0 < x1} and {@code y0 < y1}. Real MLLMs give
 * the target's box in the attributes step (LLaVA-1.5 in {@code [0, 1]}, Qwen2-VL on a 0..1000
 * grid, see {@link #fromReply}); a box-prompted segmenter (SAM 2) takes it in pixels ({@link
 * #toPixels}).
 */
public record NormalizedBox(double x0, double y0, double x1, double y1) {

  public NormalizedBox {
    for (double v : new double[] {x0, y0, x1, y1}) {
      if (!(v >= 0 && v <= 1)) {
        throw new IllegalArgumentException("box coordinates must lie in [0, 1]: " + v);
      }
    }
    if (!(x0 < x1 && y0 < y1)) {
      throw new IllegalArgumentException(
          "box must have x0 < x1 and y0 < y1: [" + x0 + ", " + y0 + ", " + x1 + ", " + y1 + "]");
    }
  }

  /**
   * The box four numbers of a reply stand for: as they are when all lie in {@code [0, 1]}, divided
   * by 1000 when all lie in {@code [0, 1000]} (Qwen2-VL's grid); anything else is not a box.
   */
  public static java.util.Optional<NormalizedBox> fromReply(double a, double b, double c, double d) {
    double max = Math.max(Math.max(a, b), Math.max(c, d));
    double scale = max <= 1 ? 1 : max <= 1000 ? 1000 : Double.NaN;
    try {
      return java.util.Optional.of(new NormalizedBox(a / scale, b / scale, c / scale, d / scale));
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }

  /** The box in pixels of a {@code width} x {@code height} image: {x0, y0, x1, y1}. */
  public double[] toPixels(int width, int height) {
    return new double[] {x0 * width, y0 * height, x1 * width, y1 * height};
  }

  /** The centre, relative to the image: {x, y}. */
  public double[] centre() {
    return new double[] {(x0 + x1) / 2, (y0 + y1) / 2};
  }

  /** {@code [0.100, 0.200, 0.500, 0.600]}. */
  public String format() {
    return String.format(Locale.ROOT, "[%.3f, %.3f, %.3f, %.3f]", x0, y0, x1, y1);
  }
}
