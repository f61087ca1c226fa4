package io.llavaseg.topology.processor;

import io.llavaseg.topology.ServiceConfig;
import io.llavaseg.topology.Topics;
import io.llavaseg.topology.image.ValidationLimits;
import io.llavaseg.topology.inference.InferenceMetrics;
import java.time.Duration;

/**
 * What the model stages' processors share, read from the configuration once: the inference budget
 * the Kafka timeouts are sized from ({@code llavaseg.inference.timeout}), the image limits, the
 * output size guard ({@code llavaseg.output.max-bytes}), the topics with their serdes and the
 * Prometheus metrics.
 */
public record StageSettings(
    Duration inferenceBudget, ValidationLimits limits, OutputGuard guard, Topics topics, InferenceMetrics metrics) {

  public static StageSettings from(ServiceConfig config, Topics topics, InferenceMetrics metrics) {
    return new StageSettings(config.inferenceTimeout(), config.limits(), new OutputGuard(config.outputMaxBytes()),
        topics, metrics);
  }
}
