package io.llavaseg.training.segmenter;

import io.llavaseg.model.segmenter.DjlSegmenter;
import io.llavaseg.model.segmenter.Letterbox;
import io.llavaseg.model.segmenter.PromptVocabulary;
import io.llavaseg.model.segmenter.SegmenterConfig;
import io.llavaseg.model.segmenter.SegmenterFolder;
import io.llavaseg.model.segmenter.SegmenterInput;
import io.llavaseg.model.segmenter.SegmenterModel;
import io.llavaseg.model.segmenter.SegmenterNet;
import io.llavaseg.model.segmenter.TestFolders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.llavaseg.model.SegmentationResult;
import io.llavaseg.model.TargetAttributes;
import io.llavaseg.shapeworld.Sample;
import io.llavaseg.shapeworld.ShapeWorld;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Save/load round trips and the translator's handling of sizes and prompts (untrained weights). */
class SegmenterModelTest {
  @TempDir Path tmp;

  @Test
  void shouldGiveIdenticalOutputsAfterASaveLoadRoundTrip() throws Exception {
    SegmenterConfig cfg = TestFolders.small();
    Sample s = new ShapeWorld(11).sample(3);
    SegmenterInput in = new SegmenterInput(s.image(), s.target(), s.attributes());
    Path dir = tmp.resolve("v7");
    float[] before;
    try (ai.djl.Model model = ai.djl.Model.newInstance(SegmenterFolder.PREFIX, "PyTorch")) {
      model.setBlock(new SegmenterNet(cfg));
      try (ai.djl.training.Trainer t =
          model.newTrainer(new ai.djl.training.DefaultTrainingConfig(ai.djl.training.loss.Loss.l2Loss()))) {
        t.initialize(new ai.djl.ndarray.types.Shape(1, 5, 64, 64), new ai.djl.ndarray.types.Shape(1, cfg.vocabSize()),
            new ai.djl.ndarray.types.Shape(1, cfg.vocabSize()));
      }
      before = logits(model, cfg, in);
      SegmenterFolder.write(dir, model, cfg, PromptVocabulary.shapeWorld(), 0.5f);
    }
    try (SegmenterModel loaded = SegmenterModel.load(dir, Device.cpu())) {
      assertArrayEquals(before, logits(loaded.zooModel(), cfg, in), "logits after loading equal those saved");
    }
    SegmentationResult a;
    try (SegmenterModel once = SegmenterModel.load(dir, Device.cpu()); DjlSegmenter seg = once.newWorker()) {
      a = seg.segment(in);
    }
    try (SegmenterModel twice = SegmenterModel.load(dir, Device.cpu()); DjlSegmenter seg = twice.newWorker()) {
      SegmentationResult b = seg.segment(in);
      assertEquals(a.mask(), b.mask());
      assertEquals(a.score(), b.score());
    }
  }

  /** The raw logits of one input, computed through the block in inference mode. */
  private static float[] logits(ai.djl.Model model, SegmenterConfig cfg, SegmenterInput in) {
    PromptVocabulary v = PromptVocabulary.shapeWorld();
    Letterbox box = Letterbox.of(cfg.size(), in.image().getWidth(), in.image().getHeight());
    try (ai.djl.ndarray.NDManager m = model.getNDManager().newSubManager()) {
      ai.djl.ndarray.NDList x = new ai.djl.ndarray.NDList(
          m.create(box.toInput(in.image()), new ai.djl.ndarray.types.Shape(1, 5, cfg.size(), cfg.size())),
          m.create(v.bag(in.description()), new ai.djl.ndarray.types.Shape(1, v.size())),
          m.create(v.bag(in.attributes()), new ai.djl.ndarray.types.Shape(1, v.size())));
      return model.getBlock().forward(new ai.djl.training.ParameterStore(m, false), x, false)
          .singletonOrThrow().toFloatArray();
    }
  }

