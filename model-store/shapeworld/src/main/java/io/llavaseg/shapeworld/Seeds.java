package io.llavaseg.shapeworld;

/**
 * World seeds of the tools that draw ShapeWorld samples but measure no model choice: each has its
 * own, so that none of them reads the samples of {@link Split#TEST} (measured once per released
 * model version) or of {@link Split#VAL} (where models and settings are chosen).
 */
public final class Seeds {
  /** {@code ops/llavaseg demo}'s queries. */
  public static final long DEMO = 4_000_037L;
  /** {@code ops/llavaseg bench}'s queries. */
  public static final long BENCH = 8_000_009L;
  /** {@code ops/llavaseg feed}'s simulated cameras. */
  public static final long FEED = 6_000_011L;

  private Seeds() {}
}
