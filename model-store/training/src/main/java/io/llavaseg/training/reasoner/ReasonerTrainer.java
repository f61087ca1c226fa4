package io.llavaseg.training.reasoner;

import io.llavaseg.training.TrainingFiles;
import io.llavaseg.model.reasoner.ImageInput;
import io.llavaseg.model.reasoner.LocalReasoner;
import io.llavaseg.model.reasoner.ReasonerBlock;
import io.llavaseg.model.reasoner.ReasonerConfig;
import io.llavaseg.model.reasoner.ReasonerModel;
import io.llavaseg.model.reasoner.ReasonerTranslatorFactory;
import io.llavaseg.model.reasoner.Vocabulary;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.llavaseg.model.ModelId;
import io.llavaseg.model.cot.PromptTemplates;
import io.llavaseg.shapeworld.Language;
import io.llavaseg.shapeworld.QueryKind;
import io.llavaseg.shapeworld.Sample;
import io.llavaseg.shapeworld.ShapeWorld;
import io.llavaseg.shapeworld.TrainingStyles;
import io.llavaseg.shapeworld.Split;
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
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Trains the ShapeWorld reasoner the LLaVA way, scaled down, in three stages by step number:
 * <ol>
 *   <li>vision pretraining (steps {@code [0, visionSteps)}): only the CNN, on the dense per-cell
 *       labels (occupancy, colour, shape, size, location of the object centred in each cell);
 *   <li>alignment ({@code [visionSteps, visionSteps+alignSteps)}): vision frozen, projector and
 *       decoder learn image descriptions and per-object attribute lines;
 *   <li>instruction tuning (the rest): everything, on dialogue, target and attribute rows of the
 *       same image, with the per-cell loss kept on at half weight. Kinds are drawn with ABSENT
 *       oversampled and its easy negatives (colour or shape not in the image) half redrawn.
 * </ol>
 * Samples come from ShapeWorld's TRAIN split in an order fixed by the seed, each rendered in a style
 * drawn from {@code styles} (default classic alone; never a held-out style); a producer thread
 * renders them and each rendered sample is reused about {@code reuse} times through a shuffled
 * pool (rendering costs about as much as a step). Every {@code checkpointMinutes} the weights,
 * optimizer moments and step go to {@code work/ckpt} ({@code --resume} continues from there);
 * every {@code evalEvery} steps of stage 3 the chain of thought is measured on the VAL split and
 * the best weights so far are exported to the model folder {@code out}.
 */
public final class ReasonerTrainer {

  /** Trainer settings; see {@link #defaults(Path, Path)} for the defaults. */
  public record Options(
      Path out, Path work, int steps, long seed, boolean resume, int batch, int visionSteps, int alignSteps,
      int evalEvery, int evalCount, double checkpointMinutes, float lr, int reuse, int poolSize, int vocabSamplesPerKind,
      boolean exportCheckpoint, Path initFrom, float auxWeight, float pointerWeight, double occupancyMargin,
      double[] kindWeights, boolean pointAtEveryReplyPosition, TrainingStyles styles, Language language,
      double paraphraseShare, List<Language> valLanguages, double unkDropout, boolean unkDropoutFramesOnly) {
    /** Trains and validates on the templates alone, as every run before languages did. */
    public Options(
        Path out, Path work, int steps, long seed, boolean resume, int batch, int visionSteps, int alignSteps,
        int evalEvery, int evalCount, double checkpointMinutes, float lr, int reuse, int poolSize, int vocabSamplesPerKind,
        boolean exportCheckpoint, Path initFrom, float auxWeight, float pointerWeight, double occupancyMargin,
        double[] kindWeights, boolean pointAtEveryReplyPosition, TrainingStyles styles) {
      this(out, work, steps, seed, resume, batch, visionSteps, alignSteps, evalEvery, evalCount, checkpointMinutes, lr, reuse,
          poolSize, vocabSamplesPerKind, exportCheckpoint, initFrom, auxWeight, pointerWeight, occupancyMargin, kindWeights,
          pointAtEveryReplyPosition, styles, Language.TEMPLATES, DEFAULT_PARAPHRASE_SHARE, List.of(Language.TEMPLATES), 0, false);
    }

    public Options {
      java.util.Objects.requireNonNull(styles, "styles");
      valLanguages = List.copyOf(valLanguages);
      if (valLanguages.isEmpty()) {
        throw new IllegalArgumentException("validate on at least one language");
      }
      if (language == Language.HELD_OUT || valLanguages.contains(Language.HELD_OUT)) {
        throw new IllegalArgumentException("the held-out language is for evaluation only: train and validate on templates"
            + " or paraphrase");
      }
      if (!(paraphraseShare >= 0 && paraphraseShare <= 1)) {
        throw new IllegalArgumentException("the paraphrase share must be in [0, 1], got " + paraphraseShare);
      }
      if (!(unkDropout >= 0 && unkDropout < 1)) {
        throw new IllegalArgumentException("the unk dropout must be in [0, 1), got " + unkDropout);
      }
      if (kindWeights.length != KINDS.length) {
        throw new IllegalArgumentException("kind weights need " + KINDS.length + " numbers (" + java.util.Arrays.toString(KINDS)
            + "), got " + kindWeights.length);
      }
      double sum = 0;
      for (double w : kindWeights) {
        if (!(w >= 0)) {
          throw new IllegalArgumentException("kind weights must be >= 0: " + java.util.Arrays.toString(kindWeights));
        }
        sum += w;
      }
      if (sum <= 0) {
        throw new IllegalArgumentException("kind weights must not all be 0");
      }
      kindWeights = kindWeights.clone();
      for (int i = 0; i < kindWeights.length; i++) {
        kindWeights[i] /= sum;
      }
    }

    /**
     * These options with training queries worded in {@code language} ({@link Language#PARAPHRASE}:
     * each instruction-tuning query by the paraphrase grammar with probability {@code share}, by the
     * templates otherwise) and validation queries in {@code val}.
     */
    public Options withLanguage(Language language, double share, Language val) {
      return withLanguages(language, share, List.of(val));
    }

    /** As above, the checkpoint chosen on the mean score over the validation languages {@code vals}. */
    public Options withLanguages(Language language, double share, List<Language> vals) {
      return new Options(out, work, steps, seed, resume, batch, visionSteps, alignSteps, evalEvery, evalCount,
          checkpointMinutes, lr, reuse, poolSize, vocabSamplesPerKind, exportCheckpoint, initFrom, auxWeight, pointerWeight,
          occupancyMargin, kindWeights, pointAtEveryReplyPosition, styles, language, share, vals, unkDropout,
          unkDropoutFramesOnly);
    }

    /**
     * These options with each word of the user's question in instruction tuning replaced by {@code
     * <unk>} with probability {@code p} ({@link InstructionData#withUnkDropout}; 0: the data as before).
     */
    public Options withUnkDropout(double p) {
      return withUnkDropout(p, false);
    }

    /**
     * As above; with {@code framesOnly} only the words of the grammar's frames drop ("Could", "show",
     * "mark", "please", {@link Language#frameWords()}), never a word of a referring expression.
     */
    public Options withUnkDropout(double p, boolean framesOnly) {
      return new Options(out, work, steps, seed, resume, batch, visionSteps, alignSteps, evalEvery, evalCount,
          checkpointMinutes, lr, reuse, poolSize, vocabSamplesPerKind, exportCheckpoint, initFrom, auxWeight, pointerWeight,
          occupancyMargin, kindWeights, pointAtEveryReplyPosition, styles, language, paraphraseShare, valLanguages, p,
          framesOnly);
    }
  }

