package io.llavaseg.model;

/**
 * Identifies the model that produced a result: a name (e.g. {@code shapeworld-segmenter}), its
 * version (the model folder's name, e.g. {@code v1}) and the device it ran on ({@code cpu()},
 * {@code gpu(0)}). Every output record carries the ids of the models that produced it.
 */
public record ModelId(String name, String version, String device) {
  @Override
  public String toString() {
    return name + ":" + version + "@" + device;
  }
}
