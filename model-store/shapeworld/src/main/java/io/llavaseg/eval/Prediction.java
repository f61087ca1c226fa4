package io.llavaseg.eval;

import io.llavaseg.model.BinaryMask;

/**
 * What a {@link MaskSource} predicts for one sample: a mask at the image's size, optionally the
 * dialogue answer ({@code null} when the source gives none), and whether the prediction was
 * missing (then the mask is empty and the evaluation reports the sample as missing), and the
 * segmentation prompt the mask came from ({@code null} when the source has none to tell, e.g. the
 * reasoner's target description and attribute line in the live pipeline).
 */
public record Prediction(BinaryMask mask, String answer, boolean missing, String prompt) {

  public static Prediction of(BinaryMask mask) {
    return new Prediction(mask, null, false, null);
  }

  public static Prediction of(BinaryMask mask, String answer) {
    return new Prediction(mask, answer, false, null);
  }

  /** A prediction that also says which segmentation prompt produced the mask. */
  public static Prediction of(BinaryMask mask, String answer, String prompt) {
    return new Prediction(mask, answer, false, prompt);
  }

  /** No prediction for the sample: scored as an empty mask and reported. */
  public static Prediction missing(int width, int height) {
    return new Prediction(BinaryMask.empty(width, height), null, true, null);
  }
}
