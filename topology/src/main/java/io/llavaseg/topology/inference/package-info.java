/**
 * Running models inside the stream threads: per-stage worker pools fed by a dynamic batching
 * queue ({@link io.llavaseg.topology.inference.BatchingQueue}, {@link
 * io.llavaseg.topology.inference.BatchPolicy}), the devices they run on ({@link
 * io.llavaseg.topology.inference.DevicePlan}) and their Prometheus metrics. Generic over the
 * request and result types: it knows no model, and which workers to run is the stage's choice.
 */
package io.llavaseg.topology.inference;
