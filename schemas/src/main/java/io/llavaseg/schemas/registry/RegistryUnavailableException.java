package io.llavaseg.schemas.registry;

/**
 * The registry could not be reached, timed out, or answered 5xx after all retries: transient,
 * retrying later may succeed. A stream processor should not dead-letter a record for this; it
 * should fail (and be restarted) or retry.
 */
public class RegistryUnavailableException extends RegistryException {
  private static final long serialVersionUID = 1L;

  public RegistryUnavailableException(String message, int httpStatus, Throwable cause) {
    super(message, httpStatus, -1, cause);
  }

  @Override
  public boolean isTransient() {
    return true;
  }
}
