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
import java.util.ArrayList;
import java.util.List;

/**
 * One U-Net stage: one or two 3x3 convolutions with batch norm, the last one modulated by the
 * prompt (FiLM: {@code x * (1 + gamma) + beta}, gamma and beta a linear function of the prompt
 * vector), each followed by ReLU. Inputs: {@code [features (B, C, H, W), prompt (B, P)]}; output:
 * {@code (B, out, H, W)}. The FiLM weights start near zero, so an untrained unit starts as a plain
 * conv unit.
 */
final class FilmConvUnit extends AbstractBlock {
  private static final byte VERSION = 1;

  private final int out;
  private final List<Conv2d> convs = new ArrayList<>();
  private final List<BatchNorm> norms = new ArrayList<>();
  private final Linear film;

  FilmConvUnit(int out, int layers) {
    super(VERSION);
    if (layers < 1) {
      throw new IllegalArgumentException("a unit has at least one convolution");
    }
    this.out = out;
    for (int i = 1; i <= layers; i++) {
      convs.add(addChildBlock("conv" + i, conv(out)));
      norms.add(addChildBlock("bn" + i, BatchNorm.builder().build()));
    }
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
    int last = convs.size() - 1;
    for (int i = 0; i <= last; i++) {
      x = convs.get(i).forward(ps, new NDList(x), training).singletonOrThrow();
      x = norms.get(i).forward(ps, new NDList(x), training).singletonOrThrow();
      if (i == last) {
        NDArray gb = film.forward(ps, new NDList(prompt), training).singletonOrThrow();
        long b = gb.getShape().get(0);
        NDArray gamma = gb.get(":, :" + out).reshape(b, out, 1, 1);
        NDArray beta = gb.get(":, " + out + ":").reshape(b, out, 1, 1);
        x = x.mul(gamma.add(1f)).add(beta);
      }
      x = Activation.relu(x);
    }
    return new NDList(x);
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
    for (int i = 0; i < convs.size(); i++) {
      convs.get(i).initialize(manager, dataType, i == 0 ? in : mid);
      norms.get(i).initialize(manager, dataType, mid);
    }
    film.initialize(manager, dataType, inputShapes[1]);
  }
}
