/**
 * How the service gets its models: {@link io.llavaseg.topology.model.ModelProvider} and its
 * model-store implementation (the one place of this module that loads DJL model folders), what the
 * stages need from them ({@link io.llavaseg.topology.model.Models}), and {@link
 * io.llavaseg.topology.model.LocalPipeline}, the same pipeline in one process without Kafka for the
 * command-line tools.
 */
package io.llavaseg.topology.model;
