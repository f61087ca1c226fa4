package io.llavaseg.ops;

import io.llavaseg.training.lisa.LisaTrainer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ops/llavaseg train lisa}: fine-tunes the LISA-style variant of the reasoner (a {@code <seg>}
 * token prompting the segmenter) jointly on segmentation and dialogue, and writes the best weights
 * on VAL to a variant folder outside the served ones; resumable from its checkpoint.
 */
@Command(
    name = "lisa",
    mixinStandardHelpOptions = true,
    description = {
      "Fine-tune the LISA-style variant (reasoner + <seg> token + segmenter) jointly on masks and dialogue.",
      "Run long jobs in the background with JAVA_OPTS=-Dai.djl.pytorch.num_threads=1."
    })
public final class TrainLisaCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, description = "Variant folder to write, e.g. model-store/variants/lisa-v1.")
  Path out;

  @Option(names = "--init-reasoner", required = true, description = "Reasoner folder the MLLM starts from, e.g. model-store/reasoner/v7.")
  Path initReasoner;

  @Option(names = "--init-segmenter", required = true, description = "Segmenter folder the mask decoder starts from, e.g. model-store/segmenter/v1.")
  Path initSegmenter;

  @Option(names = "--steps", required = true, description = "Optimiser steps in total (the cosine schedule's length).")
  int steps;

  @Option(names = "--max-minutes", defaultValue = "1e9", description = "Stop after this much training time, validate and export (default: none).")
  double maxMinutes;

  @Option(names = "--seed", defaultValue = "23", description = "Seed of the data order (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--batch", defaultValue = "16", description = "Examples per step (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--lr", defaultValue = "0.0003", description = "AdamW's peak learning rate (default: ${DEFAULT-VALUE}).")
  float lr;

  @Option(names = "--dialogue-share", defaultValue = "0.1875",
      description = "Share of dialogue examples; the rest are segmentation queries (default: LISA's 3 of 16, ${DEFAULT-VALUE}).")
  double dialogueShare;

  @Option(names = "--val-every", defaultValue = "300", description = "Steps between validations on VAL (default: ${DEFAULT-VALUE}).")
  int valEvery;

  @Option(names = "--val-count", defaultValue = "90", description = "Validation samples, Split.VAL, kinds round-robin (default: ${DEFAULT-VALUE}).")
  int valCount;

  @Option(names = "--checkpoint-minutes", defaultValue = "4", description = "Minutes between checkpoints (default: ${DEFAULT-VALUE}).")
  double checkpointMinutes;

  @Option(names = "--checkpoints", description = "Checkpoint folder (default: <out>/../checkpoints/<out name>, gitignored).")
  Path checkpoints;

  @Option(names = "--resume", description = "Continue from the checkpoint if there is one.")
  boolean resume;

  @Override
  public Integer call() throws Exception {
    Path work = checkpoints != null ? checkpoints
        : out.toAbsolutePath().getParent().resolve("checkpoints").resolve(out.getFileName().toString());
    new LisaTrainer(new LisaTrainer.Options(out, work, initReasoner, initSegmenter, steps, maxMinutes, seed, batch, lr,
        dialogueShare, valEvery, valCount, checkpointMinutes, resume), System.out).run();
    return 0;
  }
}
