package io.llavaseg.shapeworld;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The paraphrase grammar's words and sentence frames, each list split into a training part
 * ({@link Language#PARAPHRASE}) and a held-out part ({@link Language#HELD_OUT}) that never share an
 * entry. Held-out entries are built from words the training grammar (or the world's own words)
 * uses, in combinations and orders it never produces, so that a word-level model trained on
 * PARAPHRASE can in principle read them; docs/language.md lists the few held-out words that are
 * new and what is expected to fail.
 *
 * <p>Frames: {@code {np}} is a definite noun phrase ("the red star"), {@code {a}} the same with an
 * indefinite article, {@code {Np}} capitalised; {@code {c}} a colour word; {@code {n}} a plural noun.
 */
final class Lexicon {
  /** One list of entries for training and one held out. */
  record Split(List<String> train, List<String> heldOut) {
    List<String> of(Language l) {
      return l == Language.HELD_OUT ? heldOut : train;
    }

    List<String> all() {
      List<String> out = new ArrayList<>(train);
      out.addAll(heldOut);
      return out;
    }
  }

  private static Split s(List<String> train, List<String> heldOut) {
    return new Split(train, heldOut);
  }

  static final Map<Shape, Split> SHAPES = new EnumMap<>(Shape.class);
  static final Map<Colour, Split> COLOURS = new EnumMap<>(Colour.class);
  static final Map<Size, Split> SIZES = new EnumMap<>(Size.class);
  static final Map<Location, Split> LOCATIONS = new EnumMap<>(Location.class);
  static final Map<Relation, Split> RELATIONS = new EnumMap<>(Relation.class);
  /** Superlatives before the noun ("the biggest red shape"). */
  static final Map<Superlative, Split> SUPERLATIVES = new EnumMap<>(Superlative.class);
  /** Superlatives and comparatives after the noun ("the red shape bigger than all the others"). */
  static final Map<Superlative, Split> SUPERLATIVE_CLAUSES = new EnumMap<>(Superlative.class);

  static {
    SHAPES.put(Shape.CIRCLE, s(List.of("circle", "disc", "round shape"), List.of("round object")));
    SHAPES.put(Shape.SQUARE, s(List.of("square", "box"), List.of("box shape")));
    SHAPES.put(Shape.TRIANGLE, s(List.of("triangle", "three-sided shape"), List.of("three-sided object")));
    SHAPES.put(Shape.STAR, s(List.of("star", "five-pointed star"), List.of("five-pointed shape")));
    SHAPES.put(Shape.HEXAGON, s(List.of("hexagon", "six-sided shape"), List.of("six-sided object")));
    SHAPES.put(Shape.HEART, s(List.of("heart", "love heart"), List.of("love shape")));
    SHAPES.put(Shape.CROSS, s(List.of("cross", "plus shape"), List.of("plus sign shape")));
    SHAPES.put(Shape.DIAMOND, s(List.of("diamond", "rhombus"), List.of("rhombus shape")));

    COLOURS.put(Colour.RED, s(List.of("red", "scarlet"), List.of("blood red", "tomato red")));
    COLOURS.put(Colour.ORANGE, s(List.of("orange"), List.of("pumpkin orange", "carrot orange")));
    COLOURS.put(Colour.YELLOW, s(List.of("yellow", "golden"), List.of("lemon yellow", "banana yellow")));
    COLOURS.put(Colour.GREEN, s(List.of("green"), List.of("grass green", "leaf green")));
    COLOURS.put(Colour.BLUE, s(List.of("blue"), List.of("sky blue", "sea blue")));
    COLOURS.put(Colour.PURPLE, s(List.of("purple", "violet"), List.of("grape purple")));
    COLOURS.put(Colour.PINK, s(List.of("pink", "rosy"), List.of("flamingo pink", "bubblegum pink")));
    COLOURS.put(Colour.BROWN, s(List.of("brown"), List.of("chocolate brown", "coffee brown")));
    COLOURS.put(Colour.BLACK, s(List.of("black", "jet black"), List.of("coal black")));
    COLOURS.put(Colour.WHITE, s(List.of("white", "snowy"), List.of("snow white", "milk white")));
    COLOURS.put(Colour.GRAY, s(List.of("gray", "grey", "silver"), List.of("ash gray", "elephant grey")));

    SIZES.put(Size.SMALL, s(List.of("small", "tiny", "little"), List.of("very small", "little tiny")));
    SIZES.put(Size.MEDIUM, s(List.of("medium", "medium-sized", "mid-sized"), List.of("middle-sized")));
    SIZES.put(Size.LARGE, s(List.of("large", "big", "huge"), List.of("very large", "big huge")));

    for (Location l : Location.values()) {
      String w = l.words();
      List<String> train = new ArrayList<>();
      List<String> held = new ArrayList<>();
      switch (l) {
        case CENTER -> {
          train.addAll(List.of("in the center", "in the middle of the image", "at the centre of the picture"));
          held.addAll(List.of("right in the middle", "in the center of the image"));
        }
        case LEFT, RIGHT -> {
          train.addAll(List.of("on the " + w, "on the " + w + " side of the image", "towards the " + w));
          held.addAll(List.of("over on the " + w, "on the " + w + " of the picture"));
        }
        case TOP, BOTTOM -> {
          train.addAll(List.of("at the " + w, "near the " + w + " of the image", "along the " + w + " edge"));
          held.addAll(List.of("up at the " + w.replace("bottom", "lower") .replace("top", "upper") + " edge",
              "at the " + w + " of the picture"));
        }
        default -> {
          String v = l.row() == 0 ? "top" : "bottom";
          String vs = l.row() == 0 ? "upper" : "lower";
          String h = l.column() == 0 ? "left" : "right";
          train.addAll(List.of("at the " + v + " " + h, "in the " + v + "-" + h + " corner", "towards the " + vs + " " + h));
          held.addAll(List.of("in the " + h + " " + v + " corner", "in the corner at the " + v + " " + h));
        }
      }
      LOCATIONS.put(l, s(train, held));
    }

    RELATIONS.put(Relation.LEFT_OF, s(List.of("left of", "to the left of", "on the left of"), List.of("on the left side of")));
    RELATIONS.put(Relation.RIGHT_OF, s(List.of("right of", "to the right of", "on the right of"), List.of("on the right side of")));
    RELATIONS.put(Relation.ABOVE, s(List.of("above", "over", "on top of"), List.of("higher up than")));
    RELATIONS.put(Relation.BELOW, s(List.of("below", "under", "underneath"), List.of("lower down than")));
    RELATIONS.put(Relation.NEXT_TO, s(List.of("next to", "beside", "near"), List.of("closest to", "right beside")));

    SUPERLATIVES.put(Superlative.LARGEST, s(List.of("largest", "biggest"), List.of("most huge")));
    SUPERLATIVES.put(Superlative.SMALLEST, s(List.of("smallest", "tiniest"), List.of("most tiny")));
    SUPERLATIVES.put(Superlative.LEFTMOST, s(List.of("leftmost", "left-most"), List.of("farthest-left")));
    SUPERLATIVES.put(Superlative.RIGHTMOST, s(List.of("rightmost", "right-most"), List.of("farthest-right")));
    SUPERLATIVES.put(Superlative.TOPMOST, s(List.of("topmost", "highest", "uppermost"), List.of("top-most")));
    SUPERLATIVES.put(Superlative.BOTTOMMOST, s(List.of("bottommost", "lowest"), List.of("bottom-most", "lowermost")));
    SUPERLATIVE_CLAUSES.put(Superlative.LARGEST,
        s(List.of("bigger than all the others", "that is the largest"), List.of("larger than every other one")));
    SUPERLATIVE_CLAUSES.put(Superlative.SMALLEST,
        s(List.of("smaller than all the others", "that is the smallest"), List.of("tinier than every other one")));
    SUPERLATIVE_CLAUSES.put(Superlative.LEFTMOST,
        s(List.of("furthest to the left", "that is furthest left"), List.of("closest to the left edge")));
    SUPERLATIVE_CLAUSES.put(Superlative.RIGHTMOST,
        s(List.of("furthest to the right", "that is furthest right"), List.of("closest to the right edge")));
    SUPERLATIVE_CLAUSES.put(Superlative.TOPMOST,
        s(List.of("nearest the top", "higher than all the others"), List.of("closest to the top edge")));
    SUPERLATIVE_CLAUSES.put(Superlative.BOTTOMMOST,
        s(List.of("nearest the bottom", "lower than all the others"), List.of("closest to the bottom edge")));
  }

  /** Nouns for a referent without a shape. */
  static final Split GENERIC = s(List.of("shape", "object"), List.of("one"));

  /** "the star that is not blue" ({@code {c}}: the colour it is not). */
  static final Split NOT_COLOUR = s(List.of("that is not {c}", "which isn't {c}"), List.of("with a colour other than {c}"));
  /** "the red shape that is not a circle" ({@code {a}}: the shape it is not, with its article). */
  static final Split NOT_SHAPE = s(List.of("that is not {a}", "which isn't {a}"), List.of("other than {np}"));
  /** "the shape with the colour of a lemon" ({@code {k}}: the thing). */
  static final Split COLOUR_LIKE = s(List.of("with the colour of {k}", "coloured like {k}", "that matches the color of {k}"),
      List.of("the same colour as {k}", "as coloured as {k}"));
  /** "the shape that looks like a coin". */
  static final Split SHAPE_LIKE = s(List.of("that looks like {k}", "resembling {k}", "shaped like {k}"),
      List.of("with the look of {k}", "that is like {k} in shape"));
  /** "the only red shape" / "the red shape, the only one". */
  static final Split ONLY = s(List.of("the only {x}", "the one and only {x}"), List.of("the {x}, the only one there is"));

  /** Frames that ask for the referent to be found or segmented (targeted kinds, absent, ambiguous). */
  static final Split SEGMENT = s(List.of(
      "Could you show me {np}?",
      "I'm looking for {np}.",
      "Please find {np} for me.",
      "Where can I find {np}?",
      "Highlight {np}.",
      "Mark {np}, please.",
      "Can you point out {np}?",
      "Would you segment {np}, please?",
      "Select {np}.",
      "There is {a} in the picture. Segment it.",
      "Look at the picture. Where is {np}?",
      "{Np}: where is it?",
      "{Np}, can you find it?",
      "I want {np}. Please mark it."),
      List.of(
      "Please show me where {np} is.",
      "Find me {np}, please.",
      "In the picture, can you mark {np}?",
      "{Np} is somewhere in the image. Highlight it.",
      "Where in the picture is {np}?",
      "Mark where {np} is, please.",
      "Look for {np} in the image, please."));
  /** Short noun-phrase frames (not a sentence). */
  static final Split PHRASE = s(List.of("{np}", "just {np}"), List.of("{np} please", "{np} in the image"));

  /** Counting: {@code {n}} is a plural noun phrase ("red shapes", "circles"). */
  static final Split COUNT = s(List.of(
      "How many {n} do you see?",
      "What is the number of {n}?",
      "Could you count the {n}?",
      "Tell me how many {n} there are.",
      "Look at the picture. How many {n} are in it?"),
      List.of("Count how many {n} there are.", "What number of {n} can you see?", "How many {n} are in the picture?"));
  /** The colour of a shape ({@code {np}}). */
  static final Split COLOUR_OF = s(List.of(
      "Which colour does {np} have?",
      "Tell me the colour of {np}.",
      "{Np}: what colour is it?",
      "Could you tell me what color {np} is?"),
      List.of("What colour would you say {np} is?", "{Np} is which colour?", "Please tell me the color of {np}."));
  /** Existence ({@code {a}}: the indefinite noun phrase). */
  static final Split EXISTS = s(List.of(
      "Is there any {x}?",
      "Do you see {a}?",
      "Does the picture contain {a}?",
      "Is {a} in the picture?",
      "Look at the image. Is there {a}?"),
      List.of("Can {a} be seen in the image?", "In the image, is there {a}?", "Tell me if there is {a}."));
  /** Describe the image. */
  static final Split DESCRIBE = s(List.of(
      "What shapes are in the picture?",
      "Tell me what you see.",
      "Could you describe this picture?",
      "Look at the image. What is in it?"),
      List.of("Please describe what is in the image.", "What can you see in this picture?", "Tell me about the shapes in the image."));

  /** Every split of the grammar, for the tests. */
  static List<Split> all() {
    List<Split> out = new ArrayList<>();
    out.addAll(SHAPES.values());
    out.addAll(COLOURS.values());
    out.addAll(SIZES.values());
    out.addAll(LOCATIONS.values());
    out.addAll(RELATIONS.values());
    out.addAll(SUPERLATIVES.values());
    out.addAll(SUPERLATIVE_CLAUSES.values());
    out.addAll(List.of(GENERIC, NOT_COLOUR, NOT_SHAPE, COLOUR_LIKE, SHAPE_LIKE, ONLY, SEGMENT, PHRASE, COUNT, COLOUR_OF,
        EXISTS, DESCRIBE));
    return out;
  }

  /**
   * The texts of {@code l}'s part of every split, placeholders removed, with the words {@link
   * Paraphraser} puts around them: plurals of the shape and generic nouns (counting questions), the
   * colour-after-noun forms, "and" (joined clauses), "the" and the articles.
   */
  static List<String> texts(Language l) {
    List<String> out = new ArrayList<>();
    for (Split s : all()) {
      for (String e : s.of(l)) {
        out.add(e.replaceAll("\\{\\w+\\}", " "));
      }
    }
    List<Split> nouns = new ArrayList<>(SHAPES.values());
    nouns.add(GENERIC);
    for (Split s : nouns) {
      for (String e : s.of(l)) {
        out.add(Paraphraser.plural(e));
      }
    }
    out.add("that is in coloured and the a an");
    return out;
  }

  /** See {@link Language#frameWords()}. */
  static java.util.Set<String> frameWords() {
    List<Split> frames = List.of(SEGMENT, PHRASE, COUNT, COLOUR_OF, EXISTS, DESCRIBE);
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (Split s : frames) {
      for (String e : s.train()) {
        out.addAll(words(e.replaceAll("\\{\\w+\\}", " ")));
      }
    }
    for (Split s : all()) {
      if (!frames.contains(s)) {
        for (String e : s.train()) {
          out.removeAll(words(e.replaceAll("\\{\\w+\\}", " ")));
        }
      }
    }
    return java.util.Collections.unmodifiableSet(out);
  }

  private static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("[\\p{L}\\p{N}']+").matcher(text);
    while (m.find()) {
      out.add(m.group().toLowerCase(java.util.Locale.ROOT));
    }
    return out;
  }

  private Lexicon() {}
}
