package io.llavaseg.topology.model;

import io.llavaseg.model.ModelHandle;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.Segmenter;
import io.llavaseg.model.pipeline.ImageQuestion;
import io.llavaseg.model.pipeline.QueryPipeline;
import io.llavaseg.model.pipeline.QueryResult;
import io.llavaseg.topology.ServiceConfig;
import io.llavaseg.topology.inference.DevicePlan;
import java.io.IOException;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * The service's pipeline in one process, without Kafka, for the tools ({@code ask}, the live
 * {@code eval}): loads the reasoner and the segmenter of the configuration through a {@link
 * ModelProvider} on the first device of the configuration's {@link DevicePlan} ({@code
 * llavaseg.inference.devices}: {@code cpu}, {@code auto}, {@code gpu0,gpu1}), holds one worker of
 * each and runs queries through the {@link QueryPipeline} with the configuration's prompts. Closing
 * it closes the workers, then the models.
 */
public final class LocalPipeline implements AutoCloseable {
  private final ModelHandle<Reasoner> reasonerModel;
  private final ModelHandle<Segmenter> segmenterModel;
  private final Reasoner reasoner;
  private final Segmenter segmenter;
  private final QueryPipeline pipeline;

  private LocalPipeline(ModelHandle<Reasoner> reasonerModel, ModelHandle<Segmenter> segmenterModel,
      QueryPipeline pipeline) {
    this.reasonerModel = reasonerModel;
    this.segmenterModel = segmenterModel;
    this.reasoner = reasonerModel.newWorker();
    this.segmenter = segmenterModel.newWorker();
    this.pipeline = pipeline;
  }

  /**
   * Loads the models on the first device of {@code llavaseg.inference.devices}.
   *
   * @param gpuCount how many CUDA GPUs the engine sees (asked for {@code auto} only)
   */
  public static LocalPipeline load(ServiceConfig config, ModelProvider provider, IntSupplier gpuCount)
      throws IOException {
    String device = device(config, gpuCount);
    QueryPipeline pipeline = new QueryPipeline(provider.prompts(config));
    ModelHandle<Reasoner> reasonerModel = provider.reasoner(config, device);
    try {
      return new LocalPipeline(reasonerModel, provider.segmenter(config, device), pipeline);
    } catch (IOException | RuntimeException e) {
      reasonerModel.close();
      throw e;
    }
  }

  /** The device a single in-process worker runs on: the first of the configuration's device plan. */
  public static String device(ServiceConfig config, IntSupplier gpuCount) {
    return DevicePlan.parse(config.inferenceDevices(), gpuCount).deviceOf(0);
  }

  public QueryResult run(ImageQuestion query) {
    return pipeline.run(reasoner, segmenter, query);
  }

  public List<QueryResult> runAll(List<ImageQuestion> queries) {
    return pipeline.runAll(reasoner, segmenter, queries);
  }

  /** {@code reasoner -> segmenter} model ids, with their devices. */
  public String describe() {
    return reasoner.modelId() + " -> " + segmenter.modelId();
  }

  @Override
  public void close() {
    try (reasonerModel; segmenterModel; reasoner; segmenter) {
      // closed in reverse order: workers, then the models
    }
  }
}
