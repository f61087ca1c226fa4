package io.llavaseg.ops;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llavaseg.eval.DatasetException;
import io.llavaseg.eval.EvalReport;
import io.llavaseg.eval.Evaluation;
import io.llavaseg.eval.MaskSource;
import io.llavaseg.eval.PredictionsDir;
import io.llavaseg.eval.ReasonSegDataset;
import io.llavaseg.ops.cli.ModelOptions;
import io.llavaseg.ops.cli.OutputOptions;
import io.llavaseg.ops.cli.SplitOption;
import io.llavaseg.shapeworld.Language;
import io.llavaseg.shapeworld.Split;
import io.llavaseg.shapeworld.Style;
import java.util.List;
import java.util.Map;
import io.llavaseg.training.segmenter.GroundTruthPromptSource;
import io.llavaseg.topology.model.BackendModelProvider;
import io.llavaseg.topology.ServiceConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ops/llavaseg eval}: scores predictions against a ReasonSeg-format dataset (ShapeWorld or
 * real ReasonSeg) with LISA's gIoU and cIoU, by query kind, plus dialogue accuracy and the
 * empty-mask rate on absent targets. Prints a summary, optionally writes the JSON report.
 *
 * <p>Exit codes: 0 every sample scored; 3 finished but some samples could not be scored (listed
 * in the report); 1 unreadable or empty folder, or the first bad sample with {@code --fail-fast};
 * 2 bad usage (picocli's convention).
 *
 * <p>Prediction sources: {@code --predictions DIR} (mask PNGs named NAME.png), or {@code --prompts
 * ground-truth} (the segmenter prompted with each sample's ground-truth description and
 * attributes). Other sources plug in through {@link #openSource()}.
 *
 * <p>{@code --styles} runs the robustness grid ({@link RobustnessGrid}); {@code --compare} runs the
 * served pipeline and the LISA variant side by side ({@link LisaComparison}).
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Score masks against a ReasonSeg-format dataset (gIoU, cIoU, by kind, dialogue accuracy).",
      "Masks come from --predictions DIR, from the segmenter with --prompts ground-truth, or, with "
          + "neither, from the live pipeline in-process (reasoner chain of thought, then segmenter)."
    })
public final class EvalCommand implements Callable<Integer> {

  @Option(names = "--dataset", paramLabel = "DIR",
      description = "ReasonSeg-format folder (required unless --styles asks for the robustness grid or --compare "
          + "for the LISA comparison).")
  Path dataset;

  @Option(names = "--styles", paramLabel = "LIST",
      description = "The robustness grid instead of --dataset: rendering styles and/or groups (training, held-out), "
          + "comma-separated; each cell is --count samples of --split/--seed in one style and language "
          + "(see generate --style list).")
  String styles;

  @Option(names = "--language", paramLabel = "LIST", defaultValue = "templates",
      description = "With --styles: query languages, comma-separated: templates, paraphrase, held-out "
          + "(default ${DEFAULT-VALUE}).")
  String languages;

  @Option(names = "--count", paramLabel = "N",
      description = "With --styles: samples per cell (default 100); with --compare: samples of the nine kinds "
          + "round-robin (default 270).")
  Integer count;

  @Option(names = "--compare",
      description = "Run the served LLaVASeg pipeline and the LISA variant (--lisa) on the same samples of --split "
          + "(default val) from --start, and print dialogue accuracy (exact, by question type), gIoU/cIoU by kind, "
          + "latency, training time and size side by side (docs/lisa-vs-llavaseg.md).")
  boolean compare;

  @Option(names = "--start", paramLabel = "INDEX", defaultValue = "0",
      description = "With --compare: first sample index (default ${DEFAULT-VALUE}).")
  long start;

  @Option(names = "--dialogue-count", paramLabel = "N", defaultValue = "270",
      description = "With --compare: dialogue questions from --start (default ${DEFAULT-VALUE}).")
  int dialogueCount;

  @Option(names = "--lisa", paramLabel = "DIR",
      description = "With --compare: the LISA variant's folder (default: <model store>/variants/lisa-v1).")
  Path lisa;

  @Mixin SplitOption splitOption;

