package io.llavaseg.topology;

import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.schemas.ImageReference;
import io.llavaseg.schemas.InlineImage;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import javax.imageio.ImageIO;

/** Images and queries for tests. */
public final class TestData {
  public static final Instant CAPTURED = Instant.parse("2026-11-27T12:00:00Z");

  private TestData() {}

  /** A w x h image with a red square, encoded as PNG or JPEG ("png"/"jpg"). */
  public static byte[] image(int w, int h, String format) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.setColor(Color.RED);
    g.fillRect(w / 8, h / 8, w / 4, h / 4);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, format, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static byte[] png(int w, int h) {
    return image(w, h, "png");
  }

  /**
   * A PNG signature and an IHDR chunk (valid CRC) declaring {@code width} x {@code height} at {@code
   * bitDepth} bits per sample of {@code colorType} (2 RGB, 6 RGBA, 0 grey), then IEND: a few dozen
   * bytes that claim any size, and no pixels.
   */
  public static byte[] pngHeader(int width, int height, int bitDepth, int colorType) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) bitDepth).put((byte) colorType)
        .put((byte) 0).put((byte) 0).put((byte) 0);
    pngChunk(out, "IHDR", ihdr.array());
    pngChunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  /** A PNG chunk: length, type, data, CRC-32 of type and data. */
  public static void pngChunk(ByteArrayOutputStream out, String type, byte[] data) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    out.writeBytes(t);
    out.writeBytes(data);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  public static InlineImage inline(String mediaType, byte[] data) {
    return InlineImage.newBuilder().setMediaType(mediaType).setData(ByteBuffer.wrap(data)).build();
  }

  public static ImageReference reference(String uri, String sha256) {
    return ImageReference.newBuilder().setUri(uri).setSha256(sha256).setMediaType(null).build();
  }

  public static ImageQuery query(String id, String source, String question) {
    return query(id, source, question, inline("image/png", png(128, 96)));
  }

  public static ImageQuery query(String id, String source, String question, Object image) {
    return ImageQuery.newBuilder()
        .setQueryId(id)
        .setSourceId(source)
        .setCaptureTime(CAPTURED)
        .setImage(image)
        .setQuestion(question)
        .setOptions(Map.of())
        .build();
  }
}
