package io.llavaseg.shapeworld;

import static io.llavaseg.shapeworld.Words.pick;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Writes one query of a given kind about a scene, with its canonical answer and target, or nothing
 * when the scene cannot carry that kind (e.g. no object fits a relation clearly); the caller then
 * draws another scene. Wording is drawn from several templates and synonyms per kind; answers are
 * canonical (one form per situation) so that they can be matched exactly.
 */
final class QueryWriter {
  private final SplittableRandom rng;
  private final List<SceneObject> objs;
  private final double minSide;

  QueryWriter(SplittableRandom rng, Scene scene) {
    this.rng = rng;
    this.objs = scene.objects();
    this.minSide = Math.min(scene.width(), scene.height());
  }

  Optional<Query> write(QueryKind kind) {
    return switch (kind) {
      case PHRASE -> phrase();
      case QUESTION -> question();
      case REASONING -> reasoning();
      case KNOWLEDGE -> knowledge();
      case RELATIONAL -> relational();
      case SUPERLATIVE -> superlative();
      case DIALOGUE -> dialogue();
      case ABSENT -> absent();
      case AMBIGUOUS -> ambiguous();
    };
  }

  // ---- targeted kinds -------------------------------------------------------------------------

  /** A wording with its meaning. */
  private record Opt(String text, Meaning.Ref ref) {}

  private Optional<Query> phrase() {
    int t = rng.nextInt(objs.size());
    return identify(t)
        .map(p -> new Query(rng.nextInt(10) < 7 ? "the " + p.text() : p.text(), false, Words.itIs(objs.get(t)), t,
            Meaning.segment(p.ref())));
  }

  private Optional<Query> question() {
    int t = rng.nextInt(objs.size());
    return identify(t)
        .map(
            p -> {
              String text =
                  String.format(
                      pick(
                          rng,
                          "What is the %s in this image?",
                          "Where is the %s?",
                          "Can you segment the %s?",
                          "Can you find the %s in this picture?",
                          "Please segment the %s.",
                          "Show me the %s.",
                          "Which object is the %s?"),
                      p.text());
              return new Query(text, true, Words.itIs(objs.get(t)), t, Meaning.segment(p.ref()));
            });
  }

  /** A noun phrase (no article) that picks out object {@code t} alone, or empty when none does. */
  private Optional<Opt> identify(int t) {
    SceneObject o = objs.get(t);
    String c = Words.colour(rng, o.colour());
    String s = o.shape().word();
    String sz = o.size().word();
    String loc = Words.where(rng, o.location());
    Meaning.Ref cs = Meaning.Ref.of(o.colour(), o.shape());
    List<Opt> options = new ArrayList<>();
    if (unique(x -> x.colour() == o.colour() && x.shape() == o.shape())) {
      options.add(new Opt(c + " " + s, cs));
      options.add(new Opt(c + " " + s, cs));
      options.add(new Opt(sz + " " + c + " " + s, cs.withSize(o.size())));
      options.add(new Opt(c + " " + s + " " + loc, cs.at(o.location())));
    } else {
      if (unique(x -> x.colour() == o.colour() && x.shape() == o.shape() && x.size() == o.size())) {
        options.add(new Opt(sz + " " + c + " " + s, cs.withSize(o.size())));
      }
      if (unique(x -> x.colour() == o.colour() && x.shape() == o.shape() && x.location() == o.location())) {
        options.add(new Opt(c + " " + s + " " + loc, cs.at(o.location())));
      }
    }
    if (unique(x -> x.shape() == o.shape())) {
      options.add(new Opt(s, Meaning.Ref.ANY.withShape(o.shape())));
    }
    if (unique(x -> x.colour() == o.colour() && x.shape() == o.shape() && x.size() == o.size()
        && x.location() == o.location())) {
      options.add(new Opt(sz + " " + c + " " + s + " " + loc, cs.withSize(o.size()).at(o.location())));
    }
    return options.isEmpty() ? Optional.empty() : Optional.of(pick(rng, options));
  }

