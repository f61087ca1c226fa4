package io.llavaseg.shapeworld;

import java.util.EnumMap;
import java.util.Map;

/**
 * Unit outlines of the 8 shapes: vertices centred on the bounding box's centre, the longest side of
 * the unrotated bounding box equal to 1, y pointing down (image coordinates). A circle is a
 * 64-gon; a star has 5 points (inner radius 0.4 of the outer); a diamond is a rhombus whose short
 * diagonal is 0.6 of its long one; a cross is a plus sign with arms a third of its width.
 */
final class Outlines {
  private static final Map<Shape, double[][]> UNIT = new EnumMap<>(Shape.class);

  static {
    UNIT.put(Shape.CIRCLE, regular(64, 0));
    UNIT.put(Shape.SQUARE, new double[][] {{-1, -1}, {1, -1}, {1, 1}, {-1, 1}});
    UNIT.put(Shape.TRIANGLE, regular(3, -Math.PI / 2));
    UNIT.put(Shape.HEXAGON, regular(6, 0));
    UNIT.put(Shape.STAR, star());
    UNIT.put(Shape.HEART, heart());
    UNIT.put(Shape.CROSS, cross());
    UNIT.put(Shape.DIAMOND, new double[][] {{0, -1}, {0.6, 0}, {0, 1}, {-0.6, 0}});
    for (Map.Entry<Shape, double[][]> e : UNIT.entrySet()) {
      e.setValue(normalise(e.getValue()));
    }
  }

  private Outlines() {}

  /**
   * The outline of {@code shape} scaled so the unrotated bounding box's longest side is {@code
   * extent}, turned by {@code rotationDeg} (clockwise on screen) and centred on ({@code cx}, {@code
   * cy}).
   */
  static double[][] place(Shape shape, double cx, double cy, double extent, double rotationDeg) {
    double[][] unit = UNIT.get(shape);
    double t = Math.toRadians(rotationDeg);
    double c = Math.cos(t) * extent;
    double s = Math.sin(t) * extent;
    double[][] out = new double[unit.length][];
    for (int i = 0; i < unit.length; i++) {
      double x = unit[i][0];
      double y = unit[i][1];
      out[i] = new double[] {cx + c * x - s * y, cy + s * x + c * y};
    }
    return out;
  }

  /** Half the width and half the height of the turned outline's bounding box, per unit extent. */
  static double[] halfBox(Shape shape, double rotationDeg) {
    double[][] p = place(shape, 0, 0, 1, rotationDeg);
    double hx = 0;
    double hy = 0;
    for (double[] v : p) {
      hx = Math.max(hx, Math.abs(v[0]));
      hy = Math.max(hy, Math.abs(v[1]));
    }
    return new double[] {hx, hy};
  }

  private static double[][] regular(int n, double phase) {
    double[][] p = new double[n][];
    for (int i = 0; i < n; i++) {
      double a = phase + 2 * Math.PI * i / n;
      p[i] = new double[] {Math.cos(a), Math.sin(a)};
    }
    return p;
  }

  private static double[][] star() {
    double[][] p = new double[10][];
    for (int i = 0; i < 10; i++) {
      double r = i % 2 == 0 ? 1 : 0.4;
      double a = -Math.PI / 2 + Math.PI * i / 5;
      p[i] = new double[] {r * Math.cos(a), r * Math.sin(a)};
    }
    return p;
  }

  private static double[][] heart() {
    int n = 48;
    double[][] p = new double[n][];
    for (int i = 0; i < n; i++) {
      double t = 2 * Math.PI * i / n;
      double x = 16 * Math.pow(Math.sin(t), 3);
      double y = 13 * Math.cos(t) - 5 * Math.cos(2 * t) - 2 * Math.cos(3 * t) - Math.cos(4 * t);
      p[i] = new double[] {x, -y};
    }
    return p;
  }

  private static double[][] cross() {
    double a = 1.0 / 3;
    return new double[][] {
      {-a, -1}, {a, -1}, {a, -a}, {1, -a}, {1, a}, {a, a}, {a, 1}, {-a, 1}, {-a, a}, {-1, a}, {-1, -a},
      {-a, -a}
    };
  }

  private static double[][] normalise(double[][] p) {
    double minX = Double.POSITIVE_INFINITY, minY = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
    for (double[] v : p) {
      minX = Math.min(minX, v[0]);
      maxX = Math.max(maxX, v[0]);
      minY = Math.min(minY, v[1]);
      maxY = Math.max(maxY, v[1]);
    }
    double scale = Math.max(maxX - minX, maxY - minY);
    double mx = (minX + maxX) / 2;
    double my = (minY + maxY) / 2;
    double[][] out = new double[p.length][];
    for (int i = 0; i < p.length; i++) {
      out[i] = new double[] {(p[i][0] - mx) / scale, (p[i][1] - my) / scale};
    }
    return out;
  }
}
