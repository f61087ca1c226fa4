package io.llavaseg.embedded;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What a secured {@link KafkaBrokerProcess} needs: a PKCS12 key store whose certificate names
 * 127.0.0.1 (clients verify the host name), the trust store clients use, and the administrator's
 * SCRAM-SHA-512 credential. The broker then has one SASL_SSL listener for clients and for its own
 * inter-broker traffic, a loopback-only PLAINTEXT controller listener (SCRAM cannot secure a KRaft
 * controller listener: its credentials live in the metadata log the controller serves), and the
 * StandardAuthorizer with {@code allow.everyone.if.no.acl.found=false}.
 *
 * @param keystore PKCS12 key store of the broker (key password = store password)
 * @param truststore PKCS12 trust store holding the broker's certificate (or its CA)
 * @param storePassword password of both stores
 * @param adminUser super user, e.g. {@code admin}
 * @param adminPassword its SCRAM password
 */
public record BrokerSecurity(Path keystore, Path truststore, String storePassword, String adminUser,
    String adminPassword) {

  public static final String MECHANISM = "SCRAM-SHA-512";

  /** The StorageTool {@code --add-scram} argument that creates the administrator at format time. */
  String adminScramCredential() {
    return MECHANISM + "=[name=" + adminUser + ",password=" + adminPassword + "]";
  }

  /** Client properties for {@code user} over SASL_SSL with SCRAM-SHA-512, trusting the broker. */
  public Map<String, Object> clientProperties(String user, String password) {
    Map<String, Object> p = new HashMap<>();
    p.put("security.protocol", "SASL_SSL");
    p.put("sasl.mechanism", MECHANISM);
    p.put("sasl.jaas.config", jaas(user, password));
    p.put("ssl.truststore.location", truststore.toString());
    p.put("ssl.truststore.password", storePassword);
    p.put("ssl.truststore.type", "PKCS12");
    return p;
  }

  static String jaas(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
        + "\" password=\"" + password + "\";";
  }

  /** The server properties a SASL_SSL listener adds (SCRAM, key and trust stores, the authorizer). */
  String serverProperties() {
    String listenerPrefix = "listener.name.sasl_ssl.";
    return String.join("\n",
        "sasl.enabled.mechanisms=" + MECHANISM,
        "sasl.mechanism.inter.broker.protocol=" + MECHANISM,
        listenerPrefix + "scram-sha-512.sasl.jaas.config=" + jaas(adminUser, adminPassword),
        "ssl.keystore.location=" + keystore,
        "ssl.keystore.password=" + storePassword,
        "ssl.keystore.type=PKCS12",
        "ssl.key.password=" + storePassword,
        "ssl.truststore.location=" + truststore,
        "ssl.truststore.password=" + storePassword,
        "ssl.truststore.type=PKCS12",
        "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        // the controller listener is PLAINTEXT on loopback: its (anonymous) broker-to-controller
        // requests must pass the authorizer too
        "super.users=User:" + adminUser + ";User:ANONYMOUS",
        "allow.everyone.if.no.acl.found=false",
        "");
  }
}
