/**
 * Embedded infrastructure for integration tests, fault drills and the {@code ops/llavaseg} command
 * line, each started as child JVMs on loopback and stopped on {@code close()} or JVM exit: a
 * single-node KRaft Kafka broker ({@link io.llavaseg.embedded.KafkaBrokerProcess}, optionally
 * SASL_SSL with {@link io.llavaseg.embedded.BrokerSecurity}), a multi-node KRaft cluster ({@link
 * io.llavaseg.embedded.KafkaClusterProcess}), and the Apicurio schema registry built by {@code
 * ops/registry} ({@link io.llavaseg.embedded.RegistryLauncher}); {@link
 * io.llavaseg.embedded.FreePorts} picks their ports.
 *
 * <p>Not for production: one machine, loopback only. The service never depends on this package at
 * compile or runtime scope ({@code topology}'s enforcer rule bans it; {@code schemas} and {@code
 * topology} use it in tests only). The service itself, in a child JVM for drills, is {@code
 * io.llavaseg.ops.ServiceProcess} in {@code ops}.
 */
package io.llavaseg.embedded;
