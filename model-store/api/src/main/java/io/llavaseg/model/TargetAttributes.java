package io.llavaseg.model;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The target's visual attributes, LLaVASeg's third chain-of-thought step, in the one line format
 * the reasoner emits and the segmenter reads: {@code color: yellow; shape: heart; size: small;
 * location: top left}. Parsing is strict: exactly the four keys, in any order, each once, values
 * non-empty; anything else is not an attribute line.
 */
public record TargetAttributes(String color, String shape, String size, String location) {

  public static final String[] KEYS = {"color", "shape", "size", "location"};

  public TargetAttributes {
    color = norm(color);
    shape = norm(shape);
    size = norm(size);
    location = norm(location);
  }

  /** The canonical line, e.g. {@code color: yellow; shape: heart; size: small; location: top left}. */
  public String format() {
    return "color: " + color + "; shape: " + shape + "; size: " + size + "; location: " + location;
  }

  /** Parses a canonical attribute line strictly; empty when the text is not exactly one such line. */
  public static Optional<TargetAttributes> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String line = text.strip();
    if (line.isEmpty() || line.contains("\n") || line.contains("\r")) {
      return Optional.empty();
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (String part : line.split(";", -1)) {
      int colon = part.indexOf(':');
      if (colon < 0) {
        return Optional.empty();
      }
      String key = part.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = norm(part.substring(colon + 1));
      if (value.isEmpty() || value.contains(":") || fields.put(key, value) != null) {
        return Optional.empty();
      }
    }
    if (fields.size() != KEYS.length) {
      return Optional.empty();
    }
    for (String key : KEYS) {
      if (!fields.containsKey(key)) {
        return Optional.empty();
      }
    }
    return Optional.of(
        new TargetAttributes(
            fields.get("color"), fields.get("shape"), fields.get("size"), fields.get("location")));
  }

  @Override
  public String toString() {
    return format();
  }

  private static String norm(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }
}
