package io.llavaseg.training.reasoner;

import io.llavaseg.model.reasoner.ReasonerConfig;
import io.llavaseg.model.reasoner.Vocabulary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.model.cot.PromptTemplates;
import io.llavaseg.shapeworld.Colour;
import io.llavaseg.shapeworld.Location;
import io.llavaseg.shapeworld.QueryKind;
import io.llavaseg.shapeworld.Sample;
import io.llavaseg.shapeworld.Scene;
import io.llavaseg.shapeworld.SceneObject;
import io.llavaseg.shapeworld.Shape;
import io.llavaseg.shapeworld.ShapeWorld;
import io.llavaseg.shapeworld.Size;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InstructionDataTest {
  private final InstructionFixture f = InstructionFixture.of(99);
  private final ShapeWorld world = f.world();
  private final Vocabulary v = f.vocab();
  private final ReasonerConfig config = f.config();
  private final InstructionData data = f.data();

  @Test
  void descriptionMatchesShapeWorldsOwnDescribeAnswers() {
    int checked = 0;
    for (long i = 0; i < 400 && checked < 5; i++) {
      Sample s = world.sample(i, QueryKind.DIALOGUE);
      if (s.answer().startsWith("There is 1 shape: ") || s.answer().contains(" shapes: ")) {
        assertEquals(s.answer(), InstructionData.description(s.scene()));
        checked++;
      }
    }
    assertTrue(checked > 0, "no describe question in 400 dialogue samples");
  }

  @Test
  void anAnswerAboutTheTargetPointsAtItsCellAndOneWithoutATargetAtNone() {
    int withTarget = 0;
    int without = 0;
    for (long i = 0; withTarget < 5 || without < 2; i++) {
      Sample s = world.sample(i, withTarget < 5 ? QueryKind.KNOWLEDGE : QueryKind.ABSENT);
      List<InstructionData.Row> rows = data.instruct(s, new SplittableRandom(1)).rows();
      InstructionData.Row answer = rows.get(0);
      InstructionData.Row target = rows.get(1);
      assertEquals(target.cell(), answer.cell(), s.query() + " -> " + s.answer());
      if (s.targetIndex() >= 0) {
        withTarget++;
        assertEquals(InstructionData.cellOf(s.scene(), s.scene().objects().get(s.targetIndex()), config.grid()), answer.cell());
      } else {
        without++;
        assertEquals(-1, answer.cell(), s.answer());
      }
    }
  }

  @Test
  void aDialogueAnswerAboutOneObjectPointsAtItsCell() {
    int colourOf = 0;
    int yes = 0;
    int no = 0;
    for (long i = 0; colourOf < 3 || yes < 3 || no < 3; i++) {
      Sample s = world.sample(i, QueryKind.DIALOGUE);
      InstructionData.Row answer = data.instruct(s, new SplittableRandom(1)).rows().get(0);
      java.util.Optional<SceneObject> o = InstructionData.answeredObject(s.scene(), s.answer());
      if (s.answer().startsWith("The ")) {
        colourOf++;
        assertTrue(o.isPresent(), s.answer());
        assertTrue(s.answer().equals("The " + o.get().shape().word() + " is " + o.get().colour().word() + "."), s.answer());
      } else if (s.answer().startsWith("Yes")) {
        yes++;
        assertTrue(o.isPresent() && s.answer().contains(o.get().shape().word()), s.answer());
      } else if (s.answer().startsWith("No")) {
        no++;
        assertTrue(o.isEmpty(), s.answer());
        assertEquals(-1, answer.cell(), s.answer());
        continue;
      } else {
        continue;
      }
      assertEquals(InstructionData.cellOf(s.scene(), o.get(), config.grid()), answer.cell(), s.answer());
    }
  }

  @Test
  void rowsUseTheServingPromptsAndEndWithTheStopToken() {
    Sample s = world.sample(3, QueryKind.PHRASE);
    InstructionData.Example e = data.instruct(s, new SplittableRandom(1));
    assertEquals(3, e.rows().size());
    InstructionData.Row target = e.rows().get(1);
    int[] t = target.tokens();
    assertEquals(Vocabulary.BOS_ID, t[0]);
    assertEquals(Vocabulary.SEP_ID, t[target.replyStart() - 1]);
    assertEquals(Vocabulary.EOS_ID, t[t.length - 1]);
    assertEquals(PromptTemplates.DEFAULT.targetPrompt(s.query()), v.decode(java.util.Arrays.copyOfRange(t, 1, target.replyStart() - 1),
        target.replyStart() - 2));
    assertEquals(s.target(), v.decode(java.util.Arrays.copyOfRange(t, target.replyStart(), t.length), t.length - target.replyStart()));
    InstructionData.Row attrs = e.rows().get(2);
    int[] a = attrs.tokens();
    assertEquals(s.attributes(), v.decode(java.util.Arrays.copyOfRange(a, attrs.replyStart(), a.length), a.length - attrs.replyStart()));
  }

  @Test
  void aDescribeAnswerPointsEachObjectsWordsAtThatObjectsCell() {
    Sample s = null;
    for (long i = 0; s == null; i++) {
      Sample d = world.sample(i, QueryKind.DIALOGUE);
      if (d.answer().contains(" shapes: ") && d.scene().objects().size() >= 3) {
        s = d;
      }
    }
    InstructionData.Row row = data.instruct(s, new SplittableRandom(1)).rows().get(0);
    assertEquals(InstructionData.DIALOGUE, row.format());
    List<SceneObject> order = s.scene().objects().stream()
        .sorted(java.util.Comparator.comparingDouble(SceneObject::cx)).toList();
    int[] t = row.tokens();
    // each labelled position predicts a word of its object's phrase; labels follow the listing's order
    int object = -1;
    int lastCell = -2;
    int labelled = 0;
    for (int p = row.replyStart() - 1; p < t.length - 1; p++) {
      int cell = row.cellAt(p);
      if (cell < 0 || cell >= config.visualTokens()) {
        continue;
      }
      labelled++;
      if (cell != lastCell || labelled == 1) {
        object++;
        lastCell = cell;
      }
      SceneObject o = order.get(object);
      assertEquals(InstructionData.cellOf(s.scene(), o, config.grid()), cell);
      String word = v.decode(new int[] {t[p + 1]}, 1);
      assertTrue(List.of("a", "an", o.size().word(), o.colour().word(), o.shape().word()).contains(word),
          word + " is not a word of " + o.sizedName());
    }
    assertEquals(4 * order.size(), labelled, "article, size, colour, shape of every object");
    // "There are N shapes:" points at the count token of all objects; the full stop at nothing
    int header = v.encode("There are " + order.size() + " shapes: ").length;
    for (int p = row.replyStart() - 1; p < row.replyStart() - 1 + header; p++) {
      assertEquals(config.countKey(0), row.cellAt(p));
    }
    assertEquals(-1, row.cellAt(t.length - 2));
  }

  @Test
  void countClassNamesTheCountTokenOfACountingAnswerOnly() {
    int colours = Colour.values().length;
    assertEquals(OptionalInt.of(0), InstructionData.countClass("There are 5 shapes."));
    assertEquals(OptionalInt.of(1 + Colour.YELLOW.ordinal()), InstructionData.countClass("There is 1 yellow shape."));
    assertEquals(OptionalInt.of(1 + Colour.RED.ordinal()), InstructionData.countClass("There are no red shapes."));
    assertEquals(OptionalInt.of(1 + colours + Shape.CROSS.ordinal()), InstructionData.countClass("There are 2 crosses."));
    assertEquals(OptionalInt.of(1 + colours + Shape.TRIANGLE.ordinal()), InstructionData.countClass("There are no triangles."));
    assertEquals(OptionalInt.empty(), InstructionData.countClass("There are 2 shapes: a small red circle and a large blue star."));
    assertEquals(OptionalInt.empty(), InstructionData.countClass("Yes, there is a heart."));
    assertEquals(OptionalInt.empty(), InstructionData.countClass("There are 2 red hearts."));
    assertEquals(OptionalInt.empty(), InstructionData.countClass("There are 2 balloons."));
  }

  @Test
  void aCountAnswerPointsItsWordsAtTheCountTokenOfItsClass() {
    int seen = 0;
    for (long i = 0; seen < 5; i++) {
      Sample s = world.sample(i, QueryKind.DIALOGUE);
      OptionalInt counted = InstructionData.countClass(s.answer());
      InstructionData.Row row = data.instruct(s, new SplittableRandom(1)).rows().get(0);
      if (counted.isEmpty()) {
        continue;
      }
      seen++;
      int[] t = row.tokens();
      int key = config.countKey(counted.getAsInt());
      assertTrue(key >= config.visualTokens() && key < config.pointerKeys());
      // "There", "are", the number and the noun point at the count token; the full stop does not
      for (int p = row.replyStart() - 1; p < t.length - 3; p++) {
        assertEquals(key, row.cellAt(p), s.answer() + " at " + p);
      }
      assertEquals(-1, row.cellAt(t.length - 3), "the full stop");
      assertEquals(-1, row.cellAt(t.length - 2), "the stop token");
      // without the count pointer the same row has no labels
      InstructionData plain = new InstructionData(v, config.withCountPointer(false), PromptTemplates.DEFAULT);
      assertEquals(-1, plain.instruct(s, new SplittableRandom(1)).rows().get(0).cellAt(row.replyStart()));
    }
  }

  @Test
  void auxLabelsPutEachObjectInTheCellOfItsCentreWithItsLocation() {
    Sample s = world.sample(7);
    int grid = 6;
    int[] labels = InstructionData.auxLabels(s.scene(), grid);
    for (SceneObject o : s.scene().objects()) {
      int gx = (int) (o.cx() * grid / s.scene().width());
      int gy = (int) (o.cy() * grid / s.scene().height());
      int c = gy * grid + gx;
      assertEquals(1, labels[c * 5]);
      // a 6x6 grid lines up with the 3x3 location grid: the cell alone fixes the location
      assertEquals(Location.at(gx / 2, gy / 2).ordinal(), labels[c * 5 + 4]);
    }
  }

  @Test
  void softOccupancySplitsACentreOnACellBorderAndKeepsTheObjectCount() {
    // 192 px, 6x6 grid: cells are 32 px; one centre exactly on the border x = 64, one deep inside a cell
    SceneObject onBorder = object(64, 48);
    SceneObject inside = object(150, 150);
    Scene scene = new Scene(192, 192, List.of(onBorder, inside));
    float[] occ = InstructionData.softOccupancy(scene, 6, 0.08);
    assertEquals(0.5f, occ[1 * 6 + 1], 1e-6); // column 1, row 1
    assertEquals(0.5f, occ[1 * 6 + 2], 1e-6); // column 2, row 1
    assertEquals(1f, occ[4 * 6 + 4], 1e-6);
    double sum = 0;
    for (float v : occ) {
      sum += v;
    }
    assertEquals(2.0, sum, 1e-5, "soft occupancies sum to the number of objects");
    // both border cells learn the object's attributes; the hard occupancy label stays one cell
    int[] labels = InstructionData.auxLabels(scene, 6, 0.08);
    assertEquals(Colour.RED.ordinal(), labels[(1 * 6 + 1) * 5 + 1]);
    assertEquals(Colour.RED.ordinal(), labels[(1 * 6 + 2) * 5 + 1]);
    assertEquals(1, labels[(1 * 6 + 2) * 5] + labels[(1 * 6 + 1) * 5]);
    assertEquals(-1, labels[(1 * 6 + 3) * 5 + 1]);
  }

  @Test
  void zeroMarginGivesTheHardLabels() {
    Sample s = world.sample(11);
    float[] occ = InstructionData.softOccupancy(s.scene(), 6, 0);
    int[] labels = InstructionData.auxLabels(s.scene(), 6, 0);
    assertArrayEquals(labels, InstructionData.auxLabels(s.scene(), 6));
    for (int c = 0; c < 36; c++) {
      assertEquals(labels[c * 5], occ[c], 0f);
    }
  }

  private static SceneObject object(double cx, double cy) {
    return new SceneObject(Shape.CIRCLE, Colour.RED, Size.SMALL, Location.of(cx, cy, 192, 192), cx, cy, 20, 0,
        new double[0][], new int[] {255, 0, 0});
  }
}
