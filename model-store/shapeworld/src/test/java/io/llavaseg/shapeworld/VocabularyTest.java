package io.llavaseg.shapeworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Over a few thousand samples, every word of docs/shapeworld.md and every query kind shows up. */
class VocabularyTest {
  private static final int N = 3000;
  private static final List<Sample> SAMPLES = new ArrayList<>();
  private static String queries;
  private static String attributes;
  private static String answers;

  @BeforeAll
  static void generate() {
    ShapeWorld w = new ShapeWorld(20_261_127L);
    StringBuilder q = new StringBuilder();
    StringBuilder a = new StringBuilder();
    StringBuilder ans = new StringBuilder();
    for (int i = 0; i < N; i++) {
      Sample s = w.sample(i);
      SAMPLES.add(s);
      q.append(s.query().toLowerCase()).append('\n');
      a.append(s.attributes()).append('\n');
      ans.append(s.answer()).append('\n');
    }
    queries = q.toString();
    attributes = a.toString();
    answers = ans.toString();
  }

  private static void assertAllIn(String haystack, Iterable<String> words, String where) {
    Set<String> absent = new TreeSet<>();
    for (String w : words) {
      if (!haystack.contains(w)) {
        absent.add(w);
      }
    }
    assertTrue(absent.isEmpty(), "never in " + where + ": " + absent);
  }

  @Test
  void everyQueryKindIsDrawn() {
    Map<QueryKind, Integer> n = new EnumMap<>(QueryKind.class);
    SAMPLES.forEach(s -> n.merge(s.kind(), 1, Integer::sum));
    assertEquals(QueryKind.values().length, n.size(), "kinds drawn: " + n);
    n.values().forEach(c -> assertTrue(c > N / 40, "too rare: " + n));
  }

  @Test
  void everyShapeColourSizeAndLocationWordIsUsedInQueriesAndAttributes() {
    List<String> words = new ArrayList<>();
    for (Shape s : Shape.values()) {
      words.add(s.word());
      words.add(s.plural());
    }
    for (Colour c : Colour.values()) {
      words.add(c.word());
    }
    words.add("grey");
    for (Size s : Size.values()) {
      words.add(s.word());
    }
    assertAllIn(queries, words, "queries");
    List<String> attrs = new ArrayList<>();
    for (Shape s : Shape.values()) {
      attrs.add("shape: " + s.word() + ";");
    }
    for (Colour c : Colour.values()) {
      attrs.add("color: " + c.word() + ";");
    }
    for (Size s : Size.values()) {
      attrs.add("size: " + s.word() + ";");
    }
    for (Location l : Location.values()) {
      attrs.add("location: " + l.words() + "\n");
    }
    assertAllIn(attributes, attrs, "attributes");
    assertTrue(!attributes.contains("grey") && !answers.contains("grey"), "outputs must say gray");
  }

  @Test
  void locationSynonymsRelationsAndSuperlativesAreUsed() {
    assertAllIn(queries, List.of("top left", "top right", "bottom left", "bottom right", "upper", "lower",
        "center", "centre", "middle", "on the left", "on the right", "at the top", "at the bottom"), "queries");
    assertAllIn(queries, List.of("left of", "right of", "above", "below", "next to"), "queries");
    assertAllIn(queries, List.of("largest", "biggest", "smallest", "leftmost", "rightmost", "topmost",
        "highest", "bottommost", "lowest"), "queries");
  }

  @Test
  void everyWorldKnowledgePhraseIsUsed() {
    List<String> phrases = new ArrayList<>();
    for (Colour c : Colour.values()) {
      phrases.addAll(Knowledge.colourOf(c));
    }
    for (Shape s : Shape.values()) {
      phrases.addAll(Knowledge.lookingLike(s));
    }
    assertAllIn(queries, phrases, "queries");
  }

  @Test
  void targetsOftenHaveDistractorsAndSometimesTwins() {
    int targeted = 0, sharing = 0, twins = 0;
    for (Sample s : SAMPLES) {
      if (s.targetIndex() < 0) {
        continue;
      }
      targeted++;
      SceneObject t = s.scene().objects().get(s.targetIndex());
      boolean share = false, twin = false;
      for (SceneObject o : s.scene().objects()) {
        if (o != t && (o.shape() == t.shape() || o.colour() == t.colour())) {
          share = true;
        }
        if (o != t && o.shape() == t.shape() && o.colour() == t.colour()) {
          twin = true;
        }
      }
      sharing += share ? 1 : 0;
      twins += twin ? 1 : 0;
    }
    assertTrue(sharing > targeted * 0.4, sharing + " of " + targeted + " targets share shape or colour");
    assertTrue(twins > targeted * 0.03, twins + " of " + targeted + " targets have a same-description twin");
  }

