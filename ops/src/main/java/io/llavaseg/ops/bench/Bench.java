package io.llavaseg.ops.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.llavaseg.embedded.KafkaBrokerProcess;
import io.llavaseg.embedded.RegistryLauncher;
import io.llavaseg.schemas.registry.RestSchemaRegistry;
import io.llavaseg.schemas.registry.SchemaRegistry;
import io.llavaseg.shapeworld.QueryKind;
import io.llavaseg.shapeworld.Sample;
import io.llavaseg.shapeworld.ShapeWorld;
import io.llavaseg.shapeworld.Seeds;
import io.llavaseg.topology.LlavasegService;
import io.llavaseg.topology.ServiceConfig;
import io.llavaseg.topology.Stage;
import io.llavaseg.topology.Topics;
import io.llavaseg.topology.model.ModelProvider;
import io.llavaseg.topology.model.BackendModelProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import javax.imageio.ImageIO;
import org.apache.kafka.streams.KafkaStreams;

/**
 * {@code ops/llavaseg bench}: throughput, latency, batching, scaling and memory in one run on one
 * machine.
 * <ol>
 *   <li>a) raw in-process throughput of each stage's worker at batch 1 and at the batch size, and
 *       of the whole pipeline with its stages overlapped, from the same encoded images as b (decoded
 *       once by the service's decoder, reasoned, segmented: the same work as b, without Kafka);
 *   <li>b) end-to-end throughput through a real broker and registry with the same models, at the
 *       service's default threading, and the transactions it commits per query: {@code e2e-rounds}
 *       bursts, each between two measurements of a's pipeline (kept open, {@link RawPipeline}) and
 *       compared with their mean: the throughput and {@code e2e_over_raw} are the medians of the
 *       rounds, every round beside them;
 *   <li>c) end-to-end latency p50/p95/p99 at 50% and 90% of b, at least 500 queries each;
 *   <li>d) scaling over 1, 2, 4 instances in one consumer group, each with its own simulated
 *       device ({@link DeviceCost}), at the device batch size, against the cost model's ideal;
 *   <li>e) the process's resident memory and heap after GC before and after a soak at 50% of b;
 *   <li>f) one instance with 2 stream threads on a simulated device at batch 32: achieved over the
 *       cost model's ideal ({@code device_efficiency_b32}).
 * </ol>
 * Prints a table and writes the JSON ({@code e2e_over_raw}, {@code e2e_over_slowest_stage}, {@code
 * device_efficiency_b32}, {@code scaling_efficiency_4}, {@code batching_gain}, {@code
 * segmentation_batching_gain}, {@code transactions_per_query}, {@code rss_growth}, the model
 * versions and the raw figures).
 */
public final class Bench {
  /** Settings; {@link BenchCommand} documents each. */
  public record Options(int batch, int segmentationBatch, int rawQueries, int e2eQueries, int e2eWarmupQueries,
      Duration loadDuration, Duration soak, int partitions, int scalingQueriesPerInstance, DeviceCost reasoningCost, DeviceCost segmentationCost,
      int deviceBatch, int deviceQueries, int latencyQueries, Path json, Map<String, String> serviceOverrides,
      java.util.Set<Part> parts, int e2eRounds) {}

  /** The parts of a run; a run of some parts writes no headline. */
  public enum Part {
    /** a) raw in-process throughput. */
    RAW,
    /** b, c, e) end to end through the broker: throughput, latency, memory (needs {@link #RAW}). */
    E2E,
    /** f) one instance on a simulated device at the device batch size. */
    DEVICE,
    /** d) 1, 2, 4 instances on simulated devices. */
    SCALING
  }

  private final Options o;
  private final PrintStream log;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final String runId = Long.toString(System.currentTimeMillis(), 36);
  /** The broker's and the registry's processes, whose CPU the end-to-end run accounts for. */
  private final Map<String, Long> infraPids = new LinkedHashMap<>();

  public Bench(Options options, PrintStream log) {
    this.o = options;
    this.log = log;
  }

