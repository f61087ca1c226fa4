package io.llavaseg.model.reasoner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads an English word the vocabulary does not hold as a word it does, through a table made from
 * WordNet for that vocabulary ({@code backoff.tsv} in a reasoner folder, written by {@code
 * ops/llavaseg backoff}): "crimson" reads as "red", "photo" as "picture", "lowermost" as
 * "bottommost". A word the table lists takes its row's word. Otherwise WordNet's suffix rules find
 * its base ("tinier" -> "tiny", "closest" -> "close"), and a comparative or superlative keeps its
 * degree: the base row's comparative or superlative when it has one ("larger" -> "bigger",
 * "closest" -> "nearest"), else the base itself when the vocabulary holds it, else the base row's
 * word. Function words WordNet does not list ("if", "very" as an adverb) have no row and stay
 * unknown.
 *
 * <p>File format: one row per line, {@code form<TAB>word<TAB>comparative<TAB>superlative}, the last
 * two empty when the vocabulary holds none; {@code #} starts a comment.
 */
public final class WordBackoff {
  /** The file's name in a reasoner folder. */
  public static final String FILE = "backoff.tsv";

  private enum Degree { PLAIN, COMPARATIVE, SUPERLATIVE }

  /** WordNet's suffix detachment rules (morphy), nouns, verbs and adjectives: suffix, replacement. */
  private static final List<String[]> RULES = List.of(
      new String[] {"s", ""}, new String[] {"ses", "s"}, new String[] {"xes", "x"}, new String[] {"zes", "z"},
      new String[] {"ches", "ch"}, new String[] {"shes", "sh"}, new String[] {"men", "man"},
      new String[] {"ies", "y"}, new String[] {"es", "e"}, new String[] {"es", ""}, new String[] {"ed", "e"},
      new String[] {"ed", ""}, new String[] {"ing", "e"}, new String[] {"ing", ""}, new String[] {"er", ""},
      new String[] {"est", ""}, new String[] {"er", "e"}, new String[] {"est", "e"}, new String[] {"ier", "y"},
      new String[] {"iest", "y"});

  /** A table row: the vocabulary word for a form, its comparative and superlative in the vocabulary (or null). */
  record Row(String word, String comparative, String superlative) {
    String of(Degree d) {
      return d == Degree.COMPARATIVE ? comparative : d == Degree.SUPERLATIVE ? superlative : null;
    }
  }

  private final Map<String, Row> rows;

  WordBackoff(Map<String, Row> rows) {
    this.rows = Map.copyOf(rows);
  }

  public static WordBackoff load(Path file) throws IOException {
    Map<String, Row> rows = new HashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t", -1);
      if (f.length != 4 || f[1].isEmpty()) {
        throw new IOException(file + ": a row is form<TAB>word<TAB>comparative<TAB>superlative: " + line);
      }
      rows.put(f[0], new Row(f[1], f[2].isEmpty() ? null : f[2], f[3].isEmpty() ? null : f[3]));
    }
    return new WordBackoff(rows);
  }

  public int size() {
    return rows.size();
  }

  /**
   * The vocabulary word to read {@code word} (lower case) as, or null. {@code known} says whether
   * the vocabulary holds a word.
   */
  public String resolve(String word, Predicate<String> known) {
    Row row = rows.get(word);
    if (row != null) {
      return row.word();
    }
    for (String[] rule : RULES) {
      if (word.endsWith(rule[0]) && word.length() > rule[0].length() + 1) {
        String base = word.substring(0, word.length() - rule[0].length()) + rule[1];
        Degree degree = rule[0].endsWith("er") ? Degree.COMPARATIVE : rule[0].endsWith("est") ? Degree.SUPERLATIVE : Degree.PLAIN;
        Row r = rows.get(base);
        if (r != null && r.of(degree) != null) {
          return r.of(degree);
        }
        if (known.test(base)) {
          return base;
        }
        if (r != null) {
          return r.word();
        }
      }
    }
    return null;
  }
}
