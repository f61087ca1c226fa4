package io.llavaseg.model.reasoner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-LayerNorm causal transformer decoder layer with a key/value cache: {@code x + attn(ln1(x))},
 * then {@code x + ffn(ln2(x))}. LayerNorm normalises the feature axis only ({@code axis(2)}), so no
 * token sees another through normalisation; no BatchNorm anywhere.
 *
 * <p>Inputs {@code [x (B,T,d), mask (T, P+T), pastK (B,H,P,dh), pastV (B,H,P,dh)]}, the past pair
 * optional (P = 0). {@code mask} is additive (0 where attention is allowed, a large negative value
 * where not) and is built by the caller ({@link ReasonerBlock#causalMask}). Outputs {@code [y,
 * K, V]} where K and V cover all P+T positions (the cache for the next call).
 */
public final class DecoderLayer extends AbstractBlock {
  private final int dModel;
  private final int heads;
  private final LayerNorm ln1;
  private final LayerNorm ln2;
  private final Linear qkv;
  private final Linear out;
  private final Linear up;
  private final Linear down;

  public DecoderLayer(int dModel, int heads, int ffn) {
    this.dModel = dModel;
    this.heads = heads;
    ln1 = addChildBlock("ln1", LayerNorm.builder().axis(2).build());
    qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * dModel).build());
    out = addChildBlock("out", Linear.builder().setUnits(dModel).build());
    ln2 = addChildBlock("ln2", LayerNorm.builder().axis(2).build());
    up = addChildBlock("up", Linear.builder().setUnits(ffn).build());
    down = addChildBlock("down", Linear.builder().setUnits(dModel).build());
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray mask = inputs.get(1);
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    long dh = dModel / heads;
    NDArray h = ln1.forward(ps, new NDList(x), training).head();
    NDArray proj = qkv.forward(ps, new NDList(h), training).head(); // (B,T,3d)
    NDArray heads4 = proj.reshape(b, t, 3, heads, dh).transpose(2, 0, 3, 1, 4); // (3,B,H,T,dh)
    NDArray q = heads4.get(0);
    NDArray k = heads4.get(1);
    NDArray v = heads4.get(2);
    if (inputs.size() > 3) {
      k = inputs.get(2).concat(k, 2);
      v = inputs.get(3).concat(v, 2);
    }
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(1.0 / Math.sqrt(dh)).add(mask);
    NDArray att = scores.softmax(-1).matMul(v); // (B,H,T,dh)
    NDArray merged = att.transpose(0, 2, 1, 3).reshape(b, t, dModel);
    x = x.add(out.forward(ps, new NDList(merged), training).head());
    NDArray f = ln2.forward(ps, new NDList(x), training).head();
    f = Activation.gelu(up.forward(ps, new NDList(f), training).head());
    x = x.add(down.forward(ps, new NDList(f), training).head());
    return new NDList(x, k, v);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape x = inputShapes[0];
    Shape kv = new Shape(x.get(0), heads, -1, dModel / heads);
    return new Shape[] {x, kv, kv};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape x = inputShapes[0];
    ln1.initialize(manager, dataType, x);
    qkv.initialize(manager, dataType, x);
    out.initialize(manager, dataType, x);
    ln2.initialize(manager, dataType, x);
    up.initialize(manager, dataType, x);
    down.initialize(manager, dataType, new Shape(x.get(0), x.get(1), up.getOutputShapes(new Shape[] {x})[0].tail()));
  }
}
