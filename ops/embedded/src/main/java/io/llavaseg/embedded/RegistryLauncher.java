package io.llavaseg.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the project's Apicurio Registry (module {@code ops/registry}, in-memory storage) as a
 * child {@code java} process on 127.0.0.1, waits until its Confluent-compatible API answers, and
 * stops it on {@link #close()} or JVM shutdown. Used by integration tests and the ops commands.
 *
 * <p>The runner jar ({@code ops/registry/target/*-runner.jar}, with its sibling {@code lib/}) is
 * found from system property {@value #JAR_PROPERTY}, else under the project root: system property
 * {@value #HOME_PROPERTY}, else the first directory upwards from {@code user.dir} that contains
 * {@code ops/registry}. It is not built here: run {@code mvn -o -q package -pl ops/registry}.
 * The child's output goes to a log file (default {@code ops/registry/target/registry-logs/}).
 * Nothing is persisted: every start is an empty registry.
 *
 * <p>{@link Builder#secured} serves HTTPS only, with HTTP basic auth on every path, as a registry
 * reached over a network should be: the key store, the password and the user go to Quarkus
 * through a file readable only by the owner ({@code quarkus.config.locations}), never through the
 * command line or the log.
 */
public final class RegistryLauncher implements AutoCloseable {
  public static final String HOME_PROPERTY = "llavaseg.home";
  public static final String JAR_PROPERTY = "llavaseg.registry.jar";
  /** Path of the Confluent-compatible API under the base URL. */
  public static final String CCOMPAT_PATH = "/apis/ccompat/v7";
  private static HttpRequest probeRequest(RegistryLauncher launcher, URI probe) {
    HttpRequest.Builder b = HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(2)).GET();
    if (launcher.secured != null) {
      b.header("Authorization", launcher.secured.authorization());
    }
    return b.build();
  }

  /** Path of Apicurio's own v2 API (used by Apicurio's serdes). */
  public static final String REGISTRY_V2_PATH = "/apis/registry/v2";
  /** Default JVM flags: small heap, quick start on a shared 2-core machine. */
  public static final List<String> DEFAULT_JVM_ARGS =
      List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private static final Logger LOG = LoggerFactory.getLogger(RegistryLauncher.class);
  private static final int PORT_ATTEMPTS = 3;

  private final Process process;
  private final int port;
  private final Path logFile;
  private final Secured secured;
  private final Thread shutdownHook;

  /**
   * HTTPS and basic-auth settings of a secured registry.
   *
   * @param keystore PKCS12 key store whose certificate names 127.0.0.1
   * @param keystorePassword its password (also the key's)
   * @param user the one user allowed in
   * @param password that user's password
   */
  public record Secured(Path keystore, String keystorePassword, String user, String password) {
    /** The Quarkus settings, with {@code port} as the HTTPS port and plain HTTP closed. */
    String quarkusProperties(int port) {
      return String.join("\n",
          "quarkus.http.ssl-port=" + port,
          "quarkus.http.insecure-requests=disabled",
          "quarkus.http.ssl.certificate.key-store-file=" + keystore.toAbsolutePath(),
          "quarkus.http.ssl.certificate.key-store-file-type=PKCS12",
          "quarkus.http.ssl.certificate.key-store-password=" + keystorePassword,
          "llavaseg.registry.basic-auth.user=" + user,
          "llavaseg.registry.basic-auth.password=" + password,
          "");
    }

    String authorization() {
      return "Basic " + java.util.Base64.getEncoder()
          .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** An SSL context that trusts exactly the key store's certificate. */
    javax.net.ssl.SSLContext trustingItself() {
      try (var in = Files.newInputStream(keystore)) {
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(in, keystorePassword.toCharArray());
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (String alias : java.util.Collections.list(ks.aliases())) {
          trust.setCertificateEntry(alias, ks.getCertificate(alias));
        }
        var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        var ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
      } catch (IOException | java.security.GeneralSecurityException e) {
        throw new IllegalStateException("cannot read the registry key store " + keystore, e);
      }
    }
  }

  private RegistryLauncher(Process process, int port, Path logFile, Secured secured) {
    this.process = process;
    this.port = port;
    this.logFile = logFile;
    this.secured = secured;
    this.shutdownHook = new Thread(this::stopProcess, "registry-launcher-shutdown-" + port);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts a registry on a free port with the default settings and waits until it is ready. */
  public static RegistryLauncher start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The Confluent-compatible API, e.g. {@code http://127.0.0.1:41234/apis/ccompat/v7}. */
  public String url() {
    return baseUrl() + CCOMPAT_PATH;
  }

  /** Apicurio's own v2 API, e.g. {@code http://127.0.0.1:41234/apis/registry/v2}. */
  public String registryApiUrl() {
    return baseUrl() + REGISTRY_V2_PATH;
  }

  /** {@code http://127.0.0.1:PORT}, or {@code https://} when secured. */
  public String baseUrl() {
    return (secured != null ? "https" : "http") + "://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public Path logFile() {
    return logFile;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Stops the registry process (SIGTERM, then SIGKILL after 10 s). Idempotent. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook runs or has run
    }
    stopProcess();
  }

  private void stopProcess() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    LOG.info("schema registry on port {} stopped", port);
  }

  /**
   * Runs a registry until the JVM is stopped (Ctrl-C). Arguments: {@code [--port N]}. Prints the
   * Confluent-compatible URL on the first line of standard output.
   */
  public static void main(String[] args) throws InterruptedException {
    Builder b = builder();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--port") && i + 1 < args.length) {
        b.port(Integer.parseInt(args[++i]));
      } else {
        System.err.println("usage: RegistryLauncher [--port N]");
        System.exit(2);
      }
    }
    RegistryLauncher registry = b.start();
    System.out.println(registry.url());
    System.out.println("log: " + registry.logFile() + " (Ctrl-C stops)");
    registry.process.waitFor();
  }

  /** Options of {@link RegistryLauncher}; every one has a default. */
  public static final class Builder {
    private int port = 0;
    private Path projectRoot;
    private Path jar;
    private Path logFile;
    private Duration startupTimeout = Duration.ofSeconds(90);
    private List<String> jvmArgs = DEFAULT_JVM_ARGS;
    private Secured secured;

    private Builder() {}

    /** Serve HTTPS only, with basic auth (default: plain HTTP, no auth, for loopback use). */
    public Builder secured(Secured secured) {
      this.secured = secured;
      return this;
    }

    /** Port on 127.0.0.1; 0 (default) picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port " + port);
      }
      this.port = port;
      return this;
    }

    /** The directory that contains {@code ops/registry} (default: see the class doc). */
    public Builder projectRoot(Path projectRoot) {
      this.projectRoot = projectRoot;
      return this;
    }

    /** The runner jar itself (default: found under the project root). */
    public Builder jar(Path jar) {
      this.jar = jar;
      return this;
    }

    /** Where the child's output goes (default {@code ops/registry/target/registry-logs/registry-PORT.log}). */
    public Builder logFile(Path logFile) {
      this.logFile = logFile;
      return this;
    }

    /** How long to wait for the API to answer (default 90 s; it is ready in 4-8 s when idle). */
    public Builder startupTimeout(Duration startupTimeout) {
      this.startupTimeout = Objects.requireNonNull(startupTimeout);
      return this;
    }

    /** JVM flags of the child (default {@link #DEFAULT_JVM_ARGS}). */
    public Builder jvmArgs(List<String> jvmArgs) {
      this.jvmArgs = List.copyOf(jvmArgs);
      return this;
    }

    /**
     * Starts the process and waits for readiness.
     *
     * @throws IllegalStateException if the jar is missing, the process exits, or it is not ready
     *     within the startup timeout (the message carries the end of its log)
     */
    public RegistryLauncher start() {
      String explicit = System.getProperty(JAR_PROPERTY);
      // with -Dllavaseg.registry.jar (the command line's image) no project root is needed
      Path runner = jar != null ? jar
          : findRunnerJar(projectRoot != null || (explicit != null && !explicit.isBlank()) ? projectRoot : findRoot());
      IllegalStateException last = null;
      for (int attempt = 1; attempt <= (port == 0 ? PORT_ATTEMPTS : 1); attempt++) {
        int chosen = port != 0 ? port : freePort();
        Path log = logFile != null ? logFile
            : runner.getParent().resolve("registry-logs").resolve("registry-" + chosen + ".log");
        try {
          return launch(runner, chosen, log);
        } catch (PortInUseException e) {
          last = e;
          LOG.warn("port {} was taken before the registry bound it; trying another", chosen);
        }
      }
      throw last;
    }

    private RegistryLauncher launch(Path runner, int chosenPort, Path log) {
      try {
        Files.createDirectories(log.toAbsolutePath().getParent());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the log directory of " + log, e);
      }
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(jvmArgs);
      cmd.add("-Dquarkus.http.host=127.0.0.1");
      cmd.add("-Dquarkus.http.port=" + chosenPort);
      if (secured != null) {
        Path settings = log.toAbsolutePath().resolveSibling(log.getFileName() + ".secured.properties");
        try {
          Files.deleteIfExists(settings);
          Files.createFile(settings, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
          Files.writeString(settings, secured.quarkusProperties(chosenPort), StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write " + settings, e);
        }
        cmd.add("-Dquarkus.config.locations=" + settings);
      }
      cmd.add("-jar");
      cmd.add(runner.toString());
      ProcessBuilder pb = new ProcessBuilder(cmd)
          .directory(runner.getParent().toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      long t0 = System.nanoTime();
      Process process;
      try {
        process = pb.start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + cmd, e);
      }
      RegistryLauncher launcher = new RegistryLauncher(process, chosenPort, log, secured);
      try {
        awaitReady(launcher, startupTimeout);
      } catch (RuntimeException e) {
        launcher.close();
        throw e;
      }
      LOG.info("schema registry ready at {} in {} ms (pid {}, log {})", launcher.url(),
          (System.nanoTime() - t0) / 1_000_000, process.pid(), log);
      return launcher;
    }
  }

  private static void awaitReady(RegistryLauncher launcher, Duration timeout) {
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
    if (launcher.secured != null) {
      client.sslContext(launcher.secured.trustingItself());
    }
    HttpClient http = client.build();
    URI probe = URI.create(launcher.url() + "/subjects");
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastProblem = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!launcher.process.isAlive()) {
        String tail = tail(launcher.logFile);
        if (tail.contains("already in use")) {
          throw new PortInUseException("registry port " + launcher.port + " in use:\n" + tail);
        }
        throw new IllegalStateException("schema registry exited with code "
            + launcher.process.exitValue() + " before it was ready; end of "
            + launcher.logFile + ":\n" + tail);
      }
      try {
        HttpResponse<Void> r = http.send(
            probeRequest(launcher, probe),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
        lastProblem = "HTTP " + r.statusCode();
      } catch (IOException e) {
        lastProblem = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the schema registry", e);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the schema registry", e);
      }
    }
    throw new IllegalStateException("schema registry at " + launcher.url() + " not ready after "
        + timeout.toSeconds() + " s (" + lastProblem + "); end of " + launcher.logFile + ":\n"
        + tail(launcher.logFile));
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException | RuntimeException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  static Path findRoot() {
    String home = System.getProperty(HOME_PROPERTY);
    if (home != null && !home.isBlank()) {
      Path root = Path.of(home).toAbsolutePath();
      if (!Files.isDirectory(root.resolve("ops/registry"))) {
        throw new IllegalStateException(HOME_PROPERTY + "=" + home + " has no ops/registry");
      }
      return root;
    }
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("ops/registry"))) {
        return d;
      }
    }
    throw new IllegalStateException("no directory containing ops/registry above " + dir
        + "; set -D" + HOME_PROPERTY + "=<project root> or -D" + JAR_PROPERTY + "=<runner jar>");
  }

  static Path findRunnerJar(Path root) {
    String explicit = System.getProperty(JAR_PROPERTY);
    if (explicit != null && !explicit.isBlank()) {
      Path p = Path.of(explicit).toAbsolutePath();
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException(JAR_PROPERTY + "=" + explicit + " does not exist");
      }
      return p;
    }
    Path target = root.resolve("ops/registry/target");
    if (Files.isDirectory(target)) {
      try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "*-runner.jar")) {
        for (Path p : jars) {
          return p.toAbsolutePath();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no *-runner.jar in " + target
        + ": build the registry first with `mvn -o -q package -pl ops/registry` in " + root);
  }

  private static final class PortInUseException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    PortInUseException(String message) {
      super(message);
    }
  }
}
