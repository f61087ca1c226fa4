package io.llavaseg.topology.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MallocSettingsTest {

  @Test
  void linuxWithoutTheVariablesIsWarnedWithWhatToSet() {
    String warning = MallocSettings.warning("Linux", Map.of("PATH", "/usr/bin")).orElseThrow();
    assertTrue(warning.contains("MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=4294967296"), warning);
  }

  @Test
  void onlyTheMissingVariableIsNamed() {
    String warning = MallocSettings.warning("Linux", Map.of(MallocSettings.MMAP_THRESHOLD, "1048576")).orElseThrow();
    assertTrue(warning.contains("with MALLOC_TRIM_THRESHOLD_=4294967296 in"), warning);
  }

  @Test
  void bothSetOrAnotherSystemIsNotWarned() {
    assertTrue(MallocSettings.warning("Linux", MallocSettings.RECOMMENDED).isEmpty());
    assertTrue(MallocSettings.warning("Mac OS X", Map.of()).isEmpty());
  }

  @Test
  void theEnvironmentsValuesAreReportedAsSet() {
    assertEquals(Map.of(MallocSettings.TRIM_THRESHOLD, "0"),
        MallocSettings.of(Map.of(MallocSettings.TRIM_THRESHOLD, "0", "HOME", "/root")));
  }
}
