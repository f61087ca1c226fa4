package io.llavaseg.shapeworld;

import io.llavaseg.model.BinaryMask;
import io.llavaseg.model.TargetAttributes;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The ShapeWorld generator: sample {@code i} of a world with seed {@code s} is a pure function of
 * ({@code s}, {@code i}, width, height, style), independent of call order and thread. Instances are
 * immutable and thread-safe. A {@link Style} other than {@link Style#CLASSIC} may choose each
 * sample's size itself (then width and height are not used) and moves or occludes objects before
 * the query is written, so queries, scenes and masks describe the image as rendered.
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
  private final Style style;

  public ShapeWorld(long seed) {
    this(seed, DEFAULT_SIZE, DEFAULT_SIZE);
  }

  public ShapeWorld(long seed, int width, int height) {
    this(seed, width, height, Style.CLASSIC, Language.TEMPLATES);
  }

  private ShapeWorld(long seed, int width, int height, Style style, Language language) {
    if (width < 64 || height < 64 || width > 4096 || height > 4096) {
      throw new IllegalArgumentException("image size must be 64..4096 per side, got " + width + "x" + height);
    }
    this.seed = seed;
    this.width = width;
    this.height = height;
    this.style = java.util.Objects.requireNonNull(style, "style");
    this.language = java.util.Objects.requireNonNull(language, "language");
  }

  /** This world rendered in {@code style} (same seed, size and language). */
  public ShapeWorld withStyle(Style style) {
    return new ShapeWorld(seed, width, height, style, language);
  }

  public Style style() {
    return style;
  }

  /**
   * This world with its queries worded in {@code language}: the same images, masks, answers,
   * targets and attributes for every (seed, index); only the query text (and whether it is a
   * sentence) changes, drawn from a random stream of its own.
   */
  public ShapeWorld withLanguage(Language language) {
    return new ShapeWorld(seed, width, height, style, language);
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

  /** The sample's file-name stem, e.g. {@code sw7-00000042}, or {@code sw7-blur-00000042} in a non-classic style. */
  public String name(long index) {
    return style.isClassic()
        ? String.format("sw%d-%08d", seed, index)
        : String.format("sw%d-%s-%08d", seed, style.name(), index);
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
    java.awt.image.BufferedImage image = style.isClassic()
        ? Renderer.render(d.layout, rng)
        : StyledRenderer.render(d.layout, style.look(), rng);
    return assemble(index, d.kind, d.layout, q, image);
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
    int[] size = style.isClassic() ? new int[] {width, height} : style.look().framing().size(rng, width, height);
    QueryKind drawn = drawKind(rng);
    QueryKind k = kind == null ? drawn : kind;
    for (int attempt = 0; attempt < MAX_SCENES; attempt++) {
      Layout layout = layout(rng, k == QueryKind.AMBIGUOUS && attempt % 2 == 1, size[0], size[1]);
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

  private Layout layout(SplittableRandom rng, boolean duplicate, int w, int h) {
    if (style.isClassic()) {
      Layout l = Layout.random(rng, w, h, duplicate);
      return l.objects.size() >= 2 ? l : null;
    }
    Layout l = Layout.random(rng, w, h, duplicate, style.look().backdrop().draw(rng));
    return l.objects.size() >= 2 ? Staging.stage(l, style.look(), rng) : null;
  }

  private Sample assemble(long index, QueryKind kind, Layout layout, Query q, java.awt.image.BufferedImage image) {
    int width = layout.width;
    int height = layout.height;
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
