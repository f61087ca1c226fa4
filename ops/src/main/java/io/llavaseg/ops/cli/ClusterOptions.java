package io.llavaseg.ops.cli;

import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --bootstrap-servers} and {@code --schema-registry-url}, for commands that start an
 * embedded broker and registry on 127.0.0.1 unless they are told to use an existing cluster.
 */
public final class ClusterOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
      description = "Use this Kafka cluster instead of starting a broker on 127.0.0.1.")
  String bootstrapServers;

  @Option(names = "--schema-registry-url", paramLabel = "URL",
      description = "Use this Confluent-compatible schema registry (e.g. http://host:8080/apis/ccompat/v7) "
          + "instead of starting one on 127.0.0.1.")
  String schemaRegistryUrl;

  /** The cluster to use; empty to start an embedded broker. */
  public Optional<String> bootstrapServers() {
    return Optional.ofNullable(bootstrapServers);
  }

  /** The registry to use; empty to start an embedded one. */
  public Optional<String> schemaRegistryUrl() {
    return Optional.ofNullable(schemaRegistryUrl);
  }

  /**
   * For commands that start either both or neither: a given cluster needs its registry.
   *
   * @throws CommandLine.ParameterException (usage error) when only {@code --bootstrap-servers} is given
   */
  public void requireRegistryWithCluster() {
    if (bootstrapServers != null && schemaRegistryUrl == null) {
      throw new CommandLine.ParameterException(mixee.commandLine(),
          "--bootstrap-servers needs --schema-registry-url (the registry of that cluster)");
    }
  }
}
