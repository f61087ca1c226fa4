package io.llavaseg.shapeworld;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The world-knowledge phrases of ShapeWorld (docs/shapeworld.md): things whose colour is one of the
 * 11 colours ("a ripe banana" is yellow) and things whose shape is one of the 8 shapes ("a slice
 * of pizza" looks like a triangle). Phrases are written to follow "the colour of" and "looks like".
 */
public final class Knowledge {
  private static final Map<Colour, List<String>> COLOUR = new EnumMap<>(Colour.class);
  private static final Map<Shape, List<String>> SHAPE = new EnumMap<>(Shape.class);

  static {
    COLOUR.put(Colour.BLUE, List.of("the sky", "the sea"));
    COLOUR.put(Colour.GREEN, List.of("grass", "a leaf", "a frog"));
    COLOUR.put(Colour.YELLOW, List.of("a ripe banana", "a lemon", "the sun"));
    COLOUR.put(Colour.RED, List.of("a tomato", "blood", "a fire truck", "a strawberry"));
    COLOUR.put(Colour.ORANGE, List.of("an orange", "a pumpkin", "a carrot"));
    COLOUR.put(Colour.WHITE, List.of("snow", "milk", "a cloud"));
    COLOUR.put(Colour.BLACK, List.of("coal", "the night sky", "a crow"));
    COLOUR.put(Colour.BROWN, List.of("chocolate", "tree bark", "coffee"));
    COLOUR.put(Colour.PURPLE, List.of("an eggplant", "grapes", "a violet"));
    COLOUR.put(Colour.PINK, List.of("a flamingo", "bubblegum"));
    COLOUR.put(Colour.GRAY, List.of("ash", "an elephant", "a rain cloud"));
    SHAPE.put(Shape.CIRCLE, List.of("a ball", "a coin", "a wheel", "the full moon"));
    SHAPE.put(Shape.SQUARE, List.of("a die face", "a chessboard square", "a window pane"));
    SHAPE.put(Shape.TRIANGLE, List.of("a slice of pizza", "a warning sign", "a pyramid"));
    SHAPE.put(Shape.HEXAGON, List.of("a honeycomb cell", "a bolt head"));
    SHAPE.put(Shape.HEART, List.of("a symbol of love", "a valentine card"));
    SHAPE.put(
        Shape.STAR,
        List.of("a sheriff's badge", "the top of a christmas tree", "the night sky's twinkling"));
    SHAPE.put(Shape.CROSS, List.of("a plus sign", "a first-aid symbol"));
    SHAPE.put(Shape.DIAMOND, List.of("a kite", "a baseball infield"));
  }

  private Knowledge() {}

  /** Things that have this colour, e.g. "a ripe banana" for yellow. */
  public static List<String> colourOf(Colour c) {
    return COLOUR.get(c);
  }

  /** Things that look like this shape, e.g. "a slice of pizza" for triangle. */
  public static List<String> lookingLike(Shape s) {
    return SHAPE.get(s);
  }
}
