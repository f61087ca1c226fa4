package io.llavaseg.model.segmenter;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.nio.file.Path;

/** Test fixtures: model folders with freshly initialised (untrained) weights. */
public final class TestFolders {
  private TestFolders() {}

  /** A small network (64 px) that is quick to build and run. */
  public static SegmenterConfig small() {
    return new SegmenterConfig(
        64, new int[] {8, 16, 32}, new int[] {8, 8}, 16, 32, PromptVocabulary.shapeWorld().size());
  }

  /** Writes a segmenter folder with random weights for {@code config} into {@code dir}. */
  public static Path randomFolder(Path dir, SegmenterConfig config) throws Exception {
    try (Model model = Model.newInstance(SegmenterFolder.PREFIX, "PyTorch")) {
      model.setBlock(new SegmenterNet(config));
      try (Trainer t = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
        int v = config.vocabSize();
        t.initialize(
            new Shape(1, SegmenterConfig.INPUT_CHANNELS, config.size(), config.size()), new Shape(1, v), new Shape(1, v));
      }
      SegmenterFolder.write(dir, model, config, PromptVocabulary.shapeWorld(), 0.5f);
    }
    return dir;
  }
}
