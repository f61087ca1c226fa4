package io.llavaseg.model.lisa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.llavaseg.model.reasoner.ReasonerBlock;
import io.llavaseg.model.reasoner.ReasonerConfig;
import io.llavaseg.model.segmenter.SegmenterConfig;
import io.llavaseg.model.segmenter.SegmenterNet;

/**
 * LISA's design on this project's models: the reasoner ({@link ReasonerBlock}, its vocabulary holding
 * a {@code <seg>} token), a {@link SegProjection} of the {@code <seg>} token's final hidden state,
 * and the segmenter's U-Net ({@link SegmenterNet}) prompted by that projection instead of by its text
 * encoder (whose weights stay in the network, unused, so that a served segmenter's folder loads
 * into it as it is). The children are run by the caller ({@link #reasoner()} for the reply, {@link
 * #maskLogits} for the mask); there is no single forward pass.
 */
public final class LisaBlock extends AbstractBlock {
  private final ReasonerBlock reasoner;
  private final SegProjection projection;
  private final SegmenterNet segmenter;

  public LisaBlock(ReasonerConfig reasonerConfig, SegmenterConfig segmenterConfig) {
    reasoner = addChildBlock("reasoner", new ReasonerBlock(reasonerConfig));
    projection = addChildBlock("segProjection", new SegProjection(reasonerConfig.dModel(), segmenterConfig.promptDim()));
    segmenter = addChildBlock("segmenter", new SegmenterNet(segmenterConfig));
  }

  public ReasonerBlock reasoner() {
    return reasoner;
  }

  public SegmenterNet segmenter() {
    return segmenter;
  }

  public SegProjection projection() {
    return projection;
  }

  /** Mask logits (B,1,S,S) of the segmenter's inputs (B,5,S,S) prompted by {@code <seg>} states (B,d). */
  public NDArray maskLogits(ParameterStore ps, NDArray segmenterImages, NDArray segStates, boolean training) {
    NDArray prompt = projection.forward(ps, new NDList(segStates), training).head();
    return segmenter.maskLogits(ps, segmenterImages, prompt, training);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    throw new UnsupportedOperationException("run reasoner() for the reply and maskLogits() for the mask");
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[0];
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    reasoner.initializeAll(manager);
    projection.initialize(manager, dataType, new Shape(1, reasoner.config().dModel()));
    SegmenterConfig sc = segmenter.config();
    int s = sc.size();
    segmenter.initialize(manager, dataType, new Shape(1, SegmenterConfig.INPUT_CHANNELS, s, s),
        new Shape(1, sc.vocabSize()), new Shape(1, sc.vocabSize()));
  }

  /** Initialises every parameter (fresh); loading a folder or copying weights comes after. */
  public void initializeAll(NDManager manager) {
    initialize(manager, DataType.FLOAT32, new Shape(1));
  }
}
