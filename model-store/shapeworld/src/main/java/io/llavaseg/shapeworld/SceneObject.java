package io.llavaseg.shapeworld;

/**
 * One drawn object. {@code extent} is the longest side of the unrotated shape in pixels; {@code
 * polygon} is its outline ({@code {x, y}} vertices in pixels, a circle as a fine polygon) after
 * rotation by {@code rotationDeg} about ({@code cx}, {@code cy}); {@code rgb} is the jittered colour
 * actually drawn. Arrays are shared, not copied: do not modify them.
 */
public record SceneObject(
    Shape shape,
    Colour colour,
    Size size,
    Location location,
    double cx,
    double cy,
    double extent,
    double rotationDeg,
    double[][] polygon,
    int[] rgb) {

  /** "the yellow heart". */
  public String description() {
    return "the " + colour.word() + " " + shape.word();
  }

  /** "small yellow heart". */
  public String sizedName() {
    return size.word() + " " + colour.word() + " " + shape.word();
  }
}
