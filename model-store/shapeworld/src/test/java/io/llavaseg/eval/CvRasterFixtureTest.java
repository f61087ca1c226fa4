package io.llavaseg.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Pixel equality of {@link CvRaster} and {@link GroundTruth} with masks made by OpenCV: the
 * fixture in {@code src/test/resources/lisa-opencv} was written by {@code
 * src/test/python/make_lisa_masks.py} with Debian's python3-opencv (version in {@code
 * cases.json}). Per case: every shape's {@code cv2.polylines} mask, its polylines-then-fillPoly
 * mask, and the label map of LISA's {@code get_mask_from_json}.
 */
class CvRasterFixtureTest {
  private static final String DIR = "/lisa-opencv/";

  private static JsonNode cases() throws IOException {
    try (InputStream in = CvRasterFixtureTest.class.getResourceAsStream(DIR + "cases.json")) {
      assertNotNull(in, "fixture " + DIR + "cases.json is on the test classpath");
      return new ObjectMapper().readTree(in);
    }
  }

  private static byte[] png(String name, int width, int height) throws IOException {
    try (InputStream in = CvRasterFixtureTest.class.getResourceAsStream(DIR + name)) {
      assertNotNull(in, "fixture file " + name);
      BufferedImage img = ImageIO.read(in);
      assertEquals(width, img.getWidth(), name);
      assertEquals(height, img.getHeight(), name);
      Raster r = img.getRaster();
      assertEquals(1, r.getNumBands(), name);
      byte[] out = new byte[width * height];
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          out[y * width + x] = (byte) r.getSample(x, y, 0);
        }
      }
      return out;
    }
  }

  private static double[][] points(JsonNode shape) {
    JsonNode pts = shape.get("points");
    double[][] out = new double[pts.size()][];
    for (int i = 0; i < pts.size(); i++) {
      out[i] = new double[] {pts.get(i).get(0).asDouble(), pts.get(i).get(1).asDouble()};
    }
    return out;
  }

  private static void assertPixels(byte[] expected, byte[] actual, int width, String what) {
    int differing = 0;
    String first = null;
    for (int i = 0; i < expected.length; i++) {
      if (expected[i] != actual[i]) {
        if (first == null) {
          first = "(" + i % width + ", " + i / width + "): OpenCV " + (expected[i] & 0xff) + ", Java " + (actual[i] & 0xff);
        }
        differing++;
      }
    }
    assertEquals(0, differing, what + ": " + differing + " pixels differ, first at " + first);
  }

  @TestFactory
  Stream<DynamicTest> everyOpenCvMaskIsReproducedPixelForPixel() throws IOException {
    JsonNode doc = cases();
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : doc.get("cases")) {
      String name = c.get("name").asText();
      int w = c.get("width").asInt();
      int h = c.get("height").asInt();
      tests.add(DynamicTest.dynamicTest(name, () -> {
        List<LabeledPolygon> shapes = new ArrayList<>();
        int k = 0;
        for (JsonNode s : c.get("shapes")) {
          double[][] pts = points(s);
          shapes.add(new LabeledPolygon(s.get("label").asText(), pts));
          int[][] ipts = CvRaster.toInt32(pts);
          byte[] lines = new byte[w * h];
          CvRaster.polylines(ipts, true, lines, w, h, (byte) 1);
          assertPixels(png(name + "_" + k + "_lines.png", w, h), lines, w, name + " shape " + k + " polylines");
          byte[] both = new byte[w * h];
          CvRaster.drawLisa(ipts, both, w, h, (byte) 1);
          assertPixels(png(name + "_" + k + ".png", w, h), both, w, name + " shape " + k + " polylines + fillPoly");
          k++;
        }
        assertPixels(png(name + ".png", w, h), GroundTruth.labels(shapes, w, h), w, name + " label map");
      }));
    }
    assertTrue(tests.size() >= 30, "the fixture has its cases");
    return tests.stream();
  }
}
