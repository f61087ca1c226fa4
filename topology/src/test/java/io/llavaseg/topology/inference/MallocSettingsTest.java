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
  void theLauncherAndTheBuildSetTheRecommendedValues() throws java.io.IOException {
    java.nio.file.Path root = java.nio.file.Path.of("").toAbsolutePath().getParent();
    String launcher = java.nio.file.Files.readString(root.resolve("ops/llavaseg"));
    String pom = java.nio.file.Files.readString(root.resolve("pom.xml"));
    java.util.Map<String, String> pomProperty = java.util.Map.of(MallocSettings.MMAP_THRESHOLD,
        "llavaseg.malloc.mmap-threshold", MallocSettings.TRIM_THRESHOLD, "llavaseg.malloc.trim-threshold");
    MallocSettings.RECOMMENDED.forEach((key, value) -> {
      assertTrue(launcher.contains(key + ":-" + value + "}"), "ops/llavaseg's default of " + key);
      String property = pomProperty.get(key);
      assertTrue(pom.contains("<" + property + ">" + value + "</" + property + ">"), "the parent pom's " + property);
    });
    // this test run is started by the build with them
    assertEquals(MallocSettings.RECOMMENDED, MallocSettings.current());
  }

  @Test
  void theEnvironmentsValuesAreReportedAsSet() {
    assertEquals(Map.of(MallocSettings.TRIM_THRESHOLD, "0"),
        MallocSettings.of(Map.of(MallocSettings.TRIM_THRESHOLD, "0", "HOME", "/root")));
  }
}
