package io.llavaseg.training.reasoner;

import io.llavaseg.model.reasoner.ReasonerModel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llavaseg.model.Reasoner;
import io.llavaseg.shapeworld.ShapeWorld;
import io.llavaseg.shapeworld.Style;
import io.llavaseg.shapeworld.Language;
import io.llavaseg.training.CommittedModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Reproduces the committed reasoner's headline numbers ({@code eval-test.json} in its folder,
 * written by {@code ops/llavaseg eval-reasoner --json}) on 400 fresh samples of a world seed used
 * nowhere else: every rate must reach the headline minus three binomial standard errors (plus 2
 * points); so must the count tokens' accuracy when the headline has it ({@code --count-tokens}).
 * Skipped when the model folder is absent.
 */
class CommittedReasonerTest {
  private static final long FRESH_SEED = 5_000_011L;
  // 400, not 200: on this seed the first 200 samples are harder on size than TEST (v3: 82.1% against
  // 91.6%; 87.0% over 1,000), and 200 gave a 9-point margin that v3 missed by 0.3; with 400 the
  // binomial error is 1.4 times smaller (a 7-point margin) and the test still runs in about 25 s.
  private static final int COUNT = 400;
  private static final int HELD_OUT_COUNT = 200;
  /**
   * The served reasoner's (v11) target match on held-out paraphrases on the camera style, measured
   * 0.813 here on 2026-12-07, as v9's (v7, trained on templates only, measured 0.590).
   */
  private static final double HELD_OUT_TARGET = 0.81;

  @Test
  void committedWeightsReproduceTheHeadlineNumbersOnFreshSamples() throws Exception {
    Path dir = CommittedModels.reasonerDir();
    Path headline = dir.resolve("eval-test.json");
    Assumptions.assumeTrue(Files.exists(dir.resolve("serving.properties")) && Files.exists(headline),
        "no committed reasoner with headline numbers at " + dir);
    JsonNode root = new ObjectMapper().readTree(headline.toFile());
    JsonNode h = root.get("report");
    ReasonerEvaluator.Report r;
    CountTokenProbe.Report probe = null;
    try (ReasonerModel model = ReasonerModel.load(dir, Device.cpu()); Reasoner worker = model.newWorker()) {
      r = ReasonerEvaluator.evaluate(worker, model.templates(), new ShapeWorld(FRESH_SEED), 0, COUNT);
      if (root.has("countTokens")) {
        probe = CountTokenProbe.measure(model, new ShapeWorld(FRESH_SEED), 0, COUNT);
      }
    }
    int targeted = COUNT * 6 / 9;
    int perKind = COUNT / 9;
    List<String> failures = new ArrayList<>();
    check(failures, "target exact", r.targetExact(), h.get("targetExact").asDouble(), targeted);
    for (String k : new String[] {"color", "shape", "size", "location"}) {
      check(failures, "attribute " + k, r.attributeAccuracy().get(k), h.get("attributeAccuracy").get(k).asDouble(), targeted);
    }
    check(failures, "dialogue", r.dialogueAccuracy(), h.get("dialogueAccuracy").asDouble(), perKind);
    check(failures, "absent none", r.absentNoneRate(), h.get("absentNoneRate").asDouble(), perKind);
    if (h.has("dialogueAnyOrder")) {
      check(failures, "dialogue, descriptions in any order", r.dialogueAnyOrder(), h.get("dialogueAnyOrder").asDouble(), perKind);
    }
    if (probe != null) {
      JsonNode c = root.get("countTokens");
      check(failures, "count tokens, shapes", probe.shape(), c.get("shape").asDouble(), COUNT);
      check(failures, "count tokens, the class asked", probe.asked(), c.get("asked").asDouble(), probe.countQuestions());
    }
    assertTrue(failures.isEmpty(), String.join("; ", failures) + "\n" + r.summary());
  }

  /**
   * Issue 24: held-out paraphrases (frames, synonyms and typos never trained on) on a held-out
   * rendering style (camera), 200 fresh samples. The floor guards the served reasoner's measured
   * target match less three binomial standard errors.
   */
  @Test
  void committedWeightsAnswerHeldOutParaphrasesOnAnUnseenStyle() throws Exception {
    Path dir = CommittedModels.reasonerDir();
    Assumptions.assumeTrue(Files.exists(dir.resolve("serving.properties")), "no committed reasoner at " + dir);
    ShapeWorld world = new ShapeWorld(FRESH_SEED + 1).withStyle(Style.named("camera").orElseThrow())
        .withLanguage(Language.HELD_OUT);
    ReasonerEvaluator.Report r;
    try (ReasonerModel model = ReasonerModel.load(dir, Device.cpu()); Reasoner worker = model.newWorker()) {
      r = ReasonerEvaluator.evaluate(worker, model.templates(), world, 0, HELD_OUT_COUNT);
    }
    System.out.println("held-out paraphrases on the camera style: " + r.summary());
    double margin = 3 * Math.sqrt(HELD_OUT_TARGET * (1 - HELD_OUT_TARGET) / (HELD_OUT_COUNT * 6 / 9.0));
    assertTrue(r.targetExact() >= HELD_OUT_TARGET - margin,
        String.format("target exact %.3f < %.3f - %.3f%n%s", r.targetExact(), HELD_OUT_TARGET, margin, r.summary()));
  }

  private static void check(List<String> failures, String name, double got, double headline, int n) {
    double margin = 3 * Math.sqrt(Math.max(headline * (1 - headline), 0.01) / n) + 0.02;
    if (!(got >= headline - margin)) {
      failures.add(String.format("%s %.3f < headline %.3f - %.3f", name, got, headline, margin));
    }
  }
}
