package io.llavaseg.ops;

import io.llavaseg.eval.DatasetException;
import io.llavaseg.eval.DatasetSample;
import io.llavaseg.eval.EvalReport;
import io.llavaseg.eval.Evaluation;
import io.llavaseg.eval.MaskSource;
import io.llavaseg.eval.Prediction;
import io.llavaseg.eval.ReasonSegDataset;
import io.llavaseg.eval.ReasonSegWriter;
import io.llavaseg.eval.Scores;
import io.llavaseg.shapeworld.QueryKind;
import io.llavaseg.shapeworld.ShapeWorld;
import io.llavaseg.training.reasoner.ReasonerEvaluator;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@code eval --compare}: the served LLaVASeg pipeline (frozen reasoner, chain of thought, then the
 * segmenter) and the LISA variant on the same samples, both read back from the same JPEG files.
 * Two sets are written as ReasonSeg folders: {@code count} samples from {@code start} with the nine
 * query kinds round-robin (gIoU and cIoU by kind, LISA-exact, and each query's latency) and {@code
 * dialogueCount} dialogue questions from {@code start} (dialogue accuracy, exact and by question type
 * as {@code eval-reasoner --kinds dialogue} counts it). Training time and size are read from the
 * model folders. Does not train or tune anything: the settings were chosen before.
 */
final class LisaComparison {

  /** One system's measurements. */
  record SystemResult(String name, String models, EvalReport segmentation, Dialogue dialogue, Latency latency,
      Latency dialogueLatency, Map<String, Object> cost) {}

  /**
   * Dialogue answers: exact, descriptions in any order, by question type {right, n}, and whether each
   * question (in the set's order) was answered exactly, for the paired comparison.
   */
  record Dialogue(int n, int exact, int anyOrder, Map<String, int[]> byType, List<Boolean> correct) {
    double accuracy() {
      return n == 0 ? Double.NaN : (double) exact / n;
    }

    double anyOrderAccuracy() {
      return n == 0 ? Double.NaN : (double) anyOrder / n;
    }
  }

  /** Per-query latency in ms over every query of both sets. */
  record Latency(double p50, double p90, double mean, int n) {
    static Latency of(List<Double> ms) {
      double[] s = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      if (s.length == 0) {
        return new Latency(Double.NaN, Double.NaN, Double.NaN, 0);
      }
      return new Latency(pct(s, 0.5), pct(s, 0.9), Arrays.stream(s).average().orElse(Double.NaN), s.length);
    }

    private static double pct(double[] s, double p) {
      return s[(int) Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
    }
  }

  private final long seed;
  private final String split;
  private final long start;
  private final int count;
  private final int dialogueCount;

  LisaComparison(long seed, String split, long start, int count, int dialogueCount) {
    this.seed = seed;
    this.split = split;
    this.start = start;
    this.count = count;
    this.dialogueCount = dialogueCount;
  }

  /** Writes the two sample sets under {@code work}: {@code mixed/} and {@code dialogue/}. */
  void writeSamples(Path work) throws IOException {
    ShapeWorld world = new ShapeWorld(seed);
    QueryKind[] kinds = QueryKind.values();
    Path mixed = Files.createDirectories(work.resolve("mixed"));
    for (int i = 0; i < count; i++) {
      ReasonSegWriter.write(mixed, world.sample(start + i, kinds[i % kinds.length]));
    }
    Path dialogue = Files.createDirectories(work.resolve("dialogue"));
    for (int i = 0; i < dialogueCount; i++) {
      ReasonSegWriter.write(dialogue, world.sample(start + i, QueryKind.DIALOGUE));
    }
  }

