package io.llavaseg.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of an {@link Evaluation}: gIoU and cIoU over every scored sample, by query kind
 * ({@code "unspecified"} for samples without a kind, e.g. real ReasonSeg) and by {@code
 * is_sentence}; dialogue answer accuracy (normalised exact match over DIALOGUE samples, {@code null}
 * when the source gave no answer at all), also with image descriptions in any order and by the type
 * of question ({@link Answers#dialogueType}), as {@code eval-reasoner} reports them, so that the two
 * compare type by type (a few dozen descriptions among 100 questions move the total by points);
 * the empty-mask rate on ABSENT and AMBIGUOUS samples;
 * the missing predictions and the samples that could not be scored.
 */
public record EvalReport(
    String dataset,
    String source,
    int listed,
    Scores overall,
    Map<String, Scores> byKind,
    Map<String, Scores> bySentence,
    int dialogueTotal,
    int dialogueAnswered,
    int dialogueCorrect,
    int dialogueAnyOrder,
    Map<String, Tally> dialogueByType,
    int absentTotal,
    int absentEmpty,
    int ambiguousTotal,
    int ambiguousEmpty,
    List<String> missing,
    List<Failure> errors,
    List<SampleResult> samples) {

  /** Questions of one type and how many were answered right (normalised exact match). */
  public record Tally(int count, int correct) {
    /** Correct over count; NaN when there are none. */
    public double accuracy() {
      return count == 0 ? Double.NaN : (double) correct / count;
    }
  }

  /** A sample that could not be scored. */
  public record Failure(String name, Path file, String message) {}

  /**
   * One scored sample: its kind ({@code "unspecified"} when unknown), IoU, intersection and union
   * in pixels, whether the prediction was missing, and whether the dialogue answer matched ({@code
   * null} when not a dialogue sample or not answered), and the segmentation prompt if the source
   * told it (in the live pipeline {@code "target | attribute line"}, {@code "none"}, or the reason a
   * reply did not parse; {@code null} otherwise).
   */
  public record SampleResult(String name, String kind, double iou, long intersection, long union,
      boolean missing, Boolean answerCorrect, String prompt) {}

  public long count() {
    return overall.count();
  }

  public double giou() {
    return overall.giou();
  }

  public double ciou() {
    return overall.ciou();
  }

  /** Correct dialogue answers over DIALOGUE samples; NaN when there are none or nothing was answered. */
  public double dialogueAccuracy() {
    return dialogueTotal == 0 || dialogueAnswered == 0 ? Double.NaN : (double) dialogueCorrect / dialogueTotal;
  }

  /**
   * As {@link #dialogueAccuracy()}, an image description also right when it lists the right objects
   * in another order ({@link Answers#sameObjectsListed}).
   */
  public double dialogueAnyOrderAccuracy() {
    return dialogueTotal == 0 || dialogueAnswered == 0 ? Double.NaN : (double) dialogueAnyOrder / dialogueTotal;
  }

  /** ABSENT samples predicted with an empty mask over ABSENT samples; NaN when there are none. */
  public double absentEmptyRate() {
    return absentTotal == 0 ? Double.NaN : (double) absentEmpty / absentTotal;
  }

  /** AMBIGUOUS samples predicted with an empty mask over AMBIGUOUS samples; NaN when there are none. */
  public double ambiguousEmptyRate() {
    return ambiguousTotal == 0 ? Double.NaN : (double) ambiguousEmpty / ambiguousTotal;
  }

  /** The report as JSON, without the per-sample results. */
  public ObjectNode toJson() {
    return toJson(false);
  }

  /** The report as JSON; with {@code perSample}, a {@code "samples"} array of {@link SampleResult}s. */
  public ObjectNode toJson(boolean perSample) {
    ObjectNode root = new ObjectMapper().createObjectNode();
    root.put("dataset", dataset);
    root.put("source", source);
    root.put("count", overall.count());
    num(root, "giou", giou());
    num(root, "ciou", ciou());
    ObjectNode kinds = root.putObject("by_kind");
    byKind.forEach((k, s) -> scores(kinds.putObject(k), s));
    ObjectNode sentences = root.putObject("by_sentence");
    bySentence.forEach((k, s) -> scores(sentences.putObject(k), s));
    num(root, "dialogue_accuracy", dialogueAccuracy());
    root.put("dialogue_count", dialogueTotal);
    root.put("dialogue_answered", dialogueAnswered);
    num(root, "dialogue_any_order_accuracy", dialogueAnyOrderAccuracy());
    ObjectNode types = root.putObject("dialogue_by_type");
    dialogueByType.forEach((k, t) -> {
      ObjectNode o = types.putObject(k).put("count", t.count()).put("correct", t.correct());
      num(o, "accuracy", dialogueAnswered == 0 ? Double.NaN : t.accuracy());
    });
    num(root, "absent_empty_rate", absentEmptyRate());
    root.put("absent_count", absentTotal);
    num(root, "ambiguous_empty_rate", ambiguousEmptyRate());
    root.put("ambiguous_count", ambiguousTotal);
    root.put("listed", listed);
    root.put("missing_predictions", missing.size());
    ArrayNode m = root.putArray("missing");
    missing.forEach(m::add);
    ArrayNode e = root.putArray("errors");
    for (Failure f : errors) {
      e.addObject().put("name", f.name()).put("file", String.valueOf(f.file())).put("message", f.message());
    }
    if (perSample) {
      ArrayNode arr = root.putArray("samples");
      for (SampleResult r : samples) {
        ObjectNode o = arr.addObject().put("name", r.name()).put("kind", r.kind()).put("iou", r.iou())
            .put("intersection", r.intersection()).put("union", r.union()).put("missing", r.missing());
        if (r.answerCorrect() != null) {
          o.put("answer_correct", r.answerCorrect());
        }
        if (r.prompt() != null) {
          o.put("prompt", r.prompt());
        }
      }
    }
    return root;
  }

  /** A few lines for a terminal. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "samples %d scored of %d listed, %d missing predictions, %d errors%n",
        overall.count(), listed, missing.size(), errors.size()));
    sb.append(String.format(Locale.ROOT, "gIoU %s  cIoU %s%n", fmt(giou()), fmt(ciou())));
    byKind.forEach((k, s) -> sb.append(String.format(Locale.ROOT, "  %-12s n=%-5d gIoU %s  cIoU %s%n",
        k, s.count(), fmt(s.giou()), fmt(s.ciou()))));
    sb.append(String.format(Locale.ROOT, "dialogue accuracy %s (%d of %d answered)%n",
        fmt(dialogueAccuracy()), dialogueAnswered, dialogueTotal));
    if (dialogueAnswered > 0) {
      sb.append(String.format(Locale.ROOT, "  descriptions any order %s%n", fmt(dialogueAnyOrderAccuracy())));
      dialogueByType.forEach((k, t) -> sb.append(String.format(Locale.ROOT, "  %-12s %s (%d of %d)%n",
          k, fmt(t.accuracy()), t.correct(), t.count())));
    }
    sb.append(String.format(Locale.ROOT, "absent empty-mask rate %s (n=%d), ambiguous %s (n=%d)%n",
        fmt(absentEmptyRate()), absentTotal, fmt(ambiguousEmptyRate()), ambiguousTotal));
    for (Failure f : errors) {
      sb.append("error: ").append(f.message()).append(System.lineSeparator());
    }
    return sb.toString();
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static void scores(ObjectNode node, Scores s) {
    node.put("count", s.count());
    num(node, "giou", s.giou());
    num(node, "ciou", s.ciou());
  }

  private static void num(ObjectNode node, String key, double v) {
    if (Double.isNaN(v)) {
      node.putNull(key);
    } else {
      node.put(key, v);
    }
  }
}
