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
}
