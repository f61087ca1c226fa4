package io.llavaseg.ops.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --json FILE}: where a command also writes its measurement as JSON. */
public final class OutputOptions {
  @Option(names = "--json", paramLabel = "FILE",
      description = "Write the results as JSON to FILE (its folder is created).")
  Path json;

  /** The JSON file asked for, if any. */
  public Optional<Path> json() {
    return Optional.ofNullable(json);
  }
}
