package io.llavaseg.ops.cli;

import io.llavaseg.training.segmenter.MaskRaster;
import picocli.CommandLine;

/** {@code --masks lisa|pixel-centres}, for the commands that train or score a segmenter. */
public final class MaskRasterConverter implements CommandLine.ITypeConverter<MaskRaster> {
  @Override
  public MaskRaster convert(String value) {
    try {
      return MaskRaster.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException("--masks takes lisa or pixel-centres, not " + value);
    }
  }
}
