package io.llavaseg.ops;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llavaseg.eval.ReasonSegWriter;
import io.llavaseg.model.Reasoner;
import io.llavaseg.ops.cli.OutputOptions;
import io.llavaseg.ops.cli.QueryKindConverter;
import io.llavaseg.ops.cli.SplitOption;
import io.llavaseg.training.reasoner.CountTokenProbe;
import io.llavaseg.training.reasoner.ReasonerEvaluator;
import io.llavaseg.model.reasoner.ReasonerModel;
import io.llavaseg.shapeworld.QueryKind;
import io.llavaseg.shapeworld.ShapeWorld;
import io.llavaseg.shapeworld.Split;
import io.llavaseg.topology.ServiceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ops/llavaseg eval-reasoner}: measures a reasoner model folder through the real chain of
 * thought on ShapeWorld (target exact match, per-attribute accuracy, dialogue answers, "none" on
 * absent targets, latency of the three-step chain at batch 1 and where its time goes). Kinds are
 * forced round-robin over all nine query kinds. Does not run the segmenter (see {@code eval}).
 */
@Command(
    name = "eval-reasoner",
    mixinStandardHelpOptions = true,
    description = "Measure the reasoner's chain of thought on a ShapeWorld split (quality and latency at batch 1).")
public final class EvalReasonerCommand implements Callable<Integer> {
  @Option(names = "--model", description = "Reasoner model folder (default: <llavaseg.model.store>/reasoner/v11).")
  Path model;

  @Mixin SplitOption split;

  @Option(names = "--seed", description = "World seed instead of a split's (e.g. a seed never used anywhere).")
  Long seed;

  @Option(names = "--first", defaultValue = "0", description = "First sample index (default: ${DEFAULT-VALUE}).")
  long first;

  @Option(names = "--count", defaultValue = "1000", description = "Samples (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--warmup", defaultValue = "20", description = "Untimed chains before measuring (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Mixin OutputOptions output;

  @Option(names = "--misses", description = "Also write every wrong sample (kind, query, expected, got) to this file, one JSON object per line.")
  Path missesFile;

  @Option(names = "--kinds", split = ",", converter = QueryKindConverter.class,
      description = "Query kinds to draw, round-robin (default: all nine), e.g."
      + " dialogue to measure dialogue answers on more questions.")
  List<QueryKind> kinds;

  @Option(names = "--language", defaultValue = "templates", paramLabel = "LANG",
      converter = GenerateCommand.LanguageConverter.class,
      description = "How queries are worded: templates (default), paraphrase or held-out (see docs/language.md).")
  io.llavaseg.shapeworld.Language language;

  @Option(names = "--jpeg", description = "Show the reasoner each image written as JPEG (quality 0.95) and read back,"
      + " as generate writes a dataset and eval reads it, instead of the rendered pixels.")
  boolean jpeg;

  @Option(names = "--count-tokens", description = "Also measure how often the count tokens, rounded, are the true counts"
      + " (models with count tokens; tells a misread count from a miscounted one).")
  boolean countTokens;

  @Override
  public Integer call() throws Exception {
    Path dir = model != null ? model : ServiceConfig.defaults().reasonerDir();
    ShapeWorld world = (seed != null ? new ShapeWorld(seed) : ShapeWorld.of(split.orElse(Split.TEST))).withLanguage(language);
    try (ReasonerModel m = ReasonerModel.load(dir, Device.cpu()); Reasoner worker = m.newWorker()) {
      if (warmup > 0) {
        ReasonerEvaluator.evaluate(worker, m.templates(), new ShapeWorld(world.seed() + 1), 0, warmup);
      }
      List<QueryKind> only = kinds == null ? List.of(QueryKind.values()) : kinds;
      List<ReasonerEvaluator.Miss> misses = new ArrayList<>();
      ReasonerEvaluator.Report r = ReasonerEvaluator.evaluate(worker, m.templates(), world, first, count, only,
          jpeg ? ReasonSegWriter::jpegRoundTrip : UnaryOperator.identity(), misses::add);
      if (missesFile != null) {
        ObjectMapper mapper = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        for (ReasonerEvaluator.Miss miss : misses) {
          lines.add(mapper.writeValueAsString(miss));
        }
        if (missesFile.toAbsolutePath().getParent() != null) {
          Files.createDirectories(missesFile.toAbsolutePath().getParent());
        }
        Files.write(missesFile, lines);
      }
      System.out.print(r.summary());
      CountTokenProbe.Report probe = countTokens ? CountTokenProbe.measure(m, world, first, count, only) : null;
      if (probe != null) {
        System.out.print(probe.summary());
      }
      if (output.json().isPresent()) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", r.model().toString());
        out.put("worldSeed", world.seed());
        out.put("first", first);
        out.put("language", language.name().toLowerCase(java.util.Locale.ROOT));
        out.put("kinds", only);
        out.put("images", jpeg ? "jpeg" : "rendered");
        out.put("report", r);
        if (probe != null) {
          out.put("countTokens", probe);
        }
        MeasurementJson.write(output.json().get(), out);
      }
    }
    return 0;
  }
}
