package io.llavaseg.shapeworld;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.util.SplittableRandom;

/**
 * The backgrounds of rendering styles beyond the classic four: diagonal hatching, a dot grid and a
 * brick wall (two close tones, like the classic tiles, so they read as texture and not as objects),
 * and clutter: thin scribbles and specks in a background tone that are not shapes of the world.
 */
final class Textures {
  private Textures() {}

  /** Paints a HATCH, DOTS or BRICKS background into {@code px} ({@code w x h}, row-major RGB). */
  static void paint(Background bg, int[] px, int w, int h) {
    int[] a = bg.c1();
    int[] b = bg.c2();
    int ca = Renderer.rgb(a[0], a[1], a[2]);
    int cb = Renderer.rgb(b[0], b[1], b[2]);
    int t = bg.tile();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean mark = switch (bg.kind()) {
          case HATCH -> Math.floorMod(bg.stripes() ? x + y : x - y, t) < Math.max(2, t / 4);
          case DOTS -> {
            int dx = x % t - t / 2;
            int dy = y % t - t / 2;
            yield dx * dx + dy * dy <= (t * t) / 12;
          }
          case BRICKS -> {
            int row = y / Math.max(4, t / 2);
            int bx = (x + (row % 2) * t / 2) % t;
            yield y % Math.max(4, t / 2) < 2 || bx < 2;
          }
          default -> throw new IllegalStateException("not a texture: " + bg.kind());
        };
        px[y * w + x] = mark ? cb : ca;
      }
    }
  }

  /**
   * Draws 12 to 40 marks that belong to no object: open scribbles (3-6 point polylines, 1-2 px wide)
   * and specks (up to 3 px), in the background's tone shifted by 45-75 toward the other end.
   */
  static void clutter(Graphics2D g, Background bg, int w, int h, SplittableRandom rng) {
    int n = rng.nextInt(12, 41);
    for (int i = 0; i < n; i++) {
      int shift = rng.nextInt(45, 76) * (bg.dark() ? 1 : -1);
      int[] c = bg.c1();
      g.setColor(new Color(Background.clamp(c[0] + shift), Background.clamp(c[1] + shift), Background.clamp(c[2] + shift)));
      double x = rng.nextDouble(0, w);
      double y = rng.nextDouble(0, h);
      if (rng.nextInt(3) == 0) {
        double r = rng.nextDouble(1, 3);
        g.fill(new java.awt.geom.Ellipse2D.Double(x - r / 2, y - r / 2, r, r));
        continue;
      }
      Path2D.Double p = new Path2D.Double();
      p.moveTo(x, y);
      int points = rng.nextInt(3, 7);
      double step = Math.min(w, h) * rng.nextDouble(0.03, 0.08);
      double heading = rng.nextDouble(0, 2 * Math.PI);
      for (int k = 1; k < points; k++) {
        heading += rng.nextDouble(-1.2, 1.2);
        x += Math.cos(heading) * step;
        y += Math.sin(heading) * step;
        p.lineTo(x, y);
      }
      g.setStroke(new BasicStroke((float) rng.nextDouble(1, 2), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      g.draw(p);
    }
  }
}
