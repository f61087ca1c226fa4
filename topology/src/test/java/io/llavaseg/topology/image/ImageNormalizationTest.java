package io.llavaseg.topology.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.topology.StageFailure;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Images as cameras and tools write them come out upright 8-bit RGB. */
class ImageNormalizationTest {
  private final ImageLoader loader = new ImageLoader(new ValidationLimits(1_000_000, 1_000_000, 16, 4096, 1000, List.of()));

  private static byte[] encode(BufferedImage image, String format) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(image, format, out), "writer for " + format);
    return out.toByteArray();
  }

  private BufferedImage decode(String type, byte[] data) throws StageFailure {
    return loader.decode(new ImageLoader.Encoded(type, data));
  }

  @Test
  void shouldCompositeTransparencyOverWhite() throws Exception {
    BufferedImage argb = new BufferedImage(32, 32, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(5, 5, 0xFFFF0000);
    BufferedImage rgb = decode("image/png", encode(argb, "png"));
    assertEquals(BufferedImage.TYPE_INT_RGB, rgb.getType());
    assertEquals(0xFFFFFF, rgb.getRGB(0, 0) & 0xFFFFFF, "transparent -> white");
    assertEquals(0xFF0000, rgb.getRGB(5, 5) & 0xFFFFFF);
  }

  @Test
  void shouldConvertSixteenBitGreyAndPaletteImagesToRgb() throws Exception {
    BufferedImage grey16 = new BufferedImage(32, 32, BufferedImage.TYPE_USHORT_GRAY);
    grey16.getRaster().setSample(3, 4, 0, 65535);
    BufferedImage a = decode("image/png", encode(grey16, "png"));
    assertEquals(BufferedImage.TYPE_INT_RGB, a.getType());
    assertEquals(0xFFFFFF, a.getRGB(3, 4) & 0xFFFFFF);
    assertEquals(0x000000, a.getRGB(0, 0) & 0xFFFFFF);

    byte[] r = {0, (byte) 255}, g = {0, 0}, b = {0, 0};
    BufferedImage palette = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, g, b));
    palette.getRaster().setSample(7, 8, 0, 1);
    BufferedImage c = decode("image/png", encode(palette, "png"));
    assertEquals(0xFF0000, c.getRGB(7, 8) & 0xFFFFFF);
  }

  /** A JPEG with an APP1 Exif segment holding only the orientation tag. */
  private static byte[] withExifOrientation(byte[] jpeg, int orientation) {
    ByteBuffer tiff = ByteBuffer.allocate(26).order(ByteOrder.LITTLE_ENDIAN);
    tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
    tiff.putShort((short) 1);
    tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
    tiff.putInt(0);
    byte[] exif = new byte[6 + tiff.capacity()];
    System.arraycopy("Exif\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, exif, 0, 6);
    System.arraycopy(tiff.array(), 0, exif, 6, tiff.capacity());
    ByteBuffer out = ByteBuffer.allocate(jpeg.length + 4 + exif.length);
    out.put(jpeg, 0, 2).put((byte) 0xFF).put((byte) 0xE1).putShort((short) (exif.length + 2)).put(exif);
    out.put(jpeg, 2, jpeg.length - 2);
    return out.array();
  }

  @Test
  void shouldTurnAJpegUprightByItsExifOrientation() throws Exception {
    BufferedImage stored = new BufferedImage(80, 40, BufferedImage.TYPE_INT_RGB);
    var g = stored.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 80, 40);
    g.setColor(Color.RED);
    g.fillRect(0, 0, 20, 20); // the stored top-left corner
    g.dispose();
    byte[] jpeg = encode(stored, "jpg");
    assertEquals(6, Orientation.exifOrientation(withExifOrientation(jpeg, 6)));
    BufferedImage upright = decode("image/jpeg", withExifOrientation(jpeg, 6));
    assertEquals(40, upright.getWidth(), "a quarter turn swaps the sides");
    assertEquals(80, upright.getHeight());
    assertTrue(isRed(upright.getRGB(30, 8)), "the stored top-left is now top-right");
    assertTrue(!isRed(upright.getRGB(8, 8)));
    BufferedImage asStored = decode("image/jpeg", jpeg);
    assertEquals(80, asStored.getWidth());
    assertEquals(BufferedImage.TYPE_3BYTE_BGR, asStored.getType(), "an upright RGB JPEG is not copied");
    assertTrue(isRed(asStored.getRGB(8, 8)));
    assertEquals(1, Orientation.exifOrientation(new byte[] {1, 2, 3}), "not a JPEG");
  }

  private static boolean isRed(int rgb) {
    return ((rgb >> 16) & 0xFF) > 180 && ((rgb >> 8) & 0xFF) < 90 && (rgb & 0xFF) < 90;
  }
}
