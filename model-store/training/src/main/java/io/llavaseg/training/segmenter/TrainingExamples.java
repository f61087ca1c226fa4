package io.llavaseg.training.segmenter;

import io.llavaseg.model.BinaryMask;
import io.llavaseg.model.TargetAttributes;
import io.llavaseg.shapeworld.Colour;
import io.llavaseg.shapeworld.Location;
import io.llavaseg.shapeworld.Sample;
import io.llavaseg.shapeworld.Scene;
import io.llavaseg.shapeworld.SceneObject;
import io.llavaseg.shapeworld.Shape;
import io.llavaseg.shapeworld.ShapeWorld;
import io.llavaseg.shapeworld.Size;
import io.llavaseg.shapeworld.Split;
import io.llavaseg.shapeworld.TrainingStyles;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The segmenter's training stream, generated on the fly from ShapeWorld's TRAIN split: the examples of
 * scene {@code i} are a pure function of ({@code seed}, {@code i}), so a resumed run sees the same
 * data as an uninterrupted one.
 *
 * <p>Each ShapeWorld scene gives {@value #PER_SCENE} examples (rendering is the costly part). Any object whose (colour, shape, size, location) is
 * unique in the scene can be a target (not only the sample's own query target: every object is a
 * target some query could name), prompted exactly as the reasoner's ground truth is ({@code the
 * yellow heart} + {@code color: yellow; shape: heart; size: small; location: top left}); its mask
 * is its visible pixels (its polygon minus objects painted later, as ShapeWorld computes it).
 * Objects with a same-shape or same-colour distractor are drawn three times as often. Prompt
 * variants: attributes dropped (12%, so description-only prompting is in distribution), description
 * dropped (5%), one description word replaced by an unknown word (3%). Negatives (about 10% of
 * examples) have an empty mask: a colour + shape the scene lacks, or an out-of-vocabulary prompt.
 * 20% of scenes are non-square (letterboxed), so any aspect ratio is in distribution. Each scene is
 * rendered in a style drawn from the run's {@link TrainingStyles} (default: classic alone, which
 * changes nothing); a style with its own sizes overrides the scene's size.
 *
 * <p>Does not handle relational descriptions; the segmenter only ever sees simple ones.
 */
public final class TrainingExamples {
  private static final int[][] ASPECTS = {{384, 192}, {192, 384}, {320, 240}, {240, 320}, {256, 128}};
  private static final String[] OOV = {"zebra", "plaid", "quux", "gigantic", "octagon", "teal", "somewhere", "blorp"};

  private final long seed;
  private final ShapeWorld square;
  private final ShapeWorld[] others;
  private final TrainingStyles styles;
  private final MaskRaster masks;

  /** The classic-style stream. */
  public TrainingExamples(long seed) {
    this(seed, TrainingStyles.CLASSIC);
  }

  public TrainingExamples(long seed, TrainingStyles styles) {
    this(seed, styles, MaskRaster.PIXEL_CENTRES);
  }

  /** Examples of scenes in {@code styles}, their masks drawn by {@code masks}. */
  public TrainingExamples(long seed, TrainingStyles styles, MaskRaster masks) {
    this.seed = seed;
    this.styles = styles;
    this.masks = masks;
    this.square = ShapeWorld.of(Split.TRAIN);
    this.others = new ShapeWorld[ASPECTS.length];
    for (int i = 0; i < ASPECTS.length; i++) {
      others[i] = new ShapeWorld(Split.TRAIN.seed(), ASPECTS[i][0], ASPECTS[i][1]);
    }
  }

  /** Examples drawn from one rendered scene. */
  public static final int PER_SCENE = 4;

