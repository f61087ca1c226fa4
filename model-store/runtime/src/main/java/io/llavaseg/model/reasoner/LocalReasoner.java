package io.llavaseg.model.reasoner;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.llavaseg.model.ImageChat;
import io.llavaseg.model.ModelId;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.Generation;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Reasoner} over a {@link ReasonerBlock} held in memory, without a DJL {@code Model} or
 * {@code Predictor}: what the trainer evaluates with between steps, and what tests use to compare
 * decoding strategies. Runs the block in inference mode (BatchNorm running statistics). Outputs are
 * attached to the chat's manager. Not thread-safe; serving uses {@link ReasonerModel}.
 */
public final class LocalReasoner implements Reasoner {
  private final ReasonerBlock block;
  private final Vocabulary vocab;
  private final NDManager manager;
  private final ParameterStore ps;
  private final int maxNewTokens;
  private final ModelId id;

  public LocalReasoner(ReasonerBlock block, Vocabulary vocab, NDManager manager, int maxNewTokens, ModelId id) {
    this.block = block;
    this.vocab = vocab;
    this.manager = manager;
    this.ps = new ParameterStore(manager, false);
    this.maxNewTokens = maxNewTokens;
    this.id = id;
  }

  @Override
  public ImageChat open(BufferedImage image) {
    return new ReasonerChat(this::forward, manager, vocab, block.config(), maxNewTokens, image);
  }

  @Override
  public List<ImageChat> openAll(List<BufferedImage> images) {
    return new ArrayList<>(ReasonerChat.openAll(this::forward, manager, vocab, block.config(), maxNewTokens, images));
  }

  @Override
  public List<Generation> askAll(List<ImageChat> chats, List<String> prompts) {
    return ReasonerWorker.decodeAll(chats, prompts, manager, vocab, block.config());
  }

  private NDList forward(NDList input) {
    return block.forward(ps, input, false);
  }

  @Override
  public ModelId modelId() {
    return id;
  }

  @Override
  public void close() {}
}
