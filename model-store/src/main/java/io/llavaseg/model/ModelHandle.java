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

  @Override
  void close();
}
