package io.llavaseg.shapeworld;

import java.util.SplittableRandom;

/**
 * What a rendering {@link Style} changes, as plain parameters (zero or false: as the classic
 * style). Every effect keeps masks exact: geometry moves the outlines the masks are drawn from,
 * occluders are subtracted from the visible regions, and pixel effects (blur, noise, JPEG, light)
 * change no outline.
 *
 * @param framing the image size: the world's own, varied per sample, or a 4:3 camera frame
 * @param backdrop the background: classic (drawn as always), or one kind forced
 * @param clutter thin scribbles and specks on the background that are no objects
 * @param outlined each shape drawn with a stroke inside its outline in a darker shade of its colour
 * @param aliased shapes filled without anti-aliasing
 * @param shading per-object brightness ramp, +-this much per channel across the object
 * @param cast scene lighting: a colour cast and a brightness ramp across the image, up to this much
 * @param blurPasses extra 3x3 binomial blur passes, drawn from {@code blurPasses-2 .. blurPasses}
 * @param noiseSigma extra Gaussian noise, sigma drawn from {@code noiseSigma/2 .. noiseSigma}
 * @param jpegQuality a JPEG round trip at a quality drawn from {@code jpegQuality/2 .. jpegQuality}
 * @param tiltDeg whole-scene rotation about the centre, up to this many degrees either way
 * @param perspective each image corner moved by up to this fraction of the side (a keystone)
 * @param occluders up to this many distractor patches painted over the objects
 */
public record Look(
    Framing framing,
    Backdrop backdrop,
    boolean clutter,
    boolean outlined,
    boolean aliased,
    int shading,
    int cast,
    int blurPasses,
    double noiseSigma,
    double jpegQuality,
    double tiltDeg,
    double perspective,
    int occluders) {

  /** The image size of a sample. */
  public enum Framing {
    /** The world's width and height. */
    WORLD,
    /** Per sample: long side 160-640, short side 120-480 (half to all of the long one), a third portrait. */
    VARIED,
    /** Per sample: 320x240, 480x360 or 640x480. */
    CAMERA;

    int[] size(SplittableRandom rng, int width, int height) {
      return switch (this) {
        case WORLD -> new int[] {width, height};
        case VARIED -> {
          int longSide = rng.nextInt(160, 641);
          int shortSide = Math.max(120, Math.min(480, (int) Math.round(longSide * rng.nextDouble(0.5, 1.0))));
          yield rng.nextInt(3) == 0 ? new int[] {shortSide, longSide} : new int[] {longSide, shortSide};
        }
        case CAMERA -> {
          int k = rng.nextInt(3);
          yield new int[] {320 + 160 * k, 240 + 120 * k};
        }
      };
    }
  }

  /** The background. */
  public enum Backdrop {
    CLASSIC,
    STRONG_GRADIENT,
    STRONG_NOISE,
    HATCH_OR_DOTS,
    BRICKS;

    Background draw(SplittableRandom rng) {
      return switch (this) {
        case CLASSIC -> Background.random(rng);
        case STRONG_GRADIENT -> Background.strongGradient(rng);
        case STRONG_NOISE -> Background.random(rng, Background.Kind.SOLID).withNoise(rng.nextInt(25, 46));
        case HATCH_OR_DOTS -> Background.random(rng, rng.nextBoolean() ? Background.Kind.HATCH : Background.Kind.DOTS);
        case BRICKS -> Background.random(rng, Background.Kind.BRICKS);
      };
    }
  }

  /** The classic look: nothing changed. */
  public static final Look CLASSIC =
      new Look(Framing.WORLD, Backdrop.CLASSIC, false, false, false, 0, 0, 0, 0, 0, 0, 0, 0);

  Look withFraming(Framing f) {
    return new Look(f, backdrop, clutter, outlined, aliased, shading, cast, blurPasses, noiseSigma, jpegQuality, tiltDeg, perspective, occluders);
  }

  Look withBackdrop(Backdrop b) {
    return new Look(framing, b, clutter, outlined, aliased, shading, cast, blurPasses, noiseSigma, jpegQuality, tiltDeg, perspective, occluders);
  }

  Look withClutter() {
    return new Look(framing, backdrop, true, outlined, aliased, shading, cast, blurPasses, noiseSigma, jpegQuality, tiltDeg, perspective, occluders);
  }

  Look withOutline() {
    return new Look(framing, backdrop, clutter, true, aliased, shading, cast, blurPasses, noiseSigma, jpegQuality, tiltDeg, perspective, occluders);
  }

  Look withoutAntialiasing() {
    return new Look(framing, backdrop, clutter, outlined, true, shading, cast, blurPasses, noiseSigma, jpegQuality, tiltDeg, perspective, occluders);
  }

  Look withLight(int shadingAmp, int castAmp) {
    return new Look(framing, backdrop, clutter, outlined, aliased, shadingAmp, castAmp, blurPasses, noiseSigma, jpegQuality, tiltDeg, perspective, occluders);
  }

  Look withArtefacts(int blur, double sigma, double quality) {
    return new Look(framing, backdrop, clutter, outlined, aliased, shading, cast, blur, sigma, quality, tiltDeg, perspective, occluders);
  }

  Look withGeometry(double tilt, double keystone) {
    return new Look(framing, backdrop, clutter, outlined, aliased, shading, cast, blurPasses, noiseSigma, jpegQuality, tilt, keystone, occluders);
  }

  Look withOccluders(int n) {
    return new Look(framing, backdrop, clutter, outlined, aliased, shading, cast, blurPasses, noiseSigma, jpegQuality, tiltDeg, perspective, n);
  }
}
