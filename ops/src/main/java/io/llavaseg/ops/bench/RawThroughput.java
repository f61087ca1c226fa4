package io.llavaseg.ops.bench;

import io.llavaseg.model.Reasoner;
import io.llavaseg.model.SegmentationTarget;
import io.llavaseg.model.Segmenter;
import io.llavaseg.model.cot.ReplyParser;
import io.llavaseg.model.pipeline.ImageQuestion;
import io.llavaseg.model.pipeline.QueryPipeline;
import io.llavaseg.shapeworld.Sample;
import java.util.List;
import java.util.Optional;

/**
 * Part a) of the benchmark: one worker of each stage called in-process, without Kafka, on the same
 * samples, at batch 1 and at the configured batch size, through the service's {@link QueryPipeline};
 * and the whole pipeline with its stages overlapped ({@link #pipeline}), the reference of the
 * end-to-end figure.
 * Reasoning runs its reasoning half (the whole chain of thought); segmentation runs its
 * segmentation half on the samples' ground-truth targets, so samples without a target are never
 * segmented, as in the service. Each measurement follows {@link #WARMUP_PASSES} unmeasured passes
 * over the same samples (every batch size the timed passes use has run before, so the JIT and the
 * engine's per-shape kernels are ready) and is the median of {@link #TRIALS} timed passes (on a
 * shared machine a single pass can be slowed by interference). A stage's batch 1 and batch n are
 * timed in turns ({@link #medianSeconds}), so that a slow minute of the machine slows both and
 * not only the one measured in it: their ratio is the batching gain.
 */
final class RawThroughput {
  static final int TRIALS = 5;
  static final int WARMUP_PASSES = 2;

  private RawThroughput() {}

  /**
   * The median of {@link #TRIALS} timings of each pass, in seconds, the passes timed in turns (a, b,
   * a, b, ...) after {@link #WARMUP_PASSES} unmeasured rounds.
   */
  private static double[] medianSeconds(Runnable... passes) {
    for (int i = 0; i < WARMUP_PASSES; i++) {
      for (Runnable pass : passes) {
        pass.run();
      }
    }
    double[][] t = new double[passes.length][TRIALS];
    for (int i = 0; i < TRIALS; i++) {
      for (int p = 0; p < passes.length; p++) {
        t[p][i] = seconds(passes[p]);
      }
    }
    double[] medians = new double[passes.length];
    for (int p = 0; p < passes.length; p++) {
      java.util.Arrays.sort(t[p]);
      medians[p] = t[p][TRIALS / 2];
    }
    return medians;
  }

