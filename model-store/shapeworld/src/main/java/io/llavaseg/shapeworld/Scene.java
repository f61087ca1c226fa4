package io.llavaseg.shapeworld;

import io.llavaseg.model.BinaryMask;
import java.util.List;

/**
 * A rendered scene's content: its size, its objects in paint order (later ones on top) and the
 * occluders painted over all of them ({@code {x, y}} polygons of distractor patches that are not
 * objects of the world; none in the classic style).
 */
public record Scene(int width, int height, List<SceneObject> objects, List<double[][]> occluders) {
  public Scene {
    objects = List.copyOf(objects);
    occluders = List.copyOf(occluders);
  }

  /** A scene without occluders. */
  public Scene(int width, int height, List<SceneObject> objects) {
    this(width, height, objects, List.of());
  }

  /**
   * The visible pixels of object {@code index}: its polygon minus every object painted after it and
   * every occluder, rasterised with {@link PolygonRaster} (the same mask a {@link Sample} carries
   * for its target).
   */
  public BinaryMask visibleMask(int index) {
    byte[] px = PolygonRaster.mask(objects.get(index).polygon(), width, height);
    for (int j = index + 1; j < objects.size(); j++) {
      PolygonRaster.fill(objects.get(j).polygon(), px, width, height, (byte) 0);
    }
    for (double[][] o : occluders) {
      PolygonRaster.fill(o, px, width, height, (byte) 0);
    }
    return new BinaryMask(width, height, px);
  }
}