  /** The {@value #PER_SCENE} examples of scene {@code i}. */
  public List<SegmenterExample> scene(long i) {
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i * 0xBF58476D1CE4E5B9L + 17);
    ShapeWorld world = styles.world(rng.nextDouble() < 0.8 ? square : others[rng.nextInt(others.length)], seed, i);
    Sample s = world.sample(i);
    Scene scene = s.scene();
    List<Integer> candidates = uniqueObjects(scene);
    List<SegmenterExample> out = new ArrayList<>(PER_SCENE);
    List<Integer> used = new ArrayList<>();
    for (int k = 0; k < PER_SCENE; k++) {
      boolean negative = candidates.isEmpty() || rng.nextDouble() < 0.10;
      if (negative) {
        out.add(negative(s, rng));
        continue;
      }
      int t = pickWeighted(scene, candidates, used, rng);
      used.add(t);
      out.add(positive(s, t, rng));
    }
    return out;
  }

  /** Indices of objects no other object matches on all four attributes. */
  static List<Integer> uniqueObjects(Scene scene) {
    List<SceneObject> objs = scene.objects();
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < objs.size(); i++) {
      boolean unique = true;
      for (int j = 0; j < objs.size() && unique; j++) {
        if (j != i && sameAttributes(objs.get(i), objs.get(j))) {
          unique = false;
        }
      }
      if (unique) {
        out.add(i);
      }
    }
    return out;
  }

  static boolean sameAttributes(SceneObject a, SceneObject b) {
    return a.colour() == b.colour() && a.shape() == b.shape() && a.size() == b.size() && a.location() == b.location();
  }

  /** Whether another object of the scene shares the target's shape or colour. */
  public static boolean hasDistractor(Scene scene, int target) {
    SceneObject t = scene.objects().get(target);
    for (int j = 0; j < scene.objects().size(); j++) {
      SceneObject o = scene.objects().get(j);
      if (j != target && (o.shape() == t.shape() || o.colour() == t.colour())) {
        return true;
      }
    }
    return false;
  }

  /** A candidate, objects with a distractor three times as likely; used ones only when all are. */
  private static int pickWeighted(Scene scene, List<Integer> candidates, List<Integer> used, SplittableRandom rng) {
    boolean allUsed = used.containsAll(candidates);
    double total = 0;
    double[] w = new double[candidates.size()];
    for (int c = 0; c < w.length; c++) {
      int idx = candidates.get(c);
      w[c] = (!allUsed && used.contains(idx)) ? 0 : hasDistractor(scene, idx) ? 3 : 1;
      total += w[c];
    }
    double r = rng.nextDouble() * total;
    for (int c = 0; c < w.length; c++) {
      r -= w[c];
      if (r < 0) {
        return candidates.get(c);
      }
    }
    return candidates.get(w.length - 1);
  }

  /** The ground-truth prompt of an object: its description and its attribute line. */
  public static String[] prompt(SceneObject o) {
    return new String[] {
      o.description(),
      new TargetAttributes(o.colour().word(), o.shape().word(), o.size().word(), o.location().words()).format()
    };
  }

  private SegmenterExample positive(Sample s, int t, SplittableRandom rng) {
    SceneObject o = s.scene().objects().get(t);
    String[] p = prompt(o);
    String description = p[0];
    String attributes = p[1];
    double r = rng.nextDouble();
    if (r < 0.12) {
      attributes = "";
    } else if (r < 0.17) {
      description = "";
    } else if (r < 0.20) {
      description = rng.nextBoolean()
          ? "the " + OOV[rng.nextInt(OOV.length)] + " " + o.shape().word()
          : "the " + o.colour().word() + " " + OOV[rng.nextInt(OOV.length)];
    }
    BinaryMask mask = masks.mask(s.scene(), t, s.image().getWidth(), s.image().getHeight());
    return new SegmenterExample(s.image(), description, attributes, mask);
  }

  private SegmenterExample negative(Sample s, SplittableRandom rng) {
    BinaryMask empty = BinaryMask.empty(s.image().getWidth(), s.image().getHeight());
    if (rng.nextDouble() < 0.3) {
      String a = OOV[rng.nextInt(OOV.length)];
      String b = OOV[rng.nextInt(OOV.length)];
      String attrs = rng.nextBoolean()
          ? "color: " + a + "; shape: " + b + "; size: " + OOV[rng.nextInt(OOV.length)] + "; location: " + a
          : "";
      return new SegmenterExample(s.image(), "the " + a + " " + b, attrs, empty);
    }
    for (int attempt = 0; attempt < 50; attempt++) {
      Colour c = Colour.values()[rng.nextInt(Colour.values().length)];
      Shape sh = Shape.values()[rng.nextInt(Shape.values().length)];
      boolean present = s.scene().objects().stream().anyMatch(o -> o.colour() == c && o.shape() == sh);
      if (!present) {
        String attrs = new TargetAttributes(
                c.word(), sh.word(), Size.values()[rng.nextInt(3)].word(),
                Location.values()[rng.nextInt(9)].words())
            .format();
        return new SegmenterExample(s.image(), "the " + c.word() + " " + sh.word(), rng.nextDouble() < 0.12 ? "" : attrs, empty);
      }
    }
    return new SegmenterExample(s.image(), "the zebra", "", empty);
  }
}
