package io.llavaseg.training.segmenter;

import io.llavaseg.model.segmenter.DjlSegmenter;
import io.llavaseg.model.segmenter.SegmenterInput;

import io.llavaseg.model.BinaryMask;
import io.llavaseg.model.SegmentationResult;
import io.llavaseg.model.TargetAttributes;
import io.llavaseg.shapeworld.Colour;
import io.llavaseg.shapeworld.Location;
import io.llavaseg.shapeworld.Sample;
import io.llavaseg.shapeworld.Scene;
import io.llavaseg.shapeworld.SceneObject;
import io.llavaseg.shapeworld.Shape;
import io.llavaseg.shapeworld.ShapeWorld;
import io.llavaseg.shapeworld.Size;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Measures a segmenter on ShapeWorld samples prompted with ground truth: gIoU/cIoU overall and by
 * query kind and target size; the ablation description alone (attribute slot empty) versus
 * description + attributes on samples whose target has a same-shape or same-colour distractor (and
 * on the subset with a same-shape-and-colour twin, which only size or location can tell apart);
 * robustness to a wrong size and/or location: targets without a twin (colour and shape still name
 * them) prompted with another object's or a neighbouring size/location ({@link #noisyAttributes},
 * seeded) against the true line;
 * how often a prompt naming a colour + shape absent from the scene gets an empty mask; and CPU
 * latency end to end (letterbox, network, mask at full size) at batch 1 and per image at batch 16.
 * Targeted samples only (those with an object to segment). Not thread-safe.
 */
public final class SegmenterEvaluation {
  private SegmenterEvaluation() {}

