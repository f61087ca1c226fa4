package io.llavaseg.ops.demo;

import io.llavaseg.embedded.KafkaBrokerProcess;
import io.llavaseg.embedded.RegistryLauncher;
import io.llavaseg.schemas.registry.RestSchemaRegistry;
import io.llavaseg.schemas.registry.SchemaRegistry;
import io.llavaseg.shapeworld.Sample;
import io.llavaseg.shapeworld.ShapeWorld;
import io.llavaseg.topology.LlavasegService;
import io.llavaseg.topology.ServiceConfig;
import io.llavaseg.topology.Topics;
import io.llavaseg.topology.model.BackendModelProvider;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The demo, end to end: the embedded broker and registry (unless given), the service with both
 * stages on the model-store models, the ShapeWorld queries, the outputs, the report. Everything it
 * starts is stopped in reverse order at the end, or by a shutdown hook on Ctrl-C.
 */
public final class Demo {
  private final int queries;
  private final Path out;
  private final long seed;
  private final int sources;
  private final int inFlight;
  private final Duration timeout;
  private final String bootstrapServers;
  private final String registryUrl;
  private final Properties settings;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();

  public Demo(int queries, Path out, Long seed, int sources, int inFlight, Duration timeout,
      String bootstrapServers, String registryUrl) {
    this(queries, out, seed, sources, inFlight, timeout, bootstrapServers, registryUrl, new Properties());
  }

  /** {@code settings}: service settings on top of the demo's own (models, backends). */
  public Demo(int queries, Path out, Long seed, int sources, int inFlight, Duration timeout,
      String bootstrapServers, String registryUrl, Properties settings) {
    if (queries < 1) {
      throw new IllegalArgumentException("--queries must be at least 1");
    }
    this.queries = queries;
    this.out = out;
    this.seed = seed != null ? seed : io.llavaseg.shapeworld.Seeds.DEMO;
    this.sources = Math.max(1, sources);
    this.inFlight = Math.max(1, inFlight);
    this.timeout = timeout;
    this.bootstrapServers = bootstrapServers;
    this.registryUrl = registryUrl;
    this.settings = settings;
  }

  public int run(PrintStream stdout, PrintStream stderr) throws Exception {
    Thread hook = new Thread(this::stopAll, "llavaseg-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return runInside(stdout, stderr);
    } finally {
      stopAll();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running
      }
    }
  }

  private int runInside(PrintStream stdout, PrintStream stderr) throws Exception {
    String runId = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
    Files.createDirectories(out);
    Path infra = Files.createTempDirectory("llavaseg-demo-");
    String bootstrap = bootstrapServers;
    if (bootstrap == null) {
      stderr.println("demo: starting a KRaft broker on 127.0.0.1 ...");
      KafkaBrokerProcess broker = KafkaBrokerProcess.start(infra.resolve("kafka"), Duration.ofMinutes(2));
      started.push(broker);
      bootstrap = broker.bootstrapServers();
    }
    String registry = registryUrl;
    if (registry == null) {
      stderr.println("demo: starting the schema registry (Apicurio, Confluent-compatible API) on 127.0.0.1 ...");
      RegistryLauncher launcher = RegistryLauncher.builder().logFile(infra.resolve("registry.log")).start();
      started.push(launcher);
      registry = launcher.url();
    }
    stderr.println("demo: broker " + bootstrap + ", registry " + registry);

    Properties props = new Properties();
    props.putAll(settings);
    props.put("bootstrap.servers", bootstrap);
    props.put(ServiceConfig.SCHEMA_REGISTRY_URL, registry);
    props.put("application.id", "llavaseg-demo-" + runId);
    props.put("state.dir", infra.resolve("streams-state").toString());
    props.put(ServiceConfig.TOPICS_CREATE, "true");
    props.put("commit.interval.ms", "50");
    ServiceConfig config = ServiceConfig.from(props);
    stderr.println("demo: loading the models and starting the topology ...");
    LlavasegService service = LlavasegService.start(config, new BackendModelProvider());
    started.push(service);
    awaitRunning(service, Duration.ofMinutes(2));

    SchemaRegistry client = RestSchemaRegistry.fromConfigs(config.serdeConfig());
    started.push(client);
    Topics topics = Topics.withRegistry(client, config.serdeConfig());
    List<Sample> samples = DemoRun.samples(new ShapeWorld(seed), queries);
    DemoRun run = new DemoRun(topics, bootstrap, runId);
    run.expect(samples.size());
    stderr.println("demo: publishing " + queries + " image-queries (every query kind) and waiting for answers and masks ...");
    Thread publisher = new Thread(() -> {
      try {
        run.publish(samples, sources, inFlight);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "llavaseg-demo-publisher");
    publisher.setDaemon(true);
    publisher.start();
    run.collect(timeout, stderr);
    publisher.interrupt();

    List<DemoRun.Outcome> outcomes = run.outcomes();
    DemoReport report = new DemoReport(outcomes, run.elapsedSeconds());
    Map<String, Object> runInfo = new LinkedHashMap<>();
    runInfo.put("run_id", runId);
    runInfo.put("seed", seed);
    runInfo.put("in_flight", inFlight);
    runInfo.put("bootstrap_servers", bootstrap);
    runInfo.put("schema_registry_url", registry);
    runInfo.put("cores", Runtime.getRuntime().availableProcessors());
    runInfo.put("measured", java.time.Instant.now().toString());
    runInfo.put("models", DemoReport.models(outcomes));
    report.write(out, outcomes, runInfo);
    report.printTable(stdout);
    stdout.println("wrote " + out.resolve("summary.json") + " and " + out.resolve("index.html"));
    if (report.lost > 0) {
      stderr.println("demo: " + report.lost + " queries lost (no answer or no mask, and no dead letter)");
      return 1;
    }
    return 0;
  }

  private static void awaitRunning(LlavasegService service, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (service.streams().state() != KafkaStreams.State.RUNNING) {
      KafkaStreams.State state = service.streams().state();
      if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
        throw new IllegalStateException("the service stopped while starting: " + state);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the service is not RUNNING after " + timeout + " (state " + state + ")");
      }
      Thread.sleep(100);
    }
  }

  private synchronized void stopAll() {
    while (!started.isEmpty()) {
      AutoCloseable c = started.pop();
      try {
        c.close();
      } catch (Exception e) {
        System.err.println("demo: stopping " + c + " failed: " + e);
      }
    }
  }
}
