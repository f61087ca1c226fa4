package io.llavaseg.shapeworld;

import java.util.Locale;
import java.util.Optional;

/** The 8 shapes of ShapeWorld, with their words; plurals are regular ("crosses"). */
public enum Shape {
  CIRCLE,
  SQUARE,
  TRIANGLE,
  STAR,
  HEXAGON,
  HEART,
  CROSS,
  DIAMOND;

  /** The singular word, e.g. {@code "circle"}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The plural word, e.g. {@code "crosses"}. */
  public String plural() {
    return this == CROSS ? "crosses" : word() + "s";
  }

  /** Whether turning the shape changes how it looks (false only for the circle). */
  public boolean rotates() {
    return this != CIRCLE;
  }

  /** The shape named by a singular or plural word, case-insensitive; empty for anything else. */
  public static Optional<Shape> fromWord(String word) {
    if (word == null) {
      return Optional.empty();
    }
    String w = word.strip().toLowerCase(Locale.ROOT);
    for (Shape s : values()) {
      if (s.word().equals(w) || s.plural().equals(w)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
