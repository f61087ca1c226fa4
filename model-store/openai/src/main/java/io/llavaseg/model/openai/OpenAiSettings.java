package io.llavaseg.model.openai;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach one OpenAI-compatible Chat Completions server.
 *
 * @param baseUrl the API's base, ending in {@code /v1} (e.g. {@code http://127.0.0.1:8000/v1} for
 *     vLLM, {@code http://127.0.0.1:11434/v1} for Ollama)
 * @param model the model name the server serves (e.g. {@code llava-hf/llava-1.5-7b-hf})
 * @param apiKey sent as {@code Authorization: Bearer <key>}; null or empty sends none
 * @param requestTimeout the longest one request may take before it counts as a failure
 * @param maxConcurrency requests in flight at once from this process (the server batches them)
 * @param maxRetries further attempts after a 429, a 5xx, a timeout or a refused connection
 * @param initialBackoff the wait before the first retry, doubled for each next one (a server's
 *     {@code Retry-After} wins when longer)
 * @param maxTokens the longest reply asked for
 * @param structuredReplies ask for the target and attributes as JSON ({@code response_format} with
 *     a JSON schema; vLLM, llama.cpp's server and OpenAI support it, Ollama its own variant)
 */
public record OpenAiSettings(
    URI baseUrl,
    String model,
    String apiKey,
    Duration requestTimeout,
    int maxConcurrency,
    int maxRetries,
    Duration initialBackoff,
    int maxTokens,
    boolean structuredReplies) {

  public OpenAiSettings {
    Objects.requireNonNull(baseUrl, "baseUrl");
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("the model name must be set");
    }
    if (maxConcurrency < 1 || maxRetries < 0 || maxTokens < 1) {
      throw new IllegalArgumentException(
          "maxConcurrency >= 1, maxRetries >= 0 and maxTokens >= 1 are required, got "
              + maxConcurrency + ", " + maxRetries + ", " + maxTokens);
    }
    String s = baseUrl.toString();
    baseUrl = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
  }

  /** Settings with the defaults: 30 s per request, 8 in flight, 3 retries from 500 ms, 256 tokens. */
  public static OpenAiSettings of(String baseUrl, String model) {
    return new OpenAiSettings(
        URI.create(baseUrl), model, null, Duration.ofSeconds(30), 8, 3, Duration.ofMillis(500), 256, false);
  }

  public OpenAiSettings withApiKey(String key) {
    return new OpenAiSettings(baseUrl, model, key, requestTimeout, maxConcurrency, maxRetries, initialBackoff, maxTokens,
        structuredReplies);
  }

  public OpenAiSettings withRequestTimeout(Duration timeout) {
    return new OpenAiSettings(baseUrl, model, apiKey, timeout, maxConcurrency, maxRetries, initialBackoff, maxTokens,
        structuredReplies);
  }

  public OpenAiSettings withRetries(int retries, Duration backoff) {
    return new OpenAiSettings(baseUrl, model, apiKey, requestTimeout, maxConcurrency, retries, backoff, maxTokens,
        structuredReplies);
  }

  public OpenAiSettings withMaxConcurrency(int n) {
    return new OpenAiSettings(baseUrl, model, apiKey, requestTimeout, n, maxRetries, initialBackoff, maxTokens,
        structuredReplies);
  }

  public OpenAiSettings withStructuredReplies(boolean on) {
    return new OpenAiSettings(baseUrl, model, apiKey, requestTimeout, maxConcurrency, maxRetries, initialBackoff, maxTokens,
        on);
  }

  /** {@code <baseUrl>/chat/completions}. */
  URI chatCompletions() {
    return URI.create(baseUrl + "/chat/completions");
  }

  @Override
  public String toString() {
    return "OpenAiSettings[" + baseUrl + ", model " + model + (apiKey == null || apiKey.isEmpty() ? "" : ", api key set")
        + ", timeout " + requestTimeout + ", concurrency " + maxConcurrency + ", retries " + maxRetries + "]";
  }
}
