package io.llavaseg.ops.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llavaseg.embedded.FreePorts;
import io.llavaseg.embedded.RegistryLauncher;
import io.llavaseg.ops.demo.Demo;
import io.llavaseg.topology.ServiceConfig;
import io.llavaseg.topology.model.BackendModelProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service with {@code llavaseg.reasoner.backend=openai} against {@code ops/llavaseg serve}'s
 * server, on a real KRaft broker and the real registry, as the demo runs it: 60 ShapeWorld queries of
 * every kind, all answered and masked with the end-to-end gIoU of the in-process reasoner on the same
 * queries (within 0.01); and the model server stopped for 10 s in the middle of the run loses nothing
 * and dead-letters nothing (the records wait for the model and are retried).
 */
class OpenAiBackendIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static RegistryLauncher registry;

  @BeforeAll
  static void startRegistry() {
    registry = RegistryLauncher.start();
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  private static JsonNode demo(Path out, Properties settings) throws Exception {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    int rc = new Demo(60, out, null, 4, 4, Duration.ofMinutes(8), null, registry.url(), settings)
        .run(new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err);
    System.out.println(stdout.toString(StandardCharsets.UTF_8));
    assertEquals(0, rc, "demo exit code");
    return JSON.readTree(out.resolve("summary.json").toFile());
  }

  private static OpenAiServer serve(int port) throws Exception {
    return OpenAiServer.start(new BackendModelProvider().reasoner(ServiceConfig.defaults(), "cpu"), "127.0.0.1", port, 2);
  }

  @Test
  void shouldAnswerAndMaskEveryQueryThroughTheServerAndLoseNothingWhileItIsDown(
      @TempDir Path inProcessOut, @TempDir Path viaServerOut) throws Exception {
    JsonNode inProcess = demo(inProcessOut, new Properties());

    int port = FreePorts.next();
    AtomicReference<OpenAiServer> server = new AtomicReference<>(serve(port));
    Properties openai = new Properties();
    openai.setProperty(ServiceConfig.REASONER_BACKEND, "openai");
    openai.setProperty("llavaseg.reasoner.openai.base.url", "http://127.0.0.1:" + port + "/v1");
    openai.setProperty("llavaseg.reasoner.openai.model", server.get().modelName());
    AtomicReference<Instant> stoppedAt = new AtomicReference<>();
    CompletableFuture<Void> outage = CompletableFuture.runAsync(() -> {
      try {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (server.get().completions() < 40 && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        server.get().close();
        stoppedAt.set(Instant.now());
        System.err.println("OpenAiBackendIT: model server stopped after " + 40 + " completions, for 10 s");
        Thread.sleep(10_000);
        server.set(serve(port));
        System.err.println("OpenAiBackendIT: model server back");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    JsonNode viaServer;
    try {
      viaServer = demo(viaServerOut, openai);
      outage.join();
    } finally {
      server.get().close();
    }

    assertTrue(stoppedAt.get() != null, "the server was stopped during the run");
    assertEquals(60, viaServer.get("answers").asInt(), viaServer.toString());
    assertEquals(60, viaServer.get("masks").asInt(), viaServer.toString());
    assertEquals(0, viaServer.get("dead_letters").asInt(), "a model outage dead-letters nothing: " + viaServer);
    assertEquals(0, viaServer.get("lost").asInt(), viaServer.toString());
    double delta = Math.abs(viaServer.get("giou").asDouble() - inProcess.get("giou").asDouble());
    assertTrue(delta <= 0.01, "gIoU through the server " + viaServer.get("giou") + " vs in-process " + inProcess.get("giou"));
    assertTrue(server.get().completions() > 0, "the restarted server answered the retried records");
  }
}
