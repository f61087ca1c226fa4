package io.llavaseg.ops.bench;

import io.llavaseg.model.Reasoner;
import io.llavaseg.model.SegmentationPrompt;
import io.llavaseg.model.Segmenter;
import io.llavaseg.model.TargetAttributes;
import io.llavaseg.model.cot.ChainOfThought;
import io.llavaseg.model.cot.ReplyParser;
import io.llavaseg.shapeworld.Sample;
import java.util.ArrayList;
import java.util.List;

/**
 * Part a) of the benchmark: one worker of each stage called in-process, without Kafka, on the same
 * samples, at batch 1 and at the configured batch size. Reasoning runs the whole chain of thought
 * ({@link ChainOfThought#runAll}); segmentation is prompted with the samples' ground-truth targets.
 * Each measurement follows one unmeasured warm-up pass and is the median of {@link #TRIALS} timed
 * passes (on a shared machine one pass can lose a third to interference).
 */
final class RawThroughput {
  static final int TRIALS = 3;

  private RawThroughput() {}

  /** The median of {@link #TRIALS} timings of {@code pass}, in seconds. */
  private static double medianSeconds(Runnable pass) {
    double[] t = new double[TRIALS];
    for (int i = 0; i < TRIALS; i++) {
      long t0 = System.nanoTime();
      pass.run();
      t[i] = (System.nanoTime() - t0) / 1e9;
    }
    java.util.Arrays.sort(t);
    return t[TRIALS / 2];
  }

  /** Queries per second of the chain of thought over {@code samples} in batches of {@code batch}. */
  static double reasoning(Reasoner reasoner, ChainOfThought chain, List<Sample> samples, int batch) {
    run(reasoner, chain, samples.subList(0, Math.min(samples.size(), batch)), batch);
    return samples.size() / medianSeconds(() -> run(reasoner, chain, samples, batch));
  }

  private static void run(Reasoner reasoner, ChainOfThought chain, List<Sample> samples, int batch) {
    for (int i = 0; i < samples.size(); i += batch) {
      List<Sample> chunk = samples.subList(i, Math.min(samples.size(), i + batch));
      chain.runAll(reasoner, chunk.stream().map(Sample::image).toList(), chunk.stream().map(Sample::query).toList());
    }
  }

  /** Masks per second over the ground-truth prompts of {@code samples} in batches of {@code batch}. */
  static double segmentation(Segmenter segmenter, List<Sample> samples, int batch) {
    List<SegmentationPrompt> prompts = prompts(samples);
    segment(segmenter, prompts.subList(0, Math.min(prompts.size(), batch)), batch);
    return prompts.size() / medianSeconds(() -> segment(segmenter, prompts, batch));
  }

  private static void segment(Segmenter segmenter, List<SegmentationPrompt> prompts, int batch) {
    for (int i = 0; i < prompts.size(); i += batch) {
      segmenter.segmentBatch(prompts.subList(i, Math.min(prompts.size(), i + batch)));
    }
  }

  static List<SegmentationPrompt> prompts(List<Sample> samples) {
    List<SegmentationPrompt> prompts = new ArrayList<>();
    for (Sample s : samples) {
      if (s.target() == null) {
        continue;
      }
      TargetAttributes a = ReplyParser.parseAttributes(s.attributes()).orElse(null);
      prompts.add(new SegmentationPrompt(s.image(), s.target(), a));
    }
    return prompts;
  }
}
