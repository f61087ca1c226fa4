package io.llavaseg.shapeworld;

import io.llavaseg.model.BinaryMask;
import java.util.List;

/** A rendered scene's content: its size and its objects in paint order (later ones on top). */
public record Scene(int width, int height, List<SceneObject> objects) {
  public Scene {
    objects = List.copyOf(objects);
  }

  /**
   * The visible pixels of object {@code index}: its polygon minus every object painted after it,
   * rasterised with {@link PolygonRaster} (the same mask a {@link Sample} carries for its target).
   */
  public BinaryMask visibleMask(int index) {
    byte[] px = PolygonRaster.mask(objects.get(index).polygon(), width, height);
    for (int j = index + 1; j < objects.size(); j++) {
      PolygonRaster.fill(objects.get(j).polygon(), px, width, height, (byte) 0);
    }
    return new BinaryMask(width, height, px);
  }
}