  private Optional<Query> reasoning() {
    int t = rng.nextInt(objs.size());
    SceneObject o = objs.get(t);
    String c = Words.colour(rng, o.colour());
    String s = o.shape().word();
    Meaning.Ref any = Meaning.Ref.ANY;
    List<Opt> options = new ArrayList<>();
    if (unique(x -> x.colour() == o.colour())) {
      options.add(new Opt(pick(rng, "Which shape is %s? Please segment it.", "Find the only %s shape.",
          "I need the one %s object in the picture.").formatted(c), any.withColour(o.colour()).onlyOne()));
    }
    if (unique(x -> x.shape() == o.shape())) {
      options.add(new Opt(pick(rng, "Find the only " + s + " in the picture.",
          "Which object is " + Words.article(s) + " " + s + "? Please segment it."), any.withShape(o.shape()).onlyOne()));
    }
    if (unique(x -> x.size() == o.size())) {
      options.add(new Opt(pick(rng, "Which shape is the only %s one? Please segment it.",
          "Segment the only %s object.").formatted(o.size().word()), any.withSize(o.size()).onlyOne()));
    }
    List<SceneObject> sameShape = others(t, x -> x.shape() == o.shape());
    if (!sameShape.isEmpty()) {
      Colour other = sameShape.get(0).colour();
      if (other != o.colour() && sameShape.stream().allMatch(x -> x.colour() == other)) {
        options.add(new Opt(pick(rng, "Find the %s that is not %s.", "Which %s is not %s? Please segment it.")
            .formatted(s, Words.colour(rng, other)), any.withShape(o.shape()).notColour(other)));
      }
      if (unique(x -> x.shape() == o.shape() && x.location() == o.location())) {
        options.add(new Opt("Which %s is %s? Please segment it.".formatted(s, Words.where(rng, o.location())),
            any.withShape(o.shape()).at(o.location())));
      }
    }
    List<SceneObject> sameColour = others(t, x -> x.colour() == o.colour());
    if (!sameColour.isEmpty()) {
      Shape other = sameColour.get(0).shape();
      if (other != o.shape() && sameColour.stream().allMatch(x -> x.shape() == other)) {
        options.add(new Opt("Find the %s shape that is not %s %s.".formatted(c, Words.article(other.word()), other.word()),
            any.withColour(o.colour()).notShape(other)));
      }
    }
    if (!sameShape.isEmpty() && !sameColour.isEmpty()
        && unique(x -> x.colour() == o.colour() && x.shape() == o.shape())) {
      options.add(new Opt("Find the shape that is both %s and %s %s.".formatted(c, Words.article(s), s),
          Meaning.Ref.of(o.colour(), o.shape())));
    }
    if (options.isEmpty()) {
      return Optional.empty();
    }
    Opt chosen = pick(rng, options);
    return Optional.of(new Query(chosen.text(), true, Words.itIs(o), t, Meaning.segment(chosen.ref())));
  }

  private Optional<Query> knowledge() {
    int t = rng.nextInt(objs.size());
    SceneObject o = objs.get(t);
    String kc = pick(rng, Knowledge.colourOf(o.colour()));
    String ks = pick(rng, Knowledge.lookingLike(o.shape()));
    String noun = Words.colourNoun(rng);
    String name = "The " + o.colour().word() + " " + o.shape().word();
    String hasColour = name + " has the colour of " + kc + ".";
    String looksLike = name + " looks like " + ks + ".";
    Meaning.Ref any = Meaning.Ref.ANY;
    List<String[]> options = new ArrayList<>(); // {text, answer}
    List<Meaning.Ref> refs = new ArrayList<>();
    if (unique(x -> x.colour() == o.colour())) {
      options.add(new String[] {pick(rng, "Which shape has the %s of %s? Please segment it.",
          "Find the shape that is the %s of %s.", "I need the object that has the same %s as %s.")
          .formatted(noun, kc), hasColour});
      refs.add(any.colourLike(kc));
    }
    if (unique(x -> x.shape() == o.shape())) {
      options.add(new String[] {pick(rng, "I need the object that looks like %s.",
          "Which shape looks like %s? Please segment it.", "Segment the shape that looks like %s.")
          .formatted(ks), looksLike});
      refs.add(any.shapeLike(ks));
    }
    if (unique(x -> x.colour() == o.colour() && x.shape() == o.shape())) {
      String c = Words.colour(rng, o.colour());
      String s = o.shape().word();
      options.add(new String[] {"Find the %s that has the %s of %s.".formatted(s, noun, kc), hasColour});
      refs.add(any.withShape(o.shape()).colourLike(kc));
      options.add(new String[] {"Which %s shape looks like %s? Please segment it.".formatted(c, ks), looksLike});
      refs.add(any.withColour(o.colour()).shapeLike(ks));
      options.add(new String[] {"I need the shape that looks like %s and has the %s of %s.".formatted(ks, noun, kc),
          name + " looks like " + ks + " and has the colour of " + kc + "."});
      refs.add(any.shapeLike(ks).colourLike(kc));
    }
    if (options.isEmpty()) {
      return Optional.empty();
    }
    int i = rng.nextInt(options.size());
    String[] chosen = options.get(i);
    return Optional.of(new Query(chosen[0], true, chosen[1], t, Meaning.segment(refs.get(i))));
  }