  @Test
  void shouldNameTheModelFromServingPropertiesAndTheFolder() throws Exception {
    Path dir = TestFolders.randomFolder(tmp.resolve("v3"), TestFolders.small());
    try (SegmenterModel model = SegmenterModel.load(dir, Device.cpu()); DjlSegmenter seg = model.newWorker()) {
      assertEquals("shapeworld-segmenter", model.modelId().name());
      assertEquals("v3", model.modelId().version());
      assertEquals(model.modelId(), seg.modelId());
      assertEquals(Device.cpu().toString(), model.modelId().device());
    }
  }

  @Test
  void shouldReturnMasksAtTheInputSizeForOddTinyAndHugeImages() throws Exception {
    Path dir = TestFolders.randomFolder(tmp.resolve("v1"), TestFolders.small());
    TargetAttributes attrs = TargetAttributes.parse("color: red; shape: star; size: small; location: top left").orElseThrow();
    try (SegmenterModel model = SegmenterModel.load(dir, Device.cpu()); DjlSegmenter seg = model.newWorker()) {
      for (int[] wh : new int[][] {{97, 61}, {64, 64}, {4096, 300}, {301, 4096}, {1, 1}}) {
        SegmentationResult r = seg.segment(new java.awt.image.BufferedImage(wh[0], wh[1],
            java.awt.image.BufferedImage.TYPE_3BYTE_BGR), "the red star", attrs);
        assertEquals(wh[0], r.mask().width());
        assertEquals(wh[1], r.mask().height());
        assertTrue(r.score() >= 0f && r.score() <= 1f);
        assertTrue(r.mask().isEmpty() == (r.score() == 0f), "score 0 exactly when the mask is empty");
      }
    }
  }

  @Test
  void shouldNotThrowOnOutOfVocabularyOrEmptyPrompts() throws Exception {
    Path dir = TestFolders.randomFolder(tmp.resolve("v1"), TestFolders.small());
    Sample s = new ShapeWorld(5).sample(1);
    try (SegmenterModel model = SegmenterModel.load(dir, Device.cpu()); DjlSegmenter seg = model.newWorker()) {
      List<SegmenterInput> prompts =
          List.of(
              new SegmenterInput(s.image(), "the zebra", "color: plaid; shape: zebra; size: vast; location: nowhere"),
              new SegmenterInput(s.image(), "", ""),
              new SegmenterInput(s.image(), "ünïcødé ✓ 123", null));
      List<SegmentationResult> out = seg.segmentAll(prompts);
      assertEquals(3, out.size());
      assertEquals(256, out.get(0).mask().width());
      assertTrue(seg.segment(s.image(), "the zebra", null).mask().width() == 256);
    }
  }

  @Test
  void shouldGiveTheSameMasksInABatchAsOneByOne() throws Exception {
    Path dir = TestFolders.randomFolder(tmp.resolve("v1"), TestFolders.small());
    ShapeWorld w = new ShapeWorld(6);
    try (SegmenterModel model = SegmenterModel.load(dir, Device.cpu()); DjlSegmenter seg = model.newWorker()) {
      List<SegmenterInput> in = List.of(GroundTruthSet.prompt(w.sample(0), true), GroundTruthSet.prompt(w.sample(1), true));
      List<SegmentationResult> batch = seg.segmentAll(in);
      for (int i = 0; i < in.size(); i++) {
        SegmentationResult single = seg.segment(in.get(i));
        double iou = new MaskIou().add(single.mask(), batch.get(i).mask());
        assertTrue(iou > 0.99, "batch and single masks agree, IoU " + iou);
      }
    }
  }

  @Test
  void shouldRefuseAFolderWithoutWeights() throws IOException {
    Files.createDirectories(tmp.resolve("empty"));
    assertThrows(IOException.class, () -> SegmenterModel.load(tmp.resolve("empty"), Device.cpu()));
  }
}
