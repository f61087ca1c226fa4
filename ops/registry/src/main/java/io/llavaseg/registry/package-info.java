/**
 * Additions built into the project's Apicurio schema registry runner (a Quarkus application):
 * {@link io.llavaseg.registry.BasicAuthFilter}, basic authentication in front of every path. The
 * launcher that starts the registry lives in {@code io.llavaseg.schemas.registry}, not here.
 */
package io.llavaseg.registry;