  private Optional<Query> relational() {
    int a = rng.nextInt(objs.size());
    SceneObject anchor = objs.get(a);
    String anchorName;
    Meaning.Ref anchorRef;
    if (unique(x -> x.colour() == anchor.colour() && x.shape() == anchor.shape())) {
      anchorName = "the " + Words.colour(rng, anchor.colour()) + " " + anchor.shape().word();
      anchorRef = Meaning.Ref.of(anchor.colour(), anchor.shape());
    } else if (unique(x -> x.shape() == anchor.shape())) {
      anchorName = "the " + anchor.shape().word();
      anchorRef = Meaning.Ref.ANY.withShape(anchor.shape());
    } else {
      return Optional.empty();
    }
    Relation rel = Relation.values()[rng.nextInt(Relation.values().length)];
    List<int[]> fits = new ArrayList<>(); // {target, filter 0 any / 1 shape / 2 colour}
    for (int t = 0; t < objs.size(); t++) {
      if (t == a) {
        continue;
      }
      SceneObject o = objs.get(t);
      List<Predicate<SceneObject>> filters =
          List.of(x -> true, x -> x.shape() == o.shape(), x -> x.colour() == o.colour());
      for (int f = 0; f < 3; f++) {
        if (clearlyFits(rel, a, t, filters.get(f))) {
          fits.add(new int[] {t, f});
        }
      }
    }
    if (fits.isEmpty()) {
      return Optional.empty();
    }
    int[] fit = pick(rng, fits);
    SceneObject o = objs.get(fit[0]);
    String what = switch (fit[1]) {
      case 0 -> pick(rng, "shape", "object");
      case 1 -> o.shape().word();
      default -> Words.colour(rng, o.colour()) + " shape";
    };
    String relWords = switch (rel) {
      case LEFT_OF -> pick(rng, "left of", "to the left of", "just left of");
      case RIGHT_OF -> pick(rng, "right of", "to the right of", "just right of");
      case ABOVE -> pick(rng, "above", "just above");
      case BELOW -> pick(rng, "below", "just below");
      case NEXT_TO -> pick(rng, "next to", "right next to");
    };
    String p = what + " " + relWords + " " + anchorName;
    String question = "Which " + what + " is " + relWords + " " + anchorName + "? Please segment it.";
    Meaning.Ref ref = switch (fit[1]) {
      case 0 -> Meaning.Ref.ANY;
      case 1 -> Meaning.Ref.ANY.withShape(o.shape());
      default -> Meaning.Ref.ANY.withColour(o.colour());
    };
    return Optional.of(sentenceOrPhrase(p, question, Words.itIs(o), fit[0], ref.related(rel, anchorRef)));
  }

  /** Whether {@code t} is the one object among those passing {@code filter} that fits the relation to {@code a}. */
  private boolean clearlyFits(Relation rel, int a, int t, Predicate<SceneObject> filter) {
    SceneObject anchor = objs.get(a);
    List<Integer> group = new ArrayList<>();
    for (int i = 0; i < objs.size(); i++) {
      if (i != a && filter.test(objs.get(i))) {
        group.add(i);
      }
    }
    if (rel == Relation.NEXT_TO) {
      double d1 = dist(anchor, objs.get(t));
      if (d1 > 0.5 * minSide) {
        return false;
      }
      for (int i : group) {
        if (i != t && dist(anchor, objs.get(i)) * 0.7 < d1) {
          return false;
        }
      }
      return true;
    }
    if (!inZone(rel, anchor, objs.get(t), true)) {
      return false;
    }
    for (int i : group) {
      if (i != t && inZone(rel, anchor, objs.get(i), false)) {
        return false;
      }
    }
    return true;
  }

