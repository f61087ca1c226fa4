package io.llavaseg.model.segmenter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * One U-Net level: two 3x3 convolutions with batch norm, the second modulated by the prompt
 * (FiLM: {@code x * (1 + gamma) + beta}, gamma and beta a linear function of the prompt vector),
 * then ReLU. Inputs: {@code [features (B, C, H, W), prompt (B, P)]}; output: {@code (B, out, H,
 * W)}. The FiLM weights start near zero, so an untrained unit starts as a plain conv unit.
 */
final class FilmConvUnit extends AbstractBlock {
  private static final byte VERSION = 1;

  private final int out;
  private final Conv2d conv1;
  private final BatchNorm bn1;
  private final Conv2d conv2;
  private final BatchNorm bn2;
  private final Linear film;

  FilmConvUnit(int out) {
    super(VERSION);
    this.out = out;
    conv1 = addChildBlock("conv1", conv(out));
    bn1 = addChildBlock("bn1", BatchNorm.builder().build());
    conv2 = addChildBlock("conv2", conv(out));
    bn2 = addChildBlock("bn2", BatchNorm.builder().build());
    film = addChildBlock("film", Linear.builder().setUnits(2L * out).build());
    film.setInitializer(new NormalInitializer(0.01f), Parameter.Type.WEIGHT);
  }

  private static Conv2d conv(int filters) {
    return Conv2d.builder()
        .setKernelShape(new Shape(3, 3))
        .optPadding(new Shape(1, 1))
        .setFilters(filters)
        .optBias(false)
        .build();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray prompt = inputs.get(1);
    x = conv1.forward(ps, new NDList(x), training).singletonOrThrow();
    x = Activation.relu(bn1.forward(ps, new NDList(x), training).singletonOrThrow());
    x = conv2.forward(ps, new NDList(x), training).singletonOrThrow();
    x = bn2.forward(ps, new NDList(x), training).singletonOrThrow();
    NDArray gb = film.forward(ps, new NDList(prompt), training).singletonOrThrow();
    long b = gb.getShape().get(0);
    NDArray gamma = gb.get(":, :" + out).reshape(b, out, 1, 1);
    NDArray beta = gb.get(":, " + out + ":").reshape(b, out, 1, 1);
    x = x.mul(gamma.add(1f)).add(beta);
    return new NDList(Activation.relu(x));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {new Shape(in.get(0), out, in.get(2), in.get(3))};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape in = inputShapes[0];
    Shape mid = new Shape(in.get(0), out, in.get(2), in.get(3));
    conv1.initialize(manager, dataType, in);
    bn1.initialize(manager, dataType, mid);
    conv2.initialize(manager, dataType, mid);
    bn2.initialize(manager, dataType, mid);
    film.initialize(manager, dataType, inputShapes[1]);
  }
}
