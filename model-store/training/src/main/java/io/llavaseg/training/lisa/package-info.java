/**
 * Training and validation of the LISA-style variant ({@code io.llavaseg.model.lisa}): the joint data
 * mix of segmentation and dialogue ({@link io.llavaseg.training.lisa.JointMix}), the examples
 * ({@link io.llavaseg.training.lisa.LisaExamples}) and the trainer
 * ({@link io.llavaseg.training.lisa.LisaTrainer}).
 */
package io.llavaseg.training.lisa;
