package io.llavaseg.training.segmenter;

import io.llavaseg.model.segmenter.SegmenterTranslator;

import io.llavaseg.model.segmenter.DjlSegmenter;
import io.llavaseg.model.segmenter.SegmenterInput;
import io.llavaseg.model.segmenter.SegmenterModel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.model.BinaryMask;
import io.llavaseg.model.SegmentationResult;
import io.llavaseg.shapeworld.Sample;
import io.llavaseg.shapeworld.ShapeWorld;
import io.llavaseg.shapeworld.Style;
import io.llavaseg.training.CommittedModels;
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
  /**
   * The served segmenter's (v3) weakest held-out style measured 0.774 here (camera, 2026-12-07;
   * bricks 0.887, perspective 0.905, sketch 0.877; v1's weakest: camera 0.799), less about 0.05 for 64
   * samples.
   */
  private static final double HELD_OUT_STYLE_FLOOR = 0.72;

  private static SegmenterModel model;
  private static DjlSegmenter segmenter;

  @BeforeAll
  static void load() throws Exception {
    Assumptions.assumeTrue(
        SegmenterModel.isModelFolder(CommittedModels.segmenterDir()),
        "no committed segmenter weights in " + CommittedModels.segmenterDir().toAbsolutePath());
    model = CommittedModels.loadSegmenter();
    segmenter = model.newWorker();
  }

  /** The samples segmented in batches of 16, prompted with their ground truth, scored against it. */
  private static MaskIou groundTruthPrompted(List<Sample> samples) {
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
    return iou;
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
    MaskIou iou = groundTruthPrompted(samples);
    assertEquals(200, iou.count());
    assertTrue(iou.gIoU() >= 0.85, "committed segmenter on 200 fresh samples: " + iou);
  }

  /**
   * Issue 24: looks never trained on ({@code Style.Group.HELD_OUT}), 64 fresh targeted samples each,
   * prompted with the ground truth. The floor guards the served segmenter's measured figure on its
   * weakest held-out style less a margin for 64 samples.
   */
  @Test
  void shouldHoldOnRenderingStylesItWasNeverTrainedOn() {
    StringBuilder seen = new StringBuilder();
    double worst = 1;
    for (Style style : Style.of(Style.Group.HELD_OUT)) {
      List<Sample> samples = GroundTruthSet.targeted(new ShapeWorld(FRESH_SEED + 3).withStyle(style), 0, 64);
      MaskIou iou = groundTruthPrompted(samples);
      seen.append(style.name()).append(' ').append(String.format(java.util.Locale.ROOT, "%.3f", iou.gIoU())).append("; ");
      worst = Math.min(worst, iou.gIoU());
    }
    System.out.println("held-out styles, ground-truth prompts: " + seen);
    assertTrue(worst >= HELD_OUT_STYLE_FLOOR, "held-out styles: " + seen);
  }

  @Test
  void shouldGiveEachImageOfAMixedSizeBatchTheMaskItGetsAlone() {
    // one batch, three sizes (cameras differ): every mask at its own image's size and place
    List<Sample> samples = new ArrayList<>();
    samples.addAll(GroundTruthSet.targeted(new ShapeWorld(FRESH_SEED + 4, 320, 240), 0, 2));
    samples.addAll(GroundTruthSet.targeted(new ShapeWorld(FRESH_SEED + 4), 0, 2));
    samples.addAll(GroundTruthSet.targeted(new ShapeWorld(FRESH_SEED + 4, 200, 400), 0, 2));
    List<SegmenterInput> in = new ArrayList<>();
    samples.forEach(s -> in.add(GroundTruthSet.prompt(s, true)));
    List<SegmentationResult> batch = segmenter.segmentAll(in);
    for (int k = 0; k < samples.size(); k++) {
      BinaryMask alone = segmenter.segment(in.get(k)).mask();
      BinaryMask batched = batch.get(k).mask();
      assertEquals(samples.get(k).image().getWidth(), batched.width(), "width of mask " + k);
      assertEquals(samples.get(k).image().getHeight(), batched.height(), "height of mask " + k);
      int differ = 0;
      for (int i = 0; i < alone.pixels().length; i++) {
        differ += alone.pixels()[i] != batched.pixels()[i] ? 1 : 0;
      }
      assertTrue(differ <= alone.pixels().length / 1000, differ + " pixels of mask " + k + " differ from the mask alone");
    }
  }

  @Test
  void shouldAverageAMirroredViewSoThatMirroringTheQueryMirrorsTheMask() {
    // with flip averaging (the committed serving.properties), segment(mirror(image), "left"<->"right")
    // equals mirror(segment(image)) by construction; without it, it need not
    List<Sample> samples = GroundTruthSet.targeted(new ShapeWorld(FRESH_SEED + 2), 0, 8);
    int mismatched = 0;
    int total = 0;
    for (Sample s : samples) {
      SegmenterInput in = GroundTruthSet.prompt(s, true);
      java.awt.image.BufferedImage img = s.image();
      java.awt.image.BufferedImage mirror = new java.awt.image.BufferedImage(img.getWidth(), img.getHeight(),
          java.awt.image.BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < img.getHeight(); y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          mirror.setRGB(img.getWidth() - 1 - x, y, img.getRGB(x, y));
        }
      }
      BinaryMask direct = segmenter.segment(in).mask();
      BinaryMask mirrored = segmenter.segment(new SegmenterInput(mirror, SegmenterTranslator.mirrored(in.description()),
          SegmenterTranslator.mirrored(in.attributes()))).mask();
      assertTrue(direct.area() > 0, "the target is found");
      for (int y = 0; y < img.getHeight(); y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          mismatched += direct.get(x, y) != mirrored.get(img.getWidth() - 1 - x, y) ? 1 : 0;
          total++;
        }
      }
    }
    assertTrue(mismatched <= total / 1000, mismatched + " of " + total + " pixels differ from the mirror image");
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
    assertEquals("v3", segmenter.modelId().version());
    assertEquals("shapeworld-segmenter", segmenter.modelId().name());
  }
}
