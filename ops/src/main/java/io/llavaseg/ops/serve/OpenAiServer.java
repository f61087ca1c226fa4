package io.llavaseg.ops.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.llavaseg.model.Generation;
import io.llavaseg.model.ImageChat;
import io.llavaseg.model.ModelHandle;
import io.llavaseg.model.Reasoner;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project's reasoner behind the OpenAI-compatible API that vLLM, Ollama and llama.cpp's server
 * speak, so that the {@code openai} reasoner backend runs against a real server here, and so that a
 * deployment can put the model on its own (GPU) hosts apart from the stream processors:
 *
 * <ul>
 *   <li>{@code POST /v1/chat/completions}: one user turn with one image (a data URL) and text;
 *       greedy, non-streaming; the reply, its finish reason and token usage;
 *   <li>{@code GET /v1/models}: the one model served, named {@code <name>:<version>};
 *   <li>{@code GET /health}: 200 once the model is loaded.
 * </ul>
 *
 * <p>Requests run on {@code threads} worker threads, each with its own reasoner worker (one DJL
 * predictor per thread; the weights are shared). Errors are OpenAI-style JSON ({@code {"error":
 * {"message", "type"}}}): 400 for a request the model cannot answer, 404 for another model's name,
 * 405 for a wrong method, 500 when the model fails.
 */
public final class OpenAiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OpenAiServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ModelHandle<Reasoner> model;
  private final String modelName;
  private final HttpServer http;
  private final ExecutorService workers;
  private final ThreadLocal<Reasoner> reasoner;
  private final List<Reasoner> opened = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong completions = new AtomicLong();

  private OpenAiServer(ModelHandle<Reasoner> model, HttpServer http, int threads) {
    this.model = model;
    this.modelName = model.modelId().name() + ":" + model.modelId().version();
    this.http = http;
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newFixedThreadPool(threads, r -> new Thread(r, "serve-" + n.incrementAndGet()));
    this.reasoner = ThreadLocal.withInitial(() -> {
      Reasoner r = model.newWorker();
      opened.add(r);
      return r;
    });
    http.setExecutor(workers);
    http.createContext("/v1/chat/completions", this::chat);
    http.createContext("/v1/models", this::models);
    http.createContext("/health", this::health);
  }

  /** Serves {@code model} on {@code host:port} (port 0 picks a free one) with {@code threads} workers. */
  public static OpenAiServer start(ModelHandle<Reasoner> model, String host, int port, int threads) throws IOException {
    OpenAiServer server = new OpenAiServer(model, HttpServer.create(new InetSocketAddress(host, port), 64), threads);
    server.http.start();
    LOG.info("serving {} on http://{}:{}/v1 with {} worker threads", server.modelName, host, server.port(), threads);
    return server;
  }

  public int port() {
    return http.getAddress().getPort();
  }

  /** The model's name in requests and {@code /v1/models}: {@code <name>:<version>}. */
  public String modelName() {
    return modelName;
  }

  private void chat(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("POST")) {
        error(ex, 405, "invalid_request_error", "use POST");
        return;
      }
      JsonNode body;
      try (InputStream in = ex.getRequestBody()) {
        body = JSON.readTree(in);
      } catch (IOException e) {
        error(ex, 400, "invalid_request_error", "the body is not JSON: " + e.getMessage());
        return;
      }
      ChatRequest request;
      try {
        request = ChatRequest.parse(body == null ? JSON.nullNode() : body);
      } catch (ChatRequest.BadRequest e) {
        error(ex, e.status, e.type, e.getMessage());
        return;
      }
      if (!request.model().isEmpty() && !request.model().equals(modelName)) {
        error(ex, 404, "model_not_found", "the model '" + request.model() + "' is not served here; this server serves '"
            + modelName + "' (GET /v1/models)");
        return;
      }
      Generation g;
      try (ImageChat chat = reasoner.get().open(request.image())) {
        g = chat.ask(request.text());
      } catch (RuntimeException e) {
        LOG.error("the model failed on a request", e);
        error(ex, 500, "server_error", "the model failed: " + e);
        return;
      }
      ObjectNode out = JSON.createObjectNode();
      out.put("id", "chatcmpl-" + UUID.randomUUID());
      out.put("object", "chat.completion");
      out.put("created", System.currentTimeMillis() / 1000);
      out.put("model", modelName);
      ObjectNode choice = out.putArray("choices").addObject();
      choice.put("index", 0);
      choice.putObject("message").put("role", "assistant").put("content", g.text());
      choice.put("finish_reason", g.finishReason());
      out.putObject("usage")
          .put("prompt_tokens", g.promptTokens())
          .put("completion_tokens", g.generatedTokens())
          .put("total_tokens", g.promptTokens() + g.generatedTokens());
      send(ex, 200, out);
      completions.incrementAndGet();
    }
  }

  /** Chat completions answered so far. */
  public long completions() {
    return completions.get();
  }

  private void models(HttpExchange ex) throws IOException {
    try (ex) {
      ObjectNode out = JSON.createObjectNode();
      out.put("object", "list");
      ObjectNode m = out.putArray("data").addObject();
      m.put("id", modelName);
      m.put("object", "model");
      m.put("owned_by", "llavaseg");
      send(ex, 200, out);
    }
  }

  private void health(HttpExchange ex) throws IOException {
    try (ex) {
      send(ex, 200, JSON.createObjectNode().put("status", "ok").put("model", modelName));
    }
  }

  private static void error(HttpExchange ex, int status, String type, String message) throws IOException {
    ObjectNode out = JSON.createObjectNode();
    out.putObject("error").put("message", message).put("type", type).putNull("code");
    send(ex, status, out);
  }

  private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  /** Stops accepting, lets requests in flight finish (up to 5 s), closes the workers and the model. */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    http.stop(1);
    workers.shutdown();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    opened.forEach(Reasoner::close);
    model.close();
  }
}
