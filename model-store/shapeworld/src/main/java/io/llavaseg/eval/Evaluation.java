package io.llavaseg.eval;

import io.llavaseg.shapeworld.QueryKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a {@link MaskSource} over a ReasonSeg-format dataset, one sample at a time, and scores it as
 * LISA does (see {@link Iou}, {@link Scores}). A sample that cannot be read or whose prediction
 * cannot be used is recorded in the report's errors and left out of the scores, unless {@link
 * Options#failFast()}, which rethrows the first such error.
 */
public final class Evaluation {

  /** Progress callback: {@code done} of {@code total} samples processed. */
  @FunctionalInterface
  public interface Progress {
    void update(int done, int total);
  }

  /** @param failFast stop at the first bad sample (default false) */
  public record Options(boolean failFast, Progress progress) {
    public static Options defaults() {
      return new Options(false, (d, t) -> {});
    }
  }

  private Evaluation() {}

  private static Map<String, EvalReport.Tally> tallies(Map<String, int[]> counts) {
    Map<String, EvalReport.Tally> out = new LinkedHashMap<>();
    counts.forEach((k, v) -> out.put(k, new EvalReport.Tally(v[0], v[1])));
    return out;
  }

  public static EvalReport run(ReasonSegDataset dataset, MaskSource source, Options options)
      throws IOException, DatasetException {
    List<String> names = dataset.names();
    Scores overall = new Scores();
    Map<String, Scores> byKind = new TreeMap<>();
    Map<String, Scores> bySentence = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    List<EvalReport.Failure> errors = new ArrayList<>();
    List<EvalReport.SampleResult> results = new ArrayList<>();
    int dialogueTotal = 0, dialogueAnswered = 0, dialogueCorrect = 0, dialogueAnyOrder = 0;
    Map<String, int[]> dialogueTypes = new TreeMap<>();
    int absentTotal = 0, absentEmpty = 0, ambiguousTotal = 0, ambiguousEmpty = 0;
    int done = 0;
    for (String name : names) {
      try {
        DatasetSample sample = dataset.read(name);
        Prediction pred = source.predict(sample);
        if (pred.mask().width() != sample.width() || pred.mask().height() != sample.height()) {
          throw new DatasetException(sample.imageFile(), "prediction from " + source.describe() + " is "
              + pred.mask().width() + "x" + pred.mask().height() + " but the image is "
              + sample.width() + "x" + sample.height());
        }
        Iou iou = Iou.of(sample.labels(), pred.mask());
        overall.add(iou);
        String kind = sample.kind() == null ? "unspecified" : sample.kind().name().toLowerCase(Locale.ROOT);
        byKind.computeIfAbsent(kind, k -> new Scores()).add(iou);
        bySentence.computeIfAbsent(sample.isSentence() ? "sentence" : "phrase", k -> new Scores()).add(iou);
        if (pred.missing()) {
          missing.add(name);
        }
        Boolean answerCorrect = null;
        if (sample.kind() == QueryKind.DIALOGUE && sample.answer() != null) {
          dialogueTotal++;
          int[] type = dialogueTypes.computeIfAbsent(Answers.dialogueType(sample.answer()), t -> new int[2]);
          type[0]++;
          if (pred.answer() != null) {
            dialogueAnswered++;
            answerCorrect = Answers.matches(sample.answer(), pred.answer());
            dialogueCorrect += answerCorrect ? 1 : 0;
            dialogueAnyOrder += answerCorrect || Answers.sameObjectsListed(sample.answer(), pred.answer()) ? 1 : 0;
            type[1] += answerCorrect ? 1 : 0;
          }
        } else if (sample.kind() == QueryKind.ABSENT) {
          absentTotal++;
          absentEmpty += pred.mask().isEmpty() ? 1 : 0;
        } else if (sample.kind() == QueryKind.AMBIGUOUS) {
          ambiguousTotal++;
          ambiguousEmpty += pred.mask().isEmpty() ? 1 : 0;
        }
        results.add(new EvalReport.SampleResult(name, kind, iou.value(), iou.intersection(), iou.union(),
            pred.missing(), answerCorrect, pred.prompt()));
      } catch (DatasetException e) {
        if (options.failFast()) {
          throw e;
        }
        errors.add(new EvalReport.Failure(name, e.file(), e.getMessage()));
      }
      options.progress().update(++done, names.size());
    }
    return new EvalReport(dataset.dir().toString(), source.describe(), names.size(), overall, byKind, bySentence,
        dialogueTotal, dialogueAnswered, dialogueCorrect, dialogueAnyOrder, tallies(dialogueTypes), absentTotal, absentEmpty, ambiguousTotal, ambiguousEmpty,
        List.copyOf(missing), List.copyOf(errors), List.copyOf(results));
  }
}
