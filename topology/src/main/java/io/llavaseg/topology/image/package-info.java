/**
 * Turning a query's image (inline bytes, or a {@code file://} or http(s) claim-check reference) into
 * pixels within {@link io.llavaseg.topology.image.ValidationLimits}, before any model sees it: the
 * reference policies (roots, allowed hosts, {@link io.llavaseg.topology.image.AddressPolicy}), the
 * image store's client and the instance's {@link io.llavaseg.topology.image.DecodeBudget}. No Kafka
 * or DJL code here.
 */
package io.llavaseg.topology.image;
