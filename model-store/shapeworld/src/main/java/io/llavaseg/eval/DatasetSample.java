package io.llavaseg.eval;

import io.llavaseg.shapeworld.QueryKind;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/**
 * One sample read from a ReasonSeg-format folder: the decoded image, the query texts ({@link
 * #query()} is the first, the one LISA evaluates), {@code is_sentence}, the annotation shapes and,
 * for ShapeWorld folders, the extra ground truth ({@code kind}, {@code answer}, {@code target},
 * {@code attributes}), each {@code null} when the JSON does not have it (a real ReasonSeg folder).
 */
public record DatasetSample(
    String name,
    Path imageFile,
    Path jsonFile,
    BufferedImage image,
    List<String> texts,
    boolean isSentence,
    List<LabeledPolygon> shapes,
    QueryKind kind,
    String answer,
    String target,
    String attributes) {

  public DatasetSample {
    texts = List.copyOf(texts);
    shapes = List.copyOf(shapes);
  }

  /** The first text, the one LISA's validation uses. */
  public String query() {
    return texts.get(0);
  }

  public int width() {
    return image.getWidth();
  }

  public int height() {
    return image.getHeight();
  }

  /** The ground-truth label map (0, 1, or 255 = not scored), see {@link GroundTruth}. */
  public byte[] labels() {
    return GroundTruth.labels(shapes, width(), height());
  }
}
