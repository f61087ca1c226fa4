package io.llavaseg.training.backoff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.model.reasoner.Vocabulary;
import io.llavaseg.model.reasoner.WordBackoff;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A WordNet database of a few synsets, written in WordNet's own file format, and the table made from it. */
class BackoffBuilderTest {
  @TempDir Path dir;
  private final List<String> vocabulary = List.of("<pad>", "<unk>", "<bos>", "<eos>", "<sep>",
      "near", "nearest", "small", "smaller", "smallest", "tiny", "tiniest", "same", "red", "the", "star");
  private Map<String, BackoffBuilder.Row> rows;

  /** Writes data.POS lines at their byte offsets and index.POS lines pointing at them. */
  private static final class Part {
    final StringBuilder data = new StringBuilder("  licence header line\n");
    final Map<String, List<Long>> senses = new LinkedHashMap<>();

    long synset(String type, List<String> words, Long head) {
      long offset = data.length();
      StringBuilder line = new StringBuilder(String.format("%08d 00 %s %02x", offset, type, words.size()));
      for (String w : words) {
        line.append(' ').append(w).append(" 0");
        senses.computeIfAbsent(w, k -> new ArrayList<>()).add(offset);
      }
      line.append(head == null ? " 000" : String.format(" 001 & %08d a 0000", head));
      data.append(line).append(" | a gloss\n");
      return offset;
    }

    void write(Path dir, String name) throws IOException {
      Files.writeString(dir.resolve("data." + name), data, StandardCharsets.ISO_8859_1);
      StringBuilder index = new StringBuilder("  licence header line\n");
      senses.forEach((lemma, offsets) -> {
        index.append(lemma).append(" x ").append(offsets.size()).append(" 0 ").append(offsets.size()).append(" 0");
        offsets.forEach(o -> index.append(String.format(" %08d", o)));
        index.append('\n');
      });
      Files.writeString(dir.resolve("index." + name), index, StandardCharsets.ISO_8859_1);
    }
  }

  @BeforeEach
  void wordNet() throws IOException {
    Part adj = new Part();
    adj.synset("a", List.of("close"), null); // close's first sense: no vocabulary synonym
    adj.synset("a", List.of("near", "close", "nigh"), null);
    long small = adj.synset("a", List.of("small", "little"), null);
    adj.synset("s", List.of("teeny"), small);
    adj.synset("s", List.of("tiny"), small);
    adj.synset("a", List.of("very", "same"), null);
    adj.write(dir, "adj");
    Part adv = new Part();
    adv.synset("r", List.of("very", "really"), null);
    adv.write(dir, "adv");
    new Part().write(dir, "noun");
    new Part().write(dir, "verb");
    Files.writeString(dir.resolve("adj.exc"), "tinier tiny\ncloser close\n");
    Files.writeString(dir.resolve("cntlist.rev"), "very%3:00:00:: 1 3\nvery%4:02:00:: 1 900\n");
    try (WordNet wn = WordNet.open(dir)) {
      rows = new BackoffBuilder(wn, vocabulary).rows();
    }
  }

  @Test
  void aWordReadsAsTheFirstSenseWithAVocabularySynonymAndItsSuperlative() {
    assertEquals(new BackoffBuilder.Row("near", null, "nearest"), rows.get("close"));
    assertEquals(new BackoffBuilder.Row("near", null, "nearest"), rows.get("nigh"));
  }

  @Test
  void aSatelliteReadsThroughItsHead() {
    assertEquals(new BackoffBuilder.Row("small", "smaller", "smallest"), rows.get("teeny"));
  }

  @Test
  void aWordTakesOnlyThePartOfSpeechTheCorpusSawMost() {
    assertFalse(rows.containsKey("very")); // an adverb ("really"), not the adjective "same"
  }

  @Test
  void irregularFormsTakeTheirLemmaOrItsRow() {
    assertEquals(new BackoffBuilder.Row("smaller", null, null), rows.get("tinier")); // tiny's row: comparative of "small"
    assertEquals(new BackoffBuilder.Row("near", null, null), rows.get("closer")); // no comparative: the word
  }

  @Test
  void aVocabularyWordGetsARowOnlyForTheDegreesItLacks() {
    assertFalse(rows.containsKey("small")); // holds "smaller" and "smallest"
    assertEquals(new BackoffBuilder.Row("tiny", "smaller", "tiniest"), rows.get("tiny"));
  }

  @Test
  void theWrittenTableIsReadByTheReasonersVocabulary() throws IOException {
    Path model = Files.createDirectories(dir.resolve("model"));
    Files.write(model.resolve("vocab.txt"), vocabulary);
    try (WordNet wn = WordNet.open(dir)) {
      assertEquals(rows.size(), new BackoffBuilder(wn, vocabulary).write(model.resolve(WordBackoff.FILE), "test"));
    }
    Vocabulary v = Vocabulary.load(model.resolve("vocab.txt")).withBackoff(WordBackoff.load(model.resolve(WordBackoff.FILE)));
    assertArrayEquals(v.encode("the nearest star"), v.encode("the closest star"));
    assertArrayEquals(v.encode("the small star"), v.encode("the teeny star"));
    assertArrayEquals(v.encode("the smaller star"), v.encode("the tinier star"));
    assertTrue(v.id("very") == Vocabulary.UNK_ID);
  }
}
