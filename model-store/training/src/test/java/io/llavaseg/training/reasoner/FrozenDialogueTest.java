package io.llavaseg.training.reasoner;

import io.llavaseg.model.reasoner.ReasonerModel;
import io.llavaseg.model.reasoner.TinyModels;
import io.llavaseg.model.reasoner.Vocabulary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Model;
import io.llavaseg.model.ImageChat;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.Reasoning;
import io.llavaseg.model.cot.ChainOfThought;
import io.llavaseg.model.cot.PromptTemplates;
import io.llavaseg.shapeworld.QueryKind;
import io.llavaseg.shapeworld.Sample;
import io.llavaseg.shapeworld.ShapeWorld;
import io.llavaseg.training.CommittedModels;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The answer the chain of thought publishes is what the same frozen model says in plain chat. */
class FrozenDialogueTest {

  @Test
  void chainAnswerEqualsPlainChatReplyOfARandomModel() {
    Vocabulary v = TinyModels.vocab();
    try (Model model = TinyModels.model(TinyModels.config(v), 21)) {
      Reasoner reasoner = TinyModels.local(model, v, 10);
      ChainOfThought cot = new ChainOfThought(PromptTemplates.DEFAULT);
      for (int seed = 0; seed < 2; seed++) {
        BufferedImage image = TinyModels.image(seed);
        for (String q : TinyModels.prompts()) {
          assertSameAnswer(reasoner, cot, image, q);
        }
      }
    }
  }

  @Test
  void chainAnswerEqualsPlainChatReplyOfTheCommittedModel() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(CommittedModels.reasonerDir().resolve("serving.properties")),
        "no committed reasoner at " + CommittedModels.reasonerDir());
    try (ReasonerModel model = CommittedModels.loadReasoner(); Reasoner reasoner = model.newWorker()) {
      ChainOfThought cot = new ChainOfThought(model.templates());
      ShapeWorld world = new ShapeWorld(424242);
      QueryKind[] kinds = QueryKind.values();
      for (int i = 0; i < kinds.length; i++) {
        Sample s = world.sample(i, kinds[i]);
        assertSameAnswer(reasoner, cot, s.image(), s.query());
      }
    }
  }

  private static void assertSameAnswer(Reasoner reasoner, ChainOfThought cot, BufferedImage image, String question) {
    Reasoning r = cot.run(reasoner, image, question);
    String plain;
    try (ImageChat chat = reasoner.open(image)) {
      plain = chat.ask(question).text();
    }
    assertEquals(plain, r.answer(), question);
  }
}
