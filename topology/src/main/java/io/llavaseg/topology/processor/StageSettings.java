package io.llavaseg.topology.processor;

import io.llavaseg.topology.ServiceConfig;
import io.llavaseg.topology.Topics;
import io.llavaseg.topology.image.ValidationLimits;
import io.llavaseg.topology.inference.InferenceMetrics;
import io.llavaseg.topology.Stage;
import java.time.Duration;
import java.util.Set;

/**
 * What the model stages' processors share, read from the configuration once: the inference budget
 * the Kafka timeouts are sized from ({@code llavaseg.inference.timeout}), the image limits, the
 * output size guard ({@code llavaseg.output.max-bytes}), the topics with their serdes, the
 * Prometheus metrics, the stages whose model runs in another process (their timeouts are outages,
 * not the record's fault), and how long forwarded outputs wait for others before a commit is asked
 * for ({@code llavaseg.output.commit-delay}).
 */
public record StageSettings(Duration inferenceBudget, ValidationLimits limits, OutputGuard guard, Topics topics,
    InferenceMetrics metrics, Set<Stage> remoteModels, Duration outputCommitDelay) {

  /** The default of {@code llavaseg.output.commit-delay}. */
  public static final Duration DEFAULT_COMMIT_DELAY = Duration.ofMillis(5);

  public StageSettings {
    remoteModels = Set.copyOf(remoteModels);
  }

  /** Settings of in-process models, outputs committed after the default delay. */
  public StageSettings(Duration inferenceBudget, ValidationLimits limits, OutputGuard guard, Topics topics,
      InferenceMetrics metrics) {
    this(inferenceBudget, limits, guard, topics, metrics, Set.of(), DEFAULT_COMMIT_DELAY);
  }

  public static StageSettings from(ServiceConfig config, Topics topics, InferenceMetrics metrics) {
    return new StageSettings(config.inferenceTimeout(), config.limits(), new OutputGuard(config.outputMaxBytes()),
        topics, metrics, config.remoteModelStages(), config.outputCommitDelay());
  }

  /** Whether {@code stage}'s model runs in another process (see {@code ReasonerBackend.remote()}). */
  public boolean remote(Stage stage) {
    return remoteModels.contains(stage);
  }
}
