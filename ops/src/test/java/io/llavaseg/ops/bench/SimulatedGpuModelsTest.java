package io.llavaseg.ops.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.llavaseg.model.ModelUnavailableException;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.SegmentationPrompt;
import io.llavaseg.model.Segmenter;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedGpuModelsTest {
  @TempDir Path dir;

  @Test
  void shouldFailAsAnUnavailableModelOnlyWhileTheOutageFileExists() throws Exception {
    Path outage = dir.resolve("outage");
    SimulatedGpuModels models = new SimulatedGpuModels(Duration.ZERO, Duration.ZERO).withOutageFile(outage);
    BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    try (Reasoner reasoner = models.reasoner(null, "sim:0").newWorker();
        Segmenter segmenter = models.segmenter(null, "sim:0").newWorker()) {
      assertEquals(1, reasoner.openAll(List.of(image)).size());
      Files.createFile(outage);
      assertThrows(ModelUnavailableException.class, () -> reasoner.openAll(List.of(image)));
      assertThrows(ModelUnavailableException.class,
          () -> segmenter.segmentBatch(List.of(new SegmentationPrompt(image, "the red circle", null))));
      Files.delete(outage);
      assertEquals(1, segmenter.segmentBatch(List.of(new SegmentationPrompt(image, "the red circle", null))).size());
    }
  }
}
