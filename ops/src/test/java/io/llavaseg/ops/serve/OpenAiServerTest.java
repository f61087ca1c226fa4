package io.llavaseg.ops.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llavaseg.model.ModelHandle;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.Reasoning;
import io.llavaseg.model.cot.ChainOfThought;
import io.llavaseg.model.cot.PromptTemplates;
import io.llavaseg.model.openai.OpenAiModels;
import io.llavaseg.model.openai.OpenAiSettings;
import io.llavaseg.shapeworld.QueryKind;
import io.llavaseg.shapeworld.Sample;
import io.llavaseg.shapeworld.ShapeWorld;
import io.llavaseg.topology.ServiceConfig;
import io.llavaseg.topology.model.BackendModelProvider;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Properties;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code serve} on the committed reasoner, asked by a plain HTTP client as any OpenAI client would,
 * and by the {@code openai} backend, whose chain of thought must equal the in-process one.
 */
class OpenAiServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ModelHandle<Reasoner> local;
  private static OpenAiServer server;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    Properties p = new Properties();
    p.setProperty(ServiceConfig.MODEL_STORE, System.getProperty("llavaseg.model.store", "../model-store"));
    ServiceConfig config = ServiceConfig.from(p);
    local = new BackendModelProvider().reasoner(config, "cpu");
    server = OpenAiServer.start(new BackendModelProvider().reasoner(config, "cpu"), "127.0.0.1", 0, 2);
  }

  @AfterAll
  static void stop() {
    server.close();
    local.close();
  }

  private static String base() {
    return "http://127.0.0.1:" + server.port() + "/v1";
  }

  private static String dataUrl(Sample s) throws Exception {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(s.image(), "png", png);
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
  }

  private static HttpResponse<String> post(String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/chat/completions"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldAnswerAPlainOpenAiStyleChatRequestWithAWellFormedCompletion() throws Exception {
    Sample s = new ShapeWorld(424242).sample(0, QueryKind.DIALOGUE);
    String body = "{\"model\":\"" + server.modelName() + "\",\"messages\":[{\"role\":\"system\",\"content\":\"You are helpful.\"},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":" + JSON.writeValueAsString(s.query()) + "},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + dataUrl(s) + "\"}}]}],\"max_tokens\":64}";
    HttpResponse<String> r = post(body);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode c = JSON.readTree(r.body());
    assertEquals("chat.completion", c.path("object").asText());
    assertTrue(c.path("id").asText().startsWith("chatcmpl-"));
    assertEquals("shapeworld-reasoner:v11", c.path("model").asText());
    assertEquals("assistant", c.path("choices").path(0).path("message").path("role").asText());
    assertFalse(c.path("choices").path(0).path("message").path("content").asText().isBlank());
    assertEquals("stop", c.path("choices").path(0).path("finish_reason").asText());
    JsonNode usage = c.path("usage");
    assertEquals(usage.path("prompt_tokens").asInt() + usage.path("completion_tokens").asInt(), usage.path("total_tokens").asInt());
    assertTrue(usage.path("completion_tokens").asInt() > 0);
  }

  @Test
  void shouldGiveTheOpenAiBackendTheSameChainOfThoughtAsTheModelInProcess() {
    ShapeWorld world = new ShapeWorld(515151);
    ChainOfThought chain = new ChainOfThought(PromptTemplates.DEFAULT);
    QueryKind[] kinds = {QueryKind.PHRASE, QueryKind.KNOWLEDGE, QueryKind.DIALOGUE, QueryKind.RELATIONAL, QueryKind.ABSENT};
    try (ModelHandle<Reasoner> remote = OpenAiModels.reasoner(OpenAiSettings.of(base(), server.modelName()));
        Reasoner viaHttp = remote.newWorker();
        Reasoner inProcess = local.newWorker()) {
      for (int i = 0; i < kinds.length; i++) {
        Sample s = world.sample(i, kinds[i]);
        Reasoning expected = chain.run(inProcess, s.image(), s.query());
        Reasoning actual = chain.run(viaHttp, s.image(), s.query());
        assertEquals(expected.answer(), actual.answer(), s.query());
        assertEquals(expected.target(), actual.target(), s.query());
        assertEquals(expected.attributes(), actual.attributes(), s.query());
        assertEquals(expected.failureReason(), actual.failureReason(), s.query());
      }
      assertEquals("openai", viaHttp.modelId().backend());
      assertEquals("shapeworld-reasoner", viaHttp.modelId().name());
      assertEquals("v11", viaHttp.modelId().version());
    }
  }

  @Test
  void shouldRefuseWhatTheModelCannotAnswerWithAnOpenAiStyleError() throws Exception {
    String noImage = "{\"messages\":[{\"role\":\"user\",\"content\":\"How many circles are there?\"}]}";
    assertError(post(noImage), 400, "an image_url content part is required");
    String httpUrl = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"http://example.com/a.png\"}}]}]}";
    assertError(post(httpUrl), 400, "must be a data:image");
    String otherModel = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + dataUrl(new ShapeWorld(1).sample(0)) + "\"}}]}]}";
    assertError(post(otherModel), 404, "is not served here");
    assertError(post("{\"stream\":true,\"messages\":[]}"), 400, "stream=true is not supported");
    assertError(post("not json"), 400, "not JSON");
  }

  @Test
  void shouldListTheServedModelAndReportHealth() throws Exception {
    JsonNode models = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/models")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    assertEquals("shapeworld-reasoner:v11", models.path("data").path(0).path("id").asText());
    HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode());
  }

  private static void assertError(HttpResponse<String> r, int status, String message) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    String m = JSON.readTree(r.body()).path("error").path("message").asText();
    assertTrue(m.contains(message), m);
  }
}
