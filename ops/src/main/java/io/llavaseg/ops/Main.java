package io.llavaseg.ops;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ops/llavaseg} command line. Each subcommand is a small class of its own in this
 * package (or a sub-package); register it in {@code subcommands} below.
 */
@Command(
    name = "llavaseg",
    mixinStandardHelpOptions = true,
    version = "llavaseg-streams 0.1.0",
    description = "Reasoning segmentation (LLaVASeg) as a Kafka Streams service.",
    subcommands = {
      CommandLine.HelpCommand.class,
      DemoCommand.class,
      BenchCommand.class,
      FeedCommand.class,
      ClusterCommand.class,
      UpCommand.class,
      DownCommand.class,
      SendCommand.class,
      AskCommand.class,
      WatchCommand.class,
      TrainCommand.class,
      RunCommand.class,
      ServeCommand.class,
      GenerateCommand.class,
      EvalCommand.class,
      EvalReasonerCommand.class,
      EvalSegmenterCommand.class,
      BackoffCommand.class,
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }
}
