package io.llavaseg.ops;

import io.llavaseg.eval.ReasonSegWriter;
import io.llavaseg.ops.cli.QueryKindConverter;
import io.llavaseg.ops.cli.SplitOption;
import io.llavaseg.shapeworld.QueryKind;
import io.llavaseg.shapeworld.Sample;
import io.llavaseg.shapeworld.ShapeWorld;
import io.llavaseg.shapeworld.Split;
import io.llavaseg.shapeworld.Style;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ops/llavaseg generate}: writes ShapeWorld samples {@code start .. start+count-1} of a seed
 * (or a split's seed) as a ReasonSeg-format folder ({@code NAME.jpg} + {@code NAME.json}), with
 * progress on stderr. Refuses a non-empty output folder unless {@code --force}; {@code --dry-run}
 * only generates, to measure the generator's speed. The hidden {@code
 * --masks-out} also writes each sample's ground-truth mask as {@code NAME.png}, i.e. a perfect
 * predictions folder for {@code eval}. {@code --style NAME} renders in a rendering style
 * (docs/styles.md); {@code --style list} prints the styles with their groups.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Write a ShapeWorld dataset in ReasonSeg format (NAME.jpg + NAME.json).")
public final class GenerateCommand implements Callable<Integer> {

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder (created); required unless --dry-run.")
  Path out;

  @Option(names = "--count", paramLabel = "N", description = "Number of samples (required unless --style list).")
  Integer count;

  @Option(names = "--seed", paramLabel = "S", description = "World seed (default: the split's seed).")
  Long seed;

  @Mixin SplitOption splitOption;

  @Option(names = "--start", defaultValue = "0", paramLabel = "INDEX", description = "First sample index (default 0).")
  long start;

  @Option(names = "--width", defaultValue = "256", description = "Image width, 64..4096 (default 256).")
  int width;

  @Option(names = "--height", defaultValue = "256", description = "Image height, 64..4096 (default 256).")
  int height;

  @Option(names = "--kind", paramLabel = "KIND", converter = QueryKindConverter.class,
      description = "Force every sample to one query kind (phrase, question, reasoning, knowledge, "
          + "relational, superlative, dialogue, absent, ambiguous); default: drawn by weight.")
  QueryKind kind;

  @Option(names = "--language", defaultValue = "templates", paramLabel = "LANG",
      converter = LanguageConverter.class,
      description = "How queries are worded: templates (default, the project's own), paraphrase (the training "
          + "grammar) or held-out (frames and synonyms neither produces); images, masks and answers are the same.")
  io.llavaseg.shapeworld.Language language;

  /** Reads "templates", "paraphrase", "held-out". */
  static final class LanguageConverter implements CommandLine.ITypeConverter<io.llavaseg.shapeworld.Language> {
    @Override
    public io.llavaseg.shapeworld.Language convert(String value) {
      try {
        return io.llavaseg.shapeworld.Language.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("expected templates, paraphrase or held-out, got " + value);
      }
    }
  }

  @Option(names = "--style", defaultValue = "classic", paramLabel = "NAME",
      description = "Rendering style (default classic; a non-classic style may choose each sample's size "
          + "itself); 'list' prints every style with its group (training or held-out).")
  String styleName;

  @Option(names = "--threads", defaultValue = "1", description = "Worker threads (default 1).")
  int threads;

  @Option(names = "--force", description = "Write into a non-empty folder, overwriting same-named files.")
  boolean force;

  @Option(names = "--dry-run",
      description = "Generate in memory and write nothing: measures the generator's speed.")
  boolean dryRun;

