package io.llavaseg.model.reasoner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole LLaVA-style reasoner as one DJL block: {@link VisionEncoder} -> projector (two linear
 * layers with GELU) plus a learned 2D position embedding (row + column) per visual token -> a
 * causal pre-LN decoder ({@link DecoderLayer}) over word tokens with a learned position embedding
 * for text positions -> LayerNorm -> vocabulary logits. With {@link ReasonerConfig#countTokens}, the
 * prefix ends with one count token per counted class (see {@link #countTokens}).
 *
 * <p>The visual tokens form a prefix that attends to itself in both directions (it is given all at
 * once); text tokens attend causally to the prefix and to earlier text. Because the prefix never
 * looks at text, its keys and values are computed once per image and reused by every prompt: the
 * KV cache that serving and training share.
 *
 * <p>{@link #forward} (the Predictor's entry point) has two modes, chosen by the first input:
 * <ul>
 *   <li>{@code [image float (B,3,S,S)]} -> {@code [k0, v0, k1, v1, ...]}: the prefix cache (visual
 *       tokens, then the count tokens if the architecture has them; with
 *       the pointer readout, the pointer keys (B,K,d) follow as the cache's last array and are
 *       passed through by every text call);
 *   <li>{@code [tokens int64 (B,T), k0, v0, ...]} -> {@code [logits (B,T,V), k0', v0', ...]}: T new
 *       text tokens after the cached positions, returning the extended cache. With {@link
 *       ReasonerConfig#pointerFeed}, tokens may be (B,T,2): each token id with the pointer key that was
 *       chosen when it was predicted ((B,T) means the nothing key for all, as for prompt tokens), and
 *       the pointer's scores (B,T,K) follow the logits: {@code [logits, pointer, k0', v0', ...]} (take
 *       the cache with {@link #cacheAfter});
 *   <li>{@code [tokens int64 (B,T), positions int64 (B,T), mask float (B,1,T,P+T), k0, v0, ...]} ->
 *       the same, for rows of different lengths decoded as one batch ({@link BatchDecoder}): each
 *       row has its own text positions and its own additive mask (padding hidden).
 * </ul>
 * In both text modes an additive mask (B,K) on the pointer's scores may follow the cache (one array
 * more than the cache has), as {@link ReasonerChat#ask} gives one.
 */
public final class ReasonerBlock extends AbstractBlock {
  /** Additive mask value for forbidden attention. */
  public static final float NEG = -1e9f;

  private final ReasonerConfig config;
  private final VisionEncoder vision;
  private final Linear proj1;
  private final Linear proj2;
  private final Parameter rowEmb;
  private final Parameter colEmb;
  private final Parameter tokEmb;
  private final Parameter posEmb;
  private final List<DecoderLayer> layers = new ArrayList<>();
  private final LayerNorm finalLn;
  private final Linear head;
  /** Projects the per-cell aux predictions into the decoder space; null unless symbolicTokens. */
  private final Linear symbolic;
  /** Grounding head (see {@link ReasonerConfig#pointerHead}); null when absent. */
  private final Linear pointer;
  /** Projects what the pointer reads from the visual tokens (see {@link ReasonerConfig#pointerReadout}); null when absent. */
  private final Linear readout;
  /** Projects a count token's soft bins (see {@link ReasonerConfig#countTokens}); null when absent. */
  private final Linear countBins;
  /** The class embedding of each count token; null when absent. */
  private final Parameter countEmb;
  /** Projects the key a token's pointer chose into its input (see {@link ReasonerConfig#pointerFeed}); null when absent. */
  private final Linear feed;
  /** The pointer's nothing key (1,d); null when absent. */
  private final Parameter nothingKey;

  public ReasonerBlock(ReasonerConfig config) {
    this.config = config;
    vision = addChildBlock("vision", new VisionEncoder(config));
    proj1 = addChildBlock("proj1", Linear.builder().setUnits(config.dModel()).build());
    proj2 = addChildBlock("proj2", Linear.builder().setUnits(config.dModel()).build());
    rowEmb = addParameter(param("rowEmb", config.grid(), config.dModel()));
    colEmb = addParameter(param("colEmb", config.grid(), config.dModel()));
    tokEmb = addParameter(param("tokEmb", config.vocabSize(), config.dModel()));
    posEmb = addParameter(param("posEmb", config.maxText(), config.dModel()));
    for (int i = 0; i < config.layers(); i++) {
      layers.add(addChildBlock("layer" + i, new DecoderLayer(config.dModel(), config.heads(), config.ffn())));
    }
    finalLn = addChildBlock("finalLn", LayerNorm.builder().axis(2).build());
    head = addChildBlock("head", Linear.builder().setUnits(config.vocabSize()).build());
    symbolic = config.symbolicTokens()
        ? addChildBlock("symbolic", Linear.builder().setUnits(config.dModel()).optBias(false).build())
        : null;
    pointer = config.pointerHead()
        ? addChildBlock("pointer", Linear.builder().setUnits(config.dModel()).optBias(false).build())
        : null;
    if (pointer != null) {
      // zero: the head starts uniform over the cells (loss ln N) and cannot swamp the clipped gradient
      pointer.setInitializer(new ai.djl.training.initializer.ConstantInitializer(0f), Parameter.Type.WEIGHT);
    }
    readout = config.pointerReadout()
        ? addChildBlock("readout", Linear.builder().setUnits(config.dModel()).optBias(false).build())
        : null;
    if (readout != null) {
      // zero: a model trained without the readout starts out computing exactly what it did
      readout.setInitializer(new ai.djl.training.initializer.ConstantInitializer(0f), Parameter.Type.WEIGHT);
    }
    countBins = config.countTokens()
        ? addChildBlock("countBins", Linear.builder().setUnits(config.dModel()).optBias(false).build())
        : null;
    countEmb = config.countTokens() ? addParameter(param("countEmb", ReasonerConfig.COUNT_TOKENS, config.dModel())) : null;
    feed = config.pointerFeed()
        ? addChildBlock("feed", Linear.builder().setUnits(config.dModel()).optBias(false).build())
        : null;
    if (feed != null) {
      // zero: a model trained without the feed starts out computing exactly what it did
      feed.setInitializer(new ai.djl.training.initializer.ConstantInitializer(0f), Parameter.Type.WEIGHT);
    }
    // zero: it starts with score 0 against any state, reads nothing and feeds nothing (and draws no random numbers)
    nothingKey = config.pointerFeed()
        ? addParameter(Parameter.builder().setName("nothingKey").setType(Parameter.Type.WEIGHT)
            .optShape(new Shape(1, config.dModel())).optInitializer(new ai.djl.training.initializer.ConstantInitializer(0f)).build())
        : null;
  }

  private static Parameter param(String name, int rows, int cols) {
    return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(rows, cols)).optInitializer(new NormalInitializer(0.02f)).build();
  }

  public ReasonerConfig config() {
    return config;
  }

  public VisionEncoder vision() {
    return vision;
  }

  /** [visual tokens (B,N,C), aux logits (B,N,K)] of images (B,3,S,S). */
  public NDList encodeImages(ParameterStore ps, NDArray images, boolean training) {
    return vision.forward(ps, new NDList(images), training);
  }

  /**
   * Projects visual tokens {@code [features, auxLogits]} (from {@link #encodeImages}) into the
   * decoder's embedding space and adds their 2D positions. With symbolic tokens, the softmax of
   * each auxiliary head (occupancy, colour, shape, size, location), taken without gradient so that
   * it stays the encoder's own calibrated prediction, is projected linearly and added too.
   */
  public NDArray visualEmbeddings(ParameterStore ps, NDList vision, boolean training) {
    NDArray features = vision.get(0);
    NDArray h = Activation.gelu(proj1.forward(ps, new NDList(features), training).head());
    h = proj2.forward(ps, new NDList(h), training).head();
    if (symbolic != null) {
      h = h.add(symbolic.forward(ps, new NDList(auxProbabilities(vision.get(1))), training).head());
    }
    NDManager owner = h.getManager();
    NDArray rows = ps.getValue(rowEmb, h.getDevice(), training);
    NDArray cols = ps.getValue(colEmb, h.getDevice(), training);
    int g = config.grid();
    // operations on parameters put their results on the parameters' manager: move them to the caller's
    NDArray r = own(rows.reshape(g, 1, -1), owner);
    NDArray c = own(cols.reshape(1, g, -1), owner);
    return h.add(r.add(c).reshape(g * g, -1));
  }

  /** Per-head softmax of aux logits (B,N,K), concatenated back to (B,N,K), without gradient. */
  static NDArray auxProbabilities(NDArray auxLogits) {
    NDArray logits = auxLogits.stopGradient();
    NDList parts = new NDList();
    int offset = 0;
    for (int k : ReasonerConfig.AUX_CLASSES) {
      parts.add(logits.get(":, :, " + offset + ":" + (offset + k)).softmax(-1));
      offset += k;
    }
    return NDArrays.concat(parts, 2);
  }

  /**
   * The encoder's expected number of objects (B, {@link ReasonerConfig#COUNT_TOKENS}) of aux logits
   * (B,N,K), without gradient: of all objects (the sum over cells of the occupancy probability), then
   * of each colour and of each shape (the sum of occupancy times the class's probability).
   */
  public static NDArray expectedCounts(NDArray auxLogits) {
    NDArray probs = auxProbabilities(auxLogits); // (B,N,K)
    int colours = ReasonerConfig.AUX_CLASSES[1];
    int shapes = ReasonerConfig.AUX_CLASSES[2];
    NDArray occupied = probs.get(":, :, 1:2"); // (B,N,1)
    NDArray classes = probs.get(":, :, 2:" + (2 + colours + shapes)); // colour then shape probabilities
    return NDArrays.concat(new NDList(occupied.sum(new int[] {1}), classes.mul(occupied).sum(new int[] {1})), 1);
  }

  /**
   * The count tokens (B, {@link ReasonerConfig#COUNT_TOKENS}, d) of aux logits (B,N,K): for all
   * objects, each colour and each shape, the expected number of objects (sum over cells of the
   * occupancy probability, times the class probability), without gradient, as soft bins (a value
   * of 2.3 is 0.7 of bin 2 and 0.3 of bin 3) projected linearly, plus the class's embedding.
   */
  public NDArray countTokens(ParameterStore ps, NDArray auxLogits, boolean training) {
    if (countBins == null) {
      throw new IllegalStateException("this architecture has no count tokens");
    }
    NDArray counts = expectedCounts(auxLogits);
    NDManager owner = counts.getManager();
    NDArray bins = owner.arange(0f, ReasonerConfig.COUNT_BINS).reshape(1, 1, -1);
    NDArray clipped = counts.clip(0f, ReasonerConfig.COUNT_BINS - 1f).expandDims(2); // (B,C,1)
    NDArray soft = clipped.sub(bins).abs().neg().add(1f).maximum(0f); // (B,C,BINS): 1 - |count - bin|, at least 0
    NDArray h = countBins.forward(ps, new NDList(soft), training).head();
    NDArray emb = own(ps.getValue(countEmb, h.getDevice(), training).expandDims(0), owner);
    return h.add(emb);
  }

  /** What the pointer of a prefix cache from {@link #prefix} chooses among (B,K,d), K = {@link ReasonerConfig#pointerKeys}. */
  public NDArray pointerKeys(NDList prefix) {
    if (readout == null) {
      throw new IllegalStateException("this architecture has no pointer readout");
    }
    return prefix.get(2 * layers.size());
  }

  /** The image prefix of encoder outputs {@code [features, auxLogits]} ({@link #prefix}). */
  public NDList imagePrefix(ParameterStore ps, NDList vision, boolean training) {
    return prefix(ps, visualEmbeddings(ps, vision, training), vision.get(1), training);
  }

  /**
   * Runs the image prefix through the decoder: the visual embeddings (B,N,d), then, if the
   * architecture has them, the count tokens of the encoder's aux logits (B,N,K). Returns the
   * per-layer cache {@code [k0, v0, ...]}, then, with the pointer readout, what the pointer chooses
   * among ({@link ReasonerConfig#pointerKeys}): the visual embeddings, followed with {@code
   * countPointer} by the count tokens as they entered the decoder, and with {@code pointerFeed} by
   * the nothing key.
   */
  public NDList prefix(ParameterStore ps, NDArray visual, NDArray auxLogits, boolean training) {
    NDArray x = countBins == null ? visual
        : NDArrays.concat(new NDList(visual, countTokens(ps, auxLogits, training)), 1);
    NDArray keys = config.countPointer() ? x : visual;
    if (nothingKey != null) {
      NDArray none = own(ps.getValue(nothingKey, visual.getDevice(), training).expandDims(0), visual.getManager());
      keys = NDArrays.concat(new NDList(keys, none.repeat(0, keys.getShape().get(0))), 1);
    }
    long n = x.getShape().get(1);
    NDArray mask = visual.getManager().zeros(new Shape(n, n));
    NDList cache = new NDList();
    for (DecoderLayer layer : layers) {
      NDList o = layer.forward(ps, new NDList(x, mask), training);
      x = o.get(0);
      cache.add(o.get(1));
      cache.add(o.get(2));
    }
    if (readout != null) {
      cache.add(keys);
    }
    return cache;
  }

  /**
   * T new text tokens (B,T) after the cached positions (prefix, earlier text): {@code [logits
   * (B,T,V), k0', v0', ...]}.
   */
  public NDList text(ParameterStore ps, NDArray tokens, NDList cache, boolean training) {
    return text(ps, tokens, cache, null, training);
  }

  /**
   * As {@link #text(ParameterStore, NDArray, NDList, boolean)}, with an additive mask (B,K) on the
   * pointer's scores at every new position (null: none); see {@link ReasonerChat#ask} for its use.
   */
  public NDList text(ParameterStore ps, NDArray tokens, NDList cache, NDArray pointerMask, boolean training) {
    return decode(ps, embedText(ps, tokens, cache, training), causalMask(tokens.getManager(), pastOf(cache),
        (int) tokens.getShape().get(1)), cache, pointerMask, training);
  }

  /** Token plus position embeddings (plus the fed pointer keys) of T new tokens after the cached positions. */
  private NDArray embedText(ParameterStore ps, NDArray tokens, NDList cache, boolean training) {
    long t = tokens.getShape().get(1);
    long start = pastOf(cache) - config.prefixTokens();
    if (start < 0 || start + t > config.maxText()) {
      throw new IllegalArgumentException(
          "text positions " + start + ".." + (start + t) + " outside 0.." + config.maxText());
    }
    NDManager owner = tokens.getManager();
    NDArray pos = own(ps.getValue(posEmb, tokens.getDevice(), training).get(start + ":" + (start + t)), owner);
    return embedTokens(ps, tokens, cache, training).add(pos);
  }

  /**
   * Token embeddings (B,T,d) of tokens (B,T) or, with the pointer feed, (B,T,2) (id, chosen key):
   * plus the projection of the chosen key among the cache's pointer keys (the nothing key for (B,T)).
   */
  private NDArray embedTokens(ParameterStore ps, NDArray tokens, NDList cache, boolean training) {
    NDManager owner = tokens.getManager();
    boolean grounded = tokens.getShape().dimension() == 3;
    if (grounded && feed == null) {
      throw new IllegalArgumentException("this architecture has no pointer feed: tokens must be (B,T)");
    }
    NDArray ids = grounded ? tokens.get(":, :, 0") : tokens;
    NDArray table = ps.getValue(tokEmb, tokens.getDevice(), training);
    NDArray x = own(Embedding.embedding(ids, table, ai.djl.ndarray.types.SparseFormat.DENSE).head(), owner);
    if (feed == null) {
      return x;
    }
    NDArray keys = cache.get(2 * layers.size()); // (B,K,d)
    int k = (int) keys.getShape().get(1);
    NDArray chosen = grounded ? tokens.get(":, :, 1")
        : owner.full(ids.getShape(), (long) config.nothingKey(), DataType.INT64);
    NDArray read = chosen.oneHot(k).batchMatMul(keys); // (B,T,d)
    return x.add(feed.forward(ps, new NDList(read), training).head());
  }

  private static int pastOf(NDList cache) {
    return (int) cache.get(0).getShape().get(2);
  }

  /**
   * Training: T new text tokens (B,T) after the cached positions, {@code [logits (B,T,V), hidden
   * (B,T,d)]}, hidden being the final LayerNorm's output that the vocabulary head reads.
   */
  public NDList textWithHidden(ParameterStore ps, NDArray tokens, NDList cache, boolean training) {
    NDArray mask = causalMask(tokens.getManager(), pastOf(cache), (int) tokens.getShape().get(1));
    NDArray hidden = layersAndNorm(ps, embedText(ps, tokens, cache, training), mask, cache, training).head();
    return new NDList(logitsAndPointer(ps, hidden, cache, null, training).head(), hidden);
  }

  /**
   * The vocabulary head on final states (B,T,d), after adding the pointer readout if there is one:
   * {@code [logits (B,T,V)]}, followed with the readout by the pointer's scores (B,T,K), to which an
   * additive {@code pointerMask} (B,K), if given, was added before the readout's softmax.
   */
  private NDList logitsAndPointer(ParameterStore ps, NDArray hidden, NDList cache, NDArray pointerMask,
      boolean training) {
    NDList in = headInput(ps, hidden, cache, pointerMask, training);
    NDList out = new NDList(head.forward(ps, new NDList(in.head()), training).head());
    if (in.size() > 1) {
      out.add(in.get(1));
    }
    return out;
  }

  /**
   * What the vocabulary head reads at each position, {@code [state (B,T,d)]}: the final states plus,
   * with the pointer readout, the projection of what the pointer reads, whose scores (B,T,K) follow.
   */
  private NDList headInput(ParameterStore ps, NDArray hidden, NDList cache, NDArray pointerMask, boolean training) {
    if (readout == null) {
      return new NDList(hidden);
    }
    NDArray keys = cache.get(2 * layers.size()); // (B,K,d)
    NDArray pointed = scores(ps, hidden, keys, training);
    if (pointerMask != null) {
      pointed = pointed.add(pointerMask.expandDims(1));
    }
    NDArray read = pointed.softmax(-1).batchMatMul(keys); // (B,T,d)
    return new NDList(hidden.add(readout.forward(ps, new NDList(read), training).head()), pointed);
  }

  /**
   * As {@link #text(ParameterStore, NDArray, NDList, NDArray, boolean)}, with the final hidden state
   * of every new position (what the vocabulary head reads, the pointer readout included) after the
   * logits and, with the pointer feed, the pointer's scores: {@code [logits (B,T,V), pointer (B,T,K),
   * state (B,T,d), k0', v0', ...]} (without the feed: {@code [logits, state, k0', ...]}). A LISA-style
   * {@code <seg>} token's embedding for a mask decoder is this state at the position that predicts it.
   */
  public NDList textWithState(ParameterStore ps, NDArray tokens, NDList cache, NDArray pointerMask, boolean training) {
    NDArray mask = causalMask(tokens.getManager(), pastOf(cache), (int) tokens.getShape().get(1));
    NDList out = layersAndNorm(ps, embedText(ps, tokens, cache, training), mask, cache, training);
    NDList in = headInput(ps, out.head(), cache, pointerMask, training);
    NDList result = new NDList(head.forward(ps, new NDList(in.head()), training).head());
    if (feed != null) {
      result.add(in.get(1));
    }
    result.add(in.head());
    result.addAll(out.subNDList(1));
    if (readout != null) {
      result.add(cache.get(2 * layers.size()));
    }
    return result;
  }

  /** The extended cache of a text-mode output: what follows the logits (and, with the pointer feed, the pointer's scores). */
  public static NDList cacheAfter(NDList textOutput, ReasonerConfig config) {
    int from = config.pointerFeed() ? 2 : 1;
    return new NDList(textOutput.subList(from, textOutput.size()));
  }

  /**
   * Grounding scores (R, N) of decoder states (R, d) against the visual embeddings (R, N, d) of
   * each state's image: {@code visual . (W h) / sqrt(d)}.
   */
  public NDArray pointerScores(ParameterStore ps, NDArray states, NDArray visual, boolean training) {
    if (pointer == null) {
      throw new IllegalStateException("this architecture has no pointer head");
    }
    long r = states.getShape().get(0);
    return scores(ps, states.reshape(r, 1, -1), visual, training).reshape(r, -1);
  }

  /** The pointer's scores (B,T,N) of states (B,T,d) against visual embeddings (B,N,d): {@code (W h) . visual / sqrt(d)}. */
  private NDArray scores(ParameterStore ps, NDArray states, NDArray visual, boolean training) {
    NDArray q = pointer.forward(ps, new NDList(states), training).head();
    return q.batchMatMul(visual.transpose(0, 2, 1)).div((float) Math.sqrt(config.dModel()));
  }

  /** Text embeddings through every layer (on top of the cache), then the head: {@code [logits, k0', v0', ...]}. */
  private NDList decode(ParameterStore ps, NDArray x, NDArray mask, NDList cache, NDArray pointerMask,
      boolean training) {
    NDList out = layersAndNorm(ps, x, mask, cache, training);
    NDList heads = logitsAndPointer(ps, out.head(), cache, pointerMask, training);
    NDList result = new NDList(heads.head());
    if (feed != null) {
      result.add(heads.get(1));
    }
    result.addAll(out.subNDList(1));
    if (readout != null) {
      result.add(cache.get(2 * layers.size()));
    }
    return result;
  }

  /** Text embeddings through every layer and the final LayerNorm: {@code [hidden, k0', v0', ...]}. */
  private NDList layersAndNorm(ParameterStore ps, NDArray x, NDArray mask, NDList cache, boolean training) {
    NDList kv = new NDList();
    for (int i = 0; i < layers.size(); i++) {
      NDList o = layers.get(i).forward(ps, new NDList(x, mask, cache.get(2 * i), cache.get(2 * i + 1)), training);
      x = o.get(0);
      kv.add(o.get(1));
      kv.add(o.get(2));
    }
    NDList out = new NDList(finalLn.forward(ps, new NDList(x), training).head());
    out.addAll(kv);
    return out;
  }

  /**
   * Text tokens of rows with their own positions and additive masks (B,1,T,P+T) after cached
   * keys/values of P positions: {@code [logits (B,T,V), k0', v0', ...]}. Positions must lie in
   * {@code [0, maxText)}.
   */
  public NDList textRows(ParameterStore ps, NDArray tokens, NDArray positions, NDArray mask, NDList cache,
      NDArray pointerMask, boolean training) {
    NDManager owner = tokens.getManager();
    NDArray x = embedTokens(ps, tokens, cache, training);
    NDArray posTable = ps.getValue(posEmb, tokens.getDevice(), training);
    x = x.add(own(Embedding.embedding(positions, posTable, ai.djl.ndarray.types.SparseFormat.DENSE).head(), owner));
    return decode(ps, x, mask, cache, pointerMask, training);
  }

  private static NDArray own(NDArray a, NDManager owner) {
    if (a.getManager() != owner) {
      a.attach(owner);
    }
    return a;
  }

  /** Additive mask (T, past+T): query i sees every past position and new positions 0..i. */
  static NDArray causalMask(NDManager manager, int past, int t) {
    float[] m = new float[t * (past + t)];
    for (int i = 0; i < t; i++) {
      for (int j = past + i + 1; j < past + t; j++) {
        m[i * (past + t) + j] = NEG;
      }
    }
    return manager.create(m, new Shape(t, past + t));
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray first = inputs.head();
    if (first.getDataType().isFloating()) {
      return imagePrefix(ps, encodeImages(ps, first, training), training);
    }
    boolean rows = inputs.size() > 2 && inputs.get(1).getDataType() == DataType.INT64;
    NDList cache = new NDList(inputs.subList(rows ? 3 : 1, inputs.size()));
    int arrays = 2 * layers.size() + (readout != null ? 1 : 0);
    NDArray pointerMask = cache.size() == arrays + 1 ? cache.remove(arrays) : null;
    if (rows) {
      return textRows(ps, first, inputs.get(1), inputs.get(2), cache, pointerMask, training);
    }
    return text(ps, first, cache, pointerMask, training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long b = inputShapes[0].get(0);
    Shape kv = new Shape(b, config.heads(), -1, config.headDim());
    List<Shape> shapes = new ArrayList<>();
    if (inputShapes[0].dimension() != 4) {
      // text and rows modes alike: logits, then the extended cache
      shapes.add(new Shape(b, inputShapes[0].get(1), config.vocabSize()));
      if (feed != null) {
        shapes.add(new Shape(b, inputShapes[0].get(1), config.pointerKeys()));
      }
    }
    for (int i = 0; i < 2 * config.layers(); i++) {
      shapes.add(kv);
    }
    if (readout != null) {
      shapes.add(new Shape(b, config.pointerKeys(), config.dModel()));
    }
    return shapes.toArray(new Shape[0]);
  }

  /** Initialises every parameter; the input shape is ignored (the config fixes all shapes). */
  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    int s = config.imageSize();
    vision.initialize(manager, dataType, new Shape(1, 3, s, s));
    Shape feat = new Shape(1, config.visualTokens(), config.visionWidth());
    Shape d = new Shape(1, config.visualTokens(), config.dModel());
    proj1.initialize(manager, dataType, feat);
    proj2.initialize(manager, dataType, d);
    for (DecoderLayer layer : layers) {
      layer.initialize(manager, dataType, d);
    }
    finalLn.initialize(manager, dataType, d);
    head.initialize(manager, dataType, d);
    if (symbolic != null) {
      symbolic.initialize(manager, dataType, new Shape(1, config.visualTokens(), ReasonerConfig.auxOutputs()));
    }
    if (pointer != null) {
      pointer.initialize(manager, dataType, new Shape(1, config.dModel()));
    }
    if (readout != null) {
      readout.initialize(manager, dataType, new Shape(1, config.dModel()));
    }
    if (countBins != null) {
      countBins.initialize(manager, dataType, new Shape(1, ReasonerConfig.COUNT_TOKENS, ReasonerConfig.COUNT_BINS));
    }
    if (feed != null) {
      feed.initialize(manager, dataType, new Shape(1, config.dModel()));
    }
  }

  /** Initialises the block for a fresh model. */
  public void initializeAll(NDManager manager) {
    int s = config.imageSize();
    initialize(manager, DataType.FLOAT32, new Shape(1, 3, s, s));
  }
}
