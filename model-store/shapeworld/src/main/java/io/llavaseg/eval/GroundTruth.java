package io.llavaseg.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Builds a ReasonSeg ground-truth label map exactly as LISA's {@code get_mask_from_json} does:
 * shapes labelled "flag" are skipped; every other polygon's points are cast to int32 (truncated
 * toward zero) and drawn with OpenCV's {@code polylines(..., True, value, 1)} then {@code
 * fillPoly(..., value)} (reproduced by {@link CvRaster}), value 255 for labels containing
 * "ignore" (left out of scoring, see {@link Iou}) and 1 otherwise; polygons are drawn largest
 * first, area being the pixel count of the polygon drawn alone that way, so smaller shapes drawn
 * later win. Equal areas are drawn in the order of {@code np.argsort(areas)[::-1]} with NumPy's
 * insertion sort for short arrays: the later shape in the file first. Outline pixels are part of
 * the mask, so a polygon covers its boundary pixels, and parts outside the image are clipped.
 */
public final class GroundTruth {
  public static final byte FOREGROUND = 1;
  public static final byte IGNORE = (byte) 255;

  private GroundTruth() {}

  /** A row-major {@code width x height} label map with values 0, 1 or 255. */
  public static byte[] labels(List<LabeledPolygon> shapes, int width, int height) {
    record Drawn(int[][] points, byte value, long area, int order) {}
    List<Drawn> drawn = new ArrayList<>();
    for (LabeledPolygon p : shapes) {
      if (p.isFlag()) {
        continue;
      }
      int[][] pts = CvRaster.toInt32(p.points());
      byte[] m = new byte[width * height];
      CvRaster.drawLisa(pts, m, width, height, (byte) 1);
      long area = 0;
      for (byte b : m) {
        area += b;
      }
      drawn.add(new Drawn(pts, p.isIgnore() ? IGNORE : FOREGROUND, area, drawn.size()));
    }
    drawn.sort(Comparator.comparingLong(Drawn::area).thenComparingInt(Drawn::order).reversed());
    byte[] labels = new byte[width * height];
    for (Drawn d : drawn) {
      CvRaster.drawLisa(d.points(), labels, width, height, d.value());
    }
    return labels;
  }
}
