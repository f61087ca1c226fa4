package io.llavaseg.ops;

import ai.djl.Device;
import io.llavaseg.model.segmenter.DjlSegmenter;
import io.llavaseg.ops.cli.OutputOptions;
import io.llavaseg.ops.cli.SplitOption;
import io.llavaseg.ops.cli.MaskRasterConverter;
import io.llavaseg.training.segmenter.MaskRaster;
import io.llavaseg.training.segmenter.SegmenterEvaluation;
import io.llavaseg.model.segmenter.SegmenterModel;
import io.llavaseg.shapeworld.ShapeWorld;
import io.llavaseg.shapeworld.Split;
import io.llavaseg.topology.ServiceConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ops/llavaseg eval-segmenter}: the segmenter's own quality and speed on freshly generated
 * ShapeWorld samples prompted with ground truth (gIoU/cIoU by kind and size, the attributes
 * ablation, empty masks for absent targets, CPU latency at batch 1 and 16). For a dataset folder,
 * use {@code ops/llavaseg eval --dataset DIR --prompts ground-truth}.
 */
@Command(
    name = "eval-segmenter",
    mixinStandardHelpOptions = true,
    description = "Measure the segmenter on ShapeWorld with ground-truth prompts: quality, ablation, latency.")
public final class EvalSegmenterCommand implements Callable<Integer> {
  @Option(names = "--model", description = "Segmenter folder (default: <model store>/segmenter/v3).")
  Path model;

  @Mixin SplitOption split;

  @Option(names = "--seed", description = "Generate from this seed instead of a split's.")
  Long seed;

  @Option(names = "--count", defaultValue = "1000", description = "Targeted samples to score (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--latency-runs", defaultValue = "100", description = "Timed batch-1 runs, 0 to skip (default: ${DEFAULT-VALUE}).")
  int latencyRuns;

  @Option(names = "--masks", paramLabel = "lisa|pixel-centres", defaultValue = "lisa",
      converter = MaskRasterConverter.class,
      description = "Ground truth: lisa (drawn as LISA's get_mask_from_json draws a polygon, what eval scores against)"
          + " or pixel-centres (the generator's own masks, what segmenter v1's figures used) (default: ${DEFAULT-VALUE}).")
  MaskRaster masks;

  @Mixin OutputOptions output;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Path dir = model != null ? model : ServiceConfig.defaults().segmenterDir();
    ShapeWorld world = seed != null ? new ShapeWorld(seed) : ShapeWorld.of(split.orElse(Split.TEST));
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    long t0 = System.nanoTime();
    try (SegmenterModel m = SegmenterModel.load(dir, Device.cpu()); DjlSegmenter seg = m.newWorker()) {
      out.println("segmenter " + m.modelId() + " from " + dir);
      out.flush();
      SegmenterEvaluation.Report r =
          SegmenterEvaluation.run(seg, world, count, latencyRuns, masks, line -> {
            err.println("eval-segmenter: " + line);
            err.flush();
          });
      out.print(r.toText());
      out.printf(Locale.ROOT, "took %.1f s%n", (System.nanoTime() - t0) / 1e9);
      out.flush();
      if (output.json().isPresent()) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("model", m.modelId().toString());
        fields.put("worldSeed", world.seed());
        fields.put("count", count);
        fields.put("masks", masks.cliName());
        fields.put("report", r);
        MeasurementJson.write(output.json().get(), fields);
      }
    }
    return 0;
  }
}
