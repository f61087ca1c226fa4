package io.llavaseg.ops.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.embedded.BrokerSecurity;
import io.llavaseg.embedded.KafkaBrokerProcess;
import io.llavaseg.embedded.RegistryLauncher;
import io.llavaseg.ops.ServiceProcess;
import io.llavaseg.schemas.ImageAnswer;
import io.llavaseg.schemas.ImageMask;
import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.schemas.InlineImage;
import io.llavaseg.schemas.registry.RestSchemaRegistry;
import io.llavaseg.schemas.registry.SchemaRegistry;
import io.llavaseg.topology.TopicSetup;
import io.llavaseg.topology.Topics;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service on a secured cluster, everything real: a KRaft broker that only speaks SASL_SSL
 * (SCRAM-SHA-512 over TLS, certificates made by keytool) with the StandardAuthorizer and ACLs that
 * give the service's principal its own topics, group and transactional ids and nothing else, and
 * the Apicurio registry over HTTPS with basic auth. The service instance (a child JVM, simulated
 * GPU-bound models: this test is about the connections) takes every password from files. Checked:
 * queries are answered and masked; the service's principal is refused a topic that is not its
 * own, for writing and for reading; a wrong password is refused; the registry refuses a client
 * without credentials; no password reaches the service's log.
 */
class SecuredClusterIT {
  private static final String APP = "llavaseg-secure";
  private static final String SERVICE_USER = "llavaseg";
  private static final String SERVICE_PASSWORD = "svc-Kp4-not-in-logs";
  private static final String REGISTRY_PASSWORD = "reg-Wm7-not-in-logs";
  private static final String STORE_PASSWORD = "store-Jx2-not-in-logs";
  private static final String FORBIDDEN = "payroll-events";
  private static final Duration DEADLINE = Duration.ofMinutes(3);

  @TempDir Path dir;
  private KafkaBrokerProcess broker;
  private RegistryLauncher registry;
  private ServiceProcess service;

