package io.llavaseg.eval;

/**
 * Anything that predicts a mask (and optionally a dialogue answer) for a dataset sample: a folder
 * of mask PNGs ({@link PredictionsDir}), a segmenter prompted with the ground-truth target, the
 * live pipeline. An {@link Evaluation} runs a source over a dataset, one sample at a time.
 */
public interface MaskSource extends AutoCloseable {

  /**
   * The prediction for {@code sample}; the mask must have the sample's image size. Throw {@link
   * DatasetException} for a prediction that cannot be used (it names the file); the evaluation
   * records it against this sample and goes on unless it fails fast.
   */
  Prediction predict(DatasetSample sample) throws DatasetException;

  /** A short description for reports, e.g. {@code predictions-dir /tmp/preds}. */
  default String describe() {
    return getClass().getSimpleName();
  }

  @Override
  default void close() throws Exception {}
}
