package io.llavaseg.topology.inference;

/**
 * A request's inference failed: the model threw for it (after its attempts), its workers stopped,
 * or no result came within the request timeout ({@link #timedOut()}).
 */
public final class InferenceFailure extends Exception {
  private final boolean timedOut;

  public InferenceFailure(String message, Throwable cause) {
    this(message, cause, false);
  }

  public InferenceFailure(String message, Throwable cause, boolean timedOut) {
    super(message, cause);
    this.timedOut = timedOut;
  }

  public boolean timedOut() {
    return timedOut;
  }
}
