package io.llavaseg.topology.processor;

import io.llavaseg.schemas.CameraQueries;
import io.llavaseg.topology.StageFailure;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global store of standing questions in step with the compacted {@code camera-queries}
 * topic: a record replaces its camera's question set, a tombstone (or an empty set) removes it. Every
 * instance holds every camera's questions (a global store), so frames can be asked on whichever
 * instance owns their partition. A record that does not decode is logged and ignored (a global
 * store's processor cannot write a dead letter); the camera keeps its previous questions.
 */
public final class CameraQueriesUpdater implements Processor<byte[], byte[], Void, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(CameraQueriesUpdater.class);

  private final String storeName;
  private final Deserializer<CameraQueries> deserializer;
  private KeyValueStore<String, CameraQueries> store;

  public CameraQueriesUpdater(String storeName, Deserializer<CameraQueries> deserializer) {
    this.storeName = storeName;
    this.deserializer = deserializer;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    if (record.key() == null) {
      LOG.warn("camera-queries record without a key ignored");
      return;
    }
    String camera = new String(record.key(), StandardCharsets.UTF_8);
    if (record.value() == null) {
      store.delete(camera);
      LOG.info("camera {}: standing questions removed", camera);
      return;
    }
    try {
      CameraQueries q = Decoding.value(deserializer, "camera-queries", record.headers(), record.value());
      if (q.getQuestions().isEmpty()) {
        store.delete(camera);
      } else {
        store.put(camera, q);
      }
      LOG.info("camera {}: {} standing question(s)", camera, q.getQuestions().size());
    } catch (StageFailure f) {
      LOG.warn("camera-queries record of camera {} ignored ({}: {}); it keeps its previous questions", camera,
          f.code(), f.getMessage());
    }
  }
}
