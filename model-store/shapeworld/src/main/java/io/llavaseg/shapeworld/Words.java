package io.llavaseg.shapeworld;

import java.util.List;
import java.util.SplittableRandom;

/** Small wording helpers shared by the query writers: synonyms, articles, location phrases. */
final class Words {
  private Words() {}

  static <T> T pick(SplittableRandom rng, List<T> options) {
    return options.get(rng.nextInt(options.size()));
  }

  @SafeVarargs
  static <T> T pick(SplittableRandom rng, T... options) {
    return options[rng.nextInt(options.length)];
  }

  /** The colour word as a user may type it: "grey" for gray about a third of the time. */
  static String colour(SplittableRandom rng, Colour c) {
    return c == Colour.GRAY && rng.nextInt(3) == 0 ? "grey" : c.word();
  }

  /** "a" or "an" for the word that follows. */
  static String article(String next) {
    return "aeiou".indexOf(Character.toLowerCase(next.charAt(0))) >= 0 ? "an" : "a";
  }

  /** "colour" or "color". */
  static String colourNoun(SplittableRandom rng) {
    return rng.nextBoolean() ? "colour" : "color";
  }

  /** The canonical location phrase used in answers: "at the top left", "on the left", "in the center". */
  static String where(Location l) {
    return switch (l) {
      case CENTER -> "in the center";
      case LEFT, RIGHT -> "on the " + l.words();
      default -> "at the " + l.words();
    };
  }

  /** A location phrase as a user may type it, with synonyms (upper/lower, centre/middle, corner). */
  static String where(SplittableRandom rng, Location l) {
    return switch (l) {
      case CENTER -> pick(rng, "in the center", "in the centre", "in the middle", "at the center");
      case LEFT, RIGHT -> pick(rng, "on the " + l.words(), "on the " + l.words() + " side", "at the " + l.words());
      case TOP -> pick(rng, "at the top", "near the top", "at the upper edge");
      case BOTTOM -> pick(rng, "at the bottom", "near the bottom", "at the lower edge");
      default -> {
        String v = l.row() == 0 ? "top" : "bottom";
        String vs = l.row() == 0 ? "upper" : "lower";
        String h = l.column() == 0 ? "left" : "right";
        yield pick(
            rng,
            "at the " + v + " " + h,
            "in the " + v + " " + h + " corner",
            "in the " + vs + " " + h,
            "at the " + vs + " " + h + " corner");
      }
    };
  }

  /** "It is the small yellow heart at the top left." */
  static String itIs(SceneObject o) {
    return "It is the " + o.sizedName() + " " + where(o.location()) + ".";
  }

  /** "1 red star" / "2 red stars" / "no red stars". */
  static String count(int n, String singular, String plural) {
    return n == 0 ? "no " + plural : n + " " + (n == 1 ? singular : plural);
  }

  /** "There is 1 red shape." / "There are 2 red shapes." / "There are no red shapes." */
  static String thereAre(int n, String singular, String plural) {
    return (n == 1 ? "There is " : "There are ") + count(n, singular, plural) + ".";
  }

  static String capitalise(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