  public static Options defaults(Path out, Path work) {
    return new Options(out, work, 12000, 7, false, 16, 1200, 600, 500, 135, 4.0, 1e-3f, 2, 1024, 400, false, null, 0.5f, 1.0f,
        0, DEFAULT_KIND_WEIGHTS, false, TrainingStyles.CLASSIC);
  }

  private static final QueryKind[] KINDS = QueryKind.values();
  /** Share of instruction-tuning queries worded by the paraphrase grammar when training on PARAPHRASE. */
  public static final double DEFAULT_PARAPHRASE_SHARE = 0.5;
  /** PHRASE, QUESTION, REASONING, KNOWLEDGE, RELATIONAL, SUPERLATIVE, DIALOGUE, ABSENT, AMBIGUOUS. */
  public static final double[] DEFAULT_KIND_WEIGHTS = {0.10, 0.10, 0.12, 0.12, 0.12, 0.12, 0.14, 0.12, 0.06};

  private final Options o;
  private final PrintStream log;
  private final PromptTemplates templates = PromptTemplates.DEFAULT;

  public ReasonerTrainer(Options options, PrintStream log) {
    this.o = options;
    this.log = log;
  }

  public void run() throws Exception {
    Files.createDirectories(o.work());
    Files.createDirectories(o.out());
    Path vocabFile = o.work().resolve("vocab.txt");
    if (o.initFrom() != null && !Files.exists(vocabFile)) {
      // the reused embeddings mean these words: the source's tokens keep their ids, the language's new words follow
      Vocabulary from = Vocabulary.load(o.initFrom().resolve("vocab.txt"));
      Vocabulary grown = from.grow(InstructionData.fixedVocabularyTexts(templates, o.language()));
      grown.save(vocabFile);
      log.printf(Locale.ROOT, "vocabulary: %d tokens of %s and %d new words of %s%n", from.size(), o.initFrom(),
          grown.size() - from.size(), o.language().cliName());
    }
    Vocabulary vocab;
    if (Files.exists(vocabFile)) {
      vocab = Vocabulary.load(vocabFile);
    } else {
      long t0 = System.nanoTime();
      vocab = Vocabulary.build(InstructionData.vocabularyTexts(ShapeWorld.of(Split.TRAIN), o.vocabSamplesPerKind(), templates,
          o.language()));
      vocab.save(vocabFile);
      log.printf(Locale.ROOT, "vocabulary: %d tokens from %d samples per kind and the %s grammar (%.1f s)%n", vocab.size(),
          o.vocabSamplesPerKind(), o.language().cliName(), (System.nanoTime() - t0) / 1e9);
    }
    ReasonerConfig config = ReasonerConfig.defaults(vocab.size());
    Engine.getInstance().setRandomSeed((int) o.seed());
    try (Model model = Model.newInstance(ReasonerModel.PARAMS_NAME, "PyTorch")) {
      ReasonerBlock block = new ReasonerBlock(config);
      model.setBlock(block);
      NDManager manager = model.getNDManager();
      block.initializeAll(manager);
      List<Parameter> trainable = new ArrayList<>();
      long count = 0;
      for (Parameter p : block.getParameters().values()) {
        if (p.requiresGradient()) {
          trainable.add(p);
        }
        count += p.getArray().size();
      }
      Set<Parameter> visionParams = Collections.newSetFromMap(new IdentityHashMap<>());
      visionParams.addAll(block.vision().getParameters().values());
      AdamW adam = new AdamW(trainable, manager, 0.01f);
      List<Parameter> runningStats = new ArrayList<>();
      for (Parameter p : block.getParameters().values()) {
        if (p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR) {
          runningStats.add(p);
        }
      }
      int step = 0;
      double trainedSeconds = 0;
      double best = -1;
      Path ckpt = o.work().resolve("ckpt");
      if (o.resume() && Files.exists(ckpt.resolve("trainer.properties"))) {
        Properties p = TrainingFiles.readProperties(ckpt.resolve("trainer.properties"));
        restoreWeights(block, ckpt.resolve("block.params"), manager);
        resetNonFiniteRunningStats(block);
        try (NDList state = NDList.decode(manager, Files.readAllBytes(ckpt.resolve("optimizer.ndlist")))) {
          adam.restore(state, Long.parseLong(p.getProperty("adamSteps")));
        }
        step = Integer.parseInt(p.getProperty("step"));
        trainedSeconds = Double.parseDouble(p.getProperty("trainedSeconds"));
        best = Double.parseDouble(p.getProperty("bestScore", "-1"));
        log.printf(Locale.ROOT, "resumed at step %d (%.0f s trained, best val score %.3f)%n", step, trainedSeconds, best);
      } else if (o.initFrom() != null) {
        log.println(initLanguageSide(block, vocab, o.initFrom()));
      }
      log.printf(Locale.ROOT, "reasoner %s, %,d parameters; steps %d, batch %d, seed %d; language %s%s, validation %s%n",
          config, count, o.steps(), o.batch(), o.seed(), o.language().cliName(),
          o.language() == Language.TEMPLATES ? "" : String.format(Locale.ROOT, " (share %.2f)", o.paraphraseShare()),
          names(o.valLanguages()));
      if (o.unkDropout() > 0) {
        log.printf(Locale.ROOT, "unk dropout %.3f on the %s of training questions%n", o.unkDropout(),
            o.unkDropoutFramesOnly() ? "frame words" : "words");
      }
      if (o.exportCheckpoint()) {
        if (!Files.exists(ckpt.resolve("trainer.properties"))) {
          throw new IOException("no checkpoint to export in " + ckpt);
        }
        export(model, block, vocab, step, trainedSeconds, Double.NaN);
        log.printf(Locale.ROOT, "exported the step-%d checkpoint to %s%n", step, o.out());
        return;
      }

      AtomicInteger stage = new AtomicInteger(stageOf(step));
      InstructionData data = new InstructionData(vocab, config, templates, o.occupancyMargin())
          .withUnkDropout(o.unkDropout(), o.unkDropoutFramesOnly() ? Language.frameWords() : null);
      BlockingQueue<InstructionData.Example> queue = new ArrayBlockingQueue<>(4 * o.batch());
      long firstCounter = (long) step * o.batch() / Math.max(1, o.reuse());
      Thread producer = new Thread(() -> produce(data, stage, queue, firstCounter), "reasoner-data");
      producer.setDaemon(true);
      producer.start();

      ParameterStore ps = new ParameterStore(manager, false);
      List<InstructionData.Example> pool = new ArrayList<>();
      long lastCkpt = System.nanoTime();
      long windowStart = System.nanoTime();
      double auxSum = 0, textSum = 0, pointerSum = 0;
      int window = 0;
      int skipped = 0;
      int consecutiveBad = 0;
      ShapeWorld val = ShapeWorld.of(Split.VAL).withLanguage(o.valLanguages().get(0));
      while (step < o.steps()) {
        int st = stageOf(step);
        if (st != stage.get()) {
          stage.set(st);
          pool.clear();
          queue.clear();
          log.printf(Locale.ROOT, "step %d: stage %d (%s)%n", step, st, STAGES[st]);
        }
        long t0 = System.nanoTime();
        List<InstructionData.Example> batch = nextBatch(queue, pool, st, step);
        float lr = learningRate(step);
        float auxValue;
        float textValue = 0;
        float pointerValue = 0;
        boolean skip = false;
        NDList statsBefore = new NDList();
        for (Parameter p : runningStats) {
          statsBefore.add(p.getArray().duplicate());
        }
        try (NDManager sm = manager.newSubManager();
            GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          TrainingBatch tb = new TrainingBatch(batch, config, o.pointAtEveryReplyPosition());
          long tv = System.nanoTime();
          NDList vision = block.encodeImages(ps, tb.images(sm), true);
          vision.get(1).getFloat(0, 0, 0);
          tv = System.nanoTime() - tv;
          NDArray loss = null;
          NDArray aux = null;
          if (st != 1) {
            aux = tb.auxLoss(vision.get(1));
            loss = st == 0 ? aux : aux.mul(o.auxWeight());
          }
          NDArray text = null;
          if (st != 0) {
            NDList visual = st == 1 ? new NDList(vision.get(0).stopGradient(), vision.get(1).stopGradient()) : vision;
            NDArray embeddings = block.visualEmbeddings(ps, visual, true);
            NDList prefix = block.prefix(ps, embeddings, visual.get(1), true);
            NDArray keys = config.pointerReadout() ? block.pointerKeys(prefix) : embeddings;
            NDList losses = tb.losses(block, ps, prefix, o.pointerWeight() > 0 ? keys : null, sm);
            text = losses.get(0);
            loss = loss == null ? text : loss.add(text);
            if (losses.get(1) != null) {
              pointerValue = losses.get(1).getFloat();
              loss = loss.add(losses.get(1).mul(o.pointerWeight()));
            }
          }
          auxValue = aux == null ? 0 : aux.getFloat();
          textValue = text == null ? 0 : text.getFloat();
          long tf = System.nanoTime() - t0;
          if (Float.isFinite(auxValue) && Float.isFinite(textValue) && loss != null) {
            long tb0 = System.nanoTime();
            gc.backward(loss);
            if (Boolean.getBoolean("reasoner.debug")) {
              log.printf(Locale.ROOT, "debug times: batch+vision %.0f ms, forward total %.0f ms, backward %.0f ms%n",
                  tv / 1e6, tf / 1e6, (System.nanoTime() - tb0) / 1e6);
            }
          } else {
            skip = true;
            log.printf(Locale.ROOT, "step %d: non-finite forward: features %s, aux logits %s; %s%n", step,
                finite(vision.get(0)), finite(vision.get(1)), nonFiniteParameters(block, false));
          }
        }
        if (skip) {
          // a non-finite forward pass also poisoned BatchNorm's running statistics: put them back
          for (int i = 0; i < runningStats.size(); i++) {
            runningStats.get(i).getArray().set(new ai.djl.ndarray.index.NDIndex(":"), statsBefore.get(i));
          }
        }
        statsBefore.close();
        if (skip) {
          skipped++;
          log.printf(Locale.ROOT, "step %d: non-finite loss (aux %f, text %f), update skipped (%d so far)%n", step,
              auxValue, textValue, skipped);
          if (skipped > 500) {
            throw new IllegalStateException("too many non-finite losses");
          }
        }
        final int stf = st;
        double gradNorm = skip ? Double.NaN : adam.gradientNorm();
        if (skip || !Double.isFinite(gradNorm)) {
          adam.zeroGradients();
          if (!skip) {
            skipped++;
            log.printf(Locale.ROOT, "step %d: non-finite gradient norm, update skipped (%d so far); %s%n", step, skipped,
                nonFiniteParameters(block, true));
          }
          consecutiveBad++;
          if (consecutiveBad >= 5 && Files.exists(ckpt.resolve("block.params"))) {
            restoreWeights(block, ckpt.resolve("block.params"), manager);
            consecutiveBad = 0;
            log.printf(Locale.ROOT, "step %d: 5 bad steps in a row, weights rolled back to the last checkpoint%n", step);
          }
        } else {
          consecutiveBad = 0;
          float scale = gradNorm > MAX_GRAD_NORM ? (float) (MAX_GRAD_NORM / gradNorm) : 1f;
          adam.step(lr, scale, p -> stf == 2 || (stf == 0) == visionParams.contains(p));
        }
        step++;
        if (Boolean.getBoolean("reasoner.debug")) {
          log.printf(Locale.ROOT, "debug step %d aux %.4f text %.4f%n", step, auxValue, textValue);
        }
        double dt = (System.nanoTime() - t0) / 1e9;
        trainedSeconds += dt;
        auxSum += auxValue;
        textSum += textValue;
        pointerSum += pointerValue;
        window++;
        if (step % 50 == 0 || step == o.steps()) {
          double ms = (System.nanoTime() - windowStart) / 1e6 / window;
          log.printf(Locale.ROOT, "step %d/%d stage %d lr %.2e aux %.4f text %.4f pointer %.4f  %.0f ms/step  %.1f min trained%n",
              step, o.steps(), st, lr, auxSum / window, textSum / window, pointerSum / window, ms, trainedSeconds / 60);
          windowStart = System.nanoTime();
          auxSum = textSum = pointerSum = 0;
          window = 0;
        }
        if (st == 0 && (step % o.evalEvery() == 0 || step == o.visionSteps())) {
          log.printf(Locale.ROOT, "val step %d: vision per-cell accuracy %s%n", step, visionAccuracy(block, manager, val, 200));
        }
        boolean evalNow = st == 2 && (step % o.evalEvery() == 0 || step == o.steps());
        if (evalNow) {
          // the mean of the validation languages' scores: a checkpoint must hold on all of them
          double score = 0;
          for (Language l : o.valLanguages()) {
            score += evaluate(block, vocab, manager, ShapeWorld.of(Split.VAL).withLanguage(l), step) / o.valLanguages().size();
          }
          if (score > best) {
            best = score;
            export(model, block, vocab, step, trainedSeconds, score);
            log.printf(Locale.ROOT, "step %d: best so far (score %.4f), exported to %s%n", step, score, o.out());
          }
        }
        if (evalNow || step == o.steps() || (System.nanoTime() - lastCkpt) / 60e9 >= o.checkpointMinutes()) {
          checkpoint(block, adam, ckpt, step, trainedSeconds, best);
          lastCkpt = System.nanoTime();
        }
      }
      if (best < 0) {
        export(model, block, vocab, step, trainedSeconds, Double.NaN);
      }
      producer.interrupt();
      log.printf(Locale.ROOT, "done: %d steps, %.1f min trained, best val score %.4f%n", step, trainedSeconds / 60, best);
    }
  }

