package io.llavaseg.schemas;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One valid, fully populated instance of every topic's record, for serde tests. */
public final class SampleRecords {
  public static final Instant T0 = Instant.parse("2026-11-27T12:00:00.123Z");

  private SampleRecords() {}

  public static ModelRef reasoner() {
    return ModelRef.newBuilder().setName("reasoner").setVersion("r1").setDevice("cpu()").build();
  }

  public static Attributes attributes() {
    return Attributes.newBuilder().setColor("yellow").setShape("heart").setSize("small")
        .setLocation("top left").build();
  }

  public static ImageQuery inlineQuery(String queryId) {
    return ImageQuery.newBuilder()
        .setQueryId(queryId)
        .setSourceId("camera-7")
        .setCaptureTime(T0)
        .setImage(InlineImage.newBuilder().setMediaType("image/png")
            .setData(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, 3})).build())
        .setQuestion("Which shape would you pick to decorate a valentine card?")
        .setOptions(Map.of("mask", "true"))
        .build();
  }

  public static ImageQuery referenceQuery(String queryId) {
    return ImageQuery.newBuilder(inlineQuery(queryId))
        .setImage(ImageReference.newBuilder().setUri("file:///data/frames/7.png")
            .setSha256("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
            .setMediaType(null).build())
        .build();
  }

  public static ReasonedQuery reasoned() {
    return ReasonedQuery.newBuilder()
        .setQuery(inlineQuery("q-1"))
        .setAnswer("The heart is the usual symbol of love.")
        .setTarget("the yellow heart")
        .setAttributes(attributes())
        .setNoTargetReason(null)
        .setReasoningModel(reasoner())
        .setVisionMs(1.5).setAnswerMs(12.25).setTargetMs(3.0).setAttributesMs(4.5)
        .setGeneratedTokens(31)
        .setReasonedAt(T0.plusMillis(40))
        .build();
  }

  public static ImageAnswer answer() {
    return ImageAnswer.newBuilder()
        .setQueryId("q-1").setSourceId("camera-7").setCaptureTime(T0)
        .setQuestion("Which shape?").setAnswer("The heart.").setTarget("the yellow heart")
        .setAttributes(attributes()).setNoTargetReason(null)
        .setReasoningModel(reasoner()).setReasoningMs(21.0)
        .setAnsweredAt(T0.plusMillis(41))
        .build();
  }

  public static ImageMask mask() {
    return ImageMask.newBuilder()
        .setQueryId("q-1").setSourceId("camera-7").setCaptureTime(T0)
        .setWidth(3).setHeight(2)
        .setRleCounts(List.of(2L, 3L, 1L))
        .setBbox(List.of(1, 0, 2, 2)).setArea(3L).setScore(0.875f)
        .setTarget("the yellow heart").setAttributes(attributes()).setEmptyReason(null)
        .setReasoningModel(reasoner())
        .setSegmentationModel(ModelRef.newBuilder().setName("segmenter").setVersion("s1")
            .setDevice("cpu()").build())
        .setReasoningMs(21.0).setSegmentationMs(9.5)
        .setMaskedAt(T0.plusMillis(60))
        .build();
  }

  public static DeadLetter deadLetter() {
    return DeadLetter.newBuilder()
        .setStage("validation").setErrorCode("WRONG_MAGIC_BYTE").setMessage("first byte is 0x7b")
        .setQueryId(null).setOriginalTopic("image-queries").setOriginalPartition(2)
        .setOriginalOffset(1234L)
        .setOriginalKey(ByteBuffer.wrap("camera-7".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .setOriginalValue(ByteBuffer.wrap(new byte[] {'{', '}'}))
        .setExceptionClass("io.llavaseg.schemas.registry.WireFormatException")
        .setFailedAt(T0.plusMillis(5))
        .build();
  }
}
