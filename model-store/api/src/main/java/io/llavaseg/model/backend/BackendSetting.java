package io.llavaseg.model.backend;

import java.util.Objects;

/**
 * One setting a backend reads, declared by the backend and defined by the service's typed
 * configuration as {@code llavaseg.<reasoner|segmenter>.<backend>.<name>} (validated at start,
 * listed in {@code docs/configuration.md}, its value handed to the backend in {@link
 * BackendContext} already parsed).
 *
 * @param name the key below the backend's prefix, e.g. {@code base.url}
 * @param type how the value is parsed and what {@link BackendContext} hands over
 * @param defaultValue the default as written in a properties file; null = required
 * @param doc what it does, for the reference
 */
public record BackendSetting(String name, Type type, String defaultValue, String doc) {

  /** Value types, and the Java type each is handed over as. */
  public enum Type {
    /** {@link String}. */
    STRING,
    /** {@link String}, never logged or printed (the service masks it; {@code ${file:...}} secrets work). */
    PASSWORD,
    /** {@link Integer}, at least 0. */
    INT,
    /** {@link Boolean}. */
    BOOLEAN,
    /** {@link java.time.Duration}, written like {@code 30s}, {@code 500ms}, {@code PT1M}. */
    DURATION
  }

  public BackendSetting {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(doc, "doc");
    if (!name.matches("[a-z0-9]+([.-][a-z0-9]+)*")) {
      throw new IllegalArgumentException("setting names are lower-case words joined by '.' or '-': " + name);
    }
  }
}
