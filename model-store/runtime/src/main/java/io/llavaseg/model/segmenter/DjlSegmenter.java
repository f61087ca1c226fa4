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
 * A pass whose logits come back non-finite (possible with oneDNN's AVX-512 kernels on DJL 0.36 /
 * PyTorch 2.7.1) is run again, up to {@value #ATTEMPTS} times in all, before it fails with
 * {@link IllegalStateException}. {@link #segmentAll} runs a batch through one forward pass.
 */
public final class DjlSegmenter implements Segmenter {
  public static final int ATTEMPTS = 3;

  private final Predictor<SegmenterInput, MaskPrediction> predictor;
  private final ModelId id;

  DjlSegmenter(Predictor<SegmenterInput, MaskPrediction> predictor, ModelId id) {
    this.predictor = predictor;
    this.id = id;
  }

  @Override
  public SegmentationResult segment(BufferedImage image, String description, TargetAttributes attributes) {
    return segment(new SegmenterInput(image, description, attributes == null ? "" : attributes.format()));
  }

  /** Segments one request with free-form description and attribute texts. */
  public SegmentationResult segment(SegmenterInput input) {
    return segmentAll(List.of(input)).get(0);
  }

  /** Segments a batch in one forward pass; the reported time is the batch's, per result. */
  public List<SegmentationResult> segmentAll(List<SegmenterInput> inputs) {
    if (inputs.isEmpty()) {
      return List.of();
    }
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