  /** Quality of one prompting mode. */
  public record Quality(double gIoU, double cIoU, int count) {
    static Quality of(MaskIou m) {
      return new Quality(m.gIoU(), m.cIoU(), m.count());
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "gIoU %.4f  cIoU %.4f  (n=%d)", gIoU, cIoU, count);
    }
  }

  /** Latency percentiles in milliseconds. */
  public record Latency(double batch1MedianMs, double batch1P90Ms, double batch16PerImageMs) {}

  /** Everything measured. */
  public record Report(
      long seed,
      Quality overall,
      Map<String, Quality> byKind,
      Map<String, Quality> bySize,
      Quality distractorWithAttributes,
      Quality distractorDescriptionOnly,
      Quality twinWithAttributes,
      Quality twinDescriptionOnly,
      Quality noTwinTrueAttributes,
      Quality noTwinWrongSizeOrLocation,
      double absentEmptyRate,
      double absentMeanScore,
      int absentCount,
      Latency latency) {

    public String toText() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format(Locale.ROOT, "ShapeWorld seed %d, ground-truth prompts (description + attributes)%n", seed));
      sb.append("  all targeted samples        ").append(overall).append('\n');
      byKind.forEach((k, q) -> sb.append(String.format(Locale.ROOT, "    %-24s %s%n", k, q)));
      bySize.forEach((k, q) -> sb.append(String.format(Locale.ROOT, "    size %-19s %s%n", k, q)));
      sb.append("ablation on targets with a same-shape or same-colour distractor\n");
      sb.append("  description + attributes    ").append(distractorWithAttributes).append('\n');
      sb.append("  description alone          ").append(distractorDescriptionOnly).append('\n');
      sb.append("ablation on targets with a same-shape-and-colour twin\n");
      sb.append("  description + attributes    ").append(twinWithAttributes).append('\n');
      sb.append("  description alone          ").append(twinDescriptionOnly).append('\n');
      sb.append("robustness on targets without a twin: a wrong size and/or location in the attribute line\n");
      sb.append("  true attribute line         ").append(noTwinTrueAttributes).append('\n');
      sb.append("  wrong size/location         ").append(noTwinWrongSizeOrLocation).append('\n');
      sb.append(String.format(Locale.ROOT,
          "prompts naming an absent colour + shape: empty mask %.1f%%, mean score %.3f (n=%d)%n",
          100 * absentEmptyRate, absentMeanScore, absentCount));
      if (latency != null) {
        sb.append(String.format(Locale.ROOT,
            "CPU latency (256x256 in, mask at 256x256 out): batch 1 median %.1f ms (p90 %.1f ms); batch 16 %.1f ms per image%n",
            latency.batch1MedianMs, latency.batch1P90Ms, latency.batch16PerImageMs));
      }
      return sb.toString();
    }
  }

  /**
   * Runs every measurement on the first {@code count} targeted samples of {@code world}.
   *
   * @param latencyRuns timed batch-1 runs (0 skips the latency measurement)
   * @param masks how the ground-truth masks are drawn (LISA's, or the generator's pixel centres)
   */
  public static Report run(DjlSegmenter seg, ShapeWorld world, int count, int latencyRuns, MaskRaster masks,
      Consumer<String> progress) {
    List<Sample> samples = GroundTruthSet.targeted(world, 0, count);
    MaskIou all = new MaskIou();
    Map<String, MaskIou> byKind = new LinkedHashMap<>();
    Map<String, MaskIou> bySize = new LinkedHashMap<>();
    MaskIou distAttr = new MaskIou();
    MaskIou distDesc = new MaskIou();
    MaskIou twinAttr = new MaskIou();
    MaskIou twinDesc = new MaskIou();
    MaskIou noTwinTrue = new MaskIou();
    MaskIou noTwinWrong = new MaskIou();
    SplittableRandom noise = new SplittableRandom(world.seed() ^ 0xA77L);
    for (int i = 0; i < samples.size(); i += 16) {
      List<Sample> chunk = samples.subList(i, Math.min(samples.size(), i + 16));
      List<SegmenterInput> with = new ArrayList<>();
      List<SegmenterInput> without = new ArrayList<>();
      List<SegmenterInput> wrong = new ArrayList<>(); // targets without a twin only, in chunk order
      for (Sample s : chunk) {
        SegmenterInput in = GroundTruthSet.prompt(s, true);
        with.add(in);
        without.add(GroundTruthSet.prompt(s, false));
        if (!hasTwin(s)) {
          wrong.add(new SegmenterInput(s.image(), in.description(), noisyAttributes(s.scene(), s.targetIndex(), noise)));
        }
      }
      List<SegmentationResult> a = seg.segmentAll(with);
      List<SegmentationResult> d = seg.segmentAll(without);
      java.util.Iterator<SegmentationResult> w = seg.segmentAll(wrong).iterator();
      for (int k = 0; k < chunk.size(); k++) {
        Sample s = chunk.get(k);
        BinaryMask truth = masks.mask(s.scene(), s.targetIndex(), s.image().getWidth(), s.image().getHeight());
        all.add(a.get(k).mask(), truth);
        byKind.computeIfAbsent(s.kind().name().toLowerCase(Locale.ROOT), x -> new MaskIou()).add(a.get(k).mask(), truth);
        SceneObject t = s.scene().objects().get(s.targetIndex());
        bySize.computeIfAbsent(t.size().word(), x -> new MaskIou()).add(a.get(k).mask(), truth);
        if (GroundTruthSet.hasDistractor(s)) {
          distAttr.add(a.get(k).mask(), truth);
          distDesc.add(d.get(k).mask(), truth);
        }
        if (hasTwin(s)) {
          twinAttr.add(a.get(k).mask(), truth);
          twinDesc.add(d.get(k).mask(), truth);
        } else {
          noTwinTrue.add(a.get(k).mask(), truth);
          noTwinWrong.add(w.next().mask(), truth);
        }
      }
      if (progress != null && (i / 16) % 10 == 9) {
        progress.accept(String.format(Locale.ROOT, "%d/%d samples, %s", i + chunk.size(), samples.size(), all));
      }
    }
    double[] absent = absentPrompts(seg, samples.subList(0, Math.min(200, samples.size())), world.seed());
    Latency latency = latencyRuns > 0 ? latency(seg, samples, latencyRuns) : null;
    Map<String, Quality> kinds = new LinkedHashMap<>();
    byKind.forEach((k, m) -> kinds.put(k, Quality.of(m)));
    Map<String, Quality> sizes = new LinkedHashMap<>();
    for (Size s : Size.values()) {
      if (bySize.containsKey(s.word())) {
        sizes.put(s.word(), Quality.of(bySize.get(s.word())));
      }
    }
    return new Report(world.seed(), Quality.of(all), kinds, sizes, Quality.of(distAttr), Quality.of(distDesc),
        Quality.of(twinAttr), Quality.of(twinDesc), Quality.of(noTwinTrue), Quality.of(noTwinWrong), absent[0], absent[1], (int) absent[2], latency);
  }

  /** Whether another object has the target's shape and colour. */
  static boolean hasTwin(Sample s) {
    SceneObject t = s.scene().objects().get(s.targetIndex());
    for (int j = 0; j < s.scene().objects().size(); j++) {
      SceneObject o = s.scene().objects().get(j);
      if (j != s.targetIndex() && o.shape() == t.shape() && o.colour() == t.colour()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Object {@code t}'s attribute line with a wrong size, a wrong location or both (one in three
   * each): another object's values (two thirds of the time), else neighbouring ones (the next size,
   * a location one step away). Always differs from the true line.
   */
  static String noisyAttributes(Scene scene, int t, SplittableRandom rng) {
    SceneObject o = scene.objects().get(t);
    int which = rng.nextInt(3); // 0: size, 1: location, 2: both
    SceneObject other = null;
    if (scene.objects().size() > 1 && rng.nextInt(3) < 2) {
      int j = rng.nextInt(scene.objects().size() - 1);
      other = scene.objects().get(j >= t ? j + 1 : j);
    }
    Size size = o.size();
    Location loc = o.location();
    if (which != 1) {
      size = other != null && other.size() != o.size() ? other.size() : neighbour(o.size(), rng);
    }
    if (which != 0) {
      loc = other != null && other.location() != o.location() ? other.location() : neighbour(o.location(), rng);
    }
    return new TargetAttributes(o.colour().word(), o.shape().word(), size.word(), loc.words()).format();
  }

  private static Size neighbour(Size s, SplittableRandom rng) {
    Size[] all = Size.values();
    int i = s.ordinal();
    return all[i == 0 ? 1 : i == all.length - 1 ? i - 1 : i + (rng.nextBoolean() ? 1 : -1)];
  }

  private static Location neighbour(Location l, SplittableRandom rng) {
    List<Location> near = new ArrayList<>();
    for (Location c : Location.values()) {
      if (c != l && Math.abs(c.column() - l.column()) <= 1 && Math.abs(c.row() - l.row()) <= 1) {
        near.add(c);
      }
    }
    return near.get(rng.nextInt(near.size()));
  }

  /** Empty-mask rate, mean score and count for prompts naming a colour + shape the scene lacks. */
  private static double[] absentPrompts(DjlSegmenter seg, List<Sample> samples, long seed) {
    SplittableRandom rng = new SplittableRandom(seed ^ 0x5EEDL);
    List<SegmenterInput> in = new ArrayList<>();
    for (Sample s : samples) {
      for (int attempt = 0; attempt < 50; attempt++) {
        Colour c = Colour.values()[rng.nextInt(Colour.values().length)];
        Shape sh = Shape.values()[rng.nextInt(Shape.values().length)];
        if (s.scene().objects().stream().noneMatch(o -> o.colour() == c && o.shape() == sh)) {
          String attrs = new TargetAttributes(c.word(), sh.word(), Size.values()[rng.nextInt(3)].word(),
              Location.values()[rng.nextInt(9)].words()).format();
          in.add(new SegmenterInput(s.image(), "the " + c.word() + " " + sh.word(), attrs));
          break;
        }
      }
    }
    int empty = 0;
    double score = 0;
    for (int i = 0; i < in.size(); i += 16) {
      for (SegmentationResult r : seg.segmentAll(in.subList(i, Math.min(in.size(), i + 16)))) {
        empty += r.mask().isEmpty() ? 1 : 0;
        score += r.score();
      }
    }
    return new double[] {in.isEmpty() ? 0 : (double) empty / in.size(), in.isEmpty() ? 0 : score / in.size(), in.size()};
  }

  private static Latency latency(DjlSegmenter seg, List<Sample> samples, int runs) {
    for (int i = 0; i < 5; i++) {
      seg.segment(GroundTruthSet.prompt(samples.get(i % samples.size()), true));
    }
    double[] b1 = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      seg.segment(GroundTruthSet.prompt(samples.get(i % samples.size()), true));
      b1[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(b1);
    List<SegmenterInput> batch = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      batch.add(GroundTruthSet.prompt(samples.get(i % samples.size()), true));
    }
    seg.segmentAll(batch);
    int batchRuns = Math.max(3, runs / 10);
    double[] b16 = new double[batchRuns];
    for (int i = 0; i < batchRuns; i++) {
      long t0 = System.nanoTime();
      seg.segmentAll(batch);
      b16[i] = (System.nanoTime() - t0) / 1e6 / 16;
    }
    Arrays.sort(b16);
    return new Latency(b1[runs / 2], b1[(int) Math.min(runs - 1, Math.round(runs * 0.9))], b16[batchRuns / 2]);
  }
}
