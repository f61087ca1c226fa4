package io.llavaseg.model.segmenter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptVocabularyTest {
  private final PromptVocabulary vocab = PromptVocabulary.shapeWorld();

  @Test
  void shouldStartWithPadAndUnknown() {
    assertEquals(PromptVocabulary.PAD, vocab.tokens().get(PromptVocabulary.PAD_ID));
    assertEquals(PromptVocabulary.UNK, vocab.tokens().get(PromptVocabulary.UNK_ID));
  }

  @Test
  void shouldMapSynonymsPluralsAndCaseToTheCanonicalToken() {
    assertEquals(vocab.id("gray"), vocab.id("Grey"));
    assertEquals(vocab.id("center"), vocab.id("centre"));
    assertEquals(vocab.id("center"), vocab.id("middle"));
    assertEquals(vocab.id("top"), vocab.id("upper"));
    assertEquals(vocab.id("circle"), vocab.id("circles"));
    assertEquals(vocab.id("cross"), vocab.id("crosses"));
    assertEquals(vocab.id("color"), vocab.id("colour"));
  }

  @Test
  void shouldMapUnknownWordsToUnk() {
    assertEquals(PromptVocabulary.UNK_ID, vocab.id("zebra"));
    assertArrayEquals(
        new int[] {vocab.id("the"), PromptVocabulary.UNK_ID, vocab.id("heart")}, vocab.tokenize("the teal heart!"));
  }

  @Test
  void shouldTokenizeAnAttributeLineIntoWordsOnly() {
    int[] ids = vocab.tokenize("color: yellow; shape: heart; size: small; location: top left");
    assertEquals(9, ids.length);
    for (int id : ids) {
      assertTrue(id > PromptVocabulary.UNK_ID, "every word of an attribute line is known");
    }
  }

  @Test
  void shouldGiveABagThatSumsToOneOrIsEmpty() {
    float[] bag = vocab.bag("the yellow heart");
    double sum = 0;
    for (float f : bag) {
      sum += f;
    }
    assertEquals(1.0, sum, 1e-6);
    assertEquals(1f / 3, bag[vocab.id("yellow")], 1e-6);
    float[] empty = vocab.bag("");
    for (float f : empty) {
      assertEquals(0f, f);
    }
  }

  @Test
  void shouldReadBackWhatItWrites(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("vocab.txt");
    vocab.write(file);
    PromptVocabulary read = PromptVocabulary.read(file);
    assertEquals(vocab.tokens(), read.tokens());
    assertEquals(vocab.id("grey"), read.id("grey"));
  }
}
