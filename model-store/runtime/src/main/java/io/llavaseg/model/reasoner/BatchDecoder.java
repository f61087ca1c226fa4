package io.llavaseg.model.reasoner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.llavaseg.model.Generation;
import java.util.ArrayList;
import java.util.List;

/**
 * Greedy decoding of one prompt per chat for several chats at once: the batched twin of {@link
 * ReasonerChat#ask}, with the same stop rules per row (stop token, {@code maxNewTokens}, end of
 * the text window) so that each row's reply is the reply the chat gives alone.
 *
 * <p>The chats' visual prefix caches are stacked; prompts of different lengths are left-padded to
 * the longest, each row keeping its own text positions ({@code 0..L-1}) and an additive mask that
 * hides its padding from every later token. Each step then feeds one token per row. A row that has
 * stopped keeps being fed (its output ignored) until the last row stops, so the batch's cost is its
 * longest reply. With {@link ReasonerConfig#pointerFeed}, each row's next token goes in with its
 * pointer's greedy choice and {@link PointerCoverage}'s rule, as in {@link ReasonerChat#ask}. Timings in the returned {@link
 * Generation}s are the batch's.
 */
final class BatchDecoder {
  private final NDManager parent;
  private final Vocabulary vocab;
  private final ReasonerConfig config;

  BatchDecoder(NDManager parent, Vocabulary vocab, ReasonerConfig config) {
    this.parent = parent;
    this.vocab = vocab;
    this.config = config;
  }

