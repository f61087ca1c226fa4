package io.llavaseg.training.reasoner;

import io.llavaseg.model.reasoner.ReasonerModel;
import io.llavaseg.model.reasoner.TinyModels;
import io.llavaseg.model.reasoner.Vocabulary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Model;
import io.llavaseg.model.Generation;
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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Batched decoding (prompts of different lengths left-padded, one token per row per step) gives
 * every query the reply and the chain of thought it gets alone: batching changes speed, never
 * answers.
 */
class BatchedChainTest {

  @Test
  void batchedRepliesOfARandomModelEqualOneByOneReplies() {
    Vocabulary v = TinyModels.vocab();
    try (Model model = TinyModels.model(TinyModels.config(v), 33)) {
      Reasoner reasoner = TinyModels.local(model, v, 10);
      List<BufferedImage> images = new ArrayList<>();
      List<String> prompts = new ArrayList<>();
      int seed = 0;
      for (String q : TinyModels.prompts()) {
        images.add(TinyModels.image(seed++ % 3));
        prompts.add(q);
      }
      List<ImageChat> chats = reasoner.openAll(images);
      List<Generation> batched = reasoner.askAll(chats, prompts);
      chats.forEach(ImageChat::close);
      for (int i = 0; i < images.size(); i++) {
        try (ImageChat alone = reasoner.open(images.get(i))) {
          Generation g = alone.ask(prompts.get(i));
          assertEquals(g.text(), batched.get(i).text(), prompts.get(i));
          assertEquals(g.generatedTokens(), batched.get(i).generatedTokens(), prompts.get(i));
          assertEquals(g.finishReason(), batched.get(i).finishReason(), prompts.get(i));
        }
      }
    }
  }

  @Test
  void batchedChainOfTheCommittedModelEqualsTheChainRunAlone() throws Exception {
    Assumptions.assumeTrue(Files.exists(CommittedModels.reasonerDir().resolve("serving.properties")),
        "no committed reasoner at " + CommittedModels.reasonerDir());
    try (ReasonerModel model = CommittedModels.loadReasoner(); Reasoner reasoner = model.newWorker()) {
      ChainOfThought cot = new ChainOfThought(model.templates());
      ShapeWorld world = new ShapeWorld(515151);
      QueryKind[] kinds = QueryKind.values();
      List<BufferedImage> images = new ArrayList<>();
      List<String> questions = new ArrayList<>();
      for (int i = 0; i < 2 * kinds.length; i++) {
        Sample s = world.sample(i, kinds[i % kinds.length]);
        images.add(s.image());
        questions.add(s.query());
      }
      List<Reasoning> batched = cot.runAll(reasoner, images, questions);
      for (int i = 0; i < images.size(); i++) {
        Reasoning alone = cot.run(reasoner, images.get(i), questions.get(i));
        String q = questions.get(i);
        assertEquals(alone.answer(), batched.get(i).answer(), q);
        assertEquals(alone.target(), batched.get(i).target(), q);
        assertEquals(alone.attributes(), batched.get(i).attributes(), q);
        assertEquals(alone.failureReason(), batched.get(i).failureReason(), q);
      }
    }
  }
}
