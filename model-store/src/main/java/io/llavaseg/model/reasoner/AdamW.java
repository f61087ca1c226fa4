package io.llavaseg.model.reasoner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam with decoupled weight decay over a fixed list of parameters, with its moments held here so
 * that a checkpoint can save and restore them ({@link #state}, {@link #restore}); DJL's own
 * optimizers keep their state private. Updates run in place, outside gradient recording, and zero
 * the gradients afterwards. Parameters without a gradient (BatchNorm statistics) are not included.
 */
public final class AdamW {
  private final List<Parameter> params;
  private final List<NDArray> m = new ArrayList<>();
  private final List<NDArray> v = new ArrayList<>();
  private final float beta1 = 0.9f;
  private final float beta2 = 0.98f;
  private final float eps = 1e-8f;
  private final float weightDecay;
  private long t;

  public AdamW(List<Parameter> params, NDManager manager, float weightDecay) {
    this.params = List.copyOf(params);
    this.weightDecay = weightDecay;
    for (Parameter p : this.params) {
      m.add(manager.zeros(p.getArray().getShape()));
      v.add(manager.zeros(p.getArray().getShape()));
    }
  }

  /**
   * One update with learning rate {@code lr} of the parameters for which {@code enabled} is true
   * (the others keep their moments and values); gradients of all parameters are zeroed.
   */
  public void step(float lr, java.util.function.Predicate<Parameter> enabled) {
    step(lr, 1f, enabled);
  }

  /**
   * The global L2 norm of all gradients (one synchronisation); non-finite when any gradient is.
   */
  public double gradientNorm() {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray total = null;
      for (Parameter p : params) {
        NDArray g = p.getArray().getGradient();
        NDArray s = g.square().sum();
        total = total == null ? s : total.add(s);
      }
      return total == null ? 0 : Math.sqrt(total.getFloat());
    }
  }

  /** Zeroes every gradient without updating (a skipped step). */
  public void zeroGradients() {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (Parameter p : params) {
        NDArray g = p.getArray().getGradient();
        // in place in the engine's memory (subtracting would keep NaN; set(Buffer) would swap the
        // gradient's storage for a Java buffer that dies with this wrapper)
        g.set(new NDIndex(":"), 0f);
      }
    }
  }

  /** As {@link #step(float, java.util.function.Predicate)} with gradients multiplied by {@code gradScale} (clipping). */
  public void step(float lr, float gradScale, java.util.function.Predicate<Parameter> enabled) {
    t++;
    float c1 = (float) (1 - Math.pow(beta1, t));
    float c2 = (float) (1 - Math.pow(beta2, t));
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      update(lr, gradScale, c1, c2, enabled);
    }
  }

  private void update(float lr, float gradScale, float c1, float c2, java.util.function.Predicate<Parameter> enabled) {
    for (int i = 0; i < params.size(); i++) {
      Parameter p = params.get(i);
      NDArray w = p.getArray();
      try (NDArray raw = w.getGradient()) {
        NDArray g = gradScale == 1f ? raw : raw.mul(gradScale);
        if (enabled.test(p)) {
          m.get(i).muli(beta1).addi(g.mul(1 - beta1));
          v.get(i).muli(beta2).addi(g.square().muli(1 - beta2));
          NDArray update = m.get(i).div(c1).divi(v.get(i).div(c2).sqrt().addi(eps));
          if (weightDecay > 0 && p.getType() == Parameter.Type.WEIGHT && w.getShape().dimension() > 1) {
            update.addi(w.mul(weightDecay));
          }
          w.subi(update.muli(lr));
        }
        raw.subi(raw);
      }
    }
  }

  public long steps() {
    return t;
  }

  /** Moments, in parameter order: m0, v0, m1, v1, ...; and the step count in {@link #steps()}. */
  public NDList state() {
    NDList s = new NDList();
    for (int i = 0; i < params.size(); i++) {
      s.add(m.get(i));
      s.add(v.get(i));
    }
    return s;
  }

  public void restore(NDList state, long steps) {
    if (state.size() != 2 * params.size()) {
      throw new IllegalArgumentException("optimizer state has " + state.size() + " arrays, expected " + 2 * params.size());
    }
    for (int i = 0; i < params.size(); i++) {
      m.get(i).set(new NDIndex(":"), state.get(2 * i));
      v.get(i).set(new NDIndex(":"), state.get(2 * i + 1));
    }
    t = steps;
  }
}
