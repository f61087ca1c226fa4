package io.llavaseg.ops;

import io.llavaseg.ops.feed.Feed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ops/llavaseg feed}: simulated cameras with standing questions. */
@Command(
    name = "feed",
    mixinStandardHelpOptions = true,
    description = {
      "Simulate cameras: give each standing questions (camera-queries), publish frames of a panning "
          + "ShapeWorld scene (camera-frames), read back answers, masks and skipped frames, write "
          + "summary.json and an index.html of each camera's latest answered frame. Starts the embedded "
          + "broker, registry and a service with the standing stage unless --bootstrap-servers is given."
    })
public final class FeedCommand implements Callable<Integer> {

  @Option(names = "--cameras", defaultValue = "3", description = "Cameras (default ${DEFAULT-VALUE}).")
  int cameras;

  @Option(names = "--fps", defaultValue = "1", description = "Frames per second per camera (default ${DEFAULT-VALUE}).")
  double fps;

  @Option(names = "--duration", defaultValue = "10", description = "Seconds of frames (default ${DEFAULT-VALUE}).")
  long duration;

  @Option(names = "--question", description = "A standing question (repeatable; default: two questions).")
  List<String> questions;

  @Option(names = "--out", defaultValue = "out/feed", description = "Output directory (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--seed", description = "ShapeWorld seed of the scenes (default: the test split's).")
  Long seed;

  @Option(names = "--drain", defaultValue = "PT2M", description = "Wait this long for outputs after the last frame (default ${DEFAULT-VALUE}).")
  Duration drain;

  @Option(names = "--bootstrap-servers", description = "Use this cluster (a service with the standing stage must run there).")
  String bootstrapServers;

  @Option(names = "--schema-registry-url", description = "The registry of that cluster.")
  String schemaRegistryUrl;

  @Override
  public Integer call() throws Exception {
    List<String> qs = questions == null || questions.isEmpty()
        ? List.of("segment the largest shape", "how many shapes are there") : questions;
    Feed feed = new Feed(new Feed.Options(cameras, fps, Duration.ofSeconds(duration), qs, out,
        seed == null ? io.llavaseg.shapeworld.Split.TEST.seed() : seed, bootstrapServers, schemaRegistryUrl, drain),
        System.err);
    Map<String, Object> summary = feed.run();
    Feed.print(summary, System.out);
    System.out.println("wrote " + out.resolve("summary.json") + " and " + out.resolve("index.html"));
    return ((Integer) summary.get("masks")).equals(summary.get("expected")) ? 0 : 1;
  }
}
