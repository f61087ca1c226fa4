package io.llavaseg.ops;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * What {@code ops/llavaseg up} started and where, in its directory: {@code up.properties} holds the
 * two addresses as a properties fragment ({@code bootstrap.servers}, {@code schema.registry.url})
 * that a service configuration can take as it is; {@code up.pids} holds the process ids (with
 * their start times, so that {@code down} never signals a process that merely reuses an id) of the
 * background supervisor, the broker and the registry. {@code up.pids} is written last, so its
 * presence means everything is up.
 */
record UpState(String bootstrapServers, String registryUrl, Proc supervisor, Proc broker, Proc registry) {
  static final String ADDRESSES = "up.properties";
  static final String PIDS = "up.pids";
  static final String LOG = "up.log";

  /** A process by id and start time (epoch milliseconds, 0 when the platform does not say). */
  record Proc(long pid, long startMillis) {
    static Proc of(ProcessHandle handle) {
      return new Proc(handle.pid(), handle.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L));
    }

    /** The live process this names, if it still runs and is the same process. */
    Optional<ProcessHandle> live() {
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> startMillis == 0
          || h.info().startInstant().map(i -> i.toEpochMilli() == startMillis).orElse(true));
    }

    static Proc parse(String value) {
      String[] parts = value.trim().split("@", 2);
      return new Proc(Long.parseLong(parts[0]), parts.length > 1 ? Long.parseLong(parts[1]) : 0L);
    }

    @Override
    public String toString() {
      return pid + "@" + startMillis;
    }
  }

  /** The properties fragment, as printed by {@code up}. */
  String addresses() {
    return "bootstrap.servers=" + bootstrapServers + "\nschema.registry.url=" + registryUrl + "\n";
  }

  /** Writes both files, each atomically, {@code up.pids} last. */
  void write(Path dir) throws IOException {
    writeAtomically(dir.resolve(ADDRESSES),
        "# written by ops/llavaseg up; ops/llavaseg down stops the broker and the registry\n" + addresses());
    Properties pids = new Properties();
    pids.setProperty("bootstrap.servers", bootstrapServers);
    pids.setProperty("schema.registry.url", registryUrl);
    pids.setProperty("supervisor", supervisor.toString());
    pids.setProperty("broker", broker.toString());
    pids.setProperty("registry", registry.toString());
    Path tmp = dir.resolve(PIDS + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      pids.store(w, "ops/llavaseg up: pid@start-millis of each process");
    }
    Files.move(tmp, dir.resolve(PIDS), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The state in {@code dir}, if {@code up} finished starting there. */
  static Optional<UpState> read(Path dir) throws IOException {
    Path file = dir.resolve(PIDS);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    return Optional.of(new UpState(p.getProperty("bootstrap.servers"), p.getProperty("schema.registry.url"),
        Proc.parse(p.getProperty("supervisor")), Proc.parse(p.getProperty("broker")),
        Proc.parse(p.getProperty("registry"))));
  }

  /** Removes both files (the log stays). */
  static void delete(Path dir) throws IOException {
    Files.deleteIfExists(dir.resolve(PIDS));
    Files.deleteIfExists(dir.resolve(ADDRESSES));
  }
}
