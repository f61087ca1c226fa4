package io.llavaseg.ops.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * One OpenAI-style chat request as the project's reasoner can answer it: a single user turn (system
 * messages are ignored) of text parts and exactly one image, given as a {@code data:image/...;base64}
 * URL. What it cannot answer (no image, two images, an http URL it would have to fetch, an earlier
 * assistant turn, streaming) is refused with a {@link BadRequest} saying why.
 */
record ChatRequest(String model, String text, BufferedImage image) {
  private static final Pattern DATA_URL = Pattern.compile("data:image/[a-z0-9.+-]+;base64,(.*)", Pattern.DOTALL);

  /** A request the server refuses, with the OpenAI error type and HTTP status to answer. */
  static final class BadRequest extends Exception {
    final int status;
    final String type;

    BadRequest(int status, String type, String message) {
      super(message);
      this.status = status;
      this.type = type;
    }

    BadRequest(String message) {
      this(400, "invalid_request_error", message);
    }
  }

  static ChatRequest parse(JsonNode body) throws BadRequest {
    if (!body.isObject()) {
      throw new BadRequest("the body must be a JSON object");
    }
    if (body.path("stream").asBoolean(false)) {
      throw new BadRequest("stream=true is not supported: ask without streaming");
    }
    JsonNode messages = body.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      throw new BadRequest("messages must be a non-empty array");
    }
    JsonNode user = null;
    for (JsonNode m : messages) {
      String role = m.path("role").asText("");
      switch (role) {
        case "system" -> { }
        case "user" -> {
          if (user != null) {
            throw new BadRequest("one user message only: the model answers single-turn prompts about one image");
          }
          user = m;
        }
        default -> throw new BadRequest("unsupported message role '" + role + "': single-turn user prompts only");
      }
    }
    if (user == null) {
      throw new BadRequest("no user message");
    }
    StringBuilder text = new StringBuilder();
    BufferedImage image = null;
    JsonNode content = user.path("content");
    if (content.isTextual()) {
      text.append(content.asText());
    } else if (content.isArray()) {
      for (JsonNode part : content) {
        String type = part.path("type").asText("");
        if (type.equals("text")) {
          text.append(text.isEmpty() ? "" : " ").append(part.path("text").asText(""));
        } else if (type.equals("image_url")) {
          if (image != null) {
            throw new BadRequest("one image per request");
          }
          JsonNode url = part.path("image_url");
          image = decode(url.isTextual() ? url.asText() : url.path("url").asText(""));
        } else {
          throw new BadRequest("unsupported content part type '" + type + "'");
        }
      }
    } else {
      throw new BadRequest("message content must be a string or an array of parts");
    }
    if (image == null) {
      throw new BadRequest("an image_url content part is required: the model answers questions about an image");
    }
    if (text.toString().isBlank()) {
      throw new BadRequest("a text content part is required");
    }
    return new ChatRequest(body.path("model").asText(""), text.toString().strip(), image);
  }

  private static BufferedImage decode(String url) throws BadRequest {
    Matcher m = DATA_URL.matcher(url);
    if (!m.matches()) {
      throw new BadRequest("image_url must be a data:image/...;base64 URL (the server fetches nothing), got '"
          + (url.length() > 40 ? url.substring(0, 40) + "..." : url) + "'");
    }
    try {
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getMimeDecoder().decode(m.group(1))));
      if (img == null) {
        throw new BadRequest("the image_url data is not an image this server can read (PNG, JPEG, BMP, GIF)");
      }
      return img;
    } catch (IllegalArgumentException | IOException e) {
      throw new BadRequest("the image_url data is not valid base64 image data: " + e.getMessage());
    }
  }
}
