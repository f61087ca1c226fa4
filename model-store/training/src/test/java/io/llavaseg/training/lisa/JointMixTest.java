package io.llavaseg.training.lisa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.llavaseg.shapeworld.QueryKind;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JointMixTest {

  @Test
  void shouldDrawDialogueAtLisasShareAndSegmentationKindsEvenlyOtherwise() {
    JointMix mix = JointMix.lisa();
    assertEquals(3.0 / 16, mix.dialogueShare(), 1e-12);
    SplittableRandom rng = new SplittableRandom(1);
    int n = 40_000;
    Map<QueryKind, Integer> counts = new EnumMap<>(QueryKind.class);
    for (int i = 0; i < n; i++) {
      counts.merge(mix.draw(rng), 1, Integer::sum);
    }
    double dialogue = counts.get(QueryKind.DIALOGUE) / (double) n;
    // 3/16 = 0.1875, binomial standard error 0.002 at n = 40,000
    assertEquals(0.1875, dialogue, 0.008, "dialogue share");
    double each = (1 - 0.1875) / 8;
    for (QueryKind k : QueryKind.values()) {
      if (k != QueryKind.DIALOGUE) {
        assertEquals(each, counts.get(k) / (double) n, 0.008, "share of " + k);
      }
    }
  }

  @Test
  void shouldDrawOnlyDialogueAtShareOneAndNeverAtZero() {
    SplittableRandom rng = new SplittableRandom(2);
    JointMix all = JointMix.withDialogueShare(1.0);
    JointMix none = JointMix.withDialogueShare(0.0);
    for (int i = 0; i < 1000; i++) {
      assertEquals(QueryKind.DIALOGUE, all.draw(rng));
      assertEquals(false, none.draw(rng) == QueryKind.DIALOGUE);
    }
  }

  @Test
  void shouldRejectDialogueAmongSegmentationKinds() {
    assertThrows(IllegalArgumentException.class, () -> new JointMix(0.2, List.of(QueryKind.DIALOGUE)));
    assertThrows(IllegalArgumentException.class, () -> new JointMix(1.5, List.of(QueryKind.PHRASE)));
  }
}
