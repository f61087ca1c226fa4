package io.llavaseg.shapeworld;

import java.util.List;

/** A rendered scene's content: its size and its objects in paint order (later ones on top). */
public record Scene(int width, int height, List<SceneObject> objects) {
  public Scene {
    objects = List.copyOf(objects);
  }
}
