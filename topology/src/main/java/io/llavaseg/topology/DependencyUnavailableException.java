package io.llavaseg.topology;

/**
 * Something the service depends on could not answer now, for a reason that may pass (the image
 * store answering 503 or refusing connections, ...): not the record's fault. The exception leaves
 * the processor, so the record is neither committed nor dead-lettered; the service replaces the
 * stream thread ({@link LlavasegService}) and the record is processed again from the last commit.
 * {@link #dependency()} names what failed, for the metrics and readiness.
 */
public class DependencyUnavailableException extends RuntimeException {
  private final String dependency;

  public DependencyUnavailableException(String dependency, String message, Throwable cause) {
    super(message, cause);
    this.dependency = dependency;
  }

  /** What was unavailable, e.g. {@code image-store}. */
  public String dependency() {
    return dependency;
  }
}
