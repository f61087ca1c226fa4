package io.llavaseg.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.shapeworld.QueryKind;
import io.llavaseg.shapeworld.Sample;
import io.llavaseg.shapeworld.PolygonRaster;
import io.llavaseg.shapeworld.ShapeWorld;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReasonSegRoundTripTest {
  @TempDir Path dir;

  @Test
  void writtenSamplesReadBackWithTheirTextsKindsAndExactMasks() throws Exception {
    ShapeWorld world = new ShapeWorld(42);
    for (QueryKind kind : QueryKind.values()) {
      for (int i = 0; i < 6; i++) {
        Sample s = world.sample(i, kind);
        Sample renamed = new Sample(s.name() + "-" + kind, s.image(), s.scene(), s.query(), s.isSentence(), s.kind(),
            s.answer(), s.target(), s.attributes(), s.targetIndex(), s.mask());
        ReasonSegWriter.write(dir, renamed);
        DatasetSample back = new ReasonSegDataset(dir).read(renamed.name());
        assertEquals(s.query(), back.query());
        assertEquals(s.isSentence(), back.isSentence());
        assertEquals(kind, back.kind());
        assertEquals(s.answer(), back.answer());
        assertEquals(s.target(), back.target());
        assertEquals(s.attributes(), back.attributes());
        assertEquals(s.image().getWidth(), back.width());
        // the written polygons are the sample's mask under ShapeWorld's own rasterisation (pixel
        // centres); the harness scores against LISA's drawing of them (GroundTruth), not this
        byte[] centres = new byte[back.width() * back.height()];
        for (LabeledPolygon p : back.shapes()) {
          PolygonRaster.fill(p.points(), centres, back.width(), back.height(), (byte) 1);
        }
        assertArrayEquals(s.mask().pixels(), centres, renamed.name() + ": polygons differ from the mask");
        if (!kind.hasTarget()) {
          assertTrue(back.shapes().isEmpty());
        }
      }
    }
  }

  @Test
  void theJpegRoundTripIsWhatEvalReadsFromAGeneratedDataset() throws Exception {
    ShapeWorld world = new ShapeWorld(42);
    for (int i = 0; i < 5; i++) {
      Sample s = world.sample(i);
      ReasonSegWriter.write(dir, s);
      java.awt.image.BufferedImage read = new ReasonSegDataset(dir).read(s.name()).image();
      java.awt.image.BufferedImage roundTrip = ReasonSegWriter.jpegRoundTrip(s.image());
      int w = s.image().getWidth();
      int h = s.image().getHeight();
      assertEquals(w, roundTrip.getWidth());
      assertEquals(h, roundTrip.getHeight());
      assertArrayEquals(read.getRGB(0, 0, w, h, null, 0, w), roundTrip.getRGB(0, 0, w, h, null, 0, w), s.name());
      int[] rendered = s.image().getRGB(0, 0, w, h, null, 0, w);
      int[] back = roundTrip.getRGB(0, 0, w, h, null, 0, w);
      long error = 0;
      boolean changed = false;
      for (int p = 0; p < rendered.length; p++) {
        for (int shift = 0; shift < 24; shift += 8) {
          int d = Math.abs((rendered[p] >> shift & 0xff) - (back[p] >> shift & 0xff));
          error += d;
          changed |= d != 0;
        }
      }
      assertTrue(changed, "a lossy JPEG, not the rendered pixels");
      assertTrue(error < 3.0 * rendered.length * 3, s.name() + ": mean error " + (double) error / (3 * rendered.length));
    }
  }
}
