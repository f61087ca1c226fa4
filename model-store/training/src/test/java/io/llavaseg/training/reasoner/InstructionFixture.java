package io.llavaseg.training.reasoner;

import io.llavaseg.model.reasoner.ReasonerConfig;
import io.llavaseg.model.reasoner.Vocabulary;

import io.llavaseg.model.cot.PromptTemplates;
import io.llavaseg.shapeworld.ShapeWorld;
import java.util.List;

/** What the training-label tests share: a ShapeWorld, a vocabulary built from it, the default architecture and its instruction data. */
record InstructionFixture(ShapeWorld world, Vocabulary vocab, ReasonerConfig config, InstructionData data) {

  static InstructionFixture of(long worldSeed) {
    ShapeWorld world = new ShapeWorld(worldSeed);
    Vocabulary v = Vocabulary.build(InstructionData.vocabularyTexts(world, 5, PromptTemplates.DEFAULT));
    ReasonerConfig config = ReasonerConfig.defaults(v.size());
    return new InstructionFixture(world, v, config, new InstructionData(v, config, PromptTemplates.DEFAULT));
  }

  /** A batch of no examples, for its per-row methods. */
  TrainingBatch batch() {
    return new TrainingBatch(List.of(), config, true);
  }
}