  /**
   * Starts from another model folder: every parameter whose name and shape match is copied, the rest
   * keep their fresh initialisation. A run that changes the image size or the CNN keeps the language
   * side (projector, embeddings, decoder, head) and pretrains the vision encoder anew; a run that adds
   * a head keeps everything else. A run whose vocabulary grew the source's ({@link Vocabulary#grow}:
   * the source's tokens first, with the same ids) copies, of every parameter whose first dimension is
   * the vocabulary (the token embedding, the output head's weight and bias), the source's rows for the
   * old ids; the new words' rows keep their fresh initialisation.
   */
  public static String initLanguageSide(ReasonerBlock block, Vocabulary vocab, Path from) throws IOException {
    Properties serving = TrainingFiles.readProperties(from.resolve("serving.properties"));
    ReasonerConfig fromConfig = ReasonerConfig.from(serving);
    int oldVocab = fromConfig.vocabSize();
    int newVocab = block.config().vocabSize();
    if (oldVocab != newVocab) {
      Vocabulary fromVocab = Vocabulary.load(from.resolve("vocab.txt"));
      if (fromVocab.size() != oldVocab || !fromVocab.isPrefixOf(vocab) || newVocab != vocab.size()) {
        throw new IOException(from + " has " + oldVocab + " tokens, this run " + newVocab
            + ", and its vocabulary is not the first part of this run's");
      }
    }
    List<String> copied = new ArrayList<>();
    List<String> grown = new ArrayList<>();
    try (Model source = Model.newInstance(ReasonerModel.PARAMS_NAME, "PyTorch")) {
      source.setBlock(new ReasonerBlock(fromConfig));
      try {
        source.load(from, ReasonerModel.PARAMS_NAME);
      } catch (ai.djl.MalformedModelException e) {
        throw new IOException("cannot read " + from, e);
      }
      var saved = source.getBlock().getParameters();
      for (var e : block.getParameters()) {
        Parameter src = saved.get(e.getKey());
        NDArray dst = e.getValue().getArray();
        if (src == null) {
          continue;
        }
        ai.djl.ndarray.types.Shape ss = src.getArray().getShape();
        ai.djl.ndarray.types.Shape ds = dst.getShape();
        if (ss.equals(ds)) {
          dst.set(new ai.djl.ndarray.index.NDIndex(":"), src.getArray());
          copied.add(e.getKey());
        } else if (oldVocab < newVocab && ss.dimension() == ds.dimension() && ss.get(0) == oldVocab
            && ds.get(0) == newVocab && ss.slice(1).equals(ds.slice(1))) {
          dst.set(new ai.djl.ndarray.index.NDIndex("0:" + oldVocab), src.getArray());
          grown.add(e.getKey());
        }
      }
    }
    return "initialised " + (copied.size() + grown.size()) + " of " + block.getParameters().size() + " parameters from "
        + from + " (same name and shape): " + copied
        + (grown.isEmpty() ? "" : "; the first " + oldVocab + " of " + newVocab + " rows (the vocabulary grew) of " + grown);
  }

