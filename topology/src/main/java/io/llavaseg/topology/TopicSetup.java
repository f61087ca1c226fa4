package io.llavaseg.topology;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the service's topics that do not exist yet ({@code llavaseg.topics.create=true}, off by
 * default: production clusters usually manage topics themselves). Existing topics are left alone,
 * whatever their partition count; a topic another instance creates at the same moment is fine. Internal topics (the dedup store's changelog) are created by
 * Kafka Streams itself.
 */
public final class TopicSetup {
  private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

  private TopicSetup() {}

  /** Creates the missing ones of {@link Topics#NAMES} on an unsecured cluster; returns the names it created. */
  public static Set<String> createMissing(String bootstrapServers, int partitions, Optional<Short> replication)
      throws InterruptedException, ExecutionException, TimeoutException {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return createMissing(props, partitions, replication, "");
  }

  /**
   * Creates the missing ones of {@link Topics#NAMES}, each after {@code prefix}, with an admin client of these properties
   * (bootstrap servers and, on a secured cluster, the service's own TLS and SASL settings: its
   * principal needs CREATE on the topics); returns the names it created.
   */
  public static Set<String> createMissing(Properties adminProperties, int partitions, Optional<Short> replication,
      String prefix) throws InterruptedException, ExecutionException, TimeoutException {
    try (Admin admin = Admin.create(adminProperties)) {
      Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
      Set<String> created = new HashSet<>();
      List<NewTopic> missing = Topics.NAMES.stream()
          .filter(name -> !existing.contains(prefix + name))
          .map(name -> {
            NewTopic t = new NewTopic(prefix + name, Optional.of(partitions), replication);
            return Topics.COMPACTED.contains(name) ? t.configs(Map.of("cleanup.policy", "compact")) : t;
          })
          .toList();
      if (!missing.isEmpty()) {
        var results = admin.createTopics(missing).values();
        for (var e : results.entrySet()) {
          try {
            e.getValue().get(60, TimeUnit.SECONDS);
            created.add(e.getKey());
          } catch (ExecutionException ex) {
            if (!(ex.getCause() instanceof TopicExistsException)) {
              throw ex;
            }
            // another instance created it at the same moment: fine
          }
        }
        LOG.info("created topics {} with {} partitions", created, partitions);
      }
      return created;
    }
  }
}
