package io.llavaseg.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.topology.model.ModelProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ServiceMain}'s command line and exit codes, without a broker: bad usage and bad
 * configuration exit 2 with one line naming the problem, {@code --print-config} prints the effective
 * configuration (overrides applied, secrets masked) and exits 0 without loading models.
 */
class ServiceMainTest {
  /** Models for the cases that must never start the service. */
  private static final Supplier<ModelProvider> NO_MODELS = () -> {
    throw new AssertionError("the service must not start");
  };

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return ServiceMain.run(args, NO_MODELS, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private Path configFile(String... lines) throws IOException {
    return Files.write(dir.resolve("service.properties"), List.of(lines), StandardCharsets.UTF_8);
  }

  private void assertOneErrorLineContaining(String... parts) {
    List<String> lines = err().lines().toList();
    assertEquals(1, lines.size(), err());
    for (String part : parts) {
      assertTrue(lines.get(0).contains(part), "'" + part + "' in: " + lines.get(0));
    }
    assertEquals("", out());
  }

  @Test
  void shouldExitWithUsageErrorNamingAMissingConfigFile() {
    Path missing = dir.resolve("nope.properties");
    assertEquals(ServiceMain.EXIT_USAGE, run("--config", missing.toString()));
    assertOneErrorLineContaining("cannot read configuration file", missing.toString(), "NoSuchFileException");
  }

  @Test
  void shouldExitWithUsageErrorOnASetWithoutKeyAndValue() throws IOException {
    Path file = configFile("bootstrap.servers=broker:9092");
    assertEquals(ServiceMain.EXIT_USAGE, run("--config", file.toString(), "--set", "llavaseg.stages"));
    assertOneErrorLineContaining("--set needs KEY=VALUE", "llavaseg.stages");
  }

  @Test
  void shouldExitWithUsageErrorOnASetWithAnEmptyKey() throws IOException {
    Path file = configFile("bootstrap.servers=broker:9092");
    assertEquals(ServiceMain.EXIT_USAGE, run("--config", file.toString(), "--set", "=reasoning"));
    assertOneErrorLineContaining("--set needs KEY=VALUE");
  }

  @Test
  void shouldExitWithUsageErrorOnASetWithNoArgumentAfterIt() throws IOException {
    Path file = configFile("bootstrap.servers=broker:9092");
    assertEquals(ServiceMain.EXIT_USAGE, run("--config", file.toString(), "--set"));
    assertOneErrorLineContaining("--set needs KEY=VALUE");
  }

  @Test
  void shouldExitWithUsageErrorWithoutAConfigOrOnAnUnknownArgument() {
    assertEquals(ServiceMain.EXIT_USAGE, run());
    assertOneErrorLineContaining("--config FILE is required");
    err.reset();
    assertEquals(ServiceMain.EXIT_USAGE, run("--config", "x.properties", "--verbose"));
    assertOneErrorLineContaining("unknown argument '--verbose'");
  }

  @Test
  void shouldExitWithUsageErrorNamingTheKeyOfAnInvalidValue() throws IOException {
    Path file = configFile("bootstrap.servers=broker:9092");
    assertEquals(ServiceMain.EXIT_USAGE,
        run("--config", file.toString(), "--set", ServiceConfig.STAGES + "=reasoning,painting"));
    assertOneErrorLineContaining("bad configuration in " + file, ServiceConfig.STAGES, "painting");
  }

  @Test
  void shouldPrintTheEffectiveConfigurationWithOverridesAndMaskedSecretsAndExitZero() throws IOException {
    Path file = configFile(
        "bootstrap.servers=broker:9092",
        "llavaseg.stages=reasoning,segmentation",
        "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required password=\"s3cret\";");
    int code = run("--config", file.toString(), "--set", "llavaseg.stages=reasoning",
        "--set=num.stream.threads=4", "--print-config");
    assertEquals(ServiceMain.EXIT_OK, code, err());
    assertEquals("", err());
    List<String> lines = out().lines().toList();
    assertTrue(lines.contains("bootstrap.servers=broker:9092"), out());
    assertTrue(lines.contains("llavaseg.stages=reasoning"), "the override wins: " + out());
    assertTrue(lines.contains("num.stream.threads=4"), out());
    // defaults and derived values are filled in; a single stage gets its own application.id
    assertTrue(lines.contains("application.id=" + ServiceConfig.DEFAULT_APPLICATION_ID + "-reasoning"), out());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("max.poll.interval.ms=")), out());
    assertTrue(lines.contains("sasl.jaas.config=" + Secrets.MASK), out());
    assertFalse(out().contains("s3cret"), out());
    List<String> keys = lines.stream().map(l -> l.substring(0, l.indexOf('='))).toList();
    assertEquals(keys.stream().sorted().toList(), keys, "sorted by key");
  }

  @Test
  void shouldPrintUsageOnHelpAndExitZero() {
    assertEquals(ServiceMain.EXIT_OK, run("--help"));
    assertTrue(out().startsWith(ServiceMain.USAGE), out());
  }

  @Test
  void shouldParseBothOptionFormsAndLetALaterSetWin() {
    ServiceMain.Arguments a = ServiceMain.parse("--config=/config/service.properties", "--set", "a=1",
        "--set=b=x=y", "--set", "a=2");
    assertEquals(Path.of("/config/service.properties"), a.config());
    assertEquals(Map.of("a", "2", "b", "x=y"), a.overrides());
    assertFalse(a.printConfig());
    assertThrows(ServiceMain.UsageException.class, () -> ServiceMain.parse("--print-config=yes", "--config", "f"));
  }
}
