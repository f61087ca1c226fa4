package io.llavaseg.training.lisa;

import io.llavaseg.training.TrainingFiles;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.llavaseg.model.ModelId;
import io.llavaseg.model.lisa.LisaBlock;
import io.llavaseg.model.lisa.LisaFolder;
import io.llavaseg.model.lisa.LisaModel;
import io.llavaseg.model.reasoner.ReasonerBlock;
import io.llavaseg.model.reasoner.ReasonerConfig;
import io.llavaseg.model.reasoner.Vocabulary;
import io.llavaseg.model.segmenter.PromptVocabulary;
import io.llavaseg.model.segmenter.SegmenterConfig;
import io.llavaseg.model.segmenter.SegmenterFolder;
import io.llavaseg.model.segmenter.SegmenterNet;
import io.llavaseg.shapeworld.QueryKind;
import io.llavaseg.shapeworld.Sample;
import io.llavaseg.shapeworld.ShapeWorld;
import io.llavaseg.shapeworld.Split;
import io.llavaseg.training.reasoner.AdamW;
import io.llavaseg.training.reasoner.ReasonerTrainer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Fine-tunes the LISA variant jointly, as LISA does: the reasoner starts from a reasoner folder (the
 * served v7) with one more token, {@code <seg>}; the segmenter from a segmenter folder (the served
 * v1); the projection of the {@code <seg>} state is new. Each batch mixes dialogue and segmentation
 * queries by a {@link JointMix} (LISA's 3:13 by default); the loss is LISA's: the reply's
 * cross-entropy (weight 1) plus, on the examples that segment, binary cross-entropy (weight 2) and
 * Dice (weight 0.5) of the mask, whose gradient reaches the reasoner through the {@code <seg>}
 * state; plus the reasoner's own pointer loss, as it was trained. Everything is trained but the
 * vision encoder (frozen, as LISA freezes its vision tower) and the segmenter's text encoder (not
 * used). Samples come from ShapeWorld's TRAIN split (classic style). Every {@code checkpointMinutes}
 * the weights, optimizer moments and step go to {@code work/ckpt} ({@code resume} continues); every
 * {@code valEvery} steps and at the end {@link LisaValidation} runs on VAL and the best weights are
 * written to {@code out}. Stops after {@code steps} or {@code maxMinutes} of training, whichever first.
 */
public final class LisaTrainer {

  public record Options(Path out, Path work, Path initReasoner, Path initSegmenter, int steps, double maxMinutes,
      long seed, int batch, float lr, double dialogueShare, int valEvery, int valCount, double checkpointMinutes,
      boolean resume) {}

  /** Loss weights of LISA's training script: {@code ce_loss_weight}, {@code bce_loss_weight}, {@code dice_loss_weight}. */
  static final float CE_WEIGHT = 1.0f;
  static final float BCE_WEIGHT = 2.0f;
  static final float DICE_WEIGHT = 0.5f;
  static final float POINTER_WEIGHT = 1.0f;
  private static final double MAX_GRAD_NORM = 2.0;
  private static final int WARMUP = 100;
  private static final int POOL = 256;

  private final Options o;
  private final PrintStream log;

  public LisaTrainer(Options options, PrintStream log) {
    this.o = options;
    this.log = log;
  }

