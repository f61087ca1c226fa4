package io.llavaseg.topology;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic's name with the serdes of its keys and values: the one place a topic is described, read
 * by the topology, the service and the tests alike.
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
  public Topic {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keySerde, "keySerde");
    Objects.requireNonNull(valueSerde, "valueSerde");
  }
}
