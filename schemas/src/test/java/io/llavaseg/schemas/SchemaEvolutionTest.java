package io.llavaseg.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Schema evolution rule, checked in the build: every topic's current schema must be BACKWARD
 * compatible (current schema as reader, each committed earlier version as writer, i.e. transitive)
 * with all versions committed under {@code src/main/avro-history/<Name>/v<N>.avsc}, and the newest
 * committed version must equal the current schema.
 *
 * <p>To change a schema: edit {@code src/main/avro/<Name>.avsc} (add fields WITH defaults, widen
 * types, add union branches; never remove a field without a default, rename without an alias, or
 * add a field without a default), run the tests, and commit the file this test writes to {@code
 * target/avro-history-candidates/<Name>/v<N+1>.avsc} as {@code src/main/avro-history/<Name>/}.
 */
class SchemaEvolutionTest {
  static final List<Class<?>> TOPIC_RECORDS = List.of(ImageQuery.class, ReasonedQuery.class,
      ImageAnswer.class, ImageMask.class, DeadLetter.class, CameraQueries.class, CameraFrame.class, FrameSkip.class);
  private static final Path HISTORY = Path.of("src/main/avro-history");
  private static final Path CANDIDATES = Path.of("target/avro-history-candidates");
  private static final Pattern VERSION = Pattern.compile("v(\\d+)\\.avsc");

  static Stream<Class<?>> topicRecords() {
    return TOPIC_RECORDS.stream();
  }

  @ParameterizedTest
  @MethodSource("topicRecords")
  void shouldBeBackwardCompatibleWithEveryCommittedVersion(Class<?> type) throws IOException {
    Schema current = SpecificData.get().getSchema(type);
    List<Schema> history = history(type.getSimpleName());
    for (int v = 0; v < history.size(); v++) {
      List<String> problems = incompatibilities(current, history.get(v));
      assertTrue(problems.isEmpty(), type.getSimpleName() + " is not BACKWARD compatible with v"
          + (v + 1) + ": records written with v" + (v + 1) + " could not be read: " + problems);
    }
  }

  @ParameterizedTest
  @MethodSource("topicRecords")
  void shouldHaveTheCurrentSchemaCommittedAsTheNewestVersion(Class<?> type) throws IOException {
    Schema current = SpecificData.get().getSchema(type);
    List<Schema> history = history(type.getSimpleName());
    if (!current.equals(history.get(history.size() - 1))) {
      Path candidate = CANDIDATES.resolve(type.getSimpleName())
          .resolve("v" + (history.size() + 1) + ".avsc");
      Files.createDirectories(candidate.getParent());
      Files.writeString(candidate, current.toString(true) + "\n");
      fail(type.getSimpleName() + " changed since v" + history.size() + ". If it is meant to, commit "
          + "schemas/" + candidate + " as schemas/" + HISTORY.resolve(type.getSimpleName())
          .resolve(candidate.getFileName()));
    }
  }

  @Test
  void shouldDetectAFieldAddedWithoutADefault() throws IOException {
    Schema v1 = history("ImageAnswer").get(0);
    Schema broken = imageAnswerWithConfidence(null);
    List<String> problems = incompatibilities(broken, v1);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("confidence"), problems.toString());
    assertEquals(List.of(), incompatibilities(imageAnswerWithConfidence(0.0), v1));
  }

  private static Schema imageAnswerWithConfidence(Object defaultValue) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : ImageAnswer.getClassSchema().getFields()) {
      fields.add(new Schema.Field(f, f.schema()));
    }
    fields.add(defaultValue == null
        ? new Schema.Field("confidence", Schema.create(Schema.Type.DOUBLE), null)
        : new Schema.Field("confidence", Schema.create(Schema.Type.DOUBLE), null, defaultValue));
    return Schema.createRecord("ImageAnswer", null, "io.llavaseg.schemas", false, fields);
  }

  @Test
  void shouldKeepAHistoryForEveryTopicRecordAndNoOther() throws IOException {
    List<String> dirs;
    try (Stream<Path> s = Files.list(HISTORY)) {
      dirs = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(TOPIC_RECORDS.stream().map(Class::getSimpleName).sorted().toList(), dirs);
  }

  /** Reasons why records written with {@code writer} cannot be read with {@code reader}. */
  static List<String> incompatibilities(Schema reader, Schema writer) {
    SchemaCompatibility.SchemaPairCompatibility c =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    List<String> out = new ArrayList<>();
    if (c.getType() != SchemaCompatibilityType.COMPATIBLE) {
      for (SchemaCompatibility.Incompatibility i : c.getResult().getIncompatibilities()) {
        out.add(i.getType() + " at " + i.getLocation() + ": " + i.getMessage());
      }
    }
    return out;
  }

  /** The committed versions v1..vN of one record, each parsed standalone; fails on gaps. */
  static List<Schema> history(String name) throws IOException {
    Path dir = HISTORY.resolve(name);
    assertTrue(Files.isDirectory(dir), "no schema history at schemas/" + dir
        + "; commit the current schema there as v1.avsc");
    List<Integer> versions = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Matcher m = VERSION.matcher(p.getFileName().toString());
        assertTrue(m.matches(), "unexpected file " + p + " (expected v<N>.avsc)");
        versions.add(Integer.parseInt(m.group(1)));
      }
    }
    versions.sort(null);
    List<Schema> schemas = new ArrayList<>();
    for (int i = 0; i < versions.size(); i++) {
      assertEquals(i + 1, versions.get(i), "versions of " + name + " must be v1..vN without gaps");
      Schema s = new Schema.Parser().parse(dir.resolve("v" + (i + 1) + ".avsc").toFile());
      assertEquals("io.llavaseg.schemas." + name, s.getFullName());
      schemas.add(s);
    }
    assertFalse(schemas.isEmpty(), "no versions under " + dir);
    return schemas;
  }
}
