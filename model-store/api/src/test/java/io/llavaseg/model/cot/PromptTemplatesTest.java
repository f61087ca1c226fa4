package io.llavaseg.model.cot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Template filling: one literal pass, the question optional in the attribute step. */
class PromptTemplatesTest {

  @Test
  void shouldCarryTheQuestionIntoTheAttributeStep() {
    assertEquals("Which one is on the left? Describe the colour, shape, size and location of the red star.",
        PromptTemplates.DEFAULT.attributesPrompt("Which one is on the left?", "the red star"));
  }

  @Test
  void shouldDropTheBlankOfAnEmptyQuestion() {
    assertEquals("Describe the colour, shape, size and location of the red star.",
        PromptTemplates.DEFAULT.attributesPrompt("", "the red star"));
  }

  @Test
  void shouldGiveThePlainChatPromptExactlyAsTyped() {
    // the published answer is the plain chat reply to the user's text, so the answer step must not touch it
    assertEquals("  what is this?  ", PromptTemplates.DEFAULT.answerPrompt("  what is this?  "));
  }

  @Test
  void shouldNotInterpretPlaceholdersInsideTheUsersText() {
    assertEquals("find {target} now Describe the colour, shape, size and location of the red star.",
        PromptTemplates.DEFAULT.attributesPrompt("find {target} now", "the red star"));
    assertEquals("say {question} What is the target region? Answer with a short description.",
        PromptTemplates.DEFAULT.targetPrompt("say {question}"));
  }

  @Test
  void shouldKeepAnOlderFoldersTemplateWithoutTheQuestion() {
    Properties p = new Properties();
    p.setProperty("prompt.attributes", "Describe the colour, shape, size and location of {target}.");
    PromptTemplates old = PromptTemplates.from(p);
    assertEquals("Describe the colour, shape, size and location of the red star.",
        old.attributesPrompt("Which one is on the left?", "the red star"));
  }

  @Test
  void shouldRefuseATemplateWithoutItsPlaceholder() {
    assertThrows(IllegalArgumentException.class, () -> new PromptTemplates("{question}", "no placeholder", "{target}"));
  }
}
