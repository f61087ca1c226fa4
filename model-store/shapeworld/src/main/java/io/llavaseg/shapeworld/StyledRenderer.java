package io.llavaseg.shapeworld;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.TexturePaint;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.SplittableRandom;

/**
 * Paints a staged {@link Layout} in a non-classic {@link Look}: background (and clutter), warped
 * like the objects when the look tilts the scene; the objects (shaded, outlined, aliased as the
 * look says), the occluders on top; then scene light and artefacts: the classic mild ones (blur,
 * noise, JPEG, each with probability 0.3), followed by the look's own. The classic look is {@link
 * Renderer}'s alone. Nothing here moves an outline: an object's pixels are those its polygon covers.
 */
final class StyledRenderer {
  private StyledRenderer() {}

  static BufferedImage render(Layout layout, Look look, SplittableRandom rng) {
    int w = layout.width;
    int h = layout.height;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
    Renderer.paintBackground(layout.background, px, w, h, rng);
    if (look.clutter()) {
      Graphics2D g = graphics(img, true);
      try {
        Textures.clutter(g, layout.background, w, h, rng);
      } finally {
        g.dispose();
      }
    }
    if (layout.warp != null) {
      System.arraycopy(layout.warp.warp(px, w, h), 0, px, 0, px.length);
    }
    Graphics2D g = graphics(img, !look.aliased());
    try {
      for (SceneObject o : layout.objects) {
        drawObject(g, o, look, rng);
      }
      for (double[][] bar : layout.occluders) {
        g.setPaint(stripes(layout.background, rng));
        g.fill(path(bar));
      }
    } finally {
      g.dispose();
    }
    if (look.cast() > 0) {
      light(px, w, h, look.cast(), rng);
    }
    boolean blur = rng.nextDouble() < 0.3;
    boolean noise = rng.nextDouble() < 0.3;
    boolean jpeg = rng.nextDouble() < 0.3;
    double sigma = noise ? rng.nextDouble(2, 6) : 0;
    double quality = jpeg ? rng.nextDouble(0.75, 0.95) : 1;
    int passes = (blur ? 1 : 0) + (look.blurPasses() > 0 ? rng.nextInt(Math.max(1, look.blurPasses() - 2), look.blurPasses() + 1) : 0);
    if (look.noiseSigma() > 0) {
      sigma = Math.max(sigma, rng.nextDouble(look.noiseSigma() / 2, look.noiseSigma()));
    }
    if (look.jpegQuality() > 0) {
      quality = Math.min(quality, rng.nextDouble(look.jpegQuality() / 2, look.jpegQuality()));
    }
    for (int i = 0; i < passes; i++) {
      Renderer.blur(px, w, h);
    }
    if (sigma > 0) {
      Renderer.addNoise(px, sigma, rng);
    }
    return quality < 1 ? Renderer.jpegRoundTrip(img, (float) quality) : img;
  }

  private static Graphics2D graphics(BufferedImage img, boolean antialias) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING,
        antialias ? RenderingHints.VALUE_ANTIALIAS_ON : RenderingHints.VALUE_ANTIALIAS_OFF);
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    return g;
  }

  /**
   * Fills the object's polygon (a brightness ramp of +-shading across it in a random direction when
   * the look shades); an outlined look then strokes the inside of the outline (the stroke is clipped
   * to the polygon, so no pixel outside the object changes) in the colour at 55% brightness.
   */
  private static void drawObject(Graphics2D g, SceneObject o, Look look, SplittableRandom rng) {
    Path2D.Double path = path(o.polygon());
    int[] c = o.rgb();
    if (look.shading() > 0) {
      double a = rng.nextDouble(0, Math.PI * 2);
      double r = o.extent() / 2;
      int s = look.shading();
      g.setPaint(new GradientPaint(
          (float) (o.cx() - Math.cos(a) * r), (float) (o.cy() - Math.sin(a) * r), shifted(c, s),
          (float) (o.cx() + Math.cos(a) * r), (float) (o.cy() + Math.sin(a) * r), shifted(c, -s)));
    } else {
      g.setPaint(new Color(c[0], c[1], c[2]));
    }
    g.fill(path);
    if (look.outlined()) {
      java.awt.Shape clip = g.getClip();
      g.clip(path);
      g.setPaint(new Color((int) (c[0] * 0.55), (int) (c[1] * 0.55), (int) (c[2] * 0.55)));
      g.setStroke(new BasicStroke((float) (2 * Math.max(1.5, o.extent() * 0.06)), BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
      g.draw(path);
      g.setClip(clip);
    }
  }

  private static Color shifted(int[] c, int d) {
    return new Color(Background.clamp(c[0] + d), Background.clamp(c[1] + d), Background.clamp(c[2] + d));
  }

  /** Diagonal stripes in two background-like tones 35 and 60 away from the background's. */
  private static TexturePaint stripes(Background bg, SplittableRandom rng) {
    int t = rng.nextInt(4, 9);
    BufferedImage tile = new BufferedImage(2 * t, 2 * t, BufferedImage.TYPE_INT_RGB);
    int sign = bg.dark() ? 1 : -1;
    int[] c = bg.c1();
    int a = Renderer.rgb(c[0] + 35 * sign, c[1] + 35 * sign, c[2] + 35 * sign);
    int b = Renderer.rgb(c[0] + 60 * sign, c[1] + 60 * sign, c[2] + 60 * sign);
    for (int y = 0; y < 2 * t; y++) {
      for (int x = 0; x < 2 * t; x++) {
        tile.setRGB(x, y, ((x + y) / t) % 2 == 0 ? a : b);
      }
    }
    return new TexturePaint(tile, new Rectangle(0, 0, 2 * t, 2 * t));
  }

  /**
   * Scene light: a colour cast of up to +-amp/2 per channel and a brightness ramp of +-amp across
   * the image in a random direction, added to every pixel.
   */
  private static void light(int[] px, int w, int h, int amp, SplittableRandom rng) {
    int half = Math.max(1, amp / 2);
    int cr = rng.nextInt(-half, half + 1);
    int cg = rng.nextInt(-half, half + 1);
    int cb = rng.nextInt(-half, half + 1);
    double a = rng.nextDouble(0, Math.PI * 2);
    double dx = Math.cos(a) * amp / (w / 2.0);
    double dy = Math.sin(a) * amp / (h / 2.0);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int d = (int) Math.round((x - w / 2.0) * dx / Math.sqrt(2) + (y - h / 2.0) * dy / Math.sqrt(2));
        int p = px[y * w + x];
        px[y * w + x] = Renderer.rgb(((p >> 16) & 0xff) + cr + d, ((p >> 8) & 0xff) + cg + d, (p & 0xff) + cb + d);
      }
    }
  }

  private static Path2D.Double path(double[][] p) {
    Path2D.Double path = new Path2D.Double(Path2D.WIND_EVEN_ODD, p.length);
    path.moveTo(p[0][0], p[0][1]);
    for (int i = 1; i < p.length; i++) {
      path.lineTo(p[i][0], p[i][1]);
    }
    path.closePath();
    return path;
  }
}
