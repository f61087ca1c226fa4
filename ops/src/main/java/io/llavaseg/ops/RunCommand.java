package io.llavaseg.ops;

import io.llavaseg.ops.bench.SimulatedGpuModels;
import io.llavaseg.ops.cli.DurationConverter;
import io.llavaseg.topology.ServiceMain;
import io.llavaseg.topology.model.ModelProvider;
import io.llavaseg.topology.model.BackendModelProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ops/llavaseg run --config FILE}: runs the service's configured stages against an existing
 * Kafka cluster and schema registry until SIGTERM/SIGINT, then closes cleanly, through the same
 * {@link ServiceMain#run} as the container image. The file's keys are documented in {@code
 * docs/configuration.md}; missing keys take those defaults. Exit code 0 after a requested shutdown,
 * 1 if the service failed, 2 on a bad config. Only {@code --simulated-models} (and its {@code
 * --simulated-outage-file}) is ops' own: those
 * models live here, not in the service.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run the Kafka Streams service (stages from llavaseg.stages) against an existing cluster and registry.")
public final class RunCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, paramLabel = "FILE",
      description = "Service properties (Kafka Streams keys, schema.registry.url, llavaseg.*).")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override one property of the file (repeatable), e.g. --set llavaseg.stages=reasoning.")
  java.util.Map<String, String> overrides = new java.util.LinkedHashMap<>();

  @Option(names = "--print-config",
      description = "Print the effective configuration (defaults and derived timeouts filled in) and exit.")
  boolean printConfig;

  @Option(names = "--simulated-models", paramLabel = "WAIT", converter = DurationConverter.class,
      description = "Fault drills and benchmarks only: instead of the model store, models that wait WAIT "
          + "(e.g. 50ms or PT0.05S) per batch and give a fixed answer and an empty mask.")
  Duration simulatedWait;

  @Option(names = "--simulated-outage-file", paramLabel = "FILE",
      description = "Fault drills only, with --simulated-models: while FILE exists, the simulated models fail "
          + "every batch as an unavailable model server (ModelUnavailableException: the records are retried).")
  Path simulatedOutageFile;

  @Override
  public Integer call() {
    return ServiceMain.run(config, overrides, printConfig, models(), System.out, System.err);
  }

  /** The models the service runs: the model store's DJL models, or the drills' simulated ones. */
  private Supplier<ModelProvider> models() {
    if (simulatedWait == null) {
      if (simulatedOutageFile != null) {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
            "--simulated-outage-file needs --simulated-models");
      }
      return BackendModelProvider::new;
    }
    Duration wait = simulatedWait;
    Path outage = simulatedOutageFile;
    return () -> outage == null ? new SimulatedGpuModels(wait, wait)
        : new SimulatedGpuModels(wait, wait).withOutageFile(outage);
  }
}
