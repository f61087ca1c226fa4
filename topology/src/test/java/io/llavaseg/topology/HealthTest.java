package io.llavaseg.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

/** Liveness and readiness follow the Streams state and the loaded models. */
class HealthTest {

  @Test
  void readyOnlyWhenRunningWithEveryStagesModelLiveUntilTheClientStopsOrFails() {
    List<String> two = List.of("r:v1@cpu()", "s:v1@cpu()");
    assertTrue(Health.of(State.RUNNING, 2, two).ready());
    assertFalse(Health.of(State.RUNNING, 2, two.subList(0, 1)).ready());
    assertFalse(Health.of(State.REBALANCING, 2, two).ready());
    assertTrue(Health.of(State.REBALANCING, 2, two).live());
    for (State dead : new State[] {State.PENDING_SHUTDOWN, State.NOT_RUNNING, State.PENDING_ERROR, State.ERROR}) {
      assertFalse(Health.of(dead, 2, two).live(), dead.name());
      assertFalse(Health.of(dead, 2, two).ready(), dead.name());
    }
  }

  @Test
  void notReadyWhileAStagesModelIsUnavailableButStillLive() {
    List<String> two = List.of("r:v1@cpu()", "s:v1@cpu()");
    Health.Status s = Health.of(State.RUNNING, 2, two, java.util.Set.of("reasoning"));
    assertFalse(s.ready());
    assertTrue(s.live());
    assertEquals(List.of("reasoning"), s.unavailable());
  }

  @Test
  void replacesAStreamThreadThatStoppedForAnUnavailableModelAndShutsDownOnAnythingElse() {
    assertEquals(org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD,
        LlavasegService.onUncaught(new org.apache.kafka.streams.errors.StreamsException(
            new io.llavaseg.model.ModelUnavailableException("reasoner down"))));
    assertEquals(org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT,
        LlavasegService.onUncaught(new org.apache.kafka.streams.errors.StreamsException(new IllegalStateException("bug"))));
  }

  @Test
  void servesTheVerdictAsStatusCodeAndJson() throws Exception {
    AtomicReference<State> state = new AtomicReference<>(State.REBALANCING);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", new Health(state::get, List.of("reasoning"), 1, List.of("shapeworld-reasoner:v1@cpu()")));
    server.start();
    try {
      HttpClient client = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      HttpResponse<String> ready = client.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(503, ready.statusCode());
      assertTrue(ready.body().contains("\"streams\":\"REBALANCING\""), ready.body());
      state.set(State.RUNNING);
      assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
      state.set(State.ERROR);
      assertEquals(503, client.send(HttpRequest.newBuilder(URI.create(base + "/health/live")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
      assertEquals(404, client.send(HttpRequest.newBuilder(URI.create(base + "/nothing")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
    } finally {
      server.stop(0);
    }
  }
}