  public void run() throws Exception {
    Files.createDirectories(o.work());
    Vocabulary vocab = Vocabulary.load(o.initReasoner().resolve("vocab.txt")).withToken(LisaFolder.SEG_TOKEN);
    ReasonerConfig from = ReasonerConfig.from(TrainingFiles.readProperties(o.initReasoner().resolve("serving.properties")));
    ReasonerConfig rc = ReasonerConfig.defaults(vocab.size());
    if (!ReasonerConfig.defaults(from.vocabSize()).equals(from)) {
      throw new IOException(o.initReasoner() + " is not of the current reasoner architecture: " + from);
    }
    Properties segProps = SegmenterFolder.readProperties(o.initSegmenter());
    Map<String, Object> segArgs = new HashMap<>();
    segProps.stringPropertyNames().forEach(k -> segArgs.put(k, segProps.getProperty(k)));
    PromptVocabulary promptVocab = PromptVocabulary.read(o.initSegmenter().resolve(segProps.getProperty("vocabulary", "vocab.txt")));
    SegmenterConfig sc = SegmenterConfig.from(segArgs, promptVocab.size());
    JointMix mix = JointMix.withDialogueShare(o.dialogueShare());
    Engine.getInstance().setRandomSeed((int) o.seed());
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      LisaBlock block = new LisaBlock(rc, sc);
      block.initializeAll(manager);
      Path ckpt = o.work().resolve("ckpt");
      int step = 0;
      double trainedSeconds = 0;
      double best = -1;
      Properties resumed = null;
      if (o.resume() && Files.exists(ckpt.resolve("trainer.properties"))) {
        resumed = TrainingFiles.readProperties(ckpt.resolve("trainer.properties"));
        copyWeights(block, ckpt.resolve("block.params"), manager);
        step = Integer.parseInt(resumed.getProperty("step"));
        trainedSeconds = Double.parseDouble(resumed.getProperty("trainedSeconds"));
        best = Double.parseDouble(resumed.getProperty("bestScore"));
        log.printf(Locale.ROOT, "resumed at step %d (%.1f min trained, best val score %.4f)%n", step, trainedSeconds / 60, best);
      } else {
        log.println(ReasonerTrainer.initLanguageSide(block.reasoner(), vocab, o.initReasoner()));
        log.println(initSegmenter(block.segmenter(), o.initSegmenter()));
      }
      List<Parameter> trainable = trainable(block);
      long total = 0;
      long trained = 0;
      for (Parameter p : block.getParameters().values()) {
        total += p.getArray().size();
      }
      for (Parameter p : trainable) {
        trained += p.getArray().size();
      }
      log.printf(Locale.ROOT, "LISA variant: %,d parameters, %,d trained (vision encoder and segmenter text encoder frozen);"
          + " steps %d (at most %.0f min), batch %d, lr %.1e, dialogue share %.4f, seed %d%n", total, trained, o.steps(),
          o.maxMinutes(), o.batch(), o.lr(), o.dialogueShare(), o.seed());
      AdamW adam = new AdamW(trainable, manager, 0.01f);
      if (resumed != null) {
        try (NDList state = NDList.decode(manager, Files.readAllBytes(ckpt.resolve("optimizer.ndlist")))) {
          adam.restore(state, Long.parseLong(resumed.getProperty("adamSteps")));
        }
      }
      LisaExamples examples = new LisaExamples(vocab, rc, sc);
      BlockingQueue<LisaExample> queue = new ArrayBlockingQueue<>(2 * o.batch());
      long firstCounter = (long) step * o.batch();
      Thread producer = new Thread(() -> produce(examples, mix, queue, firstCounter), "lisa-data");
      producer.setDaemon(true);
      producer.start();
      ParameterStore ps = new ParameterStore(manager, false);
      List<LisaExample> pool = new ArrayList<>();
      long lastCkpt = System.nanoTime();
      double[] sums = new double[3];
      int window = 0;
      long windowStart = System.nanoTime();
      boolean stop = false;
      while (!stop) {
        long t0 = System.nanoTime();
        List<LisaExample> batch = nextBatch(queue, pool, step);
        float[] parts;
        try (NDManager sm = manager.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDList losses = losses(block, ps, batch, sm);
          NDArray loss = losses.get(0).mul(CE_WEIGHT).add(losses.get(1).mul(POINTER_WEIGHT)).add(losses.get(2));
          parts = new float[] {losses.get(0).getFloat(), losses.get(1).getFloat(), losses.get(2).getFloat()};
          if (Float.isFinite(parts[0] + parts[1] + parts[2])) {
            gc.backward(loss);
          }
        }
        double norm = adam.gradientNorm();
        if (Double.isFinite(norm) && Float.isFinite(parts[0] + parts[1] + parts[2])) {
          adam.step(learningRate(step), norm > MAX_GRAD_NORM ? (float) (MAX_GRAD_NORM / norm) : 1f, p -> true);
        } else {
          adam.zeroGradients();
          log.printf(Locale.ROOT, "step %d: non-finite loss or gradient (text %f, pointer %f, mask %f, gradient norm %f),"
              + " update skipped%n", step, parts[0], parts[1], parts[2], norm);
        }
        step++;
        trainedSeconds += (System.nanoTime() - t0) / 1e9;
        for (int i = 0; i < 3; i++) {
          sums[i] += parts[i];
        }
        window++;
        stop = step >= o.steps() || trainedSeconds / 60 >= o.maxMinutes();
        if (step % 25 == 0 || stop) {
          log.printf(Locale.ROOT, "step %d/%d lr %.2e text %.4f pointer %.4f mask %.4f  %.0f ms/step  %.1f min trained%n",
              step, o.steps(), learningRate(step - 1), sums[0] / window, sums[1] / window, sums[2] / window,
              (System.nanoTime() - windowStart) / 1e6 / window, trainedSeconds / 60);
          sums = new double[3];
          window = 0;
          windowStart = System.nanoTime();
        }
        boolean validate = step % o.valEvery() == 0 || stop;
        if (validate) {
          LisaValidation.Result r;
          long tv = System.nanoTime();
          try (NDManager vm = manager.newSubManager();
              LisaModel model = new LisaModel(block, vocab, vm, new ModelId(LisaModel.NAME, "step" + step, "cpu()"))) {
            r = LisaValidation.run(model, ShapeWorld.of(Split.VAL), 0, o.valCount());
          }
          log.printf(Locale.ROOT, "val step %d: gIoU %.4f  dialogue %.4f (n=%d)  score %.4f  (%.1f s)%n", step, r.giou(),
              r.dialogueAccuracy(), r.dialogue(), r.score(), (System.nanoTime() - tv) / 1e9);
          if (r.score() > best) {
            best = r.score();
            export(block, vocab, step, trainedSeconds, r);
            log.printf(Locale.ROOT, "step %d: best so far, written to %s%n", step, o.out());
          }
        }
        if (validate || (System.nanoTime() - lastCkpt) / 60e9 >= o.checkpointMinutes()) {
          checkpoint(block, adam, ckpt, step, trainedSeconds, best);
          lastCkpt = System.nanoTime();
        }
      }
      producer.interrupt();
      log.printf(Locale.ROOT, "done: %d steps, %.1f min trained, best val score %.4f%n", step, trainedSeconds / 60, best);
    }
  }

  /**
   * {@code [text, pointer, mask]} losses of a batch: the reply's mean cross-entropy over reply tokens,
   * the pointer's mean cross-entropy over labelled reply positions, and LISA's mask loss (2 BCE + 0.5
   * Dice, mean over the examples that segment; 0 when none does).
   */
  static NDList losses(LisaBlock block, ParameterStore ps, List<LisaExample> batch, NDManager m) {
    ReasonerBlock r = block.reasoner();
    ReasonerConfig c = r.config();
    int b = batch.size();
    int s = c.imageSize();
    int plane = 3 * s * s;
    float[] pixels = new float[b * plane];
    int len = 0;
    for (int i = 0; i < b; i++) {
      System.arraycopy(batch.get(i).pixels(), 0, pixels, i * plane, plane);
      len = Math.max(len, batch.get(i).tokens().length - 1);
    }
    NDList vision = r.encodeImages(ps, m.create(pixels, new Shape(b, 3, s, s)), false); // frozen, running statistics
    vision = new NDList(vision.get(0).stopGradient(), vision.get(1).stopGradient());
    NDArray embeddings = r.visualEmbeddings(ps, vision, true);
    NDList prefix = r.prefix(ps, embeddings, vision.get(1), true);

    long[] ids = new long[b * len];
    long[] fed = new long[b * len];
    long[] target = new long[b * len];
    float[] weight = new float[b * len];
    long[] pointerTarget = new long[b * len];
    float[] pointerWeight = new float[b * len];
    java.util.Arrays.fill(fed, c.pointerFeed() ? c.nothingKey() : 0);
    int replyTokens = 0;
    int pointed = 0;
    List<Long> segRows = new ArrayList<>();
    List<LisaExample> segmenting = new ArrayList<>();
    for (int i = 0; i < b; i++) {
      LisaExample e = batch.get(i);
      int[] t = e.tokens();
      for (int p = 0; p < t.length - 1; p++) {
        int at = i * len + p;
        ids[at] = t[p];
        fed[at] = e.fed()[p];
        if (p >= e.replyStart() - 1) {
          target[at] = t[p + 1];
          weight[at] = 1f;
          replyTokens++;
        }
        if (e.pointer()[p] >= 0) {
          pointerTarget[at] = e.pointer()[p];
          pointerWeight[at] = 1f;
          pointed++;
        }
      }
      if (e.segments()) {
        segRows.add((long) i * len + e.segAt());
        segmenting.add(e);
      }
    }
    NDArray tokens = io.llavaseg.model.reasoner.ReasonerChat.tokenInput(m, c, ids, c.pointerFeed() ? fed : null, b, len);
    NDList out = r.textWithState(ps, tokens, prefix, null, true);
    int stateAt = c.pointerFeed() ? 2 : 1;
    NDArray logp = out.get(0).logSoftmax(-1).gather(m.create(target, new Shape(b, len, 1)), 2).reshape(b, len);
    NDArray text = logp.mul(m.create(weight, new Shape(b, len))).sum().neg().div(Math.max(1, replyTokens));
    NDArray pointer = m.zeros(new Shape());
    if (c.pointerFeed() && pointed > 0) {
      NDArray pl = out.get(1).logSoftmax(-1).gather(m.create(pointerTarget, new Shape(b, len, 1)), 2).reshape(b, len);
      pointer = pl.mul(m.create(pointerWeight, new Shape(b, len))).sum().neg().div(pointed);
    }
    NDArray mask = m.zeros(new Shape());
    if (!segmenting.isEmpty()) {
      int k = segmenting.size();
      long d = c.dModel();
      NDArray states = Embedding.embedding(m.create(segRows.stream().mapToLong(Long::longValue).toArray(), new Shape(k)),
          out.get(stateAt).reshape(b * len, d), SparseFormat.DENSE).head();
      int size = block.segmenter().config().size();
      int segPlane = 5 * size * size;
      float[] in = new float[k * segPlane];
      float[] gt = new float[k * size * size];
      for (int j = 0; j < k; j++) {
        System.arraycopy(segmenting.get(j).segInput(), 0, in, j * segPlane, segPlane);
        System.arraycopy(segmenting.get(j).segTarget(), 0, gt, j * size * size, size * size);
      }
      NDArray logits = block.maskLogits(ps, m.create(in, new Shape(k, 5, size, size)), states, true).reshape(k, -1);
      mask = maskLoss(logits, m.create(gt, new Shape(k, size * size)));
    }
    return new NDList(text, pointer, mask);
  }

  /** LISA's mask loss on logits and targets (K, pixels): 2 x mean sigmoid BCE + 0.5 x mean Dice loss per mask. */
  static NDArray maskLoss(NDArray logits, NDArray target) {
    // BCE with logits, stable: max(x, 0) - x y + log(1 + exp(-|x|))
    NDArray bce = logits.maximum(0f).sub(logits.mul(target)).add(logits.abs().neg().exp().add(1f).log()).mean();
    NDArray p = ai.djl.nn.Activation.sigmoid(logits);
    NDArray inter = p.mul(target).sum(new int[] {1});
    NDArray dice = inter.mul(2f).add(1f).div(p.sum(new int[] {1}).add(target.sum(new int[] {1})).add(1f)).neg().add(1f).mean();
    return bce.mul(BCE_WEIGHT).add(dice.mul(DICE_WEIGHT));
  }

  /** Every parameter with a gradient but those of the vision encoder and the segmenter's text encoder. */
  static List<Parameter> trainable(LisaBlock block) {
    Set<Parameter> frozen = Collections.newSetFromMap(new IdentityHashMap<>());
    frozen.addAll(block.reasoner().vision().getParameters().values());
    for (var child : block.segmenter().getChildren()) {
      if (child.getKey().endsWith("text")) {
        frozen.addAll(child.getValue().getParameters().values());
      }
    }
    List<Parameter> out = new ArrayList<>();
    for (Parameter p : block.getParameters().values()) {
      if (p.requiresGradient() && !frozen.contains(p)) {
        out.add(p);
      }
    }
    return out;
  }

  /** Copies a segmenter folder's weights into the variant's segmenter (same architecture). */
  static String initSegmenter(SegmenterNet target, Path dir) throws IOException {
    try (Model source = Model.newInstance(SegmenterFolder.PREFIX, "PyTorch")) {
      source.setBlock(new SegmenterNet(target.config()));
      try {
        source.load(dir, SegmenterFolder.PREFIX);
      } catch (ai.djl.MalformedModelException e) {
        throw new IOException("cannot read " + dir, e);
      }
      int n = copy(source.getBlock(), target);
      return "initialised the segmenter's " + n + " parameters from " + dir;
    }
  }

  /** Copies every parameter of {@code from} into the same-named one of {@code to}, in place; returns how many. */
  private static int copy(Block from, Block to) throws IOException {
    var src = from.getParameters();
    int n = 0;
    for (var e : to.getParameters()) {
      Parameter p = src.get(e.getKey());
      if (p == null || !p.getArray().getShape().equals(e.getValue().getArray().getShape())) {
        throw new IOException("parameter " + e.getKey() + " missing or of another shape");
      }
      e.getValue().getArray().set(new NDIndex(":"), p.getArray());
      n++;
    }
    return n;
  }

  /** Loads checkpointed weights through a scratch block and copies them in place (the live arrays keep their gradients). */
  private static void copyWeights(LisaBlock block, Path file, NDManager manager) throws IOException {
    try (NDManager scratch = manager.newSubManager();
        DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      LisaBlock tmp = new LisaBlock(block.reasoner().config(), block.segmenter().config());
      tmp.initializeAll(scratch);
      try {
        tmp.loadParameters(scratch, in);
      } catch (ai.djl.MalformedModelException e) {
        throw new IOException("bad checkpoint " + file, e);
      }
      copy(tmp, block);
    }
  }

  private float learningRate(int step) {
    if (step < WARMUP) {
      return o.lr() * (step + 1) / WARMUP;
    }
    double progress = Math.min(1.0, (double) (step - WARMUP) / Math.max(1, o.steps() - WARMUP));
    return (float) (o.lr() * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * progress))));
  }

  private List<LisaExample> nextBatch(BlockingQueue<LisaExample> queue, List<LisaExample> pool, int step)
      throws InterruptedException {
    SplittableRandom rng = new SplittableRandom(o.seed() * 1_000_003L + step);
    int fresh = pool.size() < o.batch() ? o.batch() : o.batch() / 2; // each example used about twice
    List<LisaExample> batch = new ArrayList<>();
    for (int i = 0; i < fresh; i++) {
      LisaExample e = queue.take();
      batch.add(e);
      if (pool.size() < POOL) {
        pool.add(e);
      } else {
        pool.set(rng.nextInt(POOL), e);
      }
    }
    while (batch.size() < o.batch()) {
      batch.add(pool.get(rng.nextInt(pool.size())));
    }
    return batch;
  }

  private void produce(LisaExamples examples, JointMix mix, BlockingQueue<LisaExample> queue, long firstCounter) {
    ShapeWorld train = ShapeWorld.of(Split.TRAIN);
    long counter = firstCounter;
    try {
      while (!Thread.currentThread().isInterrupted()) {
        SplittableRandom rng = new SplittableRandom(o.seed() * 0x9E3779B97F4A7C15L + counter++);
        QueryKind kind = mix.draw(rng);
        Sample s = train.sample(Math.floorMod(rng.nextLong(), 1L << 40), kind);
        queue.put(examples.of(s, rng));
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException ex) {
      log.println("data producer failed: " + ex);
      ex.printStackTrace(log);
    }
  }

  private void checkpoint(LisaBlock block, AdamW adam, Path ckpt, int step, double trainedSeconds, double best)
      throws IOException {
    Path tmp = o.work().resolve("ckpt.tmp");
    TrainingFiles.deleteRecursively(tmp);
    Files.createDirectories(tmp);
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp.resolve("block.params"))))) {
      block.saveParameters(out);
    }
    Files.write(tmp.resolve("optimizer.ndlist"), adam.state().encode());
    Properties p = new Properties();
    p.setProperty("step", Integer.toString(step));
    p.setProperty("adamSteps", Long.toString(adam.steps()));
    p.setProperty("trainedSeconds", Double.toString(trainedSeconds));
    p.setProperty("bestScore", Double.toString(best));
    try (Writer w = Files.newBufferedWriter(tmp.resolve("trainer.properties"), StandardCharsets.UTF_8)) {
      p.store(w, "LISA variant trainer checkpoint");
    }
    TrainingFiles.deleteRecursively(ckpt);
    Files.move(tmp, ckpt);
    log.printf(Locale.ROOT, "step %d: checkpoint saved to %s%n", step, ckpt);
  }

  private void export(LisaBlock block, Vocabulary vocab, int step, double trainedSeconds, LisaValidation.Result r)
      throws IOException {
    LisaFolder.write(o.out(), block, vocab);
    Properties p = new Properties();
    p.setProperty("step", Integer.toString(step));
    p.setProperty("steps", Integer.toString(o.steps()));
    p.setProperty("maxMinutes", Double.toString(o.maxMinutes()));
    p.setProperty("seed", Long.toString(o.seed()));
    p.setProperty("batch", Integer.toString(o.batch()));
    p.setProperty("lr", Float.toString(o.lr()));
    p.setProperty("dialogueShare", Double.toString(o.dialogueShare()));
    p.setProperty("lossWeights", "ce " + CE_WEIGHT + ", bce " + BCE_WEIGHT + ", dice " + DICE_WEIGHT + ", pointer " + POINTER_WEIGHT);
    p.setProperty("trainedMinutes", String.format(Locale.ROOT, "%.1f", trainedSeconds / 60));
    p.setProperty("initReasoner", o.initReasoner().toString());
    p.setProperty("initSegmenter", o.initSegmenter().toString());
    p.setProperty("valCount", Integer.toString(r.count()));
    p.setProperty("valGIoU", String.format(Locale.ROOT, "%.4f", r.giou()));
    p.setProperty("valDialogue", String.format(Locale.ROOT, "%.4f", r.dialogueAccuracy()));
    p.setProperty("valScore", String.format(Locale.ROOT, "%.4f", r.score()));
    try (Writer w = Files.newBufferedWriter(o.out().resolve("training.properties"), StandardCharsets.UTF_8)) {
      p.store(w, "how these weights were trained (see MODEL_CARD.md)");
    }
  }
}
