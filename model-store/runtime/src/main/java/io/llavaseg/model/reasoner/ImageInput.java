package io.llavaseg.model.reasoner;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Turns any image into the encoder's input: resized (area-averaged, aspect ratio not kept, so the
 * image's thirds stay the location grid's thirds) to {@code size x size}, RGB scaled to [-1, 1],
 * channel-major {@code (3, size, size)}. Training and serving call the same code. Handles any
 * {@link BufferedImage} type; alpha is ignored.
 */
public final class ImageInput {
  private ImageInput() {}

  public static float[] pixels(BufferedImage image, int size) {
    float[] out = new float[3 * size * size];
    pixels(image, size, out, 0);
    return out;
  }

  /** Writes the {@code 3*size*size} values at {@code offset} of {@code out}. */
  public static void pixels(BufferedImage image, int size, float[] out, int offset) {
    BufferedImage small = resize(image, size);
    int[] rgb = small.getRGB(0, 0, size, size, null, 0, size);
    int plane = size * size;
    for (int i = 0; i < plane; i++) {
      int p = rgb[i];
      out[offset + i] = ((p >> 16) & 0xff) / 127.5f - 1f;
      out[offset + plane + i] = ((p >> 8) & 0xff) / 127.5f - 1f;
      out[offset + 2 * plane + i] = (p & 0xff) / 127.5f - 1f;
    }
  }

  private static BufferedImage resize(BufferedImage src, int size) {
    BufferedImage cur = src;
    int w = src.getWidth();
    int h = src.getHeight();
    // halve with bilinear filtering while more than twice too large: an area-average approximation
    while (w >= 2 * size || h >= 2 * size) {
      int nw = Math.max(size, w / 2);
      int nh = Math.max(size, h / 2);
      cur = draw(cur, nw, nh);
      w = nw;
      h = nh;
    }
    if (w != size || h != size || cur.getType() != BufferedImage.TYPE_INT_RGB) {
      cur = draw(cur, size, size);
    }
    return cur;
  }

  private static BufferedImage draw(BufferedImage src, int w, int h) {
    BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = dst.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(src, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return dst;
  }
}
