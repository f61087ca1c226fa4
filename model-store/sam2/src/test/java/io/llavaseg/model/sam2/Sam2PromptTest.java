package io.llavaseg.model.sam2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.llavaseg.model.NormalizedBox;
import io.llavaseg.model.TargetAttributes;
import org.junit.jupiter.api.Test;

class Sam2PromptTest {

  @Test
  void shouldPromptWithTheBoxInPixelsWhenTheAttributesHaveOne() {
    TargetAttributes a =
        new TargetAttributes("white", "square", "small", "top left", new NormalizedBox(0.25, 0.5, 0.75, 1.0));
    assertEquals(new Sam2Prompt.Box(80, 120, 240, 240), Sam2Prompt.of(a, 320, 240));
  }

  @Test
  void shouldRoundTheBoxOutwardsToWholePixels() {
    TargetAttributes a = new TargetAttributes("", "", "", "", new NormalizedBox(0.101, 0.101, 0.299, 0.299));
    assertEquals(new Sam2Prompt.Box(10, 10, 30, 30), Sam2Prompt.of(a, 100, 100));
  }

  @Test
  void shouldPromptWithTheLocationsCellCentreWithoutABox() {
    TargetAttributes a = new TargetAttributes("white", "square", "small", "lower right corner");
    assertEquals(new Sam2Prompt.Point(266, 200), Sam2Prompt.of(a, 320, 240));
  }

  @Test
  void shouldPromptWithTheImageCentreWithoutAttributesOrLocation() {
    assertEquals(new Sam2Prompt.Point(160, 120), Sam2Prompt.of(null, 320, 240));
    assertEquals(new Sam2Prompt.Point(160, 120), Sam2Prompt.of(new TargetAttributes("red", "", "", ""), 320, 240));
  }

  @Test
  void shouldRefuseAnEmptyImage() {
    assertThrows(IllegalArgumentException.class, () -> Sam2Prompt.of(null, 0, 10));
  }
}