  private static boolean inZone(Relation rel, SceneObject anchor, SceneObject o, boolean strict) {
    double dx = o.cx() - anchor.cx();
    double dy = o.cy() - anchor.cy();
    double along = switch (rel) {
      case LEFT_OF -> -dx;
      case RIGHT_OF -> dx;
      case ABOVE -> -dy;
      default -> dy;
    };
    double across = rel == Relation.LEFT_OF || rel == Relation.RIGHT_OF ? Math.abs(dy) : Math.abs(dx);
    if (strict) {
      return along >= 0.3 * (anchor.extent() + o.extent()) && across <= 0.75 * along;
    }
    return along > 0 && across < 1.5 * along;
  }

  private static double dist(SceneObject a, SceneObject b) {
    return Math.hypot(a.cx() - b.cx(), a.cy() - b.cy());
  }

  private Optional<Query> superlative() {
    for (int attempt = 0; attempt < 8; attempt++) {
      Superlative sup = Superlative.values()[rng.nextInt(Superlative.values().length)];
      int filter = rng.nextInt(4); // any, shape, colour, colour by world knowledge
      SceneObject key = objs.get(rng.nextInt(objs.size()));
      Predicate<SceneObject> in = switch (filter) {
        case 0 -> x -> true;
        case 1 -> x -> x.shape() == key.shape();
        default -> x -> x.colour() == key.colour();
      };
      List<SceneObject> group = objs.stream().filter(in).toList();
      if (group.size() < 2) {
        continue;
      }
      Comparator<SceneObject> order = switch (sup) {
        case LARGEST -> Comparator.comparingDouble(x -> -x.extent());
        case SMALLEST -> Comparator.comparingDouble(SceneObject::extent);
        case LEFTMOST -> Comparator.comparingDouble(SceneObject::cx);
        case RIGHTMOST -> Comparator.comparingDouble(x -> -x.cx());
        case TOPMOST -> Comparator.comparingDouble(SceneObject::cy);
        case BOTTOMMOST -> Comparator.comparingDouble(x -> -x.cy());
      };
      List<SceneObject> sorted = group.stream().sorted(order).toList();
      SceneObject best = sorted.get(0);
      SceneObject second = sorted.get(1);
      boolean clear = switch (sup) {
        case LARGEST, SMALLEST -> best.size() != second.size()
            && Math.max(best.extent(), second.extent()) >= 1.25 * Math.min(best.extent(), second.extent());
        case LEFTMOST, RIGHTMOST -> Math.abs(best.cx() - second.cx()) >= 0.12 * minSide;
        default -> Math.abs(best.cy() - second.cy()) >= 0.12 * minSide;
      };
      if (!clear) {
        continue;
      }
      String word = switch (sup) {
        case LARGEST -> pick(rng, "largest", "biggest");
        case SMALLEST -> "smallest";
        case LEFTMOST -> "leftmost";
        case RIGHTMOST -> "rightmost";
        case TOPMOST -> pick(rng, "topmost", "highest");
        case BOTTOMMOST -> pick(rng, "bottommost", "lowest");
      };
      int t = objs.indexOf(best);
      String answer = Words.itIs(best);
      Meaning.Ref ref = Meaning.Ref.ANY.most(sup);
      String p;
      switch (filter) {
        case 0 -> p = word + " " + pick(rng, "shape", "object");
        case 1 -> {
          p = word + " " + key.shape().word();
          ref = ref.withShape(key.shape());
        }
        case 2 -> {
          p = word + " " + Words.colour(rng, key.colour()) + " shape";
          ref = ref.withColour(key.colour());
        }
        default -> {
          String noun = Words.colourNoun(rng);
          String thing = pick(rng, Knowledge.colourOf(key.colour()));
          p = word + " shape that is the " + noun + " of " + thing;
          ref = ref.colourLike(thing);
        }
      }
      return Optional.of(sentenceOrPhrase(p, "Which is the " + p + "? Please segment it.", answer, t, ref));
    }
    return Optional.empty();
  }

  private Query sentenceOrPhrase(String phrase, String question, String answer, int t, Meaning.Ref ref) {
    Meaning m = Meaning.segment(ref);
    return switch (rng.nextInt(4)) {
      case 0 -> new Query("the " + phrase, false, answer, t, m);
      case 1 -> new Query(question, true, answer, t, m);
      case 2 -> new Query("Find the " + phrase + ".", true, answer, t, m);
      default -> new Query(pick(rng, "Segment the ", "I need the ") + phrase + ".", true, answer, t, m);
    };
  }

