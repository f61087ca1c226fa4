package io.llavaseg.training.segmenter;

import io.llavaseg.eval.ReasonSegWriter;
import io.llavaseg.model.BinaryMask;
import io.llavaseg.shapeworld.Scene;

/**
 * How the masks a segmenter learns are drawn from an object's outline. {@link #PIXEL_CENTRES}: the
 * generator's own masks (a pixel is in when its centre is), what segmenter v1 learnt; {@link #LISA}:
 * the outline drawn as LISA's {@code get_mask_from_json} draws a ReasonSeg polygon (OpenCV's
 * polylines then fillPoly, so the outline's pixels are in), what the evaluation scores against.
 */
public enum MaskRaster {
  PIXEL_CENTRES,
  LISA;

  /** Object {@code index}'s visible region in {@code scene}, drawn this way. */
  public BinaryMask mask(Scene scene, int index, int width, int height) {
    return this == LISA ? ReasonSegWriter.groundTruth(scene, index, width, height) : scene.visibleMask(index);
  }

  /** "pixel-centres" or "lisa", as the command line and training.properties name it. */
  public String cliName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  public static MaskRaster parse(String s) {
    return valueOf(s.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
  }
}
