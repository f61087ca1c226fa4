package io.llavaseg.training.reasoner;

import io.llavaseg.model.reasoner.ReasonerConfig;
import io.llavaseg.shapeworld.Colour;
import io.llavaseg.shapeworld.Shape;

/**
 * Which count token of the reasoner's visual prefix counts what (see {@link ReasonerConfig}
 * {@code countTokens}): {@link ReasonerConfig#COUNT_ALL} all objects, then one token per ShapeWorld
 * colour, then one per shape, in their declaration order. Training labels and the count probe
 * read them; the served network only knows the token indices.
 */
public final class CountClasses {

  private CountClasses() {}

  /** The count class of a colour: the tokens after {@link ReasonerConfig#COUNT_ALL}, in the colours' order. */
  public static int of(Colour colour) {
    return 1 + colour.ordinal();
  }

  /** The count class of a shape: the tokens after the colours', in the shapes' order. */
  public static int of(Shape shape) {
    return 1 + ReasonerConfig.AUX_CLASSES[1] + shape.ordinal();
  }
}
