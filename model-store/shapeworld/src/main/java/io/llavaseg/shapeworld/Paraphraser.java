package io.llavaseg.shapeworld;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Words a query's {@link Meaning} again in {@link Language#PARAPHRASE} or {@link Language#HELD_OUT}
 * from the {@link Lexicon}: a frame for the act, a noun phrase for the referent (synonyms, adjective
 * or clause order, comparatives and superlatives in several forms) and a few typos. Draws only from
 * its own random stream; answers, targets and attributes are the writer's, unchanged.
 */
final class Paraphraser {
  /** Chance that a word of 4 letters or more gets one typo (two neighbours swapped or a letter dropped). */
  static final double TYPO_RATE = 0.03;

  private final Language lang;
  private final SplittableRandom rng;

  Paraphraser(Language lang, SplittableRandom rng) {
    if (lang == Language.TEMPLATES) {
      throw new IllegalArgumentException("templates are the writer's own wording");
    }
    this.lang = lang;
    this.rng = rng;
  }

  Query reword(Query q) {
    Meaning m = q.meaning();
    Meaning.Ref r = m.ref();
    String text;
    boolean sentence = true;
    switch (m.act()) {
      case SEGMENT -> {
        String np = np(r);
        if (rng.nextInt(4) == 0) {
          text = fill(pick(Lexicon.PHRASE), np);
          sentence = false;
        } else {
          text = fill(pick(Lexicon.SEGMENT), np);
        }
      }
      case COUNT -> {
        String n = r.shape() != null ? plural(shapeWord(r.shape()))
            : (r.colour() != null ? colourWord(r.colour()) + " " : "") + plural(pick(rng, Lexicon.GENERIC.train()));
        text = pick(Lexicon.COUNT).replace("{n}", n);
      }
      case COLOUR_OF -> text = fill(pick(Lexicon.COLOUR_OF), shapeWord(r.shape()));
      case EXISTS -> text = fill(pick(Lexicon.EXISTS), (r.colour() != null ? colourWord(r.colour()) + " " : "")
          + shapeWord(r.shape()));
      default -> text = pick(Lexicon.DESCRIBE);
    }
    return q.reworded(Words.capitalise(typos(text)), sentence);
  }

  /** Fills a frame with a noun phrase {@code np} (no article). */
  private static String fill(String frame, String np) {
    String the = np.startsWith("the ") ? np : "the " + np;
    return frame.replace("{Np}", Words.capitalise(the)).replace("{np}", the)
        .replace("{a}", np.startsWith("the ") ? np : Words.article(np) + " " + np).replace("{x}", np);
  }

