package io.llavaseg.shapeworld;

import io.llavaseg.model.BinaryMask;
import io.llavaseg.model.TargetAttributes;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The ShapeWorld generator: sample {@code i} of a world with seed {@code s} is a pure function of
 * ({@code s}, {@code i}, width, height), independent of call order and thread. Instances are
 * immutable and thread-safe.
 *
 * <p>Without a forced kind, kinds are drawn with weights phrase 16%, question 12%, reasoning 12%,
 * knowledge 12%, relational 10%, superlative 10%, dialogue 14%, absent 8%, ambiguous 6%. A scene
 * that cannot carry the chosen kind (e.g. no object fits a relation clearly) is redrawn from the
 * same random stream, so forcing a kind returns the sample that {@link #sample(long)} returns
 * whenever that sample already has the kind.
 *
 * <p>Does not handle: images smaller than 64 or larger than 4096 px per side.
 */
public final class ShapeWorld {
  public static final int DEFAULT_SIZE = 256;
  private static final QueryKind[] KINDS = QueryKind.values();
  private static final double[] WEIGHTS = {0.16, 0.12, 0.12, 0.12, 0.10, 0.10, 0.14, 0.08, 0.06};
  private static final int MAX_SCENES = 500;

  private final long seed;
  private final int width;
  private final int height;
  private final Language language;

  public ShapeWorld(long seed) {
    this(seed, DEFAULT_SIZE, DEFAULT_SIZE);
  }

  public ShapeWorld(long seed, int width, int height) {
    this(seed, width, height, Language.TEMPLATES);
  }

  private ShapeWorld(long seed, int width, int height, Language language) {
    if (width < 64 || height < 64 || width > 4096 || height > 4096) {
      throw new IllegalArgumentException("image size must be 64..4096 per side, got " + width + "x" + height);
    }
    this.seed = seed;
    this.width = width;
    this.height = height;
    this.language = java.util.Objects.requireNonNull(language, "language");
  }

  /**
   * This world with its queries worded in {@code language}: the same images, masks, answers,
   * targets and attributes for every (seed, index); only the query text (and whether it is a
   * sentence) changes, drawn from a random stream of its own.
   */
  public ShapeWorld withLanguage(Language language) {
    return new ShapeWorld(seed, width, height, language);
  }

  public Language language() {
    return language;
  }

  /** The 256x256 world of a split. */
  public static ShapeWorld of(Split split) {
    return new ShapeWorld(split.seed());
  }

  public long seed() {
    return seed;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The sample's file-name stem, e.g. {@code sw7-00000042}. */
  public String name(long index) {
    return String.format("sw%d-%08d", seed, index);
  }

  /** Sample {@code index}, its kind drawn by the default weights. */
  public Sample sample(long index) {
    return sample(index, null);
  }

  /** Sample {@code index} forced to {@code kind} ({@code null}: drawn by the default weights). */
  public Sample sample(long index, QueryKind kind) {
    SplittableRandom rng = new SplittableRandom(mix(seed, index));
    Draft d = draft(index, kind, rng);
    Query q = d.query;
    if (language != Language.TEMPLATES) {
      long salt = language == Language.PARAPHRASE ? 0x5EED_0F_9A2AL : 0x4E1D_0D7L;
      q = new Paraphraser(language, new SplittableRandom(mix(seed, index) ^ salt)).reword(q);
    }
    return assemble(index, d.kind, d.layout, q, rng);
  }

  /** The scene of {@code sample(index)} without rendering it (cheap). */
  public Scene scene(long index) {
    return scene(index, null);
  }

  /** The scene of {@code sample(index, kind)} without rendering it (cheap). */
  public Scene scene(long index, QueryKind kind) {
    return draft(index, kind, new SplittableRandom(mix(seed, index))).layout.scene();
  }

  private record Draft(QueryKind kind, Layout layout, Query query) {}

  private Draft draft(long index, QueryKind kind, SplittableRandom rng) {
    QueryKind drawn = drawKind(rng);
    QueryKind k = kind == null ? drawn : kind;
    for (int attempt = 0; attempt < MAX_SCENES; attempt++) {
      Layout layout = layout(rng, k == QueryKind.AMBIGUOUS && attempt % 2 == 1);
      if (layout == null) {
        continue;
      }
      Optional<Query> q = new QueryWriter(rng, layout.scene()).write(k);
      if (q.isPresent()) {
        return new Draft(k, layout, q.get());
      }
    }
    throw new IllegalStateException(
        "no scene for kind " + k + " after " + MAX_SCENES + " draws (seed " + seed + ", index " + index + ")");
  }

  private Layout layout(SplittableRandom rng, boolean duplicate) {
    Layout l = Layout.random(rng, width, height, duplicate);
    return l.objects.size() >= 2 ? l : null;
  }

  private Sample assemble(long index, QueryKind kind, Layout layout, Query q, SplittableRandom rng) {
    java.awt.image.BufferedImage image = Renderer.render(layout, rng);
    int t = q.targetIndex();
    String target = Sample.NO_TARGET;
    String attributes = "";
    BinaryMask mask;
    if (t >= 0) {
      SceneObject o = layout.objects.get(t);
      target = o.description();
      attributes = new TargetAttributes(o.colour().word(), o.shape().word(), o.size().word(), o.location().words())
          .format();
      mask = new BinaryMask(width, height, layout.visible.get(t).clone());
    } else {
      mask = BinaryMask.empty(width, height);
    }
    return new Sample(name(index), image, layout.scene(), q.text(), q.isSentence(), kind, q.answer(), target,
        attributes, t, mask);
  }

  private static QueryKind drawKind(SplittableRandom rng) {
    double r = rng.nextDouble();
    for (int i = 0; i < KINDS.length; i++) {
      r -= WEIGHTS[i];
      if (r < 0) {
        return KINDS[i];
      }
    }
    return KINDS[KINDS.length - 1];
  }

  /** A well-mixed 64-bit seed for (seed, index) (SplitMix64 finaliser over both). */
  static long mix(long seed, long index) {
    long z = seed * 0x9E3779B97F4A7C15L + index * 0xC2B2AE3D27D4EB4FL + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
