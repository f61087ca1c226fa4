package io.llavaseg.model.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.llavaseg.model.ReplyFormat;
import io.llavaseg.model.TargetAttributes;
import io.llavaseg.model.cot.ReplyParser;
import io.llavaseg.model.cot.ReplyStyle;
import org.junit.jupiter.api.Test;

class StructuredRepliesTest {

  @Test
  void shouldAskForATargetObjectAndAnAttributesObjectWithABox() {
    var target = StructuredReplies.responseFormat(ReplyFormat.TARGET);
    assertEquals("json_schema", target.path("type").asText());
    assertEquals("[\"target\"]", target.path("json_schema").path("schema").path("required").toString());
    var attributes = StructuredReplies.responseFormat(ReplyFormat.ATTRIBUTES).path("json_schema").path("schema");
    assertEquals("[\"color\",\"shape\",\"size\",\"location\",\"box\"]", attributes.path("required").toString());
    assertEquals(4, attributes.path("properties").path("box").path("minItems").asInt());
  }

  @Test
  void shouldHandTheJsonToTheParserAsTheLinesItReads() {
    assertEquals(new ReplyParser.TargetReply.Target("the red car"),
        ReplyStyle.OPEN.parseTarget(StructuredReplies.toText(ReplyFormat.TARGET, "{\"target\": \"The red car\"}")));
    assertEquals(new ReplyParser.TargetReply.NoTarget(),
        ReplyStyle.OPEN.parseTarget(StructuredReplies.toText(ReplyFormat.TARGET, "{\"target\": null}")));
    String line = StructuredReplies.toText(ReplyFormat.ATTRIBUTES,
        "{\"color\":\"red\",\"shape\":\"car\",\"size\":\"large\",\"location\":\"bottom left\",\"box\":[0.1,0.5,0.4,0.9]}");
    TargetAttributes a = ReplyStyle.OPEN.parseAttributes(line).orElseThrow();
    assertEquals("red", a.color());
    assertEquals("bottom left", a.location());
    assertEquals(0.9, a.box().y1(), 1e-9);
  }

  @Test
  void shouldLeaveAPlainTextReplyAsItIs() {
    assertEquals("The red car.", StructuredReplies.toText(ReplyFormat.TARGET, "The red car."));
    assertEquals("Color: red", StructuredReplies.toText(ReplyFormat.ATTRIBUTES, "Color: red"));
    assertEquals("{\"other\": 1}", StructuredReplies.toText(ReplyFormat.TARGET, "{\"other\": 1}"));
  }
}
