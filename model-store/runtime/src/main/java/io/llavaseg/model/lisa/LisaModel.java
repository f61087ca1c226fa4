package io.llavaseg.model.lisa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.llavaseg.model.BinaryMask;
import io.llavaseg.model.ModelId;
import io.llavaseg.model.cot.PromptTemplates;
import io.llavaseg.model.reasoner.ImageInput;
import io.llavaseg.model.reasoner.PointerCoverage;
import io.llavaseg.model.reasoner.ReasonerBlock;
import io.llavaseg.model.reasoner.ReasonerChat;
import io.llavaseg.model.reasoner.ReasonerConfig;
import io.llavaseg.model.reasoner.Vocabulary;
import io.llavaseg.model.segmenter.Letterbox;
import io.llavaseg.model.segmenter.SegmenterConfig;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The LISA variant answering one question at a time: the user's question in the reasoner's answer
 * prompt (the same first turn the LLaVASeg chain asks), a greedy reply decoded exactly as the served
 * reasoner decodes (KV cache, pointer feed, pointer coverage), and, if the reply holds {@code <seg>},
 * the final hidden state of the position that predicted it (as LISA takes it) projected into the
 * segmenter, whose logits become the mask (threshold 0.5, one pass). Not thread-safe; for
 * measurements, not served.
 */
public final class LisaModel implements AutoCloseable {
  public static final String NAME = "shapeworld-lisa";

  private final LisaBlock block;
  private final Vocabulary vocab;
  private final NDManager manager;
  private final boolean ownsManager;
  private final ParameterStore ps;
  private final ModelId id;
  private final PromptTemplates templates;
  private final int segId;
  private final int maxNewTokens;

  /** Wraps a block held in memory (the trainer's validation); the manager stays the caller's. */
  public LisaModel(LisaBlock block, Vocabulary vocab, NDManager manager, ModelId id) {
    this(block, vocab, manager, false, id);
  }

  private LisaModel(LisaBlock block, Vocabulary vocab, NDManager manager, boolean ownsManager, ModelId id) {
    this.block = block;
    this.vocab = vocab;
    this.manager = manager;
    this.ownsManager = ownsManager;
    this.ps = new ParameterStore(manager, false);
    this.id = id;
    this.templates = PromptTemplates.DEFAULT;
    this.segId = vocab.id(LisaFolder.SEG_TOKEN);
    if (segId != vocab.size() - 1 || !vocab.token(segId).equals(LisaFolder.SEG_TOKEN)) {
      throw new IllegalArgumentException("the vocabulary has no " + LisaFolder.SEG_TOKEN + " token");
    }
    this.maxNewTokens = 40;
  }

  /** Loads a variant folder (see {@link LisaFolder}) on the CPU. */
  public static LisaModel load(Path dir) throws IOException {
    Path d = dir.toAbsolutePath().normalize();
    LisaFolder.Architecture a = LisaFolder.readArchitecture(d);
    Vocabulary vocab = Vocabulary.load(d.resolve("vocab.txt"));
    NDManager manager = NDManager.newBaseManager("PyTorch");
    try {
      LisaBlock block = new LisaBlock(a.reasoner(), a.segmenter());
      block.initializeAll(manager);
      LisaFolder.readWeights(d, block, manager);
      return new LisaModel(block, vocab, manager, true, new ModelId(NAME, d.getFileName().toString(), "cpu()"));
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  public ModelId modelId() {
    return id;
  }

  public LisaBlock block() {
    return block;
  }

  /** Parameters of the whole variant (reasoner, projection, segmenter). */
  public long parameterCount() {
    long n = 0;
    for (var p : block.getParameters().values()) {
      n += p.getArray().size();
    }
    return n;
  }

  /** The reply to {@code question} about {@code image}, with its mask. */
  public LisaReply reply(BufferedImage image, String question) {
    try (NDManager m = manager.newSubManager()) {
      long t0 = System.nanoTime();
      ReasonerBlock r = block.reasoner();
      ReasonerConfig c = r.config();
      int s = c.imageSize();
      NDArray pixels = m.create(ImageInput.pixels(image, s), new Shape(1, 3, s, s));
      NDList cache = r.forward(ps, new NDList(pixels), false);
      int[] prompt = ReasonerChat.promptTokens(vocab, c, templates.answerPrompt(question));
      NDArray input = ReasonerChat.tokenInput(m, c, Arrays.stream(prompt).asLongStream().toArray(), null, 1, prompt.length);
      PointerCoverage coverage = PointerCoverage.applies(c) ? new PointerCoverage(c) : null;
      NDArray pointerMask = null;
      int[] out = new int[maxNewTokens];
      int n = 0;
      int position = prompt.length;
      NDArray segState = null;
      while (true) {
        NDList result = r.textWithState(ps, input, cache, pointerMask, false);
        int stateAt = c.pointerFeed() ? 2 : 1;
        NDArray logits = result.get(0);
        long last = logits.getShape().get(1) - 1;
        int next = (int) logits.get(0, last).argMax().getLong();
        long[] pointed = c.pointerFeed() ? new long[] {result.get(1).get(0, last).argMax().getLong()} : null;
        if (next == segId && segState == null) {
          segState = result.get(stateAt).get(":, " + last + ", :"); // (1,d): the state that predicted <seg>
        }
        cache = new NDList(result.subList(stateAt + 1, result.size()));
        if (coverage != null && coverage.chose((int) pointed[0])) {
          pointerMask = PointerCoverage.masks(m, new PointerCoverage[] {coverage});
        }
        out[n++] = next;
        if (next == Vocabulary.EOS_ID || n >= maxNewTokens || position >= c.maxText()) {
          break;
        }
        input = ReasonerChat.tokenInput(m, c, new long[] {next}, pointed, 1, 1);
        position++;
      }
      String text = vocab.decode(out, n);
      double replyMs = (System.nanoTime() - t0) / 1e6;
      if (segState == null) {
        return new LisaReply(text, false, BinaryMask.empty(image.getWidth(), image.getHeight()), replyMs, 0);
      }
      long t1 = System.nanoTime();
      SegmenterConfig sc = block.segmenter().config();
      Letterbox box = Letterbox.of(sc.size(), image.getWidth(), image.getHeight());
      NDArray segImage = m.create(box.toInput(image), new Shape(1, SegmenterConfig.INPUT_CHANNELS, sc.size(), sc.size()));
      float[] logits = block.maskLogits(ps, segImage, segState, false).toFloatArray();
      BinaryMask mask = box.toMask(logits, 0f);
      return new LisaReply(text, true, mask, replyMs, (System.nanoTime() - t1) / 1e6);
    }
  }

  @Override
  public void close() {
    if (ownsManager) {
      manager.close();
    }
  }
}
