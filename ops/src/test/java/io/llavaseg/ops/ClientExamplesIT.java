package io.llavaseg.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.llavaseg.shapeworld.QueryKind;
import io.llavaseg.shapeworld.Sample;
import io.llavaseg.shapeworld.ShapeWorld;
import io.llavaseg.topology.LlavasegService;
import io.llavaseg.topology.ServiceConfig;
import io.llavaseg.topology.model.BackendModelProvider;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

/**
 * The client examples of {@code docs/examples/} run as a user runs them, as child processes,
 * against a real service: {@code ops/llavaseg up}'s KRaft broker and registry (child processes), the
 * service on the committed models in this JVM. Each example must print the same answer and the same
 * mask (area, bbox) as {@code ops/llavaseg send}, the project's own client, for the same image and
 * question, and write a PNG whose white pixels are the mask's area. The Java example runs with a
 * classpath of the schemas artifact and its runtime dependencies only (Kafka clients, Avro, Jackson,
 * SLF4J, the compression codecs); the Python one needs Debian's python3-confluent-kafka and
 * python3-avro and is skipped without them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientExamplesIT {

  private static final Path ROOT = Path.of(System.getProperty("llavaseg.home", "..")).toAbsolutePath().normalize();
  private static final Pattern MASK_LINE = Pattern.compile("(?m)^mask:\\s+(\\d+) px, bbox (\\[[^\\]]*\\])");
  /** What AskClient needs besides the JDK: the schemas artifact and its runtime dependencies. */
  private static final Pattern JAVA_EXAMPLE_CLASSPATH = Pattern.compile(
      "/schemas/target/|llavaseg-schemas|kafka-clients|/org/apache/avro/avro/|/com/fasterxml/jackson/core/"
          + "|slf4j-api|zstd-jni|lz4-java|snappy-java");

  private Path dir;
  private Path state;
  private LlavasegService service;
  private Sample sample;
  private Path image;
  private String expectedAnswer;
  private String expectedMask;
  private String bootstrap;
  private String registry;

  private record Run(int code, String out, String err) {}

  @BeforeAll
  void startTheServiceAndAskItWithSend() throws Exception {
    dir = Files.createTempDirectory("client-examples");
    state = dir.resolve("state");
    Run up = ops("up", "--dir", state.toString());
    assertEquals(0, up.code(), up.err());
    Properties printed = new Properties();
    printed.load(new java.io.StringReader(up.out()));
    bootstrap = printed.getProperty("bootstrap.servers");
    registry = printed.getProperty("schema.registry.url");

    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put(ServiceConfig.SCHEMA_REGISTRY_URL, registry);
    props.put("application.id", "llavaseg-client-examples");
    props.put("state.dir", dir.resolve("streams-state").toString());
    props.put(ServiceConfig.TOPICS_CREATE, "true");
    props.put("commit.interval.ms", "50");
    service = LlavasegService.start(ServiceConfig.from(props), new BackendModelProvider());
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (service.streams().state() != KafkaStreams.State.RUNNING) {
      assertTrue(System.nanoTime() < deadline, "service not RUNNING: " + service.streams().state());
      service.awaitStop(Duration.ofMillis(100));
    }

    sample = new ShapeWorld(11).sample(1, QueryKind.KNOWLEDGE);
    image = dir.resolve("query.png");
    ImageIO.write(sample.image(), "png", image.toFile());
    Run sent = ops("send", "--dir", state.toString(), "--image", image.toString(), "--question", sample.query(),
        "--timeout", "3m");
    assertEquals(0, sent.code(), sent.out() + sent.err());
    expectedAnswer = line(sent.out(), "answer:");
    expectedMask = maskOf(sent.out());
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (service != null) {
        service.close();
      }
    } finally {
      if (state != null) {
        ops("down", "--dir", state.toString());
      }
    }
  }

  @Test
  void javaExampleShouldPrintTheAnswerAndWriteTheMask() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> JAVA_EXAMPLE_CLASSPATH.matcher(entry.replace(File.separatorChar, '/')).find())
        .collect(Collectors.joining(File.pathSeparator));
    assertTrue(classpath.contains("kafka-clients") && classpath.contains("avro"), classpath);
    Path mask = dir.resolve("mask-java.png");
    Run run = run(List.of(java.toString(), "-cp", classpath,
        ROOT.resolve("docs/examples/java/AskClient.java").toString(), "--bootstrap-servers", bootstrap,
        "--schema-registry-url", registry, "--image", image.toString(), "--question", sample.query(),
        "--mask-out", mask.toString(), "--timeout", "180"));
    checkOutput("AskClient.java", run, mask);
  }

  @Test
  void pythonExampleShouldPrintTheAnswerAndWriteTheMask() throws Exception {
    Optional<String> python = pythonWithClients();
    assumeTrue(python.isPresent(), "no python3 with confluent_kafka and avro (apt-get install python3-confluent-kafka python3-avro "
        + "python3-requests): the Python client example is not run");
    Path mask = dir.resolve("mask-python.png");
    Run run = run(List.of(python.get(), ROOT.resolve("docs/examples/python/ask.py").toString(),
        "--bootstrap-servers", bootstrap, "--schema-registry-url", registry, "--image", image.toString(),
        "--question", sample.query(), "--mask-out", mask.toString(), "--timeout", "180"));
    checkOutput("ask.py", run, mask);
  }

  private void checkOutput(String example, Run run, Path maskPng) throws IOException {
    String all = run.out() + "\n--- stderr ---\n" + run.err();
    System.out.println("--- " + example + " ---\n" + all);
    assertEquals(0, run.code(), example + " exit code:\n" + all);
    assertEquals(expectedAnswer, line(run.out(), "answer:"), example + " prints send's answer:\n" + all);
    assertTrue(run.out().contains("by shapeworld-reasoner:"), all);
    assertTrue(run.out().contains("by shapeworld-segmenter:"), all);
    assertEquals(expectedMask, maskOf(run.out()), example + " prints send's mask:\n" + all);
    BufferedImage png = ImageIO.read(maskPng.toFile());
    assertEquals(sample.image().getWidth(), png.getWidth());
    assertEquals(sample.image().getHeight(), png.getHeight());
    long white = 0;
    for (int y = 0; y < png.getHeight(); y++) {
      for (int x = 0; x < png.getWidth(); x++) {
        white += png.getRaster().getSample(x, y, 0) == 255 ? 1 : 0;
      }
    }
    Matcher m = MASK_LINE.matcher(run.out());
    assertTrue(m.find() && white > 0 && white == Long.parseLong(m.group(1)),
        example + ": the PNG has " + white + " white pixels:\n" + all);
  }

  /** The first of python3 and Debian's /usr/bin/python3 that imports both client libraries. */
  private static Optional<String> pythonWithClients() {
    for (String candidate : List.of("python3", "/usr/bin/python3")) {
      try {
        Run probe = run(List.of(candidate, "-c", "import confluent_kafka.schema_registry, avro"));
        if (probe.code() == 0) {
          return Optional.of(candidate);
        }
      } catch (IOException | InterruptedException notThere) {
        // try the next
      }
    }
    return Optional.empty();
  }

  private static Run run(List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("example", ".out");
    Path err = Files.createTempFile("example", ".err");
    try {
      Process p = new ProcessBuilder(new ArrayList<>(command)).directory(ROOT.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly().waitFor();
        throw new AssertionError(command.get(0) + " did not end within 5 minutes: "
            + Files.readString(out) + Files.readString(err));
      }
      return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static Run ops(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static String line(String text, String label) {
    return text.lines().filter(l -> l.startsWith(label)).findFirst()
        .orElseThrow(() -> new AssertionError("no '" + label + "' line in:\n" + text));
  }

  private static String maskOf(String text) {
    Matcher m = MASK_LINE.matcher(text);
    assertTrue(m.find(), "no mask line in:\n" + text);
    return m.group(1) + " px, bbox " + m.group(2);
  }
}
