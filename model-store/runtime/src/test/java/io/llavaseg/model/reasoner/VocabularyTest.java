package io.llavaseg.model.reasoner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {
  private final Vocabulary v = Vocabulary.build(List.of(
      "color: yellow; shape: heart; size: small; location: top left", "It is the small red star at the top left.",
      "There are 2 shapes; which one do you mean?", "Is there a sheriff's badge?"));

  @Test
  void attributeLineAndSentencesRoundTrip() {
    for (String s : List.of("color: yellow; shape: heart; size: small; location: top left",
        "It is the small red star at the top left.", "There are 2 shapes; which one do you mean?")) {
      int[] ids = v.encode(s);
      assertEquals(s, v.decode(ids, ids.length));
    }
  }

  @Test
  void unknownWordsBecomeUnkAndCaseFallsBack() {
    int[] ids = v.encode("IT is the purple Star");
    assertEquals(v.id("It"), ids[0]);
    assertEquals(Vocabulary.UNK_ID, ids[3]);
    assertEquals(v.id("star"), ids[4]);
  }

  @Test
  void decodingStopsAtEosAndDropsOtherSpecials() {
    int[] ids = {Vocabulary.BOS_ID, v.id("the"), v.id("red"), Vocabulary.SEP_ID, v.id("star"), Vocabulary.EOS_ID, v.id("heart")};
    assertEquals("the red star", v.decode(ids, ids.length));
  }

  @Test
  void apostrophesStayInsideWords() {
    assertEquals(List.of("Is", "there", "a", "sheriff's", "badge", "?"), Vocabulary.split("Is there a sheriff's badge?"));
  }

  @Test
  void savesAndLoadsTheSameTokens(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("vocab.txt");
    v.save(f);
    Vocabulary back = Vocabulary.load(f);
    assertEquals(v.tokens(), back.tokens());
    assertArrayEquals(v.encode("the small red star"), back.encode("the small red star"));
    assertEquals(v.size(), Files.readAllLines(f).size());
  }
}
