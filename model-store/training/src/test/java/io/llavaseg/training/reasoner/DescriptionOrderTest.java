package io.llavaseg.training.reasoner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DescriptionOrderTest {
  private static final String EXPECTED =
      "There are 3 shapes: a small purple cross, a large red cross and a medium red triangle.";

  @Test
  void theSameObjectsInAnotherOrderDescribeTheImage() {
    assertTrue(ReasonerEvaluator.sameObjectsListed(EXPECTED,
        "There are 3 shapes: a medium red triangle, a small purple cross and a large red cross."));
    assertTrue(ReasonerEvaluator.sameObjectsListed(EXPECTED, EXPECTED));
  }

  @Test
  void aRepeatedSkippedOrMiscountedObjectDoesNot() {
    assertFalse(ReasonerEvaluator.sameObjectsListed(EXPECTED,
        "There are 3 shapes: a small purple cross, a large red cross and a large red cross."), "repeated, one skipped");
    assertFalse(ReasonerEvaluator.sameObjectsListed(EXPECTED,
        "There are 2 shapes: a small purple cross and a large red cross."), "one missing");
    assertFalse(ReasonerEvaluator.sameObjectsListed(EXPECTED,
        "There are 4 shapes: a small purple cross, a large red cross, a medium red triangle and a small red cross."),
        "one too many");
    assertFalse(ReasonerEvaluator.sameObjectsListed(EXPECTED,
        "There are 3 shapes: a small purple cross, a large red cross and a medium red triangle"), "no full stop");
  }

  @Test
  void onlyDescriptionsCompareThatWay() {
    assertFalse(ReasonerEvaluator.sameObjectsListed("There are 2 triangles.", "There are 2 triangles."));
    assertFalse(ReasonerEvaluator.sameObjectsListed("Yes, there is a heart.", "Yes, there is a heart."));
  }

  @Test
  void dialogueQuestionsAreTypedByShapeWorldsAnswer() {
    assertEquals("counting", ReasonerEvaluator.dialogueType("There are no triangles."));
    assertEquals("counting", ReasonerEvaluator.dialogueType("There is 1 yellow shape."));
    assertEquals("description", ReasonerEvaluator.dialogueType(EXPECTED));
    assertEquals("existence", ReasonerEvaluator.dialogueType("No, there is no heart."));
    assertEquals("other", ReasonerEvaluator.dialogueType("The diamond is black."));
  }
}