  private static double seconds(Runnable pass) {
    long t0 = System.nanoTime();
    pass.run();
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * Queries per second of the chain of thought over {@code samples} in batches of 1 and of {@code
   * batch}, timed in alternation.
   */
  static double[] reasoning(Reasoner reasoner, QueryPipeline pipeline, List<Sample> samples, int batch) {
    List<ImageQuestion> queries = samples.stream().map(s -> new ImageQuestion(s.image(), s.query())).toList();
    double[] t = medianSeconds(() -> reason(reasoner, pipeline, queries, 1), () -> reason(reasoner, pipeline, queries,
        batch));
    return new double[] {queries.size() / t[0], queries.size() / t[1]};
  }

  private static void reason(Reasoner reasoner, QueryPipeline pipeline, List<ImageQuestion> queries, int batch) {
    for (int i = 0; i < queries.size(); i += batch) {
      pipeline.reasonAll(reasoner, queries.subList(i, Math.min(queries.size(), i + batch)));
    }
  }

  /**
   * Masks per second over the ground-truth targets of {@code samples} in batches of 1 and of {@code
   * batch} targets, timed in alternation (the samples without one are left out, as the service never
   * segments them).
   */
  static double[] segmentation(Segmenter segmenter, List<Sample> samples, int batch) {
    List<Sample> targeted = samples.stream().filter(s -> groundTruthTarget(s).isPresent()).toList();
    double[] t = medianSeconds(() -> segment(segmenter, targeted, 1), () -> segment(segmenter, targeted, batch));
    return new double[] {targeted.size() / t[0], targeted.size() / t[1]};
  }

  private static void segment(Segmenter segmenter, List<Sample> samples, int batch) {
    for (int i = 0; i < samples.size(); i += batch) {
      List<Sample> chunk = samples.subList(i, Math.min(samples.size(), i + batch));
      QueryPipeline.segmentAll(segmenter, chunk.stream().map(Sample::image).toList(),
          chunk.stream().map(RawThroughput::groundTruthTarget).toList());
    }
  }

  /** A query as the end-to-end run sends it: the encoded image and the question. */
  record EncodedQuery(byte[] image, String question) {}

  /**
   * Queries per second of the whole pipeline over {@code queries} in batches of {@code batch} (the
   * segmentation thread splits each batch's targets into calls of {@code segmentationBatch}), with
   * the stages overlapped as the service overlaps them: this thread decodes each batch's images
   * ({@code decoder}, the service's decoding) and reasons them, and hands the batch's targets (the
   * model's own, not the ground truth) to a second thread that segments them while the next batch is
   * reasoned; queries without a target are not segmented. The same work as the end-to-end run
   * (which sends the same encoded images), without Kafka.
   */
  static double pipeline(Reasoner reasoner, Segmenter segmenter, QueryPipeline pipeline, List<EncodedQuery> queries,
      java.util.function.Function<byte[], java.awt.image.BufferedImage> decoder, int batch, int segmentationBatch) {
    java.util.concurrent.ExecutorService segmentation = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      return queries.size() / medianSeconds(() -> overlapped(reasoner, segmenter, pipeline, queries, decoder, batch,
          segmentationBatch, segmentation))[0];
    } finally {
      segmentation.shutdownNow();
    }
  }

  private static void overlapped(Reasoner reasoner, Segmenter segmenter, QueryPipeline pipeline,
      List<EncodedQuery> queries, java.util.function.Function<byte[], java.awt.image.BufferedImage> decoder, int batch,
      int segmentationBatch, java.util.concurrent.ExecutorService segmentation) {
    List<java.util.concurrent.Future<?>> pending = new java.util.ArrayList<>();
    for (int i = 0; i < queries.size(); i += batch) {
      List<ImageQuestion> chunk = queries.subList(i, Math.min(queries.size(), i + batch)).stream()
          .map(q -> new ImageQuestion(decoder.apply(q.image()), q.question())).toList();
      List<io.llavaseg.model.Reasoning> reasonings = pipeline.reasonAll(reasoner, chunk);
      List<java.awt.image.BufferedImage> images = chunk.stream().map(ImageQuestion::image).toList();
      List<Optional<SegmentationTarget>> targets = reasonings.stream().map(SegmentationTarget::of).toList();
      pending.add(segmentation.submit(() -> {
        for (int j = 0; j < images.size(); j += segmentationBatch) {
          int end = Math.min(images.size(), j + segmentationBatch);
          QueryPipeline.segmentAll(segmenter, images.subList(j, end), targets.subList(j, end));
        }
      }));
    }
    for (java.util.concurrent.Future<?> f : pending) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("segmentation failed", e.getCause());
      }
    }
  }

  /**
   * What a reasoner that is always right would hand the segmentation stage: the sample's target and
   * attribute line parsed as the chain of thought parses the model's replies ({@code none}, {@link
   * Sample#NO_TARGET}, is no target).
   */
  static Optional<SegmentationTarget> groundTruthTarget(Sample s) {
    Optional<String> description = ReplyParser.parseTarget(s.target()) instanceof ReplyParser.TargetReply.Target t
        ? Optional.of(t.description())
        : Optional.empty();
    return SegmentationTarget.of(description, ReplyParser.parseAttributes(s.attributes()));
  }
}
