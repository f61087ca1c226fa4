package io.llavaseg.topology;

import io.llavaseg.topology.inference.DevicePlan;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The {@link ConfigDef.Validator}s of {@link ServiceConfig} that Kafka does not have: durations in
 * the {@link Durations} grammar, the stage list, the device list ({@link DevicePlan}) and finite
 * non-negative numbers. Each throws a {@link ConfigException} naming the key and the value; each
 * {@code toString} is the "valid values" column of {@code docs/configuration.md}.
 */
final class ConfigValidators {

  private ConfigValidators() {}

  /** A duration ({@link Durations#parse(String, String)}) of at least {@code min}. */
  static final class DurationAtLeast implements ConfigDef.Validator {
    private final Duration min;

    DurationAtLeast(Duration min) {
      this.min = min;
    }

    @Override
    public void ensureValid(String name, Object value) {
      if (value == null) {
        throw new ConfigException(name, null, "must be a duration such as 30s");
      }
      Duration d;
      try {
        d = Durations.parse(name, value.toString());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(name, value, e.getMessage());
      }
      if (d.compareTo(min) < 0) {
        throw new ConfigException(name, value, "must be at least " + text(min));
      }
    }

    @Override
    public String toString() {
      return "duration >= " + text(min) + " (250ms, 30s, 5m, 1h, 7d, plain ms, or ISO-8601 such as PT1H)";
    }

    private static String text(Duration d) {
      return d.toMillis() % 1000 == 0 && !d.isZero() ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
  }

  /** A comma-separated list of stages ({@link Stage#parseList}), at least one. */
  static final ConfigDef.Validator STAGES = new ConfigDef.Validator() {
    @Override
    public void ensureValid(String name, Object value) {
      String text = value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
          : String.valueOf(value);
      try {
        Stage.parseList(text);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(name, value, e.getMessage());
      }
    }

    @Override
    public String toString() {
      return "one or more of reasoning, segmentation, standing";
    }
  };

  /** {@code cpu}, {@code auto} or distinct GPUs {@code gpu0,gpu1,...} ({@link DevicePlan#validate}). */
  static final ConfigDef.Validator DEVICES = new ConfigDef.Validator() {
    @Override
    public void ensureValid(String name, Object value) {
      try {
        DevicePlan.validate(value == null ? null : value.toString());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(name, value, e.getMessage());
      }
    }

    @Override
    public String toString() {
      return "cpu, auto, or GPUs such as gpu0,gpu1";
    }
  };

  /** A finite number {@code >= 0} (Kafka's {@code Range} lets NaN and infinity through). */
  static final ConfigDef.Validator FINITE_NON_NEGATIVE = new ConfigDef.Validator() {
    @Override
    public void ensureValid(String name, Object value) {
      double v = value instanceof Number n ? n.doubleValue() : Double.NaN;
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new ConfigException(name, value, "must be a finite number >= 0");
      }
    }

    @Override
    public String toString() {
      return "[0,...] (finite)";
    }
  };

  /** A replication factor: {@code -1} (the broker's default) or {@code >= 1}. */
  static final ConfigDef.Validator REPLICATION = new ConfigDef.Validator() {
    @Override
    public void ensureValid(String name, Object value) {
      long v = value instanceof Number n ? n.longValue() : 0;
      if (v != -1 && v < 1) {
        throw new ConfigException(name, value, "must be -1 (the broker's default) or >= 1");
      }
    }

    @Override
    public String toString() {
      return "-1 or [1,...,32767]";
    }
  };

  /** A topic name prefix: empty, or Kafka's topic characters ({@code [a-zA-Z0-9._-]}), at most 200. */
  static final ConfigDef.Validator TOPIC_PREFIX = new ConfigDef.Validator() {
    @Override
    public void ensureValid(String name, Object value) {
      String s = value == null ? "" : value.toString();
      if (s.length() > 200 || !s.matches("[a-zA-Z0-9._-]*")) {
        throw new ConfigException(name, value, "a topic prefix holds only letters, digits, '.', '_' and '-'");
      }
    }

    @Override
    public String toString() {
      return "[a-zA-Z0-9._-]*";
    }
  };
}
