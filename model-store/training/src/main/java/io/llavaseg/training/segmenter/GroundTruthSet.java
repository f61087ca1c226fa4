package io.llavaseg.training.segmenter;

import io.llavaseg.model.segmenter.SegmenterInput;

import io.llavaseg.shapeworld.Sample;
import io.llavaseg.shapeworld.ShapeWorld;
import io.llavaseg.shapeworld.Split;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluation samples prompted with ground truth: the first {@code count} samples of a ShapeWorld
 * split whose kind has a target, each with its target description and attribute line and its
 * mask. The segmenter's own quality, measured apart from reasoning.
 */
public final class GroundTruthSet {
  private GroundTruthSet() {}

  /** Targeted samples from index {@code from} on, in index order. */
  public static List<Sample> targeted(ShapeWorld world, long from, int count) {
    List<Sample> out = new ArrayList<>(count);
    for (long i = from; out.size() < count; i++) {
      Sample s = world.sample(i);
      if (s.kind().hasTarget()) {
        out.add(s);
      }
    }
    return out;
  }

  public static List<Sample> targeted(Split split, int count) {
    return targeted(ShapeWorld.of(split), 0, count);
  }

  /** Whether the sample's target shares its shape or its colour with another object. */
  public static boolean hasDistractor(Sample s) {
    return s.targetIndex() >= 0 && TrainingExamples.hasDistractor(s.scene(), s.targetIndex());
  }

  public static SegmenterInput prompt(Sample s, boolean withAttributes) {
    return new SegmenterInput(s.image(), s.target(), withAttributes ? s.attributes() : "");
  }
}
