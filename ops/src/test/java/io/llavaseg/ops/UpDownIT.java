package io.llavaseg.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ops/llavaseg up} then {@code down}, as a user runs them: real child processes (a
 * background JVM owning a KRaft broker and the registry), addresses read from what {@code up}
 * printed, and nothing left running after {@code down}.
 */
class UpDownIT {

  private record Result(int code, String out, String err) {}

  private static Result ops(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private static Properties properties(String text) throws Exception {
    Properties p = new Properties();
    p.load(new java.io.StringReader(text));
    return p;
  }

  @Test
  void shouldStartABrokerAndRegistryInTheBackgroundThatAnswerUntilDown(@TempDir Path dir) throws Exception {
    Path state = dir.resolve("state");
    try {
      Result up = ops("up", "--dir", state.toString());
      assertEquals(0, up.code(), up.err());
      Properties printed = properties(up.out());
      String bootstrap = printed.getProperty("bootstrap.servers");
      String registry = printed.getProperty("schema.registry.url");
      assertTrue(bootstrap != null && bootstrap.startsWith("127.0.0.1:"), up.out());
      assertTrue(registry != null && registry.endsWith("/apis/ccompat/v7"), up.out());
      assertTrue(up.err().contains("ops/llavaseg run --config ops/config/service.properties --set bootstrap.servers="
          + bootstrap + " --set schema.registry.url=" + registry), up.err());
      Properties written = properties(Files.readString(state.resolve(UpState.ADDRESSES), StandardCharsets.UTF_8));
      assertEquals(printed, written);

      // up returned; both keep answering
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        assertFalse(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).isEmpty());
        admin.createTopics(List.of(new NewTopic("up-probe", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("up-probe"));
      }
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> subjects = http.send(
          HttpRequest.newBuilder(URI.create(registry + "/subjects")).timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, subjects.statusCode());
      assertEquals("[]", subjects.body().trim());

      // a service on them answers a query sent with `send`, which finds the addresses in up's directory
      sendOneQuery(dir, state, bootstrap, registry);

      // a second up finds them and starts nothing
      UpState before = UpState.read(state).orElseThrow();
      Result again = ops("up", "--dir", state.toString());
      assertEquals(0, again.code(), again.err());
      assertEquals(printed, properties(again.out()));
      assertTrue(again.err().contains("already up"), again.err());
      assertEquals(before, UpState.read(state).orElseThrow());

      Result down = ops("down", "--dir", state.toString());
      assertEquals(0, down.code(), down.err());
      for (UpState.Proc p : List.of(before.supervisor(), before.broker(), before.registry())) {
        assertTrue(p.live().isEmpty(), "pid " + p.pid() + " still runs after down: " + down.err());
      }
      assertFalse(Files.exists(state.resolve(UpState.PIDS)));
      assertFalse(Files.exists(state.resolve(UpState.ADDRESSES)));
      int port = URI.create(registry).getPort();
      assertThrowsConnect(port);

      Result downAgain = ops("down", "--dir", state.toString());
      assertEquals(0, downAgain.code());
      assertTrue(downAgain.err().contains("nothing is up"), downAgain.err());
    } finally {
      ops("down", "--dir", state.toString());
    }
  }

  private static void sendOneQuery(Path dir, Path state, String bootstrap, String registry) throws Exception {
    java.util.Properties props = new java.util.Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put(io.llavaseg.topology.ServiceConfig.SCHEMA_REGISTRY_URL, registry);
    props.put("application.id", "llavaseg-updown");
    props.put("state.dir", dir.resolve("streams-state").toString());
    props.put(io.llavaseg.topology.ServiceConfig.TOPICS_CREATE, "true");
    props.put("commit.interval.ms", "50");
    io.llavaseg.topology.ServiceConfig config = io.llavaseg.topology.ServiceConfig.from(props);
    io.llavaseg.shapeworld.Sample sample =
        new io.llavaseg.shapeworld.ShapeWorld(11).sample(1, io.llavaseg.shapeworld.QueryKind.KNOWLEDGE);
    Path image = dir.resolve("query.png");
    javax.imageio.ImageIO.write(sample.image(), "png", image.toFile());
    Path maskPng = dir.resolve("mask.png");
    try (io.llavaseg.topology.LlavasegService service = io.llavaseg.topology.LlavasegService.start(
        config, new io.llavaseg.topology.model.BackendModelProvider())) {
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (service.streams().state() != org.apache.kafka.streams.KafkaStreams.State.RUNNING) {
        assertTrue(System.nanoTime() < deadline, "service not RUNNING: " + service.streams().state());
        service.awaitStop(Duration.ofMillis(100)); // a bounded wait on the service's own stop latch
      }
      Result sent = ops("send", "--dir", state.toString(), "--image", image.toString(), "--question",
          sample.query(), "--mask-out", maskPng.toString(), "--timeout", "3m");
      assertEquals(0, sent.code(), sent.out() + sent.err());
      assertTrue(sent.out().contains("answer:     "), sent.out());
      assertTrue(sent.out().contains("by shapeworld-reasoner:"), sent.out());
      assertTrue(sent.out().contains("by shapeworld-segmenter:"), sent.out());
      java.awt.image.BufferedImage mask = javax.imageio.ImageIO.read(maskPng.toFile());
      assertEquals(sample.image().getWidth(), mask.getWidth());
      assertEquals(sample.image().getHeight(), mask.getHeight());
    }
  }

  private static void assertThrowsConnect(int port) {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000);
      throw new AssertionError("port " + port + " still accepts connections after down");
    } catch (java.io.IOException refused) {
      // expected: nothing listens any more
    }
  }
}
