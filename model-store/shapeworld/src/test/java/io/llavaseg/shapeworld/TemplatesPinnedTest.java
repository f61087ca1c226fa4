package io.llavaseg.shapeworld;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.DataBufferInt;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The default language (templates) is pinned: queries, answers, targets, attributes, images and
 * masks of these (seed, index) pairs hash to what they hashed to before languages existed (the
 * digests were computed on the commit before the Language setting was added).
 */
class TemplatesPinnedTest {

  static String digest(ShapeWorld w, int n, boolean withPixels) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (int i = 0; i < n; i++) {
      Sample s = w.sample(i);
      String text = String.join("\u0000", s.name(), s.query(), String.valueOf(s.isSentence()), s.kind().name(),
          s.answer(), s.target(), s.attributes(), String.valueOf(s.targetIndex()));
      md.update(text.getBytes(StandardCharsets.UTF_8));
      md.update(ByteBuffer.allocate(4).putInt(s.mask().hashCode()).array());
      md.update(ByteBuffer.allocate(8).putLong(s.mask().area()).array());
      if (withPixels) {
        int[] px = ((DataBufferInt) s.image().getRaster().getDataBuffer()).getData();
        ByteBuffer b = ByteBuffer.allocate(px.length * 4);
        b.asIntBuffer().put(px);
        md.update(b.array());
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  static String textDigest(ShapeWorld w, int n) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (int i = 0; i < n; i++) {
      Sample s = w.sample(i);
      md.update((s.query() + "\u0000" + s.answer() + "\u0000" + s.attributes() + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(md.digest());
  }

  @Test
  void templatesLanguageKeepsEverySampleByteIdentical() throws Exception {
    assertEquals("9d6d585bfd613a3b412b9f811ac8412d6a5b00f67acd9195e01076c6ce06d959",
        digest(ShapeWorld.of(Split.VAL), 120, true));
    assertEquals("5f54c40442c29cd9db5cad3bfe1b847b73b03ed10fba5fca05d47a625c98b97a", digest(new ShapeWorld(7), 120, true));
    assertEquals("1fdc3d03ce7b7b6fdd8809d7eab655c4a097e17d51573d7419cd925c421f6b23",
        textDigest(ShapeWorld.of(Split.TRAIN), 2000));
    assertEquals("9d6d585bfd613a3b412b9f811ac8412d6a5b00f67acd9195e01076c6ce06d959",
        digest(ShapeWorld.of(Split.VAL).withLanguage(Language.TEMPLATES), 120, true));
  }
}
