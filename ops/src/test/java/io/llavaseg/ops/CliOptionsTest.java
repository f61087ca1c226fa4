package io.llavaseg.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.shapeworld.Language;
import io.llavaseg.shapeworld.QueryKind;
import io.llavaseg.shapeworld.Split;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** The shared options (io.llavaseg.ops.cli) as the real commands parse them. */
class CliOptionsTest {

  /** Parses {@code args} with the real command tree and returns the innermost command object. */
  @SuppressWarnings("unchecked")
  static <T> T parse(String... args) {
    ParseResult r = new CommandLine(new Main()).parseArgs(args);
    while (r.hasSubcommand()) {
      r = r.subcommand();
    }
    return (T) r.commandSpec().userObject();
  }

  record Run(int exit, String out, String err) {}

  static Run execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void shouldGiveDemoTheClusterOptionsAndADurationTimeout() {
    DemoCommand demo = parse("demo", "--bootstrap-servers", "kafka:9092", "--schema-registry-url",
        "http://registry:8080/apis/ccompat/v7", "--timeout", "90s");
    assertEquals(Optional.of("kafka:9092"), demo.cluster.bootstrapServers());
    assertEquals(Optional.of("http://registry:8080/apis/ccompat/v7"), demo.cluster.schemaRegistryUrl());
    assertEquals(Duration.ofSeconds(90), demo.timeout);
  }

  @Test
  void shouldStartEmbeddedByDefaultAndKeepTheDefaultsOfDurations() {
    DemoCommand demo = parse("demo");
    assertEquals(Optional.empty(), demo.cluster.bootstrapServers());
    assertEquals(Optional.empty(), demo.cluster.schemaRegistryUrl());
    assertEquals(Duration.ofMinutes(10), demo.timeout);
    FeedCommand feed = parse("feed");
    assertEquals(Duration.ofSeconds(10), feed.duration);
    assertEquals(Duration.ofMinutes(2), feed.drain);
    BenchCommand bench = parse("bench");
    assertEquals(Duration.ofSeconds(30), bench.load);
    assertEquals(Duration.ofMinutes(10), bench.soak);
    assertEquals(Duration.ofMillis(1200), bench.reasoningFixed);
    assertEquals(Duration.ofMillis(30), bench.segmentationPerQuery);
    assertEquals(32, bench.deviceBatch);
    assertEquals(Optional.empty(), bench.output.json());
    ClusterCommand cluster = parse("cluster");
    assertEquals(Duration.ofSeconds(30), cluster.lagEvery);
    TrainSegmenterCommand seg = parse("train", "segmenter", "--out", "x", "--steps", "1");
    assertEquals(Duration.ofMinutes(3), seg.checkpointEvery);
    TrainReasonerCommand rea = parse("train", "reasoner", "--out", "x", "--steps", "1");
    assertEquals(Duration.ofMinutes(4), rea.checkpointEvery);
  }

  @Test
  void shouldTrainTheReasonerOnTemplatesByDefaultAndOnParaphrasesWhenAsked() {
    TrainReasonerCommand plain = parse("train", "reasoner", "--out", "x", "--steps", "1");
    assertEquals(Language.TEMPLATES, plain.options().language());
    assertEquals(java.util.List.of(Language.TEMPLATES), plain.options().valLanguages());
    TrainReasonerCommand para = parse("train", "reasoner", "--out", "x", "--steps", "1", "--language", "paraphrase",
        "--paraphrase-share", "0.3", "--val-language", "paraphrase");
    assertEquals(Language.PARAPHRASE, para.options().language());
    assertEquals(0.3, para.options().paraphraseShare());
    assertEquals(java.util.List.of(Language.PARAPHRASE), para.options().valLanguages());
    TrainReasonerCommand both = parse("train", "reasoner", "--out", "x", "--steps", "1", "--language", "paraphrase",
        "--val-language", "templates,paraphrase");
    assertEquals(java.util.List.of(Language.TEMPLATES, Language.PARAPHRASE), both.options().valLanguages());
    Run heldOut = execute("train", "reasoner", "--out", "x", "--steps", "1", "--language", "held-out");
    assertEquals(2, heldOut.exit());
    assertTrue(heldOut.err().contains("--language"), heldOut.err());
  }

  @Test
  void shouldCompareOnValFromIndexZeroByDefaultAndRefuseADataset() {
    EvalCommand compare = parse("eval", "--compare");
    assertTrue(compare.compare);
    assertEquals(0L, compare.start);
    assertEquals(270, compare.dialogueCount);
    assertEquals(null, compare.count, "each mode has its own default sample count");
    EvalCommand test = parse("eval", "--compare", "--split", "test", "--start", "5000", "--count", "900");
    assertEquals(io.llavaseg.shapeworld.Split.TEST, test.splitOption.orElse(io.llavaseg.shapeworld.Split.VAL));
    assertEquals(5000L, test.start);
    assertEquals(900, test.count);
    Run both = execute("eval", "--compare", "--dataset", "somewhere");
    assertEquals(2, both.exit());
    assertTrue(both.err().contains("--compare generates its samples"), both.err());
  }

