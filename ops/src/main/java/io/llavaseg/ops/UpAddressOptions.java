package io.llavaseg.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --bootstrap-servers}, {@code --schema-registry-url} and {@code --dir}, for commands that talk
 * to a running service: the addresses default to those {@code ops/llavaseg up} wrote in {@code
 * DIR/up.properties}.
 */
public final class UpAddressOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
      description = "The service's Kafka cluster (default: bootstrap.servers of DIR/up.properties).")
  String bootstrapServers;

  @Option(names = "--schema-registry-url", paramLabel = "URL",
      description = "Its schema registry (default: schema.registry.url of DIR/up.properties).")
  String registryUrl;

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = UpCommand.DEFAULT_DIR,
      description = "The state directory of `up`, read when the addresses are not given (default ${DEFAULT-VALUE}).")
  Path dir;

  /** The two addresses, given or read from {@code DIR/up.properties}. */
  public record Addresses(String bootstrapServers, String registryUrl) {}

  /**
   * @throws CommandLine.ParameterException (usage error) when an address is missing and {@code up}
   *     wrote none
   */
  public Addresses resolve() throws IOException {
    if (bootstrapServers != null && registryUrl != null) {
      return new Addresses(bootstrapServers, registryUrl);
    }
    Path file = dir.resolve(UpState.ADDRESSES);
    if (!Files.isRegularFile(file)) {
      throw new CommandLine.ParameterException(mixee.commandLine(),
          "give --bootstrap-servers and --schema-registry-url, or start a local pair with `ops/llavaseg up` ("
              + file + " not found)");
    }
    Properties up = new Properties();
    try (var r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      up.load(r);
    }
    return new Addresses(bootstrapServers != null ? bootstrapServers : up.getProperty("bootstrap.servers"),
        registryUrl != null ? registryUrl : up.getProperty("schema.registry.url"));
  }
}
