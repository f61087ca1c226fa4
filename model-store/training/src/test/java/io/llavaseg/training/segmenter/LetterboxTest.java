package io.llavaseg.training.segmenter;

import io.llavaseg.model.segmenter.Letterbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.model.BinaryMask;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class LetterboxTest {

  @Test
  void shouldCentreAWideImageWithPaddingAboveAndBelow() {
    Letterbox box = Letterbox.of(128, 4096, 1024);
    assertEquals(128, box.contentWidth());
    assertEquals(32, box.contentHeight());
    assertEquals(0, box.offsetX());
    assertEquals(48, box.offsetY());
  }

  @Test
  void shouldKeepAtLeastOnePixelForExtremeAspectRatios() {
    Letterbox box = Letterbox.of(128, 4096, 64);
    assertEquals(128, box.contentWidth());
    assertEquals(2, box.contentHeight());
    Letterbox thin = Letterbox.of(128, 1, 4096);
    assertEquals(1, thin.contentWidth());
  }

  @Test
  void shouldGiveCoordinatesInsideMinusOneToOneOverTheContentOnly() {
    Letterbox box = Letterbox.of(16, 200, 100);
    float[] in = box.toInput(new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB));
    int plane = 16 * 16;
    float yTopContent = in[4 * plane + box.offsetY() * 16 + 8];
    float yPadding = in[4 * plane + 8];
    assertTrue(yTopContent > -1f && yTopContent < 0f);
    assertTrue(yPadding < -1f, "padding rows lie outside the content's -1..1");
    for (int x = 0; x < 16; x++) {
      float cx = in[3 * plane + 8 * 16 + x];
      assertTrue(cx > -1f && cx < 1f);
    }
  }

  @Test
  void shouldMapAMaskToTheGridAndBackAtTheOriginalSize() {
    int w = 300;
    int h = 180;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(60, 40, 120, 90);
    g.dispose();
    byte[] px = new byte[w * h];
    for (int y = 40; y < 130; y++) {
      for (int x = 60; x < 180; x++) {
        px[y * w + x] = 1;
      }
    }
    BinaryMask truth = new BinaryMask(w, h, px);
    Letterbox box = Letterbox.of(128, w, h);
    float[] target = box.toTarget(truth);
    float[] logits = new float[target.length];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = target[i] > 0 ? 5f : -5f;
    }
    BinaryMask back = box.toMask(logits, 0f);
    assertEquals(w, back.width());
    assertEquals(h, back.height());
    MaskIou iou = new MaskIou();
    assertTrue(iou.add(back, truth) > 0.9, "round trip IoU " + iou.gIoU());
    assertTrue(box.score(logits, 0f) > 0.99f);
  }

  @Test
  void shouldGiveAnEmptyMaskAndZeroScoreForNegativeLogits() {
    Letterbox box = Letterbox.of(64, 100, 70);
    float[] logits = new float[64 * 64];
    java.util.Arrays.fill(logits, -3f);
    assertTrue(box.toMask(logits, 0f).isEmpty());
    assertEquals(0f, box.score(logits, 0f));
  }
}
