/**
 * ReasonSeg-format datasets (LISA's folder layout) and their evaluation: {@link
 * io.llavaseg.eval.ReasonSegDataset} reads ShapeWorld or real ReasonSeg folders, {@link
 * io.llavaseg.eval.ReasonSegWriter} writes ShapeWorld samples, and {@link
 * io.llavaseg.eval.Evaluation} runs any {@link io.llavaseg.eval.MaskSource} over a folder and
 * scores it with LISA's gIoU and cIoU (plus dialogue accuracy and empty-mask rates) into an {@link
 * io.llavaseg.eval.EvalReport}.
 */
package io.llavaseg.eval;
