package io.llavaseg.model.segmenter;

import io.llavaseg.model.BinaryMask;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Fits an image of any size and aspect ratio into the model's square input and maps the model's
 * mask logits back. The image is scaled to fit (longest side = {@code size}, by repeated halving
 * then one bilinear step, so large images are averaged rather than aliased) and centred; the
 * padding is zero after normalisation. Two coordinate channels give each cell's position relative
 * to the image content ({@code -1..1} inside it, beyond that in the padding), so locations such
 * as "top left" mean the same on any aspect ratio. Logits go back by bilinear interpolation over
 * the content region to every pixel of the original size.
 *
 * @param size the model's input side
 * @param width original image width
 * @param height original image height
 * @param contentWidth width of the scaled image inside the square
 * @param contentHeight height of the scaled image inside the square
 * @param offsetX left padding
 * @param offsetY top padding
 */
public record Letterbox(
    int size, int width, int height, int contentWidth, int contentHeight, int offsetX, int offsetY) {

  static final float MEAN = 0.5f;
  static final float STD = 0.25f;

  public static Letterbox of(int size, int width, int height) {
    double scale = (double) size / Math.max(width, height);
    int cw = Math.max(1, Math.min(size, (int) Math.round(width * scale)));
    int ch = Math.max(1, Math.min(size, (int) Math.round(height * scale)));
    return new Letterbox(size, width, height, cw, ch, (size - cw) / 2, (size - ch) / 2);
  }

  /** The model input: 5 channels (R, G, B normalised; x, y coordinates) of size x size, CHW. */
  public float[] toInput(BufferedImage image) {
    BufferedImage scaled = scale(image, contentWidth, contentHeight);
    int s = size;
    int plane = s * s;
    float[] data = new float[5 * plane];
    int[] rgb = scaled.getRGB(0, 0, contentWidth, contentHeight, null, 0, contentWidth);
    for (int y = 0; y < contentHeight; y++) {
      int row = (y + offsetY) * s + offsetX;
      for (int x = 0; x < contentWidth; x++) {
        int p = rgb[y * contentWidth + x];
        int i = row + x;
        data[i] = (((p >> 16) & 0xff) / 255f - MEAN) / STD;
        data[plane + i] = (((p >> 8) & 0xff) / 255f - MEAN) / STD;
        data[2 * plane + i] = ((p & 0xff) / 255f - MEAN) / STD;
      }
    }
    for (int y = 0; y < s; y++) {
      float cy = (y + 0.5f - offsetY) / contentHeight * 2f - 1f;
      for (int x = 0; x < s; x++) {
        float cx = (x + 0.5f - offsetX) / contentWidth * 2f - 1f;
        data[3 * plane + y * s + x] = cx;
        data[4 * plane + y * s + x] = cy;
      }
    }
    return data;
  }

  /** Scales to exactly w x h: halving steps while the source is at least twice as big, then bilinear. */
  static BufferedImage scale(BufferedImage src, int w, int h) {
    BufferedImage cur = src;
    int cw = src.getWidth();
    int ch = src.getHeight();
    while (cw / 2 >= w && ch / 2 >= h && (cw > w || ch > h)) {
      cw /= 2;
      ch /= 2;
      cur = draw(cur, cw, ch);
    }
    if (cw != w || ch != h || cur.getType() != BufferedImage.TYPE_INT_RGB) {
      cur = draw(cur, w, h);
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

  /** A ground-truth mask at the original size, reduced to the model grid (area coverage >= 0.5). */
  public float[] toTarget(BinaryMask mask) {
    float[] out = new float[size * size];
    double sx = (double) width / contentWidth;
    double sy = (double) height / contentHeight;
    for (int gy = 0; gy < contentHeight; gy++) {
      int y0 = (int) Math.floor(gy * sy);
      int y1 = Math.max(y0 + 1, (int) Math.floor((gy + 1) * sy));
      for (int gx = 0; gx < contentWidth; gx++) {
        int x0 = (int) Math.floor(gx * sx);
        int x1 = Math.max(x0 + 1, (int) Math.floor((gx + 1) * sx));
        int on = 0;
        int n = 0;
        for (int y = y0; y < Math.min(y1, height); y++) {
          for (int x = x0; x < Math.min(x1, width); x++) {
            on += mask.get(x, y) ? 1 : 0;
            n++;
          }
        }
        out[(gy + offsetY) * size + gx + offsetX] = n > 0 && on * 2 >= n ? 1f : 0f;
      }
    }
    return out;
  }

  /**
   * The mask at the original size from size x size logits: bilinear over the content region, set
   * where the interpolated logit exceeds {@code logitThreshold}.
   */
  public BinaryMask toMask(float[] logits, float logitThreshold) {
    int[] x0 = new int[width];
    int[] x1 = new int[width];
    float[] wx = new float[width];
    for (int x = 0; x < width; x++) {
      float u = (x + 0.5f) * contentWidth / width - 0.5f;
      u = Math.max(0f, Math.min(contentWidth - 1f, u));
      x0[x] = (int) Math.floor(u);
      x1[x] = Math.min(contentWidth - 1, x0[x] + 1);
      wx[x] = u - x0[x];
      x0[x] += offsetX;
      x1[x] += offsetX;
    }
    byte[] px = new byte[width * height];
    for (int y = 0; y < height; y++) {
      float v = (y + 0.5f) * contentHeight / height - 0.5f;
      v = Math.max(0f, Math.min(contentHeight - 1f, v));
      int y0 = (int) Math.floor(v);
      int y1 = Math.min(contentHeight - 1, y0 + 1);
      float wy = v - y0;
      int r0 = (y0 + offsetY) * size;
      int r1 = (y1 + offsetY) * size;
      int out = y * width;
      for (int x = 0; x < width; x++) {
        float top = logits[r0 + x0[x]] * (1 - wx[x]) + logits[r0 + x1[x]] * wx[x];
        float bottom = logits[r1 + x0[x]] * (1 - wx[x]) + logits[r1 + x1[x]] * wx[x];
        if (top * (1 - wy) + bottom * wy > logitThreshold) {
          px[out + x] = 1;
        }
      }
    }
    return new BinaryMask(width, height, px);
  }

  /** Mean probability of the content cells above the threshold; 0 when there are none. */
  public float score(float[] logits, float logitThreshold) {
    double sum = 0;
    int n = 0;
    for (int y = offsetY; y < offsetY + contentHeight; y++) {
      for (int x = offsetX; x < offsetX + contentWidth; x++) {
        float l = logits[y * size + x];
        if (l > logitThreshold) {
          sum += 1.0 / (1.0 + Math.exp(-l));
          n++;
        }
      }
    }
    return n == 0 ? 0f : (float) (sum / n);
  }
}
