package io.llavaseg.training.reasoner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReasonerTrainerOptionsTest {
  private static ReasonerTrainer.Options withWeights(double... w) {
    ReasonerTrainer.Options d = ReasonerTrainer.defaults(Path.of("out"), Path.of("work"));
    return new ReasonerTrainer.Options(d.out(), d.work(), d.steps(), d.seed(), d.resume(), d.batch(), d.visionSteps(),
        d.alignSteps(), d.evalEvery(), d.evalCount(), d.checkpointMinutes(), d.lr(), d.reuse(), d.poolSize(),
        d.vocabSamplesPerKind(), d.exportCheckpoint(), d.initFrom(), d.auxWeight(), d.pointerWeight(),
        d.occupancyMargin(), w, d.pointAtEveryReplyPosition(), d.styles());
  }

  @Test
  void kindWeightsAreNormalisedAndTheCallersArrayIsLeftAlone() {
    double[] given = {1, 1, 1, 1, 1, 1, 2, 1, 1};
    ReasonerTrainer.Options o = withWeights(given);
    assertEquals(0.2, o.kindWeights()[6], 1e-12);
    assertEquals(0.1, o.kindWeights()[0], 1e-12);
    assertEquals(2, given[6]);
  }

  @Test
  void kindWeightsOfTheWrongLengthOrSignAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> withWeights(1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> withWeights(1, 1, 1, 1, 1, 1, -1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> withWeights(0, 0, 0, 0, 0, 0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> withWeights(1, 1, 1, 1, 1, 1, Double.NaN, 1, 1));
  }

  @Test
  void theDefaultsKeepTheHistoricMix() {
    ReasonerTrainer.Options d = ReasonerTrainer.defaults(Path.of("out"), Path.of("work"));
    assertEquals(0.14, d.kindWeights()[6], 1e-12);
    assertEquals(0.0, d.occupancyMargin());
  }
}