  @Test
  void shouldKeepThePlainNumberUnitOfOptionsThatAlwaysHadOne() {
    FeedCommand feed = parse("feed", "--duration", "45", "--drain", "PT30S");
    assertEquals(Duration.ofSeconds(45), feed.duration);
    assertEquals(Duration.ofSeconds(30), feed.drain);
    TrainSegmenterCommand seg = parse("train", "segmenter", "--out", "x", "--steps", "1", "--checkpoint-minutes", "0.5");
    assertEquals(Duration.ofSeconds(30), seg.checkpointEvery);
  }

  @Test
  void shouldParseDurationsOfTheClusterAndRunCommandsLikeServiceProperties() {
    ClusterCommand cluster = parse("cluster", "--simulated-models", "30ms", "--lag-every", "5s", "--for", "PT10M");
    assertEquals(Duration.ofMillis(30), cluster.simulated);
    assertEquals(Duration.ofSeconds(5), cluster.lagEvery);
    assertEquals(Duration.ofMinutes(10), cluster.runFor);
    RunCommand run = parse("run", "--config", "service.properties", "--simulated-models", "50ms");
    assertEquals(Duration.ofMillis(50), run.simulatedWait);
    RunCommand outage = parse("run", "--config", "service.properties", "--simulated-models", "50ms",
        "--simulated-outage-file", "drill/outage");
    assertEquals(Path.of("drill/outage"), outage.simulatedOutageFile);
  }

  @Test
  void shouldGiveTheEvalCommandsTheSplitAndJsonOptions() {
    EvalReasonerCommand reasoner = parse("eval-reasoner", "--split", "VAL", "--json", "out/r.json", "--kinds", "dialogue,Absent");
    assertEquals(Optional.of(Split.VAL), reasoner.split.split());
    assertEquals(Optional.of(Path.of("out/r.json")), reasoner.output.json());
    assertEquals(List.of(QueryKind.DIALOGUE, QueryKind.ABSENT), reasoner.kinds);
    assertFalse(reasoner.jpeg, "the rendered pixels by default");
    EvalReasonerCommand jpeg = parse("eval-reasoner", "--jpeg");
    assertTrue(jpeg.jpeg);
    EvalSegmenterCommand segmenter = parse("eval-segmenter");
    assertEquals(Optional.empty(), segmenter.split.split());
    assertEquals(Split.TEST, segmenter.split.orElse(Split.TEST));
    assertEquals(Optional.empty(), segmenter.output.json());
    GenerateCommand generate = parse("generate", "--count", "1", "--split", "train");
    assertEquals(Optional.of(Split.TRAIN), generate.splitOption.split());
    EvalCommand eval = parse("eval", "--dataset", "d", "--json", "report.json");
    assertEquals(Optional.of(Path.of("report.json")), eval.output.json());
    BenchCommand bench = parse("bench", "--json", "b.json");
    assertEquals(Optional.of(Path.of("b.json")), bench.output.json());
  }

  @Test
  void shouldExitWithAUsageErrorListingTheSplitsForAnUnknownSplit() {
    Run r = execute("eval-reasoner", "--split", "testing");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("Invalid value for option '--split': expected one of train, val, test (any case), got 'testing'"),
        r.err());
  }

  @Test
  void shouldExitWithAUsageErrorForABadDuration() {
    Run r = execute("demo", "--timeout", "soon");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("Invalid value for option '--timeout': expected a duration like 30s"), r.err());
  }

  @Test
  void shouldRefuseAFeedClusterWithoutItsRegistryBeforeStartingAnything() {
    Run r = execute("feed", "--bootstrap-servers", "127.0.0.1:1");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--bootstrap-servers needs --schema-registry-url"), r.err());
  }

  @Test
  void shouldPrintTheHelpOfEveryCommandWithItsPercentSigns() {
    CommandLine root = new CommandLine(new Main());
    StringBuilder all = new StringBuilder();
    visit(root, all);
    String bench = root.getSubcommands().get("bench").getUsageMessage().replaceAll("\\s+", " ");
    assertTrue(bench.contains("at 50% and 90% of b"), bench);
    assertFalse(all.toString().contains("%%"), "a doubled percent sign reached a help text");
  }

  private static void visit(CommandLine cl, StringBuilder all) {
    String usage = cl.getUsageMessage();
    assertTrue(usage.startsWith("Usage: "), usage);
    all.append(usage);
    for (Map.Entry<String, CommandLine> sub : cl.getSubcommands().entrySet()) {
      if (!sub.getKey().equals("help")) {
        visit(sub.getValue(), all);
      }
    }
  }
}
