package io.llavaseg.shapeworld;

import java.util.Locale;
import java.util.Optional;

/**
 * The absolute location of an object's centre in the image's 3x3 grid. Words: "top left", "top",
 * "top right", "left", "center", "right", "bottom left", "bottom", "bottom right"; "centre" and
 * "middle" are accepted for center, "upper"/"lower" for top/bottom.
 */
public enum Location {
  TOP_LEFT(0, 0),
  TOP(1, 0),
  TOP_RIGHT(2, 0),
  LEFT(0, 1),
  CENTER(1, 1),
  RIGHT(2, 1),
  BOTTOM_LEFT(0, 2),
  BOTTOM(1, 2),
  BOTTOM_RIGHT(2, 2);

  private final int column;
  private final int row;

  Location(int column, int row) {
    this.column = column;
    this.row = row;
  }

  /** The canonical words, e.g. {@code "top left"}, {@code "center"}. */
  public String words() {
    return name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  /** Grid column, 0 (left) to 2 (right). */
  public int column() {
    return column;
  }

  /** Grid row, 0 (top) to 2 (bottom). */
  public int row() {
    return row;
  }

  /** The cell at a column and row (each 0..2). */
  public static Location at(int column, int row) {
    for (Location l : values()) {
      if (l.column == column && l.row == row) {
        return l;
      }
    }
    throw new IllegalArgumentException("no cell at column " + column + ", row " + row);
  }

  /** The cell holding the point ({@code cx}, {@code cy}) of a {@code width} x {@code height} image. */
  public static Location of(double cx, double cy, int width, int height) {
    int col = (int) Math.floor(cx * 3 / width);
    int row = (int) Math.floor(cy * 3 / height);
    return at(Math.max(0, Math.min(2, col)), Math.max(0, Math.min(2, row)));
  }

  /**
   * The location named by words such as "top left", "upper left", "centre", "middle", "lower";
   * case- and whitespace-insensitive, "top-left" accepted. Empty for anything else.
   */
  public static Optional<Location> fromWords(String words) {
    if (words == null) {
      return Optional.empty();
    }
    String w = words.strip().toLowerCase(Locale.ROOT).replace('-', ' ').replaceAll("\\s+", " ");
    w = w.replace("upper", "top").replace("lower", "bottom");
    if (w.equals("centre") || w.equals("middle") || w.equals("center")) {
      return Optional.of(CENTER);
    }
    for (Location l : values()) {
      if (l.words().equals(w)) {
        return Optional.of(l);
      }
    }
    return Optional.empty();
  }
}
