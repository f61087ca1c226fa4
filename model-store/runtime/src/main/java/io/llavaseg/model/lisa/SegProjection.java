package io.llavaseg.model.lisa;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * LISA's {@code text_hidden_fcs} scaled down: the {@code <seg>} token's hidden state (B, d) through
 * Linear(d, d), ReLU, Linear(d, promptDim), then a ReLU, so that the result lies where the
 * segmenter's own text encoder puts its prompt vectors (that encoder ends in a ReLU too).
 */
public final class SegProjection extends AbstractBlock {
  private final int dModel;
  private final int promptDim;
  private final Linear hidden;
  private final Linear output;

  public SegProjection(int dModel, int promptDim) {
    this.dModel = dModel;
    this.promptDim = promptDim;
    hidden = addChildBlock("hidden", Linear.builder().setUnits(dModel).build());
    output = addChildBlock("output", Linear.builder().setUnits(promptDim).build());
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    var x = Activation.relu(hidden.forward(ps, inputs, training).head());
    return new NDList(Activation.relu(output.forward(ps, new NDList(x), training).head()));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), promptDim)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    hidden.initialize(manager, dataType, new Shape(1, dModel));
    output.initialize(manager, dataType, new Shape(1, dModel));
  }
}
