package io.llavaseg.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.llavaseg.schemas.registry.RegistryConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed {@code docs/configuration.md} is what {@link ConfigReference} generates from the
 * definitions; with {@code -Dllavaseg.docs.regenerate=true} the test rewrites it instead.
 */
class ConfigReferenceTest {

  /** The repository root: the parent of this module's directory (surefire's working directory). */
  private static final Path COMMITTED = Path.of("").toAbsolutePath().getParent().resolve(ConfigReference.FILE);

  @Test
  void shouldMatchTheCommittedReference() throws IOException {
    String generated = ConfigReference.markdown();
    if (Boolean.getBoolean(ConfigReference.REGENERATE_PROPERTY)) {
      Files.writeString(COMMITTED, generated, StandardCharsets.UTF_8);
      System.out.println("ConfigReferenceTest: wrote " + COMMITTED);
      return;
    }
    if (!Files.exists(COMMITTED)) {
      fail(COMMITTED + " is missing; generate it with: " + ConfigReference.REGENERATE_COMMAND);
    }
    String committed = Files.readString(COMMITTED, StandardCharsets.UTF_8);
    if (!committed.equals(generated)) {
      fail(COMMITTED + " differs from the configuration definitions (first difference at line "
          + firstDifferentLine(committed, generated) + "); regenerate it with: " + ConfigReference.REGENERATE_COMMAND);
    }
  }

  @Test
  void shouldListEveryDefinedKeyOnce() {
    String md = ConfigReference.markdown();
    for (String key : ServiceConfig.CONFIG_DEF.names()) {
      assertEquals(1, count(md, "| `" + key + "` |"), key);
    }
    String registrySection = md.substring(md.indexOf("## Schema registry client"));
    for (String key : RegistryConfig.CONFIG_DEF.names()) {
      assertEquals(1, count(registrySection, "| `" + key + "` |"), key);
    }
    for (String key : ServiceConfig.KAFKA_DEFAULTS.keySet()) {
      assertEquals(1, count(md, "| `" + key + "` | `" + ServiceConfig.KAFKA_DEFAULTS.get(key) + "` |"), key);
    }
  }

  @Test
  void shouldDocumentTheModelStoreFallbackWhateverTheSystemProperty() {
    String md = ConfigReference.markdown();
    assertTrue(md.contains("| `llavaseg.model.store` | string | `model-store` |"), "deterministic default");
    assertTrue(md.contains("| `llavaseg.dedup.window` | duration | `1h` |"), "durations typed as such");
    assertTrue(md.contains("| `schema.registry.url` | list | (required) |"), "registry table");
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  private static int firstDifferentLine(String a, String b) {
    String[] x = a.split("\n", -1);
    String[] y = b.split("\n", -1);
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      if (!x[i].equals(y[i])) {
        return i + 1;
      }
    }
    return Math.min(x.length, y.length) + 1;
  }
}
