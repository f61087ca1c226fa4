package io.llavaseg.ops;

import io.llavaseg.ops.watch.LatestResults;
import io.llavaseg.ops.watch.ResultsReader;
import io.llavaseg.ops.watch.WatchServer;
import io.llavaseg.schemas.registry.RestSchemaRegistry;
import io.llavaseg.topology.Topics;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ops/llavaseg watch}: a live web page of a running service's newest answer and mask per
 * camera (or source) and question, read from its output topics; runs until Ctrl-C.
 */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Serve a live page (http://HOST:PORT/) of a running service's newest answer and mask per camera and "
          + "question: reads image-masks, camera-frames and image-queries (read_committed, a consumer group of "
          + "its own) and redraws each second. Defaults to the broker and registry of `up`; runs until Ctrl-C."
    })
public final class WatchCommand implements Callable<Integer> {

  @Mixin UpAddressOptions addresses;

  @Option(names = "--port", defaultValue = "8090", description = "HTTP port, 0 for any free one (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "Address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
  String host;

  @Option(names = "--topics-prefix", defaultValue = "", paramLabel = "PREFIX",
      description = "The service's llavaseg.topics.prefix (default: none).")
  String prefix;

  @Option(names = "--from-beginning",
      description = "Read the topics from their start instead of from now (the page then shows the newest result "
          + "per camera and question of the topics' whole retention).")
  boolean fromBeginning;

  @Option(names = "--max-images", defaultValue = "512",
      description = "Frames and query images kept for drawing (default ${DEFAULT-VALUE}).")
  int maxImages;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    UpAddressOptions.Addresses at = addresses.resolve();
    Map<String, Object> serdeConfig = Map.of("schema.registry.url", at.registryUrl());
    Properties client = new Properties();
    client.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, at.bootstrapServers());
    LatestResults results = new LatestResults(maxImages);
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "watch-stop"));
    try (RestSchemaRegistry registry = RestSchemaRegistry.fromConfigs(serdeConfig);
        ResultsReader reader = new ResultsReader(client, Topics.withRegistry(registry, serdeConfig, prefix), results,
            fromBeginning);
        WatchServer server = WatchServer.start(host, port, results)) {
      reader.start();
      err.println("watch: reading " + at.bootstrapServers() + "; open http://" + (host.equals("0.0.0.0") ? "localhost" : host)
          + ":" + server.port() + "/ (Ctrl-C stops)");
      err.flush();
      stop.await();
    }
    return 0;
  }
}
