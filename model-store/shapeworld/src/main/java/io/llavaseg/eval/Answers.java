package io.llavaseg.eval;

import io.llavaseg.shapeworld.Colour;
import io.llavaseg.shapeworld.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Normalised exact match of dialogue answers: case, surrounding and repeated whitespace,
 * punctuation ({@code . , ! ? ; : " '}) and "grey"/"gray" are ignored, and the number words zero to
 * ten equal their digits. "There are 2 red shapes." matches "there are two red shapes"; anything
 * else must match word for word. Also the type of a dialogue question ({@link #dialogueType}) and
 * whether an image description lists the right objects in another order ({@link
 * #sameObjectsListed}), so that {@code eval} and {@code eval-reasoner} report dialogue alike.
 */
public final class Answers {
  private static final Map<String, String> NUMBERS = Map.ofEntries(
      Map.entry("zero", "0"), Map.entry("one", "1"), Map.entry("two", "2"), Map.entry("three", "3"),
      Map.entry("four", "4"), Map.entry("five", "5"), Map.entry("six", "6"), Map.entry("seven", "7"),
      Map.entry("eight", "8"), Map.entry("nine", "9"), Map.entry("ten", "10"));

  /**
   * A count as ShapeWorld words it: "There are 4 triangles.", "There is 1 yellow shape.", "There
   * are no shapes."; group 1 the colour word if any, group 2 the noun.
   */
  public static final Pattern COUNT_ANSWER = Pattern.compile("There (?:is|are) (?:no|\\d+) (?:(\\w+) )?(\\w+)\\.");

  /** An image description: "There are 2 shapes: a small red circle and a large blue star."; header, listing. */
  private static final Pattern LISTING = Pattern.compile("(There (?:is|are) \\d+ shapes?): (.+)\\.");

  private Answers() {}

  /**
   * The type of a dialogue question, read off ShapeWorld's answer to it: "counting" ("There are 4
   * triangles.", "There is 1 yellow shape.", "There are no shapes."), "description" (the image's
   * objects listed), "existence" ("Yes, there is ..." / "No, ..."), else "other" (the colour of an
   * object).
   */
  public static String dialogueType(String answer) {
    String a = answer.strip();
    if (isCount(a)) {
      return "counting";
    }
    if (LISTING.matcher(a).matches()) {
      return "description";
    }
    return a.startsWith("Yes, ") || a.startsWith("No, ") ? "existence" : "other";
  }

  /** Whether the answer counts the shapes of the image, of a colour ("yellow shapes") or of a shape ("triangles"). */
  private static boolean isCount(String answer) {
    Matcher m = COUNT_ANSWER.matcher(answer);
    if (!m.matches()) {
      return false;
    }
    String noun = m.group(2);
    boolean shapes = noun.equals("shape") || noun.equals("shapes");
    return m.group(1) == null ? shapes || Shape.fromWord(noun).isPresent()
        : shapes && Colour.fromWord(m.group(1)).isPresent();
  }

  /**
   * Whether {@code got} describes the image as {@code expected} does but lists the objects in
   * another order ("There are 2 shapes: a small red circle and a large blue star." against "... a
   * large blue star and a small red circle."): the same header and the same phrases, each as many
   * times. ShapeWorld lists objects left to right by their centres, an order that two objects
   * about one above the other leave to a pixel; the description is right either way.
   */
  public static boolean sameObjectsListed(String expected, String got) {
    if (expected == null || got == null) {
      return false;
    }
    Matcher e = LISTING.matcher(expected.strip());
    Matcher g = LISTING.matcher(got.strip());
    return e.matches() && g.matches() && e.group(1).equals(g.group(1)) && phrases(e.group(2)).equals(phrases(g.group(2)));
  }

  private static List<String> phrases(String listing) {
    List<String> out = new ArrayList<>(Arrays.asList(listing.split(", | and ")));
    out.sort(null);
    return out;
  }

  public static String normalise(String answer) {
    if (answer == null) {
      return "";
    }
    String s = answer.toLowerCase(Locale.ROOT).replaceAll("[.,!?;:\"]", " ").replaceAll("'(?!s\\b)", " ");
    StringBuilder out = new StringBuilder();
    for (String w : s.strip().split("\\s+")) {
      if (w.isEmpty()) {
        continue;
      }
      w = w.equals("grey") ? "gray" : NUMBERS.getOrDefault(w, w);
      if (out.length() > 0) {
        out.append(' ');
      }
      out.append(w);
    }
    return out.toString();
  }

  public static boolean matches(String expected, String actual) {
    return actual != null && normalise(expected).equals(normalise(actual));
  }
}
