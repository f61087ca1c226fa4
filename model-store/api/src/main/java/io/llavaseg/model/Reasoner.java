package io.llavaseg.model;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

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

  /**
   * Encodes several images, as one batch where the model supports it (the default opens them one
   * by one). Callers close every returned chat.
   */
  default List<ImageChat> openAll(List<BufferedImage> images) {
    List<ImageChat> chats = new ArrayList<>();
    for (BufferedImage image : images) {
      chats.add(open(image));
    }
    return chats;
  }

  /**
   * One reply per chat to the prompt at the same index, decoded as one batch where the model
   * supports it (the default asks one by one). Each reply equals what {@code chat.ask(prompt)}
   * gives; the chats come from this reasoner.
   */
  default List<Generation> askAll(List<ImageChat> chats, List<String> prompts) {
    if (chats.size() != prompts.size()) {
      throw new IllegalArgumentException(chats.size() + " chats but " + prompts.size() + " prompts");
    }
    List<Generation> replies = new ArrayList<>();
    for (int i = 0; i < chats.size(); i++) {
      replies.add(chats.get(i).ask(prompts.get(i)));
    }
    return replies;
  }

  /**
   * {@link #askAll(List, List)} for one chain-of-thought step, whose replies should be in {@code
   * format}; the default ignores the format.
   */
  default List<Generation> askAll(List<ImageChat> chats, List<String> prompts, ReplyFormat format) {
    return askAll(chats, prompts);
  }

  ModelId modelId();

  @Override
  void close();
}
