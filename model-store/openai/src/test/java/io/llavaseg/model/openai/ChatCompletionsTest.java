package io.llavaseg.model.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.llavaseg.model.Generation;
import io.llavaseg.model.ImageChat;
import io.llavaseg.model.ModelUnavailableException;
import io.llavaseg.model.Reasoner;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against a scripted HTTP server (the double stands for vLLM & co., whose faults cannot
 * be provoked on demand); the client against the project's real server is {@code OpenAiServerTest}
 * in ops.
 */
class ChatCompletionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OK =
      "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
          + "\"content\":\"The red car.\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":612,"
          + "\"completion_tokens\":5,\"total_tokens\":617}}";

  /** One scripted reply: status, body, extra header, delay. */
  record Reply(int status, String body, String retryAfter, long delayMs) {
    static Reply ok() {
      return new Reply(200, OK, null, 0);
    }
  }

  private HttpServer server;
  private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
  private final List<JsonNode> bodies = Collections.synchronizedList(new ArrayList<>());
  private final List<String> auth = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/v1/chat/completions", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      bodies.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
      auth.add(ex.getRequestHeaders().getFirst("Authorization"));
      Reply r = script.isEmpty() ? Reply.ok() : script.poll();
      if (r.delayMs() > 0) {
        Thread.sleep(r.delayMs());
      }
      if (r.retryAfter() != null) {
        ex.getResponseHeaders().add("Retry-After", r.retryAfter());
      }
      byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(r.status(), out.length);
      ex.getResponseBody().write(out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      inFlight.decrementAndGet();
      ex.close();
    }
  }

  private OpenAiSettings settings() {
    return OpenAiSettings.of("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/", "llava-hf/llava-1.5-7b-hf")
        .withRequestTimeout(Duration.ofSeconds(5));
  }

  private ChatCompletions client(OpenAiSettings s) {
    return new ChatCompletions(s, waits::add);
  }

  @Test
  void shouldSendOneStatelessUserMessageWithTheTextAndTheImageAsADataUrl() {
    Generation g = client(settings().withApiKey("sk-test")).complete("What is the target region?", "data:image/png;base64,AAA=");
    assertEquals(new Generation("The red car.", 612, 5, "stop", 0, g.decodeMs()), g);
    JsonNode body = bodies.get(0);
    assertEquals("llava-hf/llava-1.5-7b-hf", body.path("model").asText());
    assertEquals(1, body.path("messages").size());
    JsonNode content = body.path("messages").path(0).path("content");
    assertEquals("user", body.path("messages").path(0).path("role").asText());
    assertEquals("What is the target region?", content.path(0).path("text").asText());
    assertEquals("data:image/png;base64,AAA=", content.path(1).path("image_url").path("url").asText());
    assertEquals(0, body.path("temperature").asInt(-1));
    assertEquals("Bearer sk-test", auth.get(0));
  }

  @Test
  void shouldSendNoAuthorizationWithoutAnApiKey() {
    client(settings()).complete("hi", "data:image/png;base64,AAA=");
    assertEquals(null, auth.get(0));
  }

  @Test
  void shouldRetryTooManyRequestsAndServerErrorsWithADoublingBackoff() {
    script.add(new Reply(429, "{\"error\":{\"message\":\"queue full\"}}", null, 0));
    script.add(new Reply(503, "Service Unavailable", null, 0));
    Generation g = client(settings()).complete("hi", "data:image/png;base64,AAA=");
    assertEquals("The red car.", g.text());
    assertEquals(3, bodies.size());
    assertEquals(List.of(Duration.ofMillis(500), Duration.ofMillis(1000)), waits);
  }

  @Test
  void shouldWaitAsLongAsTheServersRetryAfterSays() {
    script.add(new Reply(429, "{}", "3", 0));
    client(settings()).complete("hi", "data:image/png;base64,AAA=");
    assertEquals(List.of(Duration.ofSeconds(3)), waits);
  }

  @Test
  void shouldReportTheModelUnavailableAfterTheLastRetry() {
    for (int i = 0; i < 4; i++) {
      script.add(new Reply(500, "{\"error\":{\"message\":\"CUDA out of memory\"}}", null, 0));
    }
    ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
        () -> client(settings()).complete("hi", "data:image/png;base64,AAA="));
    assertEquals(4, bodies.size());
    assertTrue(e.getMessage().contains("after 4 attempts") && e.getMessage().contains("CUDA out of memory"), e.getMessage());
  }

  @Test
  void shouldFailARefusedRequestAtOnce() {
    script.add(new Reply(400, "{\"error\":{\"message\":\"image too large\"}}", null, 0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> client(settings()).complete("hi", "data:image/png;base64,AAA="));
    assertEquals(1, bodies.size());
    assertTrue(e.getMessage().contains("HTTP 400 image too large"), e.getMessage());
  }

  @Test
  void shouldCountASlowReplyAsAFailureAndRetryIt() {
    script.add(new Reply(200, OK, null, 5000));
    Generation g = client(settings().withRequestTimeout(Duration.ofMillis(1500))).complete("hi", "data:image/png;base64,AAA=");
    assertEquals("The red car.", g.text());
    assertTrue(waits.size() >= 1, "the slow reply was retried");
    assertEquals(waits.size() + 1, bodies.size());
  }

  @Test
  void shouldReportAServerThatIsNotThereAsUnavailable() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    OpenAiSettings s = OpenAiSettings.of("http://127.0.0.1:" + port + "/v1", "m").withRetries(1, Duration.ofMillis(1));
    ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
        () -> client(s).complete("hi", "data:image/png;base64,AAA="));
    assertTrue(e.getMessage().contains("cannot reach the server"), e.getMessage());
  }

  @Test
  void shouldKeepNoMoreRequestsInFlightThanItsBoundWhileAskingABatchAtOnce() {
    for (int i = 0; i < 6; i++) {
      script.add(new Reply(200, OK, null, 200));
    }
    OpenAiSettings s = settings().withMaxConcurrency(2);
    try (var handle = OpenAiModels.reasoner(s); Reasoner r = handle.newWorker()) {
      List<ImageChat> chats = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        chats.add(r.open(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB)));
      }
      List<Generation> replies = r.askAll(chats, Collections.nCopies(6, "What is the target region?"));
      assertEquals(6, replies.size());
      assertEquals(2, maxInFlight.get());
      assertEquals("llava-hf/llava-1.5-7b-hf:-@127.0.0.1:" + server.getAddress().getPort() + " via openai",
          r.modelId().toString());
    }
  }

  @Test
  void shouldReportAReplyWithoutContentAsUnavailable() {
    script.add(new Reply(200, "{\"choices\":[]}", null, 0));
    assertThrows(ModelUnavailableException.class, () -> client(settings().withRetries(0, Duration.ZERO))
        .complete("hi", "data:image/png;base64,AAA="));
  }

  @Test
  void shouldNameTheModelAsOllamaDoesWithItsVersionAfterAColon() {
    assertEquals(new io.llavaseg.model.ModelId("llava", "7b", "localhost:11434", "openai"),
        OpenAiReasoner.modelId(OpenAiSettings.of("http://localhost:11434/v1", "llava:7b")));
    assertEquals(new io.llavaseg.model.ModelId("gpt-4o", "-", "api.openai.com:443", "openai"),
        OpenAiReasoner.modelId(OpenAiSettings.of("https://api.openai.com/v1", "gpt-4o")));
  }

  @Test
  void shouldAskForJsonOnlyInTheTargetAndAttributesStepsWhenStructuredRepliesAreOn() {
    script.add(new Reply(200, OK.replace("The red car.", "{\\\"target\\\": \\\"the red car\\\"}"), null, 0));
    ChatCompletions on = client(settings().withStructuredReplies(true));
    Generation g = on.complete("What is the target region?", "data:image/png;base64,AAA=", io.llavaseg.model.ReplyFormat.TARGET);
    assertEquals("the red car", g.text());
    assertEquals("json_schema", bodies.get(0).path("response_format").path("type").asText());
    on.complete("Hi", "data:image/png;base64,AAA=", io.llavaseg.model.ReplyFormat.TEXT);
    assertTrue(bodies.get(1).path("response_format").isMissingNode(), "the dialogue answer stays free text");
    client(settings()).complete("What is the target region?", "data:image/png;base64,AAA=", io.llavaseg.model.ReplyFormat.TARGET);
    assertTrue(bodies.get(2).path("response_format").isMissingNode(), "off by default");
  }
}
