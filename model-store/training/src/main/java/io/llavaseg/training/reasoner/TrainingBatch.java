package io.llavaseg.training.reasoner;

import io.llavaseg.model.reasoner.ReasonerChat;

import io.llavaseg.model.reasoner.ReasonerBlock;
import io.llavaseg.model.reasoner.ReasonerConfig;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Builds one training step's tensors from examples and computes its losses: the per-cell
 * auxiliary loss on the vision encoder, and teacher-forced cross-entropy on the replies of every
 * row. The image is encoded and its visual prefix run through the decoder once; each text row then
 * attends to its own image's cached keys/values (rows are grouped by length into chunks, each
 * padded to its own longest row). Each format's loss is the mean over that format's reply tokens
 * in the batch, so long attribute lines do not drown short targets. Cross-entropy picks the
 * target's log-probability with {@code gather} on the 3-D logits.
 */
final class TrainingBatch {
  private static final int CHUNK_ROWS = 32;

  private final List<InstructionData.Example> examples;
  private final ReasonerConfig config;
  private final boolean pointAtEveryReplyPosition;

  /**
   * @param pointAtEveryReplyPosition train the pointer head at every position that predicts a reply
   *     token of a row about one object (where the readout is used), not only at the separator
   */
  TrainingBatch(List<InstructionData.Example> examples, ReasonerConfig config, boolean pointAtEveryReplyPosition) {
    this.examples = examples;
    this.config = config;
    this.pointAtEveryReplyPosition = pointAtEveryReplyPosition;
  }

  NDArray images(NDManager m) {
    int s = config.imageSize();
    int plane = 3 * s * s;
    float[] all = new float[examples.size() * plane];
    for (int i = 0; i < examples.size(); i++) {
      System.arraycopy(examples.get(i).pixels(), 0, all, i * plane, plane);
    }
    return m.create(all, new Shape(examples.size(), 3, s, s));
  }

  /**
   * Sum over the five per-cell heads of the mean cross-entropy over labelled cells; the occupancy
   * head's target is each example's soft occupancy (all cells labelled).
   */
  NDArray auxLoss(NDArray auxLogits) {
    NDManager m = auxLogits.getManager();
    int n = config.visualTokens();
    int b = examples.size();
    NDArray total = null;
    int offset = 0;
    for (int h = 0; h < ReasonerConfig.AUX_CLASSES.length; h++) {
      int k = ReasonerConfig.AUX_CLASSES[h];
      long[] labels = new long[b * n];
      float[] mask = new float[b * n];
      int count = 0;
      for (int i = 0; i < b; i++) {
        int[] aux = examples.get(i).aux();
        for (int c = 0; c < n; c++) {
          int l = aux[c * 5 + h];
          labels[i * n + c] = Math.max(0, l);
          if (l >= 0) {
            mask[i * n + c] = 1f;
            count++;
          }
        }
      }
      if (count == 0) {
        offset += k;
        continue;
      }
      NDArray logp = auxLogits.get(":, :, " + offset + ":" + (offset + k)).logSoftmax(-1);
      if (h == 0) {
        float[] target = new float[b * n * 2];
        for (int i = 0; i < b; i++) {
          float[] occ = examples.get(i).occupancy();
          for (int c = 0; c < n; c++) {
            target[(i * n + c) * 2] = 1 - occ[c];
            target[(i * n + c) * 2 + 1] = occ[c];
          }
        }
        NDArray loss = logp.mul(m.create(target, new Shape(b, n, 2))).sum().neg().div(b * n);
        total = total == null ? loss : total.add(loss);
        offset += k;
        continue;
      }
      NDArray picked = logp.gather(m.create(labels, new Shape(b, n, 1)), 2).reshape(b, n);
      NDArray loss = picked.mul(m.create(mask, new Shape(b, n))).sum().neg().div(count);
      total = total == null ? loss : total.add(loss);
      offset += k;
    }
    return total;
  }

