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

  @Test
  void dialogueQuestionsAreTypedByShapeWorldsAnswer() {
    assertEquals("counting", Answers.dialogueType("There are no triangles."));
    assertEquals("counting", Answers.dialogueType("There is 1 yellow shape."));
    assertEquals("counting", Answers.dialogueType("There are 4 shapes."));
    assertEquals("description", Answers.dialogueType("There are 2 shapes: a small red circle and a large blue star."));
    assertEquals("existence", Answers.dialogueType("No, there is no heart."));
    assertEquals("existence", Answers.dialogueType("Yes, there is a red star."));
    assertEquals("other", Answers.dialogueType("The diamond is black."));
    assertEquals("other", Answers.dialogueType("There are 2 big things."), "not a colour or shape count");
  }

  @Test
  void aDescriptionListingTheSameObjectsInAnotherOrderIsTheSameDescription() {
    String expected = "There are 3 shapes: a small purple cross, a large red cross and a medium red triangle.";
    assertTrue(Answers.sameObjectsListed(expected,
        "There are 3 shapes: a medium red triangle, a small purple cross and a large red cross."));
    assertFalse(Answers.sameObjectsListed(expected,
        "There are 3 shapes: a medium red triangle, a small purple cross and a small red cross."));
    assertFalse(Answers.sameObjectsListed("There are 2 triangles.", "There are 2 triangles."));
    assertFalse(Answers.sameObjectsListed(expected, null));
  }
}
