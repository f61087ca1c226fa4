package io.llavaseg.training.reasoner;

import io.llavaseg.eval.Answers;
import io.llavaseg.model.Generation;
import io.llavaseg.model.ImageChat;
import io.llavaseg.model.ModelId;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.Reasoning;
import io.llavaseg.model.TargetAttributes;
import io.llavaseg.model.cot.ChainOfThought;
import io.llavaseg.model.cot.PromptTemplates;
import io.llavaseg.shapeworld.QueryKind;
import io.llavaseg.shapeworld.Sample;
import io.llavaseg.shapeworld.ShapeWorld;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Measures a {@link Reasoner} through the real chain of thought on ShapeWorld samples {@code first
 * .. first+count-1} of a world, kinds forced round-robin over all nine {@link QueryKind}s (so every
 * kind gets about count/9 samples) or over the ones asked for. Reports: target exact match (targeted kinds), per-attribute
 * accuracy (a missing attribute line counts as wrong), dialogue answer exact match (DIALOGUE kind
 * and all kinds, and by the type of question, {@link #dialogueType}) and the DIALOGUE accuracy that
 * also takes an image description listing the same objects in another order ({@link #sameObjectsListed}), the "none" rate on ABSENT and AMBIGUOUS queries, unparseable replies, and the
 * chain's latency at batch 1 (p50/p90) with its breakdown into vision, prompt prefill and
 * generated-token decoding. Answers compare exactly (after trimming); targets and attributes as
 * normalised strings.
 */
public final class ReasonerEvaluator {

  /** The measured numbers; fractions in [0, 1], times in milliseconds. */
  public record Report(
      ModelId model,
      int samples,
      double targetExact,
      Map<String, Double> attributeAccuracy,
      double dialogueAccuracy,
      double dialogueAnyOrder,
      Map<String, Rate> dialogueByType,
      double answerAccuracyAll,
      double absentNoneRate,
      double ambiguousNoneRate,
      double unparseableRate,
      Map<String, Double> targetExactByKind,
      double chainP50Ms,
      double chainP90Ms,
      double visionMs,
      double prefillMs,
      double decodeMs,
      double generatedTokens,
      double promptTokens) {

    public String summary() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format(Locale.ROOT, "model %s, %d samples%n", model, samples));
      sb.append(String.format(Locale.ROOT, "target exact match      %6.1f%%%n", 100 * targetExact));
      attributeAccuracy.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "attribute %-13s %6.1f%%%n", k, 100 * v)));
      sb.append(String.format(Locale.ROOT, "dialogue answers        %6.1f%%  (all kinds %.1f%%)%n", 100 * dialogueAccuracy,
          100 * answerAccuracyAll));
      sb.append(String.format(Locale.ROOT, "  descriptions any order %5.1f%%%n", 100 * dialogueAnyOrder));
      dialogueByType.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %-12s %6.1f%%  (n=%d)%n", k, 100 * v.rate(),
          v.n())));
      sb.append(String.format(Locale.ROOT, "absent -> none          %6.1f%%  (ambiguous %.1f%%)%n", 100 * absentNoneRate,
          100 * ambiguousNoneRate));
      sb.append(String.format(Locale.ROOT, "unparseable replies     %6.1f%%%n", 100 * unparseableRate));
      targetExactByKind.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  target %-12s %6.1f%%%n", k, 100 * v)));
      sb.append(String.format(Locale.ROOT,
          "chain latency p50 %.1f ms, p90 %.1f ms; mean vision %.1f + prefill %.1f + decode %.1f ms"
              + " (%.1f generated tokens, %.1f prompt tokens per chain)%n",
          chainP50Ms, chainP90Ms, visionMs, prefillMs, decodeMs, generatedTokens, promptTokens));
      return sb.toString();
    }
  }

  /**
   * A sample the reasoner got wrong: its index and kind, the user's text, what was expected and
   * what came back (the dialogue answer for DIALOGUE, else the target, "none" for no target), and
   * for targeted kinds the expected and the returned attribute lines.
   */
  public record Miss(long index, String kind, String query, String expected, String got, String expectedAttributes,
      String gotAttributes) {}

  private ReasonerEvaluator() {}

  public static Report evaluate(Reasoner reasoner, PromptTemplates templates, ShapeWorld world, long first, int count) {
    return evaluate(reasoner, templates, world, first, count, miss -> {});
  }

  /** As {@link #evaluate(Reasoner, PromptTemplates, ShapeWorld, long, int)}, telling {@code misses} every wrong sample. */
  public static Report evaluate(Reasoner reasoner, PromptTemplates templates, ShapeWorld world, long first, int count,
      Consumer<Miss> misses) {
    return evaluate(reasoner, templates, world, first, count, List.of(QueryKind.values()), misses);
  }

  /**
   * As {@link #evaluate(Reasoner, PromptTemplates, ShapeWorld, long, int, Consumer)}, kinds forced
   * round-robin over {@code only} instead of all nine (e.g. DIALOGUE alone, to measure dialogue on
   * many more questions); rates of kinds not drawn are NaN.
   */
  public static Report evaluate(Reasoner reasoner, PromptTemplates templates, ShapeWorld world, long first, int count,
      List<QueryKind> only, Consumer<Miss> misses) {
    return evaluate(reasoner, templates, world, first, count, only, UnaryOperator.identity(), misses);
  }

  /**
   * As {@link #evaluate(Reasoner, PromptTemplates, ShapeWorld, long, int, List, Consumer)}, each
   * rendered image passed through {@code images} before the reasoner sees it (e.g. {@link
   * io.llavaseg.eval.ReasonSegWriter#jpegRoundTrip}: the pixels {@code eval} reads from a generated
   * dataset's JPEG files).
   */
  public static Report evaluate(Reasoner reasoner, PromptTemplates templates, ShapeWorld world, long first, int count,
      List<QueryKind> only, UnaryOperator<BufferedImage> images, Consumer<Miss> misses) {
    if (only.isEmpty()) {
      throw new IllegalArgumentException("no query kinds to draw");
    }
    ChainOfThought cot = new ChainOfThought(templates);
    QueryKind[] kinds = only.toArray(QueryKind[]::new);
    int targeted = 0, targetOk = 0, dialogue = 0, dialogueOk = 0, dialogueAnyOrderOk = 0, answerOk = 0;
    Map<String, int[]> byType = new TreeMap<>();
    int absent = 0, absentNone = 0, ambiguous = 0, ambiguousNone = 0, unparseable = 0;
    String[] keys = TargetAttributes.KEYS;
    int[] attrOk = new int[keys.length];
    Map<QueryKind, int[]> byKind = new EnumMap<>(QueryKind.class);
    double[] chain = new double[count];
    double vision = 0, prefill = 0, decode = 0, generated = 0, prompt = 0;
    for (int i = 0; i < count; i++) {
      Sample s = drawn(world, first, i, kinds);
      BufferedImage image = images.apply(s.image());
      Recording rec = new Recording(reasoner);
      long t0 = System.nanoTime();
      Reasoning r = cot.run(rec, image, s.query());
      chain[i] = (System.nanoTime() - t0) / 1e6;
      vision += rec.visionMs;
      for (Generation g : rec.generations) {
        prefill += g.prefillMs();
        decode += g.decodeMs();
        generated += g.generatedTokens();
        prompt += g.promptTokens();
      }
      if (r.failureReason().isPresent()) {
        unparseable++;
      }
      if (r.answer().strip().equals(s.answer())) {
        answerOk++;
      }
      boolean saidNone = r.target().isEmpty() && r.failureReason().isEmpty();
      switch (s.kind()) {
        case DIALOGUE -> {
          dialogue++;
          boolean ok = r.answer().strip().equals(s.answer());
          dialogueOk += ok ? 1 : 0;
          dialogueAnyOrderOk += ok || sameObjectsListed(s.answer(), r.answer()) ? 1 : 0;
          int[] t = byType.computeIfAbsent(dialogueType(s.answer()), x -> new int[2]);
          t[0]++;
          t[1] += ok ? 1 : 0;
          if (!ok) {
            misses.accept(new Miss(first + i, "dialogue", s.query(), s.answer(), r.answer().strip(), null, null));
          }
        }
        case ABSENT -> {
          absent++;
          absentNone += saidNone ? 1 : 0;
          if (!saidNone) {
            misses.accept(new Miss(first + i, "absent", s.query(), "none", got(r), null, null));
          }
        }
        case AMBIGUOUS -> {
          ambiguous++;
          ambiguousNone += saidNone ? 1 : 0;
        }
        default -> {
          targeted++;
          boolean ok = r.target().map(t -> t.equals(s.target())).orElse(false);
          targetOk += ok ? 1 : 0;
          int[] k = byKind.computeIfAbsent(s.kind(), x -> new int[2]);
          k[0]++;
          k[1] += ok ? 1 : 0;
          Optional<TargetAttributes> truth = TargetAttributes.parse(s.attributes());
          boolean attrsOk = false;
          if (r.attributes().isPresent() && truth.isPresent()) {
            TargetAttributes a = r.attributes().get();
            TargetAttributes t = truth.get();
            attrOk[0] += a.color().equals(t.color()) ? 1 : 0;
            attrOk[1] += a.shape().equals(t.shape()) ? 1 : 0;
            attrOk[2] += a.size().equals(t.size()) ? 1 : 0;
            attrOk[3] += a.location().equals(t.location()) ? 1 : 0;
            attrsOk = a.equals(t);
          }
          if (!ok || !attrsOk) {
            misses.accept(new Miss(first + i, s.kind().name().toLowerCase(Locale.ROOT), s.query(), s.target(), got(r),
                s.attributes(), r.attributes().map(TargetAttributes::toString).orElse(null)));
          }
        }
      }
    }
    Map<String, Double> attrs = new LinkedHashMap<>();
    for (int k = 0; k < keys.length; k++) {
      attrs.put(keys[k], frac(attrOk[k], targeted));
    }
    Map<String, Double> kindAcc = new LinkedHashMap<>();
    byKind.forEach((k, v) -> kindAcc.put(k.name().toLowerCase(Locale.ROOT), frac(v[1], v[0])));
    double[] sorted = chain.clone();
    Arrays.sort(sorted);
    int n = Math.max(1, count);
    return new Report(reasoner.modelId(), count, frac(targetOk, targeted), attrs, frac(dialogueOk, dialogue),
        frac(dialogueAnyOrderOk, dialogue), rates(byType), frac(answerOk, count), frac(absentNone, absent), frac(ambiguousNone, ambiguous), frac(unparseable, count),
        kindAcc, percentile(sorted, 0.5), percentile(sorted, 0.9), vision / n, prefill / n, decode / n,
        generated / n, prompt / n);
  }

  /**
   * Whether {@code got} describes the image as {@code expected} does but lists the objects in
   * another order ({@link Answers#sameObjectsListed}, which {@code eval} uses too).
   */
  public static boolean sameObjectsListed(String expected, String got) {
    return Answers.sameObjectsListed(expected, got);
  }

  /** The {@code i}-th sample of an evaluation from {@code first}: kinds round-robin. */
  static Sample drawn(ShapeWorld world, long first, int i, QueryKind[] kinds) {
    return world.sample(first + i, kinds[i % kinds.length]);
  }

  /** A share of right answers among {@code n}. */
  public record Rate(int n, double rate) {}

  private static Map<String, Rate> rates(Map<String, int[]> counts) {
    Map<String, Rate> out = new LinkedHashMap<>();
    counts.forEach((k, v) -> out.put(k, new Rate(v[0], frac(v[1], v[0]))));
    return out;
  }

  /**
   * The type of a dialogue question, read off ShapeWorld's answer to it ({@link
   * Answers#dialogueType}, which {@code eval} uses too): "counting", "description", "existence" or
   * "other".
   */
  public static String dialogueType(String answer) {
    return Answers.dialogueType(answer);
  }

  private static String got(Reasoning r) {
    return r.failureReason().map(f -> "unparseable: " + f).orElseGet(() -> r.target().orElse("none"));
  }

  private static double frac(int a, int b) {
    return b == 0 ? Double.NaN : (double) a / b;
  }

  private static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
    return sorted[i];
  }

  /** Passes through to the measured reasoner and keeps every generation, to split the time. */
  private static final class Recording implements Reasoner {
    private final Reasoner inner;
    private final List<Generation> generations = new ArrayList<>();
    private double visionMs;

    Recording(Reasoner inner) {
      this.inner = inner;
    }

    @Override
    public ImageChat open(BufferedImage image) {
      ImageChat chat = inner.open(image);
      visionMs = chat.visionMs();
      return new ImageChat() {
        @Override
        public double visionMs() {
          return chat.visionMs();
        }

        @Override
        public Generation ask(String prompt) {
          Generation g = chat.ask(prompt);
          generations.add(g);
          return g;
        }

        @Override
        public void close() {
          chat.close();
        }
      };
    }

    @Override
    public ModelId modelId() {
      return inner.modelId();
    }

    @Override
    public void close() {}
  }
}
