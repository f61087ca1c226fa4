package io.llavaseg.topology;

/**
 * A record that cannot be processed, for a reason named by a stable code: caught by the processors
 * and turned into a dead letter. Never escapes the topology.
 */
public final class StageFailure extends Exception {
  private static final long serialVersionUID = 1L;

  private final String code;

  public StageFailure(ErrorCode code, String message) {
    this(code.name(), message, null);
  }

  public StageFailure(ErrorCode code, String message, Throwable cause) {
    this(code.name(), message, cause);
  }

  public StageFailure(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
