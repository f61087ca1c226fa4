package io.llavaseg.ops;

import io.llavaseg.eval.DatasetSample;
import io.llavaseg.eval.MaskSource;
import io.llavaseg.eval.Prediction;
import io.llavaseg.model.BinaryMask;
import io.llavaseg.model.ModelHandle;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.Reasoning;
import io.llavaseg.model.Segmenter;
import io.llavaseg.model.cot.ChainOfThought;
import io.llavaseg.topology.ServiceConfig;
import io.llavaseg.topology.model.ModelProvider;
import io.llavaseg.topology.model.ModelStoreProvider;
import java.io.IOException;
import java.util.Properties;

/**
 * The live pipeline in-process, as the service runs it: the reasoner's chain of thought on the
 * sample's first query, then (when it names a target) the segmenter prompted with the target's
 * description and attributes. The answer is the dialogue answer, scored on dialogue-only samples.
 */
final class LivePipelineSource implements MaskSource {
  private final ModelHandle<Reasoner> reasonerModel;
  private final ModelHandle<Segmenter> segmenterModel;
  private final Reasoner reasoner;
  private final Segmenter segmenter;
  private final ChainOfThought chain;

  LivePipelineSource(ServiceConfig config) throws IOException {
    ModelProvider provider = new ModelStoreProvider();
    this.reasonerModel = provider.reasoner(config, config.inferenceDevices());
    ModelHandle<Segmenter> seg;
    try {
      seg = provider.segmenter(config, config.inferenceDevices());
    } catch (IOException | RuntimeException e) {
      reasonerModel.close();
      throw e;
    }
    this.segmenterModel = seg;
    this.reasoner = reasonerModel.newWorker();
    this.segmenter = segmenterModel.newWorker();
    this.chain = new ChainOfThought(provider.prompts(config));
  }

  /** The service's defaults with {@code settings} (service keys, e.g. {@code llavaseg.reasoner.version}) on top. */
  static LivePipelineSource fromDefaults(java.util.Map<String, String> settings) throws IOException {
    Properties props = new Properties();
    props.put(ServiceConfig.MODEL_STORE, System.getProperty("llavaseg.model.store", "model-store"));
    props.putAll(settings);
    return new LivePipelineSource(ServiceConfig.from(props));
  }

  @Override
  public Prediction predict(DatasetSample sample) {
    Reasoning r = chain.run(reasoner, sample.image(), sample.query());
    BinaryMask mask = r.hasTarget()
        ? segmenter.segment(sample.image(), r.target().get(), r.attributes().get()).mask()
        : BinaryMask.empty(sample.width(), sample.height());
    String prompt = r.hasTarget() ? r.target().get() + " | " + r.attributes().get().format()
        : r.failureReason().orElse("none");
    return Prediction.of(mask, r.answer(), prompt);
  }

  @Override
  public String describe() {
    return "live pipeline " + reasoner.modelId() + " -> " + segmenter.modelId();
  }

  @Override
  public void close() {
    segmenter.close();
    reasoner.close();
    segmenterModel.close();
    reasonerModel.close();
  }
}
