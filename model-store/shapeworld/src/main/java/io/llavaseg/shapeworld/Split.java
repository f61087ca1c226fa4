package io.llavaseg.shapeworld;

/**
 * The dataset splits, each a fixed seed. Samples are indexed from 0, so the three splits never
 * share a (seed, index) pair and never share a seed.
 */
public enum Split {
  TRAIN(1_000_003L),
  VAL(2_000_029L),
  TEST(3_000_017L);

  private final long seed;

  Split(long seed) {
    this.seed = seed;
  }

  public long seed() {
    return seed;
  }
}
