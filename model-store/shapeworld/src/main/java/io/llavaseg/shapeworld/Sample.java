package io.llavaseg.shapeworld;

import io.llavaseg.model.BinaryMask;
import java.awt.image.BufferedImage;

/**
 * One ShapeWorld sample: the image ({@code TYPE_INT_RGB}, artefacts applied), its scene, the query
 * and its ground truth. {@code target} is "the &lt;colour&gt; &lt;shape&gt;" for targeted kinds and
 * "none" otherwise; {@code attributes} is a {@link io.llavaseg.model.TargetAttributes#format()}
 * line or "" when there is no target; {@code targetIndex} indexes {@code scene.objects()} (-1 when
 * none); {@code mask} holds the target's visible pixels (objects painted later removed), empty when
 * there is no target.
 */
public record Sample(
    String name,
    BufferedImage image,
    Scene scene,
    String query,
    boolean isSentence,
    QueryKind kind,
    String answer,
    String target,
    String attributes,
    int targetIndex,
    BinaryMask mask) {

  /** The target value of samples without one. */
  public static final String NO_TARGET = "none";
}
