package io.llavaseg.model.backend;

import io.llavaseg.model.ModelHandle;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.cot.PromptTemplates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A way to run the reasoner, chosen by {@code llavaseg.reasoner.backend=<name>} and found with
 * {@link java.util.ServiceLoader}: a jar on the classpath whose {@code
 * META-INF/services/io.llavaseg.model.backend.ReasonerBackend} names the implementation (it needs
 * a public no-argument constructor). The project ships {@code djl} (its own model folders) and
 * {@code openai} (any OpenAI-compatible server).
 */
public interface ReasonerBackend {

  /** The value of {@code llavaseg.reasoner.backend} that selects this backend. */
  String name();

  /** The settings this backend reads, as {@code llavaseg.reasoner.<name>.<setting>}. */
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
  ModelHandle<Reasoner> load(BackendContext context) throws IOException;

  /**
   * The chain-of-thought prompts when {@code llavaseg.prompts.file} is not set: the model folder's
   * {@code prompts.properties} when there is one, else the defaults.
   */
  default PromptTemplates prompts(BackendContext context) throws IOException {
    Path file = context.modelDir() == null ? null : context.modelDir().resolve("prompts.properties");
    return file != null && Files.isRegularFile(file) ? PromptTemplates.load(file) : PromptTemplates.DEFAULT;
  }
}
