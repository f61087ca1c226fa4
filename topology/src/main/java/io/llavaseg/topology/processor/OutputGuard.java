package io.llavaseg.topology.processor;

import io.llavaseg.schemas.registry.WireFormatException;
import io.llavaseg.topology.ErrorCode;
import io.llavaseg.topology.StageFailure;
import io.llavaseg.topology.Topic;

/**
 * Refuses an output record whose serialized value exceeds {@code llavaseg.output.max-bytes}, before
 * it is forwarded to a sink. Checking first matters under exactly_once_v2: a send the producer
 * refuses for size (over {@code max.request.size}) puts the transactional producer in an error
 * state, so the task fails and would fail again on the same input after every restart; refused
 * here, the input becomes a dead letter ({@code OUTPUT_TOO_LARGE}) and the stream goes on. Costs one
 * extra serialization per output (the sink serializes again), small next to inference. A record the
 * serde refuses for its content ({@code INVALID_RECORD}) is dead-lettered with that code; registry
 * failures propagate (see {@code Decoding}).
 */
public final class OutputGuard {
  private final int maxBytes;

  public OutputGuard(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  public <V> void check(Topic<String, V> topic, V value) throws StageFailure {
    byte[] bytes;
    try {
      bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
    } catch (WireFormatException e) {
      if (!e.isRecordFault()) {
        throw e;
      }
      throw new StageFailure(e.code().name(), "the " + topic.name() + " record cannot be written: " + e.getMessage(), e);
    }
    if (bytes != null && bytes.length > maxBytes) {
      throw new StageFailure(ErrorCode.OUTPUT_TOO_LARGE, "the " + topic.name() + " record would have "
          + bytes.length + " bytes, at most " + maxBytes + " are written (llavaseg.output.max-bytes)");
    }
  }
}
