/**
 * The project's attribute-prompted segmenter on DJL's PyTorch engine: its U-Net ({@link
 * io.llavaseg.model.segmenter.SegmenterNet}), prompt vocabulary, letterboxing, translator and
 * {@link io.llavaseg.model.segmenter.SegmenterModel}, which loads a model folder and makes {@link
 * io.llavaseg.model.Segmenter} workers. Inference only: training lives in {@code
 * io.llavaseg.training.segmenter}.
 */
package io.llavaseg.model.segmenter;