  /**
   * {@code [text, pointer]}: the per-format reply cross-entropy, summed over formats ({@code
   * prefix} is the images' cache), and, when {@code visual}
   * (what the pointer chooses among, (B,K,d): the visual embeddings, and with {@link
   * ReasonerConfig#countPointer} the count tokens after them) is given and the block has a pointer
   * head, the mean cross-entropy of the pointer head's scores at each labelled position against its key ({@link
   * InstructionData.Row#cellAt}): a row's separator (the decoder state that has read the whole
   * prompt) and, with {@code pointAtEveryReplyPosition}, every reply position; {@code pointer} is
   * null when no position has a cell. With {@link ReasonerConfig#pointerFeed}, every reply position
   * is labelled (a position without a cell or count token with the nothing key) and each reply token
   * goes in with the label of the position that predicted it (teacher forcing, as for the tokens).
   */
  NDList losses(ReasonerBlock block, ParameterStore ps, NDList prefix, NDArray visual, NDManager m) {
    boolean point = visual != null && block.config().pointerHead();
    NDArray pointerSum = null;
    int pointerRows = 0;
    List<int[]> rows = new ArrayList<>(); // {example, rowIndex}
    int[] formatTokens = new int[InstructionData.FORMATS.length];
    for (int i = 0; i < examples.size(); i++) {
      List<InstructionData.Row> rs = examples.get(i).rows();
      for (int r = 0; r < rs.size(); r++) {
        rows.add(new int[] {i, r});
        InstructionData.Row row = rs.get(r);
        formatTokens[row.format()] += row.tokens().length - row.replyStart();
      }
    }
    if (rows.isEmpty()) {
      return new NDList(null, null);
    }
    rows.sort(Comparator.comparingInt(x -> examples.get(x[0]).rows().get(x[1]).tokens().length));
    long b = examples.size();
    List<NDArray> flat = new ArrayList<>();
    for (NDArray kv : prefix) {
      flat.add(kv.reshape(b, -1));
    }
    NDArray total = null;
    for (int start = 0; start < rows.size(); start += CHUNK_ROWS) {
      List<int[]> chunk = rows.subList(start, Math.min(rows.size(), start + CHUNK_ROWS));
      int r = chunk.size();
      int len = 0;
      for (int[] x : chunk) {
        len = Math.max(len, examples.get(x[0]).rows().get(x[1]).tokens().length - 1);
      }
      boolean feeding = config.pointerFeed();
      long[] in = new long[r * len];
      long[] fed = feeding ? new long[r * len] : null;
      long[] target = new long[r * len];
      float[] weight = new float[r * len];
      long[] image = new long[r];
      for (int j = 0; j < r; j++) {
        int[] x = chunk.get(j);
        image[j] = x[0];
        InstructionData.Row row = examples.get(x[0]).rows().get(x[1]);
        int[] t = row.tokens();
        float w = 1f / formatTokens[row.format()];
        for (int p = 0; p < t.length - 1; p++) {
          in[j * len + p] = t[p];
          target[j * len + p] = t[p + 1];
          if (p + 1 >= row.replyStart()) {
            weight[j * len + p] = w;
          }
        }
        if (feeding) {
          System.arraycopy(fedKeys(row, len), 0, fed, j * len, len);
        }
      }
      NDArray idx = m.create(image, new Shape(r));
      NDList cache = new NDList();
      for (int i = 0; i < flat.size(); i++) {
        long[] dims = prefix.get(i).getShape().getShape().clone(); // (B,H,P,dh) keys/values, (B,N,d) visual
        dims[0] = r;
        cache.add(Embedding.embedding(idx, flat.get(i), ai.djl.ndarray.types.SparseFormat.DENSE).head().reshape(new Shape(dims)));
      }
      NDArray tokens = ReasonerChat.tokenInput(m, config, in, fed, r, len);
      NDArray logits;
      if (point) {
        NDList out = block.textWithHidden(ps, tokens, cache, true);
        logits = out.get(0);
        List<Long> at = new ArrayList<>();
        List<Long> img = new ArrayList<>();
        List<Long> cells = new ArrayList<>();
        for (int j = 0; j < r; j++) {
          InstructionData.Row row = examples.get(chunk.get(j)[0]).rows().get(chunk.get(j)[1]);
          int last = pointAtEveryReplyPosition ? row.tokens().length - 2 : row.replyStart() - 1;
          for (int p = row.replyStart() - 1; p <= last; p++) {
            int label = pointerLabel(row, p);
            if (label >= 0) {
              at.add((long) j * len + p);
              img.add((long) chunk.get(j)[0]);
              cells.add((long) label);
            }
          }
        }
        if (!at.isEmpty()) {
          int k = at.size();
          long d = out.get(1).getShape().get(2);
          NDArray states = Embedding.embedding(m.create(toArray(at), new Shape(k)), out.get(1).reshape(r * len, d),
              ai.djl.ndarray.types.SparseFormat.DENSE).head();
          long n = visual.getShape().get(1);
          NDArray vis = Embedding.embedding(m.create(toArray(img), new Shape(k)), visual.reshape(b, n * d),
              ai.djl.ndarray.types.SparseFormat.DENSE).head().reshape(k, n, d);
          NDArray scores = block.pointerScores(ps, states, vis, true);
          NDArray ce = scores.logSoftmax(-1).gather(m.create(toArray(cells), new Shape(k, 1)), 1).sum().neg();
          pointerSum = pointerSum == null ? ce : pointerSum.add(ce);
          pointerRows += k;
        }
      } else {
        logits = block.text(ps, tokens, cache, true).head();
      }
      NDArray picked = logits.logSoftmax(-1).gather(m.create(target, new Shape(r, len, 1)), 2).reshape(r, len);
      NDArray loss = picked.mul(m.create(weight, new Shape(r, len))).sum().neg();
      total = total == null ? loss : total.add(loss);
    }
    return new NDList(total, pointerSum == null ? null : pointerSum.div(pointerRows));
  }

  /**
   * With the pointer feed, the key each of a row's first {@code len} input tokens goes in with:
   * a reply token, the pointer's label at the position that predicted it; a prompt token (or
   * padding), the nothing key.
   */
  long[] fedKeys(InstructionData.Row row, int len) {
    long[] fed = new long[len];
    java.util.Arrays.fill(fed, config.nothingKey());
    for (int p = row.replyStart(); p < Math.min(len, row.tokens().length - 1); p++) {
      fed[p] = pointerLabel(row, p - 1);
    }
    return fed;
  }

  /** The pointer's label at reply position {@code p}: its key, or with the pointer feed the nothing key, else -1. */
  private int pointerLabel(InstructionData.Row row, int p) {
    int key = row.cellAt(p);
    return key >= 0 || !config.pointerFeed() ? key : config.nothingKey();
  }

  private static long[] toArray(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).toArray();
  }
}
