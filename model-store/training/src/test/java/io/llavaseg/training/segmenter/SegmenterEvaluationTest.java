package io.llavaseg.training.segmenter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.model.TargetAttributes;
import io.llavaseg.shapeworld.Scene;
import io.llavaseg.shapeworld.SceneObject;
import io.llavaseg.shapeworld.ShapeWorld;
import io.llavaseg.shapeworld.Split;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The robustness prompts of the segmenter evaluation: a wrong size or location, the right colour and shape. */
class SegmenterEvaluationTest {

  @Test
  void shouldGiveAWrongSizeOrLocationButTheTargetsColourAndShape() {
    ShapeWorld world = ShapeWorld.of(Split.VAL);
    SplittableRandom rng = new SplittableRandom(5);
    int sizeWrong = 0;
    int locationWrong = 0;
    for (long i = 0; i < 200; i++) {
      Scene scene = world.sample(i).scene();
      int t = (int) (i % scene.objects().size());
      SceneObject o = scene.objects().get(t);
      String line = SegmenterEvaluation.noisyAttributes(scene, t, rng);
      assertNotEquals(TrainingExamples.prompt(o)[1], line, "the noisy line differs from the true one");
      TargetAttributes a = TargetAttributes.parse(line).orElseThrow(() -> new AssertionError(line));
      assertEquals(o.colour().word(), a.color(), line);
      assertEquals(o.shape().word(), a.shape(), line);
      sizeWrong += a.size().equals(o.size().word()) ? 0 : 1;
      locationWrong += a.location().equals(o.location().words()) ? 0 : 1;
    }
    assertTrue(sizeWrong > 60 && locationWrong > 60, "both kinds of slip occur: " + sizeWrong + ", " + locationWrong);
  }
}
