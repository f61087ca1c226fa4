package io.llavaseg.training.lisa;

import io.llavaseg.shapeworld.QueryKind;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which kind of ShapeWorld query each training example is: dialogue (LISA's VQA data) with
 * probability {@code dialogueShare}, else a segmentation query of one of {@code segmentationKinds},
 * each equally likely. {@link #lisa()} is LISA's own mix: its training samples its datasets in the
 * ratio {@code --sample_rates 9,3,3,1} (semantic segmentation, referring segmentation, VQA, reasoning
 * segmentation), so VQA is 3 of 16 examples and segmentation 13 of 16. ShapeWorld's segmentation
 * kinds are its six targeted ones plus absent and ambiguous (which teach the reply without
 * {@code <seg>}, an empty mask, as the served pipeline's "none" does).
 */
public record JointMix(double dialogueShare, List<QueryKind> segmentationKinds) {
  /** LISA's VQA share: 3 of the 9 + 3 + 3 + 1 parts of {@code --sample_rates 9,3,3,1}. */
  public static final double LISA_DIALOGUE_SHARE = 3.0 / 16;

  public JointMix {
    segmentationKinds = List.copyOf(segmentationKinds);
    if (!(dialogueShare >= 0 && dialogueShare <= 1)) {
      throw new IllegalArgumentException("the dialogue share must be in [0, 1], got " + dialogueShare);
    }
    if (segmentationKinds.isEmpty() || segmentationKinds.contains(QueryKind.DIALOGUE)) {
      throw new IllegalArgumentException("segmentation kinds must be given and exclude dialogue: " + segmentationKinds);
    }
  }

  /** LISA's ratio over every ShapeWorld kind but dialogue. */
  public static JointMix lisa() {
    return withDialogueShare(LISA_DIALOGUE_SHARE);
  }

  public static JointMix withDialogueShare(double share) {
    return new JointMix(share, Arrays.stream(QueryKind.values()).filter(k -> k != QueryKind.DIALOGUE).toList());
  }

  public QueryKind draw(SplittableRandom rng) {
    if (rng.nextDouble() < dialogueShare) {
      return QueryKind.DIALOGUE;
    }
    return segmentationKinds.get(rng.nextInt(segmentationKinds.size()));
  }
}
