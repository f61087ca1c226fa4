package io.llavaseg.model.segmenter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.model.SegmentationResult;
import io.llavaseg.shapeworld.Sample;
import io.llavaseg.shapeworld.ShapeWorld;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed model folder (model-store/segmenter/v1) on freshly generated ShapeWorld samples
 * from a seed no split uses. Skipped, with the reason, only when the folder is absent.
 */
class CommittedSegmenterTest {
  /** A world seed never used for training, validation or the test split. */
  private static final long FRESH_SEED = 424_242L;

  private static SegmenterModel model;
  private static DjlSegmenter segmenter;

  @BeforeAll
  static void load() throws Exception {
    Assumptions.assumeTrue(
        SegmenterModel.isModelFolder(SegmenterModel.defaultFolder()),
        "no committed segmenter weights in " + SegmenterModel.defaultFolder().toAbsolutePath());
    model = SegmenterModel.loadDefault();
    segmenter = model.newWorker();
  }

  @AfterAll
  static void close() {
    if (segmenter != null) {
      segmenter.close();
    }
    if (model != null) {
      model.close();
    }
  }

  @Test
  void shouldReachGIoU085OnFreshSamplesPromptedWithGroundTruth() {
    List<Sample> samples = GroundTruthSet.targeted(new ShapeWorld(FRESH_SEED), 0, 200);
    MaskIou iou = new MaskIou();
    for (int i = 0; i < samples.size(); i += 16) {
      List<Sample> chunk = samples.subList(i, Math.min(samples.size(), i + 16));
      List<SegmenterInput> in = new ArrayList<>();
      chunk.forEach(s -> in.add(GroundTruthSet.prompt(s, true)));
      List<SegmentationResult> out = segmenter.segmentAll(in);
      for (int k = 0; k < chunk.size(); k++) {
        iou.add(out.get(k).mask(), chunk.get(k).mask());
      }
    }
    assertEquals(200, iou.count());
    assertTrue(iou.gIoU() >= 0.85, "committed segmenter on 200 fresh samples: " + iou);
  }

  @Test
  void shouldSegmentNonSquareImagesAtTheirOwnSize() {
    for (int[] wh : new int[][] {{384, 192}, {200, 400}}) {
      List<Sample> samples = GroundTruthSet.targeted(new ShapeWorld(FRESH_SEED + 1, wh[0], wh[1]), 0, 32);
      MaskIou iou = new MaskIou();
      for (Sample s : samples) {
        SegmentationResult r = segmenter.segment(GroundTruthSet.prompt(s, true));
        assertEquals(wh[0], r.mask().width());
        assertEquals(wh[1], r.mask().height());
        iou.add(r.mask(), s.mask());
      }
      // the letterbox maps masks back to the right place; quality is lower than on squares because
      // the shorter side gets fewer model pixels (measured: 384x192 >= 0.75, 200x400 about 0.75)
      assertTrue(iou.gIoU() >= 0.7, wh[0] + "x" + wh[1] + ": " + iou);
    }
  }

  @Test
  void shouldGiveAnEmptyOrLowScoreMaskForAnOutOfVocabularyPrompt() {
    Sample s = new ShapeWorld(FRESH_SEED).sample(7);
    SegmentationResult r =
        segmenter.segment(new SegmenterInput(s.image(), "the plaid zebra", "color: plaid; shape: zebra; size: vast; location: nowhere"));
    assertTrue(r.mask().isEmpty() || r.score() < 0.6f, "OOV prompt gave score " + r.score() + ", area " + r.mask().area());
  }

  @Test
  void shouldCarryTheFolderVersionInTheModelId() {
    assertEquals("v1", segmenter.modelId().version());
    assertEquals("shapeworld-segmenter", segmenter.modelId().name());
  }
}
