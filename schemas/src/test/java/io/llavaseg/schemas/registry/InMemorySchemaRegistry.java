package io.llavaseg.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * Test double of {@link SchemaRegistry}: ids are global and assigned per distinct schema text (like
 * Confluent), subjects hold versions in order, every call is counted, and the double can be told
 * to be unavailable. No compatibility checks.
 */
final class InMemorySchemaRegistry implements SchemaRegistry {
  private final Map<String, Integer> idBySchemaText = new HashMap<>();
  private final Map<Integer, Schema> schemaById = new HashMap<>();
  private final Map<String, List<Integer>> subjects = new LinkedHashMap<>();
  private int nextId = 1;
  int registerCalls;
  int lookupCalls;
  int schemaByIdCalls;
  boolean unavailable;

  @Override
  public synchronized int register(String subject, Schema schema) {
    registerCalls++;
    failIfUnavailable();
    int id = idBySchemaText.computeIfAbsent(schema.toString(), s -> nextId++);
    schemaById.put(id, schema);
    List<Integer> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
    if (!versions.contains(id)) {
      versions.add(id);
    }
    return id;
  }

  @Override
  public synchronized int lookup(String subject, Schema schema) {
    lookupCalls++;
    failIfUnavailable();
    Integer id = idBySchemaText.get(schema.toString());
    if (id == null || !subjects.getOrDefault(subject, List.of()).contains(id)) {
      throw new SchemaNotFoundException("not registered under " + subject, 40403);
    }
    return id;
  }

  @Override
  public synchronized Schema schemaById(int id) {
    schemaByIdCalls++;
    failIfUnavailable();
    Schema s = schemaById.get(id);
    if (s == null) {
      throw new SchemaNotFoundException("no schema " + id, 40403);
    }
    return s;
  }

  synchronized List<String> subjects() {
    return new ArrayList<>(subjects.keySet());
  }

  private void failIfUnavailable() {
    if (unavailable) {
      throw new RegistryUnavailableException("test double is down", 503, null);
    }
  }
}
