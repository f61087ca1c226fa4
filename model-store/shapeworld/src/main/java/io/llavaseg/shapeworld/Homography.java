package io.llavaseg.shapeworld;

import java.util.SplittableRandom;

/**
 * A plane projective transform in pixel coordinates, {@code (x, y) -> ((a x + b y + c) / (g x + h y
 * + 1), (d x + e y + f) / (g x + h y + 1))}: straight edges stay straight, so a polygon maps to the
 * polygon of its mapped vertices and masks stay exact.
 */
final class Homography {
  private final double[] m; // a b c d e f g h

  private Homography(double[] m) {
    this.m = m;
  }

  /**
   * The whole-image tilt and keystone of a style: the image corners turned by up to {@code tiltDeg}
   * about the centre and each moved by up to {@code perspective} of the image's side.
   */
  static Homography random(SplittableRandom rng, int w, int h, double tiltDeg, double perspective) {
    double t = Math.toRadians(tiltDeg > 0 ? rng.nextDouble(-tiltDeg, tiltDeg) : 0);
    double cos = Math.cos(t);
    double sin = Math.sin(t);
    double[][] src = {{0, 0}, {w, 0}, {w, h}, {0, h}};
    double[][] dst = new double[4][];
    for (int i = 0; i < 4; i++) {
      double x = src[i][0] - w / 2.0;
      double y = src[i][1] - h / 2.0;
      double px = perspective > 0 ? rng.nextDouble(-perspective, perspective) * w : 0;
      double py = perspective > 0 ? rng.nextDouble(-perspective, perspective) * h : 0;
      dst[i] = new double[] {w / 2.0 + cos * x - sin * y + px, h / 2.0 + sin * x + cos * y + py};
    }
    return between(src, dst);
  }

  /** The transform taking the four points {@code src} to {@code dst}. */
  static Homography between(double[][] src, double[][] dst) {
    double[][] a = new double[8][9];
    for (int i = 0; i < 4; i++) {
      double x = src[i][0];
      double y = src[i][1];
      double u = dst[i][0];
      double v = dst[i][1];
      a[2 * i] = new double[] {x, y, 1, 0, 0, 0, -u * x, -u * y, u};
      a[2 * i + 1] = new double[] {0, 0, 0, x, y, 1, -v * x, -v * y, v};
    }
    for (int c = 0; c < 8; c++) {
      int pivot = c;
      for (int r = c + 1; r < 8; r++) {
        if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
          pivot = r;
        }
      }
      double[] tmp = a[c];
      a[c] = a[pivot];
      a[pivot] = tmp;
      for (int r = 0; r < 8; r++) {
        if (r != c) {
          double f = a[r][c] / a[c][c];
          for (int k = c; k < 9; k++) {
            a[r][k] -= f * a[c][k];
          }
        }
      }
    }
    double[] m = new double[8];
    for (int i = 0; i < 8; i++) {
      m[i] = a[i][8] / a[i][i];
    }
    return new Homography(m);
  }

  double[] apply(double x, double y) {
    double d = m[6] * x + m[7] * y + 1;
    return new double[] {(m[0] * x + m[1] * y + m[2]) / d, (m[3] * x + m[4] * y + m[5]) / d};
  }

  double[][] apply(double[][] polygon) {
    double[][] out = new double[polygon.length][];
    for (int i = 0; i < polygon.length; i++) {
      out[i] = apply(polygon[i][0], polygon[i][1]);
    }
    return out;
  }

  /** The inverse transform. */
  Homography inverse(int w, int h) {
    double[][] src = {{0, 0}, {w, 0}, {w, h}, {0, h}};
    double[][] dst = apply(src);
    return between(dst, src);
  }

  /**
   * {@code px} ({@code w x h} RGB) seen through this transform: each output pixel centre is mapped
   * back and sampled bilinearly, edges clamped (a tilted background fills the frame).
   */
  int[] warp(int[] px, int w, int h) {
    Homography back = inverse(w, h);
    int[] out = new int[px.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double[] s = back.apply(x + 0.5, y + 0.5);
        double sx = Math.max(0, Math.min(w - 1, s[0] - 0.5));
        double sy = Math.max(0, Math.min(h - 1, s[1] - 0.5));
        int x0 = (int) sx;
        int y0 = (int) sy;
        int x1 = Math.min(w - 1, x0 + 1);
        int y1 = Math.min(h - 1, y0 + 1);
        double fx = sx - x0;
        double fy = sy - y0;
        int rgb = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
          double top = ch(px[y0 * w + x0], shift) * (1 - fx) + ch(px[y0 * w + x1], shift) * fx;
          double bottom = ch(px[y1 * w + x0], shift) * (1 - fx) + ch(px[y1 * w + x1], shift) * fx;
          rgb |= ((int) Math.round(top * (1 - fy) + bottom * fy)) << shift;
        }
        out[y * w + x] = rgb;
      }
    }
    return out;
  }

  private static int ch(int rgb, int shift) {
    return (rgb >> shift) & 0xff;
  }
}
