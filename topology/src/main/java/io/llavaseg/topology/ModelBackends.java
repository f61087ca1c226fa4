package io.llavaseg.topology;

import io.llavaseg.model.backend.BackendSetting;
import io.llavaseg.model.backend.ReasonerBackend;
import io.llavaseg.model.backend.SegmenterBackend;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;

/**
 * The model backends on the classpath, found once with {@link ServiceLoader} (a backend is a jar
 * with {@code META-INF/services/io.llavaseg.model.backend.ReasonerBackend} or {@code
 * ...SegmenterBackend}), sorted by name: what {@code llavaseg.reasoner.backend} and {@code
 * llavaseg.segmenter.backend} choose from, and whose settings {@link ServiceConfig} defines as
 * {@code llavaseg.<reasoner|segmenter>.<backend>.<setting>}.
 */
public final class ModelBackends {
  private static final List<ReasonerBackend> REASONERS = load(ReasonerBackend.class, ReasonerBackend::name);
  private static final List<SegmenterBackend> SEGMENTERS = load(SegmenterBackend.class, SegmenterBackend::name);

  private ModelBackends() {}

  public static List<ReasonerBackend> reasoners() {
    return REASONERS;
  }

  public static List<SegmenterBackend> segmenters() {
    return SEGMENTERS;
  }

  /** {@code llavaseg.<kind>.<backend>.<setting>}. */
  public static String key(String kind, String backend, BackendSetting setting) {
    return ServiceConfig.PREFIX + kind + "." + backend + "." + setting.name();
  }

  /**
   * The backend named {@code name} among {@code backends}.
   *
   * @throws ConfigException naming {@code key}, the value and the backends there are
   */
  public static <B> B pick(List<B> backends, Function<B, String> names, String key, String name) {
    for (B b : backends) {
      if (names.apply(b).equals(name)) {
        return b;
      }
    }
    throw new ConfigException(key, name, "no such backend on the classpath; there are: "
        + backends.stream().map(names).collect(Collectors.joining(", "))
        + " (a backend is a jar registered for java.util.ServiceLoader)");
  }

  private static <B> List<B> load(Class<B> type, Function<B, String> name) {
    List<B> found = new ArrayList<>();
    ServiceLoader.load(type, ModelBackends.class.getClassLoader()).forEach(found::add);
    found.sort(Comparator.comparing(name));
    return List.copyOf(found);
  }
}
