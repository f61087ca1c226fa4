package io.llavaseg.topology.processor;

import io.llavaseg.schemas.FrameSkip;
import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.topology.inference.InferenceMetrics;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * In front of the reasoning step: a query made from a camera frame (option {@code frame_id}, set by
 * {@link FrameFanoutProcessor}) whose frame is older than {@code llavaseg.standing.max-age} when it
 * reaches reasoning, because the stage is behind, is skipped: counted and reported on {@code
 * camera-frames-skipped} as STALE, not reasoned about. Other queries pass through untouched.
 */
public final class StaleFrameFilter implements Processor<String, ValidatedQuery, String, Object> {
  private final Duration maxAge;
  private final InferenceMetrics metrics;
  private final String reasonChild;
  private final String skipsChild;
  private ProcessorContext<String, Object> context;

  public StaleFrameFilter(Duration maxAge, InferenceMetrics metrics, String reasonChild, String skipsChild) {
    this.maxAge = maxAge;
    this.metrics = metrics;
    this.reasonChild = reasonChild;
    this.skipsChild = skipsChild;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, ValidatedQuery> record) {
    ImageQuery q = record.value().query();
    String frameId = q.getOptions().get("frame_id");
    Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
    Duration age = Duration.between(q.getCaptureTime(), now);
    if (frameId != null && age.compareTo(maxAge) > 0) {
      metrics.frameSkipped(FrameFanoutProcessor.STALE);
      FrameSkip s = FrameFanoutProcessor.skipRecord(frameId, q.getSourceId(), q.getCaptureTime(),
          FrameFanoutProcessor.STALE, "query " + q.getQueryId() + " reached reasoning " + age.toMillis()
              + " ms after capture, over " + maxAge.toMillis() + " ms (llavaseg.standing.max-age)", now);
      context.forward(new Record<String, Object>(record.key(), s, record.timestamp(), record.headers()), skipsChild);
      return;
    }
    context.forward(record, reasonChild);
  }
}
