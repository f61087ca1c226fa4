package io.llavaseg.ops.cli;

import io.llavaseg.topology.Durations;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Converts a duration option with the grammar of the service's properties ({@link
 * Durations#parse(String)}): {@code 250ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 7d}, a
 * plain number of milliseconds, or ISO-8601 ({@code PT10M}). Negative durations are refused.
 *
 * <p>Options that have always taken a plain number of another unit keep it, so that existing
 * command lines mean what they meant: {@link Seconds} reads a plain number (decimals allowed) as
 * seconds, {@link Minutes} as minutes; values with a unit or in ISO-8601 are read as above.
 */
public class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  private static final Pattern PLAIN_DECIMAL = Pattern.compile("\\d+(\\.\\d+)?");

  private final ChronoUnit plainUnit;

  /** Plain numbers are milliseconds, as in {@link Durations#parse(String)}. */
  public DurationConverter() {
    this(ChronoUnit.MILLIS);
  }

  DurationConverter(ChronoUnit plainUnit) {
    this.plainUnit = plainUnit;
  }

  @Override
  public Duration convert(String value) {
    String s = value.strip();
    if (plainUnit != ChronoUnit.MILLIS && PLAIN_DECIMAL.matcher(s).matches()) {
      BigDecimal nanos = new BigDecimal(s).multiply(BigDecimal.valueOf(plainUnit.getDuration().toNanos()))
          .setScale(0, RoundingMode.HALF_UP);
      try {
        return Duration.ofNanos(nanos.longValueExact());
      } catch (ArithmeticException e) {
        throw new CommandLine.TypeConversionException(
            value + " " + plainUnit.toString().toLowerCase(Locale.ROOT) + " is too long a duration");
      }
    }
    try {
      return Durations.parse(s);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(plainUnit == ChronoUnit.MILLIS
          ? e.getMessage()
          : "expected a duration like 30s, 5m, 1h or PT1H, or a plain number of "
              + plainUnit.toString().toLowerCase(Locale.ROOT) + ", got '" + value + "'");
    }
  }

  /** A plain number is seconds ({@code 10} = {@code 10s}); anything else as {@link DurationConverter}. */
  public static final class Seconds extends DurationConverter {
    public Seconds() {
      super(ChronoUnit.SECONDS);
    }
  }

  /** A plain number is minutes ({@code 0.5} = {@code 30s}); anything else as {@link DurationConverter}. */
  public static final class Minutes extends DurationConverter {
    public Minutes() {
      super(ChronoUnit.MINUTES);
    }
  }
}
