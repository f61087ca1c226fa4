package io.llavaseg.ops.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.llavaseg.eval.Answers;
import io.llavaseg.eval.Iou;
import io.llavaseg.eval.Scores;
import io.llavaseg.model.BinaryMask;
import io.llavaseg.shapeworld.QueryKind;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * Scores a demo run against ShapeWorld's ground truth and writes what a person reads and looks
 * at: the summary table (stdout), {@code summary.json}, one overlay PNG per query under {@code
 * queries/}, and {@code index.html} showing them in a grid.
 */
final class DemoReport {
  final int queries;
  final int answers;
  final int masks;
  final int deadLetters;
  final int lost;
  final Scores scores = new Scores();
  /** The queries whose sample has a target (what the mask quality is about; the others score 1.0 when empty). */
  final Scores targeted = new Scores();
  final List<Double> latencies = new ArrayList<>();
  final Map<QueryKind, Scores> byKind = new TreeMap<>();
  final Percentiles latency;
  final double throughputQps;
  final int dialogueCorrect;
  final int dialogueTotal;
  final Map<String, Integer> deadLettersByCode = new TreeMap<>();
  /** Model time per query as the records report it, to set against the end-to-end latency. */
  final Percentiles reasoningMs;
  final Percentiles segmentationMs;

  DemoReport(List<DemoRun.Outcome> outcomes, double elapsedSeconds) {
    int a = 0, m = 0, d = 0, l = 0, dc = 0, dt = 0;
    List<Double> reasoning = new ArrayList<>();
    List<Double> segmentation = new ArrayList<>();
    for (DemoRun.Outcome o : outcomes) {
      a += o.answer != null ? 1 : 0;
      m += o.mask != null ? 1 : 0;
      if (o.deadLetter != null) {
        d++;
        deadLettersByCode.merge(o.deadLetter.getErrorCode(), 1, Integer::sum);
      }
      if (!o.complete() && o.deadLetter == null) {
        l++;
      }
      if (o.complete()) {
        latencies.add(o.latencyMs());
        reasoning.add(o.answer.getReasoningMs());
        if (o.mask.getSegmentationModel() != null) {
          segmentation.add(o.mask.getSegmentationMs());
        }
        Iou iou = Iou.of(o.sample.mask().pixels(), o.predictedMask());
        scores.add(iou);
        if (hasTarget(o)) {
          targeted.add(iou);
        }
        byKind.computeIfAbsent(o.sample.kind(), k -> new Scores()).add(iou);
      }
      if (o.sample.kind() == QueryKind.DIALOGUE && o.answer != null) {
        dt++;
        dc += Answers.matches(o.sample.answer(), o.answer.getAnswer()) ? 1 : 0;
      }
    }
    this.queries = outcomes.size();
    this.answers = a;
    this.masks = m;
    this.deadLetters = d;
    this.lost = l;
    this.latency = new Percentiles(latencies);
    this.reasoningMs = new Percentiles(reasoning);
    this.segmentationMs = new Percentiles(segmentation);
    this.throughputQps = elapsedSeconds > 0 ? (a + d) / elapsedSeconds : 0;
    this.dialogueCorrect = dc;
    this.dialogueTotal = dt;
  }

  private static boolean hasTarget(DemoRun.Outcome o) {
    for (byte b : o.sample.mask().pixels()) {
      if (b != 0) {
        return true;
      }
    }
    return false;
  }

