package io.llavaseg.model;

import java.awt.image.BufferedImage;

/**
 * The MLLM half of LLaVASeg, one instance per thread (it wraps a DJL {@code Predictor}, which is not
 * thread-safe). Implementations: the project's ShapeWorld reasoner; a user's bigger MLLM.
 */
public interface Reasoner extends AutoCloseable {

  /** Plain chat: what the frozen model answers to this image and text, with no chain of thought. */
  String chat(BufferedImage image, String text);

  /**
   * LLaVASeg's chain of thought: (1) the dialogue answer, (2) the target description, (3) its
   * attributes. Never throws for a reply that does not parse: the result then has no target and a
   * failure reason.
   */
  Reasoning reason(BufferedImage image, String question);

  ModelId modelId();

  @Override
  void close();
}
