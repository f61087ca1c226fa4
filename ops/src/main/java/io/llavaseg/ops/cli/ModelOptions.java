package io.llavaseg.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llavaseg.topology.ServiceConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Which models a command runs, for the commands that run the pipeline in-process or start the
 * service ({@code demo}, {@code ask}, {@code eval}): any service setting with {@code --set}, and
 * {@code --reasoner-url} as the short way to the {@code openai} backend.
 */
public final class ModelOptions {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "A service setting (repeatable), e.g. llavaseg.reasoner.version=v6, llavaseg.segmenter.backend=sam2; "
          + "every key is in docs/configuration.md.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(names = "--reasoner-url", paramLabel = "URL",
      description = "Reason with the MLLM behind this OpenAI-compatible API base (e.g. http://127.0.0.1:8000/v1 "
          + "of vLLM or ops/llavaseg serve): sets llavaseg.reasoner.backend=openai and its base.url.")
  String reasonerUrl;

  @Option(names = "--reasoner-model", paramLabel = "NAME",
      description = "With --reasoner-url: the served model's name (default: the first of the server's GET /models).")
  String reasonerModel;

  /** {@code props} with these options on top (the {@code --set} settings win over the file's). */
  public Properties applyTo(Properties props) throws IOException {
    Properties out = new Properties();
    out.putAll(props);
    if (reasonerUrl != null) {
      out.setProperty(ServiceConfig.REASONER_BACKEND, "openai");
      out.setProperty("llavaseg.reasoner.openai.base.url", reasonerUrl);
      out.setProperty("llavaseg.reasoner.openai.model", reasonerModel != null ? reasonerModel : firstModel(reasonerUrl));
    }
    out.putAll(settings);
    return out;
  }

  /** The first model id the server lists at {@code <base>/models}. */
  static String firstModel(String base) throws IOException {
    URI uri = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/models");
    try {
      HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
          .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode id = JSON.readTree(r.body()).path("data").path(0).path("id");
      if (r.statusCode() != 200 || !id.isTextual()) {
        throw new IOException("GET " + uri + " gave HTTP " + r.statusCode() + " without a model: give --reasoner-model");
      }
      return id.asText();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted asking " + uri, e);
    }
  }
}
