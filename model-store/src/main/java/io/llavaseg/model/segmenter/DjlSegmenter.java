package io.llavaseg.model.segmenter;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.llavaseg.model.ModelId;
import io.llavaseg.model.SegmentationPrompt;
import io.llavaseg.model.SegmentationResult;
import io.llavaseg.model.Segmenter;
import io.llavaseg.model.TargetAttributes;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The DJL-backed {@link Segmenter}: one per thread, wrapping its own {@link Predictor} over the
 * shared model of a {@link SegmenterModel}. Any image size in, the mask at that size out; unknown
 * words in the prompt give the network's answer for unknown targets (an empty or low-score mask).
 * A pass whose logits come back non-finite (seen sporadically with DJL 0.36 / PyTorch 2.7.1 on
 * this machine's CPU) is run again, up to {@value #ATTEMPTS} times in all, before it fails with
 * {@link IllegalStateException}. {@link #segmentAll} runs a batch through one forward pass.
 *
 * <p>With {@code retryEmptyWithoutAttributes=true} in the folder's {@code serving.properties}, a
 * request whose mask comes back empty although it named a target with an attribute line is run once
 * more on its description alone (in one batch for all such requests), and that mask is kept if it
 * is not empty. The reasoner's commonest slip is the right colour and shape with another object's
 * size or location; the segmenter, trained to take the attribute line at its word, then finds
 * nothing, while the description alone still names the target.
 */
public final class DjlSegmenter implements Segmenter {
  static final int ATTEMPTS = 3;

  private final Predictor<SegmenterInput, MaskPrediction> predictor;
  private final ModelId id;
  private final boolean retryEmptyWithoutAttributes;

  DjlSegmenter(Predictor<SegmenterInput, MaskPrediction> predictor, ModelId id, boolean retryEmptyWithoutAttributes) {
    this.predictor = predictor;
    this.id = id;
    this.retryEmptyWithoutAttributes = retryEmptyWithoutAttributes;
  }

  @Override
  public SegmentationResult segment(BufferedImage image, String description, TargetAttributes attributes) {
    return segment(new SegmenterInput(image, description, attributes == null ? "" : attributes.format()));
  }

  /** Segments one request with free-form description and attribute texts. */
  public SegmentationResult segment(SegmenterInput input) {
    return segmentAll(List.of(input)).get(0);
  }

  /**
   * Segments a batch in one forward pass (two if some requests are retried without attributes); the
   * reported time is the batch's, per result.
   */
  public List<SegmentationResult> segmentAll(List<SegmenterInput> inputs) {
    if (inputs.isEmpty()) {
      return List.of();
    }
    List<SegmentationResult> results = pass(inputs);
    if (!retryEmptyWithoutAttributes) {
      return results;
    }
    List<Integer> retry = new ArrayList<>();
    List<SegmenterInput> retryInputs = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      SegmenterInput in = inputs.get(i);
      if (results.get(i).mask().isEmpty() && !in.attributes().isBlank() && !in.description().isBlank()) {
        retry.add(i);
        retryInputs.add(new SegmenterInput(in.image(), in.description(), ""));
      }
    }
    if (retry.isEmpty()) {
      return results;
    }
    List<SegmentationResult> second = pass(retryInputs);
    List<SegmentationResult> merged = new ArrayList<>(results.size());
    double extraMs = second.get(0).inferenceMs();
    for (SegmentationResult r : results) {
      merged.add(new SegmentationResult(r.mask(), r.score(), r.model(), r.inferenceMs() + extraMs));
    }
    for (int k = 0; k < retry.size(); k++) {
      SegmentationResult r = second.get(k);
      if (!r.mask().isEmpty()) {
        merged.set(retry.get(k), new SegmentationResult(r.mask(), r.score(), id, r.inferenceMs() + results.get(0).inferenceMs()));
      }
    }
    return merged;
  }

  /** Whether empty masks are retried on the description alone ({@code retryEmptyWithoutAttributes}). */
  public boolean retriesEmptyWithoutAttributes() {
    return retryEmptyWithoutAttributes;
  }

  private List<SegmentationResult> pass(List<SegmenterInput> inputs) {
    for (int attempt = 1; ; attempt++) {
      long t0 = System.nanoTime();
      try {
        List<MaskPrediction> out = predictor.batchPredict(inputs);
        double ms = (System.nanoTime() - t0) / 1e6;
        List<SegmentationResult> results = new ArrayList<>(out.size());
        for (MaskPrediction p : out) {
          results.add(new SegmentationResult(p.mask(), p.score(), id, ms));
        }
        return results;
      } catch (TranslateException | RuntimeException e) {
        if (!nonFinite(e) || attempt >= ATTEMPTS) {
          throw new IllegalStateException("segmentation failed: " + e.getMessage(), e);
        }
      }
    }
  }

  /** One forward pass for all requests ({@link #segmentAll}). */
  @Override
  public List<SegmentationResult> segmentBatch(List<SegmentationPrompt> prompts) {
    List<SegmenterInput> inputs = new ArrayList<>(prompts.size());
    for (SegmentationPrompt p : prompts) {
      inputs.add(new SegmenterInput(p.image(), p.description(), p.attributes() == null ? "" : p.attributes().format()));
    }
    return segmentAll(inputs);
  }

  private static boolean nonFinite(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof NonFiniteLogitsException) {
        return true;
      }
    }
    return false;
  }

  @Override
  public ModelId modelId() {
    return id;
  }

  @Override
  public void close() {
    predictor.close();
  }
}
