package io.llavaseg.model.reasoner;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.llavaseg.model.Generation;
import io.llavaseg.model.ImageChat;
import io.llavaseg.model.ModelId;
import io.llavaseg.model.Reasoner;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

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

  /** One forward pass of the vision encoder and visual prefix for all images. */
  @Override
  public List<ImageChat> openAll(List<BufferedImage> images) {
    return new ArrayList<>(ReasonerChat.openAll(ReasonerChat.of(predictor), manager, vocab, config, maxNewTokens, images));
  }

  /** Batched greedy decoding ({@link BatchDecoder}) when every chat is this model's. */
  @Override
  public List<Generation> askAll(List<ImageChat> chats, List<String> prompts) {
    return decodeAll(chats, prompts, manager, vocab, config);
  }

  /** Batched decoding of this package's chats; other chats are asked one by one. */
  static List<Generation> decodeAll(List<ImageChat> chats, List<String> prompts, NDManager manager, Vocabulary vocab,
      ReasonerConfig config) {
    List<ReasonerChat> own = new ArrayList<>();
    for (ImageChat chat : chats) {
      if (!(chat instanceof ReasonerChat rc)) {
        List<Generation> replies = new ArrayList<>();
        for (int i = 0; i < chats.size(); i++) {
          replies.add(chats.get(i).ask(prompts.get(i)));
        }
        return replies;
      }
      own.add(rc);
    }
    return new BatchDecoder(manager, vocab, config).decode(own, prompts);
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
