package io.llavaseg.training.segmenter;

import io.llavaseg.eval.DatasetSample;
import io.llavaseg.eval.MaskSource;
import io.llavaseg.eval.Prediction;
import io.llavaseg.model.BinaryMask;
import io.llavaseg.model.ModelHandle;
import io.llavaseg.model.SegmentationResult;
import io.llavaseg.model.Segmenter;
import io.llavaseg.model.TargetAttributes;
import java.util.Optional;

/**
 * Predicts each dataset sample's mask with a segmenter prompted by the sample's ground-truth target
 * description and attribute line (ShapeWorld folders carry both), so that the segmenter's own
 * quality is measured apart from reasoning ({@code ops/llavaseg eval --prompts ground-truth}). A
 * sample whose target is {@code none} gets an empty mask (there is nothing to prompt with). A
 * sample without a {@code target} key (a real ReasonSeg folder) is prompted with its first query
 * text as the description and no attributes. Owns the model handle it is given; single-threaded.
 */
public final class GroundTruthPromptSource implements MaskSource {
  private final ModelHandle<Segmenter> model;
  private final Segmenter segmenter;

  public GroundTruthPromptSource(ModelHandle<Segmenter> model) {
    this.model = model;
    this.segmenter = model.newWorker();
  }

  @Override
  public Prediction predict(DatasetSample sample) {
    String target = sample.target();
    if (target != null && (target.isBlank() || target.equals("none"))) {
      return Prediction.of(BinaryMask.empty(sample.width(), sample.height()));
    }
    String description = target != null ? target : sample.query();
    Optional<TargetAttributes> attrs = TargetAttributes.parse(sample.attributes());
    SegmentationResult r = segmenter.segment(sample.image(), description, attrs.orElse(null));
    return Prediction.of(r.mask());
  }

  @Override
  public String describe() {
    return "segmenter " + model.modelId() + " prompted with ground-truth description + attributes";
  }

  @Override
  public void close() {
    segmenter.close();
    model.close();
  }
}