  /** Runs one system over both sets. */
  SystemResult measure(String name, String models, MaskSource source, Map<String, Object> cost, Path work,
      Consumer<String> log) throws IOException, DatasetException {
    List<Double> ms = new ArrayList<>();
    TimedSource timed = new TimedSource(source, ms);
    EvalReport report = Evaluation.run(new ReasonSegDataset(work.resolve("mixed"), false), timed,
        Evaluation.Options.defaults());
    log.accept(String.format(Locale.ROOT, "compare: %-9s %d samples, gIoU %.4f, cIoU %.4f", name, report.count(),
        report.giou(), report.ciou()));
    List<Double> dialogueMs = new ArrayList<>();
    TimedSource timedDialogue = new TimedSource(source, dialogueMs);
    ReasonSegDataset dialogueSet = new ReasonSegDataset(work.resolve("dialogue"), false);
    int n = 0;
    int exact = 0;
    int anyOrder = 0;
    Map<String, int[]> byType = new TreeMap<>();
    List<Boolean> correct = new ArrayList<>();
    for (String sampleName : dialogueSet.names()) {
      DatasetSample s = dialogueSet.read(sampleName);
      Prediction p = timedDialogue.predict(s);
      String got = p.answer() == null ? "" : p.answer().strip();
      boolean ok = got.equals(s.answer());
      n++;
      exact += ok ? 1 : 0;
      correct.add(ok);
      anyOrder += ok || ReasonerEvaluator.sameObjectsListed(s.answer(), got) ? 1 : 0;
      int[] t = byType.computeIfAbsent(ReasonerEvaluator.dialogueType(s.answer()), x -> new int[2]);
      t[0] += ok ? 1 : 0;
      t[1]++;
    }
    Dialogue d = new Dialogue(n, exact, anyOrder, byType, correct);
    log.accept(String.format(Locale.ROOT, "compare: %-9s %d dialogue questions, %.1f%% exact", name, n, 100 * d.accuracy()));
    return new SystemResult(name, models, report, d, Latency.of(ms), Latency.of(dialogueMs), cost);
  }

  /** A source whose every prediction's wall time is added to {@code ms}. */
  private record TimedSource(MaskSource source, List<Double> ms) implements MaskSource {
    @Override
    public Prediction predict(DatasetSample sample) throws DatasetException {
      long t0 = System.nanoTime();
      Prediction p = source.predict(sample);
      ms.add((System.nanoTime() - t0) / 1e6);
      return p;
    }

    @Override
    public String describe() {
      return source.describe();
    }
  }

  /** The side-by-side table. */
  String table(SystemResult a, SystemResult b) {
    StringBuilder sb = new StringBuilder();
    String f = "%-34s %16s %16s%n";
    sb.append(String.format(Locale.ROOT, f, "", a.name(), b.name()));
    sb.append(String.format(Locale.ROOT, f, "models", a.models(), b.models()));
    sb.append(String.format(Locale.ROOT, f, "dialogue exact (n=" + a.dialogue().n() + ")", pct(a.dialogue().accuracy()),
        pct(b.dialogue().accuracy())));
    sb.append(String.format(Locale.ROOT, f, "  descriptions in any order", pct(a.dialogue().anyOrderAccuracy()),
        pct(b.dialogue().anyOrderAccuracy())));
    for (String type : a.dialogue().byType().keySet()) {
      int[] x = a.dialogue().byType().get(type);
      int[] y = b.dialogue().byType().getOrDefault(type, new int[2]);
      sb.append(String.format(Locale.ROOT, f, "  " + type + " (n=" + x[1] + ")", pct(rate(x)), pct(rate(y))));
    }
    Map<String, Object> pair = paired(a, b);
    sb.append(String.format(Locale.ROOT, f, "  right here, wrong there (McNemar p=" + pair.get("mcnemar_exact_p") + ")",
        pair.get("only_" + a.name() + "_right"), pair.get("only_" + b.name() + "_right")));
    sb.append(String.format(Locale.ROOT, f, "gIoU (n=" + a.segmentation().count() + ")", num(a.segmentation().giou()),
        num(b.segmentation().giou())));
    sb.append(String.format(Locale.ROOT, f, "cIoU", num(a.segmentation().ciou()), num(b.segmentation().ciou())));
    sb.append(String.format(Locale.ROOT, f, "gIoU of targeted queries", num(targetedGiou(a.segmentation())),
        num(targetedGiou(b.segmentation()))));
    for (var e : a.segmentation().byKind().entrySet()) {
      Scores y = b.segmentation().byKind().get(e.getKey());
      sb.append(String.format(Locale.ROOT, f, "  " + e.getKey() + " gIoU / cIoU (n=" + e.getValue().count() + ")",
          num(e.getValue().giou()) + " / " + num(e.getValue().ciou()),
          y == null ? "-" : num(y.giou()) + " / " + num(y.ciou())));
    }
    sb.append(String.format(Locale.ROOT, f, "latency p50 / p90 (ms), " + a.latency().n() + " queries", ms(a.latency()),
        ms(b.latency())));
    sb.append(String.format(Locale.ROOT, f, "  of the dialogue questions", ms(a.dialogueLatency()), ms(b.dialogueLatency())));
    sb.append(String.format(Locale.ROOT, f, "training (min)", a.cost().get("training_minutes"), b.cost().get("training_minutes")));
    sb.append(String.format(Locale.ROOT, f, "size (MB)", a.cost().get("size_mb"), b.cost().get("size_mb")));
    return sb.toString();
  }

