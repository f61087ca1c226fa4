package io.llavaseg.model.segmenter;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.ArgumentsUtil;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.llavaseg.model.BinaryMask;
import java.util.Map;

/**
 * Turns a {@link SegmenterInput} into the network's inputs (letterboxed image with coordinate
 * channels, bags of words of description and attributes) and its logits into a {@link
 * MaskPrediction} at the input's size. Images from 1 px to any size and aspect ratio are accepted
 * (quality is meant for 64..4096 px per side); unknown words become {@code <unk>}, so an
 * out-of-vocabulary prompt yields whatever the network learned for unknown targets (an empty or
 * low-score mask), never an exception. Batches stack (use {@code Predictor.batchPredict}).
 * Non-finite logits raise {@link NonFiniteLogitsException} so that the caller can run the pass
 * again (see {@link DjlSegmenter}).
 */
public final class SegmenterTranslator implements Translator<SegmenterInput, MaskPrediction> {
  private static final String GEOMETRY = "letterbox";

  private final int size;
  private final float threshold;
  private final float logitThreshold;
  private final PromptVocabulary vocabulary;
  private final boolean flipAverage;

  private SegmenterTranslator(Builder b) {
    this.flipAverage = b.flipAverage;
    this.size = b.size;
    this.threshold = b.threshold;
    this.logitThreshold = (float) Math.log(b.threshold / (1.0 - b.threshold));
    this.vocabulary = b.vocabulary;
  }

  @Override
  public NDList processInput(TranslatorContext ctx, SegmenterInput input) {
    Letterbox box = Letterbox.of(size, input.image().getWidth(), input.image().getHeight());
    geometries(ctx).addLast(box);
    NDManager m = ctx.getNDManager();
    NDList in = new NDList(
        m.create(box.toInput(input.image()), new Shape(SegmenterConfig.INPUT_CHANNELS, size, size)),
        m.create(vocabulary.bag(input.description())),
        m.create(vocabulary.bag(input.attributes())));
    if (flipAverage) {
      // the mirrored view's prompt: its left is the image's right
      in.add(m.create(vocabulary.bag(mirrored(input.attributes()))));
    }
    return in;
  }

  private static final java.util.regex.Pattern LEFT_OR_RIGHT =
      java.util.regex.Pattern.compile("(?i)\\b(left|right)\\b");

  /** The text with the words "left" and "right" swapped (the prompt of the mirrored image). */
  public static String mirrored(String text) {
    StringBuilder out = new StringBuilder();
    java.util.regex.Matcher w = LEFT_OR_RIGHT.matcher(text);
    while (w.find()) {
      String word = w.group(1);
      String swapped = word.equalsIgnoreCase("left") ? "right" : "left";
      w.appendReplacement(out, Character.isUpperCase(word.charAt(0))
          ? Character.toUpperCase(swapped.charAt(0)) + swapped.substring(1) : swapped);
    }
    w.appendTail(out);
    return out.toString();
  }

  /** Whether each image also runs mirrored, its logits averaged in (argument {@code flipAverage}). */
  public boolean flipAverage() {
    return flipAverage;
  }

  @Override
  public MaskPrediction processOutput(TranslatorContext ctx, NDList list) {
    // DJL's batch path calls processInput for every input, then processOutput for every output, in
    // order, on one context: each output takes the geometry of its own input (images of a batch may
    // differ in size: one attachment would give every mask the last image's size)
    Letterbox box = geometries(ctx).pollFirst();
    if (box == null) {
      throw new IllegalStateException("an output without its input's geometry");
    }
    float[] logits = list.get(0).toFloatArray();
    for (float l : logits) {
      if (!Float.isFinite(l)) {
        throw new NonFiniteLogitsException("non-finite mask logits");
      }
    }
    BinaryMask mask = box.toMask(logits, logitThreshold);
    int[] bbox = mask.bbox();
    boolean empty = bbox[2] == 0;
    return new MaskPrediction(mask, empty ? 0f : box.score(logits, logitThreshold), bbox);
  }

  @SuppressWarnings("unchecked")
  private static java.util.ArrayDeque<Letterbox> geometries(TranslatorContext ctx) {
    Object q = ctx.getAttachment(GEOMETRY);
    if (q == null) {
      q = new java.util.ArrayDeque<Letterbox>();
      ctx.setAttachment(GEOMETRY, q);
    }
    return (java.util.ArrayDeque<Letterbox>) q;
  }

  @Override
  public Batchifier getBatchifier() {
    return Batchifier.STACK;
  }

  public int size() {
    return size;
  }

  public float threshold() {
    return threshold;
  }

  public PromptVocabulary vocabulary() {
    return vocabulary;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads the translator's arguments (from {@code serving.properties}): {@code size} (default
   * 128), {@code threshold} (foreground probability, default 0.5), {@code flipAverage} (default
   * false: one pass; true: the network also sees the image mirrored left-right, with "left" and
   * "right" swapped in the attributes, and the two logit maps are averaged, at twice the compute).
   * The vocabulary must be set by the caller (the factory reads the folder's {@code vocabulary}
   * file).
   */
  public static Builder builder(Map<String, ?> args) {
    return new Builder()
        .optSize(ArgumentsUtil.intValue(args, "size", 128))
        .optThreshold(ArgumentsUtil.floatValue(args, "threshold", 0.5f))
        .optFlipAverage(ArgumentsUtil.booleanValue(args, "flipAverage", false));
  }

  /** Builds a {@link SegmenterTranslator}. */
  public static final class Builder {
    private int size = 128;
    private float threshold = 0.5f;
    private PromptVocabulary vocabulary = PromptVocabulary.shapeWorld();
    private boolean flipAverage;

    public Builder optFlipAverage(boolean flipAverage) {
      this.flipAverage = flipAverage;
      return this;
    }

    public Builder optSize(int size) {
      this.size = size;
      return this;
    }

    public Builder optThreshold(float threshold) {
      if (!(threshold > 0f && threshold < 1f)) {
        throw new IllegalArgumentException("threshold must be in (0, 1): " + threshold);
      }
      this.threshold = threshold;
      return this;
    }

    public Builder setVocabulary(PromptVocabulary vocabulary) {
      this.vocabulary = vocabulary;
      return this;
    }

    public SegmenterTranslator build() {
      return new SegmenterTranslator(this);
    }
  }
}
