package io.llavaseg.model;

/**
 * A loaded model shared by the threads of one process (a DJL {@code ZooModel}); each thread asks it
 * for its own worker ({@link Reasoner} or {@link Segmenter}, which wraps a {@code Predictor}).
 * Closing the handle frees the weights; close the workers first.
 */
public interface ModelHandle<W extends AutoCloseable> extends AutoCloseable {

  ModelId modelId();

  /** A new worker for the calling thread. */
  W newWorker();

  /**
   * NDArrays alive in the model's memory manager and its workers' (DJL {@code
   * NDManager.getManagedArrays()}), to watch for leaks; -1 when the model does not tell.
   */
  default long managedArrays() {
    return -1;
  }

  @Override
  void close();

  /**
   * A handle over workers that hold no shared weights (each worker is self-contained): closing it
   * does nothing. For test doubles and simulated models.
   */
  static <W extends AutoCloseable> ModelHandle<W> of(ModelId id, java.util.function.Supplier<W> workers) {
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
      public void close() {}
    };
  }
}
