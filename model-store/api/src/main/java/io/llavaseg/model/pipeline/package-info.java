/**
 * The reason-then-segment pipeline over a batch of queries ({@link
 * io.llavaseg.model.pipeline.QueryPipeline}) with its input and result types. It writes nothing:
 * the service runs its two halves as Kafka stages, the tools run them in one process.
 */
package io.llavaseg.model.pipeline;
