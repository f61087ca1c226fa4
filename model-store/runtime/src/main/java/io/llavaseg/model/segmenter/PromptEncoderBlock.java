package io.llavaseg.model.segmenter;

import ai.djl.ndarray.NDArray;
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
 * The segmenter's own text encoder: a word embedding applied to the description's and the
 * attribute line's bags of words (an embedding bag, as a bias-free linear map of the bag; the two
 * segments share the embedding), concatenated, then a two-layer MLP to the prompt vector. Inputs:
 * {@code [description bag (B, V), attributes bag (B, V)]}; output {@code (B, promptDim)}. An empty
 * segment (all-zero bag) embeds to zero, which is how "no attributes" is expressed.
 */
final class PromptEncoderBlock extends AbstractBlock {
  private static final byte VERSION = 1;

  private final int embedDim;
  private final int promptDim;
  private final Linear embedding;
  private final Linear hidden;
  private final Linear output;

  PromptEncoderBlock(int embedDim, int promptDim) {
    super(VERSION);
    this.embedDim = embedDim;
    this.promptDim = promptDim;
    embedding = addChildBlock("embedding", Linear.builder().setUnits(embedDim).optBias(false).build());
    hidden = addChildBlock("hidden", Linear.builder().setUnits(promptDim).build());
    output = addChildBlock("output", Linear.builder().setUnits(promptDim).build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray desc = embedding.forward(ps, new NDList(inputs.get(0)), training).singletonOrThrow();
    NDArray attr = embedding.forward(ps, new NDList(inputs.get(1)), training).singletonOrThrow();
    NDArray x = desc.concat(attr, 1);
    x = Activation.relu(hidden.forward(ps, new NDList(x), training).singletonOrThrow());
    x = Activation.relu(output.forward(ps, new NDList(x), training).singletonOrThrow());
    return new NDList(x);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), promptDim)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long b = inputShapes[0].get(0);
    embedding.initialize(manager, dataType, inputShapes[0]);
    hidden.initialize(manager, dataType, new Shape(b, 2L * embedDim));
    output.initialize(manager, dataType, new Shape(b, promptDim));
  }
}