  /** The referent's noun phrase, without its leading article unless a frame needs one. */
  String np(Meaning.Ref r) {
    String noun = r.shape() != null ? shapeWord(r.shape()) : pick(Lexicon.GENERIC);
    List<String> pre = new ArrayList<>();
    List<String> post = new ArrayList<>();
    boolean supFirst = r.superlative() != null && rng.nextBoolean();
    if (r.superlative() != null) {
      if (supFirst) {
        pre.add(pick(Lexicon.SUPERLATIVES.get(r.superlative())));
      } else {
        post.add(pick(Lexicon.SUPERLATIVE_CLAUSES.get(r.superlative())));
      }
    }
    String size = r.size() == null ? null : pick(Lexicon.SIZES.get(r.size()));
    String colour = r.colour() == null ? null : colourWord(r.colour());
    int order = rng.nextInt(3);
    if (order == 0 && colour != null && lang == Language.PARAPHRASE) {
      // the colour after the noun: "the star that is red", "the star in red"
      if (size != null) {
        pre.add(size);
      }
      post.add(0, pick(rng, "that is " + colour, "in " + colour, "coloured " + colour));
    } else if (order == 0 && colour != null && size != null) {
      pre.add(colour); // held out: the adjectives swapped, "the red small star"
      pre.add(size);
    } else {
      if (size != null) {
        pre.add(size);
      }
      if (colour != null) {
        pre.add(colour);
      }
    }
    if (r.location() != null) {
      post.add(pick(Lexicon.LOCATIONS.get(r.location())));
    }
    if (r.notColour() != null) {
      post.add(pick(Lexicon.NOT_COLOUR).replace("{c}", colourWord(r.notColour())));
    }
    if (r.notShape() != null) {
      String s = shapeWord(r.notShape());
      post.add(pick(Lexicon.NOT_SHAPE).replace("{a}", Words.article(s) + " " + s).replace("{np}", "the " + s));
    }
    if (r.colourLike() != null) {
      post.add(pick(Lexicon.COLOUR_LIKE).replace("{k}", r.colourLike()));
    }
    if (r.shapeLike() != null) {
      post.add(pick(Lexicon.SHAPE_LIKE).replace("{k}", r.shapeLike()));
    }
    if (r.relation() != null) {
      post.add(pick(Lexicon.RELATIONS.get(r.relation())) + " the " + np(r.anchor()).replaceFirst("^the ", ""));
    }
    String core = String.join(" ", pre) + (pre.isEmpty() ? "" : " ") + noun;
    String phrase = core + (post.isEmpty() ? "" : " " + String.join(" and ", post));
    if (r.only()) {
      return pick(Lexicon.ONLY).replace("{x}", core) + (post.isEmpty() ? "" : " " + String.join(" and ", post));
    }
    return phrase;
  }

  private String shapeWord(Shape s) {
    Lexicon.Split split = Lexicon.SHAPES.get(s);
    if (lang == Language.HELD_OUT) { // a held-out synonym or the world's own word
      return rng.nextBoolean() ? pick(rng, split.heldOut()) : split.train().get(0);
    }
    return pick(rng, split.train());
  }

  private String colourWord(Colour c) {
    Lexicon.Split split = Lexicon.COLOURS.get(c);
    if (lang == Language.HELD_OUT) {
      return rng.nextBoolean() ? pick(rng, split.heldOut()) : split.train().get(0);
    }
    return pick(rng, split.train());
  }

  /**
   * An entry of the language's part of a split. Word lists of the world (shapes, colours, sizes) mix
   * the held-out entries with the training ones in HELD_OUT, as the world's own words stay; frames
   * and phrase-level entries are drawn only from the language's part.
   */
  private String pick(Lexicon.Split split) {
    if (lang == Language.HELD_OUT && split.heldOut().isEmpty()) {
      return pick(rng, split.train());
    }
    if (lang == Language.HELD_OUT && Lexicon.SIZES.containsValue(split) && rng.nextBoolean()) {
      return split.train().get(0); // the world's own size word
    }
    return pick(rng, split.of(lang));
  }

  private static String pick(SplittableRandom rng, List<String> options) {
    return options.get(rng.nextInt(options.size()));
  }

  private static String pick(SplittableRandom rng, String... options) {
    return options[rng.nextInt(options.length)];
  }

  /** "boxes", "crosses", "rhombuses", "round shapes", "five-pointed stars". */
  static String plural(String noun) {
    return noun.matches(".*(s|x|sh|ch)$") ? noun + "es" : noun + "s";
  }

  /** Typos at {@link #TYPO_RATE} per word of 4+ letters: a neighbour swap or a dropped letter, never the first letter. */
  String typos(String text) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      int j = i;
      while (j < text.length() && Character.isLetter(text.charAt(j))) {
        j++;
      }
      if (j == i) {
        out.append(text.charAt(i++));
        continue;
      }
      String w = text.substring(i, j);
      if (w.length() >= 4 && rng.nextDouble() < TYPO_RATE) {
        int k = 1 + rng.nextInt(w.length() - 2);
        w = rng.nextBoolean()
            ? w.substring(0, k) + w.charAt(k + 1) + w.charAt(k) + w.substring(k + 2)
            : w.substring(0, k) + w.substring(k + 1);
      }
      out.append(w);
      i = j;
    }
    return out.toString();
  }
}
