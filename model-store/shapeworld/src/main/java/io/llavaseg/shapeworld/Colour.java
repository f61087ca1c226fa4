package io.llavaseg.shapeworld;

import java.util.Locale;
import java.util.Optional;

/**
 * The 11 colours of ShapeWorld with their sRGB centres (objects are drawn with up to +-20 jitter per
 * channel). The output word of {@link #GRAY} is always {@code "gray"}; {@code "grey"} is accepted
 * as input.
 */
public enum Colour {
  RED(220, 30, 30),
  ORANGE(245, 140, 20),
  YELLOW(245, 225, 40),
  GREEN(40, 170, 60),
  BLUE(40, 90, 220),
  PURPLE(130, 50, 180),
  PINK(245, 130, 190),
  BROWN(130, 80, 40),
  BLACK(20, 20, 20),
  WHITE(245, 245, 245),
  GRAY(128, 128, 128);

  private final int r;
  private final int g;
  private final int b;

  Colour(int r, int g, int b) {
    this.r = r;
    this.g = g;
    this.b = b;
  }

  /** The canonical word, e.g. {@code "gray"}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** A fresh {@code {r, g, b}} array of the colour's centre. */
  public int[] rgb() {
    return new int[] {r, g, b};
  }

  /** The colour named by a word, case-insensitive, {@code "grey"} included; empty otherwise. */
  public static Optional<Colour> fromWord(String word) {
    if (word == null) {
      return Optional.empty();
    }
    String w = word.strip().toLowerCase(Locale.ROOT);
    if (w.equals("grey")) {
      return Optional.of(GRAY);
    }
    for (Colour c : values()) {
      if (c.word().equals(w)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
