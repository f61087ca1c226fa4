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

  private static void assertThrowsConnect(int port) {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000);
      throw new AssertionError("port " + port + " still accepts connections after down");
    } catch (java.io.IOException refused) {
      // expected: nothing listens any more
    }
  }
}
