package io.llavaseg.model.cot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.model.TargetAttributes;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ReplyParserTest {

  @Test
  void acceptsATargetAndNone() {
    assertEquals(new ReplyParser.TargetReply.Target("the yellow heart"), ReplyParser.parseTarget("the yellow heart"));
    assertEquals(new ReplyParser.TargetReply.Target("the yellow heart"), ReplyParser.parseTarget("  the yellow heart \n"));
    assertInstanceOf(ReplyParser.TargetReply.NoTarget.class, ReplyParser.parseTarget("none"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "",
    "the",
    "the yellow heart\nthe red star",
    "the yellow heart.",
    "The yellow heart",
    "It is the yellow heart.",
    "the color: red; shape: star",
    "Find the red star. What is the target region? Answer with a short description.",
    "none of them",
    "the a b c d e f g h i",
  })
  void refusesAnythingElseAsATarget(String reply) {
    ReplyParser.TargetReply r = ReplyParser.parseTarget(reply);
    assertInstanceOf(ReplyParser.TargetReply.Unparseable.class, r, reply);
  }

  @Test
  void nullTargetReplyIsUnparseable() {
    assertInstanceOf(ReplyParser.TargetReply.Unparseable.class, ReplyParser.parseTarget(null));
  }

  @Test
  void acceptsOneAttributeLineInAnyKeyOrder() {
    assertEquals(Optional.of(new TargetAttributes("yellow", "heart", "small", "top left")),
        ReplyParser.parseAttributes("color: yellow; shape: heart; size: small; location: top left"));
    assertEquals(Optional.of(new TargetAttributes("yellow", "heart", "small", "top left")),
        ReplyParser.parseAttributes("location: top  left; size: small; shape: heart; color: Yellow"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "color: yellow; shape: heart; size: small",
    "color: yellow; shape: heart; size: small; location:",
    "color: yellow; shape: heart; size: small; location: top left\ncolor: red; shape: star; size: large; location: top",
    "color: yellow; shape: heart; size: small; location: top left; extra: yes",
    "color: yellow; color: red; size: small; location: top left",
    "Describe the colour, shape, size and location of the yellow heart.",
    "Describe the colour, shape, size and location of the yellow heart. color: yellow; shape: heart; size: small; location: top left",
    "colour: yellow; shape: heart; size: small; location: top left",
    "color yellow; shape heart; size small; location top left",
    "",
  })
  void refusesHostileAttributeReplies(String reply) {
    assertTrue(ReplyParser.parseAttributes(reply).isEmpty(), reply);
  }

  @Test
  void abbreviatesLongRepliesOnOneLine() {
    String s = ReplyParser.abbreviate("a\nb".repeat(60));
    assertTrue(s.length() <= 82 && !s.contains("\n") && s.endsWith("...'"), s);
  }
}
