package io.llavaseg.model.sam2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LocationGridTest {

  @ParameterizedTest(name = "\"{0}\" -> row {1}, column {2}")
  @CsvSource({
    // the project's own reasoner's nine grid words
    "top left, 0, 0",
    "top, 0, 1",
    "top right, 0, 2",
    "left, 1, 0",
    "center, 1, 1",
    "right, 1, 2",
    "bottom left, 2, 0",
    "bottom, 2, 1",
    "bottom right, 2, 2",
    // real MLLMs' phrasings
    "upper left, 0, 0",
    "Upper-Left corner, 0, 0",
    "in the top left of the image, 0, 0",
    "upper middle, 0, 1",
    "top-center, 0, 1",
    "topmost, 0, 1",
    "right upper corner, 0, 2",
    "middle left, 1, 0",
    "on the left side, 1, 0",
    "leftmost, 1, 0",
    "middle, 1, 1",
    "centre, 1, 1",
    "central, 1, 1",
    "in the middle of the image, 1, 1",
    "center right, 1, 2",
    "far right edge, 1, 2",
    "lower left, 2, 0",
    "lower-left, 2, 0",
    "lower centre, 2, 1",
    "bottom middle, 2, 1",
    "lower right corner, 2, 2",
    "bottom-right, 2, 2",
  })
  void shouldMapGridWordsAndSynonymsToTheirCell(String location, int row, int column) {
    assertEquals(row, LocationGrid.row(location), "row of " + location);
    assertEquals(column, LocationGrid.column(location), "column of " + location);
  }

  @ParameterizedTest(name = "\"{0}\" -> centre")
  @CsvSource(
      value = {
        "''",
        "somewhere",
        "corner",
        "below the cat",
        "above the table",
        "top or bottom",
        "left and right",
        "lefty",
        "copyright",
        "bottomless"
      })
  void shouldReadUnknownOrContradictoryLocationsAsTheCentre(String location) {
    assertArrayEquals(new double[] {0.5, 0.5}, LocationGrid.cellCentre(location), 1e-12);
  }

  @Test
  void shouldReadNullAsTheCentre() {
    assertArrayEquals(new double[] {0.5, 0.5}, LocationGrid.cellCentre(null), 1e-12);
  }

  @Test
  void shouldGiveCellCentresAtOneSixthHalfAndFiveSixths() {
    assertArrayEquals(new double[] {1.0 / 6, 1.0 / 6}, LocationGrid.cellCentre("top left"), 1e-12);
    assertArrayEquals(new double[] {0.5, 5.0 / 6}, LocationGrid.cellCentre("bottom"), 1e-12);
    assertArrayEquals(new double[] {5.0 / 6, 0.5}, LocationGrid.cellCentre("right"), 1e-12);
  }

  @Test
  void shouldGivePixelsInsideTheImage() {
    assertArrayEquals(new int[] {53, 40}, LocationGrid.pixel("top left", 320, 240));
    assertArrayEquals(new int[] {160, 120}, LocationGrid.pixel("middle", 320, 240));
    assertArrayEquals(new int[] {266, 200}, LocationGrid.pixel("lower right corner", 320, 240));
    assertArrayEquals(new int[] {0, 0}, LocationGrid.pixel("top left", 1, 1));
  }
}
