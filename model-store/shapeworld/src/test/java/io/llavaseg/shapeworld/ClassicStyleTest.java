package io.llavaseg.shapeworld;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The classic style renders exactly what the generator rendered before styles existed: the hashes
 * below were computed on the code of commit 84657ce (images, masks, scenes and queries of a few
 * samples of two worlds), so committed evaluation figures keep their meaning.
 */
class ClassicStyleTest {

  static String hash(ShapeWorld world, int from, int to) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (int i = from; i < to; i++) {
      Sample s = world.sample(i);
      BufferedImage img = s.image();
      int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
      ByteBuffer b = ByteBuffer.allocate(px.length * 4);
      b.asIntBuffer().put(px);
      md.update(b.array());
      
      for (int y = 0; y < s.mask().height(); y++) {
        for (int x = 0; x < s.mask().width(); x++) {
          md.update((byte) (s.mask().get(x, y) ? 1 : 0));
        }
      }
      md.update((s.query() + "|" + s.answer() + "|" + s.target() + "|" + s.attributes() + "|" + s.kind())
          .getBytes(StandardCharsets.UTF_8));
      for (SceneObject o : s.scene().objects()) {
        md.update((o.sizedName() + o.location() + o.cx() + "," + o.cy()).getBytes(StandardCharsets.UTF_8));
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  @Test
  void classicRendersTheImagesMasksAndQueriesOfTheGeneratorBeforeStyles() throws Exception {
    assertEquals("b51489bc1ef1546b142d96c705b9426c2d623b926fea4f701b9d7e321b90b118", hash(ShapeWorld.of(Split.VAL), 0, 12));
    assertEquals("331cfc4e88d9b7b598fb203037bd8c9b2792e44f0b68995468796b2664833f34", hash(new ShapeWorld(7, 320, 240), 100, 106));
  }
}
