/**
 * The topology's processors: validation, deduplication, reasoning, segmentation, the standing
 * camera queries and their frame fan-out, with the dead-letter routing, output guards and
 * per-stage metrics they share. Each class says which topics it reads and writes; wiring them into
 * a topology is {@link io.llavaseg.topology.LlavasegTopology}'s job, not theirs.
 */
package io.llavaseg.topology.processor;
