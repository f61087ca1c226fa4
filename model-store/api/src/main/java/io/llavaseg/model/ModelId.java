package io.llavaseg.model;

/**
 * Identifies the model that produced a result: a name (e.g. {@code shapeworld-segmenter}), its
 * version (the model folder's name, e.g. {@code v1}; for a served model the part of its name after
 * a colon, {@code llava:7b}, else {@code -}), the device it ran on ({@code cpu()}, {@code gpu(0)},
 * or a server's {@code host:port}) and the backend that ran it ({@code djl}, {@code openai}, {@code
 * sam2}). Every output record carries the ids of the models that produced it.
 */
public record ModelId(String name, String version, String device, String backend) {

  /** The backend of the project's own model folders. */
  public static final String DJL = "djl";

  /** A model run by the {@link #DJL} backend. */
  public ModelId(String name, String version, String device) {
    this(name, version, device, DJL);
  }

  /** {@code name:version@device}, with {@code via backend} when it is not {@link #DJL}. */
  @Override
  public String toString() {
    return name + ":" + version + "@" + device + (DJL.equals(backend) ? "" : " via " + backend);
  }
}
