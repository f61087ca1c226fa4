/**
 * Training and measuring the segmenter: {@link io.llavaseg.training.segmenter.SegmenterTrainer}
 * on ShapeWorld examples, the non-finite guard, and the evaluation with ground-truth prompts
 * behind {@code ops/llavaseg eval-segmenter} and {@code eval --prompts ground-truth}. Not on the
 * service's classpath.
 */
package io.llavaseg.training.segmenter;
