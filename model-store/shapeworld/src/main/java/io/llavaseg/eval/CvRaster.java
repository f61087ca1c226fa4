package io.llavaseg.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * OpenCV's rasterisation of integer polygons on a one-channel 8-bit image, reproduced pixel for
 * pixel: {@code cv2.polylines(img, [pts], True, value, 1)} (thickness 1, {@code LINE_8}, shift 0)
 * and {@code cv2.fillPoly(img, [pts], value)} ({@code LINE_8}, shift 0), the two calls LISA's
 * {@code get_mask_from_json} makes for every ReasonSeg polygon. Written from the semantics of
 * OpenCV's {@code drawing.cpp}: 8-connected Bresenham lines ({@code LineIterator}, left to right,
 * lines reaching outside the image clipped with {@code clipLine}'s integer arithmetic); for the
 * fill, {@code CollectPolyEdges} draws every edge as such a line and collects the non-horizontal
 * edges in 16.16 fixed point from their unclipped end points ({@code dx} truncated toward zero),
 * then {@code FillEdgeCollection} walks scan lines {@code y0 <= y < y1} with the even-odd rule,
 * filling {@code ceil(x_left) .. floor(x_right)} between successive active edges. The fixture
 * test compares it with masks made by OpenCV 4.6 (Debian 12's python3-opencv). Later OpenCV
 * releases restart edges that leave the image from their clipped end points, so for polygons
 * reaching outside the image their fill can differ from this by a few pixels; polygons inside
 * the image (ShapeWorld's, and ReasonSeg's within the harness's slack) are unaffected.
 *
 * <p>Images are row-major {@code width x height} byte arrays; points are {@code {x, y}} pixels.
 */
public final class CvRaster {
  private static final int XY_SHIFT = 16;
  private static final long XY_ONE = 1L << XY_SHIFT;

  private CvRaster() {}

  /** LISA's cast of annotation points: {@code np.array(points, dtype=np.int32)} truncates toward zero. */
  public static int[][] toInt32(double[][] points) {
    int[][] out = new int[points.length][];
    for (int i = 0; i < points.length; i++) {
      out[i] = new int[] {(int) points[i][0], (int) points[i][1]};
    }
    return out;
  }

  /** {@code cv2.polylines(img, [pts], isClosed, value, thickness=1, lineType=LINE_8)}. */
  public static void polylines(int[][] pts, boolean closed, byte[] img, int width, int height, byte value) {
    int n = pts.length;
    if (n == 0) {
      return;
    }
    int[] p0 = pts[closed ? n - 1 : 0];
    for (int i = closed ? 0 : 1; i < n; i++) {
      line(img, width, height, p0[0], p0[1], pts[i][0], pts[i][1], value);
      p0 = pts[i];
    }
  }

  /** {@code cv2.fillPoly(img, [pts], value)} with the defaults {@code LINE_8}, shift 0, no offset. */
  public static void fillPoly(int[][] pts, byte[] img, int width, int height, byte value) {
    if (pts.length == 0) {
      return;
    }
    List<Edge> edges = new ArrayList<>(pts.length + 1);
    collectPolyEdges(pts, edges, img, width, height, value);
    fillEdgeCollection(edges, img, width, height, value);
  }

  /** LISA's drawing of one polygon: polylines, then fillPoly, both with {@code value}. */
  public static void drawLisa(int[][] pts, byte[] img, int width, int height, byte value) {
    polylines(pts, true, img, width, height, value);
    fillPoly(pts, img, width, height, value);
  }

  /** OpenCV's {@code Line(img, pt1, pt2, color, 8)}: {@code LineIterator} with left-to-right order. */
  static void line(byte[] img, int width, int height, long x1, long y1, long x2, long y2, byte value) {
    if (Long.compareUnsigned(x1, width) >= 0 || Long.compareUnsigned(x2, width) >= 0
        || Long.compareUnsigned(y1, height) >= 0 || Long.compareUnsigned(y2, height) >= 0) {
      long[] c = {x1, y1, x2, y2};
      if (!clipLine(width, height, c)) {
        return;
      }
      x1 = c[0];
      y1 = c[1];
      x2 = c[2];
      y2 = c[3];
    }
    int px = (int) x1;
    int py = (int) y1;
    int dx = (int) (x2 - x1);
    int dy = (int) (y2 - y1);
    if (dx < 0) { // left to right: start from the other end
      dx = -dx;
      dy = -dy;
      px = (int) x2;
      py = (int) y2;
    }
    int stepX = 1;
    int stepY = 1;
    if (dy < 0) {
      dy = -dy;
      stepY = -1;
    }
    boolean vertical = dy > dx;
    if (vertical) {
      int t = dx;
      dx = dy;
      dy = t;
    }
    // the major axis always advances ("minus" step); the minor one when err < 0 ("plus" step)
    int majorX = vertical ? 0 : stepX;
    int majorY = vertical ? stepY : 0;
    int minorX = vertical ? stepX : 0;
    int minorY = vertical ? 0 : stepY;
    int err = dx - (dy + dy);
    int plusDelta = dx + dx;
    int minusDelta = -(dy + dy);
    int count = dx + 1;
    for (int i = 0; i < count; i++) {
      img[py * width + px] = value;
      boolean plus = err < 0;
      err += minusDelta + (plus ? plusDelta : 0);
      px += majorX + (plus ? minorX : 0);
      py += majorY + (plus ? minorY : 0);
    }
  }

  /**
   * OpenCV's {@code clipLine(Size, pt1, pt2)} on {@code {x1, y1, x2, y2}}, in place: true when some
   * part of the line is inside the image (the points are then the clipped ends).
   */
  static boolean clipLine(int width, int height, long[] p) {
    if (width <= 0 || height <= 0) {
      return false;
    }
    long right = width - 1;
    long bottom = height - 1;
    long x1 = p[0], y1 = p[1], x2 = p[2], y2 = p[3];
    int c1 = code(x1, y1, right, bottom);
    int c2 = code(x2, y2, right, bottom);
    if ((c1 & c2) == 0 && (c1 | c2) != 0) {
      long a;
      if ((c1 & 12) != 0) {
        a = c1 < 8 ? 0 : bottom;
        x1 += (a - y1) * (x2 - x1) / (y2 - y1);
        y1 = a;
        c1 = (x1 < 0 ? 1 : 0) + (x1 > right ? 2 : 0);
      }
      if ((c2 & 12) != 0) {
        a = c2 < 8 ? 0 : bottom;
        x2 += (a - y2) * (x2 - x1) / (y2 - y1);
        y2 = a;
        c2 = (x2 < 0 ? 1 : 0) + (x2 > right ? 2 : 0);
      }
      if ((c1 & c2) == 0 && (c1 | c2) != 0) {
        if (c1 != 0) {
          a = c1 == 1 ? 0 : right;
          y1 += (a - x1) * (y2 - y1) / (x2 - x1);
          x1 = a;
          c1 = 0;
        }
        if (c2 != 0) {
          a = c2 == 1 ? 0 : right;
          y2 += (a - x2) * (y2 - y1) / (x2 - x1);
          x2 = a;
          c2 = 0;
        }
      }
    }
    p[0] = x1;
    p[1] = y1;
    p[2] = x2;
    p[3] = y2;
    return (c1 | c2) == 0;
  }

  private static int code(long x, long y, long right, long bottom) {
    return (x < 0 ? 1 : 0) + (x > right ? 2 : 0) + (y < 0 ? 4 : 0) + (y > bottom ? 8 : 0);
  }

  /** A polygon edge in the scan: rows {@code y0 <= y < y1}, x in 16.16 fixed point. */
  private static final class Edge {
    int y0;
    int y1;
    long x;
    long dx;
    Edge next;
  }

  private static void collectPolyEdges(int[][] v, List<Edge> edges, byte[] img, int width, int height, byte value) {
    int n = v.length;
    long pt0x = (long) v[n - 1][0] << XY_SHIFT;
    long pt0y = v[n - 1][1];
    for (int i = 0; i < n; i++) {
      long pt1x = (long) v[i][0] << XY_SHIFT;
      long pt1y = v[i][1];
      // the edge as an 8-connected line (x rounded back from fixed point: the vertex itself)
      line(img, width, height, (pt0x + (XY_ONE >> 1)) >> XY_SHIFT, pt0y, (pt1x + (XY_ONE >> 1)) >> XY_SHIFT, pt1y, value);
      if (pt0y != pt1y) {
        // OpenCV 4.6 keeps the unclipped end points here; later releases restart edges that leave
        // the image from their clipped ends, which moves a few pixels of such polygons' fill
        // (the fixture's "beyond_*" cases tell the two apart)
        Edge e = new Edge();
        e.dx = (pt1x - pt0x) / (pt1y - pt0y);
        if (pt0y < pt1y) {
          e.y0 = (int) pt0y;
          e.y1 = (int) pt1y;
          e.x = pt0x;
        } else {
          e.y0 = (int) pt1y;
          e.y1 = (int) pt0y;
          e.x = pt1x;
        }
        edges.add(e);
      }
      pt0x = pt1x;
      pt0y = pt1y;
    }
  }

  private static void fillEdgeCollection(List<Edge> edges, byte[] img, int width, int height, byte value) {
    int total = edges.size();
    if (total < 2) {
      return;
    }
    int yMax = Integer.MIN_VALUE;
    int yMin = Integer.MAX_VALUE;
    long xMax = Long.MIN_VALUE;
    long xMin = Long.MAX_VALUE;
    for (Edge e1 : edges) {
      long x1 = e1.x + (long) (e1.y1 - e1.y0) * e1.dx;
      yMin = Math.min(yMin, e1.y0);
      yMax = Math.max(yMax, e1.y1);
      xMin = Math.min(xMin, Math.min(e1.x, x1));
      xMax = Math.max(xMax, Math.max(e1.x, x1));
    }
    if (yMax < 0 || yMin >= height || xMax < 0 || xMin >= ((long) width << XY_SHIFT)) {
      return;
    }
    // std::sort with CmpEdges: by y0, then x, then dx (equal keys are interchangeable)
    edges.sort((a, b) -> a.y0 != b.y0 ? Integer.compare(a.y0, b.y0)
        : a.x != b.x ? Long.compare(a.x, b.x) : Long.compare(a.dx, b.dx));
    Edge sentinel = new Edge();
    sentinel.y0 = Integer.MAX_VALUE;
    edges.add(sentinel);
    Edge tmp = new Edge(); // head of the active list
    int i = 0;
    Edge e = edges.get(0);
    yMax = Math.min(yMax, height);
    long delta = XY_ONE - 1;
    for (int y = e.y0; y < yMax; y++) {
      boolean draw = false;
      boolean clip = y < 0;
      Edge prelast = tmp;
      Edge last = tmp.next;
      while (last != null || e.y0 == y) {
        if (last != null && last.y1 == y) {
          // the edge ends on this row
          prelast.next = last.next;
          last = last.next;
          continue;
        }
        Edge keepPrelast = prelast;
        if (last != null && (e.y0 > y || last.x < e.x)) {
          prelast = last;
          last = last.next;
        } else if (i < total) {
          // the edge starts on this row: insert it
          prelast.next = e;
          e.next = last;
          prelast = e;
          e = edges.get(++i);
        } else {
          break;
        }
        if (draw) {
          if (!clip) {
            int x1;
            int x2;
            if (keepPrelast.x > prelast.x) {
              x1 = (int) ((prelast.x + delta) >> XY_SHIFT);
              x2 = (int) (keepPrelast.x >> XY_SHIFT);
            } else {
              x1 = (int) ((keepPrelast.x + delta) >> XY_SHIFT);
              x2 = (int) (prelast.x >> XY_SHIFT);
            }
            if (x1 < width && x2 >= 0) {
              x1 = Math.max(x1, 0);
              x2 = Math.min(x2, width - 1);
              int row = y * width;
              for (int x = x1; x <= x2; x++) {
                img[row + x] = value;
              }
            }
          }
          keepPrelast.x += keepPrelast.dx;
          prelast.x += prelast.dx;
        }
        draw = !draw;
      }
      // bubble sort of the active list by x (stable: swaps only strictly greater neighbours)
      Edge keep = null;
      do {
        prelast = tmp;
        last = tmp.next;
        Edge lastExchange = null;
        while (last != keep && last.next != null) {
          Edge te = last.next;
          if (last.x > te.x) {
            prelast.next = te;
            last.next = te.next;
            te.next = last;
            prelast = te;
            lastExchange = prelast;
          } else {
            prelast = last;
            last = te;
          }
        }
        if (lastExchange == null) {
          break;
        }
        keep = lastExchange;
      } while (keep != tmp.next && keep != tmp);
    }
  }
}
