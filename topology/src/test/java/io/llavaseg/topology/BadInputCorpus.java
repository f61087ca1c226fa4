package io.llavaseg.topology;

import io.llavaseg.schemas.ImageAnswer;
import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.topology.image.ImageLoader;
import io.llavaseg.topology.processor.OutputRecords;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.zip.CRC32;

/**
 * The bad inputs every deployment meets, each with the dead-letter code it must get: broken and
 * hostile images, wire-format damage, out-of-limit records and questions, and references that try
 * to read what they must not. Built for a service configured with {@link #LIMITS}.
 */
final class BadInputCorpus {
  /** One bad record: its key, its value bytes, and the code its dead letter must carry. */
  record Case(String name, byte[] key, byte[] value, String code) {}

  /** The limits the corpus is built against (added to the service's properties). */
  static final java.util.Map<String, String> LIMITS = java.util.Map.of(
      "llavaseg.image.max-bytes", "200000",
      "llavaseg.image.max-side", "2048",
      "llavaseg.record.max-bytes", "600000",
      "llavaseg.question.max-chars", "1000");

  private BadInputCorpus() {}

  static List<Case> build(Function<ImageQuery, byte[]> serialize, Function<ImageAnswer, byte[]> serializeAnswer,
      Path roots, Path outside) throws IOException {
    List<Case> cases = new ArrayList<>();
    byte[] png = TestData.png(128, 96);
    byte[] jpg = TestData.image(128, 96, "jpg");
    byte[] key = "cam-bad".getBytes(StandardCharsets.UTF_8);
    String q = "please segment the star";
    class Add {
      void image(String name, String type, byte[] data, String code) {
        cases.add(new Case(name, key, serialize.apply(TestData.query("bad-" + cases.size(), "cam-bad", q,
            TestData.inline(type, data))), code));
      }

      void question(String name, String question, String code) {
        cases.add(new Case(name, key, serialize.apply(TestData.query("bad-" + cases.size(), "cam-bad", question,
            TestData.inline("image/png", png))), code));
      }

      void reference(String name, String uri, String sha, String code) {
        cases.add(new Case(name, key, serialize.apply(TestData.query("bad-" + cases.size(), "cam-bad", q,
            TestData.reference(uri, sha))), code));
      }
    }
    Add add = new Add();
    // images
    add.image("truncated PNG", "image/png", Arrays.copyOf(png, png.length / 2), "IMAGE_UNDECODABLE");
    add.image("truncated JPEG", "image/jpeg", Arrays.copyOf(jpg, jpg.length * 2 / 3), "IMAGE_UNDECODABLE");
    add.image("zero-length image", "image/png", new byte[0], "IMAGE_TOO_LARGE");
    add.image("non-image bytes", "image/png", "hello, not a picture".getBytes(StandardCharsets.UTF_8),
        "IMAGE_UNDECODABLE");
    add.image("decompression bomb (PNG declaring 30000x30000)", "image/png", pngHeaderOnly(30000, 30000),
        "IMAGE_SIZE_OUT_OF_RANGE");
    add.image("image over the byte limit", "image/png", noisePng(300, 300), "IMAGE_TOO_LARGE");
    add.image("image over the side limit", "image/png", TestData.png(3000, 64), "IMAGE_SIZE_OUT_OF_RANGE");
    add.image("image under the side limit", "image/png", TestData.png(16, 16), "IMAGE_SIZE_OUT_OF_RANGE");
    add.image("unsupported media type", "image/gif", png, "MEDIA_TYPE_UNSUPPORTED");
    add.image("JPEG labelled PNG", "image/png", jpg, "IMAGE_UNDECODABLE");
    // wire format
    cases.add(new Case("wrong magic byte", key, "{\"question\":\"json\"}".getBytes(StandardCharsets.UTF_8),
        "WRONG_MAGIC_BYTE"));
    cases.add(new Case("unknown schema id", key, ByteBuffer.allocate(7).put((byte) 0).putInt(987654).put((byte) 2)
        .put((byte) 65).array(), "UNKNOWN_SCHEMA_ID"));
    cases.add(new Case("record of a different schema", key, serializeAnswer.apply(ImageAnswer.newBuilder()
        .setQueryId("x").setSourceId("cam-bad").setCaptureTime(Instant.EPOCH).setQuestion("?").setAnswer("!")
        .setReasoningModel(OutputRecords.modelRef(FakeReasoner.ID)).setAnsweredAt(Instant.EPOCH).build()),
        "INCOMPATIBLE_SCHEMA"));
    byte[] good = serialize.apply(TestData.query("bad-trunc", "cam-bad", q, TestData.inline("image/png", png)));
    cases.add(new Case("truncated Avro", key, Arrays.copyOf(good, good.length / 2), "TRUNCATED"));
    cases.add(new Case("null value", key, null, "VALUE_MISSING"));
    byte[] hugeKey = new byte[40_000];
    Arrays.fill(hugeKey, (byte) 'k');
    byte[] garbage = new byte[900_000];
    new java.util.Random(7).nextBytes(garbage);
    cases.add(new Case("40 kB key with a 900 kB garbage value", hugeKey, garbage, "KEY_TOO_LARGE"));
    cases.add(new Case("null key", null, serialize.apply(TestData.query("bad-nullkey", "cam-bad", q,
        TestData.inline("image/png", png))), "KEY_MISMATCH"));
    cases.add(new Case("key that is not the source id", "cam-other".getBytes(StandardCharsets.UTF_8),
        serialize.apply(TestData.query("bad-key", "cam-bad", q, TestData.inline("image/png", png))), "KEY_MISMATCH"));
    cases.add(new Case("record over the byte limit", key, serialize.apply(TestData.query("bad-big", "cam-bad", q,
        TestData.inline("image/png", noise(700_000)))), "RECORD_TOO_LARGE"));
    cases.add(new Case("invalid query id", key, serialize.apply(TestData.query("q\u0000id", "cam-bad", q,
        TestData.inline("image/png", png))), "QUERY_ID_INVALID"));
    // questions
    add.question("empty question", " \t ", "QUESTION_EMPTY");
    add.question("100 KB question", "why ".repeat(25_600), "QUESTION_TOO_LONG");
    add.question("control characters", "segment\u001b[2J the \u0007star", "QUESTION_CONTROL_CHARS");
    // invalid UTF-8 on the wire: "XX" in the serialized question is replaced by the bytes C3 28
    byte[] utf8 = serialize.apply(TestData.query("bad-utf8", "cam-bad", "segment the XX star",
        TestData.inline("image/png", png)));
    for (int i = 0; i + 1 < utf8.length; i++) {
      if (utf8[i] == 'X' && utf8[i + 1] == 'X') {
        utf8[i] = (byte) 0xC3;
        utf8[i + 1] = (byte) 0x28;
        break;
      }
    }
    cases.add(new Case("invalid UTF-8 in the question", key, utf8, "QUESTION_NOT_UTF8"));
    // references
    byte[] file = TestData.png(100, 80);
    String sha = ImageLoader.sha256(file);
    Path frame = Files.write(roots.resolve("frame.png"), file);
    Path secret = Files.write(outside.resolve("secret.png"), file);
    add.reference("file:///etc/passwd", "file:///etc/passwd", sha, "REFERENCE_NOT_ALLOWED");
    add.reference("file outside the roots", secret.toUri().toString(), sha, "REFERENCE_NOT_ALLOWED");
    add.reference("SSRF to the metadata service", "http://169.254.169.254/latest/meta-data/", sha,
        "REFERENCE_NOT_ALLOWED");
    add.reference("path traversal", roots.toUri() + "../" + outside.getFileName() + "/secret.png", sha,
        "REFERENCE_NOT_ALLOWED");
    add.reference("wrong sha256", frame.toUri().toString(), "00" + sha.substring(2), "REFERENCE_HASH_MISMATCH");
    add.reference("missing file", roots.resolve("missing.png").toUri().toString(), sha, "REFERENCE_UNREADABLE");
    return cases;
  }

  /** A PNG signature and an IHDR chunk (valid CRC) declaring width x height RGB, then IEND: no pixels. */
  static byte[] pngHeaderOnly(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
        .put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(t);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static byte[] noise(int n) {
    byte[] b = new byte[n];
    new Random(7).nextBytes(b);
    return b;
  }

  /** A PNG of random pixels (incompressible: about 3 bytes per pixel). */
  private static byte[] noisePng(int w, int h) throws IOException {
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
    Random r = new Random(3);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, r.nextInt(0x1000000));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    javax.imageio.ImageIO.write(img, "png", out);
    return out.toByteArray();
  }
}
