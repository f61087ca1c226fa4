/**
 * The Kafka Streams service: its configuration ({@link io.llavaseg.topology.ServiceConfig}), the
 * topics and their serdes ({@link io.llavaseg.topology.Topics}), the topology of the reasoning,
 * segmentation and standing-query stages ({@link io.llavaseg.topology.LlavasegTopology}), and the
 * process that runs it with health and metrics ({@link io.llavaseg.topology.LlavasegService}).
 * Models are reached only through {@code io.llavaseg.topology.model}; no trainer, dataset
 * generator or benchmark is on this module's classpath.
 */
package io.llavaseg.topology;
