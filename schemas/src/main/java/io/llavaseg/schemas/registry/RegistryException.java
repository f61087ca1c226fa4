package io.llavaseg.schemas.registry;

/**
 * The schema registry refused a request (HTTP 4xx) or answered something unreadable: permanent,
 * retrying the same request will not help. Subclasses: {@link SchemaNotFoundException}, {@link
 * IncompatibleSchemaException}, and the transient {@link RegistryUnavailableException}.
 */
public class RegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int httpStatus;
  private final int errorCode;

  /**
   * @param httpStatus the HTTP status, or -1 when no response was received
   * @param errorCode the Confluent {@code error_code} of the response body, or -1 when absent
   */
  public RegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  public RegistryException(String message, int httpStatus, int errorCode) {
    this(message, httpStatus, errorCode, null);
  }

  /** The HTTP status code, or -1 when the registry was not reached. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The Confluent error code (e.g. 40401 subject not found, 40403 schema not found), or -1. */
  public int errorCode() {
    return errorCode;
  }

  /** True when retrying later may succeed (registry down, 5xx, timeout). */
  public boolean isTransient() {
    return false;
  }
}
