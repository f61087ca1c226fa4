package io.llavaseg.shapeworld;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.model.BinaryMask;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StyleTest {
  private static final int SAMPLES = 24;

  static List<Style> styles() {
    return Style.all();
  }

  private static int[] pixels(BufferedImage img) {
    return ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
  }

  @ParameterizedTest
  @MethodSource("styles")
  void everyStyleKeepsMasksExactObjectsInsideAndTargetsAtLeastHalfVisible(Style style) {
    ShapeWorld world = ShapeWorld.of(Split.VAL).withStyle(style);
    for (int i = 0; i < SAMPLES; i++) {
      Sample s = world.sample(i);
      Scene scene = s.scene();
      assertEquals(scene.width(), s.image().getWidth(), style.name());
      assertEquals(scene.height(), s.image().getHeight(), style.name());
      assertEquals(BufferedImage.TYPE_INT_RGB, s.image().getType());
      for (SceneObject o : scene.objects()) {
        for (double[] v : o.polygon()) {
          assertTrue(v[0] >= 0 && v[1] >= 0 && v[0] <= scene.width() && v[1] <= scene.height(),
              style.name() + " " + s.name() + ": an object leaves the image");
        }
        assertEquals(o.location(), Location.of(o.cx(), o.cy(), scene.width(), scene.height()));
      }
      int t = s.targetIndex();
      if (t < 0) {
        assertTrue(s.mask().isEmpty());
        continue;
      }
      BinaryMask visible = scene.visibleMask(t);
      assertEquals(visible, s.mask(), style.name() + " " + s.name() + ": mask is not the visible region");
      byte[] fromOutline = new byte[scene.width() * scene.height()];
      for (double[][] piece : Outline.visible(scene, t)) {
        PolygonRaster.fill(piece, fromOutline, scene.width(), scene.height(), (byte) 1);
      }
      assertEquals(visible, new BinaryMask(scene.width(), scene.height(), fromOutline),
          style.name() + " " + s.name() + ": the written polygons differ from the mask");
      long full = new BinaryMask(scene.width(), scene.height(),
          PolygonRaster.mask(scene.objects().get(t).polygon(), scene.width(), scene.height())).area();
      assertTrue(visible.area() >= 0.5 * full, style.name() + " " + s.name() + ": target under half visible");
    }
  }

  @ParameterizedTest
  @MethodSource("styles")
  void everyStyleIsAPureFunctionOfSeedAndIndex(Style style) {
    ShapeWorld a = ShapeWorld.of(Split.VAL).withStyle(style);
    ShapeWorld b = ShapeWorld.of(Split.VAL).withStyle(style);
    b.sample(3);
    Sample a5 = a.sample(5);
    Sample b5 = b.sample(5);
    assertEquals(a5.query(), b5.query());
    assertEquals(a5.mask(), b5.mask());
    assertArrayEquals(pixels(a5.image()), pixels(b5.image()));
  }

  @Test
  void everyNonClassicStyleChangesTheImages() {
    ShapeWorld classic = ShapeWorld.of(Split.VAL);
    for (Style style : Style.all()) {
      if (style.isClassic()) {
        continue;
      }
      Sample a = classic.sample(2);
      Sample b = classic.withStyle(style).sample(2);
      assertFalse(a.image().getWidth() == b.image().getWidth() && a.image().getHeight() == b.image().getHeight()
          && java.util.Arrays.equals(pixels(a.image()), pixels(b.image())), style.name());
      assertTrue(b.name().contains(style.name()), b.name());
    }
  }

  @Test
  void variedSizesStayWithin160x120And640x480AndIncludePortraitAndLandscape() {
    for (String name : List.of("sizes", "bricks", "camera")) {
      ShapeWorld w = ShapeWorld.of(Split.TRAIN).withStyle(Style.named(name).orElseThrow());
      Set<Boolean> portrait = new HashSet<>();
      Set<String> sizes = new HashSet<>();
      for (int i = 0; i < 60; i++) {
        Scene s = w.scene(i);
        int lo = Math.min(s.width(), s.height());
        int hi = Math.max(s.width(), s.height());
        assertTrue(lo >= 120 && lo <= 480 && hi >= 160 && hi <= 640, name + " " + s.width() + "x" + s.height());
        portrait.add(s.height() > s.width());
        sizes.add(s.width() + "x" + s.height());
      }
      assertTrue(sizes.size() >= 3, name + " " + sizes);
      if (name.equals("camera")) {
        assertEquals(Set.of(false), portrait);
      } else {
        assertEquals(Set.of(true, false), portrait, name);
      }
    }
  }

  @Test
  void occlusionStylesPaintOccludersThatTheMasksLeaveOut() {
    ShapeWorld w = ShapeWorld.of(Split.VAL).withStyle(Style.named("occlusion").orElseThrow());
    int withOccluders = 0;
    for (int i = 0; i < 20; i++) {
      if (!w.scene(i).occluders().isEmpty()) {
        withOccluders++;
      }
    }
    assertTrue(withOccluders >= 15, "scenes with occluders: " + withOccluders);
  }

  @Test
  void atLeastThreeStylesAreHeldOutAndClassicIsATrainingStyle() {
    assertTrue(Style.of(Style.Group.HELD_OUT).size() >= 3);
    assertEquals(Style.Group.TRAINING, Style.CLASSIC.group());
    assertEquals(Style.CLASSIC, Style.all().get(0));
    assertEquals(Style.all().size(), Set.copyOf(Style.all().stream().map(Style::name).toList()).size());
  }

  @Test
  void trainingListsRefuseHeldOutStylesAndExpandGroupNames() {
    assertEquals(Style.of(Style.Group.TRAINING), TrainingStyles.parse("training").styles());
    assertEquals(List.of(Style.CLASSIC, Style.named("blur").orElseThrow()),
        TrainingStyles.parse("classic, blur,classic").styles());
    for (Style held : Style.of(Style.Group.HELD_OUT)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> TrainingStyles.parse("classic," + held.name()));
      assertTrue(e.getMessage().contains(held.name()), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> TrainingStyles.parse("held-out"));
    assertThrows(IllegalArgumentException.class, () -> new TrainingStyles(Style.of(Style.Group.HELD_OUT)));
    assertThrows(IllegalArgumentException.class, () -> Style.parse("watercolour"));
    assertEquals(Style.of(Style.Group.HELD_OUT), Style.parse("held-out"));
  }

  @Test
  void trainingStylesDrawEveryStyleOfTheListAndOneStyleAlwaysItself() {
    TrainingStyles all = TrainingStyles.parse("training");
    Set<Style> seen = new HashSet<>();
    for (long i = 0; i < 400; i++) {
      seen.add(all.pick(7, i));
      assertEquals(all.pick(7, i), all.pick(7, i));
      assertEquals(Style.CLASSIC, TrainingStyles.CLASSIC.pick(7, i));
    }
    assertEquals(Set.copyOf(Style.of(Style.Group.TRAINING)), seen);
    ShapeWorld w = ShapeWorld.of(Split.TRAIN);
    assertTrue(w == TrainingStyles.CLASSIC.world(w, 7, 3));
  }

  @Test
  void lightingKeepsEveryObjectNearestItsOwnColour() {
    for (String name : List.of("lighting", "camera")) {
      ShapeWorld w = ShapeWorld.of(Split.VAL).withStyle(Style.named(name).orElseThrow());
      for (int i = 0; i < 20; i++) {
        Sample s = w.sample(i);
        Scene scene = s.scene();
        for (int k = 0; k < scene.objects().size(); k++) {
          BinaryMask m = scene.visibleMask(k);
          long[] sum = new long[3];
          long n = 0;
          for (int y = 1; y < m.height() - 1; y++) {
            for (int x = 1; x < m.width() - 1; x++) {
              if (m.get(x, y) && m.get(x - 1, y) && m.get(x + 1, y) && m.get(x, y - 1) && m.get(x, y + 1)) {
                int p = s.image().getRGB(x, y);
                sum[0] += (p >> 16) & 0xff;
                sum[1] += (p >> 8) & 0xff;
                sum[2] += p & 0xff;
                n++;
              }
            }
          }
          if (n < 30) {
            continue;
          }
          Colour nearest = null;
          double best = Double.MAX_VALUE;
          for (Colour c : Colour.values()) {
            int[] rgb = c.rgb();
            double d = 0;
            for (int ch = 0; ch < 3; ch++) {
              d += Math.pow(sum[ch] / (double) n - rgb[ch], 2);
            }
            if (d < best) {
              best = d;
              nearest = c;
            }
          }
          assertEquals(scene.objects().get(k).colour(), nearest, name + " " + s.name() + " object " + k);
        }
      }
    }
  }
}
