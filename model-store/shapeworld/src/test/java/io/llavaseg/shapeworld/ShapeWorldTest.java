package io.llavaseg.shapeworld;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.model.TargetAttributes;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import org.junit.jupiter.api.Test;

class ShapeWorldTest {

  private static int[] pixels(BufferedImage img) {
    return ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
  }

  @Test
  void sameSeedAndIndexGiveIdenticalSamplesWhateverTheCallOrder() {
    ShapeWorld a = new ShapeWorld(7);
    ShapeWorld b = new ShapeWorld(7);
    Sample a5 = a.sample(5);
    b.sample(3);
    b.sample(9);
    Sample b5 = b.sample(5);
    assertEquals(a5.query(), b5.query());
    assertEquals(a5.answer(), b5.answer());
    assertEquals(a5.attributes(), b5.attributes());
    assertEquals(a5.kind(), b5.kind());
    assertEquals(a5.mask(), b5.mask());
    assertArrayEquals(pixels(a5.image()), pixels(b5.image()));
  }

  @Test
  void differentIndicesOrSeedsGiveDifferentImages() {
    assertFalse(java.util.Arrays.equals(
        pixels(new ShapeWorld(7).sample(1).image()), pixels(new ShapeWorld(7).sample(2).image())));
    assertFalse(java.util.Arrays.equals(
        pixels(new ShapeWorld(7).sample(1).image()), pixels(new ShapeWorld(8).sample(1).image())));
  }

  @Test
  void forcingAKindKeepsTheNaturalSampleWhenItAlreadyHasThatKind() {
    ShapeWorld w = new ShapeWorld(11);
    Sample natural = w.sample(4);
    Sample forced = w.sample(4, natural.kind());
    assertEquals(natural.query(), forced.query());
    assertArrayEquals(pixels(natural.image()), pixels(forced.image()));
  }

  @Test
  void everyKindCanBeForcedAndHonoursTheTargetContract() {
    ShapeWorld w = new ShapeWorld(3);
    for (QueryKind kind : QueryKind.values()) {
      for (int i = 0; i < 40; i++) {
        Sample s = w.sample(i, kind);
        assertEquals(kind, s.kind());
        assertEquals(BufferedImage.TYPE_INT_RGB, s.image().getType());
        assertFalse(s.query().isBlank());
        assertFalse(s.answer().isBlank());
        if (kind.hasTarget()) {
          SceneObject o = s.scene().objects().get(s.targetIndex());
          assertEquals("the " + o.colour().word() + " " + o.shape().word(), s.target());
          assertEquals(
              new TargetAttributes(o.colour().word(), o.shape().word(), o.size().word(), o.location().words())
                  .format(),
              s.attributes());
          assertEquals(s.scene().visibleMask(s.targetIndex()), s.mask());
          long full = new io.llavaseg.model.BinaryMask(256, 256, PolygonRaster.mask(o.polygon(), 256, 256)).area();
          assertTrue(s.mask().area() >= 0.5 * full, s.name() + " target less than half visible");
        } else {
          assertEquals("none", s.target());
          assertEquals("", s.attributes());
          assertEquals(-1, s.targetIndex());
          assertTrue(s.mask().isEmpty());
        }
        assertFalse(s.query().contains("gray") && s.answer().contains("grey"));
      }
    }
  }

  @Test
  void sceneAloneIsTheSampleScene() {
    ShapeWorld w = new ShapeWorld(13);
    for (int i = 0; i < 30; i++) {
      QueryKind kind = QueryKind.values()[i % QueryKind.values().length];
      java.util.List<SceneObject> a = w.scene(i, kind).objects();
      java.util.List<SceneObject> b = w.sample(i, kind).scene().objects();
      assertEquals(b.size(), a.size());
      for (int k = 0; k < a.size(); k++) {
        assertEquals(b.get(k).description(), a.get(k).description());
        assertEquals(b.get(k).cx(), a.get(k).cx());
        assertArrayEquals(b.get(k).rgb(), a.get(k).rgb());
      }
    }
  }

  @Test
  void splitsHaveDistinctSeeds() {
    assertNotEquals(Split.TRAIN.seed(), Split.VAL.seed());
    assertNotEquals(Split.VAL.seed(), Split.TEST.seed());
    assertNotEquals(Split.TRAIN.seed(), Split.TEST.seed());
    assertEquals(Split.TEST.seed(), ShapeWorld.of(Split.TEST).seed());
  }

  @Test
  void anyImageSizeAndAspectIsRenderedWithMaskAtThatSize() {
    Sample s = new ShapeWorld(5, 320, 96).sample(0, QueryKind.PHRASE);
    assertEquals(320, s.image().getWidth());
    assertEquals(96, s.image().getHeight());
    assertEquals(320, s.mask().width());
    assertEquals(96, s.mask().height());
    assertFalse(s.mask().isEmpty());
  }
}
