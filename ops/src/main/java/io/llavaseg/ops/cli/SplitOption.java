package io.llavaseg.ops.cli;

import io.llavaseg.shapeworld.Split;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --split}: a ShapeWorld split by name, i.e. its fixed seed. */
public final class SplitOption {
  @Option(names = "--split", paramLabel = "SPLIT", converter = SplitConverter.class,
      description = "ShapeWorld split, i.e. its fixed seed: train (1000003), val (2000029) or test (3000017), "
          + "any case. Default: test, unless --seed is given; generate needs one of the two.")
  Split split;

  /** The split given on the command line, if any. */
  public Optional<Split> split() {
    return Optional.ofNullable(split);
  }

  /** The split given on the command line, else {@code fallback}. */
  public Split orElse(Split fallback) {
    return split != null ? split : fallback;
  }
}
