package io.llavaseg.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real multi-node KRaft Kafka cluster on loopback, each node a child JVM from the Kafka jars on
 * this process's classpath, combined broker + controller, with a static controller quorum of all
 * nodes: {@code kafka.tools.StorageTool format} with one cluster id, then {@code kafka.Kafka}.
 * Internal topics (offsets, transaction state) get replication {@code min(3, nodes)} and min ISR
 * {@code min(2, nodes)}, so a 3-node cluster survives one node down, as production does. Node
 * {@code i} can be stopped, or killed, and started again ({@link #stopNode}, {@link #killNode},
 * {@link #startNode}).
 */
public final class KafkaClusterProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaClusterProcess.class);

  private final Path dir;
  private final int[] brokerPorts;
  private final Process[] processes;

  private KafkaClusterProcess(Path dir, int[] brokerPorts) {
    this.dir = dir;
    this.brokerPorts = brokerPorts;
    this.processes = new Process[brokerPorts.length];
  }

  /** Formats every node's storage, starts them and waits until all brokers are registered. */
  public static KafkaClusterProcess start(Path dir, int nodes, Duration timeout) throws IOException, InterruptedException {
    if (nodes < 1) {
      throw new IllegalArgumentException("nodes must be >= 1");
    }
    Files.createDirectories(dir);
    int[] broker = new int[nodes];
    int[] controller = new int[nodes];
    for (int i = 0; i < nodes; i++) {
      broker[i] = FreePorts.next();
      controller[i] = FreePorts.next();
    }
    String voters = java.util.stream.IntStream.range(0, nodes)
        .mapToObj(i -> (i + 1) + "@127.0.0.1:" + controller[i]).collect(Collectors.joining(","));
    String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
    KafkaClusterProcess cluster = new KafkaClusterProcess(dir, broker);
    try {
      for (int i = 0; i < nodes; i++) {
        Path node = dir.resolve("node-" + (i + 1));
        Files.createDirectories(node);
        Files.writeString(node.resolve("server.properties"),
            properties(i + 1, node.resolve("data"), broker[i], controller[i], voters, nodes), StandardCharsets.UTF_8);
        int rc = KafkaBrokerProcess.java(List.of("kafka.tools.StorageTool", "format", "-t", clusterId, "-c",
            node.resolve("server.properties").toString()), node.resolve("node.log")).waitFor();
        if (rc != 0) {
          throw new IOException("kafka storage format of node " + (i + 1) + " failed (exit " + rc + ")");
        }
      }
      for (int i = 0; i < nodes; i++) {
        cluster.startNode(i);
      }
      cluster.awaitBrokers(nodes, timeout);
    } catch (IOException | RuntimeException | InterruptedException e) {
      cluster.close();
      throw e;
    }
    LOG.info("Kafka cluster of {} KRaft nodes ready at {}", nodes, cluster.bootstrapServers());
    return cluster;
  }

  static String properties(int id, Path data, int brokerPort, int controllerPort, String voters, int nodes) {
    int rf = Math.min(3, nodes);
    int isr = Math.min(2, nodes);
    return String.join("\n",
        "process.roles=broker,controller",
        "node.id=" + id,
        "controller.quorum.voters=" + voters,
        "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
        "log.dirs=" + data,
        "num.partitions=1",
        "default.replication.factor=" + rf,
        "min.insync.replicas=" + isr,
        "offsets.topic.replication.factor=" + rf,
        "transaction.state.log.replication.factor=" + rf,
        "transaction.state.log.min.isr=" + isr,
        "share.coordinator.state.topic.replication.factor=" + rf,
        "share.coordinator.state.topic.min.isr=" + isr,
        "group.initial.rebalance.delay.ms=0",
        "auto.create.topics.enable=false",
        "");
  }

  /** Starts node {@code index} (0-based) on its ports and data. */
  public void startNode(int index) throws IOException {
    Path node = dir.resolve("node-" + (index + 1));
    processes[index] = KafkaBrokerProcess.java(List.of("kafka.Kafka", node.resolve("server.properties").toString()),
        node.resolve("node.log"));
  }

  /** Stops node {@code index} (SIGTERM: a controlled shutdown). */
  public void stopNode(int index) throws InterruptedException {
    Process p = processes[index];
    if (p != null && p.isAlive()) {
      p.destroy();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Kills node {@code index} (SIGKILL: no controlled shutdown, no leadership handed over, unflushed
   * data lost) and waits until it is gone.
   */
  public void killNode(int index) throws InterruptedException {
    Process p = processes[index];
    if (p != null && p.isAlive()) {
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  public int nodes() {
    return brokerPorts.length;
  }

  /** Every node's listener, comma-separated. */
  public String bootstrapServers() {
    return java.util.Arrays.stream(brokerPorts).mapToObj(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
  }

  /** Waits until {@code count} brokers are registered. */
  public void awaitBrokers(int count, Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    Map<String, Object> conf = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
    try (Admin admin = Admin.create(conf)) {
      while (true) {
        for (int i = 0; i < processes.length; i++) {
          if (processes[i] != null && !processes[i].isAlive() && processes[i].exitValue() != 143
              && processes[i].exitValue() != 137) {
            throw new IOException("kafka node " + (i + 1) + " exited with " + processes[i].exitValue() + ", see "
                + dir.resolve("node-" + (i + 1)).resolve("node.log"));
          }
        }
        try {
          if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() >= count) {
            return;
          }
        } catch (Exception notYet) {
          // retry until the deadline
        }
        if (Instant.now().isAfter(deadline)) {
          throw new IOException(count + " kafka brokers not registered after " + timeout + ", see " + dir);
        }
        TimeUnit.MILLISECONDS.sleep(300);
      }
    }
  }

  @Override
  public void close() {
    List<Process> alive = new ArrayList<>();
    for (Process p : processes) {
      if (p != null && p.isAlive()) {
        p.destroy();
        alive.add(p);
      }
    }
    for (Process p : alive) {
      try {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
