package io.llavaseg.ops;

import io.llavaseg.ops.cli.TrainingStylesConverter;
import io.llavaseg.shapeworld.TrainingStyles;
import io.llavaseg.training.reasoner.ReasonerTrainer;
import io.llavaseg.ops.cli.DurationConverter;
import io.llavaseg.shapeworld.Language;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ops/llavaseg train reasoner}: trains the small LLaVA-style ShapeWorld reasoner (vision
 * pretraining, projector alignment, instruction tuning) and writes the best weights so far to the
 * model folder; resumable from its checkpoint.
 */
@Command(
    name = "reasoner",
    mixinStandardHelpOptions = true,
    description = {
      "Train the LLaVA-style ShapeWorld reasoner (DJL, PyTorch engine, CPU).",
      "Run long jobs in the background with JAVA_OPTS=-Dai.djl.pytorch.num_threads=1."
    })
public final class TrainReasonerCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, description = "Model folder to write, e.g. model-store/reasoner/v1.")
  Path out;

  @Option(names = "--steps", required = true, description = "Optimiser steps in total, all three stages.")
  int steps;

  @Option(names = "--seed", defaultValue = "7", description = "Seed of data order and initialisation (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--batch", defaultValue = "16", description = "Images per step, three instruction rows each (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--lr", defaultValue = "0.001", description = "AdamW's peak learning rate (default: ${DEFAULT-VALUE}).")
  float lr;

  @Option(names = "--vision-steps", defaultValue = "1200", description = "Stage 1, per-cell vision pretraining (default: ${DEFAULT-VALUE}).")
  int visionSteps;

  @Option(names = "--align-steps", defaultValue = "600", description = "Stage 2, projector alignment on descriptions (default: ${DEFAULT-VALUE}).")
  int alignSteps;

  @Option(names = "--val-count", defaultValue = "135", description = "Validation samples, Split.VAL, kinds round-robin (default: ${DEFAULT-VALUE}).")
  int valCount;

  @Option(names = "--val-every", defaultValue = "500", description = "Steps between validations in stage 3 (default: ${DEFAULT-VALUE}).")
  int valEvery;

  @Option(names = "--reuse", defaultValue = "2", description = "Times each rendered sample is used, via a shuffled pool (default: ${DEFAULT-VALUE}).")
  int reuse;

  @Option(names = "--checkpoint-minutes", paramLabel = "DURATION", defaultValue = "4", converter = DurationConverter.Minutes.class,
      description = "Time between checkpoints: a plain number is minutes, or e.g. 90s or PT2M (default: ${DEFAULT-VALUE}).")
  Duration checkpointEvery;

  @Option(names = "--checkpoints", description = "Checkpoint folder (default: <out>/../checkpoints/<out name>, gitignored).")
  Path checkpoints;

  @Option(names = "--resume", description = "Continue from the checkpoint if there is one.")
  boolean resume;

  @Option(names = "--export-checkpoint",
      description = "Write the checkpoint's weights (not the best validated ones) to --out and stop; implies --resume.")
  boolean exportCheckpoint;

  @Option(names = "--init-from",
      description = "Model folder to start from: every parameter whose name and shape match is copied; its vocabulary is"
          + " kept (same ids) and grown by the words of --language, whose embedding and output rows start fresh.")
  Path initFrom;

  @Option(names = "--aux-weight", defaultValue = "0.5",
      description = "Weight of the per-cell vision loss during instruction tuning (default: ${DEFAULT-VALUE}).")
  float auxWeight;

  @Option(names = "--pointer-weight", defaultValue = "1.0",
      description = "Weight of the grounding loss of the pointer head, if the architecture has one (default: ${DEFAULT-VALUE}).")
  float pointerWeight;

  @Option(names = "--occupancy-margin", defaultValue = "0",
      description = "Half-width, in grid cells, of the square around each object's centre that shares its occupancy"
          + " between neighbouring cells (soft labels near cell borders; 0: hard labels; default: ${DEFAULT-VALUE}).")
  double occupancyMargin;

  @Option(names = "--kind-weights", split = ",",
      description = "How often each query kind is drawn in instruction tuning, nine numbers in the order PHRASE, QUESTION,"
          + " REASONING, KNOWLEDGE, RELATIONAL, SUPERLATIVE, DIALOGUE, ABSENT, AMBIGUOUS (normalised; default:"
          + " 0.10,0.10,0.12,0.12,0.12,0.12,0.14,0.12,0.06).")
  double[] kindWeights;

  /** Where the pointer head's grounding loss applies in rows about one object. */
  enum PointerPositions { separator, reply }

  @Option(names = "--pointer-positions", defaultValue = "separator",
      description = "Where the pointer head's grounding loss applies in rows about one object: separator (the end of"
          + " the prompt) or reply (every position that predicts a reply token, where the readout reads; default:"
          + " ${DEFAULT-VALUE}).")
  PointerPositions pointerPositions;

  /** The languages a reasoner is trained and validated on (held-out stays an evaluation language). */
  enum TrainingLanguage { templates, paraphrase }

  @Option(names = "--language", defaultValue = "templates",
      description = "Wording of the training queries: templates, or paraphrase (each instruction-tuning query worded by"
          + " the paraphrase grammar with probability --paraphrase-share, by the templates otherwise; the chain of"
          + " thought's replies stay the same); the vocabulary takes the grammar's training words (default: ${DEFAULT-VALUE}).")
  TrainingLanguage language;

  @Option(names = "--paraphrase-share", defaultValue = "0.5",
      description = "With --language paraphrase, the share of training queries paraphrased (default: ${DEFAULT-VALUE}).")
  double paraphraseShare;

  @Option(names = "--val-language", defaultValue = "templates", split = ",",
      description = "Wording of the validation queries (Split.VAL) that choose the exported checkpoint: templates or"
          + " paraphrase, or both (templates,paraphrase: the checkpoint with the best mean score; default: ${DEFAULT-VALUE}).")
  List<TrainingLanguage> valLanguage;

  @Option(names = "--unk-dropout", paramLabel = "P", defaultValue = "0",
      description = "Word dropout in instruction tuning: each word of the user's question becomes <unk> with probability"
          + " P (colour and shape words never), so that the model answers from the rest of a phrase whose word it does"
          + " not know; 0 leaves the data as before (default: ${DEFAULT-VALUE}).")
  double unkDropout;

  @Option(names = "--unk-dropout-scope", paramLabel = "SCOPE", defaultValue = "words",
      description = "Which words --unk-dropout may drop: words (any but colours and shapes) or frames (only the words of"
          + " the grammar's requests, never a referring expression's; Language.frameWords) (default: ${DEFAULT-VALUE}).")
  String unkDropoutScope;

  @Option(names = "--styles", paramLabel = "STYLE,...", defaultValue = "classic",
      converter = TrainingStylesConverter.class, description = TrainingStylesConverter.DESCRIPTION)
  TrainingStyles styles;

  private boolean framesOnly() {
    return switch (unkDropoutScope) {
      case "words" -> false;
      case "frames" -> true;
      default -> throw new CommandLine.ParameterException(new CommandLine(this),
          "--unk-dropout-scope is words or frames, got " + unkDropoutScope);
    };
  }

  @Override
  public Integer call() throws Exception {
    new ReasonerTrainer(options(), System.out).run();
    return 0;
  }

  /** The trainer's options these arguments give. */
  ReasonerTrainer.Options options() {
    Path work = checkpoints != null ? checkpoints
        : out.toAbsolutePath().getParent().resolve("checkpoints").resolve(out.getFileName().toString());
    ReasonerTrainer.Options d = ReasonerTrainer.defaults(out, work);
    return new ReasonerTrainer.Options(out, work, steps, seed, resume || exportCheckpoint, batch,
        visionSteps, alignSteps, valEvery, valCount, checkpointEvery.toMillis() / 60_000.0, lr, reuse, d.poolSize(), d.vocabSamplesPerKind(),
        exportCheckpoint, initFrom, auxWeight, pointerWeight, occupancyMargin,
        kindWeights != null ? kindWeights : ReasonerTrainer.DEFAULT_KIND_WEIGHTS, pointerPositions == PointerPositions.reply,
        styles)
        .withLanguages(Language.parse(language.name()), paraphraseShare,
            valLanguage.stream().map(l -> Language.parse(l.name())).toList())
        .withUnkDropout(unkDropout, framesOnly());
  }
}
