package io.llavaseg.ops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * One service instance in a child JVM ({@code io.llavaseg.ops.Main run --config FILE}, with {@code
 * --simulated-models WAIT} when a wait is given, and {@code --simulated-outage-file FILE} when an
 * outage file is; {@code run} is {@code io.llavaseg.topology.ServiceMain}), as an operator runs
 * it: it can be stopped (SIGTERM), killed (SIGKILL), paused and resumed (SIGSTOP, SIGCONT: a
 * zombie) and started again on the same configuration and state directory.
 * Readiness is its {@code /health/ready}. Used by {@code ops/llavaseg cluster} and the fault drills.
 */
public final class ServiceProcess implements AutoCloseable {
  private final Path config;
  private final Path log;
  private volatile int metricsPort = -1;
  private long logStart;
  private final String simulatedWait;
  private final Path simulatedOutageFile;
  private Process process;

  /** {@code simulatedWait}: null for the model-store models. */
  public ServiceProcess(Path dir, Map<String, String> properties, String simulatedWait) throws IOException {
    this(dir, properties, simulatedWait, null);
  }

  /**
   * {@code simulatedOutageFile}: with simulated models, a file whose existence makes them fail as
   * an unavailable model server (see {@code SimulatedGpuModels}); null for none.
   */
  public ServiceProcess(Path dir, Map<String, String> properties, String simulatedWait, Path simulatedOutageFile)
      throws IOException {
    if (simulatedOutageFile != null && simulatedWait == null) {
      throw new IllegalArgumentException("an outage file needs the simulated models");
    }
    this.simulatedOutageFile = simulatedOutageFile;
    Files.createDirectories(dir);
    this.config = dir.resolve("service.properties");
    this.log = dir.resolve("service.log");
    this.simulatedWait = simulatedWait;
    Properties p = new Properties();
    p.putAll(properties);
    // any free port, bound by the instance itself and read back from its log (picking a port here
    // and passing it on races with other sockets of the machine)
    p.put("llavaseg.metrics.port", "0");
    p.put("llavaseg.metrics.host", "127.0.0.1");
    p.put("state.dir", dir.resolve("state").toString());
    try (var w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
      p.store(w, "fault drill instance");
    }
  }

  public ServiceProcess start() throws IOException {
    metricsPort = -1;
    logStart = Files.exists(log) ? Files.size(log) : 0; // a restart appends: read only its own lines
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add(simulatedWait == null ? "-Xmx4g" : "-Xmx512m");
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.llavaseg.ops.Main");
    cmd.addAll(List.of("run", "--config", config.toString()));
    if (simulatedWait != null) {
      cmd.addAll(List.of("--simulated-models", simulatedWait));
    }
    if (simulatedOutageFile != null) {
      cmd.addAll(List.of("--simulated-outage-file", simulatedOutageFile.toString()));
    }
    process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return this;
  }

  /** Waits until {@code /health/ready} answers 200. */
  public void awaitReady(Duration timeout) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("instance exited with " + process.exitValue() + ":\n" + tail());
      }
      if (metricsPort < 0) {
        metricsPort = portFromLog();
        if (metricsPort < 0) {
          Thread.sleep(200);
          continue;
        }
      }
      try {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + metricsPort + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("instance not ready after " + timeout + ":\n" + tail());
  }

  private static final java.util.regex.Pattern METRICS_LINE =
      java.util.regex.Pattern.compile("metrics at http://[^:]+:(\\d+)/metrics");

  /** The port of the last "metrics at ..." line the instance logged, -1 if none yet. */
  private int portFromLog() throws IOException {
    if (!Files.exists(log)) {
      return -1;
    }
    int port = -1;
    String text = Files.readString(log);
    java.util.regex.Matcher m = METRICS_LINE.matcher(text.substring((int) Math.min(logStart, text.length())));
    while (m.find()) {
      port = Integer.parseInt(m.group(1));
    }
    return port;
  }

  /** SIGKILL: no shutdown hook, no transaction commit, no leaving the group. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGSTOP: the JVM stops where it is (no heartbeat, no commit), as in a long GC pause or a frozen VM. */
  public void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause}: the instance carries on from where it stopped. */
  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).redirectErrorStream(true).start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " failed: " + new String(kill.getInputStream().readAllBytes()));
    }
  }

  /** Whether the instance's JVM is running. */
  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** The exit code of the instance's JVM (once it exited). */
  public int exitValue() {
    return process.exitValue();
  }

  /** The running JVM's process id (a new one after each {@link #start}). */
  public long pid() {
    return process.pid();
  }

  /** The log lines of the current run (since the last {@link #start}). */
  public String currentRunLog() throws IOException {
    String text = Files.readString(log);
    return text.substring((int) Math.min(logStart, text.length()));
  }

  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** The metrics/health port the running instance bound (known once {@link #awaitReady} returned). */
  public int metricsPort() {
    return metricsPort;
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
