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
 * (each independently: a 3x3 binomial blur with probability 0.3, Gaussian pixel noise of sigma 2-6
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
      blur(px, w, h);
    }
    if (noise) {
      addNoise(px, sigma, rng);
    }
    return jpeg ? jpegRoundTrip(img, quality) : img;
  }

  static void paintBackground(Background bg, int[] px, int w, int h, SplittableRandom rng) {
    int[] a = bg.c1();
    int[] b = bg.c2();
    switch (bg.kind()) {
      case SOLID -> java.util.Arrays.fill(px, rgb(a[0], a[1], a[2]));
      case GRADIENT -> {
        double dx = Math.cos(bg.angle());
        double dy = Math.sin(bg.angle());
        double min = Math.min(0, dx * w) + Math.min(0, dy * h);
        double span = Math.abs(dx * w) + Math.abs(dy * h);
        // t = (dx * x + dy * y - min) / span in 16.16 fixed point, stepped along each row
        int step = (int) Math.round(dx / span * 65536);
        for (int y = 0; y < h; y++) {
          int t = (int) Math.round((dy * y - min) / span * 65536);
          for (int x = 0, p = y * w; x < w; x++, p++, t += step) {
            int f = Math.max(0, Math.min(65536, t));
            px[p] = rgb(
                a[0] + (((b[0] - a[0]) * f) >> 16), a[1] + (((b[1] - a[1]) * f) >> 16), a[2] + (((b[2] - a[2]) * f) >> 16));
          }
        }
      }
      case NOISE -> {
        int amp = bg.noise();
        int range = 2 * amp + 1;
        long bits = 0;
        for (int i = 0; i < px.length; i++) {
          if ((i & 3) == 0) {
            bits = rng.nextLong();
          }
          int d = (int) (((bits & 0xffff) * range) >>> 16) - amp;
          bits >>>= 16;
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
      case HATCH, DOTS, BRICKS -> Textures.paint(bg, px, w, h);
      default -> throw new IllegalStateException();
    }
  }

  /**
   * A 3x3 binomial blur ([1 2 1] / 4 horizontally then vertically), edge pixels clamped; channels
   * are processed two at a time in 16-bit lanes.
   */
  static void blur(int[] px, int w, int h) {
    int[] tmp = new int[px.length];
    for (int y = 0; y < h; y++) {
      int row = y * w;
      for (int x = 0; x < w; x++) {
        tmp[row + x] = tap(px[row + (x == 0 ? 0 : x - 1)], px[row + x], px[row + (x == w - 1 ? x : x + 1)]);
      }
    }
    for (int y = 0; y < h; y++) {
      int up = (y == 0 ? 0 : y - 1) * w;
      int row = y * w;
      int down = (y == h - 1 ? y : y + 1) * w;
      for (int x = 0; x < w; x++) {
        px[row + x] = tap(tmp[up + x], tmp[row + x], tmp[down + x]);
      }
    }
  }

  private static int tap(int a, int b, int c) {
    int rb = (((a & 0xff00ff) + ((b & 0xff00ff) << 1) + (c & 0xff00ff)) >>> 2) & 0xff00ff;
    int g = (((a & 0xff00) + ((b & 0xff00) << 1) + (c & 0xff00)) >>> 2) & 0xff00;
    return rb | g;
  }

  /** Standard normal quantiles at 1024 evenly spaced probabilities: noise by table look-up. */
  private static final double[] NORMAL = normalTable(1024);

  private static double[] normalTable(int n) {
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = inverseNormal((i + 0.5) / n);
    }
    return t;
  }

  /** Acklam's rational approximation of the standard normal quantile (relative error below 1.2e-9). */
  private static double inverseNormal(double p) {
    double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
        -3.066479806614716e+01, 2.506628277459239e+00};
    double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
        -1.328068155288572e+01};
    double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
        4.374664141464968e+00, 2.938163982698783e+00};
    double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
    double q;
    if (p < 0.02425) {
      q = Math.sqrt(-2 * Math.log(p));
      return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - 0.02425) {
      return -inverseNormal(1 - p);
    }
    q = p - 0.5;
    double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }

  /** Adds Gaussian noise of the given sigma to every channel (one random long per pixel). */
  static void addNoise(int[] px, double sigma, SplittableRandom rng) {
    int[] table = new int[NORMAL.length];
    for (int i = 0; i < table.length; i++) {
      table[i] = (int) Math.round(NORMAL[i] * sigma);
    }
    for (int i = 0; i < px.length; i++) {
      long bits = rng.nextLong();
      int c = px[i];
      px[i] =
          rgb(
              ((c >> 16) & 0xff) + table[(int) (bits & 1023)],
              ((c >> 8) & 0xff) + table[(int) ((bits >>> 10) & 1023)],
              (c & 0xff) + table[(int) ((bits >>> 20) & 1023)]);
    }
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
        writer.write(null, new IIOImage(toBgr(img), null, null), param);
      } finally {
        writer.dispose();
      }
      BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
      return toIntRgb(decoded);
    } catch (IOException e) {
      throw new UncheckedIOException("JPEG round trip failed", e);
    }
  }

  /** A {@code TYPE_3BYTE_BGR} copy: the JPEG writer's fast path. */
  static BufferedImage toBgr(BufferedImage img) {
    BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    try {
      g.drawImage(img, 0, 0, null);
    } finally {
      g.dispose();
    }
    return out;
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

  static int rgb(int r, int g, int b) {
    return (Background.clamp(r) << 16) | (Background.clamp(g) << 8) | Background.clamp(b);
  }
}
