package io.llavaseg.model.cot;

import io.llavaseg.model.NormalizedBox;
import io.llavaseg.model.TargetAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the chain-of-thought replies of a real MLLM ({@link ReplyStyle#OPEN}). A target reply is
 * its first line, without Markdown, quotes, a lead-in ("The target is", "Answer:", "Sure,") or what
 * follows the first sentence, lower-cased, as "the ..." (an article in front is replaced); "none",
 * "there is no ...", "I can't see ..." and the like mean no target. An attribute reply is any text
 * naming attributes with a colon or equals sign ({@code Color: red}, {@code - **Shape**: car},
 * {@code colour=red, size=large}), one per line or on one line, a box as four numbers after
 * {@code box}/{@code bbox}/{@code bounding box}, or a bare {@code [x0, y0, x1, y1]}; attributes not
 * named stay empty. What cannot be read this way (a whole paragraph of prose) does not parse.
 */
final class OpenReplies {

  /** Longest description accepted, in words (after the lead-ins are removed). */
  static final int MAX_TARGET_WORDS = 16;

  private static final Pattern MARKUP = Pattern.compile("\\*\\*|__|`|[“”\"]");
  private static final Pattern BULLET = Pattern.compile("^\\s*(?:[-*•>]|\\d+[.)])\\s+");
  private static final Pattern INTERJECTION =
      Pattern.compile("^(?:yes|sure|okay|ok|certainly|of course|well)\\b[,.!:]?\\s*");
  private static final Pattern LEAD_IN =
      Pattern.compile(
          "^(?:(?:the\\s+)?(?:answer|target(?:\\s+(?:region|object))?|description|object|region(?:\\s+of\\s+interest)?)"
              + "\\s*(?:is|would be|:|-)\\s*"
              + "|(?:i think|i believe)?\\s*(?:it is|it's|this is|that is)\\s+)");
  private static final Pattern TRAILER =
      Pattern.compile("\\s+(?:is|would be)\\s+the\\s+(?:target|answer|object)(?:\\s+region)?$");
  private static final Pattern NO_TARGET =
      Pattern.compile(
          "^(?:none|nothing|no target|no object|n/?a|null|no such (?:object|thing|region)|no"
              + "|there (?:is|are) no\\b.*|there isn't\\b.*|there aren't\\b.*"
              + "|i (?:can't|cannot|can not|do not|don't) (?:see|find|identify)\\b.*"
              + "|(?:it is |it's )?not (?:present|found|visible|in the image)\\b.*)$");
  private static final Pattern SENTENCE_END = Pattern.compile("[.!?;:\\n]");
  private static final Pattern ARTICLE = Pattern.compile("^(?:the|a|an|this|that)\\s+");

  private static final Pattern KEY =
      Pattern.compile(
          "(?i)(?<![a-z])(colou?rs?|shape|object type|type|category|size|location|position"
              + "|bounding box|bbox|box)\\s*\\**\\s*[:=]");
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");
  private static final Pattern BARE_BOX =
      Pattern.compile("\\[\\s*(" + NUMBER + ")\\s*,\\s*(" + NUMBER + ")\\s*,\\s*(" + NUMBER + ")\\s*,\\s*(" + NUMBER + ")\\s*]");

  private OpenReplies() {}

  static ReplyParser.TargetReply parseTarget(String reply) {
    if (reply == null || reply.isBlank()) {
      return new ReplyParser.TargetReply.Unparseable("no reply");
    }
    String text = firstLine(reply).toLowerCase(Locale.ROOT);
    text = INTERJECTION.matcher(text).replaceFirst("");
    text = LEAD_IN.matcher(text).replaceFirst("").strip();
    if (NO_TARGET.matcher(text.replaceAll("[.!]+$", "")).matches()) {
      return new ReplyParser.TargetReply.NoTarget();
    }
    Matcher end = SENTENCE_END.matcher(text);
    if (end.find()) {
      text = text.substring(0, end.start());
    }
    text = text.replaceAll("[^\\p{L}\\p{N}' -]", " ").replaceAll("\\s+", " ").strip();
    text = TRAILER.matcher(text).replaceFirst("");
    if (NO_TARGET.matcher(text).matches()) {
      return new ReplyParser.TargetReply.NoTarget();
    }
    String phrase = ARTICLE.matcher(text).replaceFirst("").strip();
    if (phrase.isEmpty()) {
      return new ReplyParser.TargetReply.Unparseable("no description in " + ReplyParser.abbreviate(reply));
    }
    if (phrase.split(" ").length > MAX_TARGET_WORDS) {
      return new ReplyParser.TargetReply.Unparseable(
          "description longer than " + MAX_TARGET_WORDS + " words: " + ReplyParser.abbreviate(reply));
    }
    return new ReplyParser.TargetReply.Target("the " + phrase);
  }

  static Optional<TargetAttributes> parseAttributes(String reply) {
    if (reply == null || reply.isBlank()) {
      return Optional.empty();
    }
    String text = MARKUP.matcher(reply).replaceAll("");
    Map<String, String> fields = new HashMap<>();
    Matcher key = KEY.matcher(text);
    List<int[]> spans = new ArrayList<>();
    List<String> names = new ArrayList<>();
    while (key.find()) {
      spans.add(new int[] {key.start(), key.end()});
      names.add(canonicalKey(key.group(1)));
    }
    for (int i = 0; i < spans.size(); i++) {
      int from = spans.get(i)[1];
      int to = i + 1 < spans.size() ? spans.get(i + 1)[0] : text.length();
      fields.putIfAbsent(names.get(i), value(text.substring(from, to), names.get(i)));
    }
    NormalizedBox box = box(fields.getOrDefault("box", "")).orElse(null);
    if (box == null && !fields.containsKey("box")) {
      Matcher bare = BARE_BOX.matcher(text);
      if (bare.find()) {
        box = box(bare.group()).orElse(null);
      }
    }
    TargetAttributes attributes =
        new TargetAttributes(
            fields.getOrDefault("color", ""),
            fields.getOrDefault("shape", ""),
            fields.getOrDefault("size", ""),
            fields.getOrDefault("location", ""),
            box);
    return attributes.isEmpty() ? Optional.empty() : Optional.of(attributes);
  }

  private static String firstLine(String reply) {
    for (String line : MARKUP.matcher(reply).replaceAll("").split("\\R")) {
      String l = BULLET.matcher(line).replaceFirst("").strip();
      l = l.replaceAll("^['‘’]+|['‘’]+$", "").strip();
      if (!l.isEmpty()) {
        return l;
      }
    }
    return "";
  }

  private static String canonicalKey(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    if (k.startsWith("colo")) {
      return "color";
    }
    return switch (k) {
      case "object type", "type", "category" -> "shape";
      case "position" -> "location";
      case "bounding box", "bbox" -> "box";
      default -> k;
    };
  }

  /** A value up to the end of its line, without the separators and full stop around it. */
  private static String value(String raw, String key) {
    String v = raw.split("\\R", 2)[0];
    if (!key.equals("box")) {
      v = v.replaceAll("[\\[\\](){}]", " ");
    }
    v = v.replaceAll("^[\\s,;:.-]+|[\\s,;.]+$", "").strip();
    if (key.equals("location")) {
      v = v.replace('-', ' ');
    }
    return v.replaceAll("\\s+", " ");
  }

  private static Optional<NormalizedBox> box(String text) {
    Matcher m = NUMBER.matcher(text);
    List<Double> numbers = new ArrayList<>();
    while (m.find()) {
      numbers.add(Double.parseDouble(m.group()));
    }
    if (numbers.size() != 4) {
      return Optional.empty();
    }
    return NormalizedBox.fromReply(numbers.get(0), numbers.get(1), numbers.get(2), numbers.get(3));
  }
}
