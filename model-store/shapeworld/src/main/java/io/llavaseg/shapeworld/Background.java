package io.llavaseg.shapeworld;

import java.util.SplittableRandom;

/**
 * A scene's background: solid, two-colour gradient, noise or a tiled texture (checkerboard or
 * stripes), all light or all dark, in low-saturation tones so that the 11 object colours stay
 * distinguishable from it.
 */
record Background(Kind kind, boolean dark, int[] c1, int[] c2, double angle, int tile, boolean stripes, int noise) {

  /** SOLID to TILED are the classic kinds; HATCH, DOTS and BRICKS are textures of rendering styles. */
  enum Kind {
    SOLID,
    GRADIENT,
    NOISE,
    TILED,
    HATCH,
    DOTS,
    BRICKS;

    boolean textured() {
      return this == TILED || this == HATCH || this == DOTS || this == BRICKS;
    }
  }

  private static final Kind[] CLASSIC = {Kind.SOLID, Kind.GRADIENT, Kind.NOISE, Kind.TILED};

  /** The classic style's background: one of the four classic kinds. */
  static Background random(SplittableRandom rng) {
    return random(rng, CLASSIC[rng.nextInt(CLASSIC.length)]);
  }

  /** A background of the given kind, its tones drawn as the classic style draws them. */
  static Background random(SplittableRandom rng, Kind kind) {
    boolean dark = rng.nextInt(3) == 0;
    int[] c1 = tone(rng, dark);
    int[] c2 = kind == Kind.GRADIENT || kind.textured() ? tone(rng, dark) : c1;
    if (kind.textured()) {
      // keep the tiles close in tone so that they read as texture, not as objects
      for (int i = 0; i < 3; i++) {
        c2[i] = clamp(c1[i] + (dark ? 18 : -18) + rng.nextInt(-6, 7));
      }
    }
    return new Background(
        kind, dark, c1, c2, rng.nextDouble(0, Math.PI * 2), rng.nextInt(8, 33), rng.nextBoolean(), rng.nextInt(8, 26));
  }

  /**
   * A two-tone gradient of one hue from light to a shade 45-80 darker (or dark to lighter), wider
   * than the classic gradient's.
   */
  static Background strongGradient(SplittableRandom rng) {
    boolean dark = rng.nextInt(3) == 0;
    int[] c1 = tone(rng, dark);
    int step = rng.nextInt(45, 81) * (dark ? 1 : -1);
    int[] c2 = {clamp(c1[0] + step), clamp(c1[1] + step), clamp(c1[2] + step)};
    return new Background(Kind.GRADIENT, dark, c1, c2, rng.nextDouble(0, Math.PI * 2), 16, false, 0);
  }

  /** This background with noise of amplitude {@code amp} (a NOISE background). */
  Background withNoise(int amp) {
    return new Background(Kind.NOISE, dark, c1, c1, angle, tile, stripes, amp);
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