  @SuppressWarnings("unchecked")
  public Map<String, Object> run() throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("machine", machine());
    out.put("batch_size", o.batch());
    out.put("segmentation_batch_size", segmentationBatch());
    out.put("service_overrides", o.serviceOverrides());
    out.put("parts", o.parts());
    out.put("world_seed", Seeds.BENCH);
    List<Sample> samples = samples(Math.max(o.rawQueries(), 2 * o.batch()));
    java.util.Set<Part> parts = o.parts();
    RawPipeline rawPipeline = null;
    try {
      Map<String, Object> raw = null;
      if (parts.contains(Part.RAW) || parts.contains(Part.E2E)) {
        rawPipeline = rawPipeline(samples);
        started.push(rawPipeline);
        raw = raw(samples, rawPipeline);
        out.put("raw", raw);
      }
      Path infra = Files.createTempDirectory("llavaseg-bench-");
      log.println("bench: starting a KRaft broker and the schema registry ...");
      KafkaBrokerProcess broker = KafkaBrokerProcess.start(infra.resolve("kafka"), Duration.ofMinutes(2));
      started.push(broker);
      RegistryLauncher registry = RegistryLauncher.builder().logFile(infra.resolve("registry.log")).start();
      started.push(registry);
      infraPids.put("broker", broker.pid());
      infraPids.put("registry", registry.pid());
      if (parts.contains(Part.E2E)) {
        out.put("e2e", endToEnd(broker.bootstrapServers(), registry.url(), infra, raw, rawPipeline));
      }
      if (parts.contains(Part.DEVICE)) {
        out.put("device", device(broker.bootstrapServers(), registry.url(), infra, samples));
      }
      if (parts.contains(Part.SCALING)) {
        out.put("scaling", scaling(broker.bootstrapServers(), registry.url(), infra, samples));
      }
      if (parts.containsAll(java.util.EnumSet.allOf(Part.class))) {
        Map<String, Object> headline = headline(out);
        out.put("headline", headline);
        out.putAll(headline);
      }
    } finally {
      stopAll();
    }
    ((Map<String, Object>) out.get("machine")).put("load_average_at_end", loadAverage());
    Files.createDirectories(o.json().toAbsolutePath().getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(o.json().toFile(), out);
    return out;
  }

  private static Map<String, Object> headline(Map<String, Object> out) {
    Map<?, ?> raw = (Map<?, ?>) out.get("raw");
    Map<?, ?> e2e = (Map<?, ?>) out.get("e2e");
    Map<String, Object> headline = new LinkedHashMap<>();
    headline.put("reasoner", ((Map<?, ?>) raw.get("reasoning")).get("model"));
    headline.put("segmenter", ((Map<?, ?>) raw.get("segmentation")).get("model"));
    headline.put("e2e_over_raw", e2e.get("e2e_over_raw"));
    headline.put("e2e_over_isolated_raw", e2e.get("e2e_over_isolated_raw"));
    headline.put("e2e_over_slowest_stage", e2e.get("e2e_over_slowest_stage"));
    headline.put("device_efficiency_b32", ((Map<?, ?>) out.get("device")).get("device_efficiency"));
    headline.put("scaling_efficiency_4", ((Map<?, ?>) out.get("scaling")).get("scaling_efficiency_4"));
    headline.put("batching_gain", ((Map<?, ?>) raw.get("reasoning")).get("batching_gain"));
    headline.put("segmentation_batching_gain", ((Map<?, ?>) raw.get("segmentation")).get("batching_gain"));
    headline.put("transactions_per_query", e2e.get("transactions_per_query"));
    headline.put("rss_growth", ((Map<?, ?>) e2e.get("soak")).get("rss_growth"));
    return headline;
  }

  // ---- a) raw ------------------------------------------------------------------------------------

  /** One worker of each stage over the samples' PNG images, with the threads the service gives its CPU workers. */
  private RawPipeline rawPipeline(List<Sample> samples) throws IOException {
    ServiceConfig config = ServiceConfig.from(new Properties());
    // the threads the service gives its CPU workers (one per stage, as here), so both runs do the same work
    io.llavaseg.topology.inference.CpuThreads.apply(config.cpuThreads(), config.modelWorkers(1));
    List<RawThroughput.EncodedQuery> encoded = new ArrayList<>();
    for (Sample x : samples) {
      encoded.add(new RawThroughput.EncodedQuery(png(x), x.query()));
    }
    return new RawPipeline(config, encoded, o.batch(), segmentationBatch());
  }

