package io.llavaseg.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka broker (combined broker + controller) in a child JVM, started
 * from the Kafka jars on this process's classpath on free loopback ports: {@code
 * kafka.tools.StorageTool format --standalone}, then {@code kafka.Kafka server.properties}. Its
 * data and log live in a directory of their own, deleted on {@link #close()} unless asked to keep
 * it. Not for production clusters: one node, replication factor 1.
 */
public final class KafkaBrokerProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokerProcess.class);

  private final Path dir;
  private final int brokerPort;
  private final Map<String, Object> adminConfig;
  private volatile Process process;
  private final Thread shutdownHook;

  private KafkaBrokerProcess(Path dir, int brokerPort, Map<String, Object> adminConfig, Process process) {
    this.dir = dir;
    this.brokerPort = brokerPort;
    this.adminConfig = Map.copyOf(adminConfig);
    this.process = process;
    this.shutdownHook = new Thread(() -> this.process.destroyForcibly(), "kafka-broker-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Stops the broker (SIGTERM, a controlled shutdown), stays down for {@code downtime}, then starts
   * it again on the same ports and data (no reformat) and waits until it answers: a broker restart
   * for fault drills.
   */
  public void restart(Duration downtime, Duration timeout) throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    LOG.info("Kafka broker stopped; down for {}", downtime);
    Thread.sleep(downtime.toMillis());
    process = java(List.of("kafka.Kafka", dir.resolve("server.properties").toString()), dir.resolve("broker.log"));
    awaitReady(timeout);
    LOG.info("Kafka broker restarted at {} (pid {})", bootstrapServers(), process.pid());
  }

  /** Formats storage, starts the broker and waits until it answers an admin request. */
  public static KafkaBrokerProcess start(Path dir, Duration timeout) throws IOException, InterruptedException {
    return start(dir, null, timeout);
  }

  /**
   * Like {@link #start(Path, Duration)}, with clients and brokers on a SASL_SSL listener
   * (SCRAM-SHA-512 over TLS) and the StandardAuthorizer: only the administrator (a super user whose
   * SCRAM credential is written at format time) may do anything until ACLs say otherwise.
   */
  public static KafkaBrokerProcess startSecured(Path dir, BrokerSecurity security, Duration timeout)
      throws IOException, InterruptedException {
    return start(dir, security, timeout);
  }

  private static KafkaBrokerProcess start(Path dir, BrokerSecurity security, Duration timeout)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    int brokerPort = FreePorts.next();
    int controllerPort = FreePorts.next();
    Path props = dir.resolve("server.properties");
    String server = serverProperties(dir.resolve("data"), brokerPort, controllerPort,
        security == null ? "PLAINTEXT" : "SASL_SSL");
    if (security != null) {
      server += security.serverProperties();
    }
    Files.writeString(props, server, StandardCharsets.UTF_8);
    Path log = dir.resolve("broker.log");
    List<String> format = new ArrayList<>(
        List.of("kafka.tools.StorageTool", "format", "-t", randomClusterId(), "-c", props.toString(), "--standalone"));
    if (security != null) {
      format.addAll(List.of("--add-scram", security.adminScramCredential()));
    }
    int rc = java(format, log).waitFor();
    if (rc != 0) {
      throw new IOException("kafka storage format failed (exit " + rc + "), see " + log);
    }
    Process process = java(List.of("kafka.Kafka", props.toString()), log);
    Map<String, Object> admin = new java.util.HashMap<>();
    admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + brokerPort);
    if (security != null) {
      admin.putAll(security.clientProperties(security.adminUser(), security.adminPassword()));
    }
    KafkaBrokerProcess broker = new KafkaBrokerProcess(dir, brokerPort, admin, process);
    try {
      broker.awaitReady(timeout);
    } catch (IOException | RuntimeException | InterruptedException e) {
      broker.close();
      throw e;
    }
    LOG.info("Kafka broker (KRaft) ready at {} (pid {}, log {})", broker.bootstrapServers(), process.pid(), log);
    return broker;
  }

  /** Properties of an admin client that may do anything on this broker (secured or not). */
  public Map<String, Object> adminConfig() {
    return adminConfig;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  public Path directory() {
    return dir;
  }

  /** The broker JVM's process id (a new one after {@link #restart}). */
  public long pid() {
    return process.pid();
  }

  private void awaitReady(Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    Map<String, Object> conf = new java.util.HashMap<>(adminConfig);
    conf.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
    conf.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
    try (Admin admin = Admin.create(conf)) {
      while (true) {
        if (!process.isAlive()) {
          throw new IOException("kafka broker exited with " + process.exitValue() + ", see " + dir.resolve("broker.log"));
        }
        try {
          if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (Exception notYet) {
          // not up yet; retry until the deadline
        }
        if (Instant.now().isAfter(deadline)) {
          throw new IOException("kafka broker not ready after " + timeout + ", see " + dir.resolve("broker.log"));
        }
        TimeUnit.MILLISECONDS.sleep(200);
      }
    }
  }

  static Process java(List<String> mainAndArgs, Path log) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Dlog4j2.level=WARN");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.addAll(mainAndArgs);
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  /** {@code protocol}: of the one listener for clients and brokers, PLAINTEXT or SASL_SSL. */
  static String serverProperties(Path dataDir, int brokerPort, int controllerPort, String protocol) {
    return String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
        "listeners=" + protocol + "://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=" + protocol + "://127.0.0.1:" + brokerPort,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=" + protocol,
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT," + protocol + ":" + protocol,
        "log.dirs=" + dataDir,
        "num.partitions=1",
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "auto.create.topics.enable=false",
        "") ;
  }

  private static String randomClusterId() {
    // StorageTool's random-uuid is a base64url Uuid; Kafka's Uuid.randomUuid() is the same thing.
    return org.apache.kafka.common.Uuid.randomUuid().toString();
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** A fresh directory under the system temp dir, for callers without one of their own. */
  public static Path tempDir() {
    try {
      return Files.createTempDirectory("llavaseg-kafka-" + UUID.randomUUID().toString().substring(0, 8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
