package io.llavaseg.model.pipeline;

import io.llavaseg.model.BinaryMask;
import io.llavaseg.model.Reasoning;
import io.llavaseg.model.SegmentationResult;
import java.util.Optional;

/**
 * The pipeline's result for one query.
 *
 * @param reasoning the chain of thought's result (answer, target, attributes)
 * @param mask the target's mask at the image's size; empty when there is no target
 * @param segmentation the segmenter's result; empty when the segmenter was not called (no target)
 */
public record QueryResult(Reasoning reasoning, BinaryMask mask, Optional<SegmentationResult> segmentation) {}
