package io.llavaseg.model.sam2;

import java.util.Locale;

/**
 * Reads a free-text location ({@code TargetAttributes.location()}) as one cell of a 3x3 grid over the
 * image and gives that cell's centre, the point that prompts SAM 2 when the reasoner gave no box.
 *
 * <p>The rule, on the lower-cased words of the text (split at anything that is not a letter, so
 * {@code "upper-left"} is two words):
 *
 * <ul>
 *   <li>row: {@code top}, {@code upper}, {@code topmost}, {@code uppermost} give the top row;
 *       {@code bottom}, {@code lower}, {@code bottommost}, {@code lowermost} the bottom row;
 *   <li>column: {@code left}, {@code leftmost} give the left column; {@code right}, {@code
 *       rightmost} the right column;
 *   <li>an axis that no word names, or that words name both ways ({@code "top or bottom"}), is the
 *       middle one; so {@code middle}, {@code centre}, {@code center}, {@code central}, {@code
 *       corner}, {@code side}, {@code edge} and any other word change nothing by themselves, and a
 *       text with no direction word at all (or empty) is the image centre.
 * </ul>
 *
 * So the project's own nine grid words map to their cells ({@code top left} ... {@code bottom
 * right}, {@code center}), and real MLLMs' phrasings land in the same cells: {@code "upper left"},
 * {@code "lower right corner"}, {@code "middle"}, {@code "centre"}, {@code "middle left"}, {@code
 * "top-center"}, {@code "on the left side"}. Relational words ({@code above}, {@code below}, {@code
 * near}) are deliberately not read: {@code "below the cat"} says nothing about the image's rows.
 * Cell centres lie at 1/6, 1/2 and 5/6 of the width and height.
 */
public final class LocationGrid {
  private LocationGrid() {}

  /** The row (0 top, 1 middle, 2 bottom) a location names; 1 when it names none or both. */
  public static int row(String location) {
    return axis(location, new String[] {"top", "upper", "topmost", "uppermost"}, new String[] {"bottom", "lower", "bottommost", "lowermost"});
  }

  /** The column (0 left, 1 middle, 2 right) a location names; 1 when it names none or both. */
  public static int column(String location) {
    return axis(location, new String[] {"left", "leftmost"}, new String[] {"right", "rightmost"});
  }

  /** The centre of the location's cell relative to the image: {x, y}, each in (0, 1). */
  public static double[] cellCentre(String location) {
    return new double[] {(column(location) + 0.5) / 3, (row(location) + 0.5) / 3};
  }

  /** The centre of the location's cell in pixels of a {@code width} x {@code height} image: {x, y}. */
  public static int[] pixel(String location, int width, int height) {
    double[] c = cellCentre(location);
    return new int[] {
      Math.min(width - 1, (int) Math.floor(c[0] * width)), Math.min(height - 1, (int) Math.floor(c[1] * height))
    };
  }

  private static int axis(String location, String[] first, String[] last) {
    boolean isFirst = false;
    boolean isLast = false;
    if (location != null) {
      for (String word : location.toLowerCase(Locale.ROOT).split("[^\\p{L}]+")) {
        isFirst |= contains(first, word);
        isLast |= contains(last, word);
      }
    }
    return isFirst == isLast ? 1 : isFirst ? 0 : 2;
  }

  private static boolean contains(String[] words, String word) {
    for (String w : words) {
      if (w.equals(word)) {
        return true;
      }
    }
    return false;
  }
}
