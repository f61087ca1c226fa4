package io.llavaseg.topology.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image tarball the build writes ({@code jib:buildTar}, {@code
 * topology/target/jib-image.tar}): its layers unpack into a file system with the service and the
 * model folders and nothing that trains, generates data, benchmarks or runs Kafka/registry
 * infrastructure; its base holds glibc and a JRE 17 ({@code ops/image/build-base}); its entrypoint
 * is {@link io.llavaseg.topology.ServiceMain} and, run from those layers with the local JDK standing
 * in for the image's {@code java}, prints its effective configuration with the model store at the
 * image's {@code /models} (no container engine needed; ops' ImageRunIT runs the image in podman).
 * Skipped when the build skips the image ({@code -Djib.skip}, or no base image was built).
 */
class ImageTarballIT {
  private static final Path TARBALL = Path.of("target/jib-image.tar");
  /** Jar name prefixes that must not be in the image's /app/libs. */
  private static final List<String> BANNED_JARS = List.of("llavaseg-model-training", "llavaseg-shapeworld",
      "llavaseg-embedded", "llavaseg-ops", "llavaseg-registry", "kafka_2.13", "kafka-server", "kafka-tools",
      "kafka-storage", "kafka-raft", "kafka-metadata", "kafka-test-common", "kafka-streams-test-utils",
      "scala-library", "junit");

  @TempDir Path root;

