package io.llavaseg.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.eval.DatasetSample;
import io.llavaseg.eval.MaskSource;
import io.llavaseg.eval.Prediction;
import io.llavaseg.model.BinaryMask;
import io.llavaseg.shapeworld.Split;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LisaComparisonTest {

  private static BinaryMask truth(DatasetSample s) {
    byte[] labels = s.labels();
    byte[] on = new byte[labels.length];
    for (int i = 0; i < labels.length; i++) {
      on[i] = (byte) (labels[i] == 1 ? 1 : 0);
    }
    return new BinaryMask(s.width(), s.height(), on);
  }

  @Test
  @SuppressWarnings("unchecked")
  void shouldMeasureBothSystemsOnTheSameSamplesAndWriteEachOnesFields(@TempDir Path dir) throws Exception {
    LisaComparison c = new LisaComparison(Split.VAL.seed(), "val", 0, 18, 6);
    c.writeSamples(dir);
    MaskSource perfect = s -> Prediction.of(truth(s), s.answer());
    MaskSource blind = s -> Prediction.of(BinaryMask.empty(s.width(), s.height()), "I do not know.");
    Map<String, Object> cost = Map.of("training_minutes", 1.0, "size_mb", 2.0);
    LisaComparison.SystemResult a = c.measure("llavaseg", "perfect", perfect, cost, dir, line -> {});
    LisaComparison.SystemResult b = c.measure("lisa", "blind", blind, cost, dir, line -> {});
    Map<String, Object> json = c.toJson(a, b);
    assertEquals("val", json.get("split"));
    Map<String, Object> systems = (Map<String, Object>) json.get("systems");
    assertEquals(java.util.List.of("llavaseg", "lisa"), java.util.List.copyOf(systems.keySet()));
    for (String name : systems.keySet()) {
      Map<String, Object> s = (Map<String, Object>) systems.get(name);
      for (String field : new String[] {"models", "dialogue", "segmentation", "latency_per_query", "training_minutes", "size_mb"}) {
        assertTrue(s.containsKey(field), name + " has " + field);
      }
      Map<String, Object> d = (Map<String, Object>) s.get("dialogue");
      assertEquals(6, d.get("n"));
      assertTrue(!((Map<String, Object>) d.get("by_type")).isEmpty(), "dialogue by question type");
      Map<String, Object> seg = (Map<String, Object>) s.get("segmentation");
      assertEquals(9, ((Map<String, Object>) seg.get("by_kind")).size(), "all nine kinds");
      assertEquals(18, ((Map<String, Object>) s.get("latency_per_query")).get("n"), "the 18 queries of all kinds timed");
      assertEquals(6, ((Map<String, Object>) s.get("latency_dialogue")).get("n"), "the 6 dialogue questions timed");
    }
    Map<String, Object> good = (Map<String, Object>) systems.get("llavaseg");
    Map<String, Object> bad = (Map<String, Object>) systems.get("lisa");
    assertEquals(1.0, ((Map<String, Object>) good.get("segmentation")).get("giou"));
    assertEquals(1.0, ((Map<String, Object>) good.get("dialogue")).get("accuracy"));
    assertEquals(0.0, ((Map<String, Object>) bad.get("segmentation")).get("giou_targeted"));
    assertEquals(0.0, ((Map<String, Object>) bad.get("dialogue")).get("accuracy"));
    Map<String, Object> paired = (Map<String, Object>) json.get("dialogue_paired");
    assertEquals(6, paired.get("only_llavaseg_right"));
    assertEquals(0, paired.get("only_lisa_right"));
    assertEquals(0.0313, paired.get("mcnemar_exact_p"), "2 x (1/2)^6");
    String table = c.table(a, b);
    assertTrue(table.contains("llavaseg") && table.contains("lisa") && table.contains("dialogue exact (n=6)"), table);
  }
}
