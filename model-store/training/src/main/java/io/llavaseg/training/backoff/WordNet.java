package io.llavaseg.training.backoff;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parts of a WordNet 3.0 database (the files of Debian's {@code wordnet-base},
 * {@code /usr/share/wordnet}) that the backoff table needs: each lemma's senses per part of speech
 * in WordNet's order (most frequent first), each sense's synonyms, the head of an adjective
 * satellite, how often each part of speech of a lemma was seen in the tagged corpus
 * ({@code cntlist.rev}), and the exception lists of irregular inflections.
 */
public final class WordNet implements AutoCloseable {
  /** WordNet's parts of speech: noun, verb, adjective, adverb (its file names and letters). */
  public enum Pos {
    NOUN("noun", 'n', 1), VERB("verb", 'v', 2), ADJ("adj", 'a', 3), ADV("adv", 'r', 4);

    final String file;
    final char letter;
    final int senseKeyType;

    Pos(String file, char letter, int senseKeyType) {
      this.file = file;
      this.letter = letter;
      this.senseKeyType = senseKeyType;
    }
  }

  /** One synset: its words (lower case, multi-word lemmas with spaces) and, for a satellite, its head's offset. */
  public record Synset(List<String> words, Long headOffset) {}

  private final Map<Pos, Map<String, List<Long>>> index = new LinkedHashMap<>();
  private final Map<Pos, RandomAccessFile> data = new LinkedHashMap<>();
  private final Map<Pos, Map<Long, Synset>> cache = new HashMap<>();
  private final Map<String, Integer> tagCounts = new HashMap<>();
  private final Map<Pos, Map<String, List<String>>> exceptions = new LinkedHashMap<>();

  private WordNet() {}

  public static WordNet open(Path dir) throws IOException {
    WordNet wn = new WordNet();
    for (Pos pos : Pos.values()) {
      Map<String, List<Long>> lemmas = new HashMap<>();
      for (String line : Files.readAllLines(dir.resolve("index." + pos.file), StandardCharsets.ISO_8859_1)) {
        if (line.startsWith(" ") || line.isBlank()) {
          continue; // licence header
        }
        String[] f = line.split(" ");
        int synsets = Integer.parseInt(f[2]);
        int pointers = Integer.parseInt(f[3]);
        List<Long> offsets = new ArrayList<>(synsets);
        for (int i = 0; i < synsets; i++) {
          offsets.add(Long.parseLong(f[4 + pointers + 2 + i]));
        }
        lemmas.put(f[0], offsets);
      }
      wn.index.put(pos, lemmas);
      wn.data.put(pos, new RandomAccessFile(dir.resolve("data." + pos.file).toFile(), "r"));
      wn.cache.put(pos, new HashMap<>());
      Map<String, List<String>> exc = new HashMap<>();
      Path excFile = dir.resolve(pos.file + ".exc");
      if (Files.exists(excFile)) {
        for (String line : Files.readAllLines(excFile, StandardCharsets.ISO_8859_1)) {
          String[] f = line.strip().split(" ");
          if (f.length >= 2) {
            exc.put(f[0], List.of(f).subList(1, f.length));
          }
        }
      }
      wn.exceptions.put(pos, exc);
    }
    Path counts = dir.resolve("cntlist.rev");
    if (Files.exists(counts)) {
      for (String line : Files.readAllLines(counts, StandardCharsets.ISO_8859_1)) {
        // lemma%ss_type:lex_filenum:lex_id:head_word:head_id sense_number tag_cnt
        String[] f = line.split(" ");
        int pct = f[0].indexOf('%');
        if (f.length < 3 || pct < 0) {
          continue;
        }
        int type = f[0].charAt(pct + 1) - '0';
        Pos pos = type == 5 ? Pos.ADJ : type == 1 ? Pos.NOUN : type == 2 ? Pos.VERB : type == 3 ? Pos.ADJ : Pos.ADV;
        wn.tagCounts.merge(f[0].substring(0, pct) + "%" + pos.letter, Integer.parseInt(f[2]), Integer::sum);
      }
    }
    return wn;
  }

  /** Every single-word lemma of a part of speech. */
  public Iterable<String> lemmas(Pos pos) {
    return index.get(pos).keySet();
  }

  /** The offsets of a lemma's senses in a part of speech, most frequent first (empty when none). */
  public List<Long> senses(String lemma, Pos pos) {
    return index.get(pos).getOrDefault(lemma, List.of());
  }

  /** How often the tagged corpus saw {@code lemma} as {@code pos} (0 when never). */
  public int tagCount(String lemma, Pos pos) {
    return tagCounts.getOrDefault(lemma + "%" + pos.letter, 0);
  }

  /** Irregular inflected forms of a part of speech and their lemmas ("seen" -> "see"). */
  public Map<String, List<String>> exceptions(Pos pos) {
    return exceptions.get(pos);
  }

  public Synset synset(Pos pos, long offset) throws IOException {
    Synset s = cache.get(pos).get(offset);
    if (s != null) {
      return s;
    }
    RandomAccessFile f = data.get(pos);
    f.seek(offset);
    String line = new String(f.readLine().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1);
    String[] t = line.split("\\|", 2)[0].split(" ");
    // synset_offset lex_filenum ss_type w_cnt word lex_id [word lex_id...] p_cnt [ptr...]
    boolean satellite = t[2].equals("s");
    int words = Integer.parseInt(t[3], 16);
    List<String> out = new ArrayList<>(words);
    for (int i = 0; i < words; i++) {
      out.add(t[4 + 2 * i].replaceAll("\\(.*\\)$", "").replace('_', ' ').toLowerCase(Locale.ROOT));
    }
    int p = 4 + 2 * words;
    int pointers = Integer.parseInt(t[p]);
    Long head = null;
    for (int i = 0; i < pointers; i++) {
      // pointer_symbol synset_offset pos source/target
      if (satellite && t[p + 1 + 4 * i].equals("&")) {
        head = Long.parseLong(t[p + 2 + 4 * i]);
        break;
      }
    }
    s = new Synset(List.copyOf(out), head);
    cache.get(pos).put(offset, s);
    return s;
  }

  @Override
  public void close() throws IOException {
    for (RandomAccessFile f : data.values()) {
      f.close();
    }
  }
}
