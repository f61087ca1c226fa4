package io.llavaseg.schemas.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * Test double of a registry's HTTP endpoint on 127.0.0.1 (plain or TLS): records every request and
 * answers with a programmable function. Not a registry: the tests script its answers.
 */
final class FakeRegistryServer implements AutoCloseable {
  /** One received request. */
  record Request(String method, String path, String authorization, String contentType, String body) {}

  /** A scripted answer. */
  record Response(int status, String body) {
    static Response ok(String body) {
      return new Response(200, body);
    }
  }

  final List<Request> requests = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private volatile Function<Request, Response> handler;

  private SSLContext ssl;
  private volatile java.util.function.Consumer<HttpsParameters> httpsCustomizer = p -> {};

  private FakeRegistryServer(HttpServer server, Function<Request, Response> handler) {
    this(server, handler, true);
  }

  private FakeRegistryServer(HttpServer server, Function<Request, Response> handler,
      boolean start) {
    this.server = server;
    this.handler = handler;
    server.createContext("/", this::handle);
    if (start) {
      server.start();
    }
  }

  static FakeRegistryServer http(Function<Request, Response> handler) throws IOException {
    return new FakeRegistryServer(
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), handler);
  }

  static FakeRegistryServer https(SSLContext ssl, Function<Request, Response> handler)
      throws IOException {
    HttpsServer s =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    FakeRegistryServer fake = new FakeRegistryServer(s, handler, false);
    fake.ssl = ssl;
    s.setHttpsConfigurator(fake.configurator());
    s.start();
    return fake;
  }

  /** HTTPS only: adjusts each connection's parameters (e.g. to require a client certificate). */
  void configureHttps(java.util.function.Consumer<HttpsParameters> customizer) {
    this.httpsCustomizer = customizer;
  }

  private HttpsConfigurator configurator() {
    return new HttpsConfigurator(ssl) {
      @Override
      public void configure(HttpsParameters params) {
        javax.net.ssl.SSLParameters p = ssl.getDefaultSSLParameters();
        params.setSSLParameters(p);
        httpsCustomizer.accept(params);
      }
    };
  }

  void answer(Function<Request, Response> newHandler) {
    this.handler = newHandler;
  }

  String url(String scheme, String prefix) {
    return scheme + "://127.0.0.1:" + server.getAddress().getPort() + prefix;
  }

  String url() {
    return url(server instanceof HttpsServer ? "https" : "http", "/apis/ccompat/v7");
  }

  List<Request> requestsTo(String method, String path) {
    return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path))
        .toList();
  }

  private void handle(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String path = ex.getRequestURI().getRawPath();
    String prefix = "/apis/ccompat/v7";
    Request req = new Request(ex.getRequestMethod(),
        path.startsWith(prefix) ? path.substring(prefix.length()) : path,
        ex.getRequestHeaders().getFirst("Authorization"),
        ex.getRequestHeaders().getFirst("Content-Type"), body);
    requests.add(req);
    Response resp = handler.apply(req);
    byte[] out = resp.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
    ex.sendResponseHeaders(resp.status(), out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      ex.getResponseBody().write(out);
    }
    ex.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
