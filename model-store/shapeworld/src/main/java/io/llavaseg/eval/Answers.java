package io.llavaseg.eval;

import java.util.Locale;
import java.util.Map;

/**
 * Normalised exact match of dialogue answers: case, surrounding and repeated whitespace,
 * punctuation ({@code . , ! ? ; : " '}) and "grey"/"gray" are ignored, and the number words zero to
 * ten equal their digits. "There are 2 red shapes." matches "there are two red shapes"; anything
 * else must match word for word.
 */
public final class Answers {
  private static final Map<String, String> NUMBERS = Map.ofEntries(
      Map.entry("zero", "0"), Map.entry("one", "1"), Map.entry("two", "2"), Map.entry("three", "3"),
      Map.entry("four", "4"), Map.entry("five", "5"), Map.entry("six", "6"), Map.entry("seven", "7"),
      Map.entry("eight", "8"), Map.entry("nine", "9"), Map.entry("ten", "10"));

  private Answers() {}

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