  @Option(names = "--seed", paramLabel = "S", description = "With --styles: world seed (default: the split's, else val's).")
  Long seed;

  @Option(names = "--predictions", paramLabel = "DIR",
      description = "Folder of NAME.png masks (nonzero = foreground), optional NAME.txt dialogue answers. "
          + "A missing PNG counts as an empty mask and is reported.")
  Path predictions;

  @Mixin OutputOptions output;

  @Option(names = "--per-sample", description = "Include every sample's IoU in the JSON report.")
  boolean perSample;

  @Option(names = "--keep-going", description = "Skip bad samples and report them (the default).")
  boolean keepGoing;

  @Option(names = "--fail-fast", description = "Stop at the first bad sample.")
  boolean failFast;

  @Option(names = "--clip-polygons",
      description = "Clip annotation polygons that reach outside the image instead of rejecting the sample.")
  boolean clipPolygons;

  @Mixin ModelOptions models;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The prediction source chosen by the options; add new sources here. */
  MaskSource openSource() throws IOException {
    if (prompts != null) {
      if (predictions != null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "give --predictions or --prompts, not both");
      }
      ServiceConfig config = ServiceConfig.from(models.applyTo(new java.util.Properties()));
      Path dir = segmenter != null ? segmenter : config.segmenterDir();
      return new GroundTruthPromptSource(new BackendModelProvider().segmenter(config, dir, "cpu"));
    }
    if (predictions == null) {
      // neither: the live pipeline (reasoner's chain of thought, then the segmenter), in-process
      return new LivePipelineSource(ServiceConfig.from(models.applyTo(new java.util.Properties())));
    }
    return new PredictionsDir(predictions);
  }

  /** Where the masks come from when no predictions folder is given. */
  enum Prompts {
    /** The segmenter prompted with each sample's ground-truth description and attributes. */
    ground_truth;

    @Override
    public String toString() {
      return name().replace('_', '-');
    }
  }

  @Option(names = "--prompts", paramLabel = "ground-truth", converter = PromptsConverter.class,
      description = "Run the segmenter (--segmenter) prompted with each sample's ground-truth target and "
          + "attributes, instead of reading --predictions: the segmenter's quality apart from reasoning.")
  Prompts prompts;

  @Option(names = "--segmenter", paramLabel = "DIR",
      description = "Segmenter model folder for --prompts, loaded by the configured segmenter backend "
          + "(--set llavaseg.segmenter.backend=sam2 for a SAM 2 folder; default: <model store>/segmenter/v3).")
  Path segmenter;

  static final class PromptsConverter implements CommandLine.ITypeConverter<Prompts> {
    @Override
    public Prompts convert(String value) {
      if (value.equals("ground-truth")) {
        return Prompts.ground_truth;
      }
      throw new CommandLine.TypeConversionException("--prompts takes ground-truth, not " + value);
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (keepGoing && failFast) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--keep-going and --fail-fast exclude each other");
    }
    if (compare) {
      return compare(out, err);
    }
    if (styles != null) {
      return grid(out, err);
    }
    if (dataset == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "give --dataset DIR, or --styles for the robustness grid");
    }
    if (!Files.isDirectory(dataset)) {
      err.println("eval: " + dataset + ": dataset folder does not exist");
      return 1;
    }
    long t0 = System.nanoTime();
    long[] last = {t0};
    Evaluation.Progress progress = (done, total) -> {
      long now = System.nanoTime();
      if (now - last[0] >= 2_000_000_000L || (done == total && now - t0 >= 2_000_000_000L)) {
        last[0] = now;
        err.printf(Locale.ROOT, "eval: %d/%d samples%n", done, total);
        err.flush();
      }
    };
    EvalReport report;
    try (MaskSource source = openSource()) {
      report = Evaluation.run(new ReasonSegDataset(dataset, clipPolygons), source,
          new Evaluation.Options(failFast, progress));
    } catch (DatasetException e) {
      err.println("eval: stopped at the first bad sample (--fail-fast): " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("eval: " + e.getMessage());
      return 1;
    }
    if (report.listed() == 0) {
      err.println("eval: " + dataset + ": no samples (expected NAME.jpg + NAME.json files)");
      return 1;
    }
    out.print(report.toText());
    if (!report.missing().isEmpty()) {
      int shown = Math.min(10, report.missing().size());
      out.println("missing predictions (" + report.missing().size() + "): "
          + String.join(", ", report.missing().subList(0, shown)) + (shown < report.missing().size() ? ", ..." : ""));
    }
    out.flush();
    if (output.json().isPresent()) {
      Path json = output.json().get();
      Path parent = json.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), report.toJson(perSample));
    }
    return report.errors().isEmpty() ? 0 : 3;
  }

  /** {@code --compare}: the served pipeline and the LISA variant on the same samples, side by side. */
  private int compare(PrintWriter out, PrintWriter err) throws Exception {
    if (dataset != null || styles != null || predictions != null || prompts != null) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--compare generates its samples and runs both systems: no --dataset, --styles, --predictions or --prompts");
    }
    Split split = splitOption.orElse(Split.VAL);
    long s = seed != null ? seed : split.seed();
    String splitName = seed != null ? "seed " + seed : split.name().toLowerCase(Locale.ROOT);
    ServiceConfig config = ServiceConfig.from(models.applyTo(new java.util.Properties()));
    Path lisaDir = lisa != null ? lisa : config.modelStore().resolve("variants").resolve("lisa-v1");
    LisaComparison comparison = new LisaComparison(s, splitName, start, count != null ? count : 270, dialogueCount);
    Path work = Files.createTempDirectory("llavaseg-compare-");
    try {
      comparison.writeSamples(work);
      java.util.function.Consumer<String> log = line -> {
        err.println(line);
        err.flush();
      };
      LisaComparison.SystemResult pipeline;
      try (MaskSource source = new LivePipelineSource(config)) {
        pipeline = comparison.measure("llavaseg", "reasoner " + config.reasonerVersion() + " + segmenter "
            + config.segmenterDir().getFileName(), source,
            LisaComparison.cost(List.of(LisaComparison.folderCost(config.reasonerDir()),
                LisaComparison.folderCost(config.segmenterDir()))), work, log);
      }
      LisaComparison.SystemResult variant;
      try (LisaSource source = new LisaSource(lisaDir)) {
        variant = comparison.measure("lisa", "variant " + lisaDir.getFileName(), source,
            LisaComparison.cost(List.of(LisaComparison.folderCost(lisaDir))), work, log);
      }
      out.print(comparison.table(pipeline, variant));
      out.flush();
      if (output.json().isPresent()) {
        MeasurementJson.write(output.json().get(), comparison.toJson(pipeline, variant));
        err.println("eval: wrote " + output.json().get());
      }
      return pipeline.segmentation().errors().isEmpty() && variant.segmentation().errors().isEmpty() ? 0 : 3;
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /** {@code --styles}: every style x language cell scored, the grid printed and written with --json. */
  private int grid(PrintWriter out, PrintWriter err) throws Exception {
    if (dataset != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--styles generates its samples: no --dataset");
    }
    List<Style> styleList;
    List<Language> languageList = new java.util.ArrayList<>();
    try {
      styleList = Style.parse(styles);
      for (String l : languages.split(",")) {
        if (!l.isBlank()) {
          languageList.add(Language.parse(l));
        }
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    long s = seed != null ? seed : splitOption.orElse(Split.VAL).seed();
    RobustnessGrid grid = new RobustnessGrid(s, count != null ? count : 100, styleList, languageList);
    Path work = Files.createTempDirectory("llavaseg-grid-");
    try (MaskSource source = openSource()) {
      List<RobustnessGrid.Cell> cells = grid.run(source, work, line -> {
        out.println(line);
        out.flush();
      });
      Map<String, Object> json = grid.toJson(cells, source.describe());
      out.println("summary (mean gIoU by style group and language): " + json.get("summary"));
      if (output.json().isPresent()) {
        MeasurementJson.write(output.json().get(), json);
        err.println("eval: wrote " + output.json().get());
      }
      return cells.stream().allMatch(c -> c.report().errors().isEmpty()) ? 0 : 3;
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
