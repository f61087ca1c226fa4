package io.llavaseg.model;

/**
 * What a chain-of-thought step asks the model for, so that a reasoner that can constrain its replies
 * (an OpenAI-compatible server's {@code response_format}) may: the plain chat answer ({@link #TEXT}),
 * the target description ({@link #TARGET}) or the target's attributes ({@link #ATTRIBUTES}). A
 * reasoner that cannot ignores it; the reply is read the same way either way.
 */
public enum ReplyFormat {
  TEXT,
  TARGET,
  ATTRIBUTES
}
