package io.llavaseg.topology.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * target/jib-image.tar}): its layers unpack into a file system with the application and the model
 * folders, and its entrypoint, run from those layers with the local JDK standing in for the image's
 * {@code /opt/java}, answers {@code --help} (no Docker engine needed).
 */
class ImageTarballIT {
  private static final Path TARBALL = Path.of("target/jib-image.tar");

  @TempDir Path root;

  @Test
  void theImagesEntrypointRunsFromItsOwnLayers() throws Exception {
    assertTrue(Files.isRegularFile(TARBALL), "the build wrote " + TARBALL);
    Map<String, byte[]> outer = new HashMap<>();
    try (InputStream in = Files.newInputStream(TARBALL)) {
      Tar.read(in, (name, data) -> outer.put(name, data));
    }
    JsonNode manifest = new ObjectMapper().readTree(outer.get("manifest.json")).get(0);
    JsonNode config = new ObjectMapper().readTree(outer.get(manifest.get("Config").asText()));
    int files = 0;
    for (JsonNode layer : manifest.get("Layers")) {
      try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(outer.get(layer.asText())))) {
        files += Tar.extract(in, root);
      }
    }
    assertTrue(files > 100, "layers hold the application: " + files + " files");
    assertTrue(Files.isRegularFile(root.resolve("models/reasoner/v7/serving.properties")), "reasoner baked in");
    assertTrue(Files.isRegularFile(root.resolve("models/segmenter/v1/segmenter-0000.params")), "segmenter baked in");
    assertTrue(Files.isDirectory(root.resolve("app/libs")) && Files.isDirectory(root.resolve("app/classes")));

    List<String> entrypoint = new ArrayList<>();
    config.at("/config/Entrypoint").forEach(a -> entrypoint.add(a.asText()));
    assertEquals("/opt/java/bin/java", entrypoint.get(0));
    assertTrue(entrypoint.contains("io.llavaseg.ops.Main"), entrypoint.toString());
    assertTrue(config.at("/config/ExposedPorts").has("9464/tcp"), "metrics port exposed");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : entrypoint.subList(1, entrypoint.size())) {
      cmd.add(arg.replace("/app/", root.resolve("app") + "/").replace("=/models", "=" + root.resolve("models")));
    }
    cmd.add("--help");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("Reasoning segmentation") && out.contains("demo") && out.contains("run"), out);
  }

  /** A minimal reader of POSIX/pax tar archives: regular files and directories. */
  static final class Tar {
    interface Sink {
      void file(String name, byte[] data) throws IOException;
    }

    static int extract(InputStream in, Path root) throws IOException {
      int[] count = {0};
      read(in, (name, data) -> {
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
        String prefix = field(header, 345, 155);
        if (!prefix.isEmpty()) {
          name = prefix + "/" + name;
        }
        long size = Long.parseLong(field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
        char type = (char) header[156];
        byte[] data = in.readNBytes((int) size);
        in.skipNBytes((512 - size % 512) % 512);
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
        if (type == '0' || type == 0) {
          sink.file(name, data);
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
