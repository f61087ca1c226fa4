package io.llavaseg.schemas.registry;

import java.util.Locale;
import org.apache.avro.Schema;

/**
 * Confluent's subject name strategies: under which registry subject a topic's key or value schema
 * is registered. {@link Strategy#TOPIC} ({@code <topic>-value}, the default) gives one schema
 * lineage per topic; {@link Strategy#RECORD} ({@code <record full name>}) one per record type,
 * shared by every topic that carries it; {@link Strategy#TOPIC_RECORD} ({@code <topic>-<record full
 * name>}) one per topic and type. Configured with {@code key.subject.name.strategy} / {@code
 * value.subject.name.strategy}, which take Confluent's class names ({@code
 * io.confluent.kafka.serializers.subject.RecordNameStrategy}) or the simple names ({@code
 * RecordNameStrategy}). Readers do not need it: the wire format carries the schema id.
 */
public final class SubjectNames {
  private SubjectNames() {}

  /** A subject name strategy. */
  public enum Strategy {
    TOPIC("TopicNameStrategy"),
    RECORD("RecordNameStrategy"),
    TOPIC_RECORD("TopicRecordNameStrategy");

    private static final String CONFLUENT_PACKAGE = "io.confluent.kafka.serializers.subject.";
    private final String simpleName;

    Strategy(String simpleName) {
      this.simpleName = simpleName;
    }

    /** Confluent's class name of the strategy. */
    public String className() {
      return CONFLUENT_PACKAGE + simpleName;
    }

    /** The subject of {@code schema} written to {@code topic}. */
    public String subject(String topic, boolean isKey, Schema schema) {
      return switch (this) {
        case TOPIC -> topicName(topic, isKey);
        case RECORD -> schema.getFullName();
        case TOPIC_RECORD -> requireTopic(topic) + "-" + schema.getFullName();
      };
    }

    /**
     * The strategy named {@code name}: Confluent's class name, its simple name, or {@code topic},
     * {@code record}, {@code topic-record}.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static Strategy parse(String name) {
      String n = name.strip();
      for (Strategy s : values()) {
        if (n.equals(s.className()) || n.equals(s.simpleName)
            || n.toLowerCase(Locale.ROOT).equals(s.name().toLowerCase(Locale.ROOT).replace('_', '-'))) {
          return s;
        }
      }
      throw new IllegalArgumentException("unknown subject name strategy '" + name + "': use TopicNameStrategy,"
          + " RecordNameStrategy or TopicRecordNameStrategy (Confluent's class names are accepted)");
    }
  }

  /** {@code <topic>-key} when {@code isKey}, else {@code <topic>-value}: TopicNameStrategy. */
  public static String topicName(String topic, boolean isKey) {
    return requireTopic(topic) + (isKey ? "-key" : "-value");
  }

  private static String requireTopic(String topic) {
    if (topic == null || topic.isEmpty()) {
      throw new IllegalArgumentException("topic must not be empty for a topic-based subject name strategy");
    }
    return topic;
  }
}
