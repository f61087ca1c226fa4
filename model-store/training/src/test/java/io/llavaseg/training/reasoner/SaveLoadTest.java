package io.llavaseg.training.reasoner;

import io.llavaseg.model.reasoner.ReasonerConfig;
import io.llavaseg.model.reasoner.ReasonerModel;
import io.llavaseg.model.reasoner.TinyModels;
import io.llavaseg.model.reasoner.Vocabulary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.Model;
import io.llavaseg.model.Generation;
import io.llavaseg.model.ImageChat;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.cot.PromptTemplates;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaveLoadTest {

  @Test
  void aSavedModelFolderLoadsThroughCriteriaAndAnswersExactlyAsTheInMemoryModel(@TempDir Path tmp) throws Exception {
    Vocabulary v = TinyModels.vocab();
    ReasonerConfig config = TinyModels.config(v);
    Path dir = tmp.resolve("v7");
    Files.createDirectories(dir);
    try (Model model = TinyModels.model(config, 11)) {
      model.save(dir, ReasonerModel.PARAMS_NAME);
      v.save(dir.resolve("vocab.txt"));
      ReasonerTrainer.writeServing(dir, config);
      ReasonerTrainer.writePrompts(dir, PromptTemplates.DEFAULT);
      Reasoner local = TinyModels.local(model, v, ReasonerModel.DEFAULT_MAX_NEW_TOKENS);
      try (ReasonerModel loaded = ReasonerModel.load(dir, Device.cpu()); Reasoner worker = loaded.newWorker()) {
        assertEquals("v7", loaded.modelId().version());
        assertEquals(ReasonerModel.NAME, loaded.modelId().name());
        assertEquals(config, loaded.config());
        assertEquals(PromptTemplates.DEFAULT, loaded.templates());
        for (int seed = 0; seed < 2; seed++) {
          BufferedImage image = TinyModels.image(seed);
          try (ImageChat a = local.open(image); ImageChat b = worker.open(image)) {
            for (String prompt : TinyModels.prompts()) {
              Generation ga = a.ask(prompt);
              Generation gb = b.ask(prompt);
              assertEquals(ga.text(), gb.text());
              assertEquals(ga.generatedTokens(), gb.generatedTokens());
              assertEquals(ga.promptTokens(), gb.promptTokens());
            }
          }
        }
      }
    }
  }

  @Test
  void aFolderWhoseVocabularyDoesNotMatchIsRefused(@TempDir Path tmp) throws Exception {
    Vocabulary v = TinyModels.vocab();
    ReasonerConfig config = TinyModels.config(v);
    try (Model model = TinyModels.model(config, 12)) {
      model.save(tmp, ReasonerModel.PARAMS_NAME);
      Files.write(tmp.resolve("vocab.txt"), v.tokens().subList(0, v.size() - 1));
      ReasonerTrainer.writeServing(tmp, config);
      assertThrows(IOException.class, () -> ReasonerModel.load(tmp, Device.cpu()));
    }
  }
}
