package io.llavaseg.ops;

import io.llavaseg.embedded.KafkaBrokerProcess;
import io.llavaseg.embedded.RegistryLauncher;
import io.llavaseg.ops.cli.DurationConverter;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ops/llavaseg up}: a local single-node KRaft broker ({@link KafkaBrokerProcess}) and the
 * schema registry ({@link RegistryLauncher}) on 127.0.0.1, left running in the background for
 * {@code run}, {@code feed --bootstrap-servers}, {@code demo --bootstrap-servers} and your own
 * clients. It starts a background JVM (this command with {@code --foreground}, in a session of its
 * own, its output in {@code DIR/up.log}) that owns both child processes, waits until that JVM has
 * written {@link UpState} ({@code DIR/up.properties}, {@code DIR/up.pids}), prints the properties
 * fragment and returns. {@link DownCommand} stops them. A second {@code up} on the same directory
 * prints the running pair's addresses and starts nothing. Every {@code up} starts an empty broker
 * and registry (the data of the previous one is deleted).
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Start a local KRaft broker and the schema registry on 127.0.0.1 in the background and return; "
          + "print their addresses as a properties fragment (bootstrap.servers=..., schema.registry.url=...), "
          + "also written to DIR/up.properties. `ops/llavaseg down` stops them."
    })
public final class UpCommand implements Callable<Integer> {

  /** Default state directory, relative to the working directory (ops/llavaseg runs in the project root). */
  static final String DEFAULT_DIR = ".llavaseg";

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR,
      description = "State directory: addresses, process ids, logs and the broker's data (default ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "3m", converter = DurationConverter.class,
      description = "How long to wait for both to answer, e.g. 3m or PT3M (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--foreground",
      description = "Run in this process until Ctrl-C or SIGTERM instead of in the background.")
  boolean foreground;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Path work = dir.toAbsolutePath();
    Files.createDirectories(work);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<UpState> running = UpState.read(work).filter(s -> s.supervisor().live().isPresent());
    if (running.isPresent()) {
      err.println("up: already up (" + work.resolve(UpState.PIDS) + "); `ops/llavaseg down --dir " + dir
          + "` stops it");
      printAddresses(running.get(), out, err);
      return 0;
    }
    UpState.delete(work);
    return foreground ? runForeground(work, out, err) : startBackground(work, out, err);
  }

  /** Starts {@code up --foreground} as a detached JVM and waits for its state file. */
  private int startBackground(Path work, PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    Path setsid = Path.of("/usr/bin/setsid");
    if (Files.isExecutable(setsid)) {
      cmd.add(setsid.toString()); // a session of its own: closing the terminal does not hang it up
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-XX:+UseSerialGC");
    for (Map.Entry<Object, Object> e : System.getProperties().entrySet()) {
      String key = e.getKey().toString();
      if (key.startsWith("llavaseg.") || key.startsWith("log4j")) {
        cmd.add("-D" + key + "=" + e.getValue());
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of("up", "--foreground", "--dir", work.toString(), "--timeout", timeout.toString()));
    Path log = work.resolve(UpState.LOG);
    Process process = new ProcessBuilder(cmd)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    err.println("up: starting a KRaft broker and the schema registry in the background (log " + log + ") ...");
    err.flush();
    long deadline = System.nanoTime() + timeout.plusSeconds(30).toNanos();
    while (true) {
      Optional<UpState> state = UpState.read(work);
      if (state.isPresent()) {
        printAddresses(state.get(), out, err);
        return 0;
      }
      if (process.waitFor(200, TimeUnit.MILLISECONDS)) {
        // setsid may fork and exit at once; the JVM it started is what counts
        if (!background(process).isPresent() && UpState.read(work).isEmpty()) {
          err.println("up: the background process exited before it was ready; end of " + log + ":");
          err.println(tail(log));
          return 1;
        }
      }
      if (System.nanoTime() > deadline) {
        background(process).ifPresent(ProcessHandle::destroy);
        process.destroy();
        err.println("up: not ready after " + timeout + "; end of " + log + ":");
        err.println(tail(log));
        return 1;
      }
    }
  }

  /** The background JVM: the process itself, or its child if setsid had to fork. */
  private static Optional<ProcessHandle> background(Process process) {
    if (process.isAlive()) {
      return Optional.of(process.toHandle());
    }
    return process.children().filter(ProcessHandle::isAlive).findFirst();
  }

  /** Owns the broker and the registry until SIGTERM, or until either of them exits. */
  private int runForeground(Path work, PrintWriter out, PrintWriter err) throws Exception {
    Path kafkaDir = work.resolve("kafka");
    deleteRecursively(kafkaDir); // a fresh broker: formatting refuses a used data directory
    err.println("up: starting a KRaft broker on 127.0.0.1 ...");
    err.flush();
    KafkaBrokerProcess broker = KafkaBrokerProcess.start(kafkaDir, timeout);
    RegistryLauncher registry;
    try {
      err.println("up: starting the schema registry on 127.0.0.1 ...");
      err.flush();
      registry = RegistryLauncher.builder().logFile(work.resolve("registry.log")).startupTimeout(timeout).start();
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
    Thread stop = new Thread(() -> {
      registry.close();
      broker.close();
      try {
        UpState.delete(work);
      } catch (IOException ignored) {
        // best effort: down deletes them too
      }
    }, "llavaseg-up-stop");
    Runtime.getRuntime().addShutdownHook(stop);
    UpState state = new UpState(broker.bootstrapServers(), registry.url(), UpState.Proc.of(ProcessHandle.current()),
        new UpState.Proc(broker.pid(), ProcessHandle.of(broker.pid()).map(h -> UpState.Proc.of(h).startMillis())
            .orElse(0L)),
        new UpState.Proc(registry.pid(), ProcessHandle.of(registry.pid()).map(h -> UpState.Proc.of(h).startMillis())
            .orElse(0L)));
    state.write(work);
    printAddresses(state, out, err);
    // Until down (or anyone) stops the broker or the registry, or this JVM gets SIGTERM.
    CompletableFuture.anyOf(
        ProcessHandle.of(broker.pid()).map(ProcessHandle::onExit).orElse(CompletableFuture.completedFuture(null)),
        ProcessHandle.of(registry.pid()).map(ProcessHandle::onExit).orElse(CompletableFuture.completedFuture(null)))
        .join();
    err.println("up: the broker or the registry stopped; stopping the other");
    err.flush();
    return 0; // System.exit runs the hook, which stops what still runs and deletes the state files
  }

  private void printAddresses(UpState state, PrintWriter out, PrintWriter err) {
    out.print(state.addresses());
    out.flush();
    err.println("up: broker pid " + state.broker().pid() + ", registry pid " + state.registry().pid()
        + "; addresses also in " + dir.resolve(UpState.ADDRESSES));
    err.println("up: run the service on them with");
    err.println("  ops/llavaseg run --config ops/config/service.properties --set bootstrap.servers="
        + state.bootstrapServers() + " --set schema.registry.url=" + state.registryUrl());
    err.println("up: stop them with  ops/llavaseg down" + (DEFAULT_DIR.equals(dir.toString()) ? "" : " --dir " + dir));
    err.flush();
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException | RuntimeException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