  // ---- kinds without a target -----------------------------------------------------------------

  private Optional<Query> dialogue() {
    int n = objs.size();
    switch (rng.nextInt(6)) {
      case 0 -> {
        String q = pick(rng, "How many shapes are there?", "How many objects are in the image?", "Count the shapes.");
        return Optional.of(new Query(q, true, Words.thereAre(n, "shape", "shapes"), -1,
            new Meaning(Meaning.Act.COUNT, Meaning.Ref.ANY)));
      }
      case 1 -> {
        Colour c = rng.nextInt(4) == 0 ? Colour.values()[rng.nextInt(Colour.values().length)]
            : objs.get(rng.nextInt(n)).colour();
        String q = pick(rng, "How many %s shapes are there?", "How many %s objects can you see?",
            "Count the %s shapes.").formatted(Words.colour(rng, c));
        int k = count(x -> x.colour() == c);
        return Optional.of(new Query(q, true, Words.thereAre(k, c.word() + " shape", c.word() + " shapes"), -1,
            new Meaning(Meaning.Act.COUNT, Meaning.Ref.ANY.withColour(c))));
      }
      case 2 -> {
        Shape s = rng.nextInt(4) == 0 ? Shape.values()[rng.nextInt(Shape.values().length)]
            : objs.get(rng.nextInt(n)).shape();
        String q = pick(rng, "How many %s are there?", "How many %s can you see?", "Count the %s.")
            .formatted(s.plural());
        return Optional.of(new Query(q, true, Words.thereAre(count(x -> x.shape() == s), s.word(), s.plural()), -1,
            new Meaning(Meaning.Act.COUNT, Meaning.Ref.ANY.withShape(s))));
      }
      case 3 -> {
        SceneObject o = objs.get(rng.nextInt(n));
        if (!unique(x -> x.shape() == o.shape())) {
          return Optional.empty();
        }
        String s = o.shape().word();
        String q = pick(rng, "What colour is the %s?", "What color is the %s?", "Which colour is the %s?",
            "What is the colour of the %s?").formatted(s);
        return Optional.of(new Query(q, true, "The " + s + " is " + o.colour().word() + ".", -1,
            new Meaning(Meaning.Act.COLOUR_OF, Meaning.Ref.ANY.withShape(o.shape()))));
      }
      case 4 -> {
        boolean withColour = rng.nextBoolean();
        SceneObject o = objs.get(rng.nextInt(n));
        Shape s = rng.nextBoolean() ? o.shape() : Shape.values()[rng.nextInt(Shape.values().length)];
        Colour c = rng.nextBoolean() ? o.colour() : Colour.values()[rng.nextInt(Colour.values().length)];
        boolean present = withColour ? count(x -> x.shape() == s && x.colour() == c) > 0
            : count(x -> x.shape() == s) > 0;
        String said = withColour ? Words.colour(rng, c) + " " + s.word() : s.word();
        String name = withColour ? c.word() + " " + s.word() : s.word();
        String q = pick(rng, "Is there %s %s?", "Can you see %s %s?", "Is there %s %s in the image?")
            .formatted(Words.article(said), said);
        String answer = present ? "Yes, there is " + Words.article(name) + " " + name + "." : "No, there is no " + name + ".";
        return Optional.of(new Query(q, true, answer, -1,
            new Meaning(Meaning.Act.EXISTS, withColour ? Meaning.Ref.of(c, s) : Meaning.Ref.ANY.withShape(s))));
      }
      default -> {
        String q = pick(rng, "Describe the image.", "What is in this picture?", "What do you see?",
            "Describe the shapes in the image.");
        return Optional.of(new Query(q, true, describe(), -1, new Meaning(Meaning.Act.DESCRIBE, Meaning.Ref.ANY)));
      }
    }
  }

  /** "There are 3 shapes: a small red circle, a large blue star and a medium green cross." (left to right) */
  private String describe() {
    List<String> parts = objs.stream().sorted(Comparator.comparingDouble(SceneObject::cx))
        .map(o -> Words.article(o.size().word()) + " " + o.sizedName()).toList();
    String list = parts.size() == 1 ? parts.get(0)
        : String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
    return (parts.size() == 1 ? "There is 1 shape: " : "There are " + parts.size() + " shapes: ") + list + ".";
  }

