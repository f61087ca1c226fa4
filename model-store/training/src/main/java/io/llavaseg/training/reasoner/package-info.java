/**
 * Training and measuring the reasoner: {@link io.llavaseg.training.reasoner.ReasonerTrainer} (the
 * three LLaVA stages on ShapeWorld), its instruction data and optimizer, and {@link
 * io.llavaseg.training.reasoner.ReasonerEvaluator}, the chain-of-thought evaluation behind {@code
 * ops/llavaseg eval-reasoner}. Not on the service's classpath.
 */
package io.llavaseg.training.reasoner;
