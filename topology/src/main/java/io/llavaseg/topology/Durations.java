package io.llavaseg.topology;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the durations of the service's properties: a number with a unit ({@code 250ms}, {@code
 * 30s}, {@code 5m}, {@code 1h}, {@code 7d}), a plain number of milliseconds ({@code 60000}) or an
 * ISO-8601 duration ({@code PT1H}). Negative durations are refused.
 */
public final class Durations {
  private static final Pattern WITH_UNIT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Durations() {}

  /** Parses {@code text}; the error message names no key (for command-line options). */
  public static Duration parse(String text) {
    return parse(null, text);
  }

  /** Parses the value {@code text} of the property {@code key}; the error message names the key. */
  public static Duration parse(String key, String text) {
    String s = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (s.matches("\\d+")) {
        return Duration.ofMillis(Long.parseLong(s));
      }
      Matcher m = WITH_UNIT.matcher(s);
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
      Duration d = Duration.parse(text.strip().toUpperCase(Locale.ROOT));
      if (d.isNegative()) {
        throw new IllegalArgumentException("negative");
      }
      return d;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          (key == null ? "expected" : key + " must be")
              + " a duration like 30s, 5m, 1h, 60000 (ms) or PT1H, got '" + text + "'",
          e);
    }
  }
}
