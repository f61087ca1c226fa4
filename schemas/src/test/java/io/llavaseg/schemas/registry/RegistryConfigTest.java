package io.llavaseg.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

class RegistryConfigTest {

  @Test
  void shouldApplyDocumentedDefaults() {
    RegistryConfig c = RegistryConfig.forUrl("http://127.0.0.1:8081/apis/ccompat/v7/");
    assertEquals(List.of(URI.create("http://127.0.0.1:8081/apis/ccompat/v7")), c.urls());
    assertTrue(c.autoRegister());
    assertEquals(Optional.empty(), c.basicAuthUserInfo());
    assertEquals(Duration.ofSeconds(10), c.requestTimeout());
    assertEquals(Duration.ofSeconds(5), c.connectTimeout());
    assertEquals(3, c.retries());
    assertEquals(Duration.ofMillis(200), c.retryBackoff());
    assertEquals(Duration.ofSeconds(5), c.retryBackoffMax());
    assertEquals("JKS", c.truststoreType());
    assertEquals(Optional.empty(), c.truststoreLocation());
  }

  @Test
  void shouldReadConfluentKeyNamesWithTypedOrStringValues() {
    RegistryConfig c = RegistryConfig.from(Map.of(
        "schema.registry.url", "https://a.example:8081, https://b.example:8081",
        "basic.auth.credentials.source", "USER_INFO",
        "schema.registry.basic.auth.user.info", new Password("svc:pw"),
        "auto.register.schemas", false,
        "schema.registry.request.timeout.ms", "2500",
        "schema.registry.retries", 0,
        "schema.registry.ssl.truststore.location", "/etc/ssl/registry.p12",
        "schema.registry.ssl.truststore.password", new Password("tpw"),
        "schema.registry.ssl.truststore.type", "PKCS12"));
    assertEquals(2, c.urls().size());
    assertEquals(Optional.of("svc:pw"), c.basicAuthUserInfo());
    assertFalse(c.autoRegister());
    assertEquals(Duration.ofMillis(2500), c.requestTimeout());
    assertEquals(0, c.retries());
    assertEquals(Optional.of("/etc/ssl/registry.p12"), c.truststoreLocation());
    assertEquals("tpw", c.truststorePassword());
    assertFalse(c.toString().contains("pw"), "no secrets in toString: " + c);
  }

  @Test
  void shouldTakeCredentialsFromTheUrlOnlyWithTheUrlSource() {
    RegistryConfig fromUrl = RegistryConfig.forUrl("http://u:p@127.0.0.1:8081");
    assertEquals(Optional.of("u:p"), fromUrl.basicAuthUserInfo());
    assertEquals("http://127.0.0.1:8081", fromUrl.urls().get(0).toString());
    RegistryConfig ignored = RegistryConfig.from(Map.of(
        "schema.registry.url", "http://127.0.0.1:8081", "basic.auth.user.info", "u:p"));
    assertEquals(Optional.empty(), ignored.basicAuthUserInfo(), "Confluent's default source is URL");
  }

  @Test
  void shouldBoundTheTimeACallMayBlockByTimeoutsRetriesAndBackoff() {
    assertEquals(Duration.ofMillis(4 * 15_000 + 200 + 400 + 800),
        RegistryConfig.forUrl("http://h").maxBlockingTime());
    RegistryConfig tight = RegistryConfig.from(Map.of("schema.registry.url", "http://h",
        "schema.registry.request.timeout.ms", 2000, "schema.registry.connect.timeout.ms", 1000,
        "schema.registry.retries", 1, "schema.registry.retry.backoff.ms", 500));
    assertEquals(Duration.ofMillis(2 * 3000 + 500), tight.maxBlockingTime());
  }

  @Test
  void shouldRejectMissingOrInvalidSettings() {
    assertThrows(ConfigException.class, () -> RegistryConfig.from(Map.of()));
    assertThrows(ConfigException.class, () -> RegistryConfig.forUrl("127.0.0.1:8081"));
    assertThrows(ConfigException.class, () -> RegistryConfig.from(Map.of(
        "schema.registry.url", "http://h", "basic.auth.credentials.source", "USER_INFO")));
    assertThrows(ConfigException.class, () -> RegistryConfig.from(Map.of(
        "schema.registry.url", "http://h", "basic.auth.credentials.source", "SASL_INHERIT")));
    assertThrows(ConfigException.class, () -> RegistryConfig.from(Map.of(
        "schema.registry.url", "http://h", "schema.registry.request.timeout.ms", "0")));
    assertThrows(ConfigException.class, () -> RegistryConfig.from(Map.of(
        "schema.registry.url", "http://h", "auto.register.schemas", "yes")));
    assertThrows(ConfigException.class, () -> RegistryConfig.from(Map.of(
        "schema.registry.url", "http://h", "use.latest.version", "true")));
  }

  @Test
  void shouldNameTheKeyAndValueOfAnOutOfRangeSetting() {
    ConfigException e = assertThrows(ConfigException.class, () -> RegistryConfig.from(Map.of(
        "schema.registry.url", "http://h", "schema.registry.retries", "101")));
    assertTrue(e.getMessage().contains("schema.registry.retries") && e.getMessage().contains("101"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> RegistryConfig.forUrl("ftp://h"));
    assertTrue(e.getMessage().contains("schema.registry.url") && e.getMessage().contains("ftp://h"), e.getMessage());
  }

  @Test
  void shouldWarnAboutAnUnknownRegistryKeyButAcceptTheRest() {
    RegistryConfig c = RegistryConfig.from(Map.of("schema.registry.url", "http://h",
        "schema.registry.retrys", "5", "bootstrap.servers", "b:9092", "basic.auth.credentials.source", "user_info",
        "basic.auth.user.info", "u:p"));
    assertEquals(java.util.Set.of("schema.registry.retrys"), c.unknownKeys());
    assertEquals(3, c.retries(), "the typo does not set retries");
    assertEquals(RegistryConfig.CredentialsSource.USER_INFO, c.credentialsSource());
    assertTrue(RegistryConfig.forUrl("http://h").unknownKeys().isEmpty());
  }

  @Test
  void shouldDefaultTheKeyPasswordToTheKeystorePassword() {
    assertEquals("ks", RegistryConfig.from(Map.of("schema.registry.url", "http://h",
        "schema.registry.ssl.keystore.password", "ks")).keyPassword());
    assertEquals("k", RegistryConfig.from(Map.of("schema.registry.url", "http://h",
        "schema.registry.ssl.keystore.password", "ks", "schema.registry.ssl.key.password", "k")).keyPassword());
  }

  @Test
  void shouldReadAutoRegisterAloneForSerdesGivenAClient() {
    assertTrue(RegistryConfig.autoRegister(Map.of()));
    assertFalse(RegistryConfig.autoRegister(Map.of("auto.register.schemas", "false")));
    assertThrows(ConfigException.class, () -> RegistryConfig.autoRegister(Map.of("auto.register.schemas", "maybe")));
  }
}
