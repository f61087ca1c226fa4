package io.llavaseg.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's jar discovery and failure reporting, without a real registry (see the ITs). */
class RegistryLauncherTest {
  @TempDir Path root;

  @Test
  void shouldFindTheRunnerJarUnderTheProjectRoot() throws Exception {
    Path target = Files.createDirectories(root.resolve("ops/registry/target"));
    Files.writeString(target.resolve("llavaseg-registry-0.1.0-SNAPSHOT.jar"), "not the runner");
    Path runner = Files.writeString(target.resolve("llavaseg-registry-0.1.0-SNAPSHOT-runner.jar"), "");
    assertEquals(runner.toAbsolutePath(), RegistryLauncher.findRunnerJar(root));
  }

  @Test
  void shouldSayHowToBuildTheRegistryWhenTheJarIsMissing() throws Exception {
    Files.createDirectories(root.resolve("ops/registry"));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> RegistryLauncher.builder().projectRoot(root).start());
    assertTrue(e.getMessage().contains("mvn -o -q package -pl ops/registry"), e.getMessage());
  }

  @Test
  void shouldReportAProcessThatExitsEarlyWithTheEndOfItsLog() throws Exception {
    Path bogus = Files.writeString(root.resolve("bogus-runner.jar"), "this is not a jar");
    Path log = root.resolve("logs/registry.log");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> RegistryLauncher.builder().jar(bogus).logFile(log)
            .startupTimeout(Duration.ofSeconds(60)).start());
    assertTrue(e.getMessage().contains("exited with code"), e.getMessage());
    assertTrue(e.getMessage().toLowerCase().contains("jar"), e.getMessage());
    assertTrue(Files.exists(log));
  }

  @Test
  void shouldFindTheRealProjectRootFromTheModuleDirectory() {
    Path found = RegistryLauncher.findRoot();
    assertTrue(Files.isDirectory(found.resolve("ops/registry")), found.toString());
  }
}
