package io.llavaseg.shapeworld;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.DataBufferInt;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LanguageTest {
  private static final ShapeWorld WORLD = new ShapeWorld(424_242L);

  private static Set<String> words(String text) {
    Set<String> out = new HashSet<>();
    for (String w : text.toLowerCase(Locale.ROOT).split("[^a-z']+")) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }

  @Test
  void paraphraseAndHeldOutNeverShareAnEntry() {
    for (Lexicon.Split s : Lexicon.all()) {
      Set<String> shared = new HashSet<>(s.train());
      shared.retainAll(s.heldOut());
      assertTrue(shared.isEmpty(), "shared " + shared);
    }
  }

  @Test
  void everyKindIsParaphrasedWithTheSameImageMaskAndAnswer() {
    for (QueryKind kind : QueryKind.values()) {
      int changed = 0;
      for (int i = 0; i < 20; i++) {
        Sample t = WORLD.sample(i, kind);
        for (Language l : List.of(Language.PARAPHRASE, Language.HELD_OUT)) {
          Sample p = WORLD.withLanguage(l).sample(i, kind);
          assertEquals(t.answer(), p.answer());
          assertEquals(t.target(), p.target());
          assertEquals(t.attributes(), p.attributes());
          assertEquals(t.mask(), p.mask());
          assertArrayEquals(((DataBufferInt) t.image().getRaster().getDataBuffer()).getData(),
              ((DataBufferInt) p.image().getRaster().getDataBuffer()).getData());
          if (!p.query().equals(t.query())) {
            changed++;
          }
        }
      }
      assertTrue(changed >= 36, kind + ": only " + changed + " of 40 reworded");
    }
  }

  @Test
  void heldOutTextUsesNoTrainingOnlyWordAndParaphraseNoHeldOutOnlyWord() {
    Set<String> trainWords = new HashSet<>();
    Set<String> heldWords = new HashSet<>();
    for (Lexicon.Split s : Lexicon.all()) {
      s.train().forEach(e -> trainWords.addAll(words(e)));
      s.heldOut().forEach(e -> heldWords.addAll(words(e)));
    }
    Set<String> trainOnly = new TreeSet<>(trainWords);
    trainOnly.removeAll(heldWords);
    Set<String> heldOnly = new TreeSet<>(heldWords);
    heldOnly.removeAll(trainWords);
    // words of the world itself and of the templates may appear in both
    Set<String> templateWords = new HashSet<>();
    for (int i = 0; i < 3000; i++) {
      templateWords.addAll(words(WORLD.sample(i).query()));
    }
    trainOnly.removeAll(templateWords);
    heldOnly.removeAll(templateWords);
    Set<String> heldOutSeen = new HashSet<>();
    Set<String> paraSeen = new HashSet<>();
    for (int i = 0; i < 1500; i++) {
      heldOutSeen.addAll(words(WORLD.withLanguage(Language.HELD_OUT).sample(i).query()));
      paraSeen.addAll(words(WORLD.withLanguage(Language.PARAPHRASE).sample(i).query()));
    }
    Set<String> leak = new TreeSet<>(trainOnly);
    leak.retainAll(heldOutSeen);
    assertTrue(leak.isEmpty(), "training-only words in held-out text: " + leak);
    Set<String> leak2 = new TreeSet<>(heldOnly);
    leak2.retainAll(paraSeen);
    assertTrue(leak2.isEmpty(), "held-out-only words in paraphrase text: " + leak2);
  }

  @Test
  void heldOutFramesNeverAppearInParaphraseOrTemplateText() {
    Set<String> para = new HashSet<>();
    Set<String> held = new HashSet<>();
    Set<String> templ = new HashSet<>();
    for (int i = 0; i < 1500; i++) {
      para.add(WORLD.withLanguage(Language.PARAPHRASE).sample(i).query());
      held.add(WORLD.withLanguage(Language.HELD_OUT).sample(i).query());
      templ.add(WORLD.sample(i).query());
    }
    Set<String> overlap = new HashSet<>(held);
    overlap.retainAll(para);
    overlap.retainAll(templ);
    Set<String> heldInTemplates = new TreeSet<>(held);
    heldInTemplates.retainAll(templ);
    assertTrue(heldInTemplates.size() < 15, "held-out queries equal to template ones: " + heldInTemplates);
    for (Lexicon.Split s : List.of(Lexicon.SEGMENT, Lexicon.COUNT, Lexicon.COLOUR_OF, Lexicon.EXISTS, Lexicon.DESCRIBE)) {
      for (String frame : s.heldOut()) {
        // the frame as a pattern: its fixed words literal, its slots anything (typos aside)
        java.util.regex.Pattern re = java.util.regex.Pattern.compile(
            "(?i)" + java.util.Arrays.stream(frame.split("\\{[A-Za-z]+\\}", -1))
                .map(java.util.regex.Pattern::quote).reduce((a, b) -> a + ".+" + b).orElseThrow());
        assertTrue(para.stream().noneMatch(q -> re.matcher(q).matches()), "held-out frame in paraphrases: " + frame);
        assertTrue(templ.stream().noneMatch(q -> re.matcher(q).matches()), "held-out frame in templates: " + frame);
      }
    }
  }

  @Test
  void languagesAreDeterministicAndDiffer() {
    ShapeWorld p = WORLD.withLanguage(Language.PARAPHRASE);
    assertEquals(p.sample(17).query(), WORLD.withLanguage(Language.PARAPHRASE).sample(17).query());
    assertNotEquals(p.sample(17).query(), WORLD.withLanguage(Language.HELD_OUT).sample(17).query());
    assertEquals(Language.HELD_OUT, Language.parse("held-out"));
    assertEquals("held-out", Language.HELD_OUT.cliName());
  }

  @Test
  void typosAreRareAndKeepTheFirstLetter() {
    Paraphraser p = new Paraphraser(Language.PARAPHRASE, new java.util.SplittableRandom(1));
    int changed = 0;
    for (int i = 0; i < 1000; i++) {
      String t = p.typos("Could you show me the yellow triangle?");
      if (!t.equals("Could you show me the yellow triangle?")) {
        changed++;
      }
      assertTrue(t.startsWith("C"));
    }
    assertTrue(changed > 50 && changed < 250, "changed " + changed);
  }

  @Test
  void printSome() {
    Map<Language, ShapeWorld> w = new EnumMap<>(Language.class);
    for (Language l : Language.values()) {
      w.put(l, WORLD.withLanguage(l));
    }
    for (int i = 0; i < 30; i++) {
      for (Language l : Language.values()) {
        Sample s = w.get(l).sample(i);
        System.out.printf("%-10s %-11s %s%n", l, s.kind(), s.query());
      }
    }
  }
}
