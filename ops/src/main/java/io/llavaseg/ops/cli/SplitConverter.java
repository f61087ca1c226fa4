package io.llavaseg.ops.cli;

import io.llavaseg.shapeworld.Split;

/** {@code train}, {@code val} or {@code test}, any case, to the ShapeWorld {@link Split}. */
public final class SplitConverter extends CaseInsensitiveEnumConverter<Split> {
  public SplitConverter() {
    super(Split.class);
  }
}
