package io.llavaseg.model;

import java.awt.image.BufferedImage;

/**
 * A frozen multimodal LM (the MLLM half of LLaVASeg), one instance per thread: it wraps a DJL
 * {@code Predictor}, which is not thread-safe. It only chats; the chain of thought is driven from
 * outside by {@link io.llavaseg.model.cot.ChainOfThought} with prompt templates from configuration,
 * so the model is never changed for segmentation. Implementations: the project's ShapeWorld
 * reasoner; a user's bigger MLLM.
 */
public interface Reasoner extends AutoCloseable {

  /** Encodes the image once; the returned chat answers any number of single-turn prompts about it. */
  ImageChat open(BufferedImage image);

  ModelId modelId();

  @Override
  void close();
}
