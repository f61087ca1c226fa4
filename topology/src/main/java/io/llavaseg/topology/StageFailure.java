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

  /**
   * Wraps an unforeseen exception as {@link ErrorCode#UNEXPECTED_ERROR}; rethrows the registry
   * serde's and Kafka's own exceptions and an unavailable dependency or model, which are not this
   * record's fault.
   */
  public static StageFailure unexpected(RuntimeException e) {
    if (e instanceof org.apache.kafka.common.KafkaException
        || e instanceof io.llavaseg.schemas.registry.RegistryException
        || e instanceof DependencyUnavailableException
        || e instanceof io.llavaseg.model.ModelUnavailableException) {
      throw e;
    }
    return new StageFailure(ErrorCode.UNEXPECTED_ERROR, "unexpected " + e, e);
  }

  public String code() {
    return code;
  }
}
