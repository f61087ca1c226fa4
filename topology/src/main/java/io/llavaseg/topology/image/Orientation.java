package io.llavaseg.topology.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;

/**
 * Brings a decoded image to what the models read: 8-bit RGB (an RGB image as decoded, else
 * {@code TYPE_INT_RGB}) whatever the file held (greyscale, 16-bit, palette), transparency composited over {@link #BACKGROUND} white,
 * and turned upright by the EXIF orientation a camera wrote into a JPEG ({@link #exifOrientation};
 * 1 = as stored, 2-8 the mirrorings and quarter turns of the EXIF/TIFF specification).
 */
final class Orientation {
  /** What transparent pixels are drawn over. */
  static final Color BACKGROUND = Color.WHITE;

  private Orientation() {}

  /** {@code src} as upright 8-bit RGB over white. */
  static BufferedImage normalize(BufferedImage src, int orientation) {
    int w = src.getWidth();
    int h = src.getHeight();
    boolean quarterTurn = orientation >= 5 && orientation <= 8;
    int outW = quarterTurn ? h : w;
    int outH = quarterTurn ? w : h;
    if (orientation <= 1 && isPlainRgb(src)) {
      return src; // already what the models read (they read pixels with getRGB): no copy per record
    }
    AffineTransform t = new AffineTransform();
    switch (orientation) {
      case 2 -> t.setTransform(-1, 0, 0, 1, w, 0);          // mirrored left-right
      case 3 -> t.setTransform(-1, 0, 0, -1, w, h);         // half turn
      case 4 -> t.setTransform(1, 0, 0, -1, 0, h);          // mirrored top-bottom
      case 5 -> t.setTransform(0, 1, 1, 0, 0, 0);           // transposed
      case 6 -> t.setTransform(0, 1, -1, 0, h, 0);          // a quarter turn clockwise
      case 7 -> t.setTransform(0, -1, -1, 0, h, w);         // transversed
      case 8 -> t.setTransform(0, -1, 1, 0, 0, w);          // a quarter turn anticlockwise
      default -> { }
    }
    BufferedImage out = new BufferedImage(outW, outH, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
      g.setColor(BACKGROUND);
      g.fillRect(0, 0, outW, outH);
      g.drawImage(src, t, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /** 8-bit RGB without alpha: what JPEG and most PNG decoding gives. */
  private static boolean isPlainRgb(BufferedImage image) {
    int t = image.getType();
    return t == BufferedImage.TYPE_INT_RGB || t == BufferedImage.TYPE_3BYTE_BGR || t == BufferedImage.TYPE_INT_BGR;
  }

  /**
   * The EXIF orientation tag (0x0112) of a JPEG's APP1 Exif segment, 1 when there is none or it
   * cannot be read. Only the segments before the image data are scanned.
   */
  static int exifOrientation(byte[] jpeg) {
    try {
      int i = 2;
      if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
        return 1;
      }
      while (i + 4 <= jpeg.length && (jpeg[i] & 0xFF) == 0xFF) {
        int marker = jpeg[i + 1] & 0xFF;
        int length = ((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF);
        if (marker == 0xDA || length < 2) {
          return 1;
        }
        int start = i + 4;
        if (marker == 0xE1 && length >= 8 && start + 6 <= jpeg.length
            && new String(jpeg, start, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("Exif")) {
          return tiffOrientation(jpeg, start + 6, Math.min(jpeg.length, i + 2 + length));
        }
        i += 2 + length;
      }
    } catch (RuntimeException e) {
      // a malformed segment: as stored
    }
    return 1;
  }

  private static int tiffOrientation(byte[] b, int tiff, int end) {
    boolean little = b[tiff] == 'I' && b[tiff + 1] == 'I';
    int ifd = tiff + u32(b, tiff + 4, little);
    int entries = u16(b, ifd, little);
    for (int e = 0; e < entries; e++) {
      int entry = ifd + 2 + 12 * e;
      if (entry + 12 > end) {
        break;
      }
      if (u16(b, entry, little) == 0x0112) {
        int value = u16(b, entry + 8, little);
        return value >= 1 && value <= 8 ? value : 1;
      }
    }
    return 1;
  }

  private static int u16(byte[] b, int at, boolean little) {
    return little ? (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 : (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
  }

  private static int u32(byte[] b, int at, boolean little) {
    return little
        ? (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24
        : (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
  }
}