  @Option(names = "--masks-out", hidden = true, paramLabel = "DIR",
      description = "Also write ground-truth masks as NAME.png (0/255) into DIR, drawn as LISA draws the polygons.")
  Path masksOut;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter outw = spec.commandLine().getOut();
    if (styleName.equalsIgnoreCase("list")) {
      listStyles(outw);
      return 0;
    }
    Style style = Style.named(styleName).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
        "unknown style '" + styleName + "'; styles: " + Style.names(Style.all()) + " (--style list describes them)"));
    if (count == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--count=N'");
    }
    Split split = splitOption.split().orElse(null);
    if (out == null && !dryRun) {
      throw new CommandLine.ParameterException(spec.commandLine(), "give --out DIR (or --dry-run)");
    }
    if (seed == null && split == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "give --seed S or --split train|val|test");
    }
    if (seed != null && split != null && seed != split.seed()) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--seed " + seed + " contradicts --split " + split.name().toLowerCase(Locale.ROOT) + " (seed " + split.seed() + ")");
    }
    if (count < 0 || start < 0 || threads < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--count, --start must be >= 0 and --threads >= 1");
    }
    long s = seed != null ? seed : split.seed();
    ShapeWorld world;
    try {
      world = new ShapeWorld(s, width, height).withStyle(style).withLanguage(language);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (!dryRun) {
      prepare(out);
      if (masksOut != null) {
        prepare(masksOut);
      }
    }
    Map<QueryKind, AtomicInteger> kinds = new EnumMap<>(QueryKind.class);
    for (QueryKind k : QueryKind.values()) {
      kinds.put(k, new AtomicInteger());
    }
    AtomicInteger done = new AtomicInteger();
    long t0 = System.nanoTime();
    long[] lastReport = {t0};
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      Future<?>[] workers = new Future<?>[threads];
      AtomicInteger next = new AtomicInteger();
      for (int t = 0; t < threads; t++) {
        workers[t] = pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
            Sample sample = world.sample(start + i, kind);
            try {
              if (dryRun) {
                kinds.get(sample.kind()).incrementAndGet();
                progress(err, done.incrementAndGet(), t0, lastReport);
                continue;
              }
              ReasonSegWriter.write(out, sample);
              if (masksOut != null) {
                ReasonSegWriter.writeMaskPng(ReasonSegWriter.groundTruth(sample), masksOut.resolve(sample.name() + ".png"));
              }
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            kinds.get(sample.kind()).incrementAndGet();
            progress(err, done.incrementAndGet(), t0, lastReport);
          }
          return null;
        });
      }
      for (Future<?> w : workers) {
        w.get();
      }
    } finally {
      pool.shutdownNow();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    outw.printf(Locale.ROOT, "%s %d samples %s (seed %d, %s, style %s, indices %d..%d) in %.1f s, %.0f samples/s%n",
        dryRun ? "generated" : "wrote", count, dryRun ? "in memory" : "to " + out, s,
        style.look().framing() == io.llavaseg.shapeworld.Look.Framing.WORLD ? width + "x" + height : "sizes per sample",
        style.name(), start,
        start + count - 1, secs, count / Math.max(secs, 1e-9));
    StringBuilder sb = new StringBuilder("kinds:");
    kinds.forEach((k, n) -> sb.append(' ').append(k.name().toLowerCase(Locale.ROOT)).append('=').append(n.get()));
    outw.println(sb);
    outw.flush();
    return 0;
  }

  private static void listStyles(PrintWriter out) {
    for (Style st : Style.all()) {
      out.printf(Locale.ROOT, "%-12s %-9s %s%n", st.name(), st.group().word(), st.description());
    }
    out.flush();
  }

  private static synchronized void progress(PrintWriter err, int done, long t0, long[] last) {
    long now = System.nanoTime();
    if (now - last[0] >= 2_000_000_000L) {
      last[0] = now;
      err.printf(Locale.ROOT, "generate: %d samples (%.0f/s)%n", done, done / ((now - t0) / 1e9));
      err.flush();
    }
  }

  private void prepare(Path dir) throws IOException {
    if (Files.isDirectory(dir) && !force) {
      try (Stream<Path> files = Files.list(dir)) {
        if (files.findAny().isPresent()) {
          throw new CommandLine.ParameterException(spec.commandLine(),
              dir + " is not empty (use --force to write into it anyway)");
        }
      }
    }
    Files.createDirectories(dir);
  }
}
