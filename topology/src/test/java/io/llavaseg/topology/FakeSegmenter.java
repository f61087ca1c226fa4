package io.llavaseg.topology;

import io.llavaseg.model.BinaryMask;
import io.llavaseg.model.ModelId;
import io.llavaseg.model.SegmentationResult;
import io.llavaseg.model.Segmenter;
import io.llavaseg.model.TargetAttributes;
import java.awt.image.BufferedImage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Deterministic test double of a segmenter: the mask is the image's top-left quarter (score 0.9);
 * shape "glitch" makes it throw, shape "wrongsize" returns a half-size mask, shape "noise" a
 * checkerboard (one RLE run per pixel: a record too large for a big image). Counts calls.
 */
public final class FakeSegmenter implements Segmenter {
  public static final ModelId ID = new ModelId("fake-segmenter", "t1", "cpu()");
  public static final AtomicInteger CALLS = new AtomicInteger();

  private boolean closed;

  public boolean isClosed() {
    return closed;
  }

  @Override
  public SegmentationResult segment(BufferedImage image, String description, TargetAttributes attributes) {
    if (closed) {
      throw new IllegalStateException("segmenter used after close");
    }
    CALLS.incrementAndGet();
    if (attributes.shape().equals("glitch")) {
      throw new IllegalStateException("segmenter glitch");
    }
    int w = image.getWidth();
    int h = image.getHeight();
    if (attributes.shape().equals("wrongsize")) {
      w /= 2;
      h /= 2;
    }
    if (attributes.shape().equals("noise")) {
      byte[] px = new byte[w * h];
      for (int i = 0; i < px.length; i++) {
        px[i] = (byte) (((i % w) + (i / w)) % 2);
      }
      return new SegmentationResult(new BinaryMask(w, h, px), 0.5f, ID, 2.0);
    }
    return new SegmentationResult(quarter(w, h), 0.9f, ID, 2.0);
  }

  /** The expected mask: the top-left quarter of a w x h image. */
  public static BinaryMask quarter(int w, int h) {
    byte[] px = new byte[w * h];
    for (int y = 0; y < h / 2; y++) {
      for (int x = 0; x < w / 2; x++) {
        px[y * w + x] = 1;
      }
    }
    return new BinaryMask(w, h, px);
  }

  @Override
  public ModelId modelId() {
    return ID;
  }

  @Override
  public void close() {
    closed = true;
  }
}
