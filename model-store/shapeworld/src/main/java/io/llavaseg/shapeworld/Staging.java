package io.llavaseg.shapeworld;

import java.util.SplittableRandom;

/**
 * Applies a {@link Look}'s geometry to a layout before its queries are written: the tilt/keystone
 * (objects, their locations and masks move with the image) and the distractor bars (occluders)
 * painted over the objects. Queries, masks and scenes are then made from the staged layout.
 */
final class Staging {
  private Staging() {}

  /** The staged layout, or null when the look's geometry cannot keep this one valid (redraw). */
  static Layout stage(Layout layout, Look look, SplittableRandom rng) {
    Layout l = layout;
    if (look.tiltDeg() > 0 || look.perspective() > 0) {
      l = l.warped(Homography.random(rng, l.width, l.height, look.tiltDeg(), look.perspective()));
      if (l == null) {
        return null;
      }
    }
    if (look.occluders() > 0) {
      int n = rng.nextInt(1, look.occluders() + 1);
      for (int i = 0, tries = 0; i < n && tries < 30; tries++) {
        if (l.occlude(bar(l, rng))) {
          i++;
        }
      }
    }
    return l;
  }

  /**
   * An elongated bar (3-5 times as long as wide, so it is no square or diamond of the world)
   * crossing near the edge of a random object.
   */
  private static double[][] bar(Layout l, SplittableRandom rng) {
    SceneObject o = l.objects.get(rng.nextInt(l.objects.size()));
    double angle = rng.nextDouble(0, Math.PI * 2);
    double reach = o.extent() * rng.nextDouble(0.35, 0.6);
    double cx = o.cx() + Math.cos(angle) * reach;
    double cy = o.cy() + Math.sin(angle) * reach;
    double length = o.extent() * rng.nextDouble(0.6, 1.0);
    double width = length / rng.nextDouble(3, 5);
    double t = rng.nextDouble(0, Math.PI);
    double ux = Math.cos(t) * length / 2;
    double uy = Math.sin(t) * length / 2;
    double vx = -Math.sin(t) * width / 2;
    double vy = Math.cos(t) * width / 2;
    return new double[][] {
      {cx - ux - vx, cy - uy - vy}, {cx + ux - vx, cy + uy - vy}, {cx + ux + vx, cy + uy + vy}, {cx - ux + vx, cy - uy + vy}
    };
  }
}
