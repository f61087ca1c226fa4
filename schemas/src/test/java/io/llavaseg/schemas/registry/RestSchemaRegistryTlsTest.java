package io.llavaseg.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsParameters;
import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.schemas.registry.FakeRegistryServer.Response;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS settings against an HTTPS test server that requires a client certificate. Key material is
 * generated with the JDK's keytool: one self-signed key pair for 127.0.0.1 serves as both the
 * server's and the client's identity, and a trust store holds its certificate.
 */
class RestSchemaRegistryTlsTest {
  private static final String PASSWORD = "changeit";
  @TempDir static Path dir;
  private static Path keystore;
  private static Path truststore;
  private static FakeRegistryServer server;

  @BeforeAll
  static void startHttpsServer() throws Exception {
    keystore = dir.resolve("registry.p12");
    truststore = dir.resolve("trust.p12");
    Path cert = dir.resolve("registry.crt");
    keytool("-genkeypair", "-alias", "registry", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
        "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
    keytool("-exportcert", "-alias", "registry", "-keystore", keystore.toString(),
        "-storepass", PASSWORD, "-file", cert.toString());
    keytool("-importcert", "-noprompt", "-alias", "registry", "-file", cert.toString(),
        "-keystore", truststore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);

    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(load(keystore), PASSWORD.toCharArray());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(load(truststore));
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    String schemaJson = new ObjectMapper().createObjectNode()
        .put("schema", ImageQuery.getClassSchema().toString()).toString();
    server = FakeRegistryServer.https(ssl, r -> Response.ok(schemaJson));
    server.configureHttps(params -> {
      HttpsParameters p = params;
      p.setNeedClientAuth(true);
    });
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void shouldFetchOverMutualTlsWithTheConfiguredStores() {
    RestSchemaRegistry client = RestSchemaRegistry.fromConfigs(Map.of(
        RegistryConfig.URL, server.url(),
        RegistryConfig.TRUSTSTORE_LOCATION, truststore.toString(),
        RegistryConfig.TRUSTSTORE_PASSWORD, PASSWORD,
        RegistryConfig.TRUSTSTORE_TYPE, "PKCS12",
        RegistryConfig.KEYSTORE_LOCATION, keystore.toString(),
        RegistryConfig.KEYSTORE_PASSWORD, PASSWORD,
        RegistryConfig.KEYSTORE_TYPE, "PKCS12"));
    assertEquals(ImageQuery.getClassSchema(), client.schemaById(1));
  }

  @Test
  void shouldRefuseAServerOutsideTheTrustStoreAsAPermanentError() {
    int before = server.requests.size();
    RestSchemaRegistry client = RestSchemaRegistry.fromConfigs(Map.of(
        RegistryConfig.URL, server.url(), RegistryConfig.RETRY_BACKOFF_MS, 1));
    RegistryException e = assertThrows(RegistryException.class, () -> client.schemaById(1));
    assertFalse(e.isTransient(), e.getMessage());
    assertTrue(e.getMessage().contains("TLS handshake failed"), e.getMessage());
    assertEquals(before, server.requests.size());
  }

  @Test
  void shouldRejectAMissingTrustStoreFileAtConstruction() {
    assertThrows(ConfigException.class, () -> RestSchemaRegistry.fromConfigs(Map.of(
        RegistryConfig.URL, server.url(),
        RegistryConfig.TRUSTSTORE_LOCATION, dir.resolve("absent.jks").toString())));
  }

  private static KeyStore load(Path p) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    return ks;
  }

  private static void keytool(String... args) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> cmd = new java.util.ArrayList<>(List.of(keytool.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool finished");
    assertEquals(0, p.exitValue(), "keytool " + args[0] + ": " + out);
  }
}
