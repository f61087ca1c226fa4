package io.llavaseg.model.reasoner;

import ai.djl.Model;
import io.llavaseg.model.ModelId;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/** Small randomly initialised reasoners for tests that check mechanics, not quality. */
public final class TinyModels {
  private TinyModels() {}

  static final List<String> TEXTS = List.of(
      "What is the target region? Answer with a short description.",
      "Describe the colour, shape, size and location of the red star.",
      "color: red; shape: star; size: small; location: top left none",
      "Is there a blue circle? Yes, there is a blue circle. There are 2 shapes.");

  public static Vocabulary vocab() {
    return Vocabulary.build(TEXTS);
  }

  /** The tiny architecture with every part the real one has: pointer readout, count tokens, count pointer and pointer feed. */
  public static ReasonerConfig config(Vocabulary v) {
    return new ReasonerConfig(32, new int[] {8, 16}, 32, 2, 2, 64, 64, v.size(), true, true, true, true, true, true);
  }

  /**
   * A model with its block initialised from a fixed seed; the pointer, readout and feed weights, which
   * start at zero in training, are drawn at random too so that tests exercise the readout path.
   */
  public static Model model(ReasonerConfig config, int seed) {
    Model model = zeroReadoutModel(config, seed);
    java.util.Random random = new java.util.Random(seed);
    for (var p : model.getBlock().getParameters()) {
      if (p.getKey().endsWith("pointer_weight") || p.getKey().endsWith("readout_weight")
          || p.getKey().endsWith("feed_weight")) {
        ai.djl.ndarray.NDArray a = p.getValue().getArray();
        float[] values = new float[(int) a.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) (random.nextGaussian() * 0.3);
        }
        a.set(java.nio.FloatBuffer.wrap(values));
      }
    }
    return model;
  }

  /** A model initialised from a fixed seed as training initialises one (pointer, readout and feed at zero). */
  public static Model zeroReadoutModel(ReasonerConfig config, int seed) {
    ai.djl.engine.Engine.getInstance().setRandomSeed(seed);
    Model model = Model.newInstance(ReasonerModel.PARAMS_NAME, "PyTorch");
    ReasonerBlock block = new ReasonerBlock(config);
    model.setBlock(block);
    block.initializeAll(model.getNDManager());
    return model;
  }

  /** A random 32x32 image (1,3,32,32) in [-1, 1), the same for the same seed. */
  public static float[] randomPixels(int seed) {
    java.util.Random r = new java.util.Random(seed);
    float[] pixels = new float[3 * 32 * 32];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = r.nextFloat() * 2 - 1;
    }
    return pixels;
  }

  /**
   * The logits (inference mode) of a tiny model for token ids after an image's prefix; {@code
   * pointed}: the ids' fed pointer keys (models with the pointer feed), or null.
   */
  public static float[] logits(Model model, float[] pixels, long[] ids, long[] pointed) {
    ReasonerBlock block = (ReasonerBlock) model.getBlock();
    try (ai.djl.ndarray.NDManager m = model.getNDManager().newSubManager()) {
      ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(m, false);
      ai.djl.ndarray.NDList prefix = block.imagePrefix(ps,
          block.encodeImages(ps, m.create(pixels, new ai.djl.ndarray.types.Shape(1, 3, 32, 32)), false), false);
      return block.text(ps, ReasonerChat.tokenInput(m, block.config(), ids, pointed, 1, ids.length), prefix, false)
          .head().toFloatArray();
    }
  }

  public static LocalReasoner local(Model model, Vocabulary vocab, int maxNew) {
    return new LocalReasoner((ReasonerBlock) model.getBlock(), vocab, model.getNDManager(), maxNew,
        new ModelId("tiny", "test", "cpu()"));
  }

  public static BufferedImage image(int seed) {
    BufferedImage img = new BufferedImage(80, 64, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    java.util.Random r = new java.util.Random(seed);
    g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
    g.fillRect(0, 0, 80, 64);
    for (int i = 0; i < 3; i++) {
      g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
      g.fillOval(r.nextInt(60), r.nextInt(44), 12 + r.nextInt(10), 12 + r.nextInt(10));
    }
    g.dispose();
    return img;
  }

  public static List<String> prompts() {
    return new ArrayList<>(List.of("What is the target region?", "Describe the colour, shape, size and location of the red star.",
        "Is there a blue circle?"));
  }
}