  List<String[]> rows() {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"queries", String.valueOf(queries)});
    rows.add(new String[] {"answers", String.valueOf(answers)});
    rows.add(new String[] {"masks", String.valueOf(masks)});
    rows.add(new String[] {"dead letters", String.valueOf(deadLetters)});
    rows.add(new String[] {"lost", String.valueOf(lost)});
    rows.add(new String[] {"gIoU", String.format("%.4f", scores.giou())});
    rows.add(new String[] {"cIoU", String.format("%.4f", scores.ciou())});
    rows.add(new String[] {"gIoU of the " + targeted.count() + " queries with a target",
        String.format("%.4f", targeted.giou())});
    rows.add(new String[] {"dialogue answers correct", dialogueCorrect + "/" + dialogueTotal});
    rows.add(new String[] {"latency p50 / p95 / p99 (ms)",
        String.format("%.0f / %.0f / %.0f", latency.get(50), latency.get(95), latency.get(99))});
    rows.add(new String[] {"throughput (queries/s)", String.format("%.2f", throughputQps)});
    rows.add(new String[] {"model time p50: reasoning / segmentation (ms)",
        String.format("%.0f / %.0f", reasoningMs.get(50), segmentationMs.get(50))});
    return rows;
  }

  void printTable(PrintStream out) {
    int w = rows().stream().mapToInt(r -> r[0].length()).max().orElse(10);
    out.println();
    out.println("llavaseg demo summary");
    out.println("-".repeat(w + 20));
    for (String[] r : rows()) {
      out.printf("%-" + w + "s  %s%n", r[0], r[1]);
    }
    out.println("-".repeat(w + 20));
    out.printf("%-" + w + "s  %s%n", "gIoU by kind", "");
    for (Map.Entry<QueryKind, Scores> e : byKind.entrySet()) {
      out.printf("  %-" + (w - 2) + "s  %.4f (n=%d)%n", e.getKey().name().toLowerCase(), e.getValue().giou(), e.getValue().count());
    }
  }

  /**
   * The models that answered and masked the run, as the records name them ({@code name:version@device},
   * several joined by ", " if instances differed).
   */
  static Map<String, String> models(List<DemoRun.Outcome> outcomes) {
    java.util.Set<String> reasoning = new java.util.TreeSet<>();
    java.util.Set<String> segmentation = new java.util.TreeSet<>();
    for (DemoRun.Outcome o : outcomes) {
      if (o.answer != null) {
        reasoning.add(ref(o.answer.getReasoningModel()));
      }
      if (o.mask != null && o.mask.getSegmentationModel() != null) {
        segmentation.add(ref(o.mask.getSegmentationModel()));
      }
    }
    Map<String, String> m = new LinkedHashMap<>();
    m.put("reasoning", String.join(", ", reasoning));
    m.put("segmentation", String.join(", ", segmentation));
    return m;
  }

  private static String ref(io.llavaseg.schemas.ModelRef r) {
    return r.getName() + ":" + r.getVersion() + "@" + r.getDevice();
  }

  Map<String, Object> json(Map<String, Object> run) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("queries", queries);
    j.put("answers", answers);
    j.put("masks", masks);
    j.put("dead_letters", deadLetters);
    j.put("dead_letters_by_code", deadLettersByCode);
    j.put("lost", lost);
    j.put("giou", scores.giou());
    j.put("ciou", scores.ciou());
    j.put("giou_targeted", targeted.giou());
    j.put("targeted", targeted.count());
    Map<String, Object> kinds = new LinkedHashMap<>();
    byKind.forEach((k, s) -> kinds.put(k.name().toLowerCase(), Map.of("count", s.count(), "giou", s.giou(), "ciou", s.ciou())));
    j.put("by_kind", kinds);
    j.put("dialogue_accuracy", dialogueTotal == 0 ? null : (double) dialogueCorrect / dialogueTotal);
    Map<String, Object> lat = new LinkedHashMap<>();
    lat.put("p50", latency.get(50));
    lat.put("p95", latency.get(95));
    lat.put("p99", latency.get(99));
    j.put("latency_ms", lat);
    j.put("throughput_qps", throughputQps);
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("reasoning_p50", reasoningMs.get(50));
    model.put("reasoning_p95", reasoningMs.get(95));
    model.put("segmentation_p50", segmentationMs.get(50));
    model.put("segmentation_p95", segmentationMs.get(95));
    j.put("model_ms", model);
    j.put("run", run);
    return j;
  }

  void write(Path out, List<DemoRun.Outcome> outcomes, Map<String, Object> run) throws IOException {
    Files.createDirectories(out.resolve("queries"));
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(out.resolve("summary.json").toFile(), json(run));
    List<IndexPage.Tile> tiles = new ArrayList<>();
    for (DemoRun.Outcome o : outcomes) {
      String name = String.format("queries/%04d.png", o.index);
      BinaryMask mask = o.mask != null ? o.predictedMask() : null;
      String answer = o.answer != null ? o.answer.getAnswer()
          : o.deadLetter != null ? "[dead letter " + o.deadLetter.getErrorCode() + "] " + o.deadLetter.getMessage()
          : "[no answer]";
      double iou = mask == null ? Double.NaN : Iou.of(o.sample.mask().pixels(), mask).value();
      String target = o.answer != null && o.answer.getTarget() != null ? o.answer.getTarget() : "none";
      String footer = String.format("%s | target: %s | IoU %.2f", o.sample.kind().name().toLowerCase(), target, iou);
      ImageIO.write(Overlay.render(o.sample.image(), mask == null ? null : mask.pixels(), o.sample.mask().pixels(),
          o.sample.query(), answer, footer), "png", out.resolve(name).toFile());
      tiles.add(new IndexPage.Tile(name, o.queryId + " (" + o.sample.kind().name().toLowerCase() + ")", o.complete() && (Double.isNaN(iou) || iou >= 0.5)));
    }
    Map<String, Double> giouByKind = new LinkedHashMap<>();
    byKind.forEach((k, sc) -> giouByKind.put(k.name().toLowerCase(), sc.giou()));
    List<String> charts = List.of(Charts.bars("gIoU by kind of query", giouByKind),
        Charts.histogram("end-to-end latency (send to committed mask)", latencies, 24, "ms"));
    IndexPage.write(out.resolve("index.html"), "llavaseg-streams demo (cyan: predicted mask, orange: ground truth)",
        rows(), charts, tiles);
  }
}
