package io.llavaseg.shapeworld;

/** A written query with its answer and target index (-1 when the kind has no target). */
record Query(String text, boolean isSentence, String answer, int targetIndex) {}
