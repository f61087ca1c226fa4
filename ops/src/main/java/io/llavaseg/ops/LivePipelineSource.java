package io.llavaseg.ops;

import io.llavaseg.eval.DatasetSample;
import io.llavaseg.eval.MaskSource;
import io.llavaseg.eval.Prediction;
import io.llavaseg.model.Reasoning;
import io.llavaseg.model.SegmentationTarget;
import io.llavaseg.model.pipeline.ImageQuestion;
import io.llavaseg.model.pipeline.QueryResult;
import io.llavaseg.topology.LlavasegService;
import io.llavaseg.topology.ServiceConfig;
import io.llavaseg.topology.model.LocalPipeline;
import io.llavaseg.topology.model.BackendModelProvider;
import java.io.IOException;
import java.util.Properties;

/**
 * The live pipeline in-process, as the service runs it ({@link LocalPipeline}, on the first device of
 * {@code llavaseg.inference.devices}): the reasoner's chain of thought on the sample's first query,
 * then (when it names a target) the segmenter prompted with the target's description and
 * attributes. The answer is the dialogue answer, scored on dialogue-only samples.
 */
final class LivePipelineSource implements MaskSource {
  private final LocalPipeline pipeline;

  LivePipelineSource(ServiceConfig config) throws IOException {
    this.pipeline = LocalPipeline.load(config, new BackendModelProvider(), LlavasegService::gpuCount);
  }

  @Override
  public Prediction predict(DatasetSample sample) {
    QueryResult result = pipeline.run(new ImageQuestion(sample.image(), sample.query()));
    Reasoning r = result.reasoning();
    String prompt = SegmentationTarget.of(r).map(t -> t.description() + " | " + t.attributes().format())
        .orElseGet(() -> r.failureReason().orElse("none"));
    return Prediction.of(result.mask(), r.answer(), prompt);
  }

  @Override
  public String describe() {
    return "live pipeline " + pipeline.describe();
  }

  @Override
  public void close() {
    pipeline.close();
  }
}
