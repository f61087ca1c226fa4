package io.llavaseg.model.sam2;

import io.llavaseg.model.NormalizedBox;
import io.llavaseg.model.TargetAttributes;

/**
 * The one prompt SAM 2 gets for a target, in pixels of the image: the reasoner's box when it gave
 * one ({@link Box}), otherwise a foreground point at the centre of the location's grid cell ({@link
 * Point}, see {@link LocationGrid}; no attributes or no location means the image centre). The
 * description, colour, shape and size are not prompts SAM 2 can read.
 */
public sealed interface Sam2Prompt {

  /** A box prompt: top-left {@code (x0, y0)} and bottom-right {@code (x1, y1)} corners in pixels. */
  record Box(int x0, int y0, int x1, int y1) implements Sam2Prompt {}

  /** A foreground point prompt in pixels. */
  record Point(int x, int y) implements Sam2Prompt {}

  /** The prompt for {@code attributes} (null allowed) on a {@code width} x {@code height} image. */
  static Sam2Prompt of(TargetAttributes attributes, int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
    }
    NormalizedBox box = attributes == null ? null : attributes.box();
    if (box != null) {
      double[] px = box.toPixels(width, height);
      int x0 = (int) Math.floor(px[0]);
      int y0 = (int) Math.floor(px[1]);
      // at least one pixel wide and high, inside the image
      int x1 = Math.max(x0 + 1, Math.min(width, (int) Math.ceil(px[2])));
      int y1 = Math.max(y0 + 1, Math.min(height, (int) Math.ceil(px[3])));
      return new Box(x0, y0, x1, y1);
    }
    int[] p = LocationGrid.pixel(attributes == null ? "" : attributes.location(), width, height);
    return new Point(p[0], p[1]);
  }
}
