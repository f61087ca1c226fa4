package io.llavaseg.schemas.registry;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Schema registry client and serde settings, read from a Kafka-style config map with Confluent's
 * key names so existing client configurations work unchanged.
 *
 * <table>
 *   <caption>Keys (defaults in brackets)</caption>
 *   <tr><td>{@value #URL}</td><td>required; comma-separated base URLs, e.g.
 *       {@code http://127.0.0.1:8081/apis/ccompat/v7}; tried in order on transient errors</td></tr>
 *   <tr><td>{@value #BASIC_AUTH_SOURCE}</td><td>[URL] {@code URL} (user:password in the URL's
 *       user info, if any) or {@code USER_INFO}; {@code SASL_INHERIT} is not supported</td></tr>
 *   <tr><td>{@value #BASIC_AUTH_USER_INFO} (alias {@value #BASIC_AUTH_USER_INFO_ALIAS})</td>
 *       <td>{@code user:password} used when the source is USER_INFO</td></tr>
 *   <tr><td>{@value #TRUSTSTORE_LOCATION}, {@value #TRUSTSTORE_PASSWORD},
 *       {@value #TRUSTSTORE_TYPE}</td><td>[none, none, JKS] trust store for https URLs; without
 *       it the JVM's default trust store is used</td></tr>
 *   <tr><td>{@value #KEYSTORE_LOCATION}, {@value #KEYSTORE_PASSWORD}, {@value #KEYSTORE_TYPE},
 *       {@value #KEY_PASSWORD}</td><td>[none, none, JKS, keystore password] client certificate
 *       for mutual TLS</td></tr>
 *   <tr><td>{@value #SSL_PROTOCOL}</td><td>[TLS] SSLContext protocol</td></tr>
 *   <tr><td>{@value #AUTO_REGISTER}</td><td>[true] the serializer registers the record's schema;
 *       false: it only looks it up and fails if absent</td></tr>
 *   <tr><td>{@value #USE_LATEST_VERSION}</td><td>[false] only false is supported</td></tr>
 *   <tr><td>{@value #REQUEST_TIMEOUT_MS}</td><td>[10000] per HTTP request</td></tr>
 *   <tr><td>{@value #CONNECT_TIMEOUT_MS}</td><td>[5000] TCP/TLS connect</td></tr>
 *   <tr><td>{@value #RETRIES}</td><td>[3] extra attempts after a 5xx, timeout or IO error</td></tr>
 *   <tr><td>{@value #RETRY_BACKOFF_MS}, {@value #RETRY_BACKOFF_MAX_MS}</td><td>[200, 5000]
 *       exponential backoff between attempts</td></tr>
 * </table>
 *
 * <p>Hostname verification cannot be switched off per client with {@code java.net.http}; Confluent's
 * {@code schema.registry.ssl.endpoint.identification.algorithm} is therefore not read.
 */
public final class RegistryConfig {
  public static final String URL = "schema.registry.url";
  public static final String BASIC_AUTH_SOURCE = "basic.auth.credentials.source";
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  public static final String BASIC_AUTH_USER_INFO_ALIAS = "schema.registry.basic.auth.user.info";
  public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
  public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
  public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
  public static final String KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
  public static final String KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
  public static final String KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
  public static final String KEY_PASSWORD = "schema.registry.ssl.key.password";
  public static final String SSL_PROTOCOL = "schema.registry.ssl.protocol";
  public static final String AUTO_REGISTER = "auto.register.schemas";
  public static final String USE_LATEST_VERSION = "use.latest.version";
  public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
  public static final String CONNECT_TIMEOUT_MS = "schema.registry.connect.timeout.ms";
  public static final String RETRIES = "schema.registry.retries";
  public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";
  public static final String RETRY_BACKOFF_MAX_MS = "schema.registry.retry.backoff.max.ms";

  /** Where basic-auth credentials come from. */
  public enum CredentialsSource {
    URL,
    USER_INFO
  }

  private final List<URI> urls;
  private final String userInfo;
  private final Optional<String> truststoreLocation;
  private final String truststorePassword;
  private final String truststoreType;
  private final Optional<String> keystoreLocation;
  private final String keystorePassword;
  private final String keystoreType;
  private final String keyPassword;
  private final String sslProtocol;
  private final boolean autoRegister;
  private final Duration requestTimeout;
  private final Duration connectTimeout;
  private final int retries;
  private final Duration retryBackoff;
  private final Duration retryBackoffMax;

  private RegistryConfig(Map<String, ?> c) {
    String rawUrls = string(c, URL, null);
    if (rawUrls == null || rawUrls.isBlank()) {
      throw new ConfigException(URL, rawUrls, "is required, e.g. http://127.0.0.1:8081");
    }
    List<URI> parsed = new ArrayList<>();
    String urlUserInfo = null;
    for (String part : rawUrls.split(",")) {
      String u = part.trim();
      if (u.isEmpty()) {
        continue;
      }
      URI uri;
      try {
        uri = URI.create(u);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(URL, u, "is not a URI: " + e.getMessage());
      }
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new ConfigException(URL, u, "must be an absolute http(s) URL");
      }
      if (uri.getRawUserInfo() != null && urlUserInfo == null) {
        urlUserInfo = java.net.URLDecoder.decode(uri.getRawUserInfo(),
            java.nio.charset.StandardCharsets.UTF_8);
      }
      parsed.add(stripUserInfoAndSlash(uri));
    }
    if (parsed.isEmpty()) {
      throw new ConfigException(URL, rawUrls, "holds no URL");
    }
    this.urls = List.copyOf(parsed);

    String source = string(c, BASIC_AUTH_SOURCE, "URL").trim().toUpperCase(Locale.ROOT);
    switch (source) {
      case "URL":
        this.userInfo = urlUserInfo;
        break;
      case "USER_INFO":
        String info = string(c, BASIC_AUTH_USER_INFO, string(c, BASIC_AUTH_USER_INFO_ALIAS, null));
        if (info == null || !info.contains(":")) {
          throw new ConfigException(BASIC_AUTH_USER_INFO, "[hidden]",
              "must be user:password when " + BASIC_AUTH_SOURCE + "=USER_INFO");
        }
        this.userInfo = info;
        break;
      default:
        throw new ConfigException(BASIC_AUTH_SOURCE, source, "supported: URL, USER_INFO");
    }

    this.truststoreLocation = Optional.ofNullable(blankToNull(string(c, TRUSTSTORE_LOCATION, null)));
    this.truststorePassword = string(c, TRUSTSTORE_PASSWORD, null);
    this.truststoreType = string(c, TRUSTSTORE_TYPE, "JKS");
    this.keystoreLocation = Optional.ofNullable(blankToNull(string(c, KEYSTORE_LOCATION, null)));
    this.keystorePassword = string(c, KEYSTORE_PASSWORD, null);
    this.keystoreType = string(c, KEYSTORE_TYPE, "JKS");
    this.keyPassword = string(c, KEY_PASSWORD, keystorePassword);
    this.sslProtocol = string(c, SSL_PROTOCOL, "TLS");
    this.autoRegister = bool(c, AUTO_REGISTER, true);
    if (bool(c, USE_LATEST_VERSION, false)) {
      throw new ConfigException(USE_LATEST_VERSION, true,
          "is not supported: the serializer writes with the record's own schema");
    }
    this.requestTimeout = Duration.ofMillis(positiveLong(c, REQUEST_TIMEOUT_MS, 10_000));
    this.connectTimeout = Duration.ofMillis(positiveLong(c, CONNECT_TIMEOUT_MS, 5_000));
    long r = longValue(c, RETRIES, 3);
    if (r < 0 || r > 100) {
      throw new ConfigException(RETRIES, r, "must be in 0..100");
    }
    this.retries = (int) r;
    this.retryBackoff = Duration.ofMillis(positiveLong(c, RETRY_BACKOFF_MS, 200));
    this.retryBackoffMax = Duration.ofMillis(positiveLong(c, RETRY_BACKOFF_MAX_MS, 5_000));
  }

  /**
   * Reads the settings from a Kafka-style config map (values may be strings, numbers, booleans or
   * Kafka {@link Password}s).
   *
   * @throws ConfigException if the URL is missing or a value is invalid
   */
  public static RegistryConfig from(Map<String, ?> configs) {
    return new RegistryConfig(configs == null ? Map.of() : configs);
  }

  /**
   * Only {@value #AUTO_REGISTER} (default true), for serdes given a client instead of a URL.
   *
   * @throws ConfigException if the value is not a boolean
   */
  public static boolean autoRegister(Map<String, ?> configs) {
    return configs == null ? true : bool(configs, AUTO_REGISTER, true);
  }

  /** Settings with only {@value #URL} set; everything else at its default. */
  public static RegistryConfig forUrl(String url) {
    return from(Map.of(URL, url));
  }

  /** Base URLs without trailing slash and without user info, in failover order. */
  public List<URI> urls() {
    return urls;
  }

  /** {@code user:password} for HTTP basic auth, if configured. */
  public Optional<String> basicAuthUserInfo() {
    return Optional.ofNullable(userInfo);
  }

  public Optional<String> truststoreLocation() {
    return truststoreLocation;
  }

  public String truststorePassword() {
    return truststorePassword;
  }

  public String truststoreType() {
    return truststoreType;
  }

  public Optional<String> keystoreLocation() {
    return keystoreLocation;
  }

  public String keystorePassword() {
    return keystorePassword;
  }

  public String keystoreType() {
    return keystoreType;
  }

  public String keyPassword() {
    return keyPassword;
  }

  public String sslProtocol() {
    return sslProtocol;
  }

  /** Whether the serializer registers schemas ({@value #AUTO_REGISTER}, default true). */
  public boolean autoRegister() {
    return autoRegister;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** Extra attempts after a transient failure (default 3). */
  public int retries() {
    return retries;
  }

  public Duration retryBackoff() {
    return retryBackoff;
  }

  public Duration retryBackoffMax() {
    return retryBackoffMax;
  }

  /**
   * Upper bound of how long one registry call may block its caller (a stream thread) on a registry
   * that is down or hanging: every attempt's connect and request timeouts plus the backoffs. Under
   * exactly-once a first-time lookup inside a transaction should fit {@code transaction.timeout.ms}
   * (Streams default 10 s) and always {@code max.poll.interval.ms}. Defaults: 4 x 15 s + 1.4 s.
   */
  public Duration maxBlockingTime() {
    long ms = (retries + 1L) * (connectTimeout.toMillis() + requestTimeout.toMillis());
    for (int attempt = 1; attempt <= retries; attempt++) {
      ms += Math.min(retryBackoffMax.toMillis(),
          retryBackoff.toMillis() << Math.min(attempt - 1, 20));
    }
    return Duration.ofMillis(ms);
  }

  @Override
  public String toString() {
    return "RegistryConfig{urls=" + urls
        + ", basicAuth=" + (userInfo != null)
        + ", truststore=" + truststoreLocation.orElse("<jvm default>")
        + ", keystore=" + keystoreLocation.orElse("<none>")
        + ", autoRegister=" + autoRegister
        + ", requestTimeout=" + requestTimeout
        + ", retries=" + retries + "}";
  }

  private static URI stripUserInfoAndSlash(URI uri) {
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String port = uri.getPort() == -1 ? "" : ":" + uri.getPort();
    return URI.create(uri.getScheme() + "://" + uri.getHost() + port + path);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String string(Map<String, ?> c, String key, String dflt) {
    Object v = c.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Password) {
      return ((Password) v).value();
    }
    if (v instanceof List) {
      return String.join(",", ((List<?>) v).stream().map(String::valueOf).toList());
    }
    return v.toString();
  }

  private static boolean bool(Map<String, ?> c, String key, boolean dflt) {
    Object v = c.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    String s = v.toString().trim().toLowerCase(Locale.ROOT);
    if (s.equals("true") || s.equals("false")) {
      return Boolean.parseBoolean(s);
    }
    throw new ConfigException(key, v, "must be true or false");
  }

  private static long longValue(Map<String, ?> c, String key, long dflt) {
    Object v = c.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number) {
      return ((Number) v).longValue();
    }
    try {
      return Long.parseLong(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, v, "must be an integer");
    }
  }

  private static long positiveLong(Map<String, ?> c, String key, long dflt) {
    long v = longValue(c, key, dflt);
    if (v <= 0) {
      throw new ConfigException(key, v, "must be > 0");
    }
    return v;
  }
}
