package io.llavaseg.model.reasoner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.llavaseg.model.Generation;
import io.llavaseg.model.ImageChat;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KvCacheDecodingTest {

  @Test
  void incrementalLogitsEqualFullSequenceLogits() {
    Vocabulary v = TinyModels.vocab();
    try (Model model = TinyModels.model(TinyModels.config(v), 5); NDManager m = model.getNDManager().newSubManager()) {
      ReasonerBlock block = (ReasonerBlock) model.getBlock();
      ParameterStore ps = new ParameterStore(m, false);
      NDList prefix = prefix(block, ps, m.randomUniform(-1, 1, new Shape(1, 3, 32, 32)));
      long[] tokens = {2, 7, 9, 11, 4, 13, 8, 10};
      NDArray full = block.text(ps, m.create(tokens, new Shape(1, tokens.length)), prefix, false).head();
      NDList cache = prefix;
      for (int i = 0; i < tokens.length; i++) {
        NDList o = block.text(ps, m.create(new long[] {tokens[i]}, new Shape(1, 1)), cache, false);
        assertEquals(0f, o.get(0).get("0, 0").sub(full.get("0, " + i)).abs().max().getFloat(), 1e-4f, "position " + i);
        cache = ReasonerBlock.cacheAfter(o, block.config());
      }
    }
  }

  @Test
  void cachedGreedyRepliesEqualUncachedGreedyReplies() {
    Vocabulary v = TinyModels.vocab();
    ReasonerConfig config = TinyModels.config(v);
    try (Model model = TinyModels.model(config, 6); NDManager m = model.getNDManager().newSubManager()) {
      ReasonerBlock block = (ReasonerBlock) model.getBlock();
      ParameterStore ps = new ParameterStore(m, false);
      LocalReasoner reasoner = TinyModels.local(model, v, 8);
      for (int seed = 0; seed < 2; seed++) {
        BufferedImage image = TinyModels.image(seed);
        try (ImageChat chat = reasoner.open(image)) {
          for (String prompt : TinyModels.prompts()) {
            Generation g = chat.ask(prompt);
            String uncached = uncachedGreedy(block, ps, m, v, config, image, prompt, 8);
            assertEquals(uncached, g.text(), "seed " + seed + ", prompt " + prompt);
          }
        }
      }
    }
  }

  @Test
  void aZeroReadoutLeavesTheModelAsItWasWithoutOne() {
    Vocabulary v = TinyModels.vocab();
    ReasonerConfig with = TinyModels.config(v);
    ReasonerConfig without = with.withPointerReadout(false);
    float[] image = TinyModels.randomPixels(9);
    long[] tokens = {2, 7, 9, 11, 4};
    try (Model a = TinyModels.zeroReadoutModel(with, 9); Model b = TinyModels.zeroReadoutModel(without, 9)) {
      assertArrayEquals(TinyModels.logits(b, image, tokens, null), TinyModels.logits(a, image, tokens, null), 1e-5f);
    }
    // and the tiny models the other tests use do read through theirs (random readout weights)
    try (Model random = TinyModels.model(with, 9); Model zero = TinyModels.zeroReadoutModel(with, 9)) {
      float[] r = TinyModels.logits(random, image, tokens, null);
      float[] z = TinyModels.logits(zero, image, tokens, null);
      float gap = 0;
      for (int i = 0; i < r.length; i++) {
        gap = Math.max(gap, Math.abs(r[i] - z[i]));
      }
      assertTrue(gap > 1e-3f, "random readout weights change the logits");
    }
  }

  /**
   * Recomputes the whole sequence (prefix and all text) for every generated token; with the pointer
   * feed, each generated token goes in with the pointer's choice where it was predicted, under
   * {@link PointerCoverage}'s rule.
   */
  private static String uncachedGreedy(ReasonerBlock block, ParameterStore ps, NDManager m, Vocabulary v,
      ReasonerConfig config, BufferedImage image, String prompt, int maxNew) {
    NDArray pixels = m.create(ImageInput.pixels(image, config.imageSize()), new Shape(1, 3, config.imageSize(), config.imageSize()));
    List<Long> seq = new ArrayList<>();
    seq.add((long) Vocabulary.BOS_ID);
    for (int id : v.encode(prompt)) {
      seq.add((long) id);
    }
    seq.add((long) Vocabulary.SEP_ID);
    List<Long> pointed = new ArrayList<>();
    PointerCoverage coverage = config.pointerFeed() ? new PointerCoverage(config) : null;
    NDArray pointerMask = null;
    while (config.pointerFeed() && pointed.size() < seq.size()) {
      pointed.add((long) config.nothingKey());
    }
    int[] out = new int[maxNew];
    int n = 0;
    NDList prefix = prefix(block, ps, pixels);
    while (n < maxNew) {
      long[] t = seq.stream().mapToLong(Long::longValue).toArray();
      long[] k = config.pointerFeed() ? pointed.stream().mapToLong(Long::longValue).toArray() : null;
      NDList o = block.text(ps, ReasonerChat.tokenInput(m, config, t, k, 1, t.length), prefix, pointerMask, false);
      int next = (int) o.head().get("0, -1").argMax().getLong();
      out[n++] = next;
      if (next == Vocabulary.EOS_ID) {
        break;
      }
      seq.add((long) next);
      if (config.pointerFeed()) {
        long key = o.get(1).get("0, -1").argMax().getLong();
        pointed.add(key);
        coverage.chose((int) key);
        pointerMask = PointerCoverage.masks(m, new PointerCoverage[] {coverage});
      }
    }
    return v.decode(out, n);
  }

  private static NDList prefix(ReasonerBlock block, ParameterStore ps, NDArray image) {
    return block.imagePrefix(ps, block.encodeImages(ps, image, false), false);
  }
}
