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
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The bad inputs every deployment meets, each with the dead-letter code it must get: broken and
 * hostile images, wire-format damage, out-of-limit records and questions, and references that try
 * to read what they must not. Built for a service configured with {@link #LIMITS}.
 */
final class BadInputCorpus {
  /** One bad record: its key, its value bytes, its headers, and the code its dead letter must carry. */
  record Case(String name, byte[] key, byte[] value, String code, List<Header> headers) {
    Case(String name, byte[] key, byte[] value, String code) {
      this(name, key, value, code, List.of());
    }
  }

  /**
   * The limits the corpus is built against (added to the service's properties). The http(s) hosts
   * are allowed so that their addresses are what refuses them (port 9: nothing is ever sent there).
   */
  static final java.util.Map<String, String> LIMITS = java.util.Map.of(
      "llavaseg.image.max-bytes", "200000",
      "llavaseg.image.max-side", "2048",
      "llavaseg.record.max-bytes", "600000",
      "llavaseg.question.max-chars", "1000",
      "llavaseg.image.decode-budget-bytes", "20000000",
      "llavaseg.reference.hosts", "127.0.0.1:9,localhost:9");

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

      void query(String name, String queryId, Map<String, String> options, String code) {
        ImageQuery query = TestData.query(queryId, "cam-bad", q, TestData.inline("image/png", png));
        query.setOptions(options);
        cases.add(new Case(name, key, serialize.apply(query), code));
      }

      /** The question "segment the XX star" with the bytes of "XX" replaced on the wire (invalid UTF-8). */
      void questionBytes(String name, byte[] replacement, String code) {
        byte[] bytes = serialize.apply(TestData.query("bad-" + cases.size(), "cam-bad",
            "segment the " + "X".repeat(replacement.length) + " star", TestData.inline("image/png", png)));
        for (int i = 0; i + replacement.length <= bytes.length; i++) {
          if (new String(bytes, i, replacement.length, StandardCharsets.ISO_8859_1).equals("X".repeat(replacement.length))) {
            System.arraycopy(replacement, 0, bytes, i, replacement.length);
            break;
          }
        }
        cases.add(new Case(name, key, bytes, code));
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
    // a value just under llavaseg.record.max-bytes (600000) whose key names another source
    byte[] nearLimit = serialize.apply(TestData.query("bad-near-limit", "cam-bad", q,
        TestData.inline("image/png", noise(598_000))));
    cases.add(new Case("near-limit value with a mismatched key", "cam-other".getBytes(StandardCharsets.UTF_8),
        nearLimit, "KEY_MISMATCH"));
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

    // images: damaged, empty and hostile headers
    byte[] badSignature = png.clone();
    badSignature[1] = 'Q';
    add.image("PNG with a damaged signature (wrong magic)", "image/png", badSignature, "IMAGE_UNDECODABLE");
    add.image("PNG header without pixel data", "image/png", TestData.pngHeader(128, 96, 8, 2), "IMAGE_UNDECODABLE");
    add.image("PNG declaring 0x0 pixels", "image/png", TestData.pngHeader(0, 0, 8, 2), "IMAGE_UNDECODABLE");
    add.image("PNG declaring 2147483647 x 1 pixels", "image/png", TestData.pngHeader(Integer.MAX_VALUE, 1, 8, 2),
        "IMAGE_SIZE_OUT_OF_RANGE");
    add.image("few-byte PNG that decodes to 2048x2048 16-bit RGBA (48 MiB)", "image/png",
        TestData.pngHeader(2048, 2048, 16, 6), "IMAGE_DECODE_TOO_LARGE");
    add.image("JPEG of nothing but its start marker", "image/jpeg", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF},
        "IMAGE_UNDECODABLE");
    add.image("1x1 pixel JPEG", "image/jpeg", TestData.image(1, 1, "jpg"), "IMAGE_SIZE_OUT_OF_RANGE");
    add.image("GIF labelled PNG", "image/png", TestData.image(128, 96, "gif"), "IMAGE_UNDECODABLE");
    add.image("empty media type", "", png, "MEDIA_TYPE_UNSUPPORTED");
    add.image("SVG with a script", "image/svg+xml",
        "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".getBytes(StandardCharsets.UTF_8),
        "MEDIA_TYPE_UNSUPPORTED");
    // wire format and record
    cases.add(new Case("value shorter than the wire-format header", key, new byte[] {0, 0, 0}, "TRUNCATED"));
    cases.add(new Case("bytes left over after the record", key, Arrays.copyOf(good, good.length + 3),
        "MALFORMED_PAYLOAD"));
    byte[] magicOne = good.clone();
    magicOne[0] = 1;
    cases.add(new Case("magic byte 1 before a valid body", key, magicOne, "WRONG_MAGIC_BYTE"));
    cases.add(new Case("empty value", key, new byte[0], "VALUE_MISSING"));
    List<Header> headers = new ArrayList<>();
    for (int i = 0; i < 17; i++) {
      headers.add(new RecordHeader("h" + i, new byte[1000]));
    }
    cases.add(new Case("17 kB of headers", key, good, "HEADERS_TOO_LARGE", headers));
    cases.add(new Case("empty key", new byte[0], good, "KEY_MISMATCH"));
    add.query("blank query id", " ", Map.of(), "QUERY_ID_INVALID");
    add.query("129-character query id", "q".repeat(129), Map.of(), "QUERY_ID_INVALID");
    // questions
    add.question("question one character over the limit", "w".repeat(1001), "QUESTION_TOO_LONG");
    add.question("zero-length question", "", "QUESTION_EMPTY");
    add.question("NUL in the question", "segment\u0000the star", "QUESTION_CONTROL_CHARS");
    add.questionBytes("overlong UTF-8 in the question", new byte[] {(byte) 0xC0, (byte) 0xAF}, "QUESTION_NOT_UTF8");
    add.questionBytes("UTF-8 encoded surrogate in the question", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        "QUESTION_NOT_UTF8");
    // options
    add.query("mask option that is neither true nor false", "bad-mask", Map.of("mask", "maybe"), "OPTIONS_INVALID");
    Map<String, String> many = new java.util.HashMap<>();
    for (int i = 0; i < 100; i++) {
      many.put("k" + i, "v");
    }
    add.query("100 options", "bad-options", many, "OPTIONS_INVALID");
    // references: addresses, schemes, hosts, files
    add.reference("loopback address on an allowed host", "http://127.0.0.1:9/frame.png", sha,
        "REFERENCE_ADDRESS_REFUSED");
    add.reference("allowed name that resolves to loopback (DNS rebinding)", "http://localhost:9/frame.png", sha,
        "REFERENCE_ADDRESS_REFUSED");
    add.reference("credentials in an http reference", "http://user:pw@127.0.0.1:9/frame.png", sha,
        "REFERENCE_NOT_ALLOWED");
    add.reference("ftp reference", "ftp://127.0.0.1:9/frame.png", sha, "REFERENCE_NOT_ALLOWED");
    add.reference("host not on the allow-list", "http://example.com/frame.png", sha, "REFERENCE_NOT_ALLOWED");
    Files.createDirectories(roots.resolve("dir.png"));
    add.reference("directory under the roots", roots.resolve("dir.png").toUri().toString(), sha,
        "REFERENCE_NOT_ALLOWED");
    Path link = Files.createSymbolicLink(roots.resolve("link.png"), secret);
    add.reference("symlink under the roots to a file outside", link.toUri().toString(), sha, "REFERENCE_NOT_ALLOWED");
    byte[] bigFile = noisePng(300, 300);
    Path big = Files.write(roots.resolve("big.png"), bigFile);
    add.reference("referenced file over the byte limit", big.toUri().toString(), ImageLoader.sha256(bigFile),
        "IMAGE_TOO_LARGE");
    Path text = Files.write(roots.resolve("frame.txt"), file);
    add.reference("referenced file of unknown type", text.toUri().toString(), sha, "MEDIA_TYPE_UNSUPPORTED");
    add.reference("sha256 that is not hex", frame.toUri().toString(), "not-a-hash", "REFERENCE_HASH_MISMATCH");
    return cases;
  }

  /** A PNG signature and an IHDR chunk (valid CRC) declaring width x height RGB, then IEND: no pixels. */
  static byte[] pngHeaderOnly(int width, int height) {
    return TestData.pngHeader(width, height, 8, 2);
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
