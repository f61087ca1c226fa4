package io.llavaseg.topology.model;

import io.llavaseg.model.ModelHandle;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.Segmenter;
import io.llavaseg.model.backend.BackendContext;
import io.llavaseg.model.backend.BackendSetting;
import io.llavaseg.model.backend.ReasonerBackend;
import io.llavaseg.model.backend.SegmenterBackend;
import io.llavaseg.model.cot.PromptTemplates;
import io.llavaseg.topology.ModelBackends;
import io.llavaseg.topology.ServiceConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads the models through the backends the configuration chooses: {@code llavaseg.reasoner.backend}
 * and {@code llavaseg.segmenter.backend} ({@code djl}, the default: the model store's folders {@code
 * <llavaseg.model.store>/reasoner/<llavaseg.reasoner.version>/} and {@code .../segmenter/<version>/};
 * {@code openai}; {@code sam2}; a third party's), each given its model folder, the device and its own
 * settings ({@code llavaseg.<kind>.<backend>.*}). The prompts are {@code llavaseg.prompts.file} when
 * set, else the reasoner backend's own (for {@code djl} the folder's {@code prompts.properties}).
 * An unknown backend name fails with the names there are; a missing folder with the keys to fix.
 */
public final class BackendModelProvider implements ModelProvider {
  private final List<ReasonerBackend> reasoners;
  private final List<SegmenterBackend> segmenters;

  /** The backends on the classpath ({@link ModelBackends}). */
  public BackendModelProvider() {
    this(ModelBackends.reasoners(), ModelBackends.segmenters());
  }

  public BackendModelProvider(List<ReasonerBackend> reasoners, List<SegmenterBackend> segmenters) {
    this.reasoners = List.copyOf(reasoners);
    this.segmenters = List.copyOf(segmenters);
  }

  @Override
  public ModelHandle<Reasoner> reasoner(ServiceConfig config, String device) throws IOException {
    ReasonerBackend b = reasonerBackend(config);
    return b.load(context(config, ServiceConfig.REASONER_KIND, b.name(), b.settings(), config.reasonerDir(), device));
  }

  @Override
  public ModelHandle<Segmenter> segmenter(ServiceConfig config, String device) throws IOException {
    return segmenter(config, config.segmenterDir(), device);
  }

  /** The configured segmenter backend's model from {@code dir} instead of the model store's folder. */
  public ModelHandle<Segmenter> segmenter(ServiceConfig config, Path dir, String device) throws IOException {
    SegmenterBackend b = ModelBackends.pick(segmenters, SegmenterBackend::name, ServiceConfig.SEGMENTER_BACKEND,
        config.segmenterBackend());
    return b.load(context(config, ServiceConfig.SEGMENTER_KIND, b.name(), b.settings(), dir, device));
  }

  @Override
  public PromptTemplates prompts(ServiceConfig config) throws IOException {
    if (config.promptsFile().isPresent()) {
      return PromptTemplates.load(config.promptsFile().get());
    }
    ReasonerBackend b = reasonerBackend(config);
    return b.prompts(context(config, ServiceConfig.REASONER_KIND, b.name(), b.settings(), config.reasonerDir(), null));
  }

  private ReasonerBackend reasonerBackend(ServiceConfig config) {
    return ModelBackends.pick(reasoners, ReasonerBackend::name, ServiceConfig.REASONER_BACKEND, config.reasonerBackend());
  }

  private static BackendContext context(ServiceConfig config, String kind, String backend,
      List<BackendSetting> settings, Path dir, String device) {
    return new BackendContext(dir, device, config.backendSettings(kind, backend, settings));
  }
}
