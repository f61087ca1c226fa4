package io.llavaseg.shapeworld;

/**
 * A written query with its answer, target index (-1 when the kind has no target) and meaning (what
 * it asks apart from its wording, for {@link Paraphraser}).
 */
record Query(String text, boolean isSentence, String answer, int targetIndex, Meaning meaning) {

  /** The same query worded as {@code newText}. */
  Query reworded(String newText, boolean sentence) {
    return new Query(newText, sentence, answer, targetIndex, meaning);
  }
}
