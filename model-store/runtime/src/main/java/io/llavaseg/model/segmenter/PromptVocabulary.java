package io.llavaseg.model.segmenter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The segmenter's word vocabulary: ShapeWorld's words plus {@code <pad>} (index 0) and {@code <unk>}
 * (index 1), read from a model folder's {@code vocab.txt}. Each line holds one token, or an alias
 * {@code alias=token} (e.g. {@code grey=gray}); blank lines and {@code #} comments are skipped.
 *
 * <p>Tokenizing lower-cases the text and splits on everything but letters; a word not in the
 * vocabulary maps to its alias, then to its singular ({@code circles} -> {@code circle}, {@code
 * crosses} -> {@code cross}) when that is known, else to {@code <unk>}. Encoding a text gives a
 * bag of words (token counts divided by the number of tokens), which the network embeds: in
 * ShapeWorld's prompts word order carries nothing a bag loses (location words combine
 * symmetrically: {top, left} is "top left"). It does not handle relational phrases whose meaning
 * depends on order ("the circle left of the star"); the segmenter is prompted with simple
 * descriptions only.
 */
public final class PromptVocabulary {
  public static final String PAD = "<pad>";
  public static final String UNK = "<unk>";
  public static final int PAD_ID = 0;
  public static final int UNK_ID = 1;

  /** ShapeWorld's vocabulary (shared/docs/shapeworld.md) plus the attribute line's keys. */
  private static final String DEFAULT_WORDS =
      "the a an of on in at to is with that shape object color colour size location none "
          + "red orange yellow green blue purple pink brown black white gray "
          + "circle square triangle star hexagon heart cross diamond "
          + "small medium large big tiny "
          + "top bottom left right center "
          + "above below next "
          + "largest smallest leftmost rightmost topmost bottommost";

  private static final String DEFAULT_ALIASES =
      "grey=gray centre=center middle=center upper=top lower=bottom biggest=largest "
          + "highest=topmost lowest=bottommost colour=color";

  private final List<String> tokens;
  private final Map<String, Integer> ids;
  private final Map<String, String> aliases;

  private PromptVocabulary(List<String> tokens, Map<String, String> aliases) {
    if (tokens.size() < 3 || !PAD.equals(tokens.get(PAD_ID)) || !UNK.equals(tokens.get(UNK_ID))) {
      throw new IllegalArgumentException("a vocabulary starts with " + PAD + ", " + UNK + " and has words");
    }
    this.tokens = List.copyOf(tokens);
    this.ids = new LinkedHashMap<>();
    for (int i = 0; i < tokens.size(); i++) {
      if (ids.put(tokens.get(i), i) != null) {
        throw new IllegalArgumentException("duplicate token " + tokens.get(i));
      }
    }
    this.aliases = Collections.unmodifiableMap(new LinkedHashMap<>(aliases));
  }

  /** The vocabulary the project's segmenter is trained with. */
  public static PromptVocabulary shapeWorld() {
    Map<String, String> aliases = new LinkedHashMap<>();
    for (String a : DEFAULT_ALIASES.split(" ")) {
      String[] kv = a.split("=");
      aliases.put(kv[0], kv[1]);
    }
    List<String> tokens = new ArrayList<>(List.of(PAD, UNK));
    for (String w : DEFAULT_WORDS.split(" ")) {
      if (!tokens.contains(w) && !aliases.containsKey(w)) {
        tokens.add(w);
      }
    }
    return new PromptVocabulary(tokens, aliases);
  }

  public static PromptVocabulary read(Path file) throws IOException {
    List<String> tokens = new ArrayList<>();
    Map<String, String> aliases = new LinkedHashMap<>();
    for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq > 0) {
        aliases.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
      } else {
        tokens.add(line);
      }
    }
    return new PromptVocabulary(tokens, aliases);
  }

  public void write(Path file) throws IOException {
    StringBuilder sb = new StringBuilder("# segmenter vocabulary: one token per line, alias=token\n");
    tokens.forEach(t -> sb.append(t).append('\n'));
    aliases.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  public int size() {
    return tokens.size();
  }

  public List<String> tokens() {
    return tokens;
  }

  /** The token id of one word (after aliasing and de-pluralising), {@link #UNK_ID} if unknown. */
  public int id(String word) {
    String w = word.toLowerCase(Locale.ROOT);
    w = aliases.getOrDefault(w, w);
    Integer id = ids.get(w);
    if (id == null && w.endsWith("s")) {
      String stem = w.substring(0, w.length() - 1);
      id = ids.get(aliases.getOrDefault(stem, stem));
      if (id == null && w.endsWith("es")) {
        stem = w.substring(0, w.length() - 2);
        id = ids.get(aliases.getOrDefault(stem, stem));
      }
    }
    return id == null ? UNK_ID : id;
  }

  /** The token ids of a text (letters only; everything else separates words). */
  public int[] tokenize(String text) {
    if (text == null || text.isBlank()) {
      return new int[0];
    }
    String[] words = text.toLowerCase(Locale.ROOT).split("[^a-z]+");
    return java.util.Arrays.stream(words).filter(w -> !w.isEmpty()).mapToInt(this::id).toArray();
  }

  /** Bag of words of a text: counts / number of tokens; all zeros for an empty text. */
  public float[] bag(String text) {
    float[] bag = new float[size()];
    int[] ids = tokenize(text);
    for (int id : ids) {
      bag[id] += 1f / ids.length;
    }
    return bag;
  }
}
