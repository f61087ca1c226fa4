package io.llavaseg.shapeworld;

import java.util.SplittableRandom;

/**
 * A scene's background: solid, two-colour gradient, noise or a tiled texture (checkerboard or
 * stripes), all light or all dark, in low-saturation tones so that the 11 object colours stay
 * distinguishable from it.
 */
record Background(Kind kind, boolean dark, int[] c1, int[] c2, double angle, int tile, boolean stripes, int noise) {

  enum Kind {
    SOLID,
    GRADIENT,
    NOISE,
    TILED
  }

  static Background random(SplittableRandom rng) {
    Kind kind = Kind.values()[rng.nextInt(Kind.values().length)];
    boolean dark = rng.nextInt(3) == 0;
    int[] c1 = tone(rng, dark);
    int[] c2 = kind == Kind.GRADIENT || kind == Kind.TILED ? tone(rng, dark) : c1;
    if (kind == Kind.TILED) {
      // keep the tiles close in tone so that they read as texture, not as objects
      for (int i = 0; i < 3; i++) {
        c2[i] = clamp(c1[i] + (dark ? 18 : -18) + rng.nextInt(-6, 7));
      }
    }
    return new Background(
        kind, dark, c1, c2, rng.nextDouble(0, Math.PI * 2), rng.nextInt(8, 33), rng.nextBoolean(), rng.nextInt(8, 26));
  }

  /** Whether an object colour stands out from every tone of this background. */
  boolean contrasts(Colour colour) {
    int[] c = colour.rgb();
    return distance(c, c1) >= 120 && distance(c, c2) >= 120;
  }

  private static int distance(int[] a, int[] b) {
    return Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]);
  }

  private static int[] tone(SplittableRandom rng, boolean dark) {
    int base = dark ? rng.nextInt(30, 81) : rng.nextInt(175, 226);
    int tint = dark ? 12 : 15;
    return new int[] {
      clamp(base + rng.nextInt(-tint, tint + 1)),
      clamp(base + rng.nextInt(-tint, tint + 1)),
      clamp(base + rng.nextInt(-tint, tint + 1))
    };
  }

  static int clamp(int v) {
    return v < 0 ? 0 : Math.min(255, v);
  }
}
