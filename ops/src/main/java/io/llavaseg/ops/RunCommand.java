package io.llavaseg.ops;

import io.llavaseg.topology.LlavasegService;
import io.llavaseg.topology.Secrets;
import io.llavaseg.topology.ServiceConfig;
import io.llavaseg.topology.model.ModelProvider;
import io.llavaseg.ops.bench.SimulatedGpuModels;
import io.llavaseg.topology.model.ModelStoreProvider;
import java.time.Duration;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ops/llavaseg run --config FILE}: runs the service's configured stages against an existing
 * Kafka cluster and schema registry until SIGTERM/SIGINT, then closes cleanly. The file's keys are
 * documented in {@code docs/configuration.md}; missing keys take those defaults. Exit code 0 after a requested shutdown, 1 if the streams failed, 2 on a bad config.
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

  @Option(names = "--simulated-models", paramLabel = "WAIT",
      description = "Fault drills and benchmarks only: instead of the model store, models that wait WAIT "
          + "(ISO-8601, e.g. PT0.05S) per batch and give a fixed answer and an empty mask.")
  Duration simulatedWait;

  @Override
  public Integer call() throws Exception {
    ServiceConfig effective;
    try {
      effective = ServiceConfig.from(properties());
    } catch (IllegalArgumentException | org.apache.kafka.common.config.ConfigException e) {
      System.err.println("llavaseg run: bad configuration in " + config + ": " + e.getMessage());
      return 2;
    }
    if (printConfig) {
      Map<String, String> sorted = new TreeMap<>();
      effective.properties().forEach((k, v) -> sorted.put(k.toString(), v.toString()));
      Secrets.masked(sorted).forEach((k, v) -> System.out.println(k + "=" + v));
      return 0;
    }
    try {
      return LlavasegService.run(effective, simulatedWait == null ? models()
          : new SimulatedGpuModels(simulatedWait, simulatedWait));
    } catch (IOException e) {
      System.err.println("llavaseg run: cannot start (models, metrics port or files): " + e.getMessage());
      return 1;
    }
  }

  /** The file's properties with the {@code --set} overrides applied. */
  private java.util.Properties properties() throws IOException {
    java.util.Properties p = LlavasegService.load(config);
    p.putAll(overrides);
    return p;
  }

  /** The models the service runs: the project's DJL models from the model store. */
  static ModelProvider models() {
    return new ModelStoreProvider();
  }
}
