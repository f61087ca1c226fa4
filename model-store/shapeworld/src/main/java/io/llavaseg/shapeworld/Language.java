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

  /** The command-line name: "templates", "paraphrase", "held-out". */
  public String cliName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
