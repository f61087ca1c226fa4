package io.llavaseg.model.segmenter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.model.TargetAttributes;
import io.llavaseg.shapeworld.Scene;
import io.llavaseg.shapeworld.SceneObject;
import io.llavaseg.shapeworld.ShapeWorld;
import io.llavaseg.shapeworld.Split;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The segmenter's training stream: deterministic, and its attribute noise is the reasoner's slip. */
class TrainingExamplesTest {

  @Test
  void shouldGiveAWrongSizeOrLocationButTheTargetsColourAndShape() {
    ShapeWorld world = ShapeWorld.of(Split.TRAIN);
    SplittableRandom rng = new SplittableRandom(5);
    int sizeWrong = 0;
    int locationWrong = 0;
    for (long i = 0; i < 200; i++) {
      Scene scene = world.sample(i).scene();
      int t = (int) (i % scene.objects().size());
      SceneObject o = scene.objects().get(t);
      String line = TrainingExamples.noisyAttributes(scene, t, rng);
      assertNotEquals(TrainingExamples.prompt(o)[1], line, "the noisy line differs from the true one");
      TargetAttributes a = TargetAttributes.parse(line).orElseThrow(() -> new AssertionError(line));
      assertEquals(o.colour().word(), a.color(), line);
      assertEquals(o.shape().word(), a.shape(), line);
      sizeWrong += a.size().equals(o.size().word()) ? 0 : 1;
      locationWrong += a.location().equals(o.location().words()) ? 0 : 1;
    }
    assertTrue(sizeWrong > 60 && locationWrong > 60, "both kinds of slip occur: " + sizeWrong + ", " + locationWrong);
  }

  @Test
  void shouldKeepTheNoiselessStreamWhenNoiseIsZero() {
    List<SegmenterExample> plain = new TrainingExamples(11).scene(3);
    List<SegmenterExample> zero = new TrainingExamples(11, 0).scene(3);
    for (int k = 0; k < plain.size(); k++) {
      assertEquals(plain.get(k).description(), zero.get(k).description());
      assertEquals(plain.get(k).attributes(), zero.get(k).attributes());
    }
  }

  @Test
  void shouldChangeSomeAttributeLinesButNoMaskOrDescription() {
    int changed = 0;
    for (long i = 0; i < 40; i++) {
      List<SegmenterExample> clean = new TrainingExamples(11).scene(i);
      List<SegmenterExample> noisy = new TrainingExamples(11, 1.0).scene(i);
      // the first example of a scene is drawn before any noise can shift the random stream
      SegmenterExample c = clean.get(0);
      SegmenterExample n = noisy.get(0);
      assertEquals(c.description(), n.description());
      assertEquals(c.mask(), n.mask());
      changed += c.attributes().equals(n.attributes()) ? 0 : 1;
    }
    assertTrue(changed > 10, "noise 1.0 changes the attribute line of targets without a twin: " + changed);
  }

  @Test
  void shouldRefuseANoiseOutsideZeroToOne() {
    assertThrows(IllegalArgumentException.class, () -> new TrainingExamples(1, 1.5));
    assertThrows(IllegalArgumentException.class, () -> new TrainingExamples(1, Double.NaN));
  }
}
