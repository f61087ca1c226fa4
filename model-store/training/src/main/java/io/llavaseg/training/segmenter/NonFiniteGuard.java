package io.llavaseg.training.segmenter;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps training alive through non-finite values. oneDNN's AVX-512 kernels (DJL 0.36 / PyTorch
 * 2.7.1) can produce NaN gradients on some CPUs; {@code ops/llavaseg} caps oneDNN with {@code
 * DNNL_MAX_CPU_ISA=AVX2}, and this guard is the second line of defence. It checks the gradients before each update; when they are
 * not finite it zeroes them in place (as Adam does after an update; DJL's collector does not zero
 * them, and zeroing by self-subtraction would keep NaN) and restores every parameter (batch norm's
 * running statistics included) from the last finite snapshot when one has become non-finite.
 * Snapshots are taken at checkpoints. Not thread-safe; float32 parameters on DJL's PyTorch engine
 * only.
 */
public final class NonFiniteGuard {
  private final List<Parameter> params = new ArrayList<>();
  private float[][] good;
  private int skipped;
  private String lastRecovery = "";

  public NonFiniteGuard(Block block) {
    for (Pair<String, Parameter> p : block.getParameters()) {
      params.add(p.getValue());
    }
    snapshot();
  }

  int skipped() {
    return skipped;
  }

  String lastRecovery() {
    return lastRecovery;
  }

  boolean gradientsFinite() {
    for (Parameter p : params) {
      if (!p.requiresGradient()) {
        continue;
      }
      try (NDArray g = p.getArray().getGradient(); NDArray s = g.sum()) {
        if (!Float.isFinite(s.getFloat())) {
          return false;
        }
      }
    }
    return true;
  }

  /** Zeroes the gradients; restores the parameters from the last snapshot if any is not finite. */
  void recover() {
    skipped++;
    for (Parameter p : params) {
      if (p.requiresGradient() && p.getArray() instanceof PtNDArray a && a.hasGradient()) {
        // in place, as Adam does after each update; never write a Java buffer into a gradient
        // through a short-lived handle (the tensor would keep pointing at the freed buffer)
        JniUtils.zeroGrad(a);
      }
    }
    if (!parametersFinite()) {
      restore();
      lastRecovery = "parameters restored from the last finite snapshot";
    } else {
      lastRecovery = "gradients zeroed, parameters intact";
    }
  }

  /** Takes a snapshot if every parameter is finite; otherwise restores the last one. */
  boolean snapshot() {
    if (!parametersFinite()) {
      restore();
      return false;
    }
    float[][] copy = new float[params.size()][];
    for (int i = 0; i < params.size(); i++) {
      copy[i] = params.get(i).getArray().toFloatArray();
    }
    good = copy;
    return true;
  }

  private boolean parametersFinite() {
    for (Parameter p : params) {
      try (NDArray s = p.getArray().sum()) {
        if (!Float.isFinite(s.getFloat())) {
          return false;
        }
      }
    }
    return true;
  }

  private void restore() {
    for (int i = 0; i < params.size(); i++) {
      params.get(i).getArray().set(FloatBuffer.wrap(good[i]));
    }
  }
}
