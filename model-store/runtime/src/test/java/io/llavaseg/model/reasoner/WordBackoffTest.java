package io.llavaseg.model.reasoner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordBackoffTest {
  @TempDir Path dir;

  private Vocabulary vocabularyWith(String... rows) throws IOException {
    Path file = dir.resolve(WordBackoff.FILE);
    Files.write(file, List.of(rows));
    return Vocabulary.build(List.of("the red star is the nearest to a tiny circle", "the largest square", "a large cross"))
        .withBackoff(WordBackoff.load(file));
  }

  @Test
  void anUnknownWordWithARowReadsAsItsWord() throws IOException {
    Vocabulary v = vocabularyWith("# comment", "crimson\tred\t\t", "enormous\tlarge\t\tlargest");
    assertEquals(v.id("red"), v.id("crimson"));
    assertEquals(v.id("red"), v.id("Crimson"));
    assertArrayEquals(v.encode("the red star"), v.encode("the crimson star"));
  }

  @Test
  void anInflectionReadsThroughItsBase() throws IOException {
    Vocabulary v = vocabularyWith("close\tnear\t\tnearest", "large\tlarge\tbigger\tlargest");
    assertEquals(v.id("tiny"), v.id("tinier")); // the base is a vocabulary word
    assertEquals(v.id("nearest"), v.id("closest")); // a superlative takes the row's superlative
    assertEquals(v.id("star"), v.id("stars"));
    assertEquals(v.id("near"), v.id("closer")); // no comparative in the row: its word
    assertEquals(Vocabulary.UNK_ID, v.id("near")); // "near" itself is not in this vocabulary
    assertEquals(v.id("large"), v.id("larger")); // "bigger" is not either: one edit from "large"
  }

  @Test
  void wordsWithoutARowFallBackToTheTypoRuleThenUnknown() throws IOException {
    Vocabulary v = vocabularyWith("crimson\tred\t\t");
    assertEquals(v.id("circle"), v.id("cirlce"));
    assertEquals(Vocabulary.UNK_ID, v.id("very"));
    assertEquals(v.tokens().indexOf("star"), v.id("star"));
  }

  @Test
  void withoutATableNothingChanges() {
    Vocabulary v = Vocabulary.build(List.of("the red star"));
    assertEquals(Vocabulary.UNK_ID, v.id("crimson"));
  }

  @Test
  void resolveGivesNullForAWordWithNoRowAndNoKnownBase() throws IOException {
    Path file = dir.resolve(WordBackoff.FILE);
    Files.write(file, List.of("crimson\tred\t\t"));
    WordBackoff b = WordBackoff.load(file);
    assertEquals(1, b.size());
    assertNull(b.resolve("elephant", w -> false));
    assertEquals("red", b.resolve("crimson", w -> false));
  }

  @Test
  void aComparativeKeepsItsDegreeThroughASynonym() throws IOException {
    Path file = dir.resolve(WordBackoff.FILE);
    Files.write(file, List.of("large\tlarge\tbigger\tlargest"));
    Vocabulary v = Vocabulary.build(List.of("the bigger star and the largest circle", "a large cross"))
        .withBackoff(WordBackoff.load(file));
    assertEquals(v.id("bigger"), v.id("larger"));
    assertEquals(v.id("largest"), v.id("largest"));
  }

  @Test
  void aRowWithoutAWordIsRefused() throws IOException {
    Path file = dir.resolve(WordBackoff.FILE);
    Files.write(file, List.of("crimson"));
    assertThrows(IOException.class, () -> WordBackoff.load(file));
  }
}
