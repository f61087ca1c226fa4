package io.llavaseg.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AnswersTest {
  @Test
  void caseWhitespacePunctuationGreyAndNumberWordsAreIgnored() {
    assertTrue(Answers.matches("There are 2 red shapes.", "  there are TWO red   shapes"));
    assertTrue(Answers.matches("The star is gray.", "The star is grey!"));
    assertEquals("there is no purple star", Answers.normalise("There is no purple star."));
  }

  @Test
  void differentWordsOrNoAnswerDoNotMatch() {
    assertFalse(Answers.matches("There are 2 red shapes.", "There are 3 red shapes."));
    assertFalse(Answers.matches("Yes, there is a triangle.", "yes"));
    assertFalse(Answers.matches("Yes, there is a triangle.", null));
  }

  @Test
  void possessiveApostropheIsKept() {
    assertEquals("a sheriff's badge", Answers.normalise("A sheriff's badge."));
  }
}