  /** The JSON fields (after MeasurementJson's header). */
  Map<String, Object> toJson(SystemResult a, SystemResult b) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("split", split);
    out.put("seed", seed);
    out.put("start", start);
    out.put("count", count);
    out.put("dialogue_count", dialogueCount);
    out.put("kinds", "round-robin over the nine query kinds (mixed set); DIALOGUE alone (dialogue set)");
    out.put("images", "JPEG files written by ReasonSegWriter and read back, as eval --dataset reads them");
    out.put("metric", "LISA-exact gIoU / cIoU (ReasonSeg polygons drawn as get_mask_from_json draws them)");
    Map<String, Object> systems = new LinkedHashMap<>();
    systems.put(a.name(), system(a));
    systems.put(b.name(), system(b));
    out.put("systems", systems);
    out.put("dialogue_paired", paired(a, b));
    return out;
  }

  /**
   * The dialogue questions each system got right and the other wrong, and McNemar's exact two-sided
   * p-value on those discordant pairs (whether one system answers better than the other on these
   * questions, beyond chance).
   */
  static Map<String, Object> paired(SystemResult a, SystemResult b) {
    List<Boolean> x = a.dialogue().correct();
    List<Boolean> y = b.dialogue().correct();
    int both = 0;
    int onlyA = 0;
    int onlyB = 0;
    int neither = 0;
    for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
      if (x.get(i) && y.get(i)) {
        both++;
      } else if (x.get(i)) {
        onlyA++;
      } else if (y.get(i)) {
        onlyB++;
      } else {
        neither++;
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("both_right", both);
    m.put("only_" + a.name() + "_right", onlyA);
    m.put("only_" + b.name() + "_right", onlyB);
    m.put("both_wrong", neither);
    m.put("mcnemar_exact_p", round(mcnemarExact(onlyA, onlyB)));
    return m;
  }

  /** Two-sided exact binomial test of k = min(b, c) among b + c discordant pairs at p = 1/2. */
  static double mcnemarExact(int b, int c) {
    int n = b + c;
    if (n == 0) {
      return 1.0;
    }
    int k = Math.min(b, c);
    double sum = 0;
    for (int i = 0; i <= k; i++) {
      sum += Math.exp(logChoose(n, i) - n * Math.log(2));
    }
    return Math.min(1.0, 2 * sum);
  }

  private static double logChoose(int n, int k) {
    double r = 0;
    for (int i = 1; i <= k; i++) {
      r += Math.log(n - k + i) - Math.log(i);
    }
    return r;
  }

  private static Map<String, Object> system(SystemResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("models", r.models());
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("n", r.dialogue().n());
    d.put("accuracy", round(r.dialogue().accuracy()));
    d.put("any_order", round(r.dialogue().anyOrderAccuracy()));
    Map<String, Object> types = new LinkedHashMap<>();
    r.dialogue().byType().forEach((k, v) -> types.put(k, Map.of("n", v[1], "accuracy", round(rate(v)))));
    d.put("by_type", types);
    m.put("dialogue", d);
    EvalReport s = r.segmentation();
    Map<String, Object> seg = new LinkedHashMap<>();
    seg.put("count", s.count());
    seg.put("giou", round(s.giou()));
    seg.put("ciou", round(s.ciou()));
    seg.put("giou_targeted", round(targetedGiou(s)));
    Map<String, Object> kinds = new LinkedHashMap<>();
    s.byKind().forEach((k, v) -> kinds.put(k, kindJson(v)));
    seg.put("by_kind", kinds);
    seg.put("absent_empty_rate", round(s.absentEmptyRate()));
    seg.put("errors", s.errors().size());
    m.put("segmentation", seg);
    Map<String, Object> lat = new LinkedHashMap<>();
    lat.put("n", r.latency().n());
    lat.put("p50_ms", round1(r.latency().p50()));
    lat.put("p90_ms", round1(r.latency().p90()));
    lat.put("mean_ms", round1(r.latency().mean()));
    m.put("latency_per_query", lat);
    Map<String, Object> dl = new LinkedHashMap<>();
    dl.put("n", r.dialogueLatency().n());
    dl.put("p50_ms", round1(r.dialogueLatency().p50()));
    dl.put("p90_ms", round1(r.dialogueLatency().p90()));
    dl.put("mean_ms", round1(r.dialogueLatency().mean()));
    m.put("latency_dialogue", dl);
    m.putAll(r.cost());
    return m;
  }

  private static Map<String, Object> kindJson(Scores v) {
    Map<String, Object> k = new LinkedHashMap<>();
    k.put("n", v.count());
    k.put("giou", round(v.giou()));
    k.put("ciou", round(v.ciou()));
    return k;
  }

  /** gIoU over the kinds that have a target (every kind but dialogue, absent and ambiguous). */
  static double targetedGiou(EvalReport r) {
    double sum = 0;
    long n = 0;
    for (var e : r.byKind().entrySet()) {
      QueryKind k = QueryKind.valueOf(e.getKey().toUpperCase(Locale.ROOT));
      if (k.hasTarget()) {
        sum += e.getValue().giou() * e.getValue().count();
        n += e.getValue().count();
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /**
   * A model folder's training record: its {@code training.properties} minutes (this run only: a folder
   * started from another model lists that one in {@code initFrom}) and the size of its weights.
   */
  static Map<String, Object> folderCost(Path dir) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("folder", dir.toString());
    Properties p = new Properties();
    Path training = dir.resolve("training.properties");
    if (Files.exists(training)) {
      try (Reader r = Files.newBufferedReader(training)) {
        p.load(r);
      }
    }
    String minutes = p.getProperty("trainedMinutes");
    if (minutes == null && p.getProperty("wallSeconds") != null) {
      minutes = String.format(Locale.ROOT, "%.1f", Double.parseDouble(p.getProperty("wallSeconds")) / 60);
    }
    m.put("training_minutes", minutes == null ? "unknown" : minutes); // parsed by cost()
    if (p.getProperty("steps") != null || p.getProperty("step") != null) {
      m.put("training_steps", p.getProperty("step", p.getProperty("steps")));
    }
    String init = p.getProperty("initFrom", p.getProperty("initReasoner"));
    if (init != null) {
      m.put("initialised_from", init + (p.getProperty("initSegmenter") != null ? ", " + p.getProperty("initSegmenter") : ""));
    }
    long bytes = 0;
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".params")).toList()) {
        bytes += Files.size(f);
      }
    }
    m.put("weights_bytes", bytes);
    return m;
  }

  /** The cost fields of a system of several folders: minutes summed where known, MB of weights. */
  static Map<String, Object> cost(List<Map<String, Object>> folders) {
    Map<String, Object> m = new LinkedHashMap<>();
    double minutes = 0;
    boolean known = true;
    long bytes = 0;
    for (Map<String, Object> f : folders) {
      try {
        minutes += Double.parseDouble(String.valueOf(f.get("training_minutes")));
      } catch (NumberFormatException e) {
        known = false;
      }
      bytes += (Long) f.get("weights_bytes");
    }
    m.put("training_minutes", known ? round1(minutes) : null);
    m.put("training_minutes_counts", "each folder's own training run (training.properties); a model started from"
        + " another (initFrom, initReasoner) adds that one's");
    m.put("size_mb", round1(bytes / 1e6));
    m.put("folders", folders);
    return m;
  }

  private static double rate(int[] v) {
    return v[1] == 0 ? Double.NaN : (double) v[0] / v[1];
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String ms(Latency l) {
    return String.format(Locale.ROOT, "%.1f / %.1f", l.p50(), l.p90());
  }

  private static Object round(double v) {
    return Double.isNaN(v) ? null : Math.round(v * 10000) / 10000.0;
  }

  private static Object round1(double v) {
    return Double.isNaN(v) ? null : Math.round(v * 10) / 10.0;
  }
}
