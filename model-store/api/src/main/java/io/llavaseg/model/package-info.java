/**
 * The model API the service programs against: {@link io.llavaseg.model.Reasoner} and {@link
 * io.llavaseg.model.Segmenter} workers, the {@link io.llavaseg.model.ModelHandle} that makes them,
 * and the value types they take and return (reasoning, segmentation prompt and result, masks,
 * model ids). Plain Java: no DJL, no Kafka.
 */
package io.llavaseg.model;