  @Test
  void theImagesEntrypointRunsFromItsOwnLayers() throws Exception {
    assumeFalse(Boolean.getBoolean("jib.skip"), "the image is not built with -Djib.skip");
    assertTrue(Files.isRegularFile(TARBALL), "the build wrote " + TARBALL);
    Map<String, byte[]> outer = new HashMap<>();
    try (InputStream in = Files.newInputStream(TARBALL)) {
      Tar.read(in, (name, data) -> outer.put(name, data));
    }
    JsonNode manifest = new ObjectMapper().readTree(outer.get("manifest.json")).get(0);
    JsonNode config = new ObjectMapper().readTree(outer.get(manifest.get("Config").asText()));
    int files = 0;
    List<String> basePaths = new ArrayList<>();
    for (JsonNode layer : manifest.get("Layers")) {
      byte[] blob = outer.get(layer.asText());
      boolean gzip = blob.length > 2 && (blob[0] & 0xff) == 0x1f && (blob[1] & 0xff) == 0x8b;
      try (InputStream in = gzip ? new GZIPInputStream(new java.io.ByteArrayInputStream(blob))
          : new java.io.ByteArrayInputStream(blob)) {
        // the application's files are extracted; of the base's, the names are kept
        files += Tar.extract(in, root, basePaths);
      }
    }
    assertTrue(basePaths.stream().anyMatch(n -> n.matches("(usr/)?lib/[^/]+-linux-gnu/libc\\.so\\.6")),
        "glibc in the base");
    assertTrue(basePaths.stream().anyMatch(n -> n.matches("usr/lib/jvm/java-17-openjdk-[^/]+/bin/java")),
        "a JRE 17 in the base");
    assertTrue(files > 100, "layers hold the application: " + files + " files");
    assertTrue(Files.isRegularFile(root.resolve("models/reasoner/v11/serving.properties")), "reasoner baked in");
    assertTrue(Files.isRegularFile(root.resolve("models/segmenter/v3/segmenter-0000.params")), "segmenter baked in");
    assertTrue(Files.isDirectory(root.resolve("app/libs")) && Files.isDirectory(root.resolve("app/classes")));
    assertTrue(Files.isRegularFile(root.resolve("app/classes/io/llavaseg/topology/ServiceMain.class")));
    assertTrue(Files.isRegularFile(root.resolve("app/resources/log4j2.xml")), "the service's logging config");
    List<String> jars;
    try (var libs = Files.list(root.resolve("app/libs"))) {
      jars = libs.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertTrue(jars.stream().anyMatch(j -> j.startsWith("kafka-streams-")), jars.toString());
    assertTrue(jars.stream().anyMatch(j -> j.startsWith("llavaseg-model-runtime-")), jars.toString());
    List<String> banned = jars.stream().filter(j -> BANNED_JARS.stream().anyMatch(j::startsWith)).toList();
    assertEquals(List.of(), banned, "build and test infrastructure in the image");

    List<String> entrypoint = new ArrayList<>();
    config.at("/config/Entrypoint").forEach(a -> entrypoint.add(a.asText()));
    assertEquals("java", entrypoint.get(0), "the JRE on the base's PATH (/opt/java/bin)");
    List<String> env = new ArrayList<>();
    config.at("/config/Env").forEach(a -> env.add(a.asText()));
    assertTrue(env.stream().anyMatch(e -> e.startsWith("PATH=/opt/java/bin:")), env.toString());
    assertEquals("io.llavaseg.topology.ServiceMain", entrypoint.get(entrypoint.size() - 1), entrypoint.toString());
    assertTrue(config.at("/config/ExposedPorts").has("9464/tcp"), "metrics port exposed");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : entrypoint.subList(1, entrypoint.size())) {
      cmd.add(arg.replace("/app/", root.resolve("app") + "/").replace("=/models", "=" + root.resolve("models")));
    }
    // as the Deployments run it: a mounted properties file and --set overrides
    Path properties = Files.writeString(root.resolve("service.properties"),
        "bootstrap.servers=kafka:9092\nllavaseg.stages=reasoning,segmentation\n", StandardCharsets.UTF_8);
    cmd.addAll(List.of("--config", properties.toString(), "--set", "llavaseg.stages=reasoning", "--print-config"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    List<String> lines = out.lines().toList();
    assertTrue(lines.contains("bootstrap.servers=kafka:9092"), out);
    assertTrue(lines.contains("llavaseg.stages=reasoning"), out);
    assertTrue(lines.contains("llavaseg.model.store=" + root.resolve("models")), "the image's model store: " + out);
  }

  /** A minimal reader of POSIX, pax and GNU tar archives: regular files and links (by name). */
  static final class Tar {
    interface Sink {
      void file(String name, byte[] data) throws IOException;
    }

    /** Extracts the files under app/ and models/; lists the others' names in {@code others}. */
    static int extract(InputStream in, Path root, List<String> others) throws IOException {
      int[] count = {0};
      read(in, (entry, data) -> {
        String name = entry.startsWith("./") ? entry.substring(2) : entry.startsWith("/") ? entry.substring(1) : entry;
        if (!name.startsWith("app/") && !name.startsWith("models/")) {
          others.add(name);
          return;
        }
        if (data == null) {
          return;
        }
        Path target = root.resolve(name.startsWith("/") ? name.substring(1) : name).normalize();
        if (!target.startsWith(root)) {
          throw new IOException("entry outside the root: " + name);
        }
        Files.createDirectories(target.getParent());
        Files.write(target, data);
        count[0]++;
      });
      return count[0];
    }

    static void read(InputStream in, Sink sink) throws IOException {
      byte[] header = new byte[512];
      String longName = null;
      while (true) {
        if (in.readNBytes(header, 0, 512) < 512 || header[0] == 0) {
          return;
        }
        String name = field(header, 0, 100);
        String magic = field(header, 257, 6);
        String prefix = magic.equals("ustar") ? field(header, 345, 155) : "";
        if (!prefix.isEmpty()) {
          name = prefix + "/" + name;
        }
        long size = Long.parseLong(field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
        char type = (char) header[156];
        byte[] data = in.readNBytes((int) size);
        in.skipNBytes((512 - size % 512) % 512);
        if (type == 'L') {
          longName = new String(data, StandardCharsets.UTF_8).replace("\0", "");
          continue;
        }
        if (type == 'x') {
          for (String rec : new String(data, StandardCharsets.UTF_8).split("\n")) {
            int eq = rec.indexOf(" path=");
            if (eq >= 0) {
              longName = rec.substring(eq + 6);
            }
          }
          continue;
        }
        if (longName != null) {
          name = longName;
          longName = null;
        }
        if (type == '0' || type == 0 || type == '2' || type == '1') {
          sink.file(name, type == '0' || type == 0 ? data : null);
        }
      }
    }

    private static String field(byte[] h, int off, int len) {
      int end = off;
      while (end < off + len && h[end] != 0) {
        end++;
      }
      return new String(h, off, end - off, StandardCharsets.US_ASCII);
    }
  }
}
