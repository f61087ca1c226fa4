package io.llavaseg.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.shapeworld.QueryKind;
import io.llavaseg.shapeworld.Split;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.TypeConversionException;

class CliConvertersTest {

  @ParameterizedTest
  @CsvSource({"train, TRAIN", "VAL, VAL", "Test, TEST", "' test ', TEST"})
  void shouldConvertSplitNamesInAnyCase(String value, Split expected) {
    assertEquals(expected, new SplitConverter().convert(value));
  }

  @Test
  void shouldRejectAnUnknownSplitListingTheValidOnes() {
    TypeConversionException e = assertThrows(TypeConversionException.class, () -> new SplitConverter().convert("testing"));
    assertEquals("expected one of train, val, test (any case), got 'testing'", e.getMessage());
  }

  @Test
  void shouldConvertQueryKindsInAnyCaseAndListThemOnError() {
    assertEquals(QueryKind.DIALOGUE, new QueryKindConverter().convert("Dialogue"));
    TypeConversionException e = assertThrows(TypeConversionException.class, () -> new QueryKindConverter().convert("chat"));
    assertTrue(e.getMessage().contains("phrase, question, reasoning"), e.getMessage());
    assertTrue(e.getMessage().endsWith("got 'chat'"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({
    "250ms, PT0.25S",
    "30s, PT30S",
    "10m, PT10M",
    "2h, PT2H",
    "7d, PT168H",
    "60000, PT1M",
    "PT10M, PT10M",
    "pt0.05s, PT0.05S",
    "0, PT0S"
  })
  void shouldConvertEveryDurationFormOfTheServiceProperties(String value, Duration expected) {
    assertEquals(expected, new DurationConverter().convert(value));
  }

  @ParameterizedTest
  @CsvSource({"ten minutes", "-5s", "PT-1S", "1.5s", "''"})
  void shouldRejectWhatIsNotADuration(String value) {
    TypeConversionException e = assertThrows(TypeConversionException.class, () -> new DurationConverter().convert(value));
    assertTrue(e.getMessage().startsWith("expected a duration like 30s"), e.getMessage());
    assertTrue(e.getMessage().contains("'" + value + "'"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"10, PT10S", "1.5, PT1.5S", "250ms, PT0.25S", "2m, PT2M", "PT1H, PT1H"})
  void shouldReadAPlainNumberAsSecondsWhereTheOptionAlwaysTookSeconds(String value, Duration expected) {
    assertEquals(expected, new DurationConverter.Seconds().convert(value));
  }

  @ParameterizedTest
  @CsvSource({"3, PT3M", "0.5, PT30S", "90s, PT1M30S", "PT4M, PT4M"})
  void shouldReadAPlainNumberAsMinutesWhereTheOptionAlwaysTookMinutes(String value, Duration expected) {
    assertEquals(expected, new DurationConverter.Minutes().convert(value));
  }

  @Test
  void shouldNameThePlainUnitWhenAPlainNumberOptionGetsGarbage() {
    TypeConversionException e =
        assertThrows(TypeConversionException.class, () -> new DurationConverter.Seconds().convert("soon"));
    assertEquals("expected a duration like 30s, 5m, 1h or PT1H, or a plain number of seconds, got 'soon'", e.getMessage());
  }
}
