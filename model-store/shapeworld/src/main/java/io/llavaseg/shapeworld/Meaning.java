package io.llavaseg.shapeworld;

/**
 * What a query asks, apart from its wording: the act and the object (or group) it refers to. The
 * query writer fills it in while it writes the template wording (drawing nothing more from the
 * sample's random stream), and {@link Paraphraser} words it again for the other {@link Language}s.
 */
record Meaning(Act act, Ref ref) {

  /** What the user wants done. */
  enum Act {
    /** Find or segment the referent (targeted kinds, absent and ambiguous). */
    SEGMENT,
    /** Count the objects the referent describes (its colour or shape; neither: all). */
    COUNT,
    /** Name the referent's colour. */
    COLOUR_OF,
    /** Say whether the referent is in the image. */
    EXISTS,
    /** Describe the image. */
    DESCRIBE
  }

  /**
   * A referring expression: every field is optional (null / false). {@code only}: "the only red
   * shape"; {@code notColour}/{@code notShape}: "the star that is not blue"; {@code colourLike} /
   * {@code shapeLike}: world-knowledge phrases ("a lemon", "a coin"); {@code relation} with
   * {@code anchor}: "the circle left of the pink heart"; {@code superlative}: "the biggest red shape".
   */
  record Ref(Colour colour, Shape shape, Size size, Location location, boolean only, Colour notColour,
      Shape notShape, String colourLike, String shapeLike, Relation relation, Ref anchor, Superlative superlative) {

    static final Ref ANY = new Ref(null, null, null, null, false, null, null, null, null, null, null, null);

    static Ref of(Colour c, Shape s) {
      return ANY.withColour(c).withShape(s);
    }

    Ref withColour(Colour c) {
      return new Ref(c, shape, size, location, only, notColour, notShape, colourLike, shapeLike, relation, anchor, superlative);
    }

    Ref withShape(Shape s) {
      return new Ref(colour, s, size, location, only, notColour, notShape, colourLike, shapeLike, relation, anchor, superlative);
    }

    Ref withSize(Size z) {
      return new Ref(colour, shape, z, location, only, notColour, notShape, colourLike, shapeLike, relation, anchor, superlative);
    }

    Ref at(Location l) {
      return new Ref(colour, shape, size, l, only, notColour, notShape, colourLike, shapeLike, relation, anchor, superlative);
    }

    Ref onlyOne() {
      return new Ref(colour, shape, size, location, true, notColour, notShape, colourLike, shapeLike, relation, anchor, superlative);
    }

    Ref notColour(Colour c) {
      return new Ref(colour, shape, size, location, only, c, notShape, colourLike, shapeLike, relation, anchor, superlative);
    }

    Ref notShape(Shape s) {
      return new Ref(colour, shape, size, location, only, notColour, s, colourLike, shapeLike, relation, anchor, superlative);
    }

    Ref colourLike(String thing) {
      return new Ref(colour, shape, size, location, only, notColour, notShape, thing, shapeLike, relation, anchor, superlative);
    }

    Ref shapeLike(String thing) {
      return new Ref(colour, shape, size, location, only, notColour, notShape, colourLike, thing, relation, anchor, superlative);
    }

    Ref related(Relation r, Ref a) {
      return new Ref(colour, shape, size, location, only, notColour, notShape, colourLike, shapeLike, r, a, superlative);
    }

    Ref most(Superlative s) {
      return new Ref(colour, shape, size, location, only, notColour, notShape, colourLike, shapeLike, relation, anchor, s);
    }
  }

  static Meaning segment(Ref ref) {
    return new Meaning(Act.SEGMENT, ref);
  }
}
