package io.llavaseg.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llavaseg.schemas.ImageAnswer;
import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.schemas.registry.FakeRegistryServer.Response;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RestSchemaRegistryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Schema QUERY = ImageQuery.getClassSchema();
  private FakeRegistryServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static String schemaJson(Schema s) {
    return JSON.createObjectNode().put("schema", s.toString()).toString();
  }

  /** A scripted registry that knows QUERY as id 7 under every subject, nothing else. */
  private static Response knowsQueryAsSeven(FakeRegistryServer.Request r) {
    if (r.method().equals("POST") && r.path().endsWith("/versions")) {
      return Response.ok("{\"id\":7}");
    }
    if (r.method().equals("POST") && r.path().startsWith("/subjects/")) {
      return Response.ok("{\"id\":7,\"subject\":\"x\",\"version\":1}");
    }
    if (r.path().equals("/schemas/ids/7")) {
      return Response.ok(schemaJson(QUERY));
    }
    return new Response(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
  }

  private RestSchemaRegistry client(Map<String, Object> extra) {
    Map<String, Object> c = new HashMap<>();
    c.put(RegistryConfig.URL, server.url());
    c.put(RegistryConfig.RETRY_BACKOFF_MS, 1);
    c.putAll(extra);
    return RestSchemaRegistry.fromConfigs(c);
  }

  @Test
  void shouldPostTheSchemaAsJsonWithTheRegistryContentType() throws Exception {
    server = FakeRegistryServer.http(RestSchemaRegistryTest::knowsQueryAsSeven);
    assertEquals(7, client(Map.of()).register("image-queries-value", QUERY));
    FakeRegistryServer.Request r = server.requests.get(0);
    assertEquals("/subjects/image-queries-value/versions", r.path());
    assertEquals("application/vnd.schemaregistry.v1+json", r.contentType());
    assertEquals(QUERY, new Schema.Parser().parse(JSON.readTree(r.body()).get("schema").asText()));
    assertNull(r.authorization(), "no credentials configured, none sent");
  }

  @Test
  void shouldCacheIdsBySubjectAndSchemasByIdInBothDirections() throws Exception {
    server = FakeRegistryServer.http(RestSchemaRegistryTest::knowsQueryAsSeven);
    RestSchemaRegistry client = client(Map.of());
    assertEquals(7, client.register("a-value", QUERY));
    assertEquals(7, client.register("a-value", QUERY));
    assertEquals(7, client.lookup("a-value", QUERY));
    assertEquals(QUERY, client.schemaById(7), "known from the registration, no request");
    assertEquals(1, server.requests.size());

    RestSchemaRegistry reader = client(Map.of());
    assertEquals(QUERY, reader.schemaById(7));
    assertEquals(QUERY, reader.schemaById(7));
    assertEquals(7, reader.lookup("b-value", QUERY));
    assertEquals(7, reader.lookup("b-value", QUERY));
    assertEquals(1, server.requestsTo("GET", "/schemas/ids/7").size());
    assertEquals(1, server.requestsTo("POST", "/subjects/b-value").size());
  }

  @Test
  void shouldSendBasicAuthFromUserInfo() throws Exception {
    server = FakeRegistryServer.http(RestSchemaRegistryTest::knowsQueryAsSeven);
    client(Map.of(RegistryConfig.BASIC_AUTH_SOURCE, "USER_INFO",
        RegistryConfig.BASIC_AUTH_USER_INFO, "alice:s3cr:et")).schemaById(7);
    assertEquals("Basic " + Base64.getEncoder().encodeToString(
        "alice:s3cr:et".getBytes(StandardCharsets.UTF_8)), server.requests.get(0).authorization());
  }

  @Test
  void shouldSendBasicAuthFromTheUrlAndKeepItOutOfTheRequestLine() throws Exception {
    server = FakeRegistryServer.http(RestSchemaRegistryTest::knowsQueryAsSeven);
    String url = server.url().replace("http://", "http://bob:pa%40ss@");
    client(Map.of(RegistryConfig.URL, url)).schemaById(7);
    assertEquals("Basic " + Base64.getEncoder().encodeToString(
        "bob:pa@ss".getBytes(StandardCharsets.UTF_8)), server.requests.get(0).authorization());
    assertEquals("/schemas/ids/7", server.requests.get(0).path());
  }

  @Test
  void shouldMapNotFoundAndConflictToTheirExceptionsWithoutRetrying() throws Exception {
    server = FakeRegistryServer.http(r -> r.path().endsWith("/versions")
        ? new Response(409, "{\"error_code\":409,\"message\":\"incompatible\"}")
        : new Response(404, "{\"error_code\":40401,\"message\":\"Subject not found\"}"));
    RestSchemaRegistry client = client(Map.of());
    SchemaNotFoundException nf =
        assertThrows(SchemaNotFoundException.class, () -> client.lookup("s-value", QUERY));
    assertEquals(40401, nf.errorCode());
    assertTrue(nf.getMessage().contains("Subject not found"), nf.getMessage());
    IncompatibleSchemaException inc =
        assertThrows(IncompatibleSchemaException.class, () -> client.register("s-value", QUERY));
    assertFalse(inc.isTransient());
    // lookup, register (409), then the lookup that checks for a concurrent registration
    assertEquals(3, server.requests.size());
  }

  @Test
  void shouldTakeTheIdOfAConcurrentRegistrationWhenRegisterConflicts() throws Exception {
    server = FakeRegistryServer.http(r -> r.path().endsWith("/versions")
        ? new Response(409, "{\"error_code\":409,\"message\":\"artifact already exists\"}")
        : new Response(200, "{\"id\":12,\"subject\":\"s-value\",\"version\":1}"));
    assertEquals(12, client(Map.of()).register("s-value", QUERY));
    assertEquals(2, server.requests.size());
  }

  @Test
  void shouldTreatOtherClientErrorsAsPermanent() throws Exception {
    server = FakeRegistryServer.http(r -> new Response(401, "{\"message\":\"Unauthorized\"}"));
    RegistryException e = assertThrows(RegistryException.class, () -> client(Map.of()).schemaById(1));
    assertEquals(401, e.httpStatus());
    assertFalse(e.isTransient());
    assertEquals(1, server.requests.size());
  }

  @Test
  void shouldRetryServerErrorsAndSucceedWhenTheRegistryRecovers() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    server = FakeRegistryServer.http(r -> calls.incrementAndGet() <= 2
        ? new Response(503, "{\"message\":\"starting\"}") : knowsQueryAsSeven(r));
    assertEquals(QUERY, client(Map.of()).schemaById(7));
    assertEquals(3, server.requests.size());
  }

  @Test
  void shouldReportPersistentServerErrorsAsUnavailableAfterTheConfiguredRetries() throws Exception {
    server = FakeRegistryServer.http(r -> new Response(500, "boom"));
    RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class,
        () -> client(Map.of(RegistryConfig.RETRIES, 2)).schemaById(7));
    assertTrue(e.isTransient());
    assertEquals(500, e.httpStatus());
    assertEquals(3, server.requests.size());
  }

  @Test
  void shouldReportARefusedConnectionAsUnavailable() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    RestSchemaRegistry client = RestSchemaRegistry.fromConfigs(Map.of(
        RegistryConfig.URL, "http://127.0.0.1:" + closedPort, RegistryConfig.RETRIES, 1,
        RegistryConfig.RETRY_BACKOFF_MS, 1));
    assertThrows(RegistryUnavailableException.class, () -> client.schemaById(1));
  }

  @Test
  void shouldFailOverToTheNextUrl() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    server = FakeRegistryServer.http(RestSchemaRegistryTest::knowsQueryAsSeven);
    RestSchemaRegistry client = client(Map.of(RegistryConfig.URL,
        "http://127.0.0.1:" + closedPort + " , " + server.url()));
    assertEquals(QUERY, client.schemaById(7));
    assertEquals(7, client.register("x-value", ImageAnswer.getClassSchema()));
    assertEquals(2, server.requests.size(), "sticks to the URL that answered");
  }

  @Test
  void shouldGiveUpOnASlowRegistryAfterTheRequestTimeout() throws Exception {
    server = FakeRegistryServer.http(r -> {
      try {
        Thread.sleep(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return knowsQueryAsSeven(r);
    });
    RestSchemaRegistry client = client(Map.of(RegistryConfig.REQUEST_TIMEOUT_MS, 100,
        RegistryConfig.RETRIES, 0));
    RegistryUnavailableException e =
        assertThrows(RegistryUnavailableException.class, () -> client.schemaById(7));
    assertTrue(e.getMessage().contains("Timeout"), e.getMessage());
  }

  @Test
  void shouldRefuseSchemasThatAreNotAvro() throws Exception {
    server = FakeRegistryServer.http(r -> Response.ok(
        "{\"schema\":\"syntax = \\\"proto3\\\";\",\"schemaType\":\"PROTOBUF\"}"));
    RegistryException e = assertThrows(RegistryException.class, () -> client(Map.of()).schemaById(3));
    assertTrue(e.getMessage().contains("PROTOBUF"), e.getMessage());
  }

  @Test
  void shouldSetSubjectCompatibility() throws Exception {
    server = FakeRegistryServer.http(r -> Response.ok("{\"compatibility\":\"BACKWARD\"}"));
    client(Map.of()).setCompatibility("image-masks-value", "BACKWARD");
    FakeRegistryServer.Request r = server.requests.get(0);
    assertEquals("PUT", r.method());
    assertEquals("/config/image-masks-value", r.path());
    assertEquals("BACKWARD", JSON.readTree(r.body()).get("compatibility").asText());
  }
}
