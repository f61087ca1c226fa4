package io.llavaseg.topology;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The service's health, served next to the metrics ({@code llavaseg.metrics.port}):
 * <ul>
 *   <li>{@code GET /health/live}: 200 while the Kafka Streams client is alive (CREATED, REBALANCING,
 *       RUNNING), 503 once it is shutting down, stopped or failed (ERROR): restart the process;
 *   <li>{@code GET /health/ready}: 200 when the streams are RUNNING, every configured stage's
 *       model is loaded and none was unavailable at its last request (a model server down), else
 *       503 (not yet, rebalancing, failed, or waiting for a model): send no traffic yet.
 * </ul>
 * The body is a small JSON document naming the state, the stages and the loaded models. Models are
 * loaded before the streams start, so a live instance always has them; the field says which.
 */
public final class Health implements HttpHandler {
  public static final String LIVE_PATH = "/health/live";
  public static final String READY_PATH = "/health/ready";

  /** One probe's verdict. */
  public record Status(boolean live, boolean ready, String streamsState, List<String> models, List<String> unavailable) {}

  private final Supplier<KafkaStreams.State> state;
  private final List<String> stages;
  private final List<String> models;
  private final int modelStages;
  private final Supplier<? extends Collection<String>> unavailable;

  /** {@code modelStages}: how many of the stages need a model (reasoning, segmentation). */
  public Health(Supplier<KafkaStreams.State> state, List<String> stages, int modelStages, List<String> models) {
    this(state, stages, modelStages, models, List::of);
  }

  /** {@code unavailable}: the stages whose model was unavailable at their last request. */
  public Health(Supplier<KafkaStreams.State> state, List<String> stages, int modelStages, List<String> models,
      Supplier<? extends Collection<String>> unavailable) {
    this.state = state;
    this.stages = List.copyOf(stages);
    this.modelStages = modelStages;
    this.models = List.copyOf(models);
    this.unavailable = unavailable;
  }

  /** The verdict for a streams state and the loaded models, all of them answering. */
  public static Status of(KafkaStreams.State state, int stages, List<String> models) {
    return of(state, stages, models, List.of());
  }

  /** The verdict for a streams state, the loaded models and the stages whose model is unavailable. */
  public static Status of(KafkaStreams.State state, int stages, List<String> models, Collection<String> unavailable) {
    boolean live = state == KafkaStreams.State.CREATED || state == KafkaStreams.State.REBALANCING
        || state == KafkaStreams.State.RUNNING;
    boolean ready = state == KafkaStreams.State.RUNNING && models.size() >= stages && unavailable.isEmpty();
    return new Status(live, ready, state.name(), models, unavailable.stream().sorted().toList());
  }

  public Status status() {
    return of(state.get(), modelStages, models, unavailable.get());
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      Status s = status();
      boolean ok;
      if (path.equals(LIVE_PATH)) {
        ok = s.live();
      } else if (path.equals(READY_PATH)) {
        ok = s.ready();
      } else {
        byte[] body = "not found: try /metrics, /health/live, /health/ready\n".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(404, body.length);
        exchange.getResponseBody().write(body);
        return;
      }
      byte[] body = json(s).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(ok ? 200 : 503, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private String json(Status s) {
    StringBuilder b = new StringBuilder("{\"live\":").append(s.live()).append(",\"ready\":").append(s.ready())
        .append(",\"streams\":\"").append(s.streamsState()).append("\",\"stages\":[");
    for (int i = 0; i < stages.size(); i++) {
      b.append(i > 0 ? "," : "").append('"').append(stages.get(i)).append('"');
    }
    b.append("],\"models\":[");
    for (int i = 0; i < s.models().size(); i++) {
      b.append(i > 0 ? "," : "").append('"').append(s.models().get(i).replace("\"", "'")).append('"');
    }
    b.append("],\"unavailable\":[");
    for (int i = 0; i < s.unavailable().size(); i++) {
      b.append(i > 0 ? "," : "").append('"').append(s.unavailable().get(i)).append('"');
    }
    return b.append("]}\n").toString();
  }
}
