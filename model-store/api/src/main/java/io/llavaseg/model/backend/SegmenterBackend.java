package io.llavaseg.model.backend;

import io.llavaseg.model.ModelHandle;
import io.llavaseg.model.Segmenter;
import java.io.IOException;
import java.util.List;

/**
 * A way to run the segmenter, chosen by {@code llavaseg.segmenter.backend=<name>} and found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.llavaseg.model.backend.SegmenterBackend}).
 * The project ships {@code djl} (its own model folders) and {@code sam2} (SAM 2 through DJL).
 */
public interface SegmenterBackend {

  /** The value of {@code llavaseg.segmenter.backend} that selects this backend. */
  String name();

  /** The settings this backend reads, as {@code llavaseg.segmenter.<name>.<setting>}. */
  default List<BackendSetting> settings() {
    return List.of();
  }

  /**
   * Whether the model runs in another process (a server): then a request that times out is an
   * outage, retried like a {@link io.llavaseg.model.ModelUnavailableException}, not the record's
   * fault. False for in-process models, whose timeout means a hung worker.
   */
  default boolean remote() {
    return false;
  }

  /** Loads the model once for {@code context.device()}; the service asks it for a worker per thread. */
  ModelHandle<Segmenter> load(BackendContext context) throws IOException;
}
