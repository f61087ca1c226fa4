package io.llavaseg.shapeworld;

import java.util.Locale;
import java.util.Optional;

/**
 * The 3 sizes, as a fraction of the image's shorter side taken by the object's longest side:
 * small 10-15%, medium 18-24%, large 28-36%.
 */
public enum Size {
  SMALL(0.10, 0.15),
  MEDIUM(0.18, 0.24),
  LARGE(0.28, 0.36);

  private final double min;
  private final double max;

  Size(double min, double max) {
    this.min = min;
    this.max = max;
  }

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Smallest fraction of the shorter image side. */
  public double minFraction() {
    return min;
  }

  /** Largest fraction of the shorter image side. */
  public double maxFraction() {
    return max;
  }

  public static Optional<Size> fromWord(String word) {
    if (word == null) {
      return Optional.empty();
    }
    String w = word.strip().toLowerCase(Locale.ROOT);
    for (Size s : values()) {
      if (s.word().equals(w)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
