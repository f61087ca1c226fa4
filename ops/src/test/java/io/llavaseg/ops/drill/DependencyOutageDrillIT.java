package io.llavaseg.ops.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.llavaseg.embedded.KafkaBrokerProcess;
import io.llavaseg.embedded.RegistryLauncher;
import io.llavaseg.ops.ServiceProcess;
import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.schemas.ImageReference;
import io.llavaseg.schemas.registry.RestSchemaRegistry;
import io.llavaseg.schemas.registry.SchemaRegistry;
import io.llavaseg.topology.Topics;
import io.llavaseg.topology.image.ImageLoader;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image store and the models failing for 10 s: half of the queries name their image by
 * reference to an HTTP image store (a JDK HttpServer on 127.0.0.1, the one allowed host, private
 * addresses allowed), half
 * carry it inline. For the first 10 s of the stream the simulated models fail every batch ({@code
 * ModelUnavailableException}, while the instance's outage file exists; the file stays until the
 * service has met the outage, as a loaded machine may be busy waiting out the store until then), and
 * the store answers 503 for 10 s from the first request it gets (a loaded machine may reach it only
 * once the models are back, so its outage is timed from when the service first meets it).
 * Both are the world's fault, not the records': nothing is dead-lettered, and once both are back
 * every query is answered and masked exactly once (read_committed).
 */
class DependencyOutageDrillIT {
  private static final Duration DEADLINE = Duration.ofMinutes(4);
  private static final Duration OUTAGE = Duration.ofSeconds(10);
  /** What the service logs when a stream thread meets a model outage (its records are retried). */
  private static final String MODEL_RETRY = "a model is unavailable";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  @Test
  void anImageStoreAndModelOutageOfTenSecondsIsWaitedOutNotDeadLettered() throws Exception {
    byte[] png = QueryProducer.png();
    AtomicInteger unavailable = new AtomicInteger();
    AtomicInteger served = new AtomicInteger();
    java.util.concurrent.atomic.AtomicLong storeOutageEnd = new java.util.concurrent.atomic.AtomicLong();
    HttpServer store = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    store.createContext("/images/", exchange -> {
      try (exchange) {
        long now = System.nanoTime();
        if (now < storeOutageEnd.updateAndGet(end -> end == 0 ? now + OUTAGE.toNanos() : end)) {
          unavailable.incrementAndGet();
          exchange.sendResponseHeaders(503, -1);
        } else {
          served.incrementAndGet();
          exchange.getResponseHeaders().add("Content-Type", "image/png");
          exchange.sendResponseHeaders(200, png.length);
          exchange.getResponseBody().write(png);
        }
      }
    });
    store.setExecutor(Executors.newFixedThreadPool(4));
    store.start();
    String host = "127.0.0.1:" + store.getAddress().getPort();
    Path outageFile = dir.resolve("models-unavailable");
    ServiceProcess instance = null;
    ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
    long started = System.nanoTime();
    try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(dir.resolve("kafka"), Duration.ofMinutes(2));
        RegistryLauncher registry = RegistryLauncher.builder().logFile(dir.resolve("registry.log")).start()) {
      String bootstrap = broker.bootstrapServers();
      Map<String, String> p = DrillProperties.of(bootstrap, registry.url(), "drill-outage", 1);
      p.put("llavaseg.reference.hosts", host);
      p.put("llavaseg.reference.allow-private-addresses", "true"); // the store listens on loopback
      instance = new ServiceProcess(dir.resolve("a"), p, "PT0.03S", outageFile);
      instance.start().awaitReady(Duration.ofMinutes(2));
      int n = 100;
      Map<String, Object> serde = Map.of("schema.registry.url", registry.url());
      try (SchemaRegistry client = RestSchemaRegistry.fromConfigs(serde);
          OutputCounter outputs = new OutputCounter(bootstrap, registry.url(), List.of(instance))) {
        Topics topics = Topics.withRegistry(client, serde);
        // the models go down now for 10 s, and stay down until the service has met their outage:
        // on a loaded machine the stream threads may be busy waiting out the store until then
        Files.createFile(outageFile);
        ServiceProcess service = instance;
        java.util.concurrent.ScheduledFuture<Long> modelsBack = clock.schedule(() -> {
          long deadline = System.nanoTime() + DEADLINE.toNanos();
          while (count(service.currentRunLog(), MODEL_RETRY) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
          }
          Files.deleteIfExists(outageFile);
          return System.nanoTime();
        }, OUTAGE.toMillis(), TimeUnit.MILLISECONDS);
        Map<String, Object> conf = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, ImageQuery> producer = new KafkaProducer<>(conf,
            topics.queries().keySerde().serializer(), topics.queries().valueSerde().serializer())) {
          for (int i = 0; i < n; i++) { // 100 queries over the first 5 s of the outage
            String source = "cam-" + (i % 12);
            ImageQuery q = i % 2 == 0 ? QueryProducer.query("o-" + i, source, png) : ImageQuery.newBuilder()
                .setQueryId("o-" + i).setSourceId(source).setCaptureTime(Instant.now())
                .setImage(ImageReference.newBuilder().setUri("http://" + host + "/images/" + i + ".png")
                    .setSha256(ImageLoader.sha256(png)).build())
                .setQuestion("please segment the red circle").setOptions(new HashMap<>()).build();
            producer.send(new ProducerRecord<>(topics.queries().name(), source, q));
            Thread.sleep(50);
          }
          producer.flush();
        }
        // the fault's duration itself: the outage lasts 10 s or more whatever the service does
        long back = modelsBack.get(DEADLINE.toSeconds() + 30, TimeUnit.SECONDS);
        int duringOutage = outputs.masks.size();
        outputs.awaitMasks(n, DEADLINE);
        outputs.awaitAnswers(n, DEADLINE);
        double recovered = (System.nanoTime() - back) / 1e9;
        Thread.sleep(3000); // anything duplicated would be committed by now
        outputs.assertExactlyOnce(n);
        int deadLetters = OutputCounter.countRecords(bootstrap, Topics.IMAGE_QUERIES_DLQ);
        String log = instance.currentRunLog();
        int modelRetries = count(log, MODEL_RETRY);
        int storeRetries = count(log, "image-store unavailable");
        System.out.printf("DependencyOutageDrillIT: image store (503) and models (ModelUnavailableException) down for"
            + " %d s: %d store replies 503, %d stream-thread retries for the store and %d for the models, %d masks"
            + " during the outage; every query answered %.0f s after; %d/%d answers and masks, 0 duplicates, %d dead"
            + " letters, %.0f s%n", OUTAGE.toSeconds(), unavailable.get(), storeRetries, modelRetries, duringOutage,
            recovered, n, n, deadLetters, (System.nanoTime() - started) / 1e9);
        assertEquals(0, deadLetters, "an outage is not the records' fault: no dead letters");
        assertTrue(unavailable.get() > 0, "the store's outage was met");
        assertTrue(modelRetries > 0, "the models' outage was met:\n" + instance.tail());
        assertTrue(duringOutage < n, "the outage held queries back");
      }
    } finally {
      if (instance != null) {
        instance.close();
      }
      clock.shutdownNow();
      store.stop(0);
    }
  }

  private static int count(String text, String what) {
    int count = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      count++;
    }
    return count;
  }
}
