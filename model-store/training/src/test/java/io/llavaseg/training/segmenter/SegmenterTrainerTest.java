package io.llavaseg.training.segmenter;

import io.llavaseg.model.segmenter.SegmenterModel;
import io.llavaseg.model.segmenter.TestFolders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.llavaseg.shapeworld.TrainingStyles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A few steps of real training on a small network: the loss falls, folders and checkpoints appear. */
class SegmenterTrainerTest {
  @TempDir Path tmp;

  private SegmenterTrainer.Options options(int steps, boolean resume) {
    return new SegmenterTrainer.Options(
        tmp.resolve("v9"), tmp.resolve("checkpoints/v9"), steps, 3, 8, 3e-3f, 5, 8, 1000, 100.0, resume,
        TestFolders.small(), null, TrainingStyles.CLASSIC);
  }

  @Test
  void shouldLowerTheLossAndWriteALoadableFolderThenResume() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
    SegmenterTrainer.Result r = new SegmenterTrainer(options(30, false), out).run();
    assertEquals(30, r.steps());
    assertTrue(r.lastLoss() < r.firstLoss(), "loss falls: " + r.firstLoss() + " -> " + r.lastLoss());
    assertTrue(Files.isRegularFile(tmp.resolve("v9/serving.properties")));
    assertEquals("true", io.llavaseg.model.segmenter.SegmenterFolder.readProperties(tmp.resolve("v9")).getProperty("flipAverage"),
        "the folder is written as it is served: with flip averaging");
    assertTrue(Files.isRegularFile(tmp.resolve("checkpoints/v9/state.properties")));
    try (SegmenterModel m = SegmenterModel.load(tmp.resolve("v9"), Device.cpu())) {
      assertEquals("v9", m.modelId().version());
    }
    SegmenterTrainer.Result resumed = new SegmenterTrainer(options(33, true), out).run();
    assertEquals(33, resumed.steps());
    String text = log.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("resuming from"), text);
    assertTrue(text.contains("val step 30"), text);
    try (var files = Files.list(tmp.resolve("v9"))) {
      assertEquals(
          java.util.List.of("segmenter-0000.params"),
          files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".params")).toList(),
          "one weights file however often the folder is rewritten");
    }
  }

  @Test
  void shouldWarmUpThenDecayTheLearningRate() {
    SegmenterTrainer t = new SegmenterTrainer(options(1000, false), System.out);
    assertTrue(t.learningRate(0) < t.learningRate(5));
    assertEquals(3e-3f, t.learningRate(5), 1e-6f);
    assertTrue(t.learningRate(500) < t.learningRate(100));
    assertEquals(3e-3f * 0.05f, t.learningRate(1000), 1e-6f);
  }
}
