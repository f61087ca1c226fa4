package io.llavaseg.eval;

import java.nio.file.Path;

/**
 * A sample that cannot be read or scored: missing or malformed JSON, an image that does not
 * decode, a polygon out of bounds, a prediction of the wrong size. The message names the file.
 */
public class DatasetException extends Exception {
  private final transient Path file;

  public DatasetException(Path file, String message) {
    super(file + ": " + message);
    this.file = file;
  }

  public DatasetException(Path file, String message, Throwable cause) {
    super(file + ": " + message, cause);
    this.file = file;
  }

  /** The offending file. */
  public Path file() {
    return file;
  }
}
