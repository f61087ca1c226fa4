package io.llavaseg.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.model.TargetAttributes;
import io.llavaseg.model.cot.PromptTemplates;
import io.llavaseg.model.cot.ReplyParser;
import io.llavaseg.model.cot.ReplyStyle;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The shipped prompts for real MLLMs load, read replies openly, and the format they ask for parses. */
class RealMllmPromptsTest {

  @Test
  void shouldAskForTheFormatsTheOpenReaderReads() throws Exception {
    PromptTemplates p = PromptTemplates.load(Path.of("config/prompts-real-mllm.properties"));
    assertEquals(ReplyStyle.OPEN, p.replies());
    assertEquals("Which shape is yellow?", p.answerPrompt("Which shape is yellow?"));
    String attributes = p.attributesPrompt("Which shape is yellow?", "the yellow heart");
    assertTrue(attributes.contains("Describe the yellow heart.") && attributes.contains("\nBox: [x0, y0, x1, y1]"), attributes);
    String reply = "Color: yellow\nShape: heart\nSize: small\nLocation: top left\nBox: [0.05, 0.10, 0.30, 0.35]";
    TargetAttributes a = p.replies().parseAttributes(reply).orElseThrow();
    assertEquals("top left", a.location());
    assertEquals(0.35, a.box().y1(), 1e-9);
    assertEquals(new ReplyParser.TargetReply.Target("the yellow heart"), p.replies().parseTarget("The yellow heart."));
  }
}
