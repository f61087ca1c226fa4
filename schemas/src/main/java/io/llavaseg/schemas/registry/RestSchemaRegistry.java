package io.llavaseg.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Confluent Schema Registry REST client on {@code java.net.http}, with caches in both directions
 * (subject+schema to id, id to schema), HTTP basic auth, TLS from trust/key stores, per-request
 * timeouts, and retries with exponential backoff on 5xx, 408, 429 and IO errors (rotating through
 * the configured URLs).
 *
 * <p>Works against Confluent Schema Registry and Apicurio Registry's {@code /apis/ccompat/v7}. Only
 * Avro schemas without references are handled; a schema id whose {@code schemaType} is not AVRO is
 * refused with a {@link RegistryException}. Caches are unbounded: one entry per distinct schema,
 * which is a handful for a topology. Thread-safe.
 */
public final class RestSchemaRegistry implements SchemaRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(RestSchemaRegistry.class);
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final String ACCEPT =
      "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, "
          + "application/json; qs=0.5";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryConfig config;
  private final HttpClient http;
  private final Optional<String> authorization;
  private final AtomicInteger currentUrl = new AtomicInteger();
  private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

  public RestSchemaRegistry(RegistryConfig config) {
    this.config = config;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(config.connectTimeout())
            .followRedirects(HttpClient.Redirect.NORMAL);
    if (config.truststoreLocation().isPresent() || config.keystoreLocation().isPresent()) {
      builder.sslContext(sslContext(config));
    }
    this.http = builder.build();
    this.authorization =
        config.basicAuthUserInfo()
            .map(u -> "Basic " + Base64.getEncoder().encodeToString(u.getBytes(StandardCharsets.UTF_8)));
  }

  /** A client for Kafka-style configs; see {@link RegistryConfig} for the keys. */
  public static RestSchemaRegistry fromConfigs(Map<String, ?> configs) {
    return new RestSchemaRegistry(RegistryConfig.from(configs));
  }

  public RegistryConfig config() {
    return config;
  }

  @Override
  public int register(String subject, Schema schema) {
    Integer cached = cachedId(subject, schema);
    if (cached != null) {
      return cached;
    }
    JsonNode body;
    try {
      body = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
    } catch (IncompatibleSchemaException conflict) {
      // Apicurio answers 409 "already exists" to the loser of two concurrent first registrations of
      // the same schema: if the schema is now registered under the subject, that is its id.
      try {
        int id = lookup(subject, schema);
        LOG.debug("schema {} under {} was registered concurrently as id {}", schema.getFullName(), subject, id);
        return id;
      } catch (SchemaNotFoundException notThere) {
        throw conflict;
      }
    }
    int id = requiredInt(body, "id", "register " + subject);
    remember(subject, schema, id);
    LOG.debug("registered schema {} under subject {} as id {}", schema.getFullName(), subject, id);
    return id;
  }

  @Override
  public int lookup(String subject, Schema schema) {
    Integer cached = cachedId(subject, schema);
    if (cached != null) {
      return cached;
    }
    JsonNode body;
    try {
      body = send("POST", "/subjects/" + encode(subject), schemaBody(schema));
    } catch (SchemaNotFoundException e) {
      throw new SchemaNotFoundException(
          "schema " + schema.getFullName() + " is not registered under subject " + subject
              + " (" + e.getMessage() + ")",
          e.errorCode());
    }
    int id = requiredInt(body, "id", "look up " + subject);
    remember(subject, schema, id);
    return id;
  }

  @Override
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode body = send("GET", "/schemas/ids/" + id, null);
    JsonNode type = body.get("schemaType");
    if (type != null && !type.isNull() && !"AVRO".equalsIgnoreCase(type.asText())) {
      throw new RegistryException(
          "schema id " + id + " is a " + type.asText() + " schema, not Avro", 200, -1);
    }
    JsonNode refs = body.get("references");
    if (refs != null && refs.isArray() && refs.size() > 0) {
      throw new RegistryException(
          "schema id " + id + " uses schema references, which this client does not resolve", 200, -1);
    }
    JsonNode text = body.get("schema");
    if (text == null || !text.isTextual()) {
      throw new RegistryException("registry answer for schema id " + id + " has no schema", 200, -1);
    }
    Schema schema;
    try {
      schema = new Schema.Parser().parse(text.asText());
    } catch (SchemaParseException e) {
      throw new RegistryException("schema id " + id + " is not a valid Avro schema: " + e.getMessage(),
          200, -1, e);
    }
    Schema raced = schemasById.putIfAbsent(id, schema);
    return raced != null ? raced : schema;
  }

  /**
   * Sets the compatibility level of one subject ({@code PUT /config/{subject}}), e.g. BACKWARD,
   * FORWARD, FULL, NONE (and their _TRANSITIVE forms).
   */
  public void setCompatibility(String subject, String level) {
    ObjectNode body = JSON.createObjectNode().put("compatibility", level);
    send("PUT", "/config/" + encode(subject), body.toString());
  }

  /** All subjects ({@code GET /subjects}). Not cached. */
  public List<String> subjects() {
    JsonNode body = send("GET", "/subjects", null);
    List<String> out = new ArrayList<>();
    body.forEach(n -> out.add(n.asText()));
    return out;
  }

  private Integer cachedId(String subject, Schema schema) {
    Map<Schema, Integer> ids = idsBySubject.get(subject);
    return ids == null ? null : ids.get(schema);
  }

  private void remember(String subject, Schema schema, int id) {
    idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).put(schema, id);
    schemasById.putIfAbsent(id, schema);
  }

  private static String schemaBody(Schema schema) {
    return JSON.createObjectNode().put("schema", schema.toString()).toString();
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static int requiredInt(JsonNode body, String field, String what) {
    JsonNode n = body.get(field);
    if (n == null || !n.canConvertToInt()) {
      throw new RegistryException("registry answer to " + what + " has no '" + field + "': " + body,
          200, -1);
    }
    return n.asInt();
  }

  /** One request with retries and URL failover; returns the parsed JSON body of a 2xx answer. */
  private JsonNode send(String method, String path, String jsonBody) {
    List<URI> urls = config.urls();
    int attempts = config.retries() + 1;
    RegistryUnavailableException last = null;
    for (int attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) {
        backoff(attempt, method, path, last);
      }
      int index = Math.floorMod(currentUrl.get(), urls.size());
      URI uri = URI.create(urls.get(index) + path);
      HttpRequest.Builder req =
          HttpRequest.newBuilder(uri).timeout(config.requestTimeout()).header("Accept", ACCEPT);
      authorization.ifPresent(a -> req.header("Authorization", a));
      if (jsonBody == null) {
        req.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        req.header("Content-Type", CONTENT_TYPE)
            .method(method, HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
      }
      HttpResponse<String> resp;
      try {
        resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (javax.net.ssl.SSLHandshakeException e) {
        throw new RegistryException(method + " " + uri + ": TLS handshake failed (check "
            + RegistryConfig.TRUSTSTORE_LOCATION + " / " + RegistryConfig.KEYSTORE_LOCATION + "): "
            + e.getMessage(), -1, -1, e);
      } catch (IOException e) {
        last = new RegistryUnavailableException(
            method + " " + uri + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
            -1, e);
        currentUrl.compareAndSet(index, index + 1);
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryUnavailableException(method + " " + uri + " interrupted", -1, e);
      }
      int status = resp.statusCode();
      if (status >= 200 && status < 300) {
        return parse(resp.body(), method, uri);
      }
      JsonNode error = parseQuietly(resp.body());
      int code = error.path("error_code").asInt(-1);
      String message =
          method + " " + uri + " -> HTTP " + status
              + (error.hasNonNull("message") ? ": " + error.get("message").asText()
                  : abbreviate(resp.body()));
      if (status >= 500 || status == 408 || status == 429) {
        last = new RegistryUnavailableException(message, status, null);
        if (status >= 500) {
          currentUrl.compareAndSet(index, index + 1);
        }
        continue;
      }
      if (status == 404) {
        throw new SchemaNotFoundException(message, code);
      }
      if (status == 409) {
        throw new IncompatibleSchemaException(message, code);
      }
      throw new RegistryException(message, status, code);
    }
    throw new RegistryUnavailableException(
        "schema registry unavailable after " + attempts + " attempt(s): " + last.getMessage(),
        last.httpStatus(), last);
  }

  private void backoff(int attempt, String method, String path, RegistryException cause) {
    long base = config.retryBackoff().toMillis();
    long max = config.retryBackoffMax().toMillis();
    long delay = Math.min(max, base << Math.min(attempt - 1, 20));
    LOG.warn("schema registry {} {} failed ({}); retry {} of {} in {} ms", method, path,
        cause.getMessage(), attempt, config.retries(), delay);
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException(method + " " + path + " interrupted during backoff",
          -1, cause);
    }
  }

  private static JsonNode parse(String body, String method, URI uri) {
    try {
      return JSON.readTree(body == null || body.isEmpty() ? "{}" : body);
    } catch (IOException e) {
      throw new RegistryException(method + " " + uri + " answered non-JSON: " + abbreviate(body),
          200, -1, e);
    }
  }

  private static JsonNode parseQuietly(String body) {
    try {
      JsonNode n = JSON.readTree(body == null || body.isEmpty() ? "{}" : body);
      return n == null ? JSON.createObjectNode() : n;
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  private static String abbreviate(String s) {
    if (s == null || s.isEmpty()) {
      return "";
    }
    return ": " + (s.length() > 300 ? s.substring(0, 300) + "..." : s);
  }

  private static SSLContext sslContext(RegistryConfig c) {
    try {
      TrustManagerFactory tmf = null;
      if (c.truststoreLocation().isPresent()) {
        KeyStore ts = load(c.truststoreLocation().get(), c.truststoreType(), c.truststorePassword(),
            RegistryConfig.TRUSTSTORE_LOCATION);
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
      }
      KeyManagerFactory kmf = null;
      if (c.keystoreLocation().isPresent()) {
        KeyStore ks = load(c.keystoreLocation().get(), c.keystoreType(), c.keystorePassword(),
            RegistryConfig.KEYSTORE_LOCATION);
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, c.keyPassword() == null ? null : c.keyPassword().toCharArray());
      }
      SSLContext ctx = SSLContext.getInstance(c.sslProtocol());
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(),
          null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new ConfigException("schema registry TLS settings are unusable: " + e.getMessage());
    }
  }

  private static KeyStore load(String location, String type, String password, String key)
      throws GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance(type);
    try (InputStream in = Files.newInputStream(Path.of(location))) {
      ks.load(in, password == null ? null : password.toCharArray());
    } catch (IOException e) {
      throw new ConfigException(key, location, "cannot be read: " + e.getMessage());
    }
    return ks;
  }
}
