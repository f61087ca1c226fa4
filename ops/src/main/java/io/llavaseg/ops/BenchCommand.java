package io.llavaseg.ops;

import io.llavaseg.ops.bench.Bench;
import io.llavaseg.ops.bench.DeviceCost;
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
          + "c) end-to-end latency p50/p95/p99 at 50%% and 90%% of b (at least 500 queries each); d) scaling over "
          + "1, 2 and 4 instances in one consumer group, each on its own simulated device (a batch of n costs "
          + "fixed + per-query * n, one batch at a time per device); e) resident memory and heap after GC "
          + "before and after a soak at 50%% load; f) one instance with 2 stream threads at batch 32 on a "
          + "simulated device against the cost model's ideal. Prints a table and writes the JSON (--json, default "
          + BenchCommand.DEFAULT_JSON + ")."
    })
public final class BenchCommand implements Callable<Integer> {
  static final String DEFAULT_JSON = "out/bench/bench.json";

  @Mixin OutputOptions output;

  @Option(names = "--batch", defaultValue = "8", description = "Batch size of both stages (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--segmentation-batch", defaultValue = "0",
      description = "Batch size of the segmentation stage, raw and end to end, if not --batch (default: --batch).")
  int segmentationBatch;

  @Option(names = "--raw-queries", defaultValue = "64", description = "Queries per raw measurement (default ${DEFAULT-VALUE}).")
  int rawQueries;

  @Option(names = "--e2e-queries", defaultValue = "600", description = "Queries of each end-to-end burst (default ${DEFAULT-VALUE}).")
  int e2eQueries;

  @Option(names = "--e2e-rounds", defaultValue = "5",
      description = "End-to-end bursts, each between two measurements of the raw pipeline and compared with their"
          + " mean: the figures are the medians of the rounds, so that a slow or fast minute of a shared machine does not"
          + " fall on only one side of the ratio (default ${DEFAULT-VALUE}).")
  int e2eRounds;

  @Option(names = "--e2e-warmup-queries", defaultValue = "300",
      description = "Unmeasured queries sent end to end before the burst, so that the broker, the registry and the"
          + " service are warm, as the raw pipeline is when it is timed (default ${DEFAULT-VALUE}).")
  int e2eWarmupQueries;

  @Option(names = "--load", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
      description = "Duration of each latency run, e.g. 30s or PT30S (default ${DEFAULT-VALUE}).")
  Duration load;

  @Option(names = "--latency-queries", defaultValue = "500",
      description = "Queries per latency level at least, so that p99 rests on enough samples (default ${DEFAULT-VALUE}).")
  int latencyQueries;

  @Option(names = "--soak", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
      description = "Duration of the memory soak, e.g. 10m or PT10M (default ${DEFAULT-VALUE}).")
  Duration soak;

  @Option(names = "--partitions", defaultValue = "16", description = "Partitions of the topics (default ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--scaling-queries", defaultValue = "320", description = "Queries per instance in the scaling runs (default ${DEFAULT-VALUE}).")
  int scalingQueries;

  @Option(names = "--device-reasoning-fixed", paramLabel = "DURATION", defaultValue = "1200ms",
      converter = DurationConverter.class,
      description = "Simulated device time of a reasoning batch, fixed part (default ${DEFAULT-VALUE}: 100 decode steps"
          + " of a 7B MLLM at about 12 ms).")
  Duration reasoningFixed;

  @Option(names = "--device-reasoning-per-query", paramLabel = "DURATION", defaultValue = "10ms",
      converter = DurationConverter.class,
      description = "Simulated device time of a reasoning batch per query (default ${DEFAULT-VALUE}).")
  Duration reasoningPerQuery;

  @Option(names = "--device-segmentation-fixed", paramLabel = "DURATION", defaultValue = "5ms",
      converter = DurationConverter.class,
      description = "Simulated device time of a segmentation batch, fixed part (default ${DEFAULT-VALUE}).")
  Duration segmentationFixed;

  @Option(names = "--device-segmentation-per-query", paramLabel = "DURATION", defaultValue = "30ms",
      converter = DurationConverter.class,
      description = "Simulated device time per image of a segmentation batch (default ${DEFAULT-VALUE}: a SAM 2"
          + " encoder at about 30 images/s).")
  Duration segmentationPerQuery;

  @Option(names = "--device-batch", defaultValue = "32",
      description = "Batch size of both stages on the simulated devices (default ${DEFAULT-VALUE}).")
  int deviceBatch;

  @Option(names = "--device-queries", defaultValue = "640",
      description = "Queries of the single-device run f) (default ${DEFAULT-VALUE}).")
  int deviceQueries;

  @Option(names = "--service-set", paramLabel = "KEY=VALUE",
      description = "A property for every service the bench starts (repeatable), e.g. --service-set commit.interval.ms=1000.")
  java.util.Map<String, String> serviceSet = new java.util.LinkedHashMap<>();

  @Option(names = "--parts", split = ",", paramLabel = "PART",
      description = "Parts to run, comma-separated: raw (a), e2e (b, c, e; runs raw too), device (f), scaling (d)"
          + " (default: all; only a run of all writes the headline).")
  java.util.Set<Bench.Part> parts = java.util.EnumSet.allOf(Bench.Part.class);

  @Override
  public Integer call() throws Exception {
    Path json = output.json().orElse(Path.of(DEFAULT_JSON));
    Bench bench = new Bench(new Bench.Options(batch, segmentationBatch, rawQueries, e2eQueries, e2eWarmupQueries, load,
        soak, partitions, scalingQueries,
        new DeviceCost(reasoningFixed, reasoningPerQuery), new DeviceCost(segmentationFixed, segmentationPerQuery),
        deviceBatch, deviceQueries, latencyQueries, json, serviceSet, parts, e2eRounds), System.err);
    Map<String, Object> result = bench.run();
    Bench.printTable(result, System.out);
    System.out.println("wrote " + json);
    return 0;
  }
}
