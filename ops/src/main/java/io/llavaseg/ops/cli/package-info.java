/**
 * What the {@code ops/llavaseg} commands share on their command lines: picocli mixins for the
 * options several commands take ({@link io.llavaseg.ops.cli.ClusterOptions}, {@link
 * io.llavaseg.ops.cli.SplitOption}, {@link io.llavaseg.ops.cli.OutputOptions}) and the converters
 * of durations and enum values, so that each option has one name, one grammar and one error
 * message. No command logic lives here, and nothing here starts a cluster or loads a model.
 */
package io.llavaseg.ops.cli;
