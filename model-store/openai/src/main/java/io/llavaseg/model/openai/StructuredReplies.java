package io.llavaseg.model.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llavaseg.model.ReplyFormat;
import java.io.IOException;
import java.util.Locale;

/**
 * Structured replies for the target and attributes steps: the {@code response_format} asking for a
 * JSON object of a fixed schema (OpenAI's {@code json_schema}, which vLLM and llama.cpp's server
 * enforce by guided decoding), and the way back from that JSON to the lines the reply parser reads,
 * so that parsing stays in one place ({@code ReplyStyle}).
 *
 * <pre>
 * target:     {"target": "the red car" | null}                     -> "the red car" | "none"
 * attributes: {"color": "red", "shape": "car", "size": "large",
 *              "location": "bottom left", "box": [0.1, 0.5, 0.4, 0.9] | null}
 *             -> "color: red; shape: car; size: large; location: bottom left; box: [0.1, 0.5, 0.4, 0.9]"
 * </pre>
 */
final class StructuredReplies {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] ATTRIBUTES = {"color", "shape", "size", "location"};

  private StructuredReplies() {}

  /** The {@code response_format} for a step's reply. */
  static ObjectNode responseFormat(ReplyFormat format) {
    ObjectNode schema = JSON.createObjectNode();
    schema.put("type", "object");
    ObjectNode props = schema.putObject("properties");
    if (format == ReplyFormat.TARGET) {
      ObjectNode target = props.putObject("target");
      target.putArray("type").add("string").add("null");
      target.put("description", "A short description of the one object the question is about, like 'the red car';"
          + " null if the image has none.");
      schema.putArray("required").add("target");
    } else {
      for (String a : ATTRIBUTES) {
        props.putObject(a).put("type", "string");
      }
      ObjectNode box = props.putObject("box");
      box.putArray("type").add("array").add("null");
      box.putObject("items").put("type", "number");
      box.put("minItems", 4).put("maxItems", 4);
      box.put("description", "[x0, y0, x1, y1], the bounding box with coordinates between 0 and 1");
      var required = schema.putArray("required");
      for (String a : ATTRIBUTES) {
        required.add(a);
      }
      required.add("box");
    }
    schema.put("additionalProperties", false);
    ObjectNode rf = JSON.createObjectNode();
    rf.put("type", "json_schema");
    ObjectNode js = rf.putObject("json_schema");
    js.put("name", format.name().toLowerCase(Locale.ROOT));
    js.put("strict", true);
    js.set("schema", schema);
    return rf;
  }

  /** The reply as the parser's lines; a reply that is not such a JSON object is returned unchanged. */
  static String toText(ReplyFormat format, String reply) {
    JsonNode json;
    try {
      json = JSON.readTree(reply.strip());
    } catch (IOException | RuntimeException e) {
      return reply;
    }
    if (json == null || !json.isObject()) {
      return reply;
    }
    if (format == ReplyFormat.TARGET) {
      JsonNode t = json.path("target");
      if (!json.has("target")) {
        return reply;
      }
      return t.isTextual() && !t.asText().isBlank() ? t.asText() : "none";
    }
    StringBuilder line = new StringBuilder();
    for (String a : ATTRIBUTES) {
      JsonNode v = json.path(a);
      if (v.isTextual() && !v.asText().isBlank()) {
        line.append(line.isEmpty() ? "" : "; ").append(a).append(": ").append(v.asText().replace(';', ','));
      }
    }
    JsonNode box = json.path("box");
    if (box.isArray() && box.size() == 4) {
      line.append(line.isEmpty() ? "" : "; ").append("box: [");
      for (int i = 0; i < 4; i++) {
        line.append(i > 0 ? ", " : "").append(box.get(i).asDouble());
      }
      line.append("]");
    }
    return line.isEmpty() ? reply : line.toString();
  }
}
