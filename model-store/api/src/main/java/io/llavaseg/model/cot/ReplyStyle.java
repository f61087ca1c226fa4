package io.llavaseg.model.cot;

import java.util.Locale;

/**
 * How a reasoner's chain-of-thought replies are read: {@link #STRICT} for a model trained on the
 * exact formats (the project's own reasoner: anything else is a failure worth recording), {@link
 * #OPEN} for a real MLLM, which writes as it likes (capitals, punctuation, lead-ins, one attribute
 * per line). Set per model folder or backend as {@code replies = strict | open} beside the prompts.
 */
public enum ReplyStyle {
  STRICT,
  OPEN;

  /** Parses {@code strict} or {@code open} (any case). */
  public static ReplyStyle parse(String text) {
    try {
      return valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("replies must be strict or open, got '" + text + "'", e);
    }
  }

  public ReplyParser.TargetReply parseTarget(String reply) {
    return this == STRICT ? ReplyParser.parseTarget(reply) : OpenReplies.parseTarget(reply);
  }

  public java.util.Optional<io.llavaseg.model.TargetAttributes> parseAttributes(String reply) {
    return this == STRICT ? ReplyParser.parseAttributes(reply) : OpenReplies.parseAttributes(reply);
  }
}
