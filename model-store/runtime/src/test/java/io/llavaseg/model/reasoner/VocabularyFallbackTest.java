package io.llavaseg.model.reasoner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class VocabularyFallbackTest {
  private final Vocabulary v = Vocabulary.build(List.of("the red triangle at the top left", "a circle and a star"));

  @Test
  void aTypoOfAKnownWordOfFiveLettersOrMoreReadsAsThatWord() {
    int triangle = v.id("triangle");
    assertEquals(triangle, v.id("traingle")); // neighbours swapped
    assertEquals(triangle, v.id("triangel"));
    assertEquals(triangle, v.id("trangle")); // a letter dropped
    assertEquals(triangle, v.id("triangles")); // a letter added
    assertEquals(triangle, v.id("Trianglr")); // changed, capitalised
    assertEquals(v.id("circle"), v.id("cirle"));
  }

  @Test
  void aTypoOfACapitalisedTokenReadsAsThatToken() {
    Vocabulary c = Vocabulary.build(List.of("Could you show me the star?"));
    assertEquals(c.id("Could"), c.id("Cuold"));
    assertEquals(c.id("Could"), c.id("cuold"));
  }

  @Test
  void growingKeepsEveryIdAndAppendsTheNewWordsSorted() {
    Vocabulary g = v.grow(List.of("the scarlet disc beside a box", "a circle"));
    assertTrue(v.isPrefixOf(g));
    assertFalse(g.isPrefixOf(v));
    assertEquals(v.tokens(), g.tokens().subList(0, v.size()));
    assertEquals(List.of("beside", "box", "disc", "scarlet"), g.tokens().subList(v.size(), g.size()));
    assertTrue(v == v.grow(List.of("the red star")));
  }

  @Test
  void shortOrFarWordsStayUnknown() {
    assertEquals(Vocabulary.UNK_ID, v.id("rad")); // too short to guess
    assertEquals(Vocabulary.UNK_ID, v.id("sta")); // 3 letters: no fallback
    assertEquals(Vocabulary.UNK_ID, v.id("tringel")); // two edits
    assertEquals(Vocabulary.UNK_ID, v.id("elephant"));
  }

  @Test
  void aTypoOfAFourLetterWordPrefersADroppedLetterOrASwapOverAChangedLetter() {
    Vocabulary w = Vocabulary.build(List.of("a ball and a small star", "the huge heart"));
    assertEquals(w.id("star"), w.id("stra")); // swapped
    assertEquals(w.id("small"), w.id("sall")); // "small" less its m, before "ball" with one letter changed
    assertEquals(w.id("huge"), w.id("hueg"));
    assertEquals(w.id("ball"), w.id("bull")); // only a changed letter: the first such word
  }

  @Test
  void knownWordsAreUnchanged() {
    for (String w : List.of("the", "red", "triangle", "top", "left", "circle", "star")) {
      assertEquals(v.tokens().indexOf(w), v.id(w));
    }
  }

  @Test
  void oneEditIsDamerauDistanceOne() {
    assertTrue(Vocabulary.oneEdit("abcd", "abdc"));
    assertTrue(Vocabulary.oneEdit("abcd", "abd"));
    assertTrue(Vocabulary.oneEdit("abc", "abxc"));
    assertFalse(Vocabulary.oneEdit("abcd", "abcd"));
    assertFalse(Vocabulary.oneEdit("abcd", "badc"));
  }
}
