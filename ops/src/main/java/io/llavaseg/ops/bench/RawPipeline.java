package io.llavaseg.ops.bench;

import io.llavaseg.model.ModelHandle;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.Segmenter;
import io.llavaseg.model.pipeline.QueryPipeline;
import io.llavaseg.topology.ServiceConfig;
import io.llavaseg.topology.image.ImageLoader;
import io.llavaseg.topology.model.BackendModelProvider;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.function.Function;

/**
 * One worker of each stage, in-process and without Kafka, kept open for the whole run: part a)
 * measures the stages with it, and part b) measures its whole pipeline ({@link #measure}) before
 * and after every end-to-end burst, so that each burst is compared with the raw pipeline on the
 * machine as it was during that burst, not minutes earlier (on a shared machine the speed of the
 * same code drifts by tens of percent between minutes).
 */
final class RawPipeline implements AutoCloseable {
  /** The pipeline's queries per second, and the process's CPU milliseconds per query while it ran. */
  record Measurement(double qps, double cpuMsPerQuery) {}

  private final ModelHandle<Reasoner> reasonerHandle;
  private final Reasoner reasoner;
  private final ModelHandle<Segmenter> segmenterHandle;
  private final Segmenter segmenter;
  private final QueryPipeline pipeline;
  private final List<RawThroughput.EncodedQuery> queries;
  private final Function<byte[], BufferedImage> decoder;
  private final int batch;
  private final int segmentationBatch;

  /**
   * Opens a worker of each stage as the service would on the CPU ({@code config}'s models) over
   * {@code queries} (PNG images, as part b sends them), decoded by the service's decoder.
   */
  RawPipeline(ServiceConfig config, List<RawThroughput.EncodedQuery> queries, int batch, int segmentationBatch)
      throws java.io.IOException {
    BackendModelProvider provider = new BackendModelProvider();
    this.pipeline = new QueryPipeline(provider.prompts(config));
    this.queries = List.copyOf(queries);
    this.batch = batch;
    this.segmentationBatch = segmentationBatch;
    ImageLoader loader = new ImageLoader(config.limits());
    this.decoder = bytes -> {
      try {
        return loader.decode(new ImageLoader.Encoded("image/png", bytes));
      } catch (io.llavaseg.topology.StageFailure e) {
        throw new IllegalStateException(e);
      }
    };
    this.reasonerHandle = provider.reasoner(config, "cpu");
    try {
      this.reasoner = reasonerHandle.newWorker();
      this.segmenterHandle = provider.segmenter(config, "cpu");
      this.segmenter = segmenterHandle.newWorker();
    } catch (java.io.IOException | RuntimeException e) {
      reasonerHandle.close();
      throw e;
    }
  }

  /** The encoded images and questions it is timed on (part b sends the same). */
  List<RawThroughput.EncodedQuery> queries() {
    return queries;
  }

  Reasoner reasoner() {
    return reasoner;
  }

  Segmenter segmenter() {
    return segmenter;
  }

  QueryPipeline pipeline() {
    return pipeline;
  }

  String reasonerId() {
    return reasonerHandle.modelId().toString();
  }

  String segmenterId() {
    return segmenterHandle.modelId().toString();
  }

  /** The whole pipeline with its stages overlapped, as {@link RawThroughput#pipeline} times it. */
  Measurement measure() {
    double cpuBefore = CpuAccount.processSeconds("self");
    double qps = RawThroughput.pipeline(reasoner, segmenter, pipeline, queries, decoder, batch, segmentationBatch);
    // the warm-up passes and the timed passes
    int measured = (RawThroughput.WARMUP_PASSES + RawThroughput.TRIALS) * queries.size();
    return new Measurement(qps, 1000 * (CpuAccount.processSeconds("self") - cpuBefore) / measured);
  }

  @Override
  public void close() throws Exception {
    try (ModelHandle<Reasoner> rh = reasonerHandle; Reasoner r = reasoner; ModelHandle<Segmenter> sh = segmenterHandle;
        Segmenter s = segmenter) {
      // closed in reverse order: the workers, then their handles
    }
  }
}
