package io.llavaseg.ops;

import io.llavaseg.ops.bench.Bench;
import io.llavaseg.ops.cli.DurationConverter;
import io.llavaseg.ops.cli.OutputOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ops/llavaseg bench}: throughput, latency, batching, scaling and memory in one run. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure, in one run on this machine: a) raw in-process throughput of each stage at batch 1 and at "
          + "the batch size; b) end-to-end throughput through an embedded KRaft broker and schema registry; "
          + "c) end-to-end latency p50/p95/p99 at 50%% and 90%% of b; d) scaling over 1, 2 and 4 instances in "
          + "one consumer group with simulated GPU-bound models (a fixed wait per batch); e) resident memory "
          + "before and after a soak at 50%% load. Prints a table and writes the JSON (--json, default "
          + BenchCommand.DEFAULT_JSON + ")."
    })
public final class BenchCommand implements Callable<Integer> {
  static final String DEFAULT_JSON = "out/bench/bench.json";

  @Mixin OutputOptions output;

  @Option(names = "--batch", defaultValue = "8", description = "Batch size of both stages (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--raw-queries", defaultValue = "64", description = "Queries per raw measurement (default ${DEFAULT-VALUE}).")
  int rawQueries;

  @Option(names = "--e2e-queries", defaultValue = "600", description = "Queries of the end-to-end burst (default ${DEFAULT-VALUE}).")
  int e2eQueries;

  @Option(names = "--load", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
      description = "Duration of each latency run, e.g. 30s or PT30S (default ${DEFAULT-VALUE}).")
  Duration load;

  @Option(names = "--soak", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
      description = "Duration of the memory soak, e.g. 10m or PT10M (default ${DEFAULT-VALUE}).")
  Duration soak;

  @Option(names = "--partitions", defaultValue = "16", description = "Partitions of the topics (default ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--scaling-queries", defaultValue = "200", description = "Queries per instance in the scaling runs (default ${DEFAULT-VALUE}).")
  int scalingQueries;

  @Option(names = "--sim-reasoning-wait", paramLabel = "DURATION", defaultValue = "400ms", converter = DurationConverter.class,
      description = "Simulated GPU time per reasoning batch, e.g. 400ms or PT0.4S (default ${DEFAULT-VALUE}).")
  Duration simReasoning;

  @Option(names = "--sim-segmentation-wait", paramLabel = "DURATION", defaultValue = "100ms", converter = DurationConverter.class,
      description = "Simulated GPU time per segmentation batch, e.g. 100ms or PT0.1S (default ${DEFAULT-VALUE}).")
  Duration simSegmentation;

  @Option(names = "--service-set", paramLabel = "KEY=VALUE",
      description = "A property for the end-to-end service (repeatable), e.g. --service-set commit.interval.ms=1000.")
  java.util.Map<String, String> serviceSet = new java.util.LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    Path json = output.json().orElse(Path.of(DEFAULT_JSON));
    Bench bench = new Bench(new Bench.Options(batch, rawQueries, e2eQueries, load, soak, partitions, scalingQueries,
        simReasoning, simSegmentation, json, serviceSet), System.err);
    Map<String, Object> result = bench.run();
    Bench.printTable(result, System.out);
    System.out.println("wrote " + json);
    return 0;
  }
}
