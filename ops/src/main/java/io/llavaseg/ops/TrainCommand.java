package io.llavaseg.ops;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ops/llavaseg train segmenter|reasoner ...}: the trainers, one subcommand each. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Train the project's own ShapeWorld models into model-store/.",
    subcommands = {TrainSegmenterCommand.class, TrainReasonerCommand.class, TrainLisaCommand.class})
public final class TrainCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
