package io.llavaseg.ops;

import io.llavaseg.eval.DatasetException;
import io.llavaseg.eval.EvalReport;
import io.llavaseg.eval.Evaluation;
import io.llavaseg.eval.MaskSource;
import io.llavaseg.eval.ReasonSegDataset;
import io.llavaseg.eval.ReasonSegWriter;
import io.llavaseg.eval.Scores;
import io.llavaseg.shapeworld.Language;
import io.llavaseg.shapeworld.ShapeWorld;
import io.llavaseg.shapeworld.Style;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code eval --styles ... --language ...}: the robustness grid of issue 24. Each cell (rendering
 * style x query language) is {@code count} samples of one world seed, written as a ReasonSeg folder
 * (JPEG, as a user's images arrive) and scored by the same {@link Evaluation} as {@code eval
 * --dataset}; the same sample indices in every cell, so cells differ only in look and wording. The
 * summary averages cells by the style's group (seen in training or held out) and by language.
 */
final class RobustnessGrid {

  /** One cell's result. */
  record Cell(Style style, Language language, EvalReport report) {}

  private final long seed;
  private final int count;
  private final List<Style> styles;
  private final List<Language> languages;

  RobustnessGrid(long seed, int count, List<Style> styles, List<Language> languages) {
    this.seed = seed;
    this.count = count;
    this.styles = List.copyOf(styles);
    this.languages = List.copyOf(languages);
  }

  List<Cell> run(MaskSource source, Path workDir, Consumer<String> log) throws IOException, DatasetException {
    List<Cell> cells = new ArrayList<>();
    for (Style style : styles) {
      for (Language language : languages) {
        Path dir = workDir.resolve(style.name() + "-" + language.cliName());
        Files.createDirectories(dir);
        ShapeWorld world = new ShapeWorld(seed).withStyle(style).withLanguage(language);
        for (int i = 0; i < count; i++) {
          ReasonSegWriter.write(dir, world.sample(i));
        }
        EvalReport report = Evaluation.run(new ReasonSegDataset(dir, false), source, Evaluation.Options.defaults());
        log.accept(String.format(Locale.ROOT, "eval: %-12s %-9s %-11s gIoU %.3f  cIoU %.3f  (%d samples)",
            style.name(), style.group().word(), language.cliName(), report.giou(), report.ciou(), report.count()));
        cells.add(new Cell(style, language, report));
      }
    }
    return cells;
  }

  /** The JSON fields: settings, every cell (with gIoU/cIoU by kind), and the group x language means. */
  Map<String, Object> toJson(List<Cell> cells, String source) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("source", source);
    out.put("seed", seed);
    out.put("samples_per_cell", count);
    out.put("metric", "LISA-exact gIoU / cIoU (ReasonSeg polygons drawn as get_mask_from_json draws them)");
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Cell c : cells) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("style", c.style().name());
      row.put("group", c.style().group().word());
      row.put("language", c.language().cliName());
      row.put("giou", round(c.report().giou()));
      row.put("ciou", round(c.report().ciou()));
      row.put("dialogue_accuracy", round(c.report().dialogueAccuracy()));
      Map<String, Object> kinds = new LinkedHashMap<>();
      c.report().byKind().forEach((k, s) -> kinds.put(k, scores(s)));
      row.put("by_kind", kinds);
      row.put("errors", c.report().errors().size());
      rows.add(row);
    }
    out.put("cells", rows);
    Map<String, Object> summary = new LinkedHashMap<>();
    for (Style.Group group : Style.Group.values()) {
      for (Language language : languages) {
        List<Cell> in = cells.stream().filter(c -> c.style().group() == group && c.language() == language).toList();
        if (!in.isEmpty()) {
          summary.put(group.word() + "_styles_" + language.cliName() + "_giou",
              round(in.stream().mapToDouble(c -> c.report().giou()).average().orElse(Double.NaN)));
        }
      }
    }
    out.put("summary", summary);
    return out;
  }

  private static Map<String, Object> scores(Scores s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", s.count());
    m.put("giou", round(s.giou()));
    m.put("ciou", round(s.ciou()));
    return m;
  }

  private static Double round(double v) {
    return Double.isNaN(v) ? null : Math.round(v * 10000) / 10000.0;
  }
}
