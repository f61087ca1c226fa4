package io.llavaseg.topology.model;

import io.llavaseg.model.ModelHandle;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.Segmenter;
import io.llavaseg.model.cot.PromptTemplates;
import io.llavaseg.topology.ServiceConfig;
import java.io.IOException;

/**
 * Loads the models the service runs, from the configuration ({@code llavaseg.model.store}, {@code
 * llavaseg.reasoner.version}, {@code llavaseg.segmenter.version}) onto a device ({@code cpu}, {@code
 * gpu0}, ...). The service loads each handle once per device per process (the weights are shared by
 * that device's workers) and asks it for one worker per inference thread; it closes the handles
 * after the streams have stopped. Only the handles of the configured stages are loaded.
 */
public interface ModelProvider {

  ModelHandle<Reasoner> reasoner(ServiceConfig config, String device) throws IOException;

  ModelHandle<Segmenter> segmenter(ServiceConfig config, String device) throws IOException;

  /**
   * The chain-of-thought prompts: {@code llavaseg.prompts.file} when set, else the defaults.
   * Providers whose reasoner folder carries its own {@code prompts.properties} override this.
   */
  default PromptTemplates prompts(ServiceConfig config) throws IOException {
    java.util.Optional<java.nio.file.Path> file = config.promptsFile();
    return file.isEmpty() ? PromptTemplates.DEFAULT : PromptTemplates.load(file.get());
  }
}
