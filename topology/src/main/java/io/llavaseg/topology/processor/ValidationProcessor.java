package io.llavaseg.topology.processor;

import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.schemas.ImageReference;
import io.llavaseg.topology.DependencyUnavailableException;
import io.llavaseg.schemas.registry.WireFormatException;
import io.llavaseg.topology.ErrorCode;
import io.llavaseg.topology.InstanceGuards;
import io.llavaseg.topology.image.DecodeBudget;
import io.llavaseg.topology.StageFailure;
import io.llavaseg.topology.image.ImageLoader;
import io.llavaseg.topology.image.ValidationLimits;
import io.llavaseg.topology.inference.InferenceMetrics;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * First step of the reasoning stage. Reads {@code image-queries} records as raw bytes, deserializes
 * them (see {@link Decoding} for why here), checks them and decodes the image; forwards a {@link
 * ValidatedQuery} keyed by source id to the dedup processor, or a {@code DeadLetter} (stage {@code
 * deserialization} or {@code validation}) to the dead-letter sink. Checks, in order: value present
 * and decodable, key and header sizes (before the value is read), serialized size, key equals source_id, query_id, question (blank, too long, control
 * characters), options (count, sizes, mask true or false), image (media type, bytes, width and height from the header, decodability, reference
 * roots and SHA-256). Does not check whether the question makes sense: that is the reasoner's job.
 * An image store that cannot answer now, a decode budget that stays full, or a schema registry that
 * is unreachable or has lost its state ({@link DependencyUnavailableException}, see {@link Decoding}
 * for the registry's policy) is not the record's fault: the exception leaves the processor, so the
 * record is retried, and the dependency ({@code image-store}, {@code image-decoding}, {@code
 * schema-registry}) shows as unavailable in metrics and readiness until a record gets through again.
 * The circuit breakers and the decode budget are the instance's, shared through {@link
 * ValidationLimits#guards()}.
 */
public final class ValidationProcessor implements Processor<byte[], byte[], String, Object> {
  public static final int MAX_QUERY_ID_CHARS = 128;

  /** Most entries of a query's options map. */
  public static final int MAX_OPTIONS = 32;

  /** Longest option key and value, in characters. */
  public static final int MAX_OPTION_KEY_CHARS = 64;

  public static final int MAX_OPTION_VALUE_CHARS = 1024;

  /** The dependency name of the image store in metrics and readiness. */
  public static final String IMAGE_STORE = InstanceGuards.IMAGE_STORE;

  private final Deserializer<ImageQuery> deserializer;
  private final ValidationLimits limits;
  private final ImageLoader loader;
  private final String validChild;
  private final String deadLetterChild;
  private ProcessorContext<String, Object> context;
  private StageMetrics metrics;
  private DeadLetterRoute deadLetters;

  private final InferenceMetrics inferenceMetrics;

  /** {@code inferenceMetrics} (may be null) also counts the dead letters in Prometheus. */
  public ValidationProcessor(Deserializer<ImageQuery> deserializer, ValidationLimits limits,
      InferenceMetrics inferenceMetrics, String validChild, String deadLetterChild) {
    this.inferenceMetrics = inferenceMetrics;
    this.deserializer = deserializer;
    this.limits = limits;
    this.loader = new ImageLoader(limits);
    this.validChild = validChild;
    this.deadLetterChild = deadLetterChild;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.metrics = new StageMetrics(context, DeadLetters.VALIDATION, inferenceMetrics);
    this.deadLetters = new DeadLetterRoute(context, metrics, deadLetterChild);
  }

  @Override
  public void close() {
    if (metrics != null) {
      metrics.close();
      metrics = null;
    }
    deadLetters = null;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    StageFailure oversized = oversizedKeyOrHeaders(record);
    if (oversized != null) {
      deadLetters.forward(record, DeadLetters.VALIDATION, oversized, null);
      return;
    }
    ImageQuery query;
    try {
      query = deadLetters.decodeOrForward(deserializer, record, limits.guards().registry());
    } catch (DependencyUnavailableException e) {
      unavailable(e.dependency());
      throw e;
    } catch (WireFormatException e) {
      if (e.isTransient()) {
        unavailable(InstanceGuards.REGISTRY);
      }
      throw e;
    }
    if (query == null) {
      return;
    }
    available(InstanceGuards.REGISTRY);
    try {
      BufferedImage image;
      try {
        image = validate(record, query);
        if (query.getImage() instanceof ImageReference ref
            && ref.getUri().toLowerCase(java.util.Locale.ROOT).startsWith("http")) {
          available(IMAGE_STORE);
        }
        available(DecodeBudget.DEPENDENCY);
      } catch (DependencyUnavailableException e) {
        unavailable(e.dependency());
        throw e;
      } catch (RuntimeException e) {
        throw StageFailure.unexpected(e);
      }
      ValidatedQuery valid = new ValidatedQuery(query, image, record.key(), record.value());
      context.forward(new Record<String, Object>(query.getSourceId(), valid, record.timestamp(), record.headers()),
          validChild);
    } catch (StageFailure f) {
      deadLetters.forward(record, DeadLetters.VALIDATION, f, query.getQueryId());
    }
  }

  private void unavailable(String dependency) {
    if (inferenceMetrics != null) {
      inferenceMetrics.dependencyUnavailable(dependency);
    }
  }

  private void available(String dependency) {
    if (inferenceMetrics != null) {
      inferenceMetrics.dependencyAvailable(dependency);
    }
  }

  /** {@code KEY_TOO_LARGE} or {@code HEADERS_TOO_LARGE}, checked before the value is read; else null. */
  private StageFailure oversizedKeyOrHeaders(Record<byte[], byte[]> record) {
    if (record.key() != null && record.key().length > limits.maxKeyBytes()) {
      return new StageFailure(ErrorCode.KEY_TOO_LARGE, "record key has " + record.key().length + " bytes, at most "
          + limits.maxKeyBytes() + " are accepted (llavaseg.record.max-key-bytes)");
    }
    long headerBytes = DeadLetterRoute.headerBytes(record.headers());
    if (headerBytes > limits.maxHeaderBytes()) {
      return new StageFailure(ErrorCode.HEADERS_TOO_LARGE, "record headers have " + headerBytes + " bytes, at most "
          + limits.maxHeaderBytes() + " are accepted (llavaseg.record.max-header-bytes)");
    }
    return null;
  }

  private BufferedImage validate(Record<byte[], byte[]> record, ImageQuery query) throws StageFailure {
    if (record.value().length > limits.maxRecordBytes()) {
      throw new StageFailure(ErrorCode.RECORD_TOO_LARGE, "record value has " + record.value().length
          + " bytes, at most " + limits.maxRecordBytes() + " are accepted (use an image reference)");
    }
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    if (query.getSourceId().isBlank() || !query.getSourceId().equals(key)) {
      throw new StageFailure(ErrorCode.KEY_MISMATCH,
          "record key '" + key + "' must equal source_id '" + query.getSourceId() + "'");
    }
    String id = query.getQueryId();
    if (id.isBlank() || id.length() > MAX_QUERY_ID_CHARS || id.chars().anyMatch(Character::isISOControl)) {
      throw new StageFailure(ErrorCode.QUERY_ID_INVALID,
          "query_id must be 1.." + MAX_QUERY_ID_CHARS + " characters without control characters");
    }
    String question = query.getQuestion();
    if (question.isBlank()) {
      throw new StageFailure(ErrorCode.QUESTION_EMPTY, "question is blank");
    }
    if (question.length() > limits.maxQuestionChars()) {
      throw new StageFailure(ErrorCode.QUESTION_TOO_LONG,
          "question has " + question.length() + " characters, at most " + limits.maxQuestionChars());
    }
    if (question.chars().anyMatch(c -> Character.isISOControl(c) && c != '\t' && c != '\n')) {
      throw new StageFailure(ErrorCode.QUESTION_CONTROL_CHARS, "question contains control characters");
    }
    if (question.indexOf('\uFFFD') >= 0) {
      // Avro decodes malformed UTF-8 to U+FFFD: the producer sent bytes that are not text
      throw new StageFailure(ErrorCode.QUESTION_NOT_UTF8, "question is not valid UTF-8 (U+FFFD after decoding)");
    }
    checkOptions(query.getOptions());
    return loader.load(query.getImage());
  }

  /**
   * {@code OPTIONS_INVALID}: more than {@link #MAX_OPTIONS} entries, a blank or too long key, a too
   * long value, control characters, or a {@code mask} option that is not true or false (it would
   * silently mean true). Unknown keys are allowed (producers' own metadata) within these bounds.
   */
  private static void checkOptions(java.util.Map<String, String> options) throws StageFailure {
    if (options.size() > MAX_OPTIONS) {
      throw new StageFailure(ErrorCode.OPTIONS_INVALID, "options has " + options.size() + " entries, at most "
          + MAX_OPTIONS);
    }
    for (var e : options.entrySet()) {
      String k = e.getKey();
      String v = e.getValue() == null ? "" : e.getValue();
      if (k.isBlank() || k.length() > MAX_OPTION_KEY_CHARS || v.length() > MAX_OPTION_VALUE_CHARS
          || k.chars().anyMatch(Character::isISOControl) || v.chars().anyMatch(Character::isISOControl)) {
        throw new StageFailure(ErrorCode.OPTIONS_INVALID, "option keys must be 1.." + MAX_OPTION_KEY_CHARS
            + " and values at most " + MAX_OPTION_VALUE_CHARS + " characters, without control characters");
      }
    }
    String mask = options.get("mask");
    if (mask != null && !mask.strip().equalsIgnoreCase("true") && !mask.strip().equalsIgnoreCase("false")) {
      throw new StageFailure(ErrorCode.OPTIONS_INVALID, "option mask must be true or false");
    }
  }
}
