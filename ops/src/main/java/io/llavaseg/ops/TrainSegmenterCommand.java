package io.llavaseg.ops;

import io.llavaseg.model.segmenter.PromptVocabulary;
import io.llavaseg.model.segmenter.SegmenterConfig;
import io.llavaseg.ops.cli.MaskRasterConverter;
import io.llavaseg.training.segmenter.MaskRaster;
import io.llavaseg.training.segmenter.SegmenterTrainer;
import io.llavaseg.ops.cli.DurationConverter;
import io.llavaseg.ops.cli.TrainingStylesConverter;
import io.llavaseg.shapeworld.TrainingStyles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ops/llavaseg train segmenter}: trains the attribute-prompted segmenter on ShapeWorld
 * (generated on the fly) and writes the model folder; resumable from its checkpoint.
 */
@Command(
    name = "segmenter",
    mixinStandardHelpOptions = true,
    description = {
      "Train the attribute-prompted ShapeWorld segmenter (DJL, PyTorch engine, CPU).",
      "Run long jobs in the background with JAVA_OPTS=-Dai.djl.pytorch.num_threads=1."
    })
public final class TrainSegmenterCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, description = "Model folder to write, e.g. model-store/segmenter/v1.")
  Path out;

  @Option(names = "--steps", required = true, description = "Optimiser steps in total.")
  int steps;

  @Option(names = "--seed", defaultValue = "7", description = "Seed of data stream and initialisation (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--batch", defaultValue = "16", description = "Examples per step, four per scene (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--lr", defaultValue = "0.002", description = "Adam's peak learning rate (default: ${DEFAULT-VALUE}).")
  float lr;

  @Option(names = "--size", defaultValue = "128", description = "Model input side in pixels (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--channels", defaultValue = "8,16,32,64,128",
      description = "Channels per U-Net level, last = bottleneck (default: ${DEFAULT-VALUE}).")
  String channels;

  @Option(names = "--decoder-channels", defaultValue = "8,8,16,32",
      description = "Decoder channels per level, one per level below the bottleneck (default: ${DEFAULT-VALUE}).")
  String decoderChannels;

  @Option(names = "--val-count", defaultValue = "200", description = "Validation samples, Split.VAL (default: ${DEFAULT-VALUE}).")
  int valCount;

  @Option(names = "--val-every", defaultValue = "250", description = "Steps between validations (default: ${DEFAULT-VALUE}).")
  int valEvery;

  @Option(names = "--checkpoint-minutes", paramLabel = "DURATION", defaultValue = "3", converter = DurationConverter.Minutes.class,
      description = "Time between checkpoints: a plain number is minutes, or e.g. 90s or PT2M (default: ${DEFAULT-VALUE}).")
  Duration checkpointEvery;

  @Option(names = "--checkpoints", description = "Checkpoint folder (default: <out>/../checkpoints/<out name>, gitignored).")
  Path checkpoints;

  @Option(names = "--resume", description = "Continue from the checkpoint if there is one.")
  boolean resume;

  @Option(names = "--init-from",
      description = "Segmenter folder (same network shape) whose weights start the run instead of a random initialisation.")
  Path initFrom;

  @Option(names = "--masks", defaultValue = "pixel-centres", paramLabel = "RASTER", converter = MaskRasterConverter.class,
      description = "How training and validation masks are drawn: pixel-centres (the generator's, what v1 learnt) or "
          + "lisa (the outline drawn as LISA's get_mask_from_json draws it, what eval scores against; default: "
          + "${DEFAULT-VALUE}).")
  MaskRaster masks;

  @Option(names = "--styles", paramLabel = "STYLE,...", defaultValue = "classic",
      converter = TrainingStylesConverter.class, description = TrainingStylesConverter.DESCRIPTION)
  TrainingStyles styles;

  @Override
  public Integer call() throws Exception {
    SegmenterConfig cfg =
        new SegmenterConfig(
            size, SegmenterConfig.ints(channels), SegmenterConfig.ints(decoderChannels), 64, 128,
            PromptVocabulary.shapeWorld().size());
    SegmenterTrainer.Options o =
        new SegmenterTrainer.Options(
            out, checkpoints != null ? checkpoints : SegmenterTrainer.Options.defaultCheckpoints(out), steps, seed,
            batch, lr, 150, valCount, valEvery, checkpointEvery.toMillis() / 60_000.0, resume, cfg, initFrom, styles,
            masks);
    SegmenterTrainer.Result r = new SegmenterTrainer(o, System.out).run();
    System.out.printf("trained %d steps: val gIoU %.4f cIoU %.4f, wrote %s%n", r.steps(), r.valGIoU(), r.valCIoU(), out);
    return 0;
  }
}