  private Map<String, Object> raw(List<Sample> samples, RawPipeline p) {
    log.printf(Locale.ROOT, "bench a) raw in-process throughput, %d queries per measurement ...%n", samples.size());
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("pytorch_threads", io.llavaseg.model.djl.PyTorchThreads.current());
    raw.put("malloc_env", io.llavaseg.topology.inference.MallocSettings.current());
    double[] reasoning = RawThroughput.reasoning(p.reasoner(), p.pipeline(), samples, o.batch());
    double b1 = reasoning[0];
    double bn = reasoning[1];
    raw.put("reasoning", stage(b1, bn, p.reasonerId()));
    log.printf(Locale.ROOT, "  reasoning (whole chain): %.1f q/s at batch 1, %.1f q/s at batch %d (x%.2f)%n", b1, bn,
        o.batch(), bn / b1);
    CpuAccount.ProcStat before = CpuAccount.ProcStat.of("self");
    double[] segmentation = RawThroughput.segmentation(p.segmenter(), samples, segmentationBatch());
    CpuAccount.ProcStat spent = CpuAccount.ProcStat.of("self").since(before);
    double s1 = segmentation[0];
    double sn = segmentation[1];
    Map<String, Object> segmentationStage = stage(s1, sn, p.segmenterId());
    // the kernel's part of the measurement: the allocator's page faults show here (docs/performance.md)
    segmentationStage.put("kernel_cpu_share", spent.systemSeconds() / (spent.userSeconds() + spent.systemSeconds()));
    segmentationStage.put("minor_faults", spent.minorFaults());
    raw.put("segmentation", segmentationStage);
    log.printf(Locale.ROOT, "  segmentation: %.1f masks/s at batch 1, %.1f at batch %d (x%.2f)%n", s1, sn,
        segmentationBatch(), sn / s1);
    double targeted = samples.stream().filter(x -> RawThroughput.groundTruthTarget(x).isPresent()).count()
        / (double) samples.size();
    // the slower stage bounds the pipeline when the stages overlap; segmentation runs only for the
    // queries with a target, so its bound in queries/s is its masks/s over that share
    raw.put("targeted_share", targeted);
    raw.put("slowest_stage_qps", Math.min(bn, sn / targeted));
    RawPipeline.Measurement pipeline = p.measure();
    raw.put("pipeline_qps", pipeline.qps());
    raw.put("pipeline_cpu_ms_per_query", pipeline.cpuMsPerQuery());
    log.printf(Locale.ROOT, "  pipeline, stages overlapped: %.1f q/s at batch %d (slowest stage %.1f q/s)%n",
        pipeline.qps(), o.batch(), Math.min(bn, sn / targeted));
    return raw;
  }

  /**
   * The raw pipeline's queries per second measured between two bursts, and the cores the rest of the
   * run kept busy meanwhile (the idle service's model workers and stream threads, the broker, the
   * registry): what the raw pipeline shared the machine with.
   */
  record RawBeside(double qps, double backgroundCores) {}

  /** A round: the burst against the mean of the raw pipeline measured before and after it. */
  static Map<String, Object> round(RawBeside before, LoadRun.Result burst, RawBeside after) {
    double reference = (before.qps() + after.qps()) / 2;
    Map<String, Object> round = new LinkedHashMap<>();
    round.put("raw_before_qps", before.qps());
    round.put("raw_before_background_cores", before.backgroundCores());
    round.put("throughput_qps", burst.throughputQps());
    round.put("raw_after_qps", after.qps());
    round.put("raw_after_background_cores", after.backgroundCores());
    round.put("raw_reference_qps", reference);
    round.put("e2e_over_raw", burst.throughputQps() / reference);
    round.put("queries", burst.sent());
    round.put("masks", burst.masks());
    return round;
  }

  /** Measures the raw pipeline between bursts, with what ran beside it. */
  private RawBeside measureBetweenBursts(RawPipeline p) {
    CpuAccount cpu = CpuAccount.start(infraPids);
    long t0 = System.nanoTime();
    double qps = p.measure().qps();
    double wallSeconds = (System.nanoTime() - t0) / 1e9;
    Map<String, Double> spent = cpu.secondsSinceStart();
    double background = spent.get("model_workers_java") + spent.get("stream_threads");
    for (String process : infraPids.keySet()) {
      background += spent.get(process);
    }
    return new RawBeside(qps, background / wallSeconds);
  }

  /** The sum of {@code key} over the rounds. */
  private static double sum(List<Map<String, Object>> rounds, String key) {
    return rounds.stream().mapToDouble(r -> ((Number) r.get(key)).doubleValue()).sum();
  }

  /** The median of {@code key} over the rounds (the mean of the two middle ones of an even count). */
  static double median(List<Map<String, Object>> rounds, String key) {
    double[] v = rounds.stream().mapToDouble(r -> ((Number) r.get(key)).doubleValue()).sorted().toArray();
    return (v[(v.length - 1) / 2] + v[v.length / 2]) / 2;
  }

