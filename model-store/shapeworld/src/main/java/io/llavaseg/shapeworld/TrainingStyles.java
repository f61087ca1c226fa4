package io.llavaseg.shapeworld;

import java.util.List;

/**
 * The rendering styles a trainer draws its samples from: TRAINING styles only (a HELD_OUT style is
 * refused, so held-out figures always measure unseen looks). Each sample's style is a pure function
 * of (seed, sample counter), drawn apart from the sample's own random stream, so a list of one
 * style (the default, classic) gives exactly the samples of a trainer without styles.
 */
public record TrainingStyles(List<Style> styles) {
  /** The default: the classic style alone. */
  public static final TrainingStyles CLASSIC = new TrainingStyles(List.of(Style.CLASSIC));

  /** @throws IllegalArgumentException when empty or when a style is held out */
  public TrainingStyles {
    styles = List.copyOf(styles);
    if (styles.isEmpty()) {
      throw new IllegalArgumentException("no training style");
    }
    List<Style> held = styles.stream().filter(s -> s.group() == Style.Group.HELD_OUT).toList();
    if (!held.isEmpty()) {
      throw new IllegalArgumentException(
          "held-out styles are for evaluation only, never for training: " + Style.names(held));
    }
  }

  /**
   * The styles of a comma-separated list of style and group names ({@code training}: every
   * TRAINING style), as {@link Style#parse(String)} reads it.
   *
   * @throws IllegalArgumentException on an unknown or held-out style
   */
  public static TrainingStyles parse(String list) {
    return new TrainingStyles(Style.parse(list));
  }

  /** The style of sample {@code counter} of a run with seed {@code seed}. */
  public Style pick(long seed, long counter) {
    if (styles.size() == 1) {
      return styles.get(0);
    }
    return styles.get((int) Math.floorMod(ShapeWorld.mix(seed ^ 0x5DEECE66DL, counter), (long) styles.size()));
  }

  /** {@code world} in the style of sample {@code counter}. */
  public ShapeWorld world(ShapeWorld world, long seed, long counter) {
    Style s = pick(seed, counter);
    return s.equals(world.style()) ? world : world.withStyle(s);
  }

  /** "classic,blur": the list as {@link #parse(String)} reads it back. */
  public String names() {
    return Style.names(styles);
  }
}
