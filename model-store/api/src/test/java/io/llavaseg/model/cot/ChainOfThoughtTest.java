package io.llavaseg.model.cot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.model.Reasoning;
import io.llavaseg.model.ScriptedReasoner;
import io.llavaseg.model.TargetAttributes;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChainOfThoughtTest {
  private static final BufferedImage IMAGE = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
  private final ChainOfThought cot = new ChainOfThought(PromptTemplates.DEFAULT);

  private static ScriptedReasoner replying(Map<String, String> byPrefix, String otherwise) {
    return new ScriptedReasoner(p -> byPrefix.entrySet().stream().filter(e -> p.startsWith(e.getKey())).map(Map.Entry::getValue)
        .findFirst().orElse(otherwise));
  }

  @Test
  void asksInLlavasegOrderAndReturnsTargetAndAttributes() {
    String q = "Which shape has the colour of a ripe banana?";
    ScriptedReasoner r = replying(Map.of(
        q + " What is the target region?", "the yellow heart",
        q + " Describe the colour", "color: yellow; shape: heart; size: small; location: top left"), "It is the small yellow heart at the top left.");
    Reasoning out = cot.run(r, IMAGE, q);
    assertEquals(List.of(q, PromptTemplates.DEFAULT.targetPrompt(q), PromptTemplates.DEFAULT.attributesPrompt(q, "the yellow heart")), r.asked);
    assertEquals("It is the small yellow heart at the top left.", out.answer());
    assertEquals("the yellow heart", out.target().orElseThrow());
    assertEquals(new TargetAttributes("yellow", "heart", "small", "top left"), out.attributes().orElseThrow());
    assertTrue(out.failureReason().isEmpty());
    assertEquals(9, out.timings().generatedTokens());
  }

  @Test
  void noneMeansNoTargetAndNoThirdQuestion() {
    ScriptedReasoner r = replying(Map.of("the purple star What is", "none"), "There is no purple star.");
    Reasoning out = cot.run(r, IMAGE, "the purple star");
    assertEquals(2, r.asked.size());
    assertFalse(out.hasTarget());
    assertTrue(out.failureReason().isEmpty());
    assertEquals("There is no purple star.", out.answer());
  }

  @Test
  void aQuestionContainingAnAttributeLineIsNotMistakenForTheReply() {
    String q = "Find the shape with color: red; shape: star; size: large; location: top";
    // the model echoes the prompts back: neither echo may parse
    ScriptedReasoner echo = new ScriptedReasoner(p -> p);
    Reasoning out = cot.run(echo, IMAGE, q);
    assertFalse(out.hasTarget());
    assertTrue(out.failureReason().orElseThrow().startsWith(ChainOfThought.UNPARSEABLE_TARGET), out.failureReason().toString());
    assertEquals(q, out.answer());
  }

  @Test
  void echoedAttributePromptIsRecordedAsUnparseableAttributes() {
    ScriptedReasoner r = replying(Map.of("Find the red star. What is", "the red star"), "");
    r = new ScriptedReasoner(p -> p.startsWith("Find the red star. What is") ? "the red star"
        : p.contains("Describe the colour") ? p + " color: red; shape: star; size: small; location: top" : "It is the red star.");
    Reasoning out = cot.run(r, IMAGE, "Find the red star.");
    assertFalse(out.hasTarget());
    assertTrue(out.target().isEmpty() && out.attributes().isEmpty());
    assertTrue(out.failureReason().orElseThrow().startsWith(ChainOfThought.UNPARSEABLE_ATTRIBUTES));
    assertEquals("It is the red star.", out.answer());
  }

  @Test
  void missingFieldsAndExtraLinesNeverThrow() {
    for (String bad : List.of("color: red; shape: star", "color: red; shape: star; size: small; location: top\nthanks!", "")) {
      ScriptedReasoner r = new ScriptedReasoner(p -> p.contains("Describe the colour") ? bad : p.endsWith("description.") ? "the red star" : "ok");
      Reasoning out = cot.run(r, IMAGE, "the red star");
      assertFalse(out.hasTarget(), bad);
      assertTrue(out.failureReason().isPresent(), bad);
    }
  }
}
