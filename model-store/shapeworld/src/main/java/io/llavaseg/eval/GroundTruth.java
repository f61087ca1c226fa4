package io.llavaseg.eval;

import io.llavaseg.shapeworld.PolygonRaster;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Builds a ReasonSeg ground-truth label map the way LISA's {@code get_mask_from_json} does: shapes
 * labelled "flag" are skipped, the others are filled largest first (area = filled pixels; ties keep
 * the file's order) so that smaller shapes drawn later win, with value 255 for labels containing
 * "ignore" and 1 otherwise. Filling uses {@link PolygonRaster} (even-odd rule at pixel centres on
 * the exact coordinates); LISA truncates points to integers and also sets the pixels its outline
 * touches, so masks of real ReasonSeg polygons can differ from LISA's along boundaries.
 */
public final class GroundTruth {
  public static final byte FOREGROUND = 1;
  public static final byte IGNORE = (byte) 255;

  private GroundTruth() {}

  /** A row-major {@code width x height} label map with values 0, 1 or 255. */
  public static byte[] labels(List<LabeledPolygon> shapes, int width, int height) {
    record Filled(LabeledPolygon shape, long area, int order) {}
    List<Filled> filled = new ArrayList<>();
    for (LabeledPolygon p : shapes) {
      if (p.isFlag()) {
        continue;
      }
      byte[] m = PolygonRaster.mask(p.points(), width, height);
      long area = 0;
      for (byte b : m) {
        area += b;
      }
      filled.add(new Filled(p, area, filled.size()));
    }
    filled.sort(Comparator.comparingLong(Filled::area).reversed().thenComparingInt(Filled::order));
    byte[] labels = new byte[width * height];
    for (Filled f : filled) {
      PolygonRaster.fill(f.shape().points(), labels, width, height, f.shape().isIgnore() ? IGNORE : FOREGROUND);
    }
    return labels;
  }
}
