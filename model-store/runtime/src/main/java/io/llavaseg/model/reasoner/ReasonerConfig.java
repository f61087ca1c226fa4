package io.llavaseg.model.reasoner;

import java.util.Arrays;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Architecture of the ShapeWorld reasoner, stored in a model folder's {@code serving.properties}
 * (keys {@code reasoner.*}) so that the folder alone describes how to rebuild the network.
 *
 * <p>Defaults: a 96 px input image (resized, aspect ratio not kept: the 3x3 location grid is
 * defined on the image's own thirds), a CNN with stage widths {@code 24,32,64,128} (each stage
 * halves the resolution, so 96 px gives a 6x6 grid of visual tokens, whose cells line up with the
 * 3x3 location grid), a 4-layer pre-LayerNorm decoder with {@code d=128}, 4 heads, FFN 256, and at
 * most 64 text positions (prompt plus reply).
 *
 * @param imageSize side of the square image the encoder sees, in pixels
 * @param channels CNN stage widths; the grid side is {@code imageSize / 2^channels.length}
 * @param dModel decoder width
 * @param heads attention heads
 * @param layers decoder layers
 * @param ffn hidden width of each layer's feed-forward block
 * @param maxText text positions (prompt, separator, reply and stop token)
 * @param vocabSize number of tokens of the vocabulary
 * @param symbolicTokens whether each visual token also carries the vision encoder's own per-cell
 *     predictions (the softmax of every auxiliary head, projected into the decoder's space): the
 *     decoder can then match words like "yellow" or "heart" against what the encoder saw in each
 *     cell instead of learning that binding from raw features. Absent from a folder: false.
 * @param pointerHead whether the block has the training-only pointer head: a bilinear score between
 *     the decoder's state at the end of a prompt and every visual token, trained to pick the cell of
 *     the object the prompt is about (a grounding loss; unused at inference unless pointerReadout)
 * @param pointerReadout whether every text position also reads the visual tokens through the pointer
 *     head (a copy mechanism, as in pointer networks): the pointer's softmax over the cells weights
 *     the visual embeddings, and their sum, projected, is added to the decoder's final state before
 *     the vocabulary head. The word after "size:" or "location:" can then come from the very cell the
 *     grounding loss taught the pointer to pick. Needs {@code pointerHead}; the projection starts at
 *     zero, so a folder trained without it starts out unchanged.
 * @param countTokens whether the visual prefix ends with {@link #COUNT_TOKENS} count tokens, one
 *     per class the dialogue counts (all objects, each colour, each shape): the vision encoder's
 *     expected number of objects of that class (the sum over cells of occupancy times the class
 *     probability, without gradient, like the symbolic tokens), softly binned onto 0..{@value
 *     #COUNT_BINS}-1 and projected, plus a learned embedding of the class, so that the decoder reads
 *     counts instead of adding up cells with softmax attention. Absent from a folder: false.
 * @param countPointer whether the pointer (and so its readout) chooses among the count tokens as
 *     well as the cells: the words of a count answer ("There are 4 triangles.") and of a
 *     description's header are trained to point at the count token of the class they count, so the
 *     number comes from that token itself. Needs {@code countTokens} and {@code pointerReadout}; adds
 *     no parameters. Absent from a folder: false (the pointer chooses among cells only).
 * @param pointerFeed whether each reply token enters the decoder with what the pointer chose when it
 *     was predicted (input feeding): the pointer also has a "nothing" key, trained at every reply
 *     position whose word is about no cell or count token (separators, full stops, "none"), and the
 *     key chosen at position t-1, projected, is added to the embedding of token t. A description's
 *     earlier words then carry which objects they named, so the state before the next phrase can
 *     tell two identical "small blue diamond"s apart and go on to the next object instead of naming
 *     one twice. Prompt tokens enter with the nothing key. Needs {@code pointerReadout}; the
 *     projection starts at zero, so a folder trained without it starts out unchanged. Absent from a
 *     folder: false.
 */
public record ReasonerConfig(
    int imageSize, int[] channels, int dModel, int heads, int layers, int ffn, int maxText, int vocabSize,
    boolean symbolicTokens, boolean pointerHead, boolean pointerReadout, boolean countTokens,
    boolean countPointer, boolean pointerFeed) {

  /** Per-cell auxiliary classes: occupancy (2), colour (11), shape (8), size (3), location (9). */
  public static final int[] AUX_CLASSES = {2, 11, 8, 3, 9};

  /** Count tokens of a prefix with {@code countTokens}: all objects, then each colour, then each shape. */
  public static final int COUNT_TOKENS = 1 + AUX_CLASSES[1] + AUX_CLASSES[2];

  /** The count class of all objects: count token 0. */
  public static final int COUNT_ALL = 0;

  /** Soft bins of a count token's value: 0, 1, ..., COUNT_BINS - 1 (the last also takes anything larger). */
  public static final int COUNT_BINS = 8;

  public ReasonerConfig {
    channels = channels.clone();
    if (imageSize % (1 << channels.length) != 0) {
      throw new IllegalArgumentException("imageSize " + imageSize + " not divisible by 2^" + channels.length);
    }
    if (dModel % heads != 0) {
      throw new IllegalArgumentException("dModel " + dModel + " not divisible by heads " + heads);
    }
    if (countTokens && !symbolicTokens) {
      throw new IllegalArgumentException("countTokens needs symbolicTokens");
    }
    if (pointerReadout && !pointerHead) {
      throw new IllegalArgumentException("pointerReadout needs pointerHead");
    }
    if (countPointer && !(countTokens && pointerReadout)) {
      throw new IllegalArgumentException("countPointer needs countTokens and pointerReadout");
    }
    if (pointerFeed && !pointerReadout) {
      throw new IllegalArgumentException("pointerFeed needs pointerReadout");
    }
  }

  /**
   * The architecture new training runs use: {@link #v2}'s (a 192 px input through five CNN stages to
   * the same 6x6 grid, symbolic visual tokens, the pointer head) with every later switch on: pointer
   * readout, count tokens, count pointer and pointer feed. The model cards in {@code model-store/}
   * and {@code docs/models/} say which version introduced which, and what it measured.
   */
  public static ReasonerConfig defaults(int vocabSize) {
    return v2(vocabSize).withPointerReadout(true).withCountTokens(true).withCountPointer(true).withPointerFeed(true);
  }

  /** The v2 architecture: 192 px, five CNN stages, symbolic tokens, pointer head used in training only. */
  public static ReasonerConfig v2(int vocabSize) {
    return new ReasonerConfig(192, new int[] {16, 24, 32, 64, 128}, 128, 4, 4, 256, 64, vocabSize, true, true, false, false, false, false);
  }

  /** The v1 architecture: 96 px, four CNN stages, raw visual features only. */
  public static ReasonerConfig v1(int vocabSize) {
    return new ReasonerConfig(96, new int[] {24, 32, 64, 128}, 128, 4, 4, 256, 64, vocabSize, false, false, false, false, false, false);
  }

  /** This architecture with or without the pointer readout (without, it has no count pointer or feed either). */
  public ReasonerConfig withPointerReadout(boolean readout) {
    return new ReasonerConfig(imageSize, channels, dModel, heads, layers, ffn, maxText, vocabSize, symbolicTokens,
        pointerHead, readout, countTokens, countPointer && readout, pointerFeed && readout);
  }

  /** This architecture with or without count tokens (without, it has no count pointer either). */
  public ReasonerConfig withCountTokens(boolean counts) {
    return new ReasonerConfig(imageSize, channels, dModel, heads, layers, ffn, maxText, vocabSize, symbolicTokens,
        pointerHead, pointerReadout, counts, countPointer && counts, pointerFeed);
  }

  public ReasonerConfig withCountPointer(boolean point) {
    return new ReasonerConfig(imageSize, channels, dModel, heads, layers, ffn, maxText, vocabSize, symbolicTokens,
        pointerHead, pointerReadout, countTokens, point, pointerFeed);
  }

  public ReasonerConfig withPointerFeed(boolean feed) {
    return new ReasonerConfig(imageSize, channels, dModel, heads, layers, ffn, maxText, vocabSize, symbolicTokens,
        pointerHead, pointerReadout, countTokens, countPointer, feed);
  }

  /** Side of the visual token grid. */
  public int grid() {
    return imageSize >> channels.length;
  }

  /** Number of visual prefix tokens. */
  public int visualTokens() {
    return grid() * grid();
  }

  /** Positions of the image prefix: the visual tokens, then the count tokens if any. */
  public int prefixTokens() {
    return visualTokens() + (countTokens ? COUNT_TOKENS : 0);
  }

  /**
   * What the pointer chooses among: the visual tokens, then the count tokens with {@code
   * countPointer}, then the nothing key with {@code pointerFeed}.
   */
  public int pointerKeys() {
    return visualTokens() + (countPointer ? COUNT_TOKENS : 0) + (pointerFeed ? 1 : 0);
  }

  /** The pointer's nothing key (the last, {@code pointerFeed} only): what a word about no object points at. */
  public int nothingKey() {
    if (!pointerFeed) {
      throw new IllegalStateException("this architecture has no nothing key");
    }
    return pointerKeys() - 1;
  }

  /** The pointer's key of the count token of class {@code countClass} (0 all, then colours, then shapes). */
  public int countKey(int countClass) {
    if (!countPointer) {
      throw new IllegalStateException("this architecture does not point at count tokens");
    }
    return visualTokens() + countClass;
  }

  public int visionWidth() {
    return channels[channels.length - 1];
  }

  public int headDim() {
    return dModel / heads;
  }

  public static int auxOutputs() {
    return Arrays.stream(AUX_CLASSES).sum();
  }

  public void store(Properties p) {
    p.setProperty("reasoner.imageSize", Integer.toString(imageSize));
    p.setProperty("reasoner.channels",
        Arrays.stream(channels).mapToObj(Integer::toString).collect(Collectors.joining(",")));
    p.setProperty("reasoner.dModel", Integer.toString(dModel));
    p.setProperty("reasoner.heads", Integer.toString(heads));
    p.setProperty("reasoner.layers", Integer.toString(layers));
    p.setProperty("reasoner.ffn", Integer.toString(ffn));
    p.setProperty("reasoner.maxText", Integer.toString(maxText));
    p.setProperty("reasoner.vocabSize", Integer.toString(vocabSize));
    p.setProperty("reasoner.symbolicTokens", Boolean.toString(symbolicTokens));
    p.setProperty("reasoner.pointerHead", Boolean.toString(pointerHead));
    p.setProperty("reasoner.pointerReadout", Boolean.toString(pointerReadout));
    p.setProperty("reasoner.countTokens", Boolean.toString(countTokens));
    p.setProperty("reasoner.countPointer", Boolean.toString(countPointer));
    p.setProperty("reasoner.pointerFeed", Boolean.toString(pointerFeed));
  }

  /** Reads the keys written by {@link #store}; missing keys take the v1 values. */
  public static ReasonerConfig from(Properties p) {
    ReasonerConfig d = v1(0);
    int[] ch = d.channels;
    String chs = p.getProperty("reasoner.channels");
    if (chs != null) {
      ch = Arrays.stream(chs.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
    }
    return new ReasonerConfig(
        intOf(p, "reasoner.imageSize", d.imageSize),
        ch,
        intOf(p, "reasoner.dModel", d.dModel),
        intOf(p, "reasoner.heads", d.heads),
        intOf(p, "reasoner.layers", d.layers),
        intOf(p, "reasoner.ffn", d.ffn),
        intOf(p, "reasoner.maxText", d.maxText),
        intOf(p, "reasoner.vocabSize", 0),
        Boolean.parseBoolean(p.getProperty("reasoner.symbolicTokens", "false").strip()),
        Boolean.parseBoolean(p.getProperty("reasoner.pointerHead", "false").strip()),
        Boolean.parseBoolean(p.getProperty("reasoner.pointerReadout", "false").strip()),
        Boolean.parseBoolean(p.getProperty("reasoner.countTokens", "false").strip()),
        Boolean.parseBoolean(p.getProperty("reasoner.countPointer", "false").strip()),
        Boolean.parseBoolean(p.getProperty("reasoner.pointerFeed", "false").strip()));
  }

  private static int intOf(Properties p, String key, int def) {
    String v = p.getProperty(key);
    return v == null ? def : Integer.parseInt(v.strip());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReasonerConfig c
        && c.imageSize == imageSize
        && Arrays.equals(c.channels, channels)
        && c.dModel == dModel
        && c.heads == heads
        && c.layers == layers
        && c.ffn == ffn
        && c.maxText == maxText
        && c.vocabSize == vocabSize
        && c.symbolicTokens == symbolicTokens
        && c.pointerHead == pointerHead
        && c.pointerReadout == pointerReadout
        && c.countTokens == countTokens
        && c.countPointer == countPointer
        && c.pointerFeed == pointerFeed;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new int[] {imageSize, Arrays.hashCode(channels), dModel, heads, layers, ffn, maxText, vocabSize, symbolicTokens ? 1 : 0, pointerHead ? 1 : 0, pointerReadout ? 1 : 0, countTokens ? 1 : 0, countPointer ? 1 : 0, pointerFeed ? 1 : 0});
  }

  @Override
  public String toString() {
    return "ReasonerConfig[imageSize=" + imageSize + ", channels=" + Arrays.toString(channels) + ", dModel="
        + dModel + ", heads=" + heads + ", layers=" + layers + ", ffn=" + ffn + ", maxText=" + maxText
        + ", vocabSize=" + vocabSize + ", symbolicTokens=" + symbolicTokens + ", pointerHead=" + pointerHead
        + ", pointerReadout=" + pointerReadout + ", countTokens=" + countTokens + ", countPointer=" + countPointer
        + ", pointerFeed=" + pointerFeed + "]";
  }
}
