package io.llavaseg.model.reasoner;

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
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reasoner's word-level vocabulary: one token per word (letters, digits and apostrophes, case
 * kept) and one per punctuation character, plus five specials. Encoding tries a word as written,
 * then lower-cased, then capitalised, then through a {@link WordBackoff} when the vocabulary has one
 * (WordNet's synonyms and inflections: "crimson" as "red"), then (for words of 4 letters or more) a known word of 4 or
 * more letters one edit away (one letter added, dropped, changed, or two neighbours swapped; a word
 * the typo drops a letter of or swaps two letters of first, then the first in the vocabulary's
 * order), then gives {@code <unk>}: text outside ShapeWorld's
 * words never fails, it degrades, and a typo of a known word reads as that word. Decoding joins words with spaces and attaches punctuation to the word
 * before it ({@code color: yellow; shape: heart}). Stored one token per line ({@code vocab.txt}).
 */
public final class Vocabulary {
  public static final String PAD = "<pad>";
  public static final String UNK = "<unk>";
  public static final String BOS = "<bos>";
  public static final String EOS = "<eos>";
  /** Separates the user's prompt from the reply (the "ASSISTANT:" of a chat template). */
  public static final String SEP = "<sep>";

  public static final int PAD_ID = 0;
  public static final int UNK_ID = 1;
  public static final int BOS_ID = 2;
  public static final int EOS_ID = 3;
  public static final int SEP_ID = 4;

  private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}']+|[^\\s\\p{L}\\p{N}']");

  private final List<String> tokens;
  private final Map<String, Integer> ids = new HashMap<>();
  /** English words outside the vocabulary read as words in it (null: none). */
  private final WordBackoff backoff;
  /** Shortest unknown word resolved to a word one edit away. */
  public static final int MIN_FALLBACK_LENGTH = 4;

  private Vocabulary(List<String> tokens) {
    this(tokens, null);
  }

  private Vocabulary(List<String> tokens, WordBackoff backoff) {
    this.tokens = List.copyOf(tokens);
    this.backoff = backoff;
    for (int i = 0; i < this.tokens.size(); i++) {
      if (ids.put(this.tokens.get(i), i) != null) {
        throw new IllegalArgumentException("duplicate token " + this.tokens.get(i));
      }
    }
    if (!List.of(PAD, UNK, BOS, EOS, SEP).equals(this.tokens.subList(0, 5))) {
      throw new IllegalArgumentException("a vocabulary starts with " + List.of(PAD, UNK, BOS, EOS, SEP));
    }
  }

  /** The specials followed by every token of the given texts, sorted. */
  public static Vocabulary build(Collection<String> texts) {
    TreeSet<String> words = new TreeSet<>();
    for (String t : texts) {
      words.addAll(split(t));
    }
    List<String> all = new ArrayList<>(List.of(PAD, UNK, BOS, EOS, SEP));
    words.removeAll(all);
    all.addAll(words);
    return new Vocabulary(all);
  }

  /**
   * This vocabulary grown by the words of {@code texts} it does not hold yet: every token keeps its
   * id, the new ones follow, sorted (so a model trained on this vocabulary can start from one trained
   * on it, its embedding and output rows copied for the old ids). Returns this vocabulary when there
   * is nothing new.
   */
  public Vocabulary grow(Collection<String> texts) {
    TreeSet<String> words = new TreeSet<>();
    for (String t : texts) {
      for (String w : split(t)) {
        if (!ids.containsKey(w)) {
          words.add(w);
        }
      }
    }
    if (words.isEmpty()) {
      return this;
    }
    List<String> all = new ArrayList<>(tokens);
    all.addAll(words);
    return new Vocabulary(all);
  }

  /** Whether this vocabulary's tokens are the first tokens of {@code other}'s, with the same ids. */
  public boolean isPrefixOf(Vocabulary other) {
    return other.tokens.size() >= tokens.size() && other.tokens.subList(0, tokens.size()).equals(tokens);
  }

  public static Vocabulary load(Path file) throws IOException {
    return new Vocabulary(Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(s -> !s.isEmpty()).toList());
  }

  public void save(Path file) throws IOException {
    Files.write(file, tokens, StandardCharsets.UTF_8);
  }

  /**
   * This vocabulary with {@code token} appended as one more id (a special such as LISA's {@code <seg>},
   * which {@link #encode} never produces from text: callers put its id in by hand); this vocabulary
   * when it already holds the token.
   */
  public Vocabulary withToken(String token) {
    if (ids.containsKey(token)) {
      return this;
    }
    List<String> all = new ArrayList<>(tokens);
    all.add(token);
    return new Vocabulary(all);
  }

  /**
   * This vocabulary reading an unknown English word through {@code backoff} (after the word's case
   * forms, before the one-edit typo fallback); the same tokens and ids.
   */
  public Vocabulary withBackoff(WordBackoff backoff) {
    return new Vocabulary(tokens, backoff);
  }

  /** The words and punctuation characters of a text, in order. */
  public static List<String> split(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(text == null ? "" : text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  public int size() {
    return tokens.size();
  }

  public String token(int id) {
    return id >= 0 && id < tokens.size() ? tokens.get(id) : UNK;
  }

  public int id(String word) {
    Integer id = ids.get(word);
    if (id == null) {
      String lower = word.toLowerCase(Locale.ROOT);
      id = ids.get(lower);
      if (id == null && !lower.isEmpty()) {
        id = ids.get(Character.toUpperCase(lower.charAt(0)) + lower.substring(1));
      }
      if (id == null && backoff != null) {
        String read = backoff.resolve(lower, ids::containsKey);
        id = read == null ? null : ids.get(read);
      }
      if (id == null && lower.length() >= MIN_FALLBACK_LENGTH) {
        // a scan of a few hundred tokens, only for unknown words: not cached, so that arbitrary
        // user text cannot grow a map for the life of the service
        int n = nearest(lower);
        id = n < 0 ? null : n;
      }
    }
    return id == null || id < 5 ? UNK_ID : id;
  }

  /**
   * The token of 4+ letters one edit (Damerau, adjacent swaps included) from {@code word} (lower
   * case), the token compared lower-cased ("Cuold" reads as "Could"), or -1. Tokens that give the
   * word by the commonest slips of typing, a letter dropped or two neighbours swapped ("sall" from
   * "small", "hueg" from "huge"), come before those that need a letter changed or added ("ball");
   * among equals, the first in the vocabulary's order.
   */
  private int nearest(String word) {
    int other = -1;
    for (int i = 5; i < tokens.size(); i++) {
      String t = tokens.get(i);
      if (t.length() >= 4 && Math.abs(t.length() - word.length()) <= 1) {
        String lt = t.toLowerCase(Locale.ROOT);
        if (oneEdit(word, lt)) {
          if (lt.length() == word.length() + 1 || isSwap(word, lt)) {
            return i;
          }
          other = other < 0 ? i : other;
        }
      }
    }
    return other;
  }

  /** Whether {@code a} is {@code b} with two neighbouring letters swapped. */
  static boolean isSwap(String a, String b) {
    if (a.length() != b.length()) {
      return false;
    }
    int i = 0;
    while (i < a.length() && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    return i + 1 < a.length() && a.charAt(i) == b.charAt(i + 1) && a.charAt(i + 1) == b.charAt(i)
        && a.substring(i + 2).equals(b.substring(i + 2));
  }

  /** Whether {@code a} and {@code b} differ by exactly one insertion, deletion, substitution or adjacent swap. */
  static boolean oneEdit(String a, String b) {
    if (a.equals(b)) {
      return false;
    }
    int la = a.length();
    int lb = b.length();
    int i = 0;
    while (i < Math.min(la, lb) && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    if (la == lb) {
      if (a.substring(i + 1).equals(b.substring(i + 1))) {
        return true; // substitution
      }
      return i + 1 < la && a.charAt(i) == b.charAt(i + 1) && a.charAt(i + 1) == b.charAt(i)
          && a.substring(i + 2).equals(b.substring(i + 2)); // swap
    }
    if (la == lb + 1) {
      return a.substring(i + 1).equals(b.substring(i));
    }
    if (lb == la + 1) {
      return b.substring(i + 1).equals(a.substring(i));
    }
    return false;
  }

  public int[] encode(String text) {
    return split(text).stream().mapToInt(this::id).toArray();
  }

  /** Text of the given ids up to (not including) the first {@code <eos>}; other specials are dropped. */
  public String decode(int[] idsIn, int length) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int id = idsIn[i];
      if (id == EOS_ID) {
        break;
      }
      if (id < 5) {
        continue;
      }
      String t = tokens.get(id);
      boolean punct = t.length() == 1 && !Character.isLetterOrDigit(t.charAt(0)) && t.charAt(0) != '\'';
      if (sb.length() > 0 && !(punct && t.charAt(0) != '(')) {
        sb.append(' ');
      }
      sb.append(t);
    }
    return sb.toString();
  }

  public List<String> tokens() {
    return tokens;
  }
}
