package io.llavaseg.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Scrapes a Prometheus endpoint and checks the text: always with {@link TextExpositionCheck} (a
 * strict reader of the format), and with {@code promtool check metrics} where it is installed
 * (Debian's {@code prometheus} package; {@code .ci/run} installs it): the exposition must parse, and
 * our own metric families must pass promtool's lint. Kafka's metric names are Kafka's and may draw
 * lint remarks, which are printed, not failed.
 */
final class MetricsScrape {
  private MetricsScrape() {}

  /** GETs a path of the endpoint, expecting the status. */
  static String get(int port, String path, int status) throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(status, r.statusCode(), path + ": " + r.body());
    return r.body();
  }

  static String scrape(int port) throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    return r.body();
  }

  /** Runs promtool on the text; fails on a parse error or on a lint remark about {@code ownPrefixes}. */
  static void assertValid(String text, List<String> ownPrefixes) throws IOException, InterruptedException {
    List<String> problems = TextExpositionCheck.problems(text);
    assertTrue(problems.isEmpty(), "exposition problems: " + problems);
    Process p;
    try {
      p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    } catch (IOException noPromtool) {
      System.out.println("promtool not installed: checked with TextExpositionCheck only");
      return;
    }
    try (OutputStream in = p.getOutputStream()) {
      in.write(text.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool finished");
    int rc = p.exitValue();
    // 0: clean; 3: lint remarks only; anything else (1): the text does not parse
    assertTrue(rc == 0 || rc == 3, "promtool check metrics exit " + rc + ":\n" + out);
    for (String line : out.split("\n")) {
      for (String prefix : ownPrefixes) {
        assertTrue(!line.startsWith(prefix), "promtool lint remark on our metric: " + line);
      }
    }
    if (!out.isBlank()) {
      System.out.println("promtool remarks on Kafka's metric names (not ours):\n" + out.strip());
    }
  }
}
