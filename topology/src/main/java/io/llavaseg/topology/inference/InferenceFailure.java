package io.llavaseg.topology.inference;

/** A request's inference failed (the model threw for it alone, or its worker stopped). */
public final class InferenceFailure extends Exception {
  public InferenceFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
