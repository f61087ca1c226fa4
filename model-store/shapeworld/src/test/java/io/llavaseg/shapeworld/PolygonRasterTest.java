package io.llavaseg.shapeworld;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PolygonRasterTest {

  private static int count(byte[] m) {
    int n = 0;
    for (byte b : m) {
      n += b;
    }
    return n;
  }

  @Test
  void axisAlignedSquareCoversThePixelsWhoseCentresItContains() {
    byte[] m = PolygonRaster.mask(new double[][] {{1, 1}, {4, 1}, {4, 4}, {1, 4}}, 6, 6);
    assertEquals(9, count(m));
    for (int y = 0; y < 6; y++) {
      for (int x = 0; x < 6; x++) {
        assertEquals(x >= 1 && x <= 3 && y >= 1 && y <= 3 ? 1 : 0, m[y * 6 + x], "pixel " + x + "," + y);
      }
    }
  }

  @Test
  void rightTriangleLeavesCentresOnItsHypotenuseOut() {
    // centres (x+.5, y+.5) strictly inside x + y < 4: x + y <= 2, i.e. 3 + 2 + 1 pixels
    byte[] m = PolygonRaster.mask(new double[][] {{0, 0}, {4, 0}, {0, 4}}, 5, 5);
    assertEquals(6, count(m));
    assertEquals(1, m[2 * 5]); // (0, 2)
    assertEquals(0, m[3 * 5]); // (0, 3): centre (0.5, 3.5) is on the hypotenuse
    assertEquals(0, m[1 * 5 + 2]); // (2, 1)
  }

  @Test
  void evenOddRuleLeavesAHoleWhereTheOutlineWindsTwice() {
    double[][] ring = {{0, 0}, {6, 0}, {6, 6}, {0, 6}, {0, 0}, {2, 2}, {2, 4}, {4, 4}, {4, 2}, {2, 2}};
    byte[] m = PolygonRaster.mask(ring, 6, 6);
    assertEquals(32, count(m));
    assertEquals(0, m[2 * 6 + 2]);
    assertEquals(0, m[3 * 6 + 3]);
    assertEquals(1, m[1 * 6 + 2]);
  }

  @Test
  void partsOutsideTheImageAreClipped() {
    byte[] m = PolygonRaster.mask(new double[][] {{-5, -5}, {2, -5}, {2, 2}, {-5, 2}}, 4, 4);
    assertEquals(4, count(m));
    assertEquals(1, m[0]);
    assertEquals(1, m[1 * 4 + 1]);
    assertEquals(0, m[2]);
  }

  @Test
  void fewerThanThreeVerticesFillNothing() {
    assertEquals(0, count(PolygonRaster.mask(new double[][] {{0, 0}, {3, 3}}, 4, 4)));
  }

  @Test
  void shoelaceAreaOfTheTriangle() {
    assertEquals(8.0, PolygonRaster.area(new double[][] {{0, 0}, {4, 0}, {0, 4}}), 1e-12);
  }
}
