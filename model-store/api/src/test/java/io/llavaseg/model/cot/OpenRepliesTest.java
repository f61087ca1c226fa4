package io.llavaseg.model.cot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.model.NormalizedBox;
import io.llavaseg.model.TargetAttributes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class OpenRepliesTest {

  static Stream<Arguments> targetReplies() throws IOException {
    return table("open-target-replies.tsv").stream().map(r -> Arguments.of(r[0], r[1]));
  }

  static Stream<Arguments> attributeReplies() throws IOException {
    return table("open-attribute-replies.tsv").stream().map(r -> Arguments.of((Object[]) r));
  }

  @Test
  void theTablesHoldAtLeastThirtyTargetRepliesAndADozenAttributeReplies() throws IOException {
    assertTrue(table("open-target-replies.tsv").size() >= 30);
    assertTrue(table("open-attribute-replies.tsv").size() >= 12);
  }

  @ParameterizedTest
  @MethodSource("targetReplies")
  void shouldReadTheTargetARealMllmWrites(String reply, String expected) {
    ReplyParser.TargetReply parsed = ReplyStyle.OPEN.parseTarget(reply);
    if (expected.equals("none")) {
      assertInstanceOf(ReplyParser.TargetReply.NoTarget.class, parsed, reply);
    } else {
      assertEquals(new ReplyParser.TargetReply.Target(expected), parsed, reply);
    }
  }

  @ParameterizedTest
  @MethodSource("attributeReplies")
  void shouldReadTheAttributesARealMllmWrites(
      String reply, String color, String shape, String size, String location, String box) {
    TargetAttributes a = ReplyStyle.OPEN.parseAttributes(reply).orElseThrow(() -> new AssertionError(reply));
    assertEquals(given(color), a.color(), reply);
    assertEquals(given(shape), a.shape(), reply);
    assertEquals(given(size), a.size(), reply);
    assertEquals(given(location), a.location(), reply);
    assertEquals(given(box), a.box() == null ? "" : a.box().format(), reply);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "",
    "   ",
    "The image shows a busy street scene with many cars, several pedestrians crossing at the light and a cyclist waiting on the corner.",
    "?!",
  })
  void shouldRefuseRepliesWithoutAShortDescription(String reply) {
    assertInstanceOf(ReplyParser.TargetReply.Unparseable.class, ReplyStyle.OPEN.parseTarget(reply), reply);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "",
    "The yellow heart is small and sits in the top left of the picture.",
    "bbox: [1200, 30, 1500, 90]",
    "box: [0.5, 0.5, 0.2, 0.9]",
  })
  void shouldRefuseAttributeRepliesThatNameNoAttribute(String reply) {
    assertEquals(Optional.empty(), ReplyStyle.OPEN.parseAttributes(reply), reply);
  }

  @Test
  void strictRepliesStayStrict() {
    assertInstanceOf(ReplyParser.TargetReply.Unparseable.class, ReplyStyle.STRICT.parseTarget("The red car."));
    assertTrue(ReplyStyle.STRICT.parseAttributes("Color: red\nShape: car\nSize: large\nLocation: left").isEmpty());
  }

  @Test
  void theLineLeavesOutWhatWasNotGivenAndEndsWithTheBox() {
    TargetAttributes a = new TargetAttributes("red", "", "", "left", new NormalizedBox(0.1, 0.2, 0.5, 0.6));
    assertEquals("color: red; location: left; box: [0.100, 0.200, 0.500, 0.600]", a.format());
    assertEquals(
        "color: yellow; shape: heart; size: small; location: top left",
        new TargetAttributes("yellow", "heart", "small", "top left").format());
  }

  @Test
  void repliesStyleIsReadFromThePromptsFile() {
    java.util.Properties p = new java.util.Properties();
    assertEquals(ReplyStyle.STRICT, PromptTemplates.from(p).replies());
    p.setProperty("replies", "Open");
    assertEquals(ReplyStyle.OPEN, PromptTemplates.from(p).replies());
    p.setProperty("replies", "lenient");
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> PromptTemplates.from(p));
    assertTrue(e.getMessage().contains("strict or open"), e.getMessage());
  }

  private static String given(String cell) {
    return cell.equals("-") ? "" : cell;
  }

  private static List<String[]> table(String name) throws IOException {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(OpenRepliesTest.class.getResourceAsStream(name), StandardCharsets.UTF_8))) {
      return in.lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#"))
          .map(l -> l.replace("\\n", "\n").split("\t", -1))
          .toList();
    }
  }
}
