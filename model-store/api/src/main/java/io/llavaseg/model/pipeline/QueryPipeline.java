package io.llavaseg.model.pipeline;

import io.llavaseg.model.BinaryMask;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.Reasoning;
import io.llavaseg.model.SegmentationPrompt;
import io.llavaseg.model.SegmentationResult;
import io.llavaseg.model.SegmentationTarget;
import io.llavaseg.model.Segmenter;
import io.llavaseg.model.cot.ChainOfThought;
import io.llavaseg.model.cot.PromptTemplates;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * LLaVASeg's reason-then-segment pipeline over a batch of queries (images and questions in, results
 * out; it writes nothing). The reasoning half ({@link #reasonAll}) runs the chain of thought over
 * the batch; the segmentation half ({@link #segmentAll}) prompts the segmenter, as one batch, with
 * the description and attributes of each query that has a {@link SegmentationTarget}, and calls it
 * for no other. The service runs the halves as two stages joined by a topic; the in-process tools
 * run both ({@link #runAll}; {@link #run} is the batch of one).
 */
public final class QueryPipeline {
  private final ChainOfThought chain;

  public QueryPipeline(PromptTemplates prompts) {
    this.chain = new ChainOfThought(prompts);
  }

  /** The chain of thought for each query, as one batch ({@link ChainOfThought#runAll}). */
  public List<Reasoning> reasonAll(Reasoner reasoner, List<ImageQuestion> queries) {
    return chain.runAll(reasoner, queries.stream().map(ImageQuestion::image).toList(),
        queries.stream().map(ImageQuestion::question).toList());
  }

  /**
   * One result per image: the segmenter's for the images with a target (all segmented as one
   * batch), empty for the others, which the segmenter never sees.
   */
  public static List<Optional<SegmentationResult>> segmentAll(Segmenter segmenter, List<BufferedImage> images,
      List<Optional<SegmentationTarget>> targets) {
    if (images.size() != targets.size()) {
      throw new IllegalArgumentException(images.size() + " images but " + targets.size() + " targets");
    }
    List<SegmentationPrompt> prompts = new ArrayList<>();
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      Optional<SegmentationTarget> target = targets.get(i);
      if (target.isPresent()) {
        prompts.add(target.get().on(images.get(i)));
        rows.add(i);
      }
    }
    List<Optional<SegmentationResult>> results = new ArrayList<>(Collections.nCopies(images.size(), Optional.empty()));
    if (prompts.isEmpty()) {
      return results;
    }
    List<SegmentationResult> masks = segmenter.segmentBatch(prompts);
    if (masks.size() != prompts.size()) {
      throw new IllegalStateException("segmenter returned " + masks.size() + " results for " + prompts.size());
    }
    for (int k = 0; k < rows.size(); k++) {
      results.set(rows.get(k), Optional.of(masks.get(k)));
    }
    return results;
  }

  /** Reasons over the batch, then segments the targets it named; one result per query, in order. */
  public List<QueryResult> runAll(Reasoner reasoner, Segmenter segmenter, List<ImageQuestion> queries) {
    List<Reasoning> reasonings = reasonAll(reasoner, queries);
    List<BufferedImage> images = queries.stream().map(ImageQuestion::image).toList();
    List<Optional<SegmentationResult>> segmentations =
        segmentAll(segmenter, images, reasonings.stream().map(SegmentationTarget::of).toList());
    List<QueryResult> results = new ArrayList<>(queries.size());
    for (int i = 0; i < queries.size(); i++) {
      BufferedImage image = images.get(i);
      Optional<SegmentationResult> segmentation = segmentations.get(i);
      BinaryMask mask = segmentation.map(SegmentationResult::mask)
          .orElseGet(() -> BinaryMask.empty(image.getWidth(), image.getHeight()));
      results.add(new QueryResult(reasonings.get(i), mask, segmentation));
    }
    return results;
  }

  /** One query: {@link #runAll} of a batch of one. */
  public QueryResult run(Reasoner reasoner, Segmenter segmenter, ImageQuestion query) {
    return runAll(reasoner, segmenter, List.of(query)).get(0);
  }
}
