/**
 * {@code ops/llavaseg bench}: raw and end-to-end throughput, latency under load, scaling over
 * instances with {@link io.llavaseg.ops.bench.SimulatedGpuModels} (also used by fault drills) and
 * memory over a soak, written as one JSON measurement. No command-line parsing here.
 */
package io.llavaseg.ops.bench;
