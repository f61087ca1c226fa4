package io.llavaseg.model.segmenter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The attribute-prompted segmenter: a U-Net over RGB + x/y coordinate channels in which the prompt
 * vector (from {@link PromptEncoderBlock}) modulates every level of the encoder, the bottleneck
 * and every level of the decoder (FiLM, LLaVASeg's multi-scale prompting). It is built for a CPU
 * budget: one convolution per encoder and decoder stage (two in the bottleneck) and a decoder
 * narrower than the encoder ({@link SegmenterConfig#decoderChannels()}), so the full-resolution
 * stages stay thin. Inputs: {@code [image
 * (B, 5, S, S), description bag (B, V), attributes bag (B, V)]}; output: mask logits {@code (B, 1,
 * S, S)}. Upsampling is nearest-neighbour repeat then convolution ({@code Conv2dTranspose} is not
 * implemented on DJL's PyTorch engine). It does not resize: the translator letterboxes to S.
 */
public final class SegmenterNet extends AbstractBlock {
  private static final byte VERSION = 1;

  private final SegmenterConfig config;
  private final PromptEncoderBlock text;
  private final List<FilmConvUnit> encoder = new ArrayList<>();
  private final FilmConvUnit bottleneck;
  private final List<FilmConvUnit> decoder = new ArrayList<>();
  private final Conv2d head;

  public SegmenterNet(SegmenterConfig config) {
    super(VERSION);
    this.config = config;
    int[] ch = config.channels();
    int levels = ch.length - 1;
    text = addChildBlock("text", new PromptEncoderBlock(config.embedDim(), config.promptDim()));
    for (int i = 0; i < levels; i++) {
      encoder.add(addChildBlock("enc" + i, new FilmConvUnit(ch[i], 1)));
    }
    bottleneck = addChildBlock("mid", new FilmConvUnit(ch[levels], 2));
    int[] dec = config.decoderChannels();
    for (int i = levels - 1; i >= 0; i--) {
      decoder.add(addChildBlock("dec" + i, new FilmConvUnit(dec[i], 1)));
    }
    head =
        addChildBlock(
            "head", Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(1).build());
  }

  public SegmenterConfig config() {
    return config;
  }

  /**
   * With a fourth input (the attributes bag of the mirrored view, see {@link
   * SegmenterTranslator#flipAverage()}), the images also run mirrored left-right in the same pass
   * (their coordinate channels kept, so the network sees a mirrored scene in standard
   * coordinates), and the mirrored logits, flipped back, are averaged with the direct ones.
   */
  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    if (inputs.size() < 4) {
      return pass(ps, inputs, training);
    }
    NDArray image = inputs.get(0);
    long b = image.getShape().get(0);
    NDArray mirrored = image.get(":, 0:3").flip(3).concat(image.get(":, 3:"), 1);
    NDArray logits = pass(ps, new NDList(image.concat(mirrored, 0), inputs.get(1).concat(inputs.get(1), 0),
        inputs.get(2).concat(inputs.get(3), 0)), training).head();
    NDArray direct = logits.get("0:" + b);
    NDArray back = logits.get(b + ":").flip(3);
    return new NDList(direct.add(back).div(2f));
  }

  private NDList pass(ParameterStore ps, NDList inputs, boolean training) {
    NDArray prompt =
        text.forward(ps, new NDList(inputs.get(1), inputs.get(2)), training).singletonOrThrow();
    return new NDList(maskLogits(ps, inputs.get(0), prompt, training));
  }

  /**
   * Mask logits (B,1,S,S) of images (B,5,S,S) prompted by prompt vectors (B, promptDim) given
   * directly instead of through the text encoder: how a LISA-style model prompts this network with a
   * projected {@code <seg>} hidden state (one pass, no flip averaging: a vector has no left and right
   * words to swap).
   */
  public NDArray maskLogits(ParameterStore ps, NDArray image, NDArray prompt, boolean training) {
    NDArray x = image;
    List<NDArray> skips = new ArrayList<>();
    for (FilmConvUnit unit : encoder) {
      x = unit.forward(ps, new NDList(x, prompt), training).singletonOrThrow();
      skips.add(x);
      x = Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
    }
    x = bottleneck.forward(ps, new NDList(x, prompt), training).singletonOrThrow();
    for (int j = 0; j < decoder.size(); j++) {
      NDArray skip = skips.get(skips.size() - 1 - j);
      x = upsample2(x).concat(skip, 1);
      x = decoder.get(j).forward(ps, new NDList(x, prompt), training).singletonOrThrow();
    }
    return head.forward(ps, new NDList(x), training).singletonOrThrow();
  }

  /**
   * Nearest-neighbour 2x upsampling by reshape and broadcast. ({@code NDArray.repeat} is avoided:
   * its backward pass on DJL 0.36's PyTorch engine returned NaN gradients here.)
   */
  static NDArray upsample2(NDArray x) {
    Shape s = x.getShape();
    long b = s.get(0);
    long c = s.get(1);
    long h = s.get(2);
    long w = s.get(3);
    return x.reshape(b, c, h, 1, w, 1).broadcast(new Shape(b, c, h, 2, w, 2)).reshape(b, c, 2 * h, 2 * w);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {new Shape(in.get(0), 1, in.get(2), in.get(3))};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape in = inputShapes[0];
    long b = in.get(0);
    long h = in.get(2);
    long w = in.get(3);
    text.initialize(manager, dataType, inputShapes[1], inputShapes[2]);
    Shape prompt = new Shape(b, config.promptDim());
    int[] ch = config.channels();
    long c = in.get(1);
    for (int i = 0; i < encoder.size(); i++) {
      encoder.get(i).initialize(manager, dataType, new Shape(b, c, h >> i, w >> i), prompt);
      c = ch[i];
    }
    int levels = encoder.size();
    bottleneck.initialize(manager, dataType, new Shape(b, c, h >> levels, w >> levels), prompt);
    c = ch[levels];
    int[] dec = config.decoderChannels();
    for (int j = 0; j < decoder.size(); j++) {
      int level = levels - 1 - j;
      Shape s = new Shape(b, c + ch[level], h >> level, w >> level);
      decoder.get(j).initialize(manager, dataType, s, prompt);
      c = dec[level];
    }
    head.initialize(manager, dataType, new Shape(b, c, h, w));
  }
}
