package io.llavaseg.training.reasoner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.llavaseg.model.Generation;
import io.llavaseg.model.ImageChat;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.cot.PromptTemplates;
import io.llavaseg.model.reasoner.ReasonerBlock;
import io.llavaseg.model.reasoner.ReasonerConfig;
import io.llavaseg.model.reasoner.ReasonerModel;
import io.llavaseg.model.reasoner.Vocabulary;
import io.llavaseg.shapeworld.Language;
import io.llavaseg.shapeworld.QueryKind;
import io.llavaseg.shapeworld.Sample;
import io.llavaseg.shapeworld.ShapeWorld;
import io.llavaseg.shapeworld.Split;
import io.llavaseg.shapeworld.TrainingStyles;
import io.llavaseg.training.CommittedModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on the paraphrase language from reasoner v7 (templates only, where v8 and v9 started): the vocabulary grows (old ids kept,
 * no held-out word), {@code --init-from} copies the old rows, and a short run writes a model folder.
 */
class LanguageTrainingTest {
  private static final PromptTemplates T = PromptTemplates.DEFAULT;

  private static Vocabulary served() throws Exception {
    return Vocabulary.load(CommittedModels.templatesOnlyReasonerDir().resolve("vocab.txt"));
  }

  private static Vocabulary grown() throws Exception {
    return served().grow(InstructionData.fixedVocabularyTexts(T, Language.PARAPHRASE));
  }

  private static Set<String> lowerWords(List<String> texts) {
    Set<String> out = new TreeSet<>();
    for (String t : texts) {
      for (String w : Vocabulary.split(t)) {
        if (Character.isLetter(w.charAt(0))) {
          out.add(w.toLowerCase(Locale.ROOT));
        }
      }
    }
    return out;
  }

  @Test
  void theVocabularyGrowsWithEveryOldIdUnchangedAndNoHeldOutOnlyWord() throws Exception {
    Vocabulary v7 = served();
    Vocabulary g = grown();
    assertTrue(g.size() > v7.size(), "no new word: " + g.size());
    assertEquals(v7.tokens(), g.tokens().subList(0, v7.size()));
    for (String w : List.of("scarlet", "disc", "rhombus", "beside", "underneath", "tiniest", "Could")) {
      assertTrue(g.tokens().contains(w), w);
    }
    // words only the held-out grammar uses: neither the training grammar nor the served vocabulary has them
    Set<String> heldOutOnly = lowerWords(Language.HELD_OUT.grammarTexts());
    heldOutOnly.removeAll(lowerWords(Language.PARAPHRASE.grammarTexts()));
    heldOutOnly.removeAll(lowerWords(v7.tokens()));
    assertTrue(heldOutOnly.containsAll(List.of("very", "farthest", "lowermost")), heldOutOnly.toString());
    Set<String> leaked = new TreeSet<>(lowerWords(g.tokens()));
    leaked.retainAll(heldOutOnly);
    assertTrue(leaked.isEmpty(), "held-out words in the vocabulary: " + leaked);
    assertThrows(IllegalArgumentException.class, () -> InstructionData.fixedVocabularyTexts(T, Language.HELD_OUT));
    // templates alone add nothing to the served vocabulary
    assertEquals(v7.size(), v7.grow(InstructionData.fixedVocabularyTexts(T, Language.TEMPLATES)).size());
  }

