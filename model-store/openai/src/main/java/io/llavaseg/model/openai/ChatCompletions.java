package io.llavaseg.model.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llavaseg.model.Generation;
import io.llavaseg.model.ModelUnavailableException;
import io.llavaseg.model.ReplyFormat;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of one OpenAI-compatible {@code POST /chat/completions} endpoint, shared by the threads
 * of a process: at most {@link OpenAiSettings#maxConcurrency} requests in flight (the others wait),
 * each a stateless single-turn user message of a text part and an image part (a data URL),
 * greedy ({@code temperature 0}). A 429, a 5xx, a timeout or a connection that fails is retried
 * with a doubling backoff, then reported as {@link ModelUnavailableException}; any other 4xx is the
 * request's fault and fails at once with {@link IllegalArgumentException}.
 */
public final class ChatCompletions {
  private static final Logger LOG = LoggerFactory.getLogger(ChatCompletions.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OpenAiSettings settings;
  private final HttpClient http;
  private final Semaphore inFlight;
  private final Sleeper sleeper;

  /** Waits between retries (a test replaces it to run without waiting). */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  public ChatCompletions(OpenAiSettings settings) {
    this(settings, d -> Thread.sleep(d.toMillis()));
  }

  ChatCompletions(OpenAiSettings settings, Sleeper sleeper) {
    this.settings = settings;
    this.http = HttpClient.newBuilder().connectTimeout(settings.requestTimeout()).version(HttpClient.Version.HTTP_1_1).build();
    this.inFlight = new Semaphore(settings.maxConcurrency(), true);
    this.sleeper = sleeper;
  }

  public OpenAiSettings settings() {
    return settings;
  }

  /** The request body for one prompt about one image, a plain-text reply. */
  ObjectNode body(String prompt, String imageDataUrl) {
    return body(prompt, imageDataUrl, ReplyFormat.TEXT);
  }

  /**
   * The request body for one prompt about one image; with {@link OpenAiSettings#structuredReplies}
   * the target and attributes steps ask for JSON ({@link StructuredReplies#responseFormat}).
   */
  ObjectNode body(String prompt, String imageDataUrl, ReplyFormat format) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", settings.model());
    ArrayNode content = JSON.createArrayNode();
    content.addObject().put("type", "text").put("text", prompt);
    content.addObject().put("type", "image_url").putObject("image_url").put("url", imageDataUrl);
    ObjectNode message = body.putArray("messages").addObject();
    message.put("role", "user");
    message.set("content", content);
    body.put("temperature", 0);
    body.put("max_tokens", settings.maxTokens());
    body.put("stream", false);
    if (settings.structuredReplies() && format != ReplyFormat.TEXT) {
      body.set("response_format", StructuredReplies.responseFormat(format));
    }
    return body;
  }

  /**
   * The model's reply to {@code prompt} about the image {@code imageDataUrl}; blocks for a free
   * slot, then for the reply (with retries).
   *
   * @throws ModelUnavailableException when the server could not answer after the retries
   * @throws IllegalArgumentException when the server refused the request (a 4xx other than 429)
   */
  public Generation complete(String prompt, String imageDataUrl) {
    return complete(prompt, imageDataUrl, ReplyFormat.TEXT);
  }

  /**
   * {@link #complete(String, String)} for a chain-of-thought step: with structured replies on, the
   * target and attributes come back as JSON and are handed over in the lines the reply parser reads
   * ({@link StructuredReplies#toText}); a server that ignores {@code response_format} answers in plain
   * text, which is handed over as it is.
   */
  public Generation complete(String prompt, String imageDataUrl, ReplyFormat format) {
    Generation g = send(prompt, imageDataUrl, format);
    if (!settings.structuredReplies() || format == ReplyFormat.TEXT) {
      return g;
    }
    return new Generation(StructuredReplies.toText(format, g.text()), g.promptTokens(), g.generatedTokens(),
        g.finishReason(), g.prefillMs(), g.decodeMs());
  }

  private Generation send(String prompt, String imageDataUrl, ReplyFormat format) {
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(body(prompt, imageDataUrl, format));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    try {
      inFlight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelUnavailableException("interrupted while waiting for a free request slot", e);
    }
    try {
      return withRetries(body);
    } finally {
      inFlight.release();
    }
  }

  private Generation withRetries(byte[] body) {
    Duration backoff = settings.initialBackoff();
    String last = null;
    Throwable lastCause = null;
    for (int attempt = 0; attempt <= settings.maxRetries(); attempt++) {
      if (attempt > 0) {
        LOG.warn("{}: attempt {} of {} after {} ({})", settings.chatCompletions(), attempt + 1,
            settings.maxRetries() + 1, last, backoff);
        try {
          sleeper.sleep(backoff);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ModelUnavailableException("interrupted while retrying: " + last, e);
        }
        backoff = backoff.multipliedBy(2);
      }
      long start = System.nanoTime();
      HttpResponse<String> response;
      try {
        response = http.send(request(body), HttpResponse.BodyHandlers.ofString());
      } catch (HttpTimeoutException e) {
        last = "no reply within " + settings.requestTimeout();
        lastCause = e;
        continue;
      } catch (IOException e) {
        last = "cannot reach the server: " + e;
        lastCause = e;
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ModelUnavailableException("interrupted during a request", e);
      }
      double ms = (System.nanoTime() - start) / 1e6;
      int status = response.statusCode();
      if (status == 200) {
        return generation(response.body(), ms);
      }
      last = "HTTP " + status + " " + errorMessage(response.body());
      lastCause = null;
      if (status == 429 || status >= 500) {
        Optional<Duration> retryAfter = retryAfter(response);
        if (retryAfter.isPresent() && retryAfter.get().compareTo(backoff) > 0) {
          backoff = retryAfter.get();
        }
        continue;
      }
      throw new IllegalArgumentException(settings.chatCompletions() + " refused the request: " + last);
    }
    throw new ModelUnavailableException(
        settings.chatCompletions() + " did not answer after " + (settings.maxRetries() + 1) + " attempts: " + last,
        lastCause);
  }

  private HttpRequest request(byte[] body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(settings.chatCompletions())
        .timeout(settings.requestTimeout())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (settings.apiKey() != null && !settings.apiKey().isEmpty()) {
      b.header("Authorization", "Bearer " + settings.apiKey());
    }
    return b.build();
  }

  /** Reads a completion: the first choice's text, its finish reason, the usage (when given). */
  static Generation generation(String responseBody, double ms) {
    JsonNode root;
    try {
      root = JSON.readTree(responseBody);
    } catch (IOException e) {
      throw new ModelUnavailableException("the server's reply is not JSON: " + abbreviate(responseBody), e);
    }
    JsonNode choice = root.path("choices").path(0);
    JsonNode content = choice.path("message").path("content");
    if (!content.isTextual()) {
      throw new ModelUnavailableException("the server's reply has no choices[0].message.content: " + abbreviate(responseBody));
    }
    JsonNode usage = root.path("usage");
    return new Generation(
        content.asText(),
        usage.path("prompt_tokens").asInt(0),
        usage.path("completion_tokens").asInt(0),
        choice.path("finish_reason").asText("stop"),
        0,
        ms);
  }

  private static Optional<Duration> retryAfter(HttpResponse<?> response) {
    return response.headers().firstValue("Retry-After").flatMap(v -> {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(v.strip())));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    });
  }

  private static String errorMessage(String body) {
    try {
      JsonNode message = JSON.readTree(body).path("error").path("message");
      if (message.isTextual()) {
        return message.asText();
      }
    } catch (IOException | RuntimeException e) {
      // not JSON: the body itself
    }
    return abbreviate(body);
  }

  private static String abbreviate(String s) {
    String one = s == null ? "" : s.replaceAll("\\s+", " ").strip();
    return one.length() <= 200 ? one : one.substring(0, 197) + "...";
  }
}
