/**
 * Turning a query's image (inline bytes or a {@code file://} claim-check reference) into pixels
 * within {@link io.llavaseg.topology.image.ValidationLimits}, before any model sees it. No Kafka or
 * DJL code here; does not fetch http(s) references.
 */
package io.llavaseg.topology.image;
