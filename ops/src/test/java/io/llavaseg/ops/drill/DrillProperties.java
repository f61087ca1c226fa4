package io.llavaseg.ops.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The service properties the drills run instances with: 3 stream threads, 6 partitions created
 * at start with the given replication, a short session timeout (restarted instances rejoin fast)
 * and a 5 s inference budget (the simulated models take milliseconds).
 */
final class DrillProperties {
  private DrillProperties() {}

  static Map<String, String> of(String bootstrap, String registryUrl, String applicationId, int replication) {
    Map<String, String> p = new HashMap<>();
    p.put("bootstrap.servers", bootstrap);
    p.put("schema.registry.url", registryUrl);
    p.put("application.id", applicationId);
    p.put("num.stream.threads", "3");
    p.put("llavaseg.topics.create", "true");
    p.put("llavaseg.topics.partitions", "6");
    p.put("llavaseg.topics.replication-factor", Integer.toString(replication));
    p.put("replication.factor", Integer.toString(replication));
    p.put("session.timeout.ms", "6000");
    p.put("heartbeat.interval.ms", "1500");
    p.put("llavaseg.inference.timeout", "5s");
    return p;
  }

  /**
   * Asserts that {@code topic} is replicated {@code replication} times on every partition with
   * min.insync.replicas {@code minIsr} (created by the service with the topic's replication, the
   * min ISR from the brokers' default).
   */
  static void assertReplicated(String bootstrap, String topic, int replication, int minIsr) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
      d.partitions().forEach(p -> assertEquals(replication, p.replicas().size(), topic + " replicas of " + p));
      ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      String isr = admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r)
          .get("min.insync.replicas").value();
      assertEquals(Integer.toString(minIsr), isr, topic + " min.insync.replicas");
    }
  }
}
