package io.llavaseg.topology;

import io.llavaseg.schemas.DeadLetter;
import io.llavaseg.schemas.FrameSkip;
import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.schemas.registry.RegistryConfig;
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

  /**
   * Subject -> schema of the topics the configured stages write, under the configured value subject
   * name strategy ({@code value.subject.name.strategy}).
   */
  public static Map<String, Schema> outputSubjects(ServiceConfig config, Topics topics) {
    SubjectNames.Strategy strategy = RegistryConfig.subjectNameStrategy(config.serdeConfig(), false);
    Map<String, Schema> subjects = new LinkedHashMap<>();
    java.util.function.BiConsumer<Topic<?, ?>, Schema> add =
        (topic, schema) -> subjects.put(strategy.subject(topic.name(), false, schema), schema);
    if (config.stages().contains(Stage.REASONING)) {
      add.accept(topics.answers(), ImageAnswer.getClassSchema());
      add.accept(topics.reasoned(), ReasonedQuery.getClassSchema());
      add.accept(topics.frameSkips(), FrameSkip.getClassSchema());
    }
    if (config.stages().contains(Stage.SEGMENTATION)) {
      add.accept(topics.masks(), ImageMask.getClassSchema());
    }
    if (config.stages().contains(Stage.STANDING)) {
      add.accept(topics.queries(), ImageQuery.getClassSchema());
      add.accept(topics.frameSkips(), FrameSkip.getClassSchema());
    }
    add.accept(topics.deadLetters(), DeadLetter.getClassSchema());
    return subjects;
  }

  public static void registerOutputSchemas(SchemaRegistry registry, ServiceConfig config, Topics topics) {
    boolean autoRegister = !"false".equalsIgnoreCase(
        String.valueOf(config.serdeConfig().getOrDefault("auto.register.schemas", "true")).strip());
    outputSubjects(config, topics).forEach((subject, schema) -> {
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
