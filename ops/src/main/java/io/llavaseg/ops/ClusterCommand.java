package io.llavaseg.ops;

import io.llavaseg.ops.cli.DurationConverter;
import io.llavaseg.embedded.KafkaClusterProcess;
import io.llavaseg.embedded.RegistryLauncher;
import io.llavaseg.topology.ServiceConfig;
import io.llavaseg.topology.TopicSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.tools.consumer.group.ConsumerGroupCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ops/llavaseg cluster}: a real multi-node deployment on this machine, for operating and
 * scaling exercises. Starts a KRaft cluster of N nodes from the Maven jars (replication min(3, N),
 * min ISR min(2, N)), the schema registry, creates the topics, starts K service instances (child
 * JVMs) in one consumer group, prints where everything is and the consumer lag (Kafka's {@code
 * ConsumerGroupCommand}) every interval, and stops everything cleanly on Ctrl-C (or after {@code
 * --for}).
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = "Start an N-node KRaft cluster, the registry and K service instances in one consumer group on "
        + "127.0.0.1; print the consumer lag periodically; stop everything on Ctrl-C.")
public final class ClusterCommand implements java.util.concurrent.Callable<Integer> {

  @Option(names = "--nodes", defaultValue = "3", description = "Kafka nodes (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--instances", defaultValue = "2", description = "Service instances (default ${DEFAULT-VALUE}).")
  int instances;

  @Option(names = "--partitions", defaultValue = "6", description = "Partitions per topic (default ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--stages", defaultValue = "reasoning,segmentation,standing", description = "llavaseg.stages of the instances (default ${DEFAULT-VALUE}).")
  String stages;

  @Option(names = "--simulated-models", paramLabel = "WAIT", converter = DurationConverter.class,
      description = "Instances use models that wait WAIT (e.g. 30ms or PT0.03S) per batch (drills), not the model store.")
  Duration simulated;

  @Option(names = "--lag-every", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
      description = "Print consumer lag this often, e.g. 30s or PT30S (default ${DEFAULT-VALUE}).")
  Duration lagEvery;

  @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Stop after this long, e.g. 10m or PT10M (default: until Ctrl-C).")
  Duration runFor;

  @Option(names = "--dir", description = "Working directory (default: a new temporary one).")
  Path dir;

  @Override
  public Integer call() throws Exception {
    Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("llavaseg-cluster-");
    List<AutoCloseable> started = new ArrayList<>();
    CountDownLatch stop = new CountDownLatch(1);
    Thread hook = new Thread(stop::countDown, "llavaseg-cluster-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      System.err.printf("cluster: starting %d Kafka nodes ...%n", nodes);
      KafkaClusterProcess cluster = KafkaClusterProcess.start(work.resolve("kafka"), nodes, Duration.ofMinutes(3));
      started.add(0, cluster);
      RegistryLauncher registry = RegistryLauncher.builder().logFile(work.resolve("registry.log")).start();
      started.add(0, registry);
      short rf = (short) Math.min(3, nodes);
      TopicSetup.createMissing(cluster.bootstrapServers(), partitions, Optional.of(rf));
      Map<String, String> props = new LinkedHashMap<>();
      props.put("bootstrap.servers", cluster.bootstrapServers());
      props.put(ServiceConfig.SCHEMA_REGISTRY_URL, registry.url());
      props.put("application.id", "llavaseg");
      props.put(ServiceConfig.STAGES, stages);
      props.put("replication.factor", Short.toString(rf));
      props.put(ServiceConfig.MODEL_STORE, ServiceConfig.defaults().modelStore().toString());
      List<ServiceProcess> services = new ArrayList<>();
      for (int i = 0; i < instances; i++) {
        ServiceProcess s = new ServiceProcess(work.resolve("instance-" + i), props,
            simulated == null ? null : simulated.toString());
        started.add(0, s);
        services.add(s.start());
      }
      for (ServiceProcess s : services) {
        s.awaitReady(Duration.ofMinutes(3));
      }
      System.out.println("bootstrap.servers   " + cluster.bootstrapServers());
      System.out.println("schema.registry.url " + registry.url());
      for (int i = 0; i < services.size(); i++) {
        ServiceProcess s = services.get(i);
        System.out.printf("instance %d          http://127.0.0.1:%d/metrics  /health/ready  log %s%n", i,
            s.metricsPort(), s.log());
      }
      System.out.println("topics: " + partitions + " partitions, replication " + rf + "; Ctrl-C stops everything");
      long end = runFor == null ? Long.MAX_VALUE : System.nanoTime() + runFor.toNanos();
      while (System.nanoTime() < end) {
        long wait = Math.min(lagEvery.toMillis(), Math.max(1, (end - System.nanoTime()) / 1_000_000));
        if (stop.await(wait, TimeUnit.MILLISECONDS)) {
          break;
        }
        System.out.println(lag(cluster.bootstrapServers(), "llavaseg"));
      }
      return 0;
    } finally {
      System.err.println("cluster: stopping instances, registry and Kafka ...");
      for (AutoCloseable c : started) {
        try {
          c.close();
        } catch (Exception e) {
          System.err.println("cluster: stopping " + c + " failed: " + e);
        }
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // stopping because of the hook
      }
    }
  }

  /** Kafka's own {@code kafka-consumer-groups --describe} for the group, in a child JVM. */
  public static String lag(String bootstrap, String group) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), ConsumerGroupCommand.class.getName(), "--bootstrap-server", bootstrap,
        "--describe", "--group", group).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}
