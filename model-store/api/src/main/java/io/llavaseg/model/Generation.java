package io.llavaseg.model;

/**
 * One generated reply with its metadata.
 *
 * @param text the reply, without the stop token
 * @param promptTokens tokens in the prompt (visual prefix excluded)
 * @param generatedTokens tokens generated, the stop token included
 * @param finishReason {@code stop} (stop token), {@code length} (hit the limit)
 * @param prefillMs time to process the prompt
 * @param decodeMs time to generate the reply
 */
public record Generation(
    String text, int promptTokens, int generatedTokens, String finishReason, double prefillMs, double decodeMs) {}
