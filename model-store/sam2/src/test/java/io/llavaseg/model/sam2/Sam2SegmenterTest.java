package io.llavaseg.model.sam2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.llavaseg.model.BinaryMask;
import io.llavaseg.model.ModelHandle;
import io.llavaseg.model.ModelId;
import io.llavaseg.model.NormalizedBox;
import io.llavaseg.model.SegmentationPrompt;
import io.llavaseg.model.SegmentationResult;
import io.llavaseg.model.Segmenter;
import io.llavaseg.model.TargetAttributes;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the committed tiny model with SAM 2's TorchScript signature ({@code tiny-sam2/}, written by
 * {@code src/test/python/make_tiny_sam2.py}) through the real loading path (Criteria, DJL's
 * Sam2TranslatorFactory and Sam2Translator). That model's answer is predictable: the light pixels
 * inside the prompt region (the box, or a disc of radius 160/1024 of the input around the point),
 * with a predicted IoU of 0.5 + 0.5 x (light fraction of the region) as the best of three candidates.
 * So these tests show that the box and the point reach the model where they should, and that the
 * mask comes back at the image's size in the right place.
 */
class Sam2SegmenterTest {
  static final int W = 320;
  static final int H = 240;
  /** Light squares on black: in the top-left cell, the centre cell and the bottom-right cell. */
  static final Rectangle A = new Rectangle(30, 20, 70, 50);
  static final Rectangle B = new Rectangle(130, 95, 60, 50);
  static final Rectangle C = new Rectangle(230, 170, 70, 55);
  static final double RADIUS = 160.0 / 1024;

  static ModelHandle<Segmenter> handle;
  static Segmenter sam;
  static BufferedImage scene;

  @BeforeAll
  static void load() throws Exception {
    try {
      Engine.getEngine("PyTorch");
    } catch (Throwable t) {
      Assumptions.assumeTrue(false, "the PyTorch natives cannot load here, so no TorchScript model can run: " + t);
    }
    handle = Sam2Models.segmenter(tinyFolder(), Device.cpu());
    sam = handle.newWorker();
    scene = scene(W, H);
  }

  @AfterAll
  static void close() {
    if (sam != null) {
      sam.close();
    }
    if (handle != null) {
      handle.close();
    }
  }

  static Path tinyFolder() throws Exception {
    return Path.of(Sam2SegmenterTest.class.getResource("/tiny-sam2").toURI());
  }

