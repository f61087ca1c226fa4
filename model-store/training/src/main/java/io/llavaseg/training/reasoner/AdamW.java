package io.llavaseg.training.reasoner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Adam with decoupled weight decay over a fixed list of parameters, with its moments held here so
 * that a checkpoint can save and restore them ({@link #state}, {@link #restore}); DJL's own
 * optimizers keep their state private. Updates run in place, outside gradient recording, and zero
 * the gradients afterwards. Parameters without a gradient (BatchNorm statistics) are not included.
 * Temporaries live in a per-call sub-manager (results of operations on long-lived arrays are
 * attached to it explicitly), so nothing accumulates on the model's manager.
 */
public final class AdamW {
  private final List<Parameter> params;
  private final NDManager manager;
  private final List<NDArray> m = new ArrayList<>();
  private final List<NDArray> v = new ArrayList<>();
  private final float beta1 = 0.9f;
  private final float beta2 = 0.98f;
  private final float eps = 1e-8f;
  private final float weightDecay;
  private long t;

  public AdamW(List<Parameter> params, NDManager manager, float weightDecay) {
    this.params = List.copyOf(params);
    this.manager = manager;
    this.weightDecay = weightDecay;
    for (Parameter p : this.params) {
      m.add(manager.zeros(p.getArray().getShape()));
      v.add(manager.zeros(p.getArray().getShape()));
    }
  }

  private static NDArray own(NDArray a, NDManager tmp) {
    a.attach(tmp);
    return a;
  }

  /** The global L2 norm of all gradients (one synchronisation); non-finite when any gradient is. */
  public double gradientNorm() {
    try (NDManager tmp = manager.newSubManager()) {
      NDArray total = null;
      for (Parameter p : params) {
        NDArray g = own(p.getArray().getGradient(), tmp);
        NDArray s = g.square().sum();
        total = total == null ? s : total.add(s);
      }
      return total == null ? 0 : Math.sqrt(total.getFloat());
    }
  }

  /** Zeroes every gradient without updating (a skipped step); NaN gradients too. */
  public void zeroGradients() {
    try (NDManager tmp = manager.newSubManager()) {
      for (Parameter p : params) {
        own(p.getArray().getGradient(), tmp).set(new NDIndex(":"), 0f);
      }
    }
  }

  public void step(float lr, Predicate<Parameter> enabled) {
    step(lr, 1f, enabled);
  }

  /** One update with gradients multiplied by {@code gradScale} (clipping); disabled parameters keep values and moments. */
  public void step(float lr, float gradScale, Predicate<Parameter> enabled) {
    t++;
    float c1 = (float) (1 - Math.pow(beta1, t));
    float c2 = (float) (1 - Math.pow(beta2, t));
    for (int i = 0; i < params.size(); i++) {
      Parameter p = params.get(i);
      NDArray w = p.getArray();
      try (NDManager tmp = manager.newSubManager()) {
        NDArray raw = own(w.getGradient(), tmp);
        if (enabled.test(p)) {
          NDArray g = gradScale == 1f ? raw : raw.mul(gradScale);
          m.get(i).muli(beta1).addi(g.mul(1 - beta1));
          v.get(i).muli(beta2).addi(g.square().muli(1 - beta2));
          NDArray denom = own(v.get(i).div(c2), tmp).sqrt().addi(eps);
          NDArray update = own(m.get(i).div(c1), tmp).divi(denom);
          if (weightDecay > 0 && p.getType() == Parameter.Type.WEIGHT && w.getShape().dimension() > 1) {
            update.addi(own(w.mul(weightDecay), tmp));
          }
          w.subi(update.muli(lr));
        }
        raw.set(new NDIndex(":"), 0f);
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

  /** Copies saved moments into this optimizer's own arrays. */
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