  private Map<String, Object> stage(double b1, double bn, String model) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", model);
    m.put("qps_batch_1", b1);
    m.put("qps_batch_n", bn);
    m.put("batching_gain", bn / b1);
    return m;
  }

  // ---- b, c, e) end to end -----------------------------------------------------------------------

  private Map<String, Object> endToEnd(String bootstrap, String registryUrl, Path infra, Map<String, Object> raw,
      RawPipeline rawPipeline) throws Exception {
    log.println("bench b) end-to-end throughput through the broker and the registry ...");
    // the service's default threading: batches form from the requests each thread keeps in flight
    ServiceConfig config = serviceConfig(bootstrap, registryUrl, infra, "bench-e2e-" + runId,
        ServiceConfig.from(new Properties()).streamThreads(), o.serviceOverrides());
    LlavasegService service = LlavasegService.start(config, new BackendModelProvider());
    started.push(service);
    awaitRunning(List.of(service));
    SchemaRegistry client = RestSchemaRegistry.fromConfigs(config.serdeConfig());
    started.push(client);
    Topics topics = Topics.withRegistry(client, config.serdeConfig());
    LoadRun load = new LoadRun(bootstrap, topics, o.partitions());
    // the very images and questions the raw pipeline is timed on
    List<byte[]> pngs = rawPipeline.queries().stream().map(RawThroughput.EncodedQuery::image).toList();
    List<String> questions = rawPipeline.queries().stream().map(RawThroughput.EncodedQuery::question).toList();
    // warm as the raw pipeline is when it is timed: the broker's, the registry's and the service's
    // JIT compilers and the models' first batches of each size are not counted in the burst
    load.run(runId + "-warm", pngs, questions, Math.max(2 * o.batch(), o.e2eWarmupQueries()), 0,
        Duration.ofMinutes(5));
    // rounds of a burst between two measurements of the raw pipeline: each burst against the raw
    // pipeline of its own minutes (the mean of the one before and the one after); medians of the rounds
    double commits = 0;
    // the raw pipeline runs no batch of the service's: one reading around all rounds
    BatchSizes batchesBefore = BatchSizes.of(service);
    Map<String, Double> cpuSeconds = new LinkedHashMap<>();
    List<Map<String, Object>> rounds = new ArrayList<>();
    RawBeside before = measureBetweenBursts(rawPipeline);
    for (int i = 0; i < o.e2eRounds(); i++) {
      double commitsBefore = commits(service);
      CpuAccount cpu = CpuAccount.start(infraPids);
      LoadRun.Result burst = load.run(runId + "-burst" + i, pngs, questions, o.e2eQueries(), 0, Duration.ofMinutes(15));
      cpu.secondsSinceStart().forEach((part, seconds) -> cpuSeconds.merge(part, seconds, Double::sum));
      commits += commits(service) - commitsBefore;
      RawBeside after = measureBetweenBursts(rawPipeline);
      Map<String, Object> round = round(before, burst, after);
      rounds.add(round);
      log.printf(Locale.ROOT, "  round %d: %d queries -> %d masks in %.1f s: %.2f q/s; raw pipeline %.2f before,"
          + " %.2f after (the rest of the run meanwhile %.2f cores): ratio %.2f%n", i + 1, burst.sent(), burst.masks(),
          burst.seconds(), burst.throughputQps(), before.qps(), after.qps(), after.backgroundCores(),
          round.get("e2e_over_raw"));
      before = after;
    }
    BatchSizes batches = BatchSizes.of(service).minus(batchesBefore);
    // each a median of its own over the rounds: the throughput the latency levels are set from, and
    // the ratio (the median of the rounds' ratios, not the median throughput over a median reference)
    double capacity = median(rounds, "throughput_qps");
    double ratio = median(rounds, "e2e_over_raw");
    int sent = (int) sum(rounds, "queries");
    Map<String, Object> e2e = new LinkedHashMap<>();
    e2e.put("stream_threads", config.streamThreads());
    e2e.put("queries", sent);
    e2e.put("masks", (int) sum(rounds, "masks"));
    e2e.put("throughput_qps", capacity);
    e2e.put("e2e_over_raw", ratio);
    // against a's raw pipeline, measured alone (no broker, no service) but minutes earlier: the two
    // ratios bracket the truth (between bursts the idle service and broker keep some CPU busy)
    e2e.put("e2e_over_isolated_raw", capacity / (double) raw.get("pipeline_qps"));
    e2e.put("e2e_over_slowest_stage", capacity / (double) raw.get("slowest_stage_qps"));
    e2e.put("rounds", rounds);
    e2e.put("transactions", commits);
    e2e.put("transactions_per_query", commits / sent);
    e2e.put("mean_batch_size", batches.means());
    Map<String, Object> cpuPerQuery = CpuAccount.msPerQuery(cpuSeconds, sent);
    e2e.put("cpu_ms_per_query", cpuPerQuery);
    log.printf(Locale.ROOT, "  CPU per query: %.1f ms end to end (raw pipeline %.1f ms): %s%n",
        cpuPerQuery.get("total"), raw.get("pipeline_cpu_ms_per_query"), cpuPerQuery);
    log.printf(Locale.ROOT, "  medians of the rounds: %.2f q/s, e2e_over_raw %.2f; %.3f transactions per query, mean batch %s%n",
        capacity, ratio, commits / sent, batches.means());

    log.println("bench c) latency at 50% and 90% of that throughput ...");
    for (double share : new double[] {0.5, 0.9}) {
      double rate = share * capacity;
      int count = Math.max(o.latencyQueries(), (int) (rate * o.loadDuration().toSeconds()));
      LoadRun.Result r = load.run(runId + "-load" + (int) (share * 100), pngs, questions, count, rate,
          Duration.ofMinutes(10));
      e2e.put("latency_at_" + (int) (share * 100) + "pct", latency(r, rate));
      log.printf(Locale.ROOT, "  %.0f%% (%.2f q/s, %d queries): p50 %.0f ms, p95 %.0f ms, p99 %.0f ms (%d masks)%n",
          share * 100, rate, count, r.latencyMs().get(50), r.latencyMs().get(95), r.latencyMs().get(99), r.masks());
    }

    log.printf(Locale.ROOT, "bench e) resident memory over a %d s soak at 50%% load ...%n", o.soak().toSeconds());
    System.gc();
    long rssStart = rssBytes();
    long heapStart = heapUsed();
    double arraysStart = ndarrays(service);
    int soakQueries = 0;
    int soakMasks = 0;
    long end = System.nanoTime() + o.soak().toNanos();
    int round = 0;
    while (System.nanoTime() < end) {
      double rate = 0.5 * capacity;
      long left = Math.max(1, (end - System.nanoTime()) / 1_000_000_000L);
      int count = Math.max(1, (int) (rate * Math.min(60, left)));
      LoadRun.Result r = load.run(runId + "-soak" + round++, pngs, questions, count, rate, Duration.ofMinutes(5));
      soakQueries += r.sent();
      soakMasks += r.masks();
    }
    System.gc();
    long rssEnd = rssBytes();
    Map<String, Object> soak = new LinkedHashMap<>();
    soak.put("seconds", o.soak().toSeconds());
    soak.put("queries", soakQueries);
    soak.put("masks", soakMasks);
    soak.put("rss_start_bytes", rssStart);
    soak.put("rss_end_bytes", rssEnd);
    soak.put("rss_growth", (rssEnd - rssStart) / (double) rssStart);
    soak.put("heap_after_gc_start_bytes", heapStart);
    soak.put("heap_after_gc_end_bytes", heapUsed());
    soak.put("ndarrays_start", arraysStart);
    soak.put("ndarrays_end", ndarrays(service));
    e2e.put("soak", soak);
    log.printf(Locale.ROOT, "  %d queries, %d masks; RSS %.0f MB -> %.0f MB (%+.1f%%); DJL NDArrays %.0f -> %.0f%n",
        soakQueries, soakMasks, rssStart / 1e6, rssEnd / 1e6, 100.0 * (rssEnd - rssStart) / rssStart, arraysStart,
        (double) soak.get("ndarrays_end"));
    service.close();
    started.remove(service);
    return e2e;
  }

  /** Sum of {@code llavaseg_ndarrays} over the service's model instances (DJL NDManager counts). */
  private static double ndarrays(LlavasegService service) {
    double sum = 0;
    for (var snapshot : service.metrics().scrape()) {
      if (snapshot.getMetadata().getName().equals("llavaseg_ndarrays")) {
        for (var point : snapshot.getDataPoints()) {
          sum += ((io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot) point).getValue();
        }
      }
    }
    return sum;
  }

  /**
   * Transactions the service committed so far: the sum of its stream threads' {@code commit-total}
   * (under exactly_once_v2 each commit of a thread is one transaction of its producer).
   */
  private static double commits(LlavasegService service) {
    double sum = 0;
    for (var e : service.streams().metrics().entrySet()) {
      if (e.getKey().name().equals("commit-total") && e.getKey().group().equals("stream-thread-metrics")) {
        sum += ((Number) e.getValue().metricValue()).doubleValue();
      }
    }
    return sum;
  }

  private static Map<String, Object> latency(LoadRun.Result r, double rate) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rate_qps", rate);
    m.put("queries", r.sent());
    m.put("masks", r.masks());
    m.put("p50_ms", r.latencyMs().get(50));
    m.put("p95_ms", r.latencyMs().get(95));
    m.put("p99_ms", r.latencyMs().get(99));
    return m;
  }

  // ---- d) scaling and f) the device cost model ----------------------------------------------------

  /**
   * The service settings of the simulated-device parts (d, f), chosen on 2026-12-07 by runs of part f
   * alone (docs/bench/experiment-device-*-2026-12-07.json): batches of the device batch size; a
   * reasoning batch's fixed cost is most of its time, so it waits up to 200 ms for company; each
   * stream thread may keep two whole batches at each model (the default keeps two across the
   * threads), so one thread's records can fill the next batch alone; and the stages take turns on
   * the device (one batch at a time, each formed when the device is free).
   */
  private Map<String, String> deviceSettings() {
    String twoBatches = Integer.toString(2 * o.deviceBatch());
    return Map.of("llavaseg.reasoning.batch.max-size", Integer.toString(o.deviceBatch()),
        "llavaseg.segmentation.batch.max-size", Integer.toString(o.deviceBatch()),
        "llavaseg.reasoning.batch.max-delay", "200ms", "llavaseg.segmentation.batch.max-delay", "20ms",
        "llavaseg.reasoning.batch.max-in-flight", twoBatches, "llavaseg.segmentation.batch.max-in-flight", twoBatches,
        "llavaseg.inference.exclusive-devices", "true");
  }

  /** The cost model's ideal for {@code instances} devices at the device batch size, queries/s. */
  private double ideal(int instances) {
    return instances * DeviceCost.idealPipeline(o.reasoningCost(), o.segmentationCost(), o.deviceBatch());
  }

  /** Runs {@code instances} instances on their own simulated devices; their throughput and commits. */
  private Map<String, Object> onDevices(String bootstrap, String registryUrl, Path infra, List<Sample> samples,
      int instances, int queries, String name) throws Exception {
    List<byte[]> pngs = new ArrayList<>();
    List<String> questions = new ArrayList<>();
    for (Sample s : samples.subList(0, Math.min(8, samples.size()))) {
      pngs.add(png(s));
      questions.add(s.query());
    }
    String app = "bench-" + name + "-" + runId;
    List<LlavasegService> running = new ArrayList<>();
    ServiceConfig first = null;
    try {
      for (int i = 0; i < instances; i++) {
        Map<String, String> settings = new LinkedHashMap<>(deviceSettings());
        settings.putAll(o.serviceOverrides());
        ServiceConfig c = serviceConfig(bootstrap, registryUrl, infra.resolve(name + "-i" + i), app, 2, settings);
        first = first == null ? c : first;
        LlavasegService s = LlavasegService.start(c, new SimulatedGpuModels(o.reasoningCost(), o.segmentationCost()));
        started.push(s);
        running.add(s);
      }
      awaitRunning(running);
      Thread.sleep(3000); // let the group settle after the last join
      SchemaRegistry client = RestSchemaRegistry.fromConfigs(first.serdeConfig());
      started.push(client);
      LoadRun load = new LoadRun(bootstrap, Topics.withRegistry(client, first.serdeConfig()), o.partitions());
      double commitsBefore = running.stream().mapToDouble(Bench::commits).sum();
      BatchSizes batchesBefore = BatchSizes.of(running);
      LoadRun.Result r = load.run(runId + "-" + name, pngs, questions, queries, 0, Duration.ofMinutes(10));
      double commits = running.stream().mapToDouble(Bench::commits).sum() - commitsBefore;
      BatchSizes batches = BatchSizes.of(running).minus(batchesBefore);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("instances", instances);
      m.put("queries", r.sent());
      m.put("masks", r.masks());
      m.put("throughput_qps", r.throughputQps());
      m.put("ideal_qps", ideal(instances));
      m.put("of_ideal", r.throughputQps() / ideal(instances));
      m.put("transactions_per_query", commits / r.sent());
      m.put("mean_batch_size", batches.means());
      return m;
    } finally {
      for (LlavasegService s : running) {
        s.close();
        started.remove(s);
      }
    }
  }

  private Map<String, Object> costModel() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("reasoning_fixed_ms", o.reasoningCost().fixed().toNanos() / 1e6);
    m.put("reasoning_per_query_ms", o.reasoningCost().perRequest().toNanos() / 1e6);
    m.put("segmentation_fixed_ms", o.segmentationCost().fixed().toNanos() / 1e6);
    m.put("segmentation_per_query_ms", o.segmentationCost().perRequest().toNanos() / 1e6);
    m.put("batch", o.deviceBatch());
    m.put("stream_threads", 2);
    m.put("ideal_qps_per_device", ideal(1));
    return m;
  }

  private Map<String, Object> device(String bootstrap, String registryUrl, Path infra, List<Sample> samples)
      throws Exception {
    log.printf(Locale.ROOT, "bench f) one instance, 2 stream threads, batch %d on a simulated device (reasoning %s,"
        + " segmentation %s per batch of n; ideal %.2f q/s) ...%n", o.deviceBatch(), describe(o.reasoningCost()),
        describe(o.segmentationCost()), ideal(1));
    Map<String, Object> m = new LinkedHashMap<>(costModel());
    Map<String, Object> run = onDevices(bootstrap, registryUrl, infra, samples, 1, o.deviceQueries(), "device");
    m.putAll(run);
    m.put("device_efficiency", run.get("of_ideal"));
    log.printf(Locale.ROOT, "  %d queries: %.2f q/s = %.2f of the ideal; %.3f transactions per query, mean batch %s%n",
        run.get("queries"), run.get("throughput_qps"), run.get("of_ideal"), run.get("transactions_per_query"),
        run.get("mean_batch_size"));
    return m;
  }

  private static String describe(DeviceCost c) {
    return String.format(Locale.ROOT, "%.0f ms + %.0f ms * n", c.fixed().toNanos() / 1e6, c.perRequest().toNanos() / 1e6);
  }

  private Map<String, Object> scaling(String bootstrap, String registryUrl, Path infra, List<Sample> samples)
      throws Exception {
    log.printf(Locale.ROOT, "bench d) scaling over 1, 2, 4 instances, each on its own simulated device, batch %d ...%n",
        o.deviceBatch());
    Map<String, Object> scaling = new LinkedHashMap<>(costModel());
    double one = 0;
    for (int n : new int[] {1, 2, 4}) {
      Map<String, Object> m = onDevices(bootstrap, registryUrl, infra, samples, n, o.scalingQueriesPerInstance() * n,
          "scale" + n);
      scaling.put("instances_" + n, m);
      double qps = (double) m.get("throughput_qps");
      if (n == 1) {
        one = qps;
      }
      log.printf(Locale.ROOT, "  %d instance(s): %d queries -> %d masks, %.1f q/s (%.2f of linear, %.2f of the"
          + " ideal)%n", n, m.get("queries"), m.get("masks"), qps, qps / (n * one), m.get("of_ideal"));
      if (n == 4) {
        scaling.put("scaling_efficiency_4", qps / (4 * one));
      }
    }
    return scaling;
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private ServiceConfig serviceConfig(String bootstrap, String registryUrl, Path infra, String appId, int threads,
      Map<String, String> extra) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put(ServiceConfig.SCHEMA_REGISTRY_URL, registryUrl);
    p.put("application.id", appId);
    p.put("state.dir", infra.resolve("state-" + appId).toString());
    p.put("num.stream.threads", Integer.toString(threads));
    p.put("auto.offset.reset", "latest");
    p.put(ServiceConfig.TOPICS_CREATE, "true");
    p.put(ServiceConfig.TOPICS_PARTITIONS, Integer.toString(o.partitions()));
    p.put(ServiceConfig.METRICS_PORT, "-1");
    // a batch takes well under a second here: a 10 s budget keeps the derived transaction timeout
    // (which grows with threads / batch size) under the broker's 15-minute cap
    p.put(ServiceConfig.INFERENCE_TIMEOUT, "10s");
    p.put("llavaseg.reasoning.batch.max-size", Integer.toString(o.batch()));
    p.put("llavaseg.segmentation.batch.max-size", Integer.toString(segmentationBatch()));
    p.putAll(extra);
    return ServiceConfig.from(p);
  }

  /** The segmentation stage's batch size: {@code --segmentation-batch}, else {@code --batch}. */
  private int segmentationBatch() {
    return o.segmentationBatch() > 0 ? o.segmentationBatch() : o.batch();
  }

  private static void awaitRunning(List<LlavasegService> services) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (!services.stream().allMatch(s -> s.streams().state() == KafkaStreams.State.RUNNING)) {
      for (LlavasegService s : services) {
        KafkaStreams.State st = s.streams().state();
        if (st == KafkaStreams.State.ERROR || st == KafkaStreams.State.NOT_RUNNING) {
          throw new IllegalStateException("a service stopped while starting: " + st);
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("services not RUNNING after 3 minutes");
      }
      Thread.sleep(100);
    }
  }

  static List<Sample> samples(int n) {
    ShapeWorld world = new ShapeWorld(Seeds.BENCH);
    QueryKind[] kinds = QueryKind.values();
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(world.sample(i, kinds[i % kinds.length]));
    }
    return out;
  }

  private static byte[] png(Sample s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(s.image(), "png", out);
    return out.toByteArray();
  }

  /** VmRSS of this process from /proc (Linux), else the JVM's committed memory. */
  static long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory();
  }

  private static long heapUsed() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  private static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
    m.put("java", System.getProperty("java.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    try {
      Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
          .ifPresent(l -> m.put("cpu", l.substring(l.indexOf(':') + 1).strip()));
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    m.put("gpu", "none (CPU run; parts d and f simulate devices)");
    // DJL's ai.djl.pytorch.num_threads as the user set it ("unset": llavaseg.inference.cpu-threads decides)
    m.put("djl_pytorch_num_threads",
        System.getProperty(io.llavaseg.model.djl.PyTorchThreads.DJL_PROPERTY, "unset"));
    m.put("load_average_at_start", loadAverage());
    m.put("date", Instant.now().toString());
    return m;
  }

  /** The 1-minute load average (Linux), to show whether something else ran beside the benchmark. */
  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
  }

  private synchronized void stopAll() {
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        log.println("bench: stopping failed: " + e);
      }
    }
  }

  /** The table printed at the end (the lines of the parts that ran). */
  public static void printTable(Map<String, Object> r, PrintStream out) {
    int b = (Integer) r.get("batch_size");
    Object sb = r.getOrDefault("segmentation_batch_size", b);
    out.println();
    out.printf(Locale.ROOT, "%-44s %s%n", "measure", "value");
    Map<?, ?> raw = (Map<?, ?>) r.get("raw");
    if (raw != null) {
      Map<?, ?> reas = (Map<?, ?>) raw.get("reasoning");
      Map<?, ?> seg = (Map<?, ?>) raw.get("segmentation");
      out.printf(Locale.ROOT, "%-44s %.1f / %.1f q/s (x%.2f)%n", "a) reasoning chain, batch 1 / " + b,
          reas.get("qps_batch_1"), reas.get("qps_batch_n"), reas.get("batching_gain"));
      out.printf(Locale.ROOT, "%-44s %.1f / %.1f masks/s (x%.2f)%n", "a) segmentation, batch 1 / " + sb,
          seg.get("qps_batch_1"), seg.get("qps_batch_n"), seg.get("batching_gain"));
      out.printf(Locale.ROOT, "%-44s %.1f q/s (slowest stage %.1f)%n", "a) pipeline, stages overlapped, batch " + b,
          raw.get("pipeline_qps"), raw.get("slowest_stage_qps"));
    }
    Map<?, ?> e2e = (Map<?, ?>) r.get("e2e");
    if (e2e != null) {
      Map<?, ?> l50 = (Map<?, ?>) e2e.get("latency_at_50pct");
      Map<?, ?> l90 = (Map<?, ?>) e2e.get("latency_at_90pct");
      Map<?, ?> soak = (Map<?, ?>) e2e.get("soak");
      out.printf(Locale.ROOT, "%-44s %.2f q/s (e2e_over_raw %.2f, over a's isolated raw %.2f, over slowest stage %.2f)%n",
          "b) end to end, median of " + ((List<?>) e2e.get("rounds")).size() + " bursts",
          e2e.get("throughput_qps"), e2e.get("e2e_over_raw"), e2e.get("e2e_over_isolated_raw"),
          e2e.get("e2e_over_slowest_stage"));
      out.printf(Locale.ROOT, "%-44s %.3f (mean batch %s)%n", "b) transactions per query",
          e2e.get("transactions_per_query"), e2e.get("mean_batch_size"));
      out.printf(Locale.ROOT, "%-44s %.0f / %.0f / %.0f ms%n", "c) latency p50/p95/p99 at 50% load", l50.get("p50_ms"),
          l50.get("p95_ms"), l50.get("p99_ms"));
      out.printf(Locale.ROOT, "%-44s %.0f / %.0f / %.0f ms%n", "c) latency p50/p95/p99 at 90% load", l90.get("p50_ms"),
          l90.get("p95_ms"), l90.get("p99_ms"));
      out.printf(Locale.ROOT, "%-44s %.0f -> %.0f MB (rss_growth %+.3f)%n", "e) RSS over " + soak.get("seconds")
          + " s soak", ((Number) soak.get("rss_start_bytes")).doubleValue() / 1e6,
          ((Number) soak.get("rss_end_bytes")).doubleValue() / 1e6, soak.get("rss_growth"));
      out.printf(Locale.ROOT, "%-44s %.0f -> %.0f%n", "e) DJL NDArrays alive over the soak", soak.get("ndarrays_start"),
          soak.get("ndarrays_end"));
    }
    Map<?, ?> dev = (Map<?, ?>) r.get("device");
    if (dev != null) {
      out.printf(Locale.ROOT, "%-44s %.2f of %.2f q/s (device_efficiency_b32 %.2f, mean batch %s)%n",
          "f) simulated device, batch " + dev.get("batch") + ", 2 threads", dev.get("throughput_qps"),
          dev.get("ideal_qps"), dev.get("device_efficiency"), dev.get("mean_batch_size"));
    }
    Map<?, ?> sc = (Map<?, ?>) r.get("scaling");
    if (sc != null) {
      out.printf(Locale.ROOT, "%-44s %.1f / %.1f / %.1f q/s (efficiency_4 %.2f)%n",
          "d) simulated devices, 1 / 2 / 4 instances", ((Map<?, ?>) sc.get("instances_1")).get("throughput_qps"),
          ((Map<?, ?>) sc.get("instances_2")).get("throughput_qps"),
          ((Map<?, ?>) sc.get("instances_4")).get("throughput_qps"), sc.get("scaling_efficiency_4"));
    }
  }
}
