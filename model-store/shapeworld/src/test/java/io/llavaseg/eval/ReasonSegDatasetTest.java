package io.llavaseg.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReasonSegDatasetTest {
  @TempDir Path dir;

  private void image(String name, int w, int h) throws IOException {
    ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "jpg", dir.resolve(name + ".jpg").toFile());
  }

  private void fixture() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/reasonseg-lisa/lisa_sample.json")) {
      Files.copy(in, dir.resolve("lisa_sample.json"));
    }
    image("lisa_sample", 20, 16);
  }

  private static int count(byte[] labels, int value) {
    int n = 0;
    for (byte b : labels) {
      n += (b & 0xff) == value ? 1 : 0;
    }
    return n;
  }

  @Test
  void readsAHandWrittenLisaFolderSkippingFlagsAndIgnoringIgnoreLabels() throws Exception {
    fixture();
    ReasonSegDataset ds = new ReasonSegDataset(dir);
    assertEquals(List.of("lisa_sample"), ds.names());
    DatasetSample s = ds.read("lisa_sample");
    assertEquals("When enjoying a picnic, what can we use to keep the drinks cold?", s.query());
    assertEquals(2, s.texts().size());
    assertTrue(s.isSentence());
    assertEquals(4, s.shapes().size());
    assertNull(s.kind());
    assertNull(s.answer());
    byte[] labels = s.labels();
    assertEquals(20 * 16, labels.length);
    // as LISA draws them (outline included): target (2..14)x(2..10) = 13x9 = 117 px minus the
    // ignore (4..8)x(4..6) = 5x3 = 15 px inside it, plus the second target's 3x3; flag skipped
    assertEquals(117 - 15 + 9, count(labels, 1));
    assertEquals(15, count(labels, 255));
    assertEquals(0, labels[0]);
  }

  @Test
  void windows1252JsonIsReadLikeLisasFallback() throws Exception {
    image("cafe", 8, 8);
    String json = "{\"text\": [\"the caf\u00e9 sign\"], \"is_sentence\": false, \"shapes\": []}";
    Files.write(dir.resolve("cafe.json"), json.getBytes(Charset.forName("windows-1252")));
    assertEquals("the caf\u00e9 sign", new ReasonSegDataset(dir).read("cafe").query());
  }

  @Test
  void malformedJsonIsReportedWithTheFileName() throws Exception {
    image("broken", 8, 8);
    Files.writeString(dir.resolve("broken.json"), "{\"text\": [\"x\"], ");
    DatasetException e = assertThrows(DatasetException.class, () -> new ReasonSegDataset(dir).read("broken"));
    assertTrue(e.getMessage().contains("broken.json"), e.getMessage());
    assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());
  }

  @Test
  void missingJsonOrImageIsReported() throws Exception {
    image("lonely", 8, 8);
    Files.writeString(dir.resolve("orphan.json"), "{\"text\": [\"x\"], \"is_sentence\": false, \"shapes\": []}");
    ReasonSegDataset ds = new ReasonSegDataset(dir);
    assertEquals(List.of("lonely", "orphan"), ds.names());
    assertTrue(assertThrows(DatasetException.class, () -> ds.read("lonely")).getMessage().contains("lonely.json"));
    assertTrue(assertThrows(DatasetException.class, () -> ds.read("orphan")).getMessage().contains("missing image"));
  }

  @Test
  void undecodableImageIsReported() throws Exception {
    Files.writeString(dir.resolve("bad.jpg"), "not a jpeg");
    Files.writeString(dir.resolve("bad.json"), "{\"text\": [\"x\"], \"is_sentence\": false, \"shapes\": []}");
    DatasetException e = assertThrows(DatasetException.class, () -> new ReasonSegDataset(dir).read("bad"));
    assertTrue(e.getMessage().contains("bad.jpg") && e.getMessage().contains("does not decode"), e.getMessage());
  }

  @Test
  void polygonOutOfBoundsIsReportedUnlessClipping() throws Exception {
    image("oob", 8, 8);
    Files.writeString(dir.resolve("oob.json"), "{\"text\": [\"x\"], \"is_sentence\": false, \"shapes\": "
        + "[{\"label\": \"target\", \"points\": [[0, 0], [30, 0], [30, 4], [0, 4]]}]}");
    DatasetException e = assertThrows(DatasetException.class, () -> new ReasonSegDataset(dir).read("oob"));
    assertTrue(e.getMessage().contains("oob.json") && e.getMessage().contains("outside the 8x8 image"), e.getMessage());
    // rows 0..4 (the outline at y = 4 included) of the 8 columns inside
    assertEquals(40, count(new ReasonSegDataset(dir, true).read("oob").labels(), 1));
  }

  @Test
  void unknownKeysAreIgnoredAndLisaYesNoIsSentenceIsAccepted() throws Exception {
    image("extra", 8, 8);
    Files.writeString(dir.resolve("extra.json"), "{\"text\": \"one string\", \"is_sentence\": \"yes\", "
        + "\"shapes\": [], \"kind\": \"whatever\", \"imageData\": null, \"version\": \"4.5.6\"}");
    DatasetSample s = new ReasonSegDataset(dir).read("extra");
    assertEquals("one string", s.query());
    assertTrue(s.isSentence());
    assertNull(s.kind());
    assertFalse(s.labels().length == 0);
  }
}