  /**
   * Resets BatchNorm running statistics that hold NaN or infinity to mean 0 / variance 1; training
   * steps re-estimate them (they are only used at inference).
   */
  private void resetNonFiniteRunningStats(ReasonerBlock block) {
    for (Parameter p : block.getParameters().values()) {
      boolean mean = p.getType() == Parameter.Type.RUNNING_MEAN;
      if (!mean && p.getType() != Parameter.Type.RUNNING_VAR) {
        continue;
      }
      NDArray a = p.getArray();
      boolean bad;
      try (NDArray b = a.isNaN().logicalOr(a.isInfinite()).any()) {
        bad = b.getBoolean();
      }
      if (bad) {
        a.set(new ai.djl.ndarray.index.NDIndex(":"), mean ? 0f : 1f);
        log.println("reset non-finite BatchNorm statistics " + p.getName());
      }
    }
  }

  private static String finite(NDArray a) {
    try (NDArray bad = a.isNaN().logicalOr(a.isInfinite()).any()) {
      return bad.getBoolean() ? "NON-FINITE" : "finite";
    }
  }

  /** Names of parameters (or their gradients) holding NaN or infinity. */
  private static String nonFiniteParameters(ReasonerBlock block, boolean gradients) {
    StringBuilder sb = new StringBuilder(gradients ? "non-finite gradients:" : "non-finite weights:");
    try (NDManager tmp = NDManager.newBaseManager()) {
      for (var e : block.getParameters()) {
        NDArray a = e.getValue().getArray();
        if (gradients && !e.getValue().requiresGradient()) {
          continue;
        }
        NDArray x = gradients ? a.getGradient() : a;
        NDArray bad = x.isNaN().logicalOr(x.isInfinite()).any();
        bad.attach(tmp);
        if (gradients) {
          x.attach(tmp);
        }
        if (bad.getBoolean()) {
          sb.append(' ').append(e.getKey());
        }
      }
    }
    return sb.toString();
  }

