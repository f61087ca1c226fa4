package io.llavaseg.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets come from files or the environment and are masked wherever the configuration is shown. */
class SecretsTest {
  @TempDir Path dir;

  @Test
  void resolvesFileAndEnvironmentReferencesAndFailsWithoutShowingValues() throws Exception {
    Path secret = Files.writeString(dir.resolve("registry-user"), "svc:s3cr3t-Pa55\n");
    Properties p = new Properties();
    p.setProperty("basic.auth.user.info", "${file:" + secret + "}");
    p.setProperty("sasl.jaas.config", "ScramLoginModule required username=\"svc\" password=\"${env:KAFKA_PW}\";");
    p.setProperty("bootstrap.servers", "127.0.0.1:9092");
    Secrets.resolve(p, name -> name.equals("KAFKA_PW") ? "k4fka" : null);
    assertEquals("svc:s3cr3t-Pa55", p.getProperty("basic.auth.user.info"));
    assertEquals("ScramLoginModule required username=\"svc\" password=\"k4fka\";", p.getProperty("sasl.jaas.config"));
    assertEquals("127.0.0.1:9092", p.getProperty("bootstrap.servers"));

    Properties missing = new Properties();
    missing.setProperty("ssl.keystore.password", "${env:NOPE}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Secrets.resolve(missing, n -> null));
    assertTrue(e.getMessage().contains("ssl.keystore.password") && e.getMessage().contains("NOPE"), e.getMessage());
  }

  @Test
  void masksSecretKeysOnly() {
    Map<String, String> shown = Secrets.masked(Map.of("basic.auth.user.info", "u:p", "ssl.truststore.password", "x",
        "sasl.jaas.config", "y", "bootstrap.servers", "b:1"));
    assertEquals(Secrets.MASK, shown.get("basic.auth.user.info"));
    assertEquals(Secrets.MASK, shown.get("ssl.truststore.password"));
    assertEquals(Secrets.MASK, shown.get("sasl.jaas.config"));
    assertEquals("b:1", shown.get("bootstrap.servers"));
    assertFalse(Secrets.isSecret("llavaseg.inference.devices"));
  }

  @Test
  void shouldMaskTheUserInfoOfUrlsInAnyValue() {
    assertEquals("https://" + Secrets.MASK + "@registry:8081/apis/ccompat/v7",
        Secrets.shown("schema.registry.url", "https://svc:s3cret@registry:8081/apis/ccompat/v7"));
    assertEquals("http://a:1," + "http://" + Secrets.MASK + "@b:2",
        Secrets.shown("schema.registry.url", "http://a:1,http://u:p@b:2"));
    assertEquals("http://registry:8081", Secrets.shown("schema.registry.url", "http://registry:8081"));
    assertEquals("user@example.com", Secrets.shown("llavaseg.owner", "user@example.com"), "not a URL");
  }
}
