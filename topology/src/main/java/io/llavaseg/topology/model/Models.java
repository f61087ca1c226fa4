package io.llavaseg.topology.model;

import io.llavaseg.model.Reasoner;
import io.llavaseg.model.Segmenter;
import io.llavaseg.model.cot.PromptTemplates;
import io.llavaseg.topology.inference.DevicePlan;
import io.llavaseg.topology.inference.InferenceMetrics;
import java.util.Objects;
import java.util.function.Function;

/**
 * What the two stages need from the models: a factory of reasoner workers and one of segmenter
 * workers, each taking the device the worker runs on (e.g. {@code device ->
 * handles.get(device).newWorker()}), the chain-of-thought prompts, the devices, and the metrics the
 * inference queues report to. A factory may be null when its stage is not run by this instance.
 */
public record Models(
    Function<String, ? extends Reasoner> reasoners,
    Function<String, ? extends Segmenter> segmenters,
    PromptTemplates prompts,
    DevicePlan devices,
    InferenceMetrics metrics) {

  public Models {
    Objects.requireNonNull(prompts, "prompts");
    Objects.requireNonNull(devices, "devices");
    Objects.requireNonNull(metrics, "metrics");
  }

  /** On the CPU, with metrics of their own. */
  public Models(Function<String, ? extends Reasoner> reasoners, Function<String, ? extends Segmenter> segmenters,
      PromptTemplates prompts) {
    this(reasoners, segmenters, prompts, DevicePlan.parse("cpu", () -> 0), InferenceMetrics.standalone());
  }
}
