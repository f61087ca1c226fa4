package io.llavaseg.training.segmenter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.shapeworld.TrainingStyles;
import java.awt.image.BufferedImage;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrainingExamplesStylesTest {

  private static int[] pixels(BufferedImage img) {
    return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
  }

  @Test
  void theClassicListGivesTheExamplesOfTheStreamWithoutStyles() {
    TrainingExamples plain = new TrainingExamples(7);
    TrainingExamples classic = new TrainingExamples(7, TrainingStyles.parse("classic"));
    for (long i = 0; i < 3; i++) {
      List<SegmenterExample> a = plain.scene(i);
      List<SegmenterExample> b = classic.scene(i);
      for (int k = 0; k < a.size(); k++) {
        assertEquals(a.get(k).mask(), b.get(k).mask());
        assertArrayEquals(pixels(a.get(k).image()), pixels(b.get(k).image()));
      }
    }
  }

  @Test
  void styledScenesKeepMasksTheSizeOfTheirImagesAndVarySizes() {
    TrainingExamples styled = new TrainingExamples(7, TrainingStyles.parse("sizes,occlusion,tilt"));
    Set<String> sizes = new HashSet<>();
    for (long i = 0; i < 12; i++) {
      for (SegmenterExample e : styled.scene(i)) {
        assertEquals(e.image().getWidth(), e.mask().width());
        assertEquals(e.image().getHeight(), e.mask().height());
        sizes.add(e.image().getWidth() + "x" + e.image().getHeight());
      }
    }
    assertTrue(sizes.size() >= 4, sizes.toString());
  }
}
