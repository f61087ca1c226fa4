package io.llavaseg.model.reasoner;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslateException;
import io.llavaseg.model.Generation;
import io.llavaseg.model.ImageChat;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One encoded image: the vision encoder and the visual prefix run once in the constructor; every
 * {@link #ask} then prefills {@code <bos> prompt <sep>} on top of the cached prefix keys/values and
 * decodes greedily, one token per forward pass with the growing cache, until {@code <eos>} or the
 * text-position limit. With {@link ReasonerConfig#pointerFeed}, each generated token goes back in with
 * the pointer's greedy choice at the position that predicted it (prompt tokens with the nothing key),
 * and the pointer follows {@link PointerCoverage}'s rule. Prompts longer than the model's text window keep their last tokens (the
 * template's instruction sits at the end). Not thread-safe (one per worker thread).
 */
public final class ReasonerChat implements ImageChat {
  /** Text positions always left for the reply when a long prompt is cut. */
  static final int MIN_REPLY_ROOM = 8;

  private final Forward forward;
  private final Vocabulary vocab;
  private final ReasonerConfig config;
  private final int maxNewTokens;
  private final NDManager manager;
  private final NDList prefix;
  private final double visionMs;
  private final Runnable onClose;

  /** One forward pass of {@link ReasonerBlock} in inference mode; outputs owned by the first input's manager. */
  @FunctionalInterface
  public interface Forward {
    NDList forward(NDList input) throws TranslateException;
  }

  /** A chat whose forward passes go through a DJL {@link Predictor} (serving). */
  static Forward of(Predictor<NDList, NDList> predictor) {
    return predictor::predict;
  }

  ReasonerChat(Forward forward, NDManager parent, Vocabulary vocab, ReasonerConfig config,
      int maxNewTokens, BufferedImage image) {
    this.forward = forward;
    this.vocab = vocab;
    this.config = config;
    this.maxNewTokens = maxNewTokens;
    this.manager = parent.newSubManager();
    this.onClose = manager::close;
    long t0 = System.nanoTime();
    int s = config.imageSize();
    NDArray pixels = manager.create(ImageInput.pixels(image, s), new Shape(1, 3, s, s));
    this.prefix = run(new NDList(pixels));
    this.visionMs = (System.nanoTime() - t0) / 1e6;
  }

  private ReasonerChat(Forward forward, NDManager shared, Vocabulary vocab, ReasonerConfig config, int maxNewTokens,
      NDList prefix, double visionMs, Runnable onClose) {
    this.forward = forward;
    this.vocab = vocab;
    this.config = config;
    this.maxNewTokens = maxNewTokens;
    this.manager = shared;
    this.prefix = prefix;
    this.visionMs = visionMs;
    this.onClose = onClose;
  }

  /**
   * Encodes several images in one forward pass of the vision encoder and visual prefix; each chat
   * holds its row of the prefix cache. The rows share one manager, freed when the last chat closes.
   * {@link #visionMs()} is the whole batch's time.
   */
  static List<ReasonerChat> openAll(Forward forward, NDManager parent, Vocabulary vocab, ReasonerConfig config,
      int maxNewTokens, List<BufferedImage> images) {
    if (images.isEmpty()) {
      return List.of();
    }
    NDManager shared = parent.newSubManager();
    long t0 = System.nanoTime();
    int s = config.imageSize();
    int plane = 3 * s * s;
    float[] all = new float[images.size() * plane];
    for (int i = 0; i < images.size(); i++) {
      System.arraycopy(ImageInput.pixels(images.get(i), s), 0, all, i * plane, plane);
    }
    NDList cache = run(forward, new NDList(shared.create(all, new Shape(images.size(), 3, s, s))));
    double ms = (System.nanoTime() - t0) / 1e6;
    AtomicInteger open = new AtomicInteger(images.size());
    Runnable release = () -> {
      if (open.decrementAndGet() == 0) {
        shared.close();
      }
    };
    List<ReasonerChat> chats = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      NDList row = new NDList();
      for (NDArray kv : cache) {
        row.add(kv.get(i + ":" + (i + 1)));
      }
      chats.add(new ReasonerChat(forward, shared, vocab, config, maxNewTokens, row, ms, new Once(release)));
    }
    return chats;
  }

  /** Runs a release action at most once, however often the chat is closed. */
  private static final class Once implements Runnable {
    private final Runnable action;
    private boolean done;

    Once(Runnable action) {
      this.action = action;
    }

    @Override
    public synchronized void run() {
      if (!done) {
        done = true;
        action.run();
      }
    }
  }

  @Override
  public double visionMs() {
    return visionMs;
  }

  /**
   * {@code <bos> prompt <sep>}, the prompt cut to its last tokens if the text window is too small
   * (leaving room for a reply); the LISA variant encodes its prompts the same way.
   */
  public static int[] promptTokens(Vocabulary vocab, ReasonerConfig config, String prompt) {
    int[] body = vocab.encode(prompt);
    int room = config.maxText() - 2 - MIN_REPLY_ROOM;
    if (body.length > room) {
      body = Arrays.copyOfRange(body, body.length - room, body.length);
    }
    int[] tokens = new int[body.length + 2];
    tokens[0] = Vocabulary.BOS_ID;
    System.arraycopy(body, 0, tokens, 1, body.length);
    tokens[tokens.length - 1] = Vocabulary.SEP_ID;
    return tokens;
  }

  /** This chat's visual prefix cache {@code [k0, v0, ...]}, each (1,H,P,dh). */
  NDList prefix() {
    return prefix;
  }

  Forward forwardPass() {
    return forward;
  }

  int maxNewTokens() {
    return maxNewTokens;
  }

  @Override
  public Generation ask(String prompt) {
    int[] tokens = promptTokens(vocab, config, prompt);
    long t0 = System.nanoTime();
    NDList cache = prefix;
    int[] out = new int[maxNewTokens];
    int n = 0;
    String finish = "length";
    double prefillMs = 0;
    int position = tokens.length;
    NDArray input = tokenInput(manager, config, Arrays.stream(tokens).asLongStream().toArray(), null, 1, tokens.length);
    PointerCoverage coverage = PointerCoverage.applies(config) ? new PointerCoverage(config) : null;
    NDArray pointerMask = null;
    while (true) {
      NDList in = concat(input, cache);
      if (pointerMask != null) {
        in.add(pointerMask);
      }
      NDList result = run(in);
      NDArray logits = result.get(0);
      long last = logits.getShape().get(1) - 1;
      int next = (int) logits.get(0, last).argMax().getLong();
      long[] pointed = config.pointerFeed() ? new long[] {result.get(1).get(0, last).argMax().getLong()} : null;
      cache = ReasonerBlock.cacheAfter(result, config);
      if (coverage != null && coverage.chose((int) pointed[0])) {
        pointerMask = PointerCoverage.masks(manager, new PointerCoverage[] {coverage}); // only when a key was left
      }
      if (n == 0) {
        prefillMs = (System.nanoTime() - t0) / 1e6;
      }
      out[n++] = next;
      if (next == Vocabulary.EOS_ID) {
        finish = "stop";
        break;
      }
      if (n >= maxNewTokens || position >= config.maxText()) {
        break;
      }
      input = tokenInput(manager, config, new long[] {next}, pointed, 1, 1);
      position++;
    }
    double decodeMs = (System.nanoTime() - t0) / 1e6 - prefillMs;
    return new Generation(vocab.decode(out, n), tokens.length, n, finish, prefillMs, decodeMs);
  }

  /**
   * Token ids (rows, cols) as the block's text input: as they are, or with {@link
   * ReasonerConfig#pointerFeed} as (rows, cols, 2) with each token's chosen pointer key ({@code
   * pointed}, one per token; null: the nothing key for all).
   */
  public static NDArray tokenInput(NDManager m, ReasonerConfig config, long[] ids, long[] pointed, int rows, int cols) {
    if (!config.pointerFeed()) {
      return m.create(ids, new Shape(rows, cols));
    }
    long[] both = new long[2 * ids.length];
    for (int i = 0; i < ids.length; i++) {
      both[2 * i] = ids[i];
      both[2 * i + 1] = pointed == null ? config.nothingKey() : pointed[i];
    }
    return m.create(both, new Shape(rows, cols, 2));
  }

  private static NDList concat(NDArray input, NDList cache) {
    NDList in = new NDList(input);
    in.addAll(cache);
    return in;
  }

  /**
   * One forward pass. Every array of the chat (inputs, temporaries, caches) stays on the chat's
   * manager until the chat is closed: closing arrays mid-chat (per call, by NDScope or by hand)
   * made the results nondeterministic on this engine, so the chat trades a few MB for safety.
   */
  private NDList run(NDList input) {
    return run(forward, input);
  }

  static NDList run(Forward forward, NDList input) {
    try {
      return forward.forward(input);
    } catch (TranslateException e) {
      throw new IllegalStateException("reasoner forward pass failed", e);
    }
  }

  @Override
  public void close() {
    onClose.run();
  }
}
