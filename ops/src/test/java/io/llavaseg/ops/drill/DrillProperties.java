package io.llavaseg.ops.drill;

import java.util.HashMap;
import java.util.Map;

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
}
