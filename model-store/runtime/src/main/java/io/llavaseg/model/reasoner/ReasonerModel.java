package io.llavaseg.model.reasoner;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import io.llavaseg.model.ModelHandle;
import io.llavaseg.model.ModelId;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.cot.PromptTemplates;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The committed ShapeWorld reasoner, loaded once per process through DJL {@link Criteria} from a
 * model folder ({@code model-store/reasoner/<version>/}): {@code serving.properties} (engine,
 * translator factory, architecture keys {@code reasoner.*}, {@code reasoner.maxNewTokens}),
 * {@code reasoner-0000.params}, {@code vocab.txt}, {@code prompts.properties} and, when present,
 * {@code backoff.tsv} (unknown English words read as known ones, {@link WordBackoff}). The folder's
 * name is the version in {@link ModelId}. Each thread gets its own {@link ReasonerWorker}.
 */
public final class ReasonerModel implements ModelHandle<Reasoner> {
  public static final String NAME = "shapeworld-reasoner";
  /** The model folder's weights are {@code reasoner-0000.params}. */
  public static final String PARAMS_NAME = "reasoner";
  /** Default cap on generated tokens per reply (the stop token included). */
  public static final int DEFAULT_MAX_NEW_TOKENS = 40;

  private final ZooModel<NDList, NDList> model;
  private final Vocabulary vocab;
  private final ReasonerConfig config;
  private final PromptTemplates templates;
  private final int maxNewTokens;
  private final ModelId id;

  private ReasonerModel(ZooModel<NDList, NDList> model, Vocabulary vocab, ReasonerConfig config,
      PromptTemplates templates, int maxNewTokens, ModelId id) {
    this.model = model;
    this.vocab = vocab;
    this.config = config;
    this.templates = templates;
    this.maxNewTokens = maxNewTokens;
    this.id = id;
  }

  /** Loads the model folder onto a device (e.g. {@code Device.cpu()}). */
  public static ReasonerModel load(Path modelDir, Device device) throws IOException {
    Path dir = modelDir.toAbsolutePath().normalize();
    Properties serving = readProperties(dir.resolve("serving.properties"));
    ReasonerConfig config = ReasonerConfig.from(serving);
    Vocabulary vocab = Vocabulary.load(dir.resolve("vocab.txt"));
    if (vocab.size() != config.vocabSize()) {
      throw new IOException("vocab.txt has " + vocab.size() + " tokens, serving.properties says " + config.vocabSize());
    }
    Path backoff = dir.resolve(WordBackoff.FILE);
    if (Files.exists(backoff)) {
      vocab = vocab.withBackoff(WordBackoff.load(backoff));
    }
    Path prompts = dir.resolve("prompts.properties");
    PromptTemplates templates = Files.exists(prompts) ? PromptTemplates.load(prompts) : PromptTemplates.DEFAULT;
    int maxNew = Integer.parseInt(serving.getProperty("reasoner.maxNewTokens", Integer.toString(DEFAULT_MAX_NEW_TOKENS)).strip());
    Criteria<NDList, NDList> criteria = Criteria.builder()
        .setTypes(NDList.class, NDList.class)
        .optModelPath(dir)
        .optModelName(PARAMS_NAME)
        .optEngine("PyTorch")
        .optDevice(device)
        .optBlock(new ReasonerBlock(config))
        .build();
    try {
      ZooModel<NDList, NDList> model = criteria.loadModel();
      String version = dir.getFileName().toString();
      return new ReasonerModel(model, vocab, config, templates, maxNew, new ModelId(NAME, version, device.toString()));
    } catch (ModelNotFoundException | MalformedModelException e) {
      throw new IOException("cannot load the reasoner from " + dir + ": " + e.getMessage(), e);
    }
  }

  private static Properties readProperties(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    }
    return p;
  }

  /** The folder's prompt templates ({@code prompts.properties}), so serving uses what training used. */
  public PromptTemplates templates() {
    return templates;
  }

  public Vocabulary vocabulary() {
    return vocab;
  }

  public ReasonerConfig config() {
    return config;
  }

  /** The network itself, for measurements that look inside it ({@link CountTokenProbe}). */
  public ReasonerBlock block() {
    return (ReasonerBlock) model.getBlock();
  }

  /** A manager for arrays of such measurements, on the model's device; close it when done. */
  public ai.djl.ndarray.NDManager newSubManager() {
    return model.getNDManager().newSubManager();
  }

  @Override
  public long managedArrays() {
    return model.getNDManager().getManagedArrays().size();
  }

  @Override
  public ModelId modelId() {
    return id;
  }

  @Override
  public ReasonerWorker newWorker() {
    return new ReasonerWorker(model.newPredictor(), model.getNDManager().newSubManager(), vocab, config, maxNewTokens, id);
  }

  @Override
  public void close() {
    model.close();
  }
}
