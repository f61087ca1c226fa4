package io.llavaseg.schemas.registry;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schema registry client and serde settings, read from a Kafka-style config map with Confluent's
 * key names so existing client configurations work unchanged. Every key is defined once in {@link
 * #CONFIG_DEF} (type, default, validator, importance, documentation; {@code docs/configuration.md}
 * is generated from it); values may be strings, numbers, booleans or Kafka {@link Password}s. A bad
 * value throws a {@link ConfigException} naming the key; an unknown {@code schema.registry.*} key
 * is logged as a warning (a typo), once per key and process.
 *
 * <p>Hostname verification cannot be switched off per client with {@code java.net.http}; Confluent's
 * {@code schema.registry.ssl.endpoint.identification.algorithm} is therefore not read.
 */
public final class RegistryConfig extends AbstractConfig {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryConfig.class);

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
  public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
  public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
  public static final String USE_LATEST_VERSION = "use.latest.version";
  public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
  public static final String CONNECT_TIMEOUT_MS = "schema.registry.connect.timeout.ms";
  public static final String RETRIES = "schema.registry.retries";
  public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";
  public static final String RETRY_BACKOFF_MAX_MS = "schema.registry.retry.backoff.max.ms";

  /** The prefix under which an unknown key is reported as a probable typo. */
  public static final String PREFIX = "schema.registry.";

  /** Where basic-auth credentials come from. */
  public enum CredentialsSource {
    URL,
    USER_INFO
  }

  private static final ConfigDef.Validator URLS = new ConfigDef.Validator() {
    @Override
    public void ensureValid(String name, Object value) {
      List<?> list = value instanceof List<?> l ? l : List.of();
      if (list.stream().map(String::valueOf).allMatch(String::isBlank)) {
        throw new ConfigException(name, value, "holds no URL; e.g. http://127.0.0.1:8081");
      }
      list.stream().map(String::valueOf).filter(u -> !u.isBlank()).forEach(RegistryConfig::parseUrl);
    }

    @Override
    public String toString() {
      return "absolute http(s) URLs";
    }
  };

  private static final ConfigDef.Validator SOURCE = new ConfigDef.Validator() {
    @Override
    public void ensureValid(String name, Object value) {
      String s = value == null ? "" : value.toString().strip().toUpperCase(Locale.ROOT);
      if (!s.equals("URL") && !s.equals("USER_INFO")) {
        throw new ConfigException(name, value, "supported: URL, USER_INFO");
      }
    }

    @Override
    public String toString() {
      return "URL, USER_INFO (case insensitive)";
    }
  };

  private static final ConfigDef.Validator STRATEGY = new ConfigDef.Validator() {
    @Override
    public void ensureValid(String name, Object value) {
      try {
        SubjectNames.Strategy.parse(String.valueOf(value));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(name, value, e.getMessage());
      }
    }

    @Override
    public String toString() {
      return "TopicNameStrategy, RecordNameStrategy, TopicRecordNameStrategy (or Confluent's class names)";
    }
  };

  private static final ConfigDef.Validator ONLY_FALSE = new ConfigDef.Validator() {
    @Override
    public void ensureValid(String name, Object value) {
      if (Boolean.TRUE.equals(value)) {
        throw new ConfigException(name, value, "is not supported: the serializer writes with the record's own schema");
      }
    }

    @Override
    public String toString() {
      return "false";
    }
  };

  /** Every key the client and the serdes read. */
  public static final ConfigDef CONFIG_DEF = new ConfigDef()
      .define(URL, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, URLS, Importance.HIGH,
          "Comma-separated registry base URLs (Confluent REST API), e.g. http://127.0.0.1:8081/apis/ccompat/v7;"
              + " tried in order on transient errors. user:password in a URL is used for basic auth when "
              + BASIC_AUTH_SOURCE + "=URL.")
      .define(BASIC_AUTH_SOURCE, Type.STRING, "URL", SOURCE, Importance.MEDIUM,
          "Where basic-auth credentials come from: URL (the user info of the URL, if any) or USER_INFO ("
              + BASIC_AUTH_USER_INFO + "). SASL_INHERIT is not supported.")
      .define(BASIC_AUTH_USER_INFO, Type.PASSWORD, null, null, Importance.MEDIUM,
          "user:password for HTTP basic auth when " + BASIC_AUTH_SOURCE + "=USER_INFO.")
      .define(BASIC_AUTH_USER_INFO_ALIAS, Type.PASSWORD, null, null, Importance.LOW,
          "Alias of " + BASIC_AUTH_USER_INFO + " (read when that is unset).")
      .define(TRUSTSTORE_LOCATION, Type.STRING, null, null, Importance.MEDIUM,
          "Trust store for https URLs; unset = the JVM's default trust store.")
      .define(TRUSTSTORE_PASSWORD, Type.PASSWORD, null, null, Importance.MEDIUM, "Password of the trust store.")
      .define(TRUSTSTORE_TYPE, Type.STRING, "JKS", new ConfigDef.NonEmptyString(), Importance.LOW,
          "Type of the trust store (JKS, PKCS12).")
      .define(KEYSTORE_LOCATION, Type.STRING, null, null, Importance.MEDIUM,
          "Key store with the client certificate for mutual TLS; unset = no client certificate.")
      .define(KEYSTORE_PASSWORD, Type.PASSWORD, null, null, Importance.MEDIUM, "Password of the key store.")
      .define(KEYSTORE_TYPE, Type.STRING, "JKS", new ConfigDef.NonEmptyString(), Importance.LOW,
          "Type of the key store (JKS, PKCS12).")
      .define(KEY_PASSWORD, Type.PASSWORD, null, null, Importance.LOW,
          "Password of the private key; unset = the key store's password.")
      .define(SSL_PROTOCOL, Type.STRING, "TLS", new ConfigDef.NonEmptyString(), Importance.LOW,
          "SSLContext protocol.")
      .define(AUTO_REGISTER, Type.BOOLEAN, true, null, Importance.MEDIUM,
          "Whether the serializer registers the record's schema; false: it only looks it up and fails if absent.")
      .define(KEY_SUBJECT_NAME_STRATEGY, Type.STRING, SubjectNames.Strategy.TOPIC.className(), STRATEGY,
          Importance.LOW, "Subject of key schemas: TopicNameStrategy (<topic>-key), RecordNameStrategy (the record's"
              + " full name) or TopicRecordNameStrategy (<topic>-<full name>). The service's keys are strings, not Avro.")
      .define(VALUE_SUBJECT_NAME_STRATEGY, Type.STRING, SubjectNames.Strategy.TOPIC.className(), STRATEGY,
          Importance.MEDIUM, "Subject of value schemas: TopicNameStrategy (<topic>-value, one lineage per topic),"
              + " RecordNameStrategy (the record's full name, e.g. io.llavaseg.schemas.ImageQuery, shared by every"
              + " topic carrying it) or TopicRecordNameStrategy (<topic>-<full name>). Confluent's class names work.")
      .define(USE_LATEST_VERSION, Type.BOOLEAN, false, ONLY_FALSE, Importance.LOW,
          "Only false is supported: the serializer writes with the record's own schema.")
      .define(REQUEST_TIMEOUT_MS, Type.LONG, 10_000L, Range.atLeast(1), Importance.LOW,
          "Timeout of one HTTP request, in milliseconds.")
      .define(CONNECT_TIMEOUT_MS, Type.LONG, 5_000L, Range.atLeast(1), Importance.LOW,
          "TCP/TLS connect timeout, in milliseconds.")
      .define(RETRIES, Type.INT, 3, Range.between(0, 100), Importance.LOW,
          "Extra attempts after a 5xx, a timeout or an IO error.")
      .define(RETRY_BACKOFF_MS, Type.LONG, 200L, Range.atLeast(1), Importance.LOW,
          "First backoff between attempts, in milliseconds; doubled after each attempt.")
      .define(RETRY_BACKOFF_MAX_MS, Type.LONG, 5_000L, Range.atLeast(1), Importance.LOW,
          "Largest backoff between attempts, in milliseconds.");

  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  private final List<URI> urls;
  private final String userInfo;
  private final Set<String> unknownKeys;

  private RegistryConfig(Map<?, ?> c) {
    super(CONFIG_DEF, c, false);
    Set<String> unknown = new TreeSet<>();
    for (Object k : c.keySet()) {
      String key = String.valueOf(k);
      if (key.startsWith(PREFIX) && !CONFIG_DEF.names().contains(key)) {
        unknown.add(key);
        if (WARNED.add(key)) {
          LOG.warn("unknown registry setting {} is ignored (a typo? the keys are in docs/configuration.md)", key);
        }
      }
    }
    this.unknownKeys = Collections.unmodifiableSet(unknown);
    List<URI> parsed = new ArrayList<>();
    String urlUserInfo = null;
    for (String u : getList(URL)) {
      URI uri = parseUrl(u);
      if (uri.getRawUserInfo() != null && urlUserInfo == null) {
        urlUserInfo = java.net.URLDecoder.decode(uri.getRawUserInfo(), java.nio.charset.StandardCharsets.UTF_8);
      }
      parsed.add(stripUserInfoAndSlash(uri));
    }
    this.urls = List.copyOf(parsed);
    if (credentialsSource() == CredentialsSource.URL) {
      this.userInfo = urlUserInfo;
    } else {
      String info = password(BASIC_AUTH_USER_INFO);
      if (info == null) {
        info = password(BASIC_AUTH_USER_INFO_ALIAS);
      }
      if (info == null || !info.contains(":")) {
        throw new ConfigException(BASIC_AUTH_USER_INFO, "[hidden]",
            "must be user:password when " + BASIC_AUTH_SOURCE + "=USER_INFO");
      }
      this.userInfo = info;
    }
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
  /**
   * The subject name strategy of keys ({@code isKey}) or values, from {@value #KEY_SUBJECT_NAME_STRATEGY}
   * / {@value #VALUE_SUBJECT_NAME_STRATEGY} (default TopicNameStrategy).
   *
   * @throws ConfigException for an unknown strategy
   */
  public static SubjectNames.Strategy subjectNameStrategy(Map<String, ?> configs, boolean isKey) {
    String key = isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY;
    Object value = configs == null ? null : configs.get(key);
    if (value == null) {
      return SubjectNames.Strategy.TOPIC;
    }
    STRATEGY.ensureValid(key, value);
    return SubjectNames.Strategy.parse(String.valueOf(value));
  }

  public static boolean autoRegister(Map<String, ?> configs) {
    Object value = configs == null ? null : configs.get(AUTO_REGISTER);
    return value == null || (Boolean) ConfigDef.parseType(AUTO_REGISTER, value, Type.BOOLEAN);
  }

  /** Settings with only {@value #URL} set; everything else at its default. */
  public static RegistryConfig forUrl(String url) {
    return from(Map.of(URL, url));
  }

  /** The {@value #PREFIX}* keys given that no definition knows (each logged once as a warning). */
  public Set<String> unknownKeys() {
    return unknownKeys;
  }

  /** {@value #BASIC_AUTH_SOURCE}. */
  public CredentialsSource credentialsSource() {
    return CredentialsSource.valueOf(getString(BASIC_AUTH_SOURCE).strip().toUpperCase(Locale.ROOT));
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
    return Optional.ofNullable(blankToNull(getString(TRUSTSTORE_LOCATION)));
  }

  public String truststorePassword() {
    return password(TRUSTSTORE_PASSWORD);
  }

  public String truststoreType() {
    return getString(TRUSTSTORE_TYPE);
  }

  public Optional<String> keystoreLocation() {
    return Optional.ofNullable(blankToNull(getString(KEYSTORE_LOCATION)));
  }

  public String keystorePassword() {
    return password(KEYSTORE_PASSWORD);
  }

  public String keystoreType() {
    return getString(KEYSTORE_TYPE);
  }

  /** {@value #KEY_PASSWORD}, else the key store's password. */
  public String keyPassword() {
    String key = password(KEY_PASSWORD);
    return key != null ? key : keystorePassword();
  }

  public String sslProtocol() {
    return getString(SSL_PROTOCOL);
  }

  /** Whether the serializer registers schemas ({@value #AUTO_REGISTER}, default true). */
  public boolean autoRegister() {
    return getBoolean(AUTO_REGISTER);
  }

  public Duration requestTimeout() {
    return Duration.ofMillis(getLong(REQUEST_TIMEOUT_MS));
  }

  public Duration connectTimeout() {
    return Duration.ofMillis(getLong(CONNECT_TIMEOUT_MS));
  }

  /** Extra attempts after a transient failure (default 3). */
  public int retries() {
    return getInt(RETRIES);
  }

  public Duration retryBackoff() {
    return Duration.ofMillis(getLong(RETRY_BACKOFF_MS));
  }

  public Duration retryBackoffMax() {
    return Duration.ofMillis(getLong(RETRY_BACKOFF_MAX_MS));
  }

  /**
   * Upper bound of how long one registry call may block its caller (a stream thread) on a registry
   * that is down or hanging: every attempt's connect and request timeouts plus the backoffs. Under
   * exactly-once a first-time lookup inside a transaction should fit {@code transaction.timeout.ms}
   * (Streams default 10 s) and always {@code max.poll.interval.ms}. Defaults: 4 x 15 s + 1.4 s.
   */
  public Duration maxBlockingTime() {
    long ms = (retries() + 1L) * (connectTimeout().toMillis() + requestTimeout().toMillis());
    for (int attempt = 1; attempt <= retries(); attempt++) {
      ms += Math.min(retryBackoffMax().toMillis(),
          retryBackoff().toMillis() << Math.min(attempt - 1, 20));
    }
    return Duration.ofMillis(ms);
  }

  @Override
  public String toString() {
    return "RegistryConfig{urls=" + urls
        + ", basicAuth=" + (userInfo != null)
        + ", truststore=" + truststoreLocation().orElse("<jvm default>")
        + ", keystore=" + keystoreLocation().orElse("<none>")
        + ", autoRegister=" + autoRegister()
        + ", requestTimeout=" + requestTimeout()
        + ", retries=" + retries() + "}";
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

  private String password(String key) {
    Password p = getPassword(key);
    return p == null ? null : p.value();
  }

  /** An absolute http(s) URL with a host, else a ConfigException naming {@value #URL}. */
  private static URI parseUrl(String u) {
    URI uri;
    try {
      uri = URI.create(u.strip());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(URL, u, "is not a URI: " + e.getMessage());
    }
    if (uri.getScheme() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
        || uri.getHost() == null) {
      throw new ConfigException(URL, u, "must be an absolute http(s) URL");
    }
    return uri;
  }
}
