package io.llavaseg.model.backend;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What a backend gets to load its model: the model folder the configuration names ({@code
 * <llavaseg.model.store>/<reasoner|segmenter>/<version>}; a backend that needs none ignores it), the
 * device to load onto ({@code cpu}, {@code gpu0}, ...), and its own settings ({@link
 * BackendSetting}), parsed.
 */
public record BackendContext(Path modelDir, String device, Map<String, Object> settings) {

  public BackendContext {
    settings = Map.copyOf(settings);
  }

  public String string(String name) {
    return (String) require(name);
  }

  public int integer(String name) {
    return (Integer) require(name);
  }

  public boolean bool(String name) {
    return (Boolean) require(name);
  }

  public Duration duration(String name) {
    return (Duration) require(name);
  }

  /** A setting's value, or null when it has none (an optional setting left unset). */
  public Object get(String name) {
    return settings.get(name);
  }

  private Object require(String name) {
    Object v = settings.get(name);
    if (v == null) {
      throw new IllegalArgumentException("the backend setting " + name + " is not set");
    }
    return v;
  }
}
