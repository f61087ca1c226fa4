package io.llavaseg.model.segmenter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmenterTranslatorTest {

  @Test
  void shouldSwapLeftAndRightWordsForTheMirroredView() {
    assertEquals("color: red; shape: star; size: small; location: top right",
        SegmenterTranslator.mirrored("color: red; shape: star; size: small; location: top left"));
    assertEquals("Right of the left cross", SegmenterTranslator.mirrored("Left of the right cross"));
    assertEquals("the leftmost star, bright", SegmenterTranslator.mirrored("the leftmost star, bright"));
    assertEquals("", SegmenterTranslator.mirrored(""));
  }

  @Test
  void shouldReadFlipAveragingFromTheServingArguments() {
    assertTrue(SegmenterTranslator.builder(Map.of("flipAverage", "true")).build().flipAverage());
    assertFalse(SegmenterTranslator.builder(Map.of()).build().flipAverage());
  }
}
