package io.llavaseg.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4), used where {@code promtool} is
 * not installed: every line is a HELP, a TYPE or a sample; a sample belongs to a family declared
 * before it, with the suffixes its type allows; label sets are well formed; values are floats;
 * each histogram series has cumulative buckets ending in {@code +Inf} equal to its {@code _count}.
 * Returns the problems found (empty when the text is valid).
 */
final class TextExpositionCheck {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern SAMPLE = Pattern.compile(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)( -?\\d+)?");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");

  private TextExpositionCheck() {}

  static List<String> problems(String text) {
    List<String> problems = new ArrayList<>();
    Map<String, String> types = new HashMap<>();
    Map<String, Double> lastBucket = new HashMap<>();
    Map<String, Double> infBucket = new HashMap<>();
    Map<String, Double> counts = new HashMap<>();
    int n = 0;
    for (String line : text.split("\n")) {
      n++;
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ", 4);
        if (parts.length < 4 || !NAME.matcher(parts[2]).matches()) {
          problems.add(n + ": bad " + parts[1] + " line: " + line);
        } else if (parts[1].equals("TYPE")) {
          if (!List.of("counter", "gauge", "histogram", "summary", "untyped", "info", "stateset", "gaugehistogram", "unknown")
              .contains(parts[3])) {
            problems.add(n + ": unknown type " + parts[3]);
          }
          if (types.put(parts[2], parts[3]) != null) {
            problems.add(n + ": family " + parts[2] + " declared twice");
          }
        }
        continue;
      }
      if (line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        problems.add(n + ": not a sample: " + line);
        continue;
      }
      String name = m.group(1);
      String labels = m.group(3) == null ? "" : m.group(3);
      double value;
      try {
        value = parseValue(m.group(4));
      } catch (NumberFormatException e) {
        problems.add(n + ": bad value " + m.group(4));
        continue;
      }
      String rest = labels;
      String le = null;
      StringBuilder series = new StringBuilder();
      while (!rest.isEmpty()) {
        Matcher l = LABEL.matcher(rest);
        if (!l.lookingAt()) {
          problems.add(n + ": bad labels {" + labels + "}");
          break;
        }
        if (l.group(1).equals("le")) {
          le = l.group(2);
        } else {
          series.append(l.group(0)).append(',');
        }
        rest = rest.substring(l.end());
        if (rest.startsWith(",")) {
          rest = rest.substring(1);
        }
      }
      String family = family(name, types);
      if (family == null) {
        problems.add(n + ": sample " + name + " of no declared family");
        continue;
      }
      if (types.get(family).equals("histogram")) {
        String key = family + "{" + series + "}";
        if (name.endsWith("_bucket")) {
          if (le == null) {
            problems.add(n + ": bucket without le");
          } else {
            Double before = lastBucket.put(key, value);
            if (before != null && value < before) {
              problems.add(n + ": buckets of " + key + " not cumulative");
            }
            if (le.equals("+Inf")) {
              infBucket.put(key, value);
            }
          }
        } else if (name.endsWith("_count")) {
          counts.put(key, value);
        }
      }
    }
    counts.forEach((key, count) -> {
      if (!count.equals(infBucket.get(key))) {
        problems.add(key + ": +Inf bucket " + infBucket.get(key) + " differs from _count " + count);
      }
    });
    return problems;
  }

  private static String family(String sample, Map<String, String> types) {
    if (types.containsKey(sample)) {
      return sample;
    }
    for (String suffix : List.of("_total", "_created", "_bucket", "_count", "_sum", "_info")) {
      if (sample.endsWith(suffix)) {
        String base = sample.substring(0, sample.length() - suffix.length());
        String type = types.get(base);
        if (type == null) {
          continue;
        }
        boolean ok = switch (suffix) {
          case "_total", "_created" -> type.equals("counter") || suffix.equals("_created");
          case "_bucket" -> type.equals("histogram") || type.equals("gaugehistogram");
          case "_count", "_sum" -> type.equals("histogram") || type.equals("summary");
          default -> type.equals("info");
        };
        return ok ? base : null;
      }
    }
    return null;
  }

  private static double parseValue(String s) {
    return switch (s) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(s);
    };
  }
}
