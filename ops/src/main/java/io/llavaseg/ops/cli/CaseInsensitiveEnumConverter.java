package io.llavaseg.ops.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * Converts an option value to a constant of {@code E} by name, ignoring case and surrounding
 * blanks; an unknown value fails with a message listing the valid values in lower case.
 */
abstract class CaseInsensitiveEnumConverter<E extends Enum<E>> implements CommandLine.ITypeConverter<E> {
  private final Class<E> type;

  CaseInsensitiveEnumConverter(Class<E> type) {
    this.type = type;
  }

  @Override
  public E convert(String value) {
    String name = value.strip().toUpperCase(Locale.ROOT);
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    throw new CommandLine.TypeConversionException(
        "expected one of " + validValues() + " (any case), got '" + value + "'");
  }

  /** The valid values, lower case, comma-separated. */
  String validValues() {
    return Arrays.stream(type.getEnumConstants())
        .map(e -> e.name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(", "));
  }
}
