package io.llavaseg.model.segmenter;

/** The network returned NaN or infinite logits; the caller may run the pass again. */
public final class NonFiniteLogitsException extends RuntimeException {
  public NonFiniteLogitsException(String message) {
    super(message);
  }
}
