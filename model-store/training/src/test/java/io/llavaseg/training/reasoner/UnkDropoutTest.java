package io.llavaseg.training.reasoner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.model.reasoner.Vocabulary;
import io.llavaseg.shapeworld.Colour;
import io.llavaseg.shapeworld.QueryKind;
import io.llavaseg.shapeworld.Sample;
import io.llavaseg.shapeworld.Shape;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link InstructionData#withUnkDropout}: word dropout on the user's question in instruction tuning. */
class UnkDropoutTest {
  private final InstructionFixture f = InstructionFixture.of(99);
  private final Vocabulary v = f.vocab();

  @Test
  void shouldLeaveTheDataByteIdenticalWithoutDropout() {
    InstructionData off = f.data().withUnkDropout(0);
    for (long i = 0; i < 60; i++) {
      Sample s = f.world().sample(i, QueryKind.values()[(int) (i % QueryKind.values().length)]);
      SplittableRandom a = new SplittableRandom(i);
      SplittableRandom b = new SplittableRandom(i);
      List<InstructionData.Row> plain = f.data().instruct(s, a).rows();
      List<InstructionData.Row> zero = off.instruct(s, b).rows();
      assertEquals(plain.size(), zero.size());
      for (int r = 0; r < plain.size(); r++) {
        assertEquals(plain.get(r).format(), zero.get(r).format());
        assertArrayEquals(plain.get(r).tokens(), zero.get(r).tokens(), s.query());
        assertArrayEquals(plain.get(r).pointAt(), zero.get(r).pointAt());
        assertEquals(plain.get(r).replyStart(), zero.get(r).replyStart());
        assertEquals(plain.get(r).cell(), zero.get(r).cell());
      }
      assertEquals(a.nextLong(), b.nextLong(), "dropout 0 draws nothing more from the sample's random stream");
    }
  }

  @Test
  void shouldDropQuestionWordsButNeverColoursShapesOrReplies() {
    InstructionData on = f.data().withUnkDropout(0.3);
    int words = 0;
    int dropped = 0;
    for (long i = 0; i < 200; i++) {
      Sample s = f.world().sample(i, i % 2 == 0 ? QueryKind.QUESTION : QueryKind.SUPERLATIVE);
      List<InstructionData.Row> plain = f.data().instruct(s, new SplittableRandom(i)).rows();
      List<InstructionData.Row> drop = on.instruct(s, new SplittableRandom(i)).rows();
      int[] question = v.encode(s.query());
      boolean[] first = null;
      for (int r = 0; r < plain.size(); r++) {
        int[] a = plain.get(r).tokens();
        int[] b = drop.get(r).tokens();
        assertEquals(a.length, b.length, "same length: a dropped word becomes one <unk>");
        assertEquals(plain.get(r).replyStart(), drop.get(r).replyStart());
        boolean[] here = new boolean[question.length];
        for (int p = 0; p < a.length; p++) {
          if (a[p] == b[p]) {
            continue;
          }
          assertEquals(Vocabulary.UNK_ID, b[p]);
          assertTrue(p >= 1 && p < 1 + question.length, "only the question's words drop: " + s.query());
          String w = v.token(a[p]);
          assertTrue(Colour.fromWord(w).isEmpty() && Shape.fromWord(w).isEmpty(), "a colour or shape word dropped: " + w);
          assertTrue(Character.isLetterOrDigit(w.charAt(0)), "punctuation dropped: " + w);
          here[p - 1] = true;
        }
        if (first == null) {
          first = here;
        } else if (s.targetIndex() >= 0 || r < 2) {
          assertArrayEquals(first, here, "the same words drop in every row of a sample: " + s.query());
        }
      }
      for (int q = 0; q < question.length; q++) {
        String w = v.token(question[q]);
        if (question[q] != Vocabulary.UNK_ID && Character.isLetterOrDigit(w.charAt(0))
            && Colour.fromWord(w).isEmpty() && Shape.fromWord(w).isEmpty()) {
          words++;
          dropped += first[q] ? 1 : 0;
        }
      }
    }
    double share = dropped / (double) words;
    assertTrue(share > 0.25 && share < 0.35, "about 0.3 of the droppable words drop, got " + share + " of " + words);
  }

  @Test
  void shouldRefuseADropoutOutsideZeroToOne() {
    assertThrows(IllegalArgumentException.class, () -> f.data().withUnkDropout(1));
    assertThrows(IllegalArgumentException.class, () -> f.data().withUnkDropout(-0.1));
  }

  @Test
  void withFramesOnlyNoWordOfAReferringExpressionDrops() {
    java.util.Set<String> frames = io.llavaseg.shapeworld.Language.frameWords();
    assertTrue(frames.containsAll(List.of("could", "show", "mark", "please")), frames.toString());
    for (String content : List.of("left", "top", "largest", "small", "above", "not", "only", "the", "red", "star", "of")) {
      assertTrue(!frames.contains(content), "a referring expression's word counted as a frame word: " + content);
    }
    InstructionData on = f.data().withUnkDropout(0.5, frames);
    int dropped = 0;
    for (long i = 0; i < 200; i++) {
      Sample s = f.world().sample(i, QueryKind.values()[(int) (i % QueryKind.values().length)]);
      int[] a = f.data().instruct(s, new SplittableRandom(i)).rows().get(0).tokens();
      int[] b = on.instruct(s, new SplittableRandom(i)).rows().get(0).tokens();
      for (int p = 0; p < a.length; p++) {
        if (a[p] != b[p]) {
          assertTrue(frames.contains(v.token(a[p]).toLowerCase(java.util.Locale.ROOT)), "not a frame word: " + v.token(a[p]));
          dropped++;
        }
      }
    }
    assertTrue(dropped > 50, "frame words drop: " + dropped);
  }
}
