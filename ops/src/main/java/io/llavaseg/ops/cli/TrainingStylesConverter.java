package io.llavaseg.ops.cli;

import io.llavaseg.shapeworld.TrainingStyles;
import picocli.CommandLine;

/**
 * A comma-separated list of rendering styles for a trainer ({@code classic,blur}, or {@code
 * training} for every training style) to its {@link TrainingStyles}; a held-out or unknown style
 * is refused with the reason.
 */
public final class TrainingStylesConverter implements CommandLine.ITypeConverter<TrainingStyles> {
  /** The option's help text, shared by the trainers. */
  public static final String DESCRIPTION = "Rendering styles of the training samples, comma-separated (each sample "
      + "draws one), or 'training' for every training style; held-out styles are refused "
      + "('ops/llavaseg generate --style list'). Default: ${DEFAULT-VALUE}.";

  @Override
  public TrainingStyles convert(String value) {
    try {
      return TrainingStyles.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
