package io.llavaseg.model.sam2;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.modality.cv.translator.Sam2Translator;
import ai.djl.modality.cv.translator.Sam2Translator.Sam2Input;
import ai.djl.modality.cv.translator.Sam2TranslatorFactory;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import io.llavaseg.model.ModelHandle;
import io.llavaseg.model.ModelId;
import io.llavaseg.model.Segmenter;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Loads a SAM 2 model folder as a {@code ModelHandle<Segmenter>}: the DJL {@link ZooModel} is loaded
 * once onto a device and shared; each {@link ModelHandle#newWorker()} is a {@link Sam2Segmenter}
 * with its own {@code Predictor} and its own {@link Sam2Translator} (the translator keeps its
 * image-encoder predictor in a field, so workers do not share one). DJL attaches that inner
 * predictor to the model, so it lives until the handle is closed: make workers once per thread,
 * not per request.
 *
 * <p>The folder contract is the one DJL's SAM 2 export ({@code trace_sam2_img.py} in DJL's examples,
 * also the layout of the model zoo's {@value #ZOO_URL}) writes:
 *
 * <ul>
 *   <li>{@code <modelName>.pt}: a TorchScript module with two methods. {@code encode(image)} takes
 *       the image resized to 1024x1024 and normalised with ImageNet's mean and std, {@code
 *       float32[1, 3, 1024, 1024]}, and returns the tuple {@code (high_res_feats_0,
 *       high_res_feats_1, image_embed)} (SAM 2 Hiera: {@code [1, 32, 256, 256]}, {@code [1, 64,
 *       128, 128]}, {@code [1, 256, 64, 64]}). {@code forward(image_embed, high_res_feats_0,
 *       high_res_feats_1, point_coords, point_labels, mask_input, has_mask_input)} takes the
 *       prompts as {@code point_coords float32[1, N, 2]} (x, y scaled to the 1024x1024 input) and
 *       {@code point_labels float32[1, N]} (1 foreground point, 0 background point, 2 and 3 a box's
 *       top-left and bottom-right corners), {@code mask_input float32[1, 1, 256, 256]} and {@code
 *       has_mask_input float32[1]} (both zeros: no previous mask), and returns {@code (mask_logits
 *       float32[1, M, h, w], iou_predictions float32[1, M])}: M candidate masks as logits at any
 *       resolution (SAM 2: 3 at 256x256), which the translator scales to the image and thresholds at
 *       0, keeping the candidate with the highest predicted IoU.
 *   <li>{@code serving.properties}: {@code engine=PyTorch}, {@code option.modelName=<modelName>},
 *       {@code translatorFactory=ai.djl.modality.cv.translator.Sam2TranslatorFactory} and {@code
 *       encode_method=encode} (the translator then calls {@code encode} through DJL's {@code
 *       module_method:} input). Optional: {@code name} (the model id's name, default the folder's
 *       name) and {@code version} (default the folder's name). Without {@code option.modelName} the
 *       folder must hold exactly one {@code .pt} file. Without {@code encode_method} DJL's
 *       translator instead calls {@code forward(image, point_coords, point_labels)} on the one
 *       module.
 * </ul>
 *
 * <p>Only the PyTorch engine is on this module's classpath: a folder for another engine (DJL's
 * OnnxRuntime SAM 2 with a separate {@code encoder} file) is refused.
 */
public final class Sam2Models {
  /** DJL's model zoo id of the PyTorch SAM 2 Hiera tiny export (needs internet at first load). */
  public static final String ZOO_URL = "djl://ai.djl.pytorch/sam2-hiera-tiny";

  private Sam2Models() {}

  /** Loads the SAM 2 folder {@code dir} (see the class comment) onto {@code device}. */
  public static ModelHandle<Segmenter> segmenter(Path dir, Device device) throws IOException, MalformedModelException {
    Path folder = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(folder)) {
      throw new IOException("no SAM 2 model folder at " + folder);
    }
    Properties props = readProperties(folder);
    String engine = props.getProperty("engine", "PyTorch");
    if (!"PyTorch".equals(engine)) {
      throw new IOException("SAM 2 folder " + folder + " is for engine " + engine + "; only PyTorch (TorchScript) is supported");
    }
    String modelName = modelName(folder, props);
    Map<String, Object> args = new HashMap<>();
    props.stringPropertyNames().forEach(k -> args.put(k, props.getProperty(k)));
    Criteria<Sam2Input, DetectedObjects> criteria =
        Criteria.builder()
            .setTypes(Sam2Input.class, DetectedObjects.class)
            .optModelPath(folder)
            .optModelName(modelName)
            .optEngine("PyTorch")
            .optDevice(device)
            .optTranslatorFactory(new Sam2TranslatorFactory())
            .optArguments(args)
            .build();
    ZooModel<Sam2Input, DetectedObjects> zoo;
    try {
      zoo = criteria.loadModel();
    } catch (ModelNotFoundException e) {
      throw new IOException("cannot load SAM 2 from " + folder + ": " + e.getMessage(), e);
    }
    String folderName = folder.getFileName().toString();
    ModelId id =
        new ModelId(
            props.getProperty("name", folderName),
            props.getProperty("version", folderName),
            zoo.getNDManager().getDevice().toString());
    return new Handle(zoo, id, args);
  }

  /** Whether {@code dir} looks like a SAM 2 folder: a directory with a TorchScript {@code .pt} file. */
  public static boolean isModelFolder(Path dir) {
    return Files.isDirectory(dir) && !ptFiles(dir).isEmpty();
  }

  private static Properties readProperties(Path folder) throws IOException {
    Properties props = new Properties();
    Path file = folder.resolve("serving.properties");
    if (Files.isRegularFile(file)) {
      try (Reader r = Files.newBufferedReader(file)) {
        props.load(r);
      }
    }
    return props;
  }

  private static String modelName(Path folder, Properties props) throws IOException {
    String named = props.getProperty("option.modelName");
    if (named != null && !named.isBlank()) {
      if (!Files.isRegularFile(folder.resolve(named + ".pt"))) {
        throw new IOException("SAM 2 folder " + folder + " has no " + named + ".pt (option.modelName)");
      }
      return named;
    }
    List<Path> pts = ptFiles(folder);
    if (pts.size() != 1) {
      throw new IOException(
          "SAM 2 folder " + folder + " needs option.modelName in serving.properties or exactly one .pt file, found " + pts.size());
    }
    String file = pts.get(0).getFileName().toString();
    return file.substring(0, file.length() - ".pt".length());
  }

  private static List<Path> ptFiles(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".pt") && Files.isRegularFile(f)).toList();
    } catch (IOException e) {
      return new ArrayList<>();
    }
  }

  /** The shared model; each worker gets a Predictor over it with a translator of its own. */
  private static final class Handle implements ModelHandle<Segmenter> {
    private final ZooModel<Sam2Input, DetectedObjects> model;
    private final ModelId id;
    private final Map<String, Object> args;

    Handle(ZooModel<Sam2Input, DetectedObjects> model, ModelId id, Map<String, Object> args) {
      this.model = model;
      this.id = id;
      this.args = Map.copyOf(args);
    }

    @Override
    public ModelId modelId() {
      return id;
    }

    @Override
    public Segmenter newWorker() {
      return new Sam2Segmenter(model.newPredictor(Sam2Translator.builder(args).build()), id);
    }

    @Override
    public long managedArrays() {
      return model.getNDManager().getManagedArrays().size();
    }

    @Override
    public void close() {
      model.close();
    }
  }
}
