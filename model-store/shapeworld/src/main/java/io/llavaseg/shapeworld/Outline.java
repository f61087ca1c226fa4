package io.llavaseg.shapeworld;

import java.awt.geom.Area;
import java.awt.geom.Path2D;
import java.awt.geom.PathIterator;
import java.util.ArrayList;
import java.util.List;

/**
 * The visible outline of a scene object: its polygon minus the polygons of the objects painted
 * after it and of the scene's occluders, as one or more hole-free polygons (the generator never places an object wholly inside
 * an earlier one, nor an occluder wholly inside an object, so occlusion only bites into outlines). Rasterised with {@link PolygonRaster},
 * the pieces give the object's visible mask.
 */
public final class Outline {
  private Outline() {}

  /** The visible pieces of object {@code index}, largest first; empty when it is fully hidden. */
  public static List<double[][]> visible(Scene scene, int index) {
    List<SceneObject> objs = scene.objects();
    Area area = new Area(path(objs.get(index).polygon()));
    for (int i = index + 1; i < objs.size() && !area.isEmpty(); i++) {
      area.subtract(new Area(path(objs.get(i).polygon())));
    }
    for (double[][] o : scene.occluders()) {
      area.subtract(new Area(path(o)));
    }
    List<double[][]> pieces = new ArrayList<>();
    List<double[]> current = new ArrayList<>();
    double[] c = new double[6];
    for (PathIterator it = area.getPathIterator(null); !it.isDone(); it.next()) {
      switch (it.currentSegment(c)) {
        case PathIterator.SEG_MOVETO -> {
          flush(current, pieces);
          current.add(new double[] {c[0], c[1]});
        }
        case PathIterator.SEG_LINETO -> current.add(new double[] {c[0], c[1]});
        case PathIterator.SEG_CLOSE -> flush(current, pieces);
        default -> throw new IllegalStateException("curved segment in a polygon area");
      }
    }
    flush(current, pieces);
    pieces.sort((a, b) -> Double.compare(PolygonRaster.area(b), PolygonRaster.area(a)));
    return pieces;
  }

  private static void flush(List<double[]> current, List<double[][]> pieces) {
    if (current.size() >= 3) {
      pieces.add(current.toArray(new double[0][]));
    }
    current.clear();
  }

  private static Path2D.Double path(double[][] p) {
    Path2D.Double path = new Path2D.Double(Path2D.WIND_NON_ZERO, p.length);
    path.moveTo(p[0][0], p[0][1]);
    for (int i = 1; i < p.length; i++) {
      path.lineTo(p[i][0], p[i][1]);
    }
    path.closePath();
    return path;
  }
}
