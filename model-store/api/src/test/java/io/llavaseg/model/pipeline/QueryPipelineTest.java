package io.llavaseg.model.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.model.BinaryMask;
import io.llavaseg.model.RecordingSegmenter;
import io.llavaseg.model.ScriptedReasoner;
import io.llavaseg.model.SegmentationPrompt;
import io.llavaseg.model.TargetAttributes;
import io.llavaseg.model.cot.PromptTemplates;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryPipelineTest {
  private static final String ATTRIBUTES = "color: red; shape: star; size: small; location: top left";
  private final QueryPipeline pipeline = new QueryPipeline(PromptTemplates.DEFAULT);

  /** Names "the red star" for questions about a star, "none" for the others; "?" to unparseable questions. */
  private static ScriptedReasoner reasoner() {
    return new ScriptedReasoner(p -> {
      if (p.contains("Describe the colour")) {
        return ATTRIBUTES;
      }
      if (p.contains("What is the target region?")) {
        return p.startsWith("garbled") ? "?" : p.contains("star") ? "the red star" : "none";
      }
      return "an answer to " + p;
    });
  }

  private static ImageQuestion query(int width, int height, String question) {
    return new ImageQuestion(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), question);
  }

  @Test
  void eachQueryAloneGivesWhatTheBatchGivesIt() {
    List<ImageQuestion> queries = List.of(query(8, 6, "where is the star"), query(5, 4, "how many circles"),
        query(7, 7, "garbled star"), query(4, 4, "segment the star"));
    List<QueryResult> batch = pipeline.runAll(reasoner(), new RecordingSegmenter(), queries);
    assertEquals(queries.size(), batch.size());
    for (int i = 0; i < queries.size(); i++) {
      QueryResult alone = pipeline.run(reasoner(), new RecordingSegmenter(), queries.get(i));
      QueryResult batched = batch.get(i);
      assertEquals(alone.reasoning().answer(), batched.reasoning().answer());
      assertEquals(alone.reasoning().target(), batched.reasoning().target());
      assertEquals(alone.reasoning().attributes(), batched.reasoning().attributes());
      assertEquals(alone.reasoning().failureReason(), batched.reasoning().failureReason());
      assertEquals(alone.mask(), batched.mask());
      assertEquals(alone.segmentation().isPresent(), batched.segmentation().isPresent());
    }
    assertTrue(batch.get(0).reasoning().hasTarget());
    assertFalse(batch.get(1).reasoning().hasTarget());
    assertTrue(batch.get(2).reasoning().failureReason().isPresent());
  }

  @Test
  void segmentsTheTargetsInOneBatchPromptedWithDescriptionAndAttributes() {
    RecordingSegmenter segmenter = new RecordingSegmenter();
    List<ImageQuestion> queries = List.of(query(8, 6, "where is the star"), query(5, 4, "how many circles"),
        query(4, 4, "segment the star"));
    List<QueryResult> results = pipeline.runAll(reasoner(), segmenter, queries);
    assertEquals(1, segmenter.batches.size());
    List<SegmentationPrompt> prompts = segmenter.batches.get(0);
    assertEquals(2, prompts.size());
    assertEquals(queries.get(0).image(), prompts.get(0).image());
    assertEquals(queries.get(2).image(), prompts.get(1).image());
    assertEquals("the red star", prompts.get(0).description());
    assertEquals(TargetAttributes.parse(ATTRIBUTES).orElseThrow(), prompts.get(0).attributes());
    assertEquals(1, results.get(0).mask().area());
    assertEquals(8, results.get(0).mask().width());
  }

  @Test
  void aQueryWithoutTargetIsNotSegmentedAndGetsAnEmptyMaskAtItsImageSize() {
    RecordingSegmenter segmenter = new RecordingSegmenter();
    QueryResult none = pipeline.run(reasoner(), segmenter, query(5, 3, "how many circles"));
    QueryResult garbled = pipeline.run(reasoner(), segmenter, query(5, 3, "garbled star"));
    assertTrue(segmenter.batches.isEmpty());
    for (QueryResult r : List.of(none, garbled)) {
      assertFalse(r.reasoning().hasTarget());
      assertTrue(r.segmentation().isEmpty());
      assertEquals(BinaryMask.empty(5, 3), r.mask());
    }
  }
}
