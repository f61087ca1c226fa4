/**
 * {@code ops/llavaseg demo}: starts a broker, the registry (unless given) and the service,
 * publishes ShapeWorld image-queries, collects answers, masks and dead letters, scores them and
 * writes the report (summary, overlays, {@code index.html}). No command-line parsing here.
 */
package io.llavaseg.ops.demo;
