/**
 * LLaVASeg's chain of thought over any {@link io.llavaseg.model.Reasoner}: the three prompts
 * ({@link io.llavaseg.model.cot.PromptTemplates}), the strict parser of the replies and {@link
 * io.llavaseg.model.cot.ChainOfThought}, which runs them. No model implementation here.
 */
package io.llavaseg.model.cot;
