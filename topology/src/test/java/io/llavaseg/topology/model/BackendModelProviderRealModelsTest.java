package io.llavaseg.topology.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.llavaseg.model.ImageChat;
import io.llavaseg.model.ModelHandle;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.SegmentationResult;
import io.llavaseg.model.Segmenter;
import io.llavaseg.model.TargetAttributes;
import io.llavaseg.model.cot.ChainOfThought;
import io.llavaseg.model.cot.PromptTemplates;
import io.llavaseg.topology.ServiceConfig;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The default {@link BackendModelProvider} loads the committed model folders and each gives a working
 * worker. Skipped (not failed) while a folder has no weights yet.
 */
class BackendModelProviderRealModelsTest {
  private static final Path STORE = Path.of(System.getProperty("llavaseg.model.store", "../model-store"));

  private static ServiceConfig config() {
    Properties p = new Properties();
    p.setProperty(ServiceConfig.MODEL_STORE, STORE.toString());
    return ServiceConfig.from(p);
  }

  private static BufferedImage scene() {
    BufferedImage img = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 160, 120);
    g.setColor(new Color(220, 30, 30));
    g.fillOval(10, 10, 30, 30);
    g.dispose();
    return img;
  }

  private static boolean hasParams(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (var files = Files.list(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(".params"));
    }
  }

  @Test
  void shouldLoadTheCommittedSegmenterAndReturnAMaskAtTheImageSize() throws Exception {
    ServiceConfig config = config();
    assumeTrue(hasParams(config.segmenterDir()),
        "no segmenter weights in " + config.segmenterDir().toAbsolutePath());
    try (ModelHandle<Segmenter> handle = new BackendModelProvider().segmenter(config, "cpu");
        Segmenter segmenter = handle.newWorker()) {
      SegmentationResult r = segmenter.segment(scene(), "the red circle",
          new TargetAttributes("red", "circle", "small", "top left"));
      assertEquals(160, r.mask().width());
      assertEquals(120, r.mask().height());
      assertEquals(handle.modelId(), r.model());
    }
  }

  @Test
  void shouldLoadTheCommittedReasonerAndAnswer() throws Exception {
    ServiceConfig config = config();
    assumeTrue(hasParams(config.reasonerDir()),
        "no reasoner weights in " + config.reasonerDir().toAbsolutePath());
    try (ModelHandle<Reasoner> handle = new BackendModelProvider().reasoner(config, "cpu")) {
      long baseline = handle.managedArrays();
      assertTrue(baseline > 0, "the weights are NDArrays of the model's manager: " + baseline);
      for (int round = 0; round < 3; round++) {
        try (Reasoner reasoner = handle.newWorker()) {
          ChainOfThought chain = new ChainOfThought(PromptTemplates.DEFAULT);
          chain.runAll(reasoner, List.of(scene(), scene()), List.of("What colour is the circle?", "Where is it?"));
          try (ImageChat chat = reasoner.open(scene())) {
            assertTrue(chat.ask("What colour is the circle?").generatedTokens() > 0);
          }
        }
        assertEquals(baseline, handle.managedArrays(), "no NDArray outlives its worker (round " + round + ")");
      }
    }
  }
}
