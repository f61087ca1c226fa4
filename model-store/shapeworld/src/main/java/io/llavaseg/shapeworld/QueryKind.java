package io.llavaseg.shapeworld;

/**
 * What kind of query a sample carries. Targeted kinds name exactly one object to segment;
 * {@link #DIALOGUE}, {@link #ABSENT} and {@link #AMBIGUOUS} have no target (empty mask).
 */
public enum QueryKind {
  /** A short noun phrase: "the red star", "small blue square on the left". */
  PHRASE,
  /** A short question: "What is the green hexagon in this image?". */
  QUESTION,
  /** A reasoning sentence over the attributes: "Find the star that is not blue.". */
  REASONING,
  /** A sentence relying on world knowledge: "Which shape has the colour of a ripe banana?". */
  KNOWLEDGE,
  /** Relative to another object: "the shape just left of the blue circle". */
  RELATIONAL,
  /** A superlative: "the biggest red shape", "the leftmost circle". */
  SUPERLATIVE,
  /** A question answered in words only: counting, colour of, existence, describe. */
  DIALOGUE,
  /** Names an object that is not in the image. */
  ABSENT,
  /** Matches two or more objects with nothing to tell them apart. */
  AMBIGUOUS;

  /** Whether a sample of this kind has an object to segment. */
  public boolean hasTarget() {
    return this != DIALOGUE && this != ABSENT && this != AMBIGUOUS;
  }
}
