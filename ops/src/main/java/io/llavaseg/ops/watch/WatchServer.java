package io.llavaseg.ops.watch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.llavaseg.ops.demo.Overlay;
import io.llavaseg.schemas.CocoRle;
import io.llavaseg.schemas.ImageMask;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * The live page of {@code watch}, on the JDK's HTTP server: {@code /} lists every (source, question)
 * with its newest frame, mask, question and answer (drawn on the server, so the page shows results
 * even without script), and polls {@code /latest.json} every second to redraw the tiles that
 * changed; {@code /tile?key=K} is the overlay PNG of one entry ({@link Overlay}: mask tinted and
 * outlined over the frame, question and answer beside it).
 */
public final class WatchServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer http;
  private final LatestResults results;

  private WatchServer(HttpServer http, LatestResults results) {
    this.http = http;
    this.results = results;
  }

  /** Starts serving on {@code host:port} (port 0: any free port). */
  public static WatchServer start(String host, int port, LatestResults results) throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 0);
    WatchServer server = new WatchServer(http, results);
    http.createContext("/", server::page);
    http.createContext("/latest.json", server::latest);
    http.createContext("/tile", server::tile);
    http.setExecutor(Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "watch-http");
      t.setDaemon(true);
      return t;
    }));
    http.start();
    return server;
  }

  public int port() {
    return http.getAddress().getPort();
  }

  private void page(HttpExchange ex) throws IOException {
    if (!ex.getRequestURI().getPath().equals("/")) {
      send(ex, 404, "text/plain", "not found\n".getBytes(StandardCharsets.UTF_8));
      return;
    }
    send(ex, 200, "text/html; charset=utf-8", WatchPage.html(results.entries(), results.masksSeen())
        .getBytes(StandardCharsets.UTF_8));
  }

  private void latest(HttpExchange ex) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("version", results.version());
    body.put("masks_seen", results.masksSeen());
    List<Map<String, Object>> entries = new ArrayList<>();
    for (LatestResults.Entry e : results.entries()) {
      entries.add(json(e));
    }
    body.put("entries", entries);
    send(ex, 200, "application/json", JSON.writeValueAsBytes(body));
  }

  static Map<String, Object> json(LatestResults.Entry e) {
    ImageMask m = e.mask();
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("key", e.key());
    j.put("tile", tileUrl(e));
    j.put("source_id", e.source());
    j.put("query_id", e.queryId());
    j.put("question", e.question());
    j.put("answer", e.answer());
    j.put("target", m.getTarget());
    j.put("area", m.getArea());
    j.put("capture_to_mask_ms", e.latencyMs());
    return j;
  }

  /** The entry's tile, relative to the page; the query id in it changes the URL when the tile does. */
  static String tileUrl(LatestResults.Entry e) {
    return "tile?key=" + URLEncoder.encode(e.key(), StandardCharsets.UTF_8) + "&q="
        + URLEncoder.encode(e.queryId(), StandardCharsets.UTF_8);
  }

  private void tile(HttpExchange ex) throws IOException {
    String key = query(ex.getRequestURI().getRawQuery()).get("key");
    Optional<LatestResults.Entry> entry = key == null ? Optional.empty() : results.entry(key);
    if (entry.isEmpty()) {
      send(ex, 404, "text/plain", "no such entry\n".getBytes(StandardCharsets.UTF_8));
      return;
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(render(entry.get()), "png", png);
    send(ex, 200, "image/png", png.toByteArray());
  }

  /** The entry's overlay: its frame (grey when the image is a reference or not seen yet) with the mask. */
  BufferedImage render(LatestResults.Entry e) throws IOException {
    ImageMask m = e.mask();
    byte[] mask = CocoRle.decode(m.getRleCounts().stream().mapToLong(Long::longValue).toArray(), m.getWidth(),
        m.getHeight());
    BufferedImage frame = results.image(e.imageId()).map(WatchServer::decode).orElse(null);
    if (frame == null || frame.getWidth() != m.getWidth() || frame.getHeight() != m.getHeight()) {
      frame = blank(m.getWidth(), m.getHeight());
    }
    String footer = String.format(Locale.ROOT, "%s  %d ms", e.queryId(), e.latencyMs())
        + (m.getTarget() == null ? "" : "  -> " + m.getTarget());
    return Overlay.render(frame, mask, e.question(), e.answer(), footer);
  }

  /** In memory (no temp-file cache); {@code ImageIO.read} closes the stream. */
  private static BufferedImage decode(byte[] bytes) {
    try {
      return ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes)));
    } catch (IOException e) {
      return null;
    }
  }

  private static BufferedImage blank(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(90, 90, 90));
    g.fillRect(0, 0, w, h);
    g.dispose();
    return img;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw != null) {
      for (String part : raw.split("&")) {
        int eq = part.indexOf('=');
        if (eq > 0) {
          out.put(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
