package io.llavaseg.training.reasoner;

import io.llavaseg.model.reasoner.ImageInput;
import io.llavaseg.model.reasoner.ReasonerConfig;
import io.llavaseg.model.reasoner.Vocabulary;

import io.llavaseg.model.TargetAttributes;
import io.llavaseg.model.cot.PromptTemplates;
import io.llavaseg.shapeworld.Colour;
import io.llavaseg.shapeworld.Knowledge;
import io.llavaseg.shapeworld.Language;
import io.llavaseg.shapeworld.Location;
import io.llavaseg.shapeworld.QueryKind;
import io.llavaseg.shapeworld.Sample;
import io.llavaseg.shapeworld.Scene;
import io.llavaseg.shapeworld.SceneObject;
import io.llavaseg.shapeworld.Shape;
import io.llavaseg.shapeworld.ShapeWorld;
import io.llavaseg.shapeworld.Size;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns ShapeWorld samples into the reasoner's training data: the encoder's pixels, the per-cell
 * auxiliary labels, and token rows {@code <bos> prompt <sep> reply <eos>} in four formats, all
 * built with the serving prompt templates:
 * <ol start="0">
 *   <li>{@link #DIALOGUE}: {@code answerPrompt(query)} -> the sample's answer;
 *   <li>{@link #TARGET}: {@code targetPrompt(query)} -> "the yellow heart" or "none";
 *   <li>{@link #ATTRIBUTES}: {@code attributesPrompt(query, target)} -> the attribute line (for samples
 *       without a target, of a random object that colour and shape name uniquely, asked with no
 *       question);
 *   <li>{@link #DESCRIPTION}: "Describe the image." -> the list of objects (the alignment stage),
 *       worded exactly as ShapeWorld's own describe answers.
 * </ol>
 * Does not render anything itself: images and scenes come from {@link ShapeWorld}.
 */
public final class InstructionData {
  public static final int DIALOGUE = 0;
  public static final int TARGET = 1;
  public static final int ATTRIBUTES = 2;
  public static final int DESCRIPTION = 3;
  public static final String[] FORMATS = {"dialogue", "target", "attributes", "description"};
  static final String DESCRIBE_PROMPT = "Describe the image.";
  /** ShapeWorld's answer to a counting question: "There are 4 triangles.", "There is 1 yellow shape." */
  /** ShapeWorld's answer to "What colour is the star?": "The star is red." */
  private static final Pattern COLOUR_ANSWER = Pattern.compile("The (\\w+) is (\\w+)\\.");
  /** ShapeWorld's yes to an existence question: "Yes, there is a red star.", "Yes, there is an orange circle." */
  private static final Pattern YES_ANSWER = Pattern.compile("Yes, there is an? (?:(\\w+) )?(\\w+)\\.");

  /**
   * One token row: {@code tokens} = bos, prompt, sep, reply, eos; the reply starts at {@code
   * replyStart}; {@code cell} is the grid cell of the object the row is about ({@code -1}: none or
   * not one object), the pointer head's label; a row that lists several objects or counts has
   * instead, per position, the pointer's key for the word that position predicts ({@code pointAt}:
   * the cell of the object named, or the count token of the class counted, {@link
   * ReasonerConfig#countKey}; {@code -1} where none; null for rows about one object or none).
   */
  public record Row(int format, int[] tokens, int replyStart, int cell, int[] pointAt) {
    Row withCell(int c) {
      return new Row(format, tokens, replyStart, c, pointAt);
    }

    Row withPointAt(int[] cells) {
      return new Row(format, tokens, replyStart, cell, cells);
    }

    /** The pointer's label at position {@code p} (which predicts token {@code p + 1}), {@code -1} for none. */
    int cellAt(int p) {
      return pointAt != null ? pointAt[p] : cell;
    }
  }

  /**
   * One image with its aux labels ({@code -1} = no label), the soft occupancy target of each cell
   * (see {@link #softOccupancy}) and rows.
   */
  public record Example(float[] pixels, int[] aux, float[] occupancy, List<Row> rows, QueryKind kind) {}

  private final Vocabulary vocab;
  private final ReasonerConfig config;
  private final PromptTemplates templates;
  private final double occupancyMargin;
  private final double unkDropout;
  /** The only words word dropout may drop (lower case), or null: any word but a colour or shape. */
  private final java.util.Set<String> droppable;

  public InstructionData(Vocabulary vocab, ReasonerConfig config, PromptTemplates templates) {
    this(vocab, config, templates, 0);
  }

  /**
   * @param occupancyMargin half-width, in grid cells, of the square around each object's centre
   *     whose share of a cell is that cell's occupancy target (0: the centre's cell alone is occupied)
   */
  public InstructionData(Vocabulary vocab, ReasonerConfig config, PromptTemplates templates, double occupancyMargin) {
    this(vocab, config, templates, occupancyMargin, 0, null);
  }

  private InstructionData(Vocabulary vocab, ReasonerConfig config, PromptTemplates templates, double occupancyMargin,
      double unkDropout, java.util.Set<String> droppable) {
    if (!(unkDropout >= 0 && unkDropout < 1)) {
      throw new IllegalArgumentException("the unk dropout must be in [0, 1), got " + unkDropout);
    }
    this.vocab = vocab;
    this.config = config;
    this.templates = templates;
    this.occupancyMargin = occupancyMargin;
    this.unkDropout = unkDropout;
    this.droppable = droppable == null ? null : java.util.Set.copyOf(droppable);
  }

  /**
   * This data with word dropout on the user's question in {@link #instruct}: each word of the
   * question becomes {@code <unk>} with probability {@code p}, the same words in every row of the
   * sample, the replies unchanged. A word the vocabulary does not know reads as {@code <unk>} when
   * served (a held-out synonym, a typo of a short word), and the model learns to answer from the rest
   * of the phrase ("the <unk> small star" still says "small star"). Words that name one of the
   * world's colours or shapes are never dropped: without them the reply could not be known, so
   * dropping them would only teach guessing. With {@code p = 0} (the default) {@link #instruct}
   * draws nothing more and gives exactly the data it gave before.
   */
  public InstructionData withUnkDropout(double p) {
    return withUnkDropout(p, null);
  }

  /**
   * As above; when {@code only} is not null, only words in it (lower case) may drop: the grammar's
   * frame words ({@code Language.frameWords()}), so that a referring expression stays whole and
   * only the request around it goes unknown.
   */
  public InstructionData withUnkDropout(double p, java.util.Set<String> only) {
    return new InstructionData(vocab, config, templates, occupancyMargin, p, only);
  }

  private Example example(Sample s, List<Row> rows) {
    return new Example(ImageInput.pixels(s.image(), config.imageSize()), auxLabels(s.scene(), config.grid(), occupancyMargin),
        softOccupancy(s.scene(), config.grid(), occupancyMargin), rows, s.kind());
  }

  /** The instruction rows (dialogue, target, attributes) of a sample. */
  public Example instruct(Sample s, SplittableRandom rng) {
    List<Row> rows = new ArrayList<>();
    // drawn only with dropout on, so that the rng's stream (and the data) is as before without it
    int[] question = unkDropout > 0 ? vocab.encode(s.query()) : null;
    boolean[] drop = unkDropout > 0 ? dropped(question, rng.split()) : null;
    Row dialogue = row(DIALOGUE, withDrops(templates.answerPrompt(s.query()), question, drop), s.answer());
    boolean describes = s.kind() == QueryKind.DIALOGUE && s.answer().equals(description(s.scene()));
    int targetCell = s.targetIndex() >= 0 ? cellOf(s.scene(), s.scene().objects().get(s.targetIndex()), config.grid()) : -1;
    Row answer = describes ? listing(dialogue, s.scene()) : counting(dialogue, s.answer());
    if (answer.pointAt() == null) {
      // an answer about one object points at its cell: the target's ("The brown star has the colour
      // of chocolate."), or the object a dialogue answer names ("Yes, there is a red star.")
      int about = targetCell >= 0 ? targetCell
          : answeredObject(s.scene(), s.answer()).map(o -> cellOf(s.scene(), o, config.grid())).orElse(-1);
      answer = answer.withCell(about);
    }
    rows.add(answer);
    rows.add(row(TARGET, withDrops(templates.targetPrompt(s.query()), question, drop), s.target()).withCell(targetCell));
    if (s.targetIndex() >= 0) {
      rows.add(row(ATTRIBUTES, withDrops(templates.attributesPrompt(s.query(), s.target()), question, drop), s.attributes())
          .withCell(targetCell));
    } else {
      List<SceneObject> named = uniquelyNamed(s.scene());
      if (!named.isEmpty()) {
        SceneObject o = named.get(rng.nextInt(named.size()));
        rows.add(row(ATTRIBUTES, templates.attributesPrompt("", o.description()), attributes(o))
            .withCell(cellOf(s.scene(), o, config.grid())));
      }
    }
    return example(s, rows);
  }

  /** The alignment rows of a sample: the image description and every uniquely named object's attributes. */
  public Example describe(Sample s) {
    List<Row> rows = new ArrayList<>();
    rows.add(listing(row(DESCRIPTION, DESCRIBE_PROMPT, description(s.scene())), s.scene()));
    for (SceneObject o : uniquelyNamed(s.scene())) {
      rows.add(row(ATTRIBUTES, templates.attributesPrompt("", o.description()), attributes(o))
          .withCell(cellOf(s.scene(), o, config.grid())));
    }
    return example(s, rows);
  }

  /**
   * Which tokens of the encoded question {@link #withUnkDropout} drops: each word with probability
   * {@code unkDropout}, never punctuation, a token already {@code <unk>}, or a colour or shape word;
   * with a set of droppable words, only those.
   */
  boolean[] dropped(int[] question, SplittableRandom rng) {
    boolean[] drop = new boolean[question.length];
    for (int i = 0; i < question.length; i++) {
      String w = vocab.token(question[i]);
      boolean word = question[i] != Vocabulary.UNK_ID && !w.isEmpty() && Character.isLetterOrDigit(w.charAt(0));
      // drawn for every token, so that which words drop does not depend on the vocabulary's content
      boolean hit = rng.nextDouble() < unkDropout;
      drop[i] = hit && word && Colour.fromWord(w).isEmpty() && Shape.fromWord(w).isEmpty()
          && (droppable == null || droppable.contains(w.toLowerCase(java.util.Locale.ROOT)));
    }
    return drop;
  }

  /**
   * The encoded prompt with the dropped tokens of the question (its first occurrence in the prompt)
   * replaced by {@code <unk>}; the prompt encoded as it is when nothing drops.
   */
  int[] withDrops(String prompt, int[] question, boolean[] drop) {
    int[] p = vocab.encode(prompt);
    if (drop == null || question.length == 0) {
      return p;
    }
    for (int at = 0; at + question.length <= p.length; at++) {
      if (java.util.Arrays.equals(p, at, at + question.length, question, 0, question.length)) {
        for (int i = 0; i < question.length; i++) {
          if (drop[i]) {
            p[at + i] = Vocabulary.UNK_ID;
          }
        }
        break;
      }
    }
    return p;
  }

  Row row(int format, String prompt, String reply) {
    return row(format, vocab.encode(prompt), reply);
  }

  private Row row(int format, int[] p, String reply) {
    int[] r = vocab.encode(reply);
    int keep = Math.min(p.length, config.maxText() - 3 - r.length);
    if (keep < 1) {
      throw new IllegalArgumentException("reply too long for " + config.maxText() + " text positions: " + reply);
    }
    int[] t = new int[keep + r.length + 3];
    t[0] = Vocabulary.BOS_ID;
    System.arraycopy(p, p.length - keep, t, 1, keep);
    t[keep + 1] = Vocabulary.SEP_ID;
    System.arraycopy(r, 0, t, keep + 2, r.length);
    t[t.length - 1] = Vocabulary.EOS_ID;
    return new Row(format, t, keep + 2, -1, null);
  }

  /**
   * A row whose reply is the scene's {@link #description} with the pointer's label at every position
   * that predicts a word of an object's phrase ("a", "medium", "yellow", "heart"): that object's
   * cell, so that the readout brings each listed object's own colour, shape and size, and the state
   * before each phrase learns which object comes next (left to right). With {@link
   * ReasonerConfig#countPointer}, the header's words ("There are 3 shapes:") point at the count
   * token of all objects.
   */
  Row listing(Row row, Scene scene) {
    List<SceneObject> order = leftToRight(scene);
    int[] pointAt = new int[row.tokens().length];
    java.util.Arrays.fill(pointAt, -1);
    StringBuilder text = new StringBuilder(header(order.size()));
    if (config.countPointer()) {
      int words = vocab.encode(text.toString()).length;
      java.util.Arrays.fill(pointAt, row.replyStart() - 1, row.replyStart() - 1 + words, config.countKey(ReasonerConfig.COUNT_ALL));
    }
    for (int k = 0; k < order.size(); k++) {
      text.append(separator(k, order.size()));
      int from = vocab.encode(text.toString()).length;
      text.append(phrase(order.get(k)));
      int to = vocab.encode(text.toString()).length;
      java.util.Arrays.fill(pointAt, row.replyStart() + from - 1, row.replyStart() + to - 1, cellOf(scene, order.get(k), config.grid()));
    }
    return row.withPointAt(pointAt);
  }

  /**
   * With {@link ReasonerConfig#countPointer}, a dialogue row whose reply is a count ("There are 4
   * triangles.", see {@link #countClass}) gets the pointer's label at every position that predicts a
   * word of it but the full stop: the count token of the class it counts. Any other row is returned
   * as it is.
   */
  Row counting(Row row, String answer) {
    OptionalInt counted = config.countPointer() ? countClass(answer) : OptionalInt.empty();
    if (counted.isEmpty()) {
      return row;
    }
    int[] pointAt = new int[row.tokens().length];
    java.util.Arrays.fill(pointAt, -1);
    int words = vocab.encode(answer).length - 1; // all but the full stop
    java.util.Arrays.fill(pointAt, row.replyStart() - 1, row.replyStart() - 1 + words, config.countKey(counted.getAsInt()));
    return row.withPointAt(pointAt);
  }

  /**
   * The count class of a counting answer as ShapeWorld words it ({@link ReasonerConfig#COUNT_ALL} for
   * "There are 5 shapes.", {@link ReasonerConfig#countClass} of the colour for "There is 1 yellow
   * shape." or of the shape for "There are no triangles."); empty for any other
   * reply, an image description ("There are 3 shapes: ...") included.
   */
  static OptionalInt countClass(String answer) {
    Matcher m = io.llavaseg.eval.Answers.COUNT_ANSWER.matcher(answer.strip());
    if (!m.matches()) {
      return OptionalInt.empty();
    }
    String noun = m.group(2);
    boolean shapes = noun.equals("shape") || noun.equals("shapes");
    if (m.group(1) == null) {
      return shapes ? OptionalInt.of(ReasonerConfig.COUNT_ALL)
          : Shape.fromWord(noun).map(x -> OptionalInt.of(CountClasses.of(x))).orElse(OptionalInt.empty());
    }
    return shapes ? Colour.fromWord(m.group(1)).map(c -> OptionalInt.of(CountClasses.of(c))).orElse(OptionalInt.empty())
        : OptionalInt.empty();
  }

  /**
   * The object a dialogue answer is about, as ShapeWorld words it: the shape asked in "The star is
   * red.", or the leftmost object that "Yes, there is a red star." (or "... a star.") found. Empty
   * for any other answer ("No, there is no red star.", counts, descriptions).
   */
  static Optional<SceneObject> answeredObject(Scene scene, String answer) {
    Matcher colourOf = COLOUR_ANSWER.matcher(answer.strip());
    Matcher yes = YES_ANSWER.matcher(answer.strip());
    Optional<Shape> shape;
    Optional<Colour> colour;
    if (colourOf.matches()) {
      shape = Shape.fromWord(colourOf.group(1));
      colour = Colour.fromWord(colourOf.group(2));
    } else if (yes.matches()) {
      shape = Shape.fromWord(yes.group(2));
      colour = yes.group(1) == null ? Optional.empty() : Colour.fromWord(yes.group(1));
      if (yes.group(1) != null && colour.isEmpty()) {
        return Optional.empty();
      }
    } else {
      return Optional.empty();
    }
    if (shape.isEmpty()) {
      return Optional.empty();
    }
    return leftToRight(scene).stream()
        .filter(o -> o.shape() == shape.get() && colour.map(c -> c == o.colour()).orElse(true))
        .findFirst();
  }

  private static List<SceneObject> leftToRight(Scene scene) {
    return scene.objects().stream().sorted(Comparator.comparingDouble(SceneObject::cx)).toList();
  }

  /** "There are 3 shapes: " (or "There is 1 shape: "), the start of a description. */
  private static String header(int objects) {
    return objects == 1 ? "There is 1 shape: " : "There are " + objects + " shapes: ";
  }

  /** What goes before the {@code k}-th of {@code n} listed objects. */
  private static String separator(int k, int n) {
    return k == 0 ? "" : k == n - 1 ? " and " : ", ";
  }

  private static String phrase(SceneObject o) {
    return ("aeiou".indexOf(o.size().word().charAt(0)) >= 0 ? "an " : "a ") + o.sizedName();
  }

  static String attributes(SceneObject o) {
    return new TargetAttributes(o.colour().word(), o.shape().word(), o.size().word(), o.location().words()).format();
  }

  static List<SceneObject> uniquelyNamed(Scene scene) {
    List<SceneObject> out = new ArrayList<>();
    for (SceneObject o : scene.objects()) {
      long same = scene.objects().stream().filter(x -> x.colour() == o.colour() && x.shape() == o.shape()).count();
      if (same == 1) {
        out.add(o);
      }
    }
    return out;
  }

  /** "There are 3 shapes: a small red circle, a large blue star and a medium green cross." (left to right) */
  static String description(Scene scene) {
    List<SceneObject> order = leftToRight(scene);
    StringBuilder text = new StringBuilder(header(order.size()));
    for (int k = 0; k < order.size(); k++) {
      text.append(separator(k, order.size())).append(phrase(order.get(k)));
    }
    return text.append('.').toString();
  }

  /**
   * Per cell of the {@code grid x grid} map, row-major, 5 labels: occupied (0/1), colour, shape,
   * size, location ordinals of the object whose centre lies in the cell (the one painted last when
   * several do), {@code -1} for the last four in empty cells.
   */
  static int[] auxLabels(Scene scene, int grid) {
    return auxLabels(scene, grid, 0);
  }

  /**
   * As {@link #auxLabels(Scene, int)}, but with a {@code margin} (in cells) the attribute labels
   * also go to every cell that the square of half-width {@code margin} around an object's centre
   * reaches (the object with the largest share wins a cell); the occupancy label stays the centre's
   * cell (the soft target is {@link #softOccupancy}).
   */
  static int[] auxLabels(Scene scene, int grid, double margin) {
    int cells = grid * grid;
    int[] labels = new int[cells * 5];
    double[] best = new double[cells];
    for (int c = 0; c < cells; c++) {
      labels[c * 5] = 0;
      for (int k = 1; k < 5; k++) {
        labels[c * 5 + k] = -1;
      }
    }
    for (SceneObject o : scene.objects()) {
      labels[cellOf(scene, o, grid) * 5] = 1;
      double[] share = shares(scene, o, grid, margin);
      for (int c = 0; c < cells; c++) {
        if (share[c] > 0 && share[c] >= best[c]) {
          best[c] = share[c];
          labels[c * 5 + 1] = o.colour().ordinal();
          labels[c * 5 + 2] = o.shape().ordinal();
          labels[c * 5 + 3] = o.size().ordinal();
          labels[c * 5 + 4] = o.location().ordinal();
        }
      }
    }
    return labels;
  }

  /**
   * Per cell, the probability that it is occupied: the summed share (capped at 1) of the square of
   * half-width {@code margin} cells around each object's centre that falls in the cell. Where a
   * centre lies within {@code margin} of a cell border, the two cells share it (0.5 each exactly on
   * the border), so the vision encoder is not asked to place a border to the pixel, and the soft
   * occupancies still sum to the number of objects. {@code margin} 0 gives the hard labels.
   */
  static float[] softOccupancy(Scene scene, int grid, double margin) {
    float[] occ = new float[grid * grid];
    for (SceneObject o : scene.objects()) {
      double[] share = shares(scene, o, grid, margin);
      for (int c = 0; c < occ.length; c++) {
        occ[c] = (float) Math.min(1, occ[c] + share[c]);
      }
    }
    return occ;
  }

  private static double[] shares(Scene scene, SceneObject o, int grid, double margin) {
    double[] share = new double[grid * grid];
    if (margin <= 0) {
      share[cellOf(scene, o, grid)] = 1;
      return share;
    }
    double[] col = axisShares(o.cx() * grid / scene.width(), grid, margin);
    double[] row = axisShares(o.cy() * grid / scene.height(), grid, margin);
    for (int y = 0; y < grid; y++) {
      for (int x = 0; x < grid; x++) {
        share[y * grid + x] = row[y] * col[x];
      }
    }
    return share;
  }

  /** Shares of the interval [v - m, v + m], clamped to [0, grid], in each of the grid's unit cells. */
  private static double[] axisShares(double v, int grid, double m) {
    double lo = Math.max(0, v - m);
    double hi = Math.min(grid, v + m);
    double[] out = new double[grid];
    for (int i = 0; i < grid; i++) {
      out[i] = Math.max(0, Math.min(hi, i + 1) - Math.max(lo, i)) / (hi - lo);
    }
    return out;
  }

  /** Row-major index of the grid cell that holds the object's centre. */
  static int cellOf(Scene scene, SceneObject o, int grid) {
    int gx = Math.min(grid - 1, Math.max(0, (int) Math.floor(o.cx() * grid / scene.width())));
    int gy = Math.min(grid - 1, Math.max(0, (int) Math.floor(o.cy() * grid / scene.height())));
    return gy * grid + gx;
  }

  /** Texts whose words make the vocabulary: samples of every kind, the templates, ShapeWorld's words. */
  public static List<String> vocabularyTexts(ShapeWorld world, int samplesPerKind, PromptTemplates templates) {
    return vocabularyTexts(world, samplesPerKind, templates, Language.TEMPLATES);
  }

  /**
   * Texts whose words make the vocabulary of a model trained on {@code language}: {@link
   * #fixedVocabularyTexts} and the template queries and answers of {@code samplesPerKind} samples of
   * every kind of {@code world}. Paraphrases are not sampled (their typos would become words).
   *
   * @throws IllegalArgumentException for {@link Language#HELD_OUT}: its words must stay out of a
   *     training vocabulary
   */
  public static List<String> vocabularyTexts(ShapeWorld world, int samplesPerKind, PromptTemplates templates,
      Language language) {
    List<String> texts = fixedVocabularyTexts(templates, language);
    ShapeWorld w = world.withLanguage(Language.TEMPLATES);
    long index = 0;
    for (QueryKind kind : QueryKind.values()) {
      for (int i = 0; i < samplesPerKind; i++) {
        Sample s = w.sample(index++, kind);
        texts.add(s.query());
        texts.add(s.answer());
      }
    }
    return texts;
  }

  /**
   * The vocabulary texts that need no sample: the prompt templates, the reply formats, digits,
   * ShapeWorld's colour, shape, size and location words with their world-knowledge phrases, and
   * {@code language}'s grammar ({@link Language#grammarTexts}: every training entry, complete and
   * without typos; nothing for TEMPLATES). What a vocabulary grows by when a run that starts from
   * another model's ({@code --init-from}) adds a language.
   *
   * @throws IllegalArgumentException for {@link Language#HELD_OUT}
   */
  public static List<String> fixedVocabularyTexts(PromptTemplates templates, Language language) {
    if (language == Language.HELD_OUT) {
      throw new IllegalArgumentException("held-out words must not enter a training vocabulary");
    }
    List<String> texts = new ArrayList<>();
    texts.add(templates.answerPrompt("") + " " + templates.targetPrompt("") + " " + templates.attributesPrompt("", ""));
    texts.add(DESCRIBE_PROMPT + " none color: ; shape: ; size: ; location: grey centre middle upper lower");
    for (int n = 0; n <= 9; n++) {
      texts.add(Integer.toString(n));
    }
    for (Colour c : Colour.values()) {
      texts.add(c.word() + " " + String.join(" ", Knowledge.colourOf(c)));
    }
    for (Shape s : Shape.values()) {
      texts.add(s.word() + " " + s.plural() + " " + String.join(" ", Knowledge.lookingLike(s)));
    }
    for (Size s : Size.values()) {
      texts.add(s.word());
    }
    for (Location l : Location.values()) {
      texts.add(l.words());
    }
    texts.addAll(language.grammarTexts());
    return texts;
  }
}