  List<Generation> decode(List<ReasonerChat> chats, List<String> prompts) {
    if (chats.size() != prompts.size()) {
      throw new IllegalArgumentException(chats.size() + " chats but " + prompts.size() + " prompts");
    }
    int n = chats.size();
    if (n == 0) {
      return List.of();
    }
    ReasonerChat.Forward forward = chats.get(0).forwardPass();
    int maxNew = chats.get(0).maxNewTokens();
    int[][] prompt = new int[n][];
    int longest = 0;
    for (int i = 0; i < n; i++) {
      prompt[i] = ReasonerChat.promptTokens(vocab, config, prompts.get(i));
      longest = Math.max(longest, prompt[i].length);
    }
    int prefix = config.prefixTokens();
    try (NDManager m = parent.newSubManager()) {
      long t0 = System.nanoTime();
      NDList cache = stackPrefixes(chats, m);
      // prefill: rows right-aligned in a (n, longest) block
      long[] tokens = new long[n * longest];
      long[] positions = new long[n * longest];
      float[] mask = new float[n * longest * (prefix + longest)];
      for (int i = 0; i < n; i++) {
        int pad = longest - prompt[i].length;
        for (int c = 0; c < longest; c++) {
          int at = i * longest + c;
          tokens[at] = c < pad ? Vocabulary.PAD_ID : prompt[i][c - pad];
          positions[at] = Math.max(0, c - pad);
          int rowStart = (at) * (prefix + longest);
          for (int j = 0; j < longest; j++) {
            boolean visible = c >= pad ? j >= pad && j <= c : j == c; // a padding query sees itself only
            if (!visible) {
              mask[rowStart + prefix + j] = ReasonerBlock.NEG;
            }
          }
        }
      }
      NDList result = ReasonerChat.run(forward, inputs(m, tokens, null, positions, mask, n, longest, prefix + longest, cache));
      int[][] out = new int[n][maxNew];
      int[] count = new int[n];
      int[] position = new int[n];
      boolean[] done = new boolean[n];
      String[] finish = new String[n];
      int open = n;
      long[] next = new long[n];
      open -= pick(result.get(0), longest - 1, prompt, out, count, position, done, finish, next, maxNew, true);
      long[] pointed = pointed(result, longest - 1);
      PointerCoverage[] coverage = PointerCoverage.applies(config) ? new PointerCoverage[n] : null;
      for (int i = 0; coverage != null && i < n; i++) {
        coverage[i] = new PointerCoverage(config);
        coverage[i].chose((int) pointed[i]);
      }
      NDArray pointerMask = null; // none until a row's pointer leaves a key; rebuilt only when one does
      double prefillMs = (System.nanoTime() - t0) / 1e6;
      cache = ReasonerBlock.cacheAfter(result, config);
      int past = prefix + longest;
      while (open > 0) {
        long[] pos = new long[n];
        float[] stepMask = new float[n * (past + 1)];
        for (int i = 0; i < n; i++) {
          pos[i] = Math.min(position[i], config.maxText() - 1);
          int pad = longest - prompt[i].length;
          for (int j = 0; j < pad; j++) {
            stepMask[i * (past + 1) + prefix + j] = ReasonerBlock.NEG;
          }
        }
        NDList in = inputs(m, next, pointed, pos, stepMask, n, 1, past + 1, cache);
        if (pointerMask != null) {
          in.add(pointerMask);
        }
        result = ReasonerChat.run(forward, in);
        cache = ReasonerBlock.cacheAfter(result, config);
        past++;
        open -= pick(result.get(0), 0, prompt, out, count, position, done, finish, next, maxNew, false);
        pointed = pointed(result, 0);
        boolean left = false;
        for (int i = 0; coverage != null && i < n; i++) {
          left |= coverage[i].chose((int) pointed[i]);
        }
        if (left) {
          pointerMask = PointerCoverage.masks(m, coverage);
        }
      }
      double decodeMs = (System.nanoTime() - t0) / 1e6 - prefillMs;
      List<Generation> replies = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        replies.add(new Generation(vocab.decode(out[i], count[i]), prompt[i].length, count[i], finish[i], prefillMs,
            decodeMs));
      }
      return replies;
    }
  }

  /**
   * Takes each open row's greedy token at column {@code col} of the logits and applies the stop
   * rules of {@link ReasonerChat#ask}; returns how many rows stopped.
   */
  private int pick(NDArray logits, int col, int[][] prompt, int[][] out, int[] count, int[] position, boolean[] done,
      String[] finish, long[] next, int maxNew, boolean first) {
    long[] best = logits.get(":, " + col + ", :").argMax(-1).toLongArray();
    int stopped = 0;
    for (int i = 0; i < best.length; i++) {
      if (done[i]) {
        next[i] = Vocabulary.EOS_ID;
        continue;
      }
      if (first) {
        position[i] = prompt[i].length;
      } else {
        position[i]++;
      }
      int token = (int) best[i];
      out[i][count[i]++] = token;
      next[i] = token;
      if (token == Vocabulary.EOS_ID) {
        done[i] = true;
        finish[i] = "stop";
      } else if (count[i] >= maxNew || position[i] >= config.maxText()) {
        done[i] = true;
        finish[i] = "length";
      }
      if (done[i]) {
        stopped++;
      }
    }
    return stopped;
  }

  /** Each row's greedy pointer choice at column {@code col} (with the pointer feed; else null). */
  private long[] pointed(NDList result, int col) {
    return config.pointerFeed() ? result.get(1).get(":, " + col + ", :").argMax(-1).toLongArray() : null;
  }

  private static NDList stackPrefixes(List<ReasonerChat> chats, NDManager m) {
    int arrays = chats.get(0).prefix().size();
    NDList stacked = new NDList();
    for (int a = 0; a < arrays; a++) {
      NDList rows = new NDList();
      for (ReasonerChat chat : chats) {
        rows.add(chat.prefix().get(a));
      }
      NDArray all = rows.size() == 1 ? rows.get(0).duplicate() : NDArrays.concat(rows, 0);
      all.attach(m);
      stacked.add(all);
    }
    return stacked;
  }

  private NDList inputs(NDManager m, long[] tokens, long[] pointed, long[] positions, float[] mask, int rows, int cols,
      int keys, NDList cache) {
    NDList in = new NDList(
        ReasonerChat.tokenInput(m, config, tokens, pointed, rows, cols),
        m.create(positions, new Shape(rows, cols)),
        m.create(mask, new Shape(rows, 1, cols, keys)));
    in.addAll(cache);
    return in;
  }
}
