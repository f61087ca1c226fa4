package io.llavaseg.shapeworld;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Paints a {@link Layout}: background, antialiased objects in paint order, then mild artefacts
 * (each independently: a 3x3 box blur with probability 0.3, Gaussian pixel noise of sigma 2-6
 * with probability 0.3, a JPEG round trip at quality 0.75-0.95 with probability 0.3).
 */
final class Renderer {
  private Renderer() {}

  static BufferedImage render(Layout layout, SplittableRandom rng) {
    int w = layout.width;
    int h = layout.height;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
    paintBackground(layout.background, px, w, h, rng);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      for (SceneObject o : layout.objects) {
        Path2D.Double path = new Path2D.Double(Path2D.WIND_EVEN_ODD, o.polygon().length);
        double[][] p = o.polygon();
        path.moveTo(p[0][0], p[0][1]);
        for (int i = 1; i < p.length; i++) {
          path.lineTo(p[i][0], p[i][1]);
        }
        path.closePath();
        g.setColor(new Color(o.rgb()[0], o.rgb()[1], o.rgb()[2]));
        g.fill(path);
      }
    } finally {
      g.dispose();
    }
    boolean blur = rng.nextDouble() < 0.3;
    boolean noise = rng.nextDouble() < 0.3;
    boolean jpeg = rng.nextDouble() < 0.3;
    double sigma = rng.nextDouble(2, 6);
    float quality = (float) rng.nextDouble(0.75, 0.95);
    if (blur) {
      boxBlur(px, w, h);
    }
    if (noise) {
      addNoise(px, sigma, rng);
    }
    return jpeg ? jpegRoundTrip(img, quality) : img;
  }

  private static void paintBackground(Background bg, int[] px, int w, int h, SplittableRandom rng) {
    int[] a = bg.c1();
    int[] b = bg.c2();
    switch (bg.kind()) {
      case SOLID -> java.util.Arrays.fill(px, rgb(a[0], a[1], a[2]));
      case GRADIENT -> {
        double dx = Math.cos(bg.angle());
        double dy = Math.sin(bg.angle());
        double min = Math.min(0, dx * w) + Math.min(0, dy * h);
        double span = Math.abs(dx * w) + Math.abs(dy * h);
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            double t = (dx * x + dy * y - min) / span;
            px[y * w + x] =
                rgb(
                    (int) (a[0] + t * (b[0] - a[0])),
                    (int) (a[1] + t * (b[1] - a[1])),
                    (int) (a[2] + t * (b[2] - a[2])));
          }
        }
      }
      case NOISE -> {
        int amp = bg.noise();
        for (int i = 0; i < px.length; i++) {
          int d = rng.nextInt(-amp, amp + 1);
          px[i] = rgb(a[0] + d, a[1] + d, a[2] + d);
        }
      }
      case TILED -> {
        int t = bg.tile();
        int ca = rgb(a[0], a[1], a[2]);
        int cb = rgb(b[0], b[1], b[2]);
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            boolean odd = bg.stripes() ? ((x + y) / t) % 2 == 1 : ((x / t) + (y / t)) % 2 == 1;
            px[y * w + x] = odd ? cb : ca;
          }
        }
      }
      default -> throw new IllegalStateException();
    }
  }

  private static void boxBlur(int[] px, int w, int h) {
    int[] src = px.clone();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r = 0, g = 0, b = 0, n = 0;
        for (int yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++) {
          for (int xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) {
            int c = src[yy * w + xx];
            r += (c >> 16) & 0xff;
            g += (c >> 8) & 0xff;
            b += c & 0xff;
            n++;
          }
        }
        px[y * w + x] = rgb(r / n, g / n, b / n);
      }
    }
  }

  private static void addNoise(int[] px, double sigma, SplittableRandom rng) {
    for (int i = 0; i < px.length; i++) {
      int c = px[i];
      px[i] =
          rgb(
              ((c >> 16) & 0xff) + (int) Math.round(gauss(rng) * sigma),
              ((c >> 8) & 0xff) + (int) Math.round(gauss(rng) * sigma),
              (c & 0xff) + (int) Math.round(gauss(rng) * sigma));
    }
  }

  /** An approximately standard normal variate (sum of 4 uniforms, rescaled): cheap and bounded. */
  private static double gauss(SplittableRandom rng) {
    return (rng.nextDouble() + rng.nextDouble() + rng.nextDouble() + rng.nextDouble() - 2) * 1.7320508;
  }

  static BufferedImage jpegRoundTrip(BufferedImage img, float quality) {
    try {
      ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
        writer.setOutput(out);
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        writer.write(null, new IIOImage(img, null, null), param);
      } finally {
        writer.dispose();
      }
      BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
      return toIntRgb(decoded);
    } catch (IOException e) {
      throw new UncheckedIOException("JPEG round trip failed", e);
    }
  }

  /** The image as {@code TYPE_INT_RGB} (the same object when it already is). */
  static BufferedImage toIntRgb(BufferedImage img) {
    if (img.getType() == BufferedImage.TYPE_INT_RGB) {
      return img;
    }
    BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.drawImage(img, 0, 0, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static int rgb(int r, int g, int b) {
    return (Background.clamp(r) << 16) | (Background.clamp(g) << 8) | Background.clamp(b);
  }
}
