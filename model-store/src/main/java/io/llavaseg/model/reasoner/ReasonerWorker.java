package io.llavaseg.model.reasoner;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.llavaseg.model.ImageChat;
import io.llavaseg.model.ModelId;
import io.llavaseg.model.Reasoner;
import java.awt.image.BufferedImage;

/** The ShapeWorld reasoner for one thread: owns one {@link Predictor} of the shared model. */
public final class ReasonerWorker implements Reasoner {
  private final Predictor<NDList, NDList> predictor;
  private final NDManager manager;
  private final Vocabulary vocab;
  private final ReasonerConfig config;
  private final int maxNewTokens;
  private final ModelId id;

  ReasonerWorker(Predictor<NDList, NDList> predictor, NDManager manager, Vocabulary vocab, ReasonerConfig config,
      int maxNewTokens, ModelId id) {
    this.predictor = predictor;
    this.manager = manager;
    this.vocab = vocab;
    this.config = config;
    this.maxNewTokens = maxNewTokens;
    this.id = id;
  }

  @Override
  public ImageChat open(BufferedImage image) {
    return new ReasonerChat(ReasonerChat.of(predictor), manager, vocab, config, maxNewTokens, image);
  }

  @Override
  public ModelId modelId() {
    return id;
  }

  @Override
  public void close() {
    predictor.close();
    manager.close();
  }
}
