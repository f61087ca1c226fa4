package io.llavaseg.ops;

import io.llavaseg.ops.cli.ClusterOptions;
import io.llavaseg.ops.cli.ModelOptions;
import io.llavaseg.ops.cli.DurationConverter;
import io.llavaseg.ops.demo.Demo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ops/llavaseg demo}: the main job, end to end on the embedded default. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Start a KRaft broker and the schema registry on 127.0.0.1 (or use yours), start the service "
          + "with both stages on the model-store models, publish ShapeWorld image-queries of every kind, "
          + "read answers and masks with read_committed, score them and write a summary, "
          + "overlays and an index.html.",
      "Exits 1 if any query is lost (no answer or no mask, and no dead letter)."
    })
public final class DemoCommand implements Callable<Integer> {

  @Option(names = "--queries", defaultValue = "100", description = "Image-queries to publish (default ${DEFAULT-VALUE}).")
  int queries;

  @Option(names = "--out", defaultValue = "out/demo", description = "Output directory (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--seed", description = "ShapeWorld seed of the queries (default: the demo's own seed, 4000037, neither VAL nor TEST).")
  Long seed;

  @Option(names = "--sources", defaultValue = "4", description = "Simulated cameras (record keys) (default ${DEFAULT-VALUE}).")
  int sources;

  @Option(names = "--in-flight", defaultValue = "4", description = "Queries unanswered at a time (default ${DEFAULT-VALUE}).")
  int inFlight;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
      description = "Give up waiting for outputs after this long, e.g. 90s, 10m or PT10M (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Mixin ClusterOptions cluster;

  @Mixin ModelOptions models;

  @Override
  public Integer call() throws Exception {
    return new Demo(queries, out, seed, sources, inFlight, timeout,
        cluster.bootstrapServers().orElse(null), cluster.schemaRegistryUrl().orElse(null),
        models.applyTo(new java.util.Properties())).run(System.out, System.err);
  }
}
