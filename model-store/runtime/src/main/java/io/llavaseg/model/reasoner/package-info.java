/**
 * The project's LLaVA-style ShapeWorld reasoner on DJL's PyTorch engine: its network ({@link
 * io.llavaseg.model.reasoner.ReasonerBlock}, {@link io.llavaseg.model.reasoner.ReasonerConfig}),
 * tokenizer, translator, decoding, and {@link io.llavaseg.model.reasoner.ReasonerModel}, which
 * loads a model folder and makes {@link io.llavaseg.model.Reasoner} workers. Inference only:
 * training lives in {@code io.llavaseg.training.reasoner}.
 */
package io.llavaseg.model.reasoner;
