package io.llavaseg.shapeworld;

import java.util.Arrays;

/**
 * Scan-line polygon filling with the even-odd rule, sampled at pixel centres: pixel ({@code x},
 * {@code y}) is inside when the point ({@code x + 0.5}, {@code y + 0.5}) is inside the polygon
 * (the rule Java2D uses for non-antialiased fills). Vertices are {@code {x, y}} in pixel units
 * where pixel (0, 0) covers [0,1)x[0,1); the polygon is closed implicitly. Parts outside the image
 * are clipped. This differs from OpenCV's {@code fillPoly} (used by LISA) only on boundary pixels:
 * OpenCV also sets pixels the outline touches.
 */
public final class PolygonRaster {
  private PolygonRaster() {}

  /** A fresh 0/1 mask of the polygon. */
  public static byte[] mask(double[][] polygon, int width, int height) {
    byte[] out = new byte[width * height];
    fill(polygon, out, width, height, (byte) 1);
    return out;
  }

  /**
   * Sets every pixel of {@code out} (row-major, {@code width x height}) inside the polygon to
   * {@code value}; other pixels are left alone. Polygons with fewer than 3 vertices fill nothing.
   */
  public static void fill(double[][] polygon, byte[] out, int width, int height, byte value) {
    int n = polygon.length;
    if (n < 3) {
      return;
    }
    double minY = Double.POSITIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (double[] p : polygon) {
      minY = Math.min(minY, p[1]);
      maxY = Math.max(maxY, p[1]);
    }
    int y0 = Math.max(0, (int) Math.ceil(minY - 0.5));
    int y1 = Math.min(height - 1, (int) Math.ceil(maxY - 0.5) - 1);
    double[] xs = new double[n];
    for (int y = y0; y <= y1; y++) {
      double yc = y + 0.5;
      int k = 0;
      for (int i = 0; i < n; i++) {
        double[] a = polygon[i];
        double[] b = polygon[(i + 1) % n];
        if ((a[1] <= yc && yc < b[1]) || (b[1] <= yc && yc < a[1])) {
          xs[k++] = a[0] + (yc - a[1]) * (b[0] - a[0]) / (b[1] - a[1]);
        }
      }
      if (k < 2) {
        continue;
      }
      Arrays.sort(xs, 0, k);
      int row = y * width;
      for (int j = 0; j + 1 < k; j += 2) {
        int from = Math.max(0, (int) Math.ceil(xs[j] - 0.5));
        int to = Math.min(width - 1, (int) Math.ceil(xs[j + 1] - 0.5) - 1);
        for (int x = from; x <= to; x++) {
          out[row + x] = value;
        }
      }
    }
  }

  /** The polygon's area by the shoelace formula (absolute value), in square pixels. */
  public static double area(double[][] polygon) {
    double s = 0;
    int n = polygon.length;
    for (int i = 0; i < n; i++) {
      double[] a = polygon[i];
      double[] b = polygon[(i + 1) % n];
      s += a[0] * b[1] - b[0] * a[1];
    }
    return Math.abs(s) / 2;
  }
}
