package io.llavaseg.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CocoRleTest {

  @Test
  void shouldEncodeAHandComputedMaskColumnMajorStartingWithBackground() {
    // 3 wide, 2 high, row-major:  0 1 1 / 0 1 0
    // column-major (x outer, y inner): 0 0 | 1 1 | 1 0  ->  runs 2 zeros, 3 ones, 1 zero
    byte[] mask = {0, 1, 1, 0, 1, 0};
    long[] counts = CocoRle.encode(mask, 3, 2);
    assertArrayEquals(new long[] {2, 3, 1}, counts);
    assertArrayEquals(mask, CocoRle.decode(counts, 3, 2));
    assertEquals(3, CocoRle.area(counts));
    assertArrayEquals(new int[] {1, 0, 2, 2}, CocoRle.bbox(counts, 3, 2));
  }

  @Test
  void shouldEncodeAnEmptyMaskAsOneBackgroundRun() {
    long[] counts = CocoRle.encode(new byte[12], 4, 3);
    assertArrayEquals(new long[] {12}, counts);
    assertArrayEquals(new byte[12], CocoRle.decode(counts, 4, 3));
    assertEquals(0, CocoRle.area(counts));
    assertArrayEquals(new int[] {0, 0, 0, 0}, CocoRle.bbox(counts, 4, 3));
  }

  @Test
  void shouldEncodeAFullMaskWithALeadingZeroRun() {
    byte[] full = new byte[12];
    java.util.Arrays.fill(full, (byte) 1);
    long[] counts = CocoRle.encode(full, 4, 3);
    assertArrayEquals(new long[] {0, 12}, counts);
    assertArrayEquals(full, CocoRle.decode(counts, 4, 3));
    assertArrayEquals(new int[] {0, 0, 4, 3}, CocoRle.bbox(counts, 4, 3));
  }

  @Test
  void shouldEncodeSinglePixelsAtTheirColumnMajorIndex() {
    // 2x2: pixel (x=0,y=0) is index 0; (x=1,y=0) is index 2; (x=0,y=1) is index 1.
    assertArrayEquals(new long[] {0, 1, 3}, CocoRle.encode(new byte[] {1, 0, 0, 0}, 2, 2));
    assertArrayEquals(new long[] {2, 1, 1}, CocoRle.encode(new byte[] {0, 1, 0, 0}, 2, 2));
    assertArrayEquals(new long[] {1, 1, 2}, CocoRle.encode(new byte[] {0, 0, 1, 0}, 2, 2));
    assertArrayEquals(new long[] {3, 1}, CocoRle.encode(new byte[] {0, 0, 0, 1}, 2, 2));
    assertArrayEquals(new int[] {1, 0, 1, 1}, CocoRle.bbox(new long[] {2, 1, 1}, 2, 2));
    assertArrayEquals(new int[] {1, 1, 1, 1}, CocoRle.bbox(new long[] {3, 1}, 2, 2));
  }

  @Test
  void shouldTreatAnyNonZeroByteAsForeground() {
    assertArrayEquals(new long[] {0, 2}, CocoRle.encode(new byte[] {(byte) 255, 7}, 2, 1));
  }

  @Test
  void shouldRoundTripRandomMasksAndAgreeOnAreaAndBox() {
    Random random = new Random(7);
    for (int trial = 0; trial < 200; trial++) {
      int w = 1 + random.nextInt(17);
      int h = 1 + random.nextInt(13);
      byte[] mask = new byte[w * h];
      int x0 = random.nextInt(w);
      int y0 = random.nextInt(h);
      int x1 = x0 + random.nextInt(w - x0);
      int y1 = y0 + random.nextInt(h - y0);
      long area = 0;
      for (int y = y0; y <= y1; y++) {
        for (int x = x0; x <= x1; x++) {
          if (random.nextInt(3) > 0 || (x == x0 && y == y0) || (x == x1 && y == y1)) {
            mask[y * w + x] = 1;
            area++;
          }
        }
      }
      mask[y0 * w + x1] = 1; // corners fix the box exactly
      mask[y1 * w + x0] = 1;
      area = 0;
      for (byte b : mask) {
        area += b;
      }
      long[] counts = CocoRle.encode(mask, w, h);
      assertArrayEquals(mask, CocoRle.decode(counts, w, h));
      assertEquals(area, CocoRle.area(counts));
      assertArrayEquals(new int[] {x0, y0, x1 - x0 + 1, y1 - y0 + 1}, CocoRle.bbox(counts, w, h),
          "trial " + trial);
      for (int i = 1; i < counts.length; i++) {
        assertEquals(true, counts[i] > 0, "only the first run may be empty");
      }
    }
  }

  @Test
  void shouldMatchPycocotoolsOnItsOwnEncodedMasks() throws Exception {
    JsonNode fixture;
    try (InputStream in = getClass().getResourceAsStream("/coco/pycocotools_rle.json")) {
      fixture = new ObjectMapper().readTree(in);
    }
    assertEquals(40, fixture.get("cases").size());
    for (JsonNode c : fixture.get("cases")) {
      int w = c.get("width").asInt();
      int h = c.get("height").asInt();
      byte[] mask = new byte[w * h];
      for (int y = 0; y < h; y++) {
        String row = c.get("rows").get(y).asText();
        for (int x = 0; x < w; x++) {
          mask[y * w + x] = (byte) (row.charAt(x) - '0');
        }
      }
      String theirs = c.get("counts").asText();
      long[] ours = CocoRle.encode(mask, w, h);
      assertEquals(theirs, CocoRle.toCompressedString(ours), "compressed counts of " + c);
      assertArrayEquals(ours, CocoRle.fromCompressedString(theirs));
      assertArrayEquals(mask, CocoRle.decode(CocoRle.fromCompressedString(theirs), w, h));
      assertEquals(c.get("area").asLong(), CocoRle.area(ours));
      int[] bbox = new int[4];
      for (int i = 0; i < 4; i++) {
        bbox[i] = c.get("bbox").get(i).asInt();
      }
      assertArrayEquals(bbox, CocoRle.bbox(ours, w, h), "bbox of " + c);
    }
  }

  @Test
  void shouldRefuseMalformedCompressedStrings() {
    assertThrows(IllegalArgumentException.class, () -> CocoRle.fromCompressedString("P"));
    assertThrows(IllegalArgumentException.class, () -> CocoRle.fromCompressedString("~~"));
  }

  @Test
  void shouldRefuseCountsThatDoNotCoverTheImage() {
    assertThrows(IllegalArgumentException.class, () -> CocoRle.decode(new long[] {2, 3}, 3, 2));
    assertThrows(IllegalArgumentException.class, () -> CocoRle.decode(new long[] {7, -1}, 3, 2));
    assertThrows(IllegalArgumentException.class, () -> CocoRle.encode(new byte[5], 3, 2));
    assertThrows(IllegalArgumentException.class, () -> CocoRle.encode(new byte[0], 0, 2));
  }
}
