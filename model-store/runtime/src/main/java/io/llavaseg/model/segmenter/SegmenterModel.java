package io.llavaseg.model.segmenter;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslatorFactory;
import io.llavaseg.model.ModelHandle;
import io.llavaseg.model.ModelId;
import io.llavaseg.model.Segmenter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A loaded segmenter model folder (weights shared by every thread of the process); each thread
 * gets its own {@link Segmenter} from {@link #newWorker()}. Loading goes through DJL's {@link
 * Criteria}: the model path is the folder, the block is rebuilt in Java from the folder's {@code
 * serving.properties} (size, channels, embedDim, promptDim; vocabulary size from the vocabulary
 * file) and the translator comes from the factory class named there ({@code translatorFactory},
 * default {@link SegmenterTranslatorFactory}) with the file's arguments. The model id is {@code
 * name} from {@code serving.properties} (default {@code shapeworld-segmenter}), the folder's name
 * as version, and the device.
 *
 * <p>Does not handle folders of other architectures (e.g. TorchScript SAM): those need their own
 * {@code ModelHandle<Segmenter>} (see docs/models.md, "Backends and real models").
 */
public final class SegmenterModel implements ModelHandle<Segmenter> {
  private final ZooModel<SegmenterInput, MaskPrediction> model;
  private final ModelId id;

  private SegmenterModel(ZooModel<SegmenterInput, MaskPrediction> model, ModelId id) {
    this.model = model;
    this.id = id;
  }

  /** Loads a segmenter folder (e.g. {@code model-store/segmenter/v1}) onto {@code device}. */
  public static SegmenterModel load(Path modelDir, Device device) throws IOException, MalformedModelException {
    Path dir = modelDir.toAbsolutePath().normalize();
    if (!SegmenterFolder.hasWeights(dir)) {
      throw new IOException("no segmenter weights (" + SegmenterFolder.PREFIX + "-0000.params) in " + dir);
    }
    Properties props = SegmenterFolder.readProperties(dir);
    Map<String, Object> args = new HashMap<>();
    props.stringPropertyNames().forEach(k -> args.put(k, props.getProperty(k)));
    PromptVocabulary vocabulary = SegmenterTranslatorFactory.vocabulary(dir, args);
    SegmenterConfig config = SegmenterConfig.from(args, vocabulary.size());
    Criteria<SegmenterInput, MaskPrediction> criteria =
        Criteria.builder()
            .setTypes(SegmenterInput.class, MaskPrediction.class)
            .optModelPath(dir)
            .optModelName(SegmenterFolder.PREFIX)
            .optEngine(props.getProperty("engine", "PyTorch"))
            .optBlock(new SegmenterNet(config))
            .optDevice(device)
            .optTranslatorFactory(factory(props.getProperty("translatorFactory")))
            .optArguments(args)
            .build();
    try {
      ZooModel<SegmenterInput, MaskPrediction> zoo = criteria.loadModel();
      String name = props.getProperty("name", SegmenterFolder.DEFAULT_NAME);
      return new SegmenterModel(zoo, new ModelId(name, dir.getFileName().toString(), device.toString()));
    } catch (ModelNotFoundException e) {
      throw new IOException("cannot load the segmenter in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Whether a folder has the files {@link #load} needs. */
  public static boolean isModelFolder(Path dir) {
    return Files.isDirectory(dir) && SegmenterFolder.hasWeights(dir);
  }

  private static TranslatorFactory factory(String className) {
    if (className == null || className.isBlank()) {
      return new SegmenterTranslatorFactory();
    }
    try {
      return (TranslatorFactory)
          Class.forName(className, true, Thread.currentThread().getContextClassLoader())
              .getDeclaredConstructor()
              .newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalArgumentException("translatorFactory " + className + " cannot be created", e);
    }
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
  public DjlSegmenter newWorker() {
    return new DjlSegmenter(model.newPredictor(), id);
  }

  /** The underlying DJL model (shared; do not close it directly). */
  public ZooModel<SegmenterInput, MaskPrediction> zooModel() {
    return model;
  }

  @Override
  public void close() {
    model.close();
  }

  static UncheckedIOException unchecked(IOException e) {
    return new UncheckedIOException(e);
  }
}
