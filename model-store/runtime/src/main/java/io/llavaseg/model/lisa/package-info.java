/**
 * A LISA-style variant of the embedded MLLM (issue 23), kept apart from what the service runs: the
 * reasoner's network with one more token, {@code <seg>}, whose final hidden state, projected
 * ({@link io.llavaseg.model.lisa.SegProjection}), prompts the segmenter's U-Net in place of its text
 * encoder ({@link io.llavaseg.model.lisa.LisaBlock}); {@link io.llavaseg.model.lisa.LisaModel} loads
 * a variant folder and answers a question with a reply and, when the reply holds {@code <seg>}, a
 * mask. Nothing in the service loads it; {@code ops/llavaseg eval --compare} measures it beside the
 * served LLaVASeg pipeline.
 */
package io.llavaseg.model.lisa;
