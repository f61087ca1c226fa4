package io.llavaseg.training.backoff;

import io.llavaseg.model.reasoner.WordBackoff;
import io.llavaseg.training.backoff.WordNet.Pos;
import io.llavaseg.training.backoff.WordNet.Synset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Makes a reasoner's {@link WordBackoff} table from WordNet: for every English word form WordNet
 * lists (single-word lemmas and the irregular forms of its exception lists) that the vocabulary does
 * not hold, the vocabulary word that a synonym of it is. The rule, the same for every word, with no
 * list of words of its own:
 * <ol>
 *   <li>the word's part of speech is the one the tagged corpus saw it as most often (every part
 *       where it was never seen);
 *   <li>its first {@value #SENSES} senses in WordNet's order (most frequent first), each sense's
 *       synonyms then, for an adjective satellite, its head's words ("teeny" -> "small");
 *   <li>the first sense with a synonym the vocabulary holds gives the row's word; the row's
 *       comparative and superlative are the word's own when the vocabulary holds them, else those of
 *       the first synonym of that sense whose form it holds ("close" -> "near", "nearest").
 * </ol>
 * A vocabulary word whose comparative or superlative the vocabulary lacks gets a row for them too
 * ("large" -> comparative "bigger"). An irregular form reads as what its lemma gives for the form's
 * degree ("closer" -> the comparative of "close"'s row).
 */
public final class BackoffBuilder {
  /** Senses of a word considered, most frequent first. */
  public static final int SENSES = 3;

  private final WordNet wordNet;
  /** The vocabulary's words by their lower case, the lower-case token preferred. */
  private final Map<String, String> known = new HashMap<>();

  public BackoffBuilder(WordNet wordNet, Collection<String> vocabulary) {
    this.wordNet = wordNet;
    for (String t : vocabulary) {
      if (!t.startsWith("<") && t.chars().anyMatch(Character::isLetter)) {
        String lower = t.toLowerCase(Locale.ROOT);
        if (t.equals(lower) || !known.containsKey(lower)) {
          known.put(lower, t);
        }
      }
    }
  }

  /** A row: the word, and its comparative and superlative (null when the vocabulary has none). */
  public record Row(String word, String comparative, String superlative) {}

  /** The table's rows by form, sorted. */
  public Map<String, Row> rows() throws IOException {
    Map<String, Row> rows = new TreeMap<>();
    for (Pos pos : Pos.values()) {
      for (String lemma : wordNet.lemmas(pos)) {
        if (lemma.contains("_") || rows.containsKey(lemma)) {
          continue;
        }
        Row row = rowOf(lemma);
        if (row != null) {
          rows.put(lemma, row);
        }
      }
    }
    for (Pos pos : Pos.values()) {
      for (Map.Entry<String, List<String>> e : wordNet.exceptions(pos).entrySet()) {
        String form = e.getKey();
        if (form.contains("_") || known.containsKey(form) || rows.containsKey(form)) {
          continue;
        }
        for (String lemma : e.getValue()) {
          String read = readAs(lemma, pos == Pos.ADJ && form.endsWith("est") ? "est" : pos == Pos.ADJ && form.endsWith("er") ? "er" : "", rows);
          if (read != null) {
            rows.put(form, new Row(read, null, null));
            break;
          }
        }
      }
    }
    return rows;
  }

  /** What an inflected form of {@code lemma} reads as ({@code degree} "er", "est" or ""), or null. */
  private String readAs(String lemma, String degree, Map<String, Row> rows) {
    Row row = rows.get(lemma);
    String inflected = row == null ? null : degree.equals("er") ? row.comparative() : degree.equals("est") ? row.superlative() : null;
    if (inflected != null) {
      return inflected;
    }
    if (known.containsKey(lemma)) {
      return known.get(lemma);
    }
    return row == null ? null : row.word();
  }

  /**
   * The row of one lemma, or null: for a lemma outside the vocabulary, the first sense with a
   * vocabulary synonym; for one inside, the degrees it lacks, when a synonym has them.
   */
  Row rowOf(String lemma) throws IOException {
    boolean inside = known.containsKey(lemma);
    String ownComparative = degreeOf(lemma, "er");
    String ownSuperlative = degreeOf(lemma, "est");
    if (inside && ownComparative != null && ownSuperlative != null) {
      return null;
    }
    List<Pos> parts = new ArrayList<>();
    for (Pos pos : Pos.values()) {
      if (!wordNet.senses(lemma, pos).isEmpty()) {
        parts.add(pos);
      }
    }
    int most = parts.stream().mapToInt(p -> wordNet.tagCount(lemma, p)).max().orElse(0);
    if (most > 0) {
      parts.removeIf(p -> wordNet.tagCount(lemma, p) < most);
    }
    for (Pos pos : parts) {
      List<Long> senses = wordNet.senses(lemma, pos);
      for (long offset : senses.subList(0, Math.min(SENSES, senses.size()))) {
        Synset s = wordNet.synset(pos, offset);
        List<String> synonyms = new ArrayList<>(s.words());
        if (s.headOffset() != null) {
          synonyms.addAll(wordNet.synset(pos, s.headOffset()).words());
        }
        synonyms.remove(lemma);
        String word = inside ? known.get(lemma) : null;
        String comparative = ownComparative;
        String superlative = ownSuperlative;
        for (String w : synonyms) {
          if (word == null && known.containsKey(w)) {
            word = known.get(w);
          }
          comparative = comparative != null ? comparative : degreeOf(w, "er");
          superlative = superlative != null ? superlative : degreeOf(w, "est");
        }
        boolean useful = inside ? comparative != ownComparative || superlative != ownSuperlative : word != null;
        if (useful) {
          return new Row(word, comparative, superlative);
        }
      }
    }
    return null;
  }

  /** The vocabulary's comparative ("er") or superlative ("est") of an adjective ("big" -> "biggest"), or null. */
  private String degreeOf(String adjective, String suffix) {
    if (adjective.length() < 2 || adjective.contains(" ")) {
      return null;
    }
    char last = adjective.charAt(adjective.length() - 1);
    String stem = adjective.substring(0, adjective.length() - 1);
    List<String> forms = List.of(adjective + suffix, last == 'e' ? stem + suffix : adjective + suffix,
        adjective + last + suffix, last == 'y' ? stem + "i" + suffix : adjective + suffix);
    return forms.stream().filter(known::containsKey).map(known::get).findFirst().orElse(null);
  }

  /** Writes the table as {@link WordBackoff#load} reads it; returns its number of rows. */
  public int write(Path file, String source) throws IOException {
    Map<String, Row> rows = rows();
    List<String> lines = new ArrayList<>();
    lines.add("# " + WordBackoff.FILE + ": an unknown English word read as a vocabulary word (" + source + ")");
    lines.add("# form<TAB>word<TAB>comparative<TAB>superlative; written by ops/llavaseg backoff from WordNet 3.0");
    rows.forEach((form, r) -> lines.add(form + "\t" + r.word() + "\t" + orEmpty(r.comparative()) + "\t" + orEmpty(r.superlative())));
    Files.write(file, lines, StandardCharsets.UTF_8);
    return rows.size();
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
