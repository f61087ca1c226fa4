package io.llavaseg.model.reasoner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The decoding rule of a model with the pointer feed ({@link ReasonerConfig#pointerFeed}): within
 * one reply, the pointer never goes back to a key it has left for another (the nothing key
 * excepted). The training replies' pointer labels have that shape: a target or attribute line
 * stays on one cell, a count on one count token, and an image description names each object in one
 * phrase and moves on (separators point at nothing); the exception is a description of two objects
 * whose centres share a grid cell (rare; {@code PointerCoverageTest} counts them), which the rule
 * gets wrong. It prevents a description from naming an object a second time (the pointer returning
 * to a cell two phrases later) instead of the next one. Applied as an additive mask on the
 * pointer's scores, so the readout, and with it the next words, come from the cell the pointer may
 * still choose.
 * Switched off with the system property {@value #PROPERTY}{@code =false} (to measure it).
 */
public final class PointerCoverage {
  static final String PROPERTY = "llavaseg.reasoner.pointerCoverage";

  private final int nothing;
  private final boolean[] left;
  private int current = -1;

  public PointerCoverage(ReasonerConfig config) {
    this.nothing = config.nothingKey();
    this.left = new boolean[config.pointerKeys()];
  }

  /** Whether a model of this architecture decodes with the rule (the pointer feed, unless switched off). */
  public static boolean applies(ReasonerConfig config) {
    return config.pointerFeed() && !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").strip());
  }

  /** Records the key the pointer chose at the latest position; true if that left a key (the mask changed). */
  public boolean chose(int key) {
    boolean leaves = current >= 0 && key != current && current != nothing;
    if (leaves) {
      left[current] = true;
    }
    current = key;
    return leaves;
  }

  /** Whether {@code key} has been left, so may not be chosen again. */
  public boolean isLeft(int key) {
    return left[key];
  }

  /** This reply's mask on the pointer's scores: {@link ReasonerBlock#NEG} for every key left. */
  public float[] mask() {
    float[] m = new float[left.length];
    for (int k = 0; k < left.length; k++) {
      if (left[k]) {
        m[k] = ReasonerBlock.NEG;
      }
    }
    return m;
  }

  /** The masks of several replies as one (rows, K) array. */
  public static NDArray masks(NDManager m, PointerCoverage[] rows) {
    int k = rows[0].left.length;
    float[] all = new float[rows.length * k];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i].mask(), 0, all, i * k, k);
    }
    return m.create(all, new Shape(rows.length, k));
  }
}
