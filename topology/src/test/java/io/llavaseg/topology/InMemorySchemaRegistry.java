package io.llavaseg.topology;

import io.llavaseg.schemas.registry.RegistryUnavailableException;
import io.llavaseg.schemas.registry.SchemaNotFoundException;
import io.llavaseg.schemas.registry.SchemaRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * Test double of the schema registry: global ids per distinct schema text, subjects as sets of ids,
 * no compatibility rules; {@link #unavailable} makes every call fail as an outage would.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {
  private final Map<String, Integer> ids = new HashMap<>();
  private final Map<Integer, Schema> schemas = new HashMap<>();
  private final Map<String, Set<Integer>> subjects = new HashMap<>();
  public volatile boolean unavailable;

  @Override
  public synchronized int register(String subject, Schema schema) {
    check();
    int id = ids.computeIfAbsent(schema.toString(), s -> ids.size() + 1);
    schemas.put(id, schema);
    subjects.computeIfAbsent(subject, s -> new HashSet<>()).add(id);
    return id;
  }

  @Override
  public synchronized int lookup(String subject, Schema schema) {
    check();
    Integer id = ids.get(schema.toString());
    if (id == null || !subjects.getOrDefault(subject, Set.of()).contains(id)) {
      throw new SchemaNotFoundException("not under " + subject, 40403);
    }
    return id;
  }

  @Override
  public synchronized Schema schemaById(int id) {
    check();
    Schema s = schemas.get(id);
    if (s == null) {
      throw new SchemaNotFoundException("no schema " + id, 40403);
    }
    return s;
  }

  private void check() {
    if (unavailable) {
      throw new RegistryUnavailableException("registry down (test)", -1, null);
    }
  }
}
