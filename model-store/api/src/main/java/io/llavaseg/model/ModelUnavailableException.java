package io.llavaseg.model;

/**
 * A model could not answer now, for a reason that may pass: its server is down, overloaded (HTTP
 * 429, 5xx) or too slow (a timeout), after the retries its backend makes. The query itself is not
 * at fault: the caller retries it later and never dead-letters it for this.
 */
public class ModelUnavailableException extends RuntimeException {

  public ModelUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public ModelUnavailableException(String message) {
    super(message);
  }
}