  /** Gradients are rescaled to this global L2 norm when larger. */
  private static final double MAX_GRAD_NORM = 2.0;

  /**
   * Copies checkpointed weights into the live block's own arrays (loaded through a scratch block,
   * then copied), so that the arrays the optimizer updates stay owned by the engine and keep their
   * gradients.
   */
  private static void restoreWeights(ReasonerBlock block, Path file, NDManager manager) throws IOException {
    try (NDManager scratch = manager.newSubManager();
        DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      ReasonerBlock tmp = new ReasonerBlock(block.config());
      try {
        tmp.loadParameters(scratch, in);
      } catch (ai.djl.MalformedModelException e) {
        throw new IOException("bad checkpoint " + file, e);
      }
      var live = block.getParameters().values();
      var saved = tmp.getParameters().values();
      for (int i = 0; i < live.size(); i++) {
        NDArray dst = live.get(i).getArray();
        NDArray src = saved.get(i).getArray();
        if (!dst.getShape().equals(src.getShape())) {
          throw new IOException("checkpoint parameter " + live.get(i).getName() + " has shape " + src.getShape());
        }
        dst.set(new ai.djl.ndarray.index.NDIndex(":"), src); // copy in place: dst keeps engine-owned memory
      }
      for (var p : saved) {
        p.close();
      }
    }
  }

