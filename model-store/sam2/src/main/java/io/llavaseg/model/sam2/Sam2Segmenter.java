package io.llavaseg.model.sam2;

import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.output.BoundingBox;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.modality.cv.output.Mask;
import ai.djl.modality.cv.translator.Sam2Translator.Sam2Input;
import ai.djl.translate.TranslateException;
import io.llavaseg.model.BinaryMask;
import io.llavaseg.model.ModelId;
import io.llavaseg.model.SegmentationResult;
import io.llavaseg.model.Segmenter;
import io.llavaseg.model.TargetAttributes;
import java.awt.image.BufferedImage;

/**
 * SAM 2 as a {@link Segmenter}: one per thread, wrapping its own DJL {@link Predictor} (with its own
 * {@code Sam2Translator}) over the model shared by a {@link Sam2Models#segmenter} handle.
 *
 * <p>SAM 2 is prompted geometrically, not with text: the target's box from the attributes when
 * present, otherwise a foreground point at the centre of the location's 3x3 grid cell ({@link
 * Sam2Prompt#of}, {@link LocationGrid}); the description and the colour/shape/size words are not
 * read. DJL's translator resizes the image to 1024x1024, runs the image encoder and the prompt
 * decoder, scales the best of SAM's candidate masks (by its predicted IoU) back to the image's size
 * and thresholds its logits at 0. The result is that mask with SAM's predicted IoU as the score
 * (clamped to [0, 1]); an empty mask, or no mask at all, gives score 0. Inference errors fail with
 * {@link IllegalStateException}.
 */
public final class Sam2Segmenter implements Segmenter {
  private final Predictor<Sam2Input, DetectedObjects> predictor;
  private final ModelId id;

  Sam2Segmenter(Predictor<Sam2Input, DetectedObjects> predictor, ModelId id) {
    this.predictor = predictor;
    this.id = id;
  }

  @Override
  public SegmentationResult segment(BufferedImage image, String description, TargetAttributes attributes) {
    int width = image.getWidth();
    int height = image.getHeight();
    Sam2Prompt prompt = Sam2Prompt.of(attributes, width, height);
    Image djlImage = ImageFactory.getInstance().fromImage(image);
    Sam2Input.Builder input = Sam2Input.builder(djlImage);
    if (prompt instanceof Sam2Prompt.Box b) {
      input.addBox(b.x0(), b.y0(), b.x1(), b.y1());
    } else if (prompt instanceof Sam2Prompt.Point p) {
      input.addPoint(p.x(), p.y());
    }
    long t0 = System.nanoTime();
    DetectedObjects out;
    try {
      out = predictor.predict(input.build());
    } catch (TranslateException | RuntimeException e) {
      throw new IllegalStateException("SAM 2 segmentation failed: " + e.getMessage(), e);
    }
    double ms = (System.nanoTime() - t0) / 1e6;
    if (out.getNumberOfObjects() == 0) {
      return new SegmentationResult(BinaryMask.empty(width, height), 0f, id, ms);
    }
    DetectedObjects.DetectedObject best = out.item(0);
    BinaryMask mask = toMask(best.getBoundingBox(), width, height);
    float score = mask.isEmpty() ? 0f : (float) Math.max(0, Math.min(1, best.getProbability()));
    return new SegmentationResult(mask, score, id, ms);
  }

  /** The translator's full-image mask (0/1 per pixel, {@code [height][width]}) as a BinaryMask. */
  static BinaryMask toMask(BoundingBox box, int width, int height) {
    if (!(box instanceof Mask m) || !m.isFullImageMask()) {
      throw new IllegalStateException("SAM 2 returned no full-image mask but " + box);
    }
    float[][] dist = m.getProbDist();
    if (dist.length != height || (height > 0 && dist[0].length != width)) {
      throw new IllegalStateException(
          "SAM 2 mask is " + (dist.length == 0 ? 0 : dist[0].length) + "x" + dist.length + ", image " + width + "x" + height);
    }
    byte[] pixels = new byte[width * height];
    for (int y = 0; y < height; y++) {
      float[] row = dist[y];
      for (int x = 0; x < width; x++) {
        pixels[y * width + x] = row[x] > 0.5f ? (byte) 1 : 0;
      }
    }
    return new BinaryMask(width, height, pixels);
  }

  @Override
  public ModelId modelId() {
    return id;
  }

  @Override
  public void close() {
    predictor.close();
  }
}