  @AfterEach
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void theServiceWorksOnASaslSslClusterWithAclsAndAnHttpsRegistryAndIsRefusedEverythingElse() throws Exception {
    TestCertificates.Stores tls = TestCertificates.selfSigned(dir, "loopback", STORE_PASSWORD);
    BrokerSecurity security = new BrokerSecurity(tls.keystore(), tls.truststore(), STORE_PASSWORD, "admin",
        "admin-Qv9-not-in-logs");
    broker = KafkaBrokerProcess.startSecured(dir.resolve("kafka"), security, Duration.ofMinutes(2));
    registry = RegistryLauncher.builder().logFile(dir.resolve("registry.log"))
        .secured(new RegistryLauncher.Secured(tls.keystore(), STORE_PASSWORD, SERVICE_USER, REGISTRY_PASSWORD))
        .start();
    assertTrue(registry.url().startsWith("https://"), registry.url());

    Map<String, Object> admin = broker.adminConfig();
    grantTheServiceItsOwnResources(admin);

    // the registry: TLS only, and nothing without credentials
    HttpClient anonymous = HttpClient.newBuilder().sslContext(trusting(tls)).build();
    HttpResponse<String> refused = anonymous.send(
        HttpRequest.newBuilder(URI.create(registry.url() + "/subjects")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, refused.statusCode(), "the registry answers anonymous clients with 401");

    // the service: every secret from a file, as a mounted Kubernetes secret
    Path kafkaPassword = secretFile("kafka-password", SERVICE_PASSWORD);
    Path registryUserInfo = secretFile("registry-user-info", SERVICE_USER + ":" + REGISTRY_PASSWORD);
    Path storePassword = secretFile("store-password", STORE_PASSWORD);
    Map<String, String> p = new HashMap<>();
    p.put("bootstrap.servers", broker.bootstrapServers());
    p.put("application.id", APP);
    p.put("num.stream.threads", "2");
    p.put("llavaseg.topics.create", "true"); // they exist: the service's admin client only lists them
    p.put("llavaseg.inference.timeout", "5s");
    p.put("security.protocol", "SASL_SSL");
    p.put("sasl.mechanism", "SCRAM-SHA-512");
    p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + SERVICE_USER + "\" password=\"${file:" + kafkaPassword + "}\";");
    p.put("ssl.truststore.location", tls.truststore().toString());
    p.put("ssl.truststore.type", "PKCS12");
    p.put("ssl.truststore.password", "${file:" + storePassword + "}");
    p.put("schema.registry.url", registry.url());
    p.put("basic.auth.credentials.source", "USER_INFO");
    p.put("basic.auth.user.info", "${file:" + registryUserInfo + "}");
    p.put("schema.registry.ssl.truststore.location", tls.truststore().toString());
    p.put("schema.registry.ssl.truststore.type", "PKCS12");
    p.put("schema.registry.ssl.truststore.password", "${file:" + storePassword + "}");
    service = new ServiceProcess(dir.resolve("service"), p, "PT0.02S").start();
    service.awaitReady(Duration.ofMinutes(2));

    // the operator's clients (the administrator) send queries and read the outputs
    Map<String, Object> serde = new HashMap<>();
    serde.put("schema.registry.url", registry.url());
    serde.put("basic.auth.credentials.source", "USER_INFO");
    serde.put("basic.auth.user.info", SERVICE_USER + ":" + REGISTRY_PASSWORD);
    serde.put("schema.registry.ssl.truststore.location", tls.truststore().toString());
    serde.put("schema.registry.ssl.truststore.type", "PKCS12");
    serde.put("schema.registry.ssl.truststore.password", STORE_PASSWORD);
    int n = 20;
    Set<String> answered = new HashSet<>();
    Set<String> masked = new HashSet<>();
    try (SchemaRegistry client = RestSchemaRegistry.fromConfigs(serde)) {
      Topics topics = Topics.withRegistry(client, serde);
      Map<String, Object> producerProps = new HashMap<>(admin);
      producerProps.put("acks", "all");
      try (KafkaProducer<String, ImageQuery> producer = new KafkaProducer<>(producerProps,
          topics.queries().keySerde().serializer(), topics.queries().valueSerde().serializer())) {
        byte[] png = png();
        for (int i = 0; i < n; i++) {
          ImageQuery q = ImageQuery.newBuilder().setQueryId("s-" + i).setSourceId("cam-" + (i % 3))
              .setCaptureTime(Instant.now()).setImage(new InlineImage("image/png", ByteBuffer.wrap(png)))
              .setQuestion("which shape is red?").setOptions(new HashMap<>()).build();
          producer.send(new ProducerRecord<>(topics.queries().name(), q.getSourceId(), q)).get(30, TimeUnit.SECONDS);
        }
      }
      Map<String, Object> consumerProps = new HashMap<>(admin);
      consumerProps.put("isolation.level", "read_committed");
      try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(),
          new ByteArrayDeserializer())) {
        List<TopicPartition> parts = new ArrayList<>();
        for (String topic : List.of(Topics.IMAGE_ANSWERS, Topics.IMAGE_MASKS)) {
          consumer.partitionsFor(topic).forEach(pi -> parts.add(new TopicPartition(topic, pi.partition())));
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        long end = System.nanoTime() + DEADLINE.toNanos();
        while ((answered.size() < n || masked.size() < n) && System.nanoTime() < end) {
          for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            if (r.topic().equals(Topics.IMAGE_ANSWERS)) {
              ImageAnswer a = topics.answers().valueSerde().deserializer().deserialize(r.topic(), r.value());
              answered.add(a.getQueryId().toString());
            } else {
              ImageMask m = topics.masks().valueSerde().deserializer().deserialize(r.topic(), r.value());
              masked.add(m.getQueryId().toString());
            }
          }
        }
      }
    }
    assertEquals(n, answered.size(), "answers over SASL_SSL; service log:\n" + service.tail());
    assertEquals(n, masked.size(), "masks over SASL_SSL; service log:\n" + service.tail());

    // the service's principal may not touch another team's topic, in either direction
    Map<String, Object> asService = new HashMap<>(security.clientProperties(SERVICE_USER, SERVICE_PASSWORD));
    asService.put("bootstrap.servers", broker.bootstrapServers());
    asService.put("max.block.ms", 15_000);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(asService, new ByteArraySerializer(),
        new ByteArraySerializer())) {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> producer.send(new ProducerRecord<>(FORBIDDEN, new byte[] {1})).get(30, TimeUnit.SECONDS));
      assertInstanceOf(TopicAuthorizationException.class, e.getCause());
    }
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(asService, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.assign(List.of(new TopicPartition(FORBIDDEN, 0)));
      assertThrows(TopicAuthorizationException.class, () -> {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
          consumer.poll(Duration.ofMillis(500));
        }
      });
    }
    // ... while its own topics are fine for it
    try (Admin own = Admin.create(asService)) {
      assertTrue(own.listTopics().names().get(30, TimeUnit.SECONDS).containsAll(Topics.NAMES));
      assertFalse(own.listTopics().names().get(30, TimeUnit.SECONDS).contains(FORBIDDEN),
          "a topic it may not describe is not even listed");
    }
    // a wrong password is refused at authentication
    Map<String, Object> wrong = new HashMap<>(security.clientProperties(SERVICE_USER, "not-the-password"));
    wrong.put("bootstrap.servers", broker.bootstrapServers());
    try (Admin impostor = Admin.create(wrong)) {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> impostor.listTopics().names().get(30, TimeUnit.SECONDS));
      assertInstanceOf(SaslAuthenticationException.class, e.getCause());
    }

    String log = Files.readString(service.log());
    assertTrue(log.length() > 1000, "the instance logged");
    for (String secret : List.of(SERVICE_PASSWORD, REGISTRY_PASSWORD, STORE_PASSWORD)) {
      assertFalse(log.contains(secret), "a secret reached " + service.log());
    }
  }

  /**
   * SCRAM credential and ACLs for the service's principal: its topics (literal names), its
   * internal topics, consumer group and transactional ids (prefixed by its application id). The
   * forbidden topic belongs to someone else.
   */
  private void grantTheServiceItsOwnResources(Map<String, Object> adminConfig) throws Exception {
    String principal = "User:" + SERVICE_USER;
    try (Admin admin = Admin.create(adminConfig)) {
      admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(SERVICE_USER,
          new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), SERVICE_PASSWORD))).all().get(30, TimeUnit.SECONDS);
      Properties adminProps = new Properties();
      adminProps.putAll(adminConfig);
      TopicSetup.createMissing(adminProps, 3, Optional.of((short) 1), "");
      admin.createTopics(List.of(new NewTopic(FORBIDDEN, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
      List<AclBinding> acls = new ArrayList<>();
      for (String topic : Topics.NAMES) {
        for (AclOperation op : List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE)) {
          acls.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, principal, op));
        }
      }
      acls.add(allow(ResourceType.TOPIC, APP, PatternType.PREFIXED, principal, AclOperation.ALL));
      acls.add(allow(ResourceType.GROUP, APP, PatternType.PREFIXED, principal, AclOperation.ALL));
      acls.add(allow(ResourceType.TRANSACTIONAL_ID, APP, PatternType.PREFIXED, principal, AclOperation.ALL));
      admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
    }
  }

  private static AclBinding allow(ResourceType type, String name, PatternType pattern, String principal,
      AclOperation op) {
    return new AclBinding(new ResourcePattern(type, name, pattern),
        new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
  }

  private Path secretFile(String name, String value) throws Exception {
    return Files.writeString(dir.resolve(name), value + "\n");
  }

  private static javax.net.ssl.SSLContext trusting(TestCertificates.Stores tls) throws Exception {
    java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(tls.truststore())) {
      trust.load(in, tls.password().toCharArray());
    }
    var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    var ssl = javax.net.ssl.SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }

  private static byte[] png() throws Exception {
    BufferedImage img = new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.RED);
    g.fillOval(30, 30, 40, 40);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }
}