  private static final String[] STAGES = {"vision pretraining", "projector alignment", "instruction tuning"};

  private int stageOf(int step) {
    return step < o.visionSteps() ? 0 : step < o.visionSteps() + o.alignSteps() ? 1 : 2;
  }

  private float learningRate(int step) {
    int st = stageOf(step);
    if (st == 0) {
      return 2 * o.lr();
    }
    int start = o.visionSteps();
    int warm = 200;
    int s = step - start;
    if (s < warm) {
      return o.lr() * (s + 1) / warm;
    }
    double progress = Math.min(1.0, (double) (s - warm) / Math.max(1, o.steps() - start - warm));
    return (float) (o.lr() * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * progress))));
  }

  private List<InstructionData.Example> nextBatch(
      BlockingQueue<InstructionData.Example> queue, List<InstructionData.Example> pool, int st, int step)
      throws InterruptedException {
    int fresh = pool.size() < o.batch() ? o.batch() : (o.batch() + o.reuse() - 1) / o.reuse();
    SplittableRandom rng = new SplittableRandom(o.seed() * 1_000_003L + step);
    List<InstructionData.Example> batch = new ArrayList<>();
    for (int i = 0; i < fresh; i++) {
      InstructionData.Example e = queue.take();
      batch.add(e);
      if (pool.size() < o.poolSize()) {
        pool.add(e);
      } else {
        pool.set(rng.nextInt(pool.size()), e);
      }
    }
    while (batch.size() < o.batch()) {
      batch.add(pool.get(rng.nextInt(pool.size())));
    }
    return batch;
  }

  private void produce(InstructionData data, AtomicInteger stage, BlockingQueue<InstructionData.Example> queue,
      long firstCounter) {
    ShapeWorld train = ShapeWorld.of(Split.TRAIN);
    long counter = firstCounter;
    try {
      while (!Thread.currentThread().isInterrupted()) {
        long c = counter++;
        SplittableRandom rng = new SplittableRandom(o.seed() * 0x9E3779B97F4A7C15L + c);
        long index = Math.floorMod(rng.nextLong(), 1L << 40);
        ShapeWorld world = o.styles().world(train, o.seed(), c);
        ShapeWorld paraphrased = world.withLanguage(o.language());
        int st = stage.get();
        InstructionData.Example e;
        if (st == 2) {
          QueryKind kind = drawKind(rng, o.kindWeights());
          // templates runs draw nothing more, so their data stream is the one before languages existed
          boolean reword = o.language() != Language.TEMPLATES && rng.nextDouble() < o.paraphraseShare();
          ShapeWorld w = reword ? paraphrased : world; // the same images, answers, targets and attributes
          Sample s;
          if (kind == QueryKind.ABSENT) {
            s = world.sample(index, kind); // the templates' wording tells a hard negative
            if (!hardNegative(s) && rng.nextBoolean()) {
              s = w.sample(Math.floorMod(rng.nextLong(), 1L << 40), kind);
            } else if (reword) {
              s = paraphrased.sample(index, kind);
            }
          } else {
            s = w.sample(index, kind);
          }
          e = data.instruct(s, rng);
        } else if (st == 1) {
          e = data.describe(world.sample(index));
        } else {
          e = data.instruct(world.sample(index), rng);
        }
        queue.put(e);
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException ex) {
      log.println("data producer failed: " + ex);
      ex.printStackTrace(log);
    }
  }

  private static QueryKind drawKind(SplittableRandom rng, double[] weights) {
    double r = rng.nextDouble();
    for (int i = 0; i < KINDS.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return KINDS[i];
      }
    }
    return KINDS[KINDS.length - 1];
  }

  /** An absent-target query whose colour and shape are both in the image, on different objects. */
  static boolean hardNegative(Sample s) {
    var colour = java.util.Optional.<io.llavaseg.shapeworld.Colour>empty();
    var shape = java.util.Optional.<io.llavaseg.shapeworld.Shape>empty();
    for (String w : Vocabulary.split(s.query())) {
      if (colour.isEmpty()) {
        colour = io.llavaseg.shapeworld.Colour.fromWord(w);
      }
      if (shape.isEmpty()) {
        shape = io.llavaseg.shapeworld.Shape.fromWord(w);
      }
    }
    if (colour.isEmpty() || shape.isEmpty()) {
      return false;
    }
    var c = colour.get();
    var sh = shape.get();
    return s.scene().objects().stream().anyMatch(x -> x.colour() == c)
        && s.scene().objects().stream().anyMatch(x -> x.shape() == sh);
  }

  private static String names(List<Language> languages) {
    return String.join(",", languages.stream().map(Language::cliName).toList());
  }

  private double evaluate(ReasonerBlock block, Vocabulary vocab, NDManager manager, ShapeWorld val, int step) {
    long t0 = System.nanoTime();
    ReasonerEvaluator.Report r;
    try (NDManager em = manager.newSubManager()) {
      LocalReasoner reasoner = new LocalReasoner(block, vocab, em, ReasonerModel.DEFAULT_MAX_NEW_TOKENS,
          new ModelId(ReasonerModel.NAME, "step" + step, "cpu()"));
      r = ReasonerEvaluator.evaluate(reasoner, templates, val, 0, o.evalCount());
    }
    double attrs = r.attributeAccuracy().values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
    double score = (r.targetExact() + attrs + r.dialogueAccuracy() + r.absentNoneRate()) / 4;
    log.printf(Locale.ROOT,
        "val step %d: target %.3f  attrs %s  dialogue %.3f (all %.3f)  absent-none %.3f  ambiguous-none %.3f"
            + "  unparseable %.3f  by kind %s  chain p50 %.1f ms  score %.4f  (%.1f s)%n",
        step, r.targetExact(), fmt(r.attributeAccuracy()), r.dialogueAccuracy(), r.answerAccuracyAll(),
        r.absentNoneRate(), r.ambiguousNoneRate(), r.unparseableRate(), fmt(r.targetExactByKind()), r.chainP50Ms(),
        score, (System.nanoTime() - t0) / 1e9);
    return score;
  }

  /**
   * Accuracy of each per-cell auxiliary head on {@code n} VAL images: occupancy over all cells, the
   * others over occupied cells.
   */
  static String visionAccuracy(ReasonerBlock block, NDManager manager, ShapeWorld val, int n) {
    ReasonerConfig cfg = block.config();
    int cells = cfg.visualTokens();
    int k = ReasonerConfig.auxOutputs();
    int[] right = new int[5];
    int[] total = new int[5];
    ParameterStore ps = new ParameterStore(manager, false);
    for (int i = 0; i < n; i++) {
      Sample s = val.sample(i);
      float[] logits;
      try (NDManager m = manager.newSubManager()) {
        NDArray img = m.create(ImageInput.pixels(s.image(), cfg.imageSize()),
            new ai.djl.ndarray.types.Shape(1, 3, cfg.imageSize(), cfg.imageSize()));
        logits = block.encodeImages(ps, img, false).get(1).toFloatArray();
      }
      int[] labels = InstructionData.auxLabels(s.scene(), cfg.grid());
      for (int c = 0; c < cells; c++) {
        int offset = 0;
        for (int h = 0; h < 5; h++) {
          int classes = ReasonerConfig.AUX_CLASSES[h];
          int best = 0;
          for (int j = 1; j < classes; j++) {
            if (logits[c * k + offset + j] > logits[c * k + offset + best]) {
              best = j;
            }
          }
          int label = labels[c * 5 + h];
          if (label >= 0) {
            total[h]++;
            right[h] += best == label ? 1 : 0;
          }
          offset += classes;
        }
      }
    }
    String[] names = {"occupancy", "color", "shape", "size", "location"};
    StringBuilder sb = new StringBuilder("{");
    for (int h = 0; h < 5; h++) {
      sb.append(h > 0 ? " " : "").append(names[h]).append('=')
          .append(String.format(Locale.ROOT, "%.3f", right[h] / (double) Math.max(1, total[h])));
    }
    return sb.append('}').toString();
  }

  private static String fmt(java.util.Map<String, Double> m) {
    StringBuilder sb = new StringBuilder("{");
    m.forEach((k, v) -> sb.append(sb.length() > 1 ? " " : "").append(k).append('=').append(String.format(Locale.ROOT, "%.2f", v)));
    return sb.append('}').toString();
  }

  private void checkpoint(ReasonerBlock block, AdamW adam, Path ckpt, int step, double trainedSeconds, double best)
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
    p.setProperty("seed", Long.toString(o.seed()));
    try (Writer w = Files.newBufferedWriter(tmp.resolve("trainer.properties"), StandardCharsets.UTF_8)) {
      p.store(w, "reasoner trainer checkpoint");
    }
    Path old = o.work().resolve("ckpt.old");
    TrainingFiles.deleteRecursively(old);
    if (Files.exists(ckpt)) {
      Files.move(ckpt, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(tmp, ckpt, StandardCopyOption.ATOMIC_MOVE);
    TrainingFiles.deleteRecursively(old);
    log.printf(Locale.ROOT, "step %d: checkpoint saved to %s%n", step, ckpt);
  }

  /** Writes the model folder: weights, vocabulary, serving.properties, prompts.properties. */
  private void export(Model model, ReasonerBlock block, Vocabulary vocab, int step, double trainedSeconds, double score)
      throws IOException {
    Path out = o.out();
    model.setProperty("Epoch", "0");
    model.save(out, ReasonerModel.PARAMS_NAME);
    vocab.save(out.resolve("vocab.txt"));
    writeServing(out, block.config());
    writePrompts(out, templates);
    Properties p = new Properties();
    p.setProperty("step", Integer.toString(step));
    p.setProperty("seed", Long.toString(o.seed()));
    p.setProperty("trainedMinutes", String.format(Locale.ROOT, "%.1f", trainedSeconds / 60));
    p.setProperty("valScore", String.format(Locale.ROOT, "%.4f", score));
    p.setProperty("batch", Integer.toString(o.batch()));
    p.setProperty("stages", o.visionSteps() + " vision, " + o.alignSteps() + " alignment, rest instruction");
    p.setProperty("auxWeight", Float.toString(o.auxWeight()));
    p.setProperty("pointerWeight", Float.toString(o.pointerWeight()));
    p.setProperty("occupancyMargin", Double.toString(o.occupancyMargin()));
    p.setProperty("kindWeights", java.util.Arrays.toString(o.kindWeights()));
    p.setProperty("styles", o.styles().names());
    p.setProperty("pointerPositions", o.pointAtEveryReplyPosition() ? "reply" : "separator");
    p.setProperty("language", o.language().cliName());
    if (o.language() != Language.TEMPLATES) {
      p.setProperty("paraphraseShare", Double.toString(o.paraphraseShare()));
    }
    p.setProperty("valLanguage", names(o.valLanguages()));
    p.setProperty("unkDropout", Double.toString(o.unkDropout()));
    if (o.unkDropoutFramesOnly()) {
      p.setProperty("unkDropoutScope", "frames");
    }
    p.setProperty("vocabSize", Integer.toString(vocab.size()));
    if (o.initFrom() != null) {
      p.setProperty("initFrom", o.initFrom().toString());
    }
    try (Writer w = Files.newBufferedWriter(out.resolve("training.properties"), StandardCharsets.UTF_8)) {
      p.store(w, "how these weights were trained (see MODEL_CARD.md)");
    }
  }

  static void writeServing(Path dir, ReasonerConfig config) throws IOException {
    Properties p = new Properties();
    p.setProperty("engine", "PyTorch");
    p.setProperty("translatorFactory", ReasonerTranslatorFactory.class.getName());
    p.setProperty("reasoner.maxNewTokens", Integer.toString(ReasonerModel.DEFAULT_MAX_NEW_TOKENS));
    config.store(p);
    try (Writer w = Files.newBufferedWriter(dir.resolve("serving.properties"), StandardCharsets.UTF_8)) {
      p.store(w, "ShapeWorld reasoner: DJL PyTorch engine, block io.llavaseg.model.reasoner.ReasonerBlock");
    }
  }

  static void writePrompts(Path dir, PromptTemplates t) throws IOException {
    Properties p = new Properties();
    p.setProperty("prompt.answer", t.answer());
    p.setProperty("prompt.target", t.target());
    p.setProperty("prompt.attributes", t.attributes());
    try (Writer w = Files.newBufferedWriter(dir.resolve("prompts.properties"), StandardCharsets.UTF_8)) {
      p.store(w, "LLaVASeg chain-of-thought prompts the model was trained with");
    }
  }
}