  /** Whether {@code w} is {@code t} with two neighbours swapped or one letter dropped (never the first). */
  private static boolean typoOf(String w, String t) {
    for (int k = 1; k < t.length(); k++) {
      if (w.equals(t.substring(0, k) + t.substring(k + 1))) {
        return true;
      }
      if (k + 1 < t.length() && w.equals(t.substring(0, k) + t.charAt(k + 1) + t.charAt(k) + t.substring(k + 2))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void theVocabularyCoversParaphraseTrainingText() throws Exception {
    Vocabulary g = grown();
    ShapeWorld world = ShapeWorld.of(Split.TRAIN).withLanguage(Language.PARAPHRASE);
    QueryKind[] kinds = QueryKind.values();
    int words = 0;
    List<String> unknown = new ArrayList<>();
    int maxText = ReasonerConfig.defaults(g.size()).maxText();
    int cut = 0;
    int longest = 0;
    for (int i = 0; i < 540; i++) {
      Sample s = world.sample(1_000_000L + i, kinds[i % kinds.length]);
      if (s.targetIndex() >= 0) { // the longest row: the question, the attribute step's request and the attribute line
        int prompt = g.encode(T.attributesPrompt(s.query(), s.target())).length;
        longest = Math.max(longest, prompt);
        cut += prompt > maxText - 3 - g.encode(s.attributes()).length ? 1 : 0;
      }
      for (String w : Vocabulary.split(s.query())) {
        words++;
        if (g.id(w) == Vocabulary.UNK_ID) {
          // only a typo too short for the vocabulary's one-edit fallback may stay unknown
          String lw = w.toLowerCase(Locale.ROOT);
          boolean shortTypo = lw.length() < Vocabulary.MIN_FALLBACK_LENGTH
              && g.tokens().stream().anyMatch(t -> t.length() >= 4 && typoOf(lw, t.toLowerCase(Locale.ROOT)));
          assertTrue(shortTypo, "'" + w + "' of '" + s.query() + "' is unknown");
          unknown.add(w);
        }
      }
    }
    System.out.printf(Locale.ROOT, "PARAPHRASE attribute prompts cut to fit %d text positions: %d of 540 samples"
        + " (longest %d tokens); unknown words %d of %d: %s%n", maxText, cut, longest, unknown.size(), words, unknown);
    assertTrue(unknown.size() < words / 100, unknown.size() + " of " + words + " words unknown: " + unknown);
  }

  @Test
  void initFromCopiesTheServedRowsAndLeavesTheNewWordsFresh() throws Exception {
    Path v7dir = CommittedModels.templatesOnlyReasonerDir();
    Vocabulary g = grown();
    int old = served().size();
    Engine.getInstance().setRandomSeed(5);
    try (NDManager manager = NDManager.newBaseManager();
        Model source = Model.newInstance(ReasonerModel.PARAMS_NAME, "PyTorch")) {
      ReasonerBlock block = new ReasonerBlock(ReasonerConfig.defaults(g.size()));
      block.initializeAll(manager);
      float[] freshEmb = row(block, "tokEmb", g.size() - 1);
      String log = ReasonerTrainer.initLanguageSide(block, g, v7dir);
      assertTrue(log.contains("rows (the vocabulary grew)"), log);

      Properties serving = new Properties();
      try (Reader r = Files.newBufferedReader(v7dir.resolve("serving.properties"))) {
        serving.load(r);
      }
      source.setBlock(new ReasonerBlock(ReasonerConfig.from(serving)));
      source.load(v7dir, ReasonerModel.PARAMS_NAME);
      var saved = source.getBlock().getParameters();
      int vocabParams = 0;
      for (var e : block.getParameters()) {
        NDArray dst = e.getValue().getArray();
        NDArray src = saved.get(e.getKey()).getArray();
        if (dst.getShape().equals(src.getShape())) {
          assertArrayEquals(src.toFloatArray(), dst.toFloatArray(), e.getKey());
        } else {
          vocabParams++;
          assertEquals(g.size(), dst.getShape().get(0), e.getKey());
          for (int id : new int[] {0, Vocabulary.SEP_ID, 17, old / 2, old - 1}) {
            assertArrayEquals(src.get(new NDIndex(id)).toFloatArray(), dst.get(new NDIndex(id)).toFloatArray(),
                e.getKey() + " row " + id);
          }
        }
      }
      assertEquals(3, vocabParams, "token embedding, head weight and head bias");
      assertArrayEquals(freshEmb, row(block, "tokEmb", g.size() - 1), "a new word's row keeps its fresh initialisation");
    }
  }

  private static float[] row(ReasonerBlock block, String name, int id) {
    return block.getParameters().get(name).getArray().get(new NDIndex(id)).toFloatArray();
  }

  @Test
  void aShortParaphraseRunFromTheServedModelWritesALoadableFolder(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("v8");
    ReasonerTrainer.Options d = ReasonerTrainer.defaults(out, tmp.resolve("work"));
    ReasonerTrainer.Options o = new ReasonerTrainer.Options(out, d.work(), 20, 3, false, 4, 0, 0, 20, 3, 60, 1e-4f, 2, 64,
        d.vocabSamplesPerKind(), false, CommittedModels.templatesOnlyReasonerDir(), 1.0f, 1.0f, 0.08,
        new double[] {0.07, 0.07, 0.08, 0.04, 0.11, 0.07, 0.40, 0.08, 0.08}, true, TrainingStyles.CLASSIC)
        .withLanguage(Language.PARAPHRASE, 0.5, Language.PARAPHRASE);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    new ReasonerTrainer(o, new PrintStream(log, true, StandardCharsets.UTF_8)).run();
    String text = log.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("done: 20 steps"), text);
    assertFalse(text.contains("data producer failed"), text);

    Vocabulary v = Vocabulary.load(out.resolve("vocab.txt"));
    assertTrue(v.size() > served().size(), "vocab " + v.size());
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(out.resolve("training.properties"))) {
      p.load(r);
    }
    assertEquals("paraphrase", p.getProperty("language"));
    assertEquals("0.5", p.getProperty("paraphraseShare"));
    assertEquals("paraphrase", p.getProperty("valLanguage"));
    assertEquals(Integer.toString(v.size()), p.getProperty("vocabSize"));
    try (ReasonerModel loaded = ReasonerModel.load(out, Device.cpu()); Reasoner worker = loaded.newWorker()) {
      assertEquals(v.size(), loaded.config().vocabSize());
      Sample s = ShapeWorld.of(Split.VAL).withLanguage(Language.PARAPHRASE).sample(0, QueryKind.PHRASE);
      try (ImageChat chat = worker.open(s.image())) {
        Generation gen = chat.ask(loaded.templates().targetPrompt(s.query()));
        assertFalse(gen.text().isBlank());
      }
    }
  }
}
