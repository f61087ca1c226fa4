package io.llavaseg.topology;

import io.llavaseg.schemas.DeadLetter;
import io.llavaseg.schemas.ImageAnswer;
import io.llavaseg.schemas.ImageMask;
import io.llavaseg.schemas.ReasonedQuery;
import io.llavaseg.schemas.registry.IncompatibleSchemaException;
import io.llavaseg.schemas.registry.SchemaRegistry;
import io.llavaseg.schemas.registry.SubjectNames;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers (or, with {@code auto.register.schemas=false}, looks up) the value schemas of the topics
 * this instance writes, once, before the streams start, through the client the serdes share (whose
 * cache then answers every serializer). Without this, the stream threads register concurrently on
 * their first records, and Apicurio 2.4 answers one of two simultaneous first registrations of a
 * subject with HTTP 409 "artifact already exists" (or 500), which the serde rightly treats as a
 * refusal. A 409 here (another instance registering at the same moment) is resolved by a look-up.
 */
public final class SchemaSetup {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaSetup.class);

  private SchemaSetup() {}

  /** Subject -> schema of the topics the configured stages write. */
  public static Map<String, Schema> outputSubjects(ServiceConfig config) {
    Map<String, Schema> subjects = new LinkedHashMap<>();
    if (config.stages().contains(Stage.REASONING)) {
      subjects.put(SubjectNames.topicName(Topics.IMAGE_ANSWERS, false), ImageAnswer.getClassSchema());
      subjects.put(SubjectNames.topicName(Topics.IMAGE_QUERIES_REASONED, false), ReasonedQuery.getClassSchema());
      subjects.put(SubjectNames.topicName(Topics.CAMERA_FRAMES_SKIPPED, false),
          io.llavaseg.schemas.FrameSkip.getClassSchema());
    }
    if (config.stages().contains(Stage.SEGMENTATION)) {
      subjects.put(SubjectNames.topicName(Topics.IMAGE_MASKS, false), ImageMask.getClassSchema());
    }
    if (config.stages().contains(Stage.STANDING)) {
      subjects.put(SubjectNames.topicName(Topics.IMAGE_QUERIES, false), io.llavaseg.schemas.ImageQuery.getClassSchema());
      subjects.put(SubjectNames.topicName(Topics.CAMERA_FRAMES_SKIPPED, false),
          io.llavaseg.schemas.FrameSkip.getClassSchema());
    }
    subjects.put(SubjectNames.topicName(Topics.IMAGE_QUERIES_DLQ, false), DeadLetter.getClassSchema());
    return subjects;
  }

  public static void registerOutputSchemas(SchemaRegistry registry, ServiceConfig config) {
    boolean autoRegister = !"false".equalsIgnoreCase(
        String.valueOf(config.serdeConfig().getOrDefault("auto.register.schemas", "true")).strip());
    outputSubjects(config).forEach((subject, schema) -> {
      int id;
      if (!autoRegister) {
        id = registry.lookup(subject, schema);
      } else {
        try {
          id = registry.register(subject, schema);
        } catch (IncompatibleSchemaException e) {
          LOG.info("registering {} raced or was refused ({}); looking it up", subject, e.getMessage());
          id = registry.lookup(subject, schema);
        }
      }
      LOG.info("schema {} is id {} under {}", schema.getFullName(), id, subject);
    });
  }
}
