package io.llavaseg.model.reasoner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The vision encoder: a small CNN over RGB plus two coordinate channels (x and y in [-1, 1]), each
 * stage a stride-2 and a stride-1 3x3 convolution with BatchNorm and ReLU, giving one feature per
 * cell of a {@code grid x grid} map, returned as {@code (B, grid*grid, C)} visual tokens in
 * row-major order. A linear auxiliary head predicts, per cell, the occupancy, colour, shape, size
 * and location of the object whose centre lies in that cell (the dense pretraining signal that
 * stands in for CLIP); it is used in training only.
 *
 * <p>Input {@code (B, 3, S, S)} from {@link ImageInput}; output {@code [features, auxLogits]}.
 */
public final class VisionEncoder extends AbstractBlock {
  private final ReasonerConfig config;
  private final List<Conv2d> convs = new ArrayList<>();
  private final List<BatchNorm> norms = new ArrayList<>();
  private final Linear aux;

  public VisionEncoder(ReasonerConfig config) {
    this.config = config;
    int i = 0;
    for (int c : config.channels()) {
      for (int stride : new int[] {2, 1}) {
        convs.add(addChildBlock("conv" + i, Conv2d.builder()
            .setKernelShape(new Shape(3, 3)).setFilters(c)
            .optStride(new Shape(stride, stride)).optPadding(new Shape(1, 1)).optBias(false).build()));
        norms.add(addChildBlock("bn" + i, BatchNorm.builder().optMomentum(0.9f).build()));
        i++;
      }
    }
    aux = addChildBlock("aux", Linear.builder().setUnits(ReasonerConfig.auxOutputs()).build());
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = withCoordinates(inputs.head());
    for (int i = 0; i < convs.size(); i++) {
      x = convs.get(i).forward(ps, new NDList(x), training).head();
      x = norms.get(i).forward(ps, new NDList(x), training).head();
      x = Activation.relu(x);
    }
    long b = x.getShape().get(0);
    long c = x.getShape().get(1);
    NDArray tokens = x.reshape(b, c, -1).transpose(0, 2, 1);
    NDArray auxLogits = aux.forward(ps, new NDList(tokens), training).head();
    return new NDList(tokens, auxLogits);
  }

  private NDArray withCoordinates(NDArray image) {
    Shape s = image.getShape();
    long b = s.get(0);
    long h = s.get(2);
    long w = s.get(3);
    NDManager m = image.getManager();
    NDArray xs = m.linspace(-1f, 1f, (int) w).reshape(1, 1, 1, w).broadcast(b, 1, h, w);
    NDArray ys = m.linspace(-1f, 1f, (int) h).reshape(1, 1, h, 1).broadcast(b, 1, h, w);
    return NDArrays.concat(image, xs, ys);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long b = inputShapes[0].get(0);
    return new Shape[] {
      new Shape(b, config.visualTokens(), config.visionWidth()),
      new Shape(b, config.visualTokens(), ReasonerConfig.auxOutputs())
    };
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape s = inputShapes[0];
    long b = s.get(0);
    long h = s.get(2);
    long in = 5;
    int i = 0;
    for (int c : config.channels()) {
      for (int stride : new int[] {2, 1}) {
        convs.get(i).initialize(manager, dataType, new Shape(b, in, h, h));
        h = stride == 2 ? h / 2 : h;
        norms.get(i).initialize(manager, dataType, new Shape(b, c, h, h));
        in = c;
        i++;
      }
    }
    aux.initialize(manager, dataType, new Shape(b, config.visualTokens(), config.visionWidth()));
  }

  /** Concatenation along the channel axis. */
  private static final class NDArrays {
    static NDArray concat(NDArray a, NDArray b, NDArray c) {
      return new NDList(a, b, c).stream().reduce((p, q) -> p.concat(q, 1)).orElseThrow();
    }
  }
}
