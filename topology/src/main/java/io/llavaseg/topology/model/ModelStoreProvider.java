package io.llavaseg.topology.model;

import io.llavaseg.model.ModelHandle;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.Segmenter;
import ai.djl.Device;
import io.llavaseg.model.cot.PromptTemplates;
import ai.djl.MalformedModelException;
import io.llavaseg.model.reasoner.ReasonerModel;
import io.llavaseg.model.segmenter.SegmenterModel;
import io.llavaseg.topology.ServiceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads the models from the model store: {@code <llavaseg.model.store>/reasoner/<llavaseg.reasoner.version>/}
 * and {@code <llavaseg.model.store>/segmenter/<llavaseg.segmenter.version>/}, onto the device asked for.
 * A missing folder fails with a message naming the keys to fix. The prompts are {@code
 * llavaseg.prompts.file} when set, else the reasoner folder's {@code prompts.properties} (what
 * training used), else the defaults. How a folder becomes a {@link ModelHandle} is a {@link Loader}
 * per model kind; the no-argument constructor wires the project's DJL models ({@code load(Path,
 * Device)}, device names as {@code ai.djl.Device.fromName} reads them: {@code cpu}, {@code gpu0}).
 */
public final class ModelStoreProvider implements ModelProvider {

  /** Loads one model folder onto a device named like {@code cpu}, {@code gpu0}. */
  @FunctionalInterface
  public interface Loader<W extends AutoCloseable> {
    ModelHandle<W> load(Path modelDir, String device) throws IOException;
  }

  public static final String PROMPTS_FILE = "prompts.properties";

  private final Loader<Reasoner> reasoners;
  private final Loader<Segmenter> segmenters;

  /** The project's own DJL models: {@link ReasonerModel} and {@link SegmenterModel}. */
  public ModelStoreProvider() {
    this((dir, device) -> ReasonerModel.load(dir, Device.fromName(device)),
        (dir, device) -> {
          try {
            return SegmenterModel.load(dir, Device.fromName(device));
          } catch (MalformedModelException e) {
            throw new IOException("cannot load the segmenter from " + dir + ": " + e.getMessage(), e);
          }
        });
  }

  public ModelStoreProvider(Loader<Reasoner> reasoners, Loader<Segmenter> segmenters) {
    this.reasoners = reasoners;
    this.segmenters = segmenters;
  }

  @Override
  public ModelHandle<Reasoner> reasoner(ServiceConfig config, String device) throws IOException {
    return reasoners.load(existing(config.reasonerDir(), ServiceConfig.REASONER_VERSION), device);
  }

  @Override
  public ModelHandle<Segmenter> segmenter(ServiceConfig config, String device) throws IOException {
    return segmenters.load(existing(config.segmenterDir(), ServiceConfig.SEGMENTER_VERSION), device);
  }

  @Override
  public PromptTemplates prompts(ServiceConfig config) throws IOException {
    if (config.promptsFile().isPresent()) {
      return PromptTemplates.load(config.promptsFile().get());
    }
    Path folderPrompts = config.reasonerDir().resolve(PROMPTS_FILE);
    return Files.isRegularFile(folderPrompts) ? PromptTemplates.load(folderPrompts) : PromptTemplates.DEFAULT;
  }

  private static Path existing(Path dir, String versionKey) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("no model folder " + dir.toAbsolutePath() + ": check " + ServiceConfig.MODEL_STORE
          + " and " + versionKey);
    }
    return dir;
  }
}
