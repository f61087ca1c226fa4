package io.llavaseg.model.cot;

import io.llavaseg.model.TargetAttributes;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Strict parsing of the model's chain-of-thought replies. A target reply is either {@code none} or
 * one short noun phrase starting with "the" (lowercase words only: no punctuation, no newline, at
 * most {@value #MAX_TARGET_WORDS} words). An attribute reply is exactly one canonical attribute
 * line ({@link TargetAttributes#parse}). Anything else (extra lines, the prompt echoed back, fields
 * missing or repeated) does not parse, and the caller records why.
 */
public final class ReplyParser {

  public static final int MAX_TARGET_WORDS = 8;
  private static final Pattern TARGET = Pattern.compile("the( [a-z]+){1," + (MAX_TARGET_WORDS - 1) + "}");

  /** Parsed target reply: present = a description; empty = the model said there is no target. */
  public sealed interface TargetReply {
    record Target(String description) implements TargetReply {}

    record NoTarget() implements TargetReply {}

    record Unparseable(String reason) implements TargetReply {}
  }

  private ReplyParser() {}

  public static TargetReply parseTarget(String reply) {
    if (reply == null) {
      return new TargetReply.Unparseable("no reply");
    }
    String text = reply.strip();
    if (text.equals("none")) {
      return new TargetReply.NoTarget();
    }
    if (TARGET.matcher(text).matches()) {
      return new TargetReply.Target(text);
    }
    return new TargetReply.Unparseable("target reply is not 'none' or 'the ...': " + abbreviate(text));
  }

  public static Optional<TargetAttributes> parseAttributes(String reply) {
    return TargetAttributes.parse(reply);
  }

  static String abbreviate(String s) {
    String oneLine = s.replaceAll("\\p{Cntrl}", " ");
    return oneLine.length() <= 80 ? "'" + oneLine + "'" : "'" + oneLine.substring(0, 77) + "...'";
  }
}
