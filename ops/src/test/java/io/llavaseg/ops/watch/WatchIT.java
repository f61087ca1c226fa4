package io.llavaseg.ops.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llavaseg.embedded.KafkaBrokerProcess;
import io.llavaseg.embedded.RegistryLauncher;
import io.llavaseg.ops.demo.PageScreenshot;
import io.llavaseg.ops.feed.Feed;
import io.llavaseg.schemas.registry.RestSchemaRegistry;
import io.llavaseg.shapeworld.Split;
import io.llavaseg.topology.LlavasegService;
import io.llavaseg.topology.ServiceConfig;
import io.llavaseg.topology.Topics;
import io.llavaseg.topology.model.BackendModelProvider;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code watch} against a running service: a real broker and registry, the service with the standing
 * stage on the committed models, two simulated cameras ({@code feed}); the page's JSON lists each
 * camera and question with its answer, a tile is the frame with the mask, and the page renders in
 * headless Chromium (the screenshot is what docs/images/watch.png was taken from).
 */
class WatchIT {

  @Test
  void shouldShowTheNewestAnswerAndMaskOfEveryCameraAndQuestion(@TempDir Path dir) throws Exception {
    try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(dir.resolve("kafka"), Duration.ofMinutes(2));
        RegistryLauncher registry = RegistryLauncher.builder().logFile(dir.resolve("registry.log")).start()) {
      Properties p = new Properties();
      p.put("bootstrap.servers", broker.bootstrapServers());
      p.put(ServiceConfig.SCHEMA_REGISTRY_URL, registry.url());
      p.put("application.id", "llavaseg-watch-it");
      p.put("state.dir", dir.resolve("state").toString());
      p.put(ServiceConfig.STAGES, "reasoning,segmentation,standing");
      p.put(ServiceConfig.TOPICS_CREATE, "true");
      try (LlavasegService service = LlavasegService.start(ServiceConfig.from(p), new BackendModelProvider())) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (service.streams().state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        Map<String, Object> serde = Map.of(ServiceConfig.SCHEMA_REGISTRY_URL, registry.url());
        Properties client = new Properties();
        client.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        LatestResults results = new LatestResults(64);
        try (RestSchemaRegistry registryClient = RestSchemaRegistry.fromConfigs(serde);
            ResultsReader reader = new ResultsReader(client, Topics.withRegistry(registryClient, serde), results, true);
            WatchServer server = WatchServer.start("127.0.0.1", 0, results)) {
          reader.start();
          List<String> questions = List.of("segment the largest shape", "how many shapes are there");
          Map<String, Object> fed = new Feed(new Feed.Options(2, 1, Duration.ofSeconds(4), questions,
              dir.resolve("feed"), Split.TEST.seed(), broker.bootstrapServers(), registry.url(), Duration.ofMinutes(2)),
              new PrintStream(OutputStream.nullOutputStream())).run();
          assertEquals(fed.get("expected"), fed.get("masks"), "the feed got every mask: " + fed);

          HttpClient http = HttpClient.newHttpClient();
          String base = "http://127.0.0.1:" + server.port() + "/";
          JsonNode latest = awaitEntries(http, base, 4);
          assertEquals(0, reader.skipped(), "every record decoded");
          for (JsonNode e : latest.get("entries")) {
            assertTrue(e.get("source_id").asText().startsWith("camera-"), e.toString());
            assertTrue(questions.contains(e.get("question").asText()), e.toString());
            assertTrue(!e.get("answer").asText().isBlank(), e.toString());
            HttpResponse<byte[]> tile = http.send(HttpRequest.newBuilder(URI.create(base + e.get("tile").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, tile.statusCode());
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(tile.body()));
            assertTrue(png.getWidth() > 256 && png.getHeight() >= 256, "the frame with the text panel beside it");
            String imageId = e.get("query_id").asText().split("/")[0];
            java.util.Optional<byte[]> frame = results.image(imageId);
            assertTrue(frame.isPresent(), "the frame of " + e + " was read from camera-frames");
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(frame.get()));
            assertTrue(greyShare(png) < 0.5, "the tile draws the camera's frame, not the placeholder: " + e + ", frame "
                + (decoded == null ? "undecodable" : decoded.getWidth() + "x" + decoded.getHeight()));
          }
          JsonNode largest = null;
          for (JsonNode e : latest.get("entries")) {
            if (e.get("question").asText().equals(questions.get(0))) {
              largest = e;
            }
          }
          assertTrue(largest != null && largest.get("area").asLong() > 0, "a mask for the largest shape: " + latest);
          HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base)).build(),
              HttpResponse.BodyHandlers.ofString());
          assertTrue(page.body().contains("camera-0 / q1") && page.body().contains("latest.json"), page.body());

          Optional<Path> chromium = PageScreenshot.chromium();
          assumeTrue(chromium.isPresent(), "Chromium is not installed (apt-get install chromium): screenshot skipped");
          BufferedImage shot = PageScreenshot.capture(chromium.get(), URI.create(base), dir.resolve("watch.png"), 1280, 900);
          assertTrue(PageScreenshot.distinctColours(shot) > 40, "the page shows frames, not a blank page");
          System.out.println("watch screenshot: " + dir.resolve("watch.png"));
          java.nio.file.Files.copy(dir.resolve("watch.png"), Path.of("target", "watch.png"),
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /** Share of the frame area (top left 256x256) in the placeholder's grey. */
  private static double greyShare(BufferedImage tile) {
    int grey = 0;
    for (int y = 0; y < 256; y++) {
      for (int x = 0; x < 256; x++) {
        grey += (tile.getRGB(x, y) & 0xFFFFFF) == 0x5A5A5A ? 1 : 0;
      }
    }
    return grey / (256.0 * 256.0);
  }

  private static JsonNode awaitEntries(HttpClient http, String base, int n) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode latest;
    do {
      latest = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(base + "latest.json")).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      if (latest.get("entries").size() >= n) {
        return latest;
      }
      Thread.sleep(250);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("watch showed " + latest.get("entries").size() + " entries, expected " + n + ": " + latest);
  }
}
