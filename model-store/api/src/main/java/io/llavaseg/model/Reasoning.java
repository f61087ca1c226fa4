package io.llavaseg.model;

import java.util.Optional;

/**
 * The outcome of LLaVASeg's chain of thought for one image and question.
 *
 * @param answer the dialogue answer, exactly what the model says to the text in plain chat
 * @param target the simple target description (e.g. {@code the yellow heart}); empty when there is
 *     no segmentation target (dialogue-only, absent or ambiguous target, or a reply that did not parse)
 * @param attributes the target's attributes; empty exactly when {@code target} is empty
 * @param failureReason why no target was produced when a reply did not parse (e.g. {@code
 *     UNPARSEABLE_ATTRIBUTES: ...}); empty when the chain completed or the model said "none"
 * @param model the reasoning model that produced it
 * @param timings where the time went
 */
public record Reasoning(
    String answer,
    Optional<String> target,
    Optional<TargetAttributes> attributes,
    Optional<String> failureReason,
    ModelId model,
    Timings timings) {

  /** Milliseconds per chain-of-thought step, plus tokens generated in total. */
  public record Timings(double visionMs, double answerMs, double targetMs, double attributesMs, int generatedTokens) {
    public double totalMs() {
      return visionMs + answerMs + targetMs + attributesMs;
    }
  }

  /** Whether the query is segmented, see {@link SegmentationTarget#of(Reasoning)}. */
  public boolean hasTarget() {
    return SegmentationTarget.of(this).isPresent();
  }
}