  @Test
  void queryWordsParseBackToTheVocabulary() {
    for (Shape s : Shape.values()) {
      assertEquals(Optional.of(s), Shape.fromWord(s.plural().toUpperCase()));
    }
    assertEquals(Optional.of(Colour.GRAY), Colour.fromWord("Grey"));
    assertEquals(Optional.of(Location.CENTER), Location.fromWords("middle"));
    assertEquals(Optional.of(Location.CENTER), Location.fromWords("centre"));
    assertEquals(Optional.of(Location.TOP_LEFT), Location.fromWords("upper left"));
    assertEquals(Optional.of(Location.BOTTOM), Location.fromWords("lower"));
    assertEquals(Optional.empty(), Location.fromWords("somewhere"));
    assertEquals(Optional.of(Size.LARGE), Size.fromWord("large"));
    assertEquals(Location.BOTTOM_RIGHT, Location.of(255, 255, 256, 256));
    assertEquals(Location.TOP_LEFT, Location.of(0, 0, 256, 256));
    assertEquals(Location.CENTER, Location.of(128, 40, 256, 90));
  }

  @Test
  void answersAreCanonical() {
    for (Sample s : SAMPLES) {
      String a = s.answer();
      assertTrue(a.endsWith(".") || a.endsWith("?"), s.name() + ": " + a);
      if (s.kind() == QueryKind.ABSENT) {
        assertTrue(a.startsWith("There is no "), a);
      } else if (s.kind() == QueryKind.AMBIGUOUS) {
        assertTrue(a.matches("There are \\d \\w+( \\w+)?; which one do you mean\\?"), a);
      } else if (s.kind().hasTarget() && s.kind() != QueryKind.KNOWLEDGE) {
        SceneObject t = s.scene().objects().get(s.targetIndex());
        assertTrue(a.startsWith("It is the " + t.sizedName() + " "), a);
      }
    }
  }

  @Test
  void absentQueriesIncludeHardNegativesAndNameNothingInTheScene() {
    int hard = 0;
    for (Sample s : SAMPLES) {
      if (s.kind() != QueryKind.ABSENT) {
        continue;
      }
      String[] w = s.answer().replace(".", "").split(" "); // There is no [colour] shape
      Optional<Shape> shape = Shape.fromWord(w[w.length - 1]);
      Optional<Colour> colour = w.length == 5 ? Colour.fromWord(w[3]) : Optional.empty();
      assertTrue(shape.isPresent(), s.answer());
      long both = s.scene().objects().stream()
          .filter(o -> o.shape() == shape.get() && colour.map(c -> c == o.colour()).orElse(true)).count();
      assertEquals(0, both, s.name() + ": " + s.answer());
      if (colour.isPresent()
          && s.scene().objects().stream().anyMatch(o -> o.colour() == colour.get())
          && s.scene().objects().stream().anyMatch(o -> o.shape() == shape.get())) {
        hard++;
      }
    }
    assertTrue(hard > 10, hard + " hard negatives");
  }

  @Test
  void ambiguousQueriesCountTheObjectsTheyMatch() {
    for (Sample s : SAMPLES) {
      if (s.kind() != QueryKind.AMBIGUOUS) {
        continue;
      }
      String[] w = s.answer().split(";")[0].split(" "); // There are N [colour] plural
      int n = Integer.parseInt(w[2]);
      Optional<Colour> colour = Colour.fromWord(w[3]);
      Optional<Shape> shape = Shape.fromWord(w[w.length - 1]);
      long matching = s.scene().objects().stream()
          .filter(o -> colour.map(c -> c == o.colour()).orElse(true) && shape.map(x -> x == o.shape()).orElse(true))
          .count();
      assertTrue(n >= 2, s.answer());
      assertEquals(n, matching, s.name() + ": " + s.answer());
    }
  }

  @Test
  void unfilteredSuperlativesPickTheExtremeObject() {
    int checked = 0;
    for (Sample s : SAMPLES) {
      String q = s.query();
      if (s.kind() != QueryKind.SUPERLATIVE || !(q.contains("most shape") || q.contains("most object"))
          || q.contains(" of ")) {
        continue;
      }
      SceneObject t = s.scene().objects().get(s.targetIndex());
      for (SceneObject o : s.scene().objects()) {
        if (q.contains("leftmost")) {
          assertTrue(t.cx() <= o.cx(), q);
        } else if (q.contains("rightmost")) {
          assertTrue(t.cx() >= o.cx(), q);
        } else if (q.contains("topmost")) {
          assertTrue(t.cy() <= o.cy(), q);
        } else {
          assertTrue(t.cy() >= o.cy(), q);
        }
      }
      checked++;
    }
    assertTrue(checked > 5, "checked " + checked);
  }
}
