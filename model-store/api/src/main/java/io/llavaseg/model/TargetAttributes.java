package io.llavaseg.model;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The target's visual attributes, LLaVASeg's third chain-of-thought step, in the one line format
 * the reasoner emits and the segmenter reads: {@code color: yellow; shape: heart; size: small;
 * location: top left}. Values are free text (lower-cased, blanks collapsed); a value a model did not
 * give is empty, and {@code box} (the target's box relative to the image) is null unless a model
 * gave one. {@link #parse} is the strict reading of the project's own reasoner: exactly the four
 * keys, in any order, each once, values non-empty; anything else is not an attribute line (real
 * MLLMs' replies are read by {@code io.llavaseg.model.cot.OpenReplies}).
 */
public record TargetAttributes(String color, String shape, String size, String location, NormalizedBox box) {

  public static final String[] KEYS = {"color", "shape", "size", "location"};

  public TargetAttributes {
    color = norm(color);
    shape = norm(shape);
    size = norm(size);
    location = norm(location);
  }

  /** Attributes without a box. */
  public TargetAttributes(String color, String shape, String size, String location) {
    this(color, shape, size, location, null);
  }

  /** True when no attribute was given at all. */
  public boolean isEmpty() {
    return color.isEmpty() && shape.isEmpty() && size.isEmpty() && location.isEmpty() && box == null;
  }

  /**
   * The line, e.g. {@code color: yellow; shape: heart; size: small; location: top left}: the
   * canonical line when all four are given; empty values are left out and a box comes last ({@code
   * box: [0.100, 0.200, 0.500, 0.600]}).
   */
  public String format() {
    StringBuilder sb = new StringBuilder();
    String[] values = {color, shape, size, location};
    for (int i = 0; i < KEYS.length; i++) {
      if (!values[i].isEmpty()) {
        sb.append(sb.isEmpty() ? "" : "; ").append(KEYS[i]).append(": ").append(values[i]);
      }
    }
    if (box != null) {
      sb.append(sb.isEmpty() ? "" : "; ").append("box: ").append(box.format());
    }
    return sb.toString();
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
