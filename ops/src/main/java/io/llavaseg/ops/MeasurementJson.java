package io.llavaseg.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a command's measurement as indented JSON, headed by when and where it was measured (date,
 * host, OS, architecture, cores, Java, intra-op threads), so that a figure quoted in a card or the
 * README carries its provenance. The fields after the header are the command's own.
 */
final class MeasurementJson {

  private MeasurementJson() {}

  /** Writes {@code fields} after the header to {@code file}, creating its folder. */
  static void write(Path file, Map<String, ?> fields) throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("measured", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    out.put("machine", machine());
    out.putAll(fields);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), out);
  }

  private static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    try {
      m.put("host", InetAddress.getLocalHost().getHostName());
    } catch (IOException e) {
      m.put("host", "unknown");
    }
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("java", System.getProperty("java.version"));
    m.put("threads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
    return m;
  }
}
