package io.llavaseg.training.reasoner;

import io.llavaseg.model.reasoner.ImageInput;
import io.llavaseg.model.reasoner.ReasonerBlock;
import io.llavaseg.model.reasoner.ReasonerConfig;
import io.llavaseg.model.reasoner.ReasonerModel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.llavaseg.shapeworld.QueryKind;
import io.llavaseg.shapeworld.Sample;
import io.llavaseg.shapeworld.SceneObject;
import io.llavaseg.shapeworld.ShapeWorld;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Looks inside a reasoner with count tokens ({@link ReasonerConfig#countTokens}): how often the
 * vision encoder's expected counts ({@link ReasonerBlock#expectedCounts}), rounded, are the true
 * numbers of objects, on the samples {@link ReasonerEvaluator} uses (same indices, same kinds). Tells
 * a counting answer that is wrong because the encoder miscounted from one whose decoder misread a
 * right count token.
 */
public final class CountTokenProbe {

  /**
   * Fractions of right rounded counts: over every image and every class that is present or counted
   * as present, for all objects, colours and shapes; and for the class each DIALOGUE counting
   * question asks about ({@code countQuestions} of them).
   */
  public record Report(int images, double all, double colour, double shape, int countQuestions, double asked) {
    public String summary() {
      return String.format(Locale.ROOT,
          "count tokens, rounded, right: all objects %.1f%%, colours %.1f%%, shapes %.1f%% (%d images);"
              + " the class asked by %d counting questions %.1f%%%n",
          100 * all, 100 * colour, 100 * shape, images, countQuestions, 100 * asked);
    }
  }

  private CountTokenProbe() {}

  public static Report measure(ReasonerModel model, ShapeWorld world, long first, int count) {
    return measure(model, world, first, count, List.of(QueryKind.values()));
  }

  /** As {@link #measure(ReasonerModel, ShapeWorld, long, int)} on the samples of an evaluation over {@code only} these kinds. */
  public static Report measure(ReasonerModel model, ShapeWorld world, long first, int count, List<QueryKind> only) {
    ReasonerConfig cfg = model.config();
    if (!cfg.countTokens()) {
      throw new IllegalArgumentException(model.modelId() + " has no count tokens");
    }
    ReasonerBlock block = model.block();
    QueryKind[] kinds = only.toArray(QueryKind[]::new);
    int[] right = new int[3];
    int[] total = new int[3];
    int asked = 0;
    int askedRight = 0;
    try (NDManager m = model.newSubManager()) {
      ParameterStore ps = new ParameterStore(m, false);
      for (int i = 0; i < count; i++) {
        Sample s = ReasonerEvaluator.drawn(world, first, i, kinds);
        float[] counts;
        try (NDManager sm = m.newSubManager()) {
          NDArray img = sm.create(ImageInput.pixels(s.image(), cfg.imageSize()), new Shape(1, 3, cfg.imageSize(), cfg.imageSize()));
          counts = ReasonerBlock.expectedCounts(block.encodeImages(ps, img, false).get(1)).toFloatArray();
        }
        int[] truth = truth(s);
        for (int c = 0; c < truth.length; c++) {
          int group = c == ReasonerConfig.COUNT_ALL ? 0 : c <= ReasonerConfig.AUX_CLASSES[1] ? 1 : 2;
          int rounded = Math.round(counts[c]);
          if (truth[c] > 0 || rounded > 0) {
            total[group]++;
            right[group] += rounded == truth[c] ? 1 : 0;
          }
        }
        OptionalInt c = s.kind() == QueryKind.DIALOGUE ? InstructionData.countClass(s.answer()) : OptionalInt.empty();
        if (c.isPresent()) {
          asked++;
          askedRight += Math.round(counts[c.getAsInt()]) == truth[c.getAsInt()] ? 1 : 0;
        }
      }
    }
    return new Report(count, frac(right[0], total[0]), frac(right[1], total[1]), frac(right[2], total[2]), asked,
        frac(askedRight, asked));
  }

  /** The true counts in count-token order: all objects, each colour, each shape. */
  static int[] truth(Sample s) {
    int[] truth = new int[ReasonerConfig.COUNT_TOKENS];
    for (SceneObject o : s.scene().objects()) {
      truth[ReasonerConfig.COUNT_ALL]++;
      truth[CountClasses.of(o.colour())]++;
      truth[CountClasses.of(o.shape())]++;
    }
    return truth;
  }

  private static double frac(int a, int b) {
    return b == 0 ? Double.NaN : (double) a / b;
  }
}
