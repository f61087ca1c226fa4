package io.llavaseg.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Test;

/** The service's log configuration (main log4j2.xml) writes one JSON object per line when asked to. */
class JsonLogLayoutTest {

  private static String logWith(String format) throws Exception {
    PrintStream stderr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    if (format != null) {
      System.setProperty("llavaseg.log.format", format);
    }
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (LoggerContext ctx = Configurator.initialize("json-log-test-" + format, null,
        JsonLogLayoutTest.class.getResource("/log4j2.xml").toURI())) {
      ctx.getLogger("io.llavaseg.topology.LlavasegService").warn("model {} unavailable", "reasoner");
    } finally {
      System.setErr(stderr);
      System.clearProperty("llavaseg.log.format");
    }
    return captured.toString(StandardCharsets.UTF_8).strip();
  }

  @Test
  void shouldWriteOneEcsJsonObjectPerLineWhenTheFormatIsJson() throws Exception {
    String line = logWith("json");
    assertEquals(1, line.lines().count(), line);
    JsonNode event = new ObjectMapper().readTree(line);
    assertEquals("model reasoner unavailable", event.get("message").asText());
    assertEquals("WARN", event.get("log.level").asText());
    assertEquals("io.llavaseg.topology.LlavasegService", event.get("log.logger").asText());
    assertTrue(event.has("@timestamp"), line);
  }

  @Test
  void shouldWriteTextByDefault() throws Exception {
    String line = logWith(null);
    assertTrue(line.endsWith("WARN  LlavasegService - model reasoner unavailable"), line);
  }
}
