package io.llavaseg.ops;

import io.llavaseg.ops.cli.ClusterOptions;
import io.llavaseg.ops.cli.DurationConverter;
import io.llavaseg.ops.feed.Feed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ops/llavaseg feed}: simulated cameras with standing questions. */
@Command(
    name = "feed",
    mixinStandardHelpOptions = true,
    description = {
      "Simulate cameras: give each standing questions (camera-queries), publish frames of a panning "
          + "ShapeWorld scene (camera-frames), read back answers, masks and skipped frames, write "
          + "summary.json and an index.html of each camera's latest answered frame. Starts the embedded "
          + "broker, registry and a service with the standing stage unless --bootstrap-servers is given; "
          + "then a service with the standing stage must run there, and --schema-registry-url names its registry."
    })
public final class FeedCommand implements Callable<Integer> {

  @Option(names = "--cameras", defaultValue = "3", description = "Cameras (default ${DEFAULT-VALUE}).")
  int cameras;

  @Option(names = "--fps", defaultValue = "1", description = "Frames per second per camera (default ${DEFAULT-VALUE}).")
  double fps;

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.Seconds.class,
      description = "How long to publish frames, e.g. 30s, 5m or PT5M; a plain number is seconds (default ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--question", description = "A standing question (repeatable; default: two questions).")
  List<String> questions;

  @Option(names = "--out", defaultValue = "out/feed", description = "Output directory (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--seed", description = "ShapeWorld seed of the scenes (default: the feed's own seed, 6000011, neither VAL nor TEST).")
  Long seed;

  @Option(names = "--drain", paramLabel = "DURATION", defaultValue = "2m", converter = DurationConverter.class,
      description = "Wait this long for outputs after the last frame, e.g. 30s or 2m (default ${DEFAULT-VALUE}).")
  Duration drain;

  @Mixin ClusterOptions cluster;

  @Override
  public Integer call() throws Exception {
    cluster.requireRegistryWithCluster();
    List<String> qs = questions == null || questions.isEmpty()
        ? List.of("segment the largest shape", "how many shapes are there") : questions;
    Feed feed = new Feed(new Feed.Options(cameras, fps, duration, qs, out,
        seed == null ? io.llavaseg.shapeworld.Seeds.FEED : seed, cluster.bootstrapServers().orElse(null),
        cluster.schemaRegistryUrl().orElse(null), drain),
        System.err);
    Map<String, Object> summary = feed.run();
    Feed.print(summary, System.out);
    System.out.println("wrote " + out.resolve("summary.json") + " and " + out.resolve("index.html"));
    return ((Integer) summary.get("masks")).equals(summary.get("expected")) ? 0 : 1;
  }
}
