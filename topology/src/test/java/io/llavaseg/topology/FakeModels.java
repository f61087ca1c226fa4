package io.llavaseg.topology;

import io.llavaseg.model.ModelHandle;
import io.llavaseg.model.ModelId;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.Segmenter;
import io.llavaseg.topology.model.ModelProvider;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Test {@link ModelProvider}: handles over the fake models, counting workers and closes. */
final class FakeModels implements ModelProvider {
  final AtomicInteger handlesClosed = new AtomicInteger();

  private <W extends AutoCloseable> ModelHandle<W> handle(ModelId id, Supplier<W> workers) {
    return new ModelHandle<>() {
      @Override
      public ModelId modelId() {
        return id;
      }

      @Override
      public W newWorker() {
        return workers.get();
      }

      @Override
      public void close() {
        handlesClosed.incrementAndGet();
      }
    };
  }

  @Override
  public ModelHandle<Reasoner> reasoner(ServiceConfig config, String device) {
    return handle(FakeReasoner.ID, FakeReasoner::new);
  }

  @Override
  public ModelHandle<Segmenter> segmenter(ServiceConfig config, String device) {
    return handle(FakeSegmenter.ID, FakeSegmenter::new);
  }
}