  private Optional<Query> absent() {
    List<String[]> options = new ArrayList<>(); // {said, canonical}
    List<Meaning.Ref> absentRefs = new ArrayList<>();
    boolean hard = rng.nextBoolean();
    for (Colour c : Colour.values()) {
      for (Shape s : Shape.values()) {
        if (count(x -> x.colour() == c && x.shape() == s) > 0) {
          continue;
        }
        boolean bothPresent = count(x -> x.colour() == c) > 0 && count(x -> x.shape() == s) > 0;
        if (bothPresent == hard) {
          options.add(new String[] {Words.colour(rng, c) + " " + s.word(), c.word() + " " + s.word()});
          absentRefs.add(Meaning.Ref.of(c, s));
        }
      }
    }
    if (rng.nextInt(6) == 0) {
      options.clear();
      absentRefs.clear();
      for (Shape s : Shape.values()) {
        if (count(x -> x.shape() == s) == 0) {
          options.add(new String[] {s.word(), s.word()});
          absentRefs.add(Meaning.Ref.ANY.withShape(s));
        }
      }
    }
    if (options.isEmpty()) {
      return Optional.empty();
    }
    int i = rng.nextInt(options.size());
    String[] o = options.get(i);
    return Optional.of(untargeted(o[0], "There is no " + o[1] + ".", absentRefs.get(i)));
  }

  private Optional<Query> ambiguous() {
    List<String[]> options = new ArrayList<>(); // {said, answer}
    List<Meaning.Ref> refs = new ArrayList<>();
    for (SceneObject o : objs) {
      int both = count(x -> x.colour() == o.colour() && x.shape() == o.shape());
      if (both >= 2) {
        options.add(new String[] {Words.colour(rng, o.colour()) + " " + o.shape().word(),
            which(both, o.colour().word() + " " + o.shape().plural())});
        refs.add(Meaning.Ref.of(o.colour(), o.shape()));
      }
      int shapes = count(x -> x.shape() == o.shape());
      if (shapes >= 2) {
        options.add(new String[] {o.shape().word(), which(shapes, o.shape().plural())});
        refs.add(Meaning.Ref.ANY.withShape(o.shape()));
      }
      int colours = count(x -> x.colour() == o.colour());
      if (colours >= 2) {
        options.add(new String[] {Words.colour(rng, o.colour()) + " shape", which(colours, o.colour().word() + " shapes")});
        refs.add(Meaning.Ref.ANY.withColour(o.colour()));
      }
    }
    if (options.isEmpty()) {
      return Optional.empty();
    }
    int i = rng.nextInt(options.size());
    String[] o = options.get(i);
    return Optional.of(untargeted(o[0], o[1], refs.get(i)));
  }

  private static String which(int n, String plural) {
    return "There are " + n + " " + plural + "; which one do you mean?";
  }

  private Query untargeted(String said, String answer, Meaning.Ref ref) {
    Meaning m = Meaning.segment(ref);
    return switch (rng.nextInt(6)) {
      case 0 -> new Query("the " + said, false, answer, -1, m);
      case 1 -> new Query(said, false, answer, -1, m);
      case 2 -> new Query("What is the " + said + " in this image?", true, answer, -1, m);
      case 3 -> new Query("Please segment the " + said + ".", true, answer, -1, m);
      case 4 -> new Query("Find the " + said + ".", true, answer, -1, m);
      default -> new Query("Where is the " + said + "?", true, answer, -1, m);
    };
  }

  // ---- helpers --------------------------------------------------------------------------------

  private int count(Predicate<SceneObject> p) {
    int n = 0;
    for (SceneObject o : objs) {
      if (p.test(o)) {
        n++;
      }
    }
    return n;
  }

  private boolean unique(Predicate<SceneObject> p) {
    return count(p) == 1;
  }

  private List<SceneObject> others(int t, Predicate<SceneObject> p) {
    List<SceneObject> out = new ArrayList<>();
    for (int i = 0; i < objs.size(); i++) {
      if (i != t && p.test(objs.get(i))) {
        out.add(objs.get(i));
      }
    }
    return out;
  }
}
