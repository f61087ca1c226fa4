package io.llavaseg.schemas.registry;

/**
 * Confluent's default TopicNameStrategy: the subject of a topic's values is {@code <topic>-value},
 * of its keys {@code <topic>-key}. Record-name strategies are not supported.
 */
public final class SubjectNames {
  private SubjectNames() {}

  /** {@code <topic>-key} when {@code isKey}, else {@code <topic>-value}. */
  public static String topicName(String topic, boolean isKey) {
    if (topic == null || topic.isEmpty()) {
      throw new IllegalArgumentException("topic must not be empty for TopicNameStrategy");
    }
    return topic + (isKey ? "-key" : "-value");
  }
}
