package io.llavaseg.shapeworld;

/**
 * How a world words its queries. Answers, targets, attributes, images and masks are the same in
 * every language: only the user's text changes (from a random stream of its own, so the images of
 * a (seed, index) do not depend on the language).
 */
public enum Language {
  /** The project's templates: the default, byte-identical to the worlds before languages existed. */
  TEMPLATES,
  /** The training grammar of {@link Lexicon}: synonyms, polite, indirect and two-sentence forms, typos. */
  PARAPHRASE,
  /** The held-out grammar of {@link Lexicon}: frames and synonyms neither other language produces. */
  HELD_OUT;

  /** The language named on a command line: "templates", "paraphrase", "held-out" (case-insensitive). */
  public static Language parse(String s) {
    return valueOf(s.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
  }

  /**
   * Every entry of this language's part of the grammar ({@link Lexicon}), with the placeholders of
   * its frames removed, and the words the paraphraser adds around them (plurals of the shape and
   * generic nouns, "that is", "in", "coloured", "and", articles): the texts whose words a word-level
   * vocabulary needs to read this language, taken from the grammar itself rather than from samples
   * (complete, and free of typos). Empty for {@link #TEMPLATES}, whose words are the samples' own.
   * PARAPHRASE gives only training entries and HELD_OUT only held-out ones.
   */
  public java.util.List<String> grammarTexts() {
    return this == TEMPLATES ? java.util.List.of() : Lexicon.texts(this);
  }

  /**
   * The words of the training grammar's frames (the requests around a referring expression: "Could
   * you show me", "Mark ..., please", "How many ... are there?") that no referring expression of the
   * training grammar uses, lower case. Held-out entries play no part.
   */
  public static java.util.Set<String> frameWords() {
    return Lexicon.frameWords();
  }

  /** The command-line name: "templates", "paraphrase", "held-out". */
  public String cliName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