  static BufferedImage scene(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.BLACK);
    g.fillRect(0, 0, w, h);
    g.setColor(Color.WHITE);
    for (Rectangle r : List.of(A, B, C)) {
      g.fillRect(r.x * w / W, r.y * h / H, r.width * w / W, r.height * h / H);
    }
    g.dispose();
    return img;
  }

  static TargetAttributes located(String location) {
    return new TargetAttributes("white", "square", "small", location);
  }

  static TargetAttributes boxed(String location, double x0, double y0, double x1, double y1) {
    return new TargetAttributes("white", "square", "small", location, new NormalizedBox(x0 / W, y0 / H, x1 / W, y1 / H));
  }

  /** Pixels of {@code r} (rescaled from 320x240 to the mask's size) that are also in {@code region}. */
  static BinaryMask expected(int w, int h, Rectangle r, java.util.function.BiPredicate<Integer, Integer> region) {
    byte[] px = new byte[w * h];
    Rectangle s = new Rectangle(r.x * w / W, r.y * h / H, r.width * w / W, r.height * h / H);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        px[y * w + x] = s.contains(x, y) && region.test(x, y) ? (byte) 1 : 0;
      }
    }
    return new BinaryMask(w, h, px);
  }

  /** The tiny model's disc around the point (px, py), an ellipse in image pixels after the resize to 1024x1024. */
  static java.util.function.BiPredicate<Integer, Integer> disc(int px, int py, int w, int h) {
    return (x, y) -> {
      double dx = ((x + 0.5) - px) / w;
      double dy = ((y + 0.5) - py) / h;
      return dx * dx + dy * dy <= RADIUS * RADIUS;
    };
  }

  static double iou(BinaryMask a, BinaryMask b) {
    long inter = 0;
    long union = 0;
    for (int i = 0; i < a.pixels().length; i++) {
      inter += a.pixels()[i] & b.pixels()[i];
      union += a.pixels()[i] | b.pixels()[i];
    }
    return union == 0 ? 1 : (double) inter / union;
  }

  static void assertMaskAt(BinaryMask want, SegmentationResult got) {
    assertEquals(want.width(), got.mask().width(), "mask width");
    assertEquals(want.height(), got.mask().height(), "mask height");
    double iou = iou(want, got.mask());
    assertTrue(iou >= 0.9, "IoU with the expected mask " + iou + ", bbox " + java.util.Arrays.toString(got.mask().bbox()));
  }

  @Test
  void shouldSegmentInsideTheBoxPromptAtTheImagesSize() {
    SegmentationResult r = sam.segment(scene, "the white square", boxed("", 225, 165, 305, 230));

    assertMaskAt(expected(W, H, C, (x, y) -> true), r);
    int[] bbox = r.mask().bbox();
    int[] want = {C.x, C.y, C.width, C.height};
    for (int i = 0; i < 4; i++) {
      assertTrue(Math.abs(bbox[i] - want[i]) <= 2, "bbox " + java.util.Arrays.toString(bbox));
    }
    assertTrue(r.score() > 0.5f && r.score() <= 1f, "score " + r.score());
    assertEquals(handle.modelId(), r.model());
  }

  @Test
  void shouldPreferTheBoxToTheLocation() {
    // the box holds A and B; the location names C's cell
    SegmentationResult r = sam.segment(scene, "", boxed("bottom right", 20, 10, 200, 150));

    BinaryMask aAndB = expected(W, H, A, (x, y) -> true);
    BinaryMask b = expected(W, H, B, (x, y) -> true);
    for (int i = 0; i < b.pixels().length; i++) {
      aAndB.pixels()[i] |= b.pixels()[i];
    }
    assertMaskAt(aAndB, r);
    assertFalse(r.mask().get(266, 200), "nothing at the location's point");
  }

  @Test
  void shouldScoreWithSamsPredictedIou() {
    // the tiny model predicts 0.5 + 0.5 x (light fraction of the box): higher for a tight box
    float tight = sam.segment(scene, "", boxed("", C.x, C.y, C.x + C.width, C.y + C.height)).score();
    float loose = sam.segment(scene, "", boxed("", 200, 140, 320, 240)).score();
    assertTrue(tight > 0.95f && tight <= 1f, "tight " + tight);
    double lightFraction = (double) (C.width * C.height) / (120 * 100);
    assertEquals(0.5 + 0.5 * lightFraction, loose, 0.03, "loose");
  }

  @Test
  void shouldPromptWithThePointOfTheLocationsCell() {
    SegmentationResult r = sam.segment(scene, "the white square", located("upper left"));

    assertMaskAt(expected(W, H, A, disc(53, 40, W, H)), r);
    assertTrue(r.mask().get(53, 40), "the prompt point is in the mask");
    assertTrue(r.mask().get(33, 23), "A's near corner is inside the disc");
    assertFalse(r.mask().get(97, 67), "A's far corner is outside the disc");
    assertTrue(r.score() > 0.5f, "score " + r.score());
  }

  @Test
  void shouldReadSynonymsOfTheGridWords() {
    SegmentationResult r = sam.segment(scene, "", located("lower right corner"));
    assertMaskAt(expected(W, H, C, disc(266, 200, W, H)), r);
    assertEquals(r.mask(), sam.segment(scene, "", located("bottom right")).mask());
  }

  @Test
  void shouldPromptTheImageCentreForAnUnknownLocationOrNoAttributes() {
    BinaryMask centre = expected(W, H, B, disc(160, 120, W, H));
    assertMaskAt(centre, sam.segment(scene, "", located("somewhere over there")));
    assertMaskAt(centre, sam.segment(scene, "", null));
    assertMaskAt(centre, sam.segment(scene, "", located("centre")));
  }

  @Test
  void shouldGiveAnEmptyMaskWithScoreZeroWhenSamFindsNothing() {
    SegmentationResult r = sam.segment(scene, "", located("top right"));
    assertEquals(W, r.mask().width());
    assertEquals(H, r.mask().height());
    assertTrue(r.mask().isEmpty(), "area " + r.mask().area());
    assertEquals(0f, r.score());
  }

  @Test
  void shouldReturnTheMaskAtAnyImageSize() {
    BufferedImage big = scene(640, 360);
    SegmentationResult r = sam.segment(big, "", boxed("", 225, 165, 305, 230));
    assertMaskAt(expected(640, 360, C, (x, y) -> true), r);

    BufferedImage small = scene(160, 120);
    SegmentationResult p = sam.segment(small, "", located("top left"));
    assertMaskAt(expected(160, 120, A, disc(26, 20, 160, 120)), p);
  }

  @Test
  void shouldIdentifyTheModelFromServingProperties() {
    assertEquals(new ModelId("tiny-sam2", "test", Device.cpu().toString()), handle.modelId());
    assertEquals(handle.modelId(), sam.modelId());
  }

  @Test
  void shouldGiveTheSameResultsInABatchAsOneByOne() {
    List<SegmentationPrompt> prompts =
        List.of(
            new SegmentationPrompt(scene, "a", located("top left")),
            new SegmentationPrompt(scene, "b", boxed("", 225, 165, 305, 230)),
            new SegmentationPrompt(scene, "c", located("top right")));
    List<SegmentationResult> batch = sam.segmentBatch(prompts);
    assertEquals(3, batch.size());
    for (int i = 0; i < prompts.size(); i++) {
      SegmentationPrompt p = prompts.get(i);
      SegmentationResult one = sam.segment(p.image(), p.description(), p.attributes());
      assertEquals(one.mask(), batch.get(i).mask(), "mask " + i);
      assertEquals(one.score(), batch.get(i).score(), "score " + i);
    }
    assertNotEquals(batch.get(0).mask(), batch.get(1).mask());
  }

  @Test
  void shouldRunOneWorkerPerThread() throws Exception {
    BinaryMask want = sam.segment(scene, "", located("top left")).mask();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Boolean>> runs =
          List.of(
              pool.submit(() -> sameMasks(want, 4)), pool.submit(() -> sameMasks(want, 4)));
      for (Future<Boolean> run : runs) {
        assertTrue(run.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static boolean sameMasks(BinaryMask want, int times) {
    try (Segmenter worker = handle.newWorker()) {
      for (int i = 0; i < times; i++) {
        if (!want.equals(worker.segment(scene, "", located("top left")).mask())) {
          return false;
        }
      }
      return true;
    }
  }

  @Test
  void shouldFindTheOnlyPtFileAndNameTheModelAfterTheFolder(@TempDir Path tmp) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("sam2-custom"));
    Files.copy(tinyFolder().resolve("tiny-sam2.pt"), dir.resolve("exported.pt"));
    Files.writeString(
        dir.resolve("serving.properties"),
        "translatorFactory=ai.djl.modality.cv.translator.Sam2TranslatorFactory\nencode_method=encode\n");
    assertTrue(Sam2Models.isModelFolder(dir));
    try (ModelHandle<Segmenter> h = Sam2Models.segmenter(dir, Device.cpu());
        Segmenter s = h.newWorker()) {
      assertEquals(new ModelId("sam2-custom", "sam2-custom", Device.cpu().toString()), h.modelId());
      assertEquals(sam.segment(scene, "", located("top left")).mask(), s.segment(scene, "", located("top left")).mask());
    }
  }

  @Test
  void shouldRefuseFoldersItCannotRun(@TempDir Path tmp) throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertFalse(Sam2Models.isModelFolder(empty));
    assertThrows(IOException.class, () -> Sam2Models.segmenter(empty, Device.cpu()));
    assertThrows(IOException.class, () -> Sam2Models.segmenter(tmp.resolve("missing"), Device.cpu()));

    Path onnx = Files.createDirectories(tmp.resolve("onnx"));
    Files.copy(tinyFolder().resolve("tiny-sam2.pt"), onnx.resolve("tiny-sam2.pt"));
    Files.writeString(onnx.resolve("serving.properties"), "engine=OnnxRuntime\nencoder=encoder.onnx\n");
    IOException e = assertThrows(IOException.class, () -> Sam2Models.segmenter(onnx, Device.cpu()));
    assertTrue(e.getMessage().contains("OnnxRuntime"), e.getMessage());

    Path misnamed = Files.createDirectories(tmp.resolve("misnamed"));
    Files.copy(tinyFolder().resolve("tiny-sam2.pt"), misnamed.resolve("tiny-sam2.pt"));
    Files.writeString(misnamed.resolve("serving.properties"), "option.modelName=sam2-hiera-tiny\n");
    e = assertThrows(IOException.class, () -> Sam2Models.segmenter(misnamed, Device.cpu()));
    assertTrue(e.getMessage().contains("sam2-hiera-tiny.pt"), e.getMessage());
  }

  @Test
  void shouldHaveAssertableGeometry() {
    // guards the fixture itself: the three squares lie in the cells the tests name
    assertArrayEquals(new int[] {53, 40}, LocationGrid.pixel("top left", W, H));
    assertTrue(A.contains(53, 40) && B.contains(160, 120) && C.contains(266, 200));
    assertFalse(A.contains(266, 40) || B.contains(266, 40) || C.contains(266, 40));
  }
}
