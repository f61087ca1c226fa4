package io.llavaseg.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llavaseg.shapeworld.QueryKind;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads a ReasonSeg-format folder (LISA's layout): for each sample {@code NAME.jpg} (or {@code
 * .jpeg}/{@code .png}) and {@code NAME.json} with {@code "text"} (a list of strings, or one
 * string), {@code "is_sentence"} (boolean, or LISA's "yes"/"no") and {@code "shapes"} (a list of
 * {@code {"label", "points"}}). ShapeWorld's extra keys {@code kind}, {@code answer}, {@code
 * target}, {@code attributes} are read when present; every other key is ignored. JSON is read as
 * UTF-8, falling back to windows-1252 like LISA's loader.
 *
 * <p>Polygon points may lie up to {@link #SLACK_PX} pixels outside the image (annotation tools
 * put outline points on the border); further out is an error unless {@code clipOutOfBounds}, in
 * which case the fill is simply clipped, as OpenCV does. A polygon needs at least 3 points.
 *
 * <p>Listing is lazy and cheap; {@link #read(String)} reads one sample, so a bad sample fails
 * alone.
 */
public final class ReasonSegDataset {
  public static final double SLACK_PX = 1.0;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".JPG", ".JPEG", ".PNG"};

  private final Path dir;
  private final boolean clipOutOfBounds;

  public ReasonSegDataset(Path dir) {
    this(dir, false);
  }

  public ReasonSegDataset(Path dir, boolean clipOutOfBounds) {
    this.dir = dir;
    this.clipOutOfBounds = clipOutOfBounds;
  }

  public Path dir() {
    return dir;
  }

  /**
   * The sample names (file stems) of every JSON or image file in the folder, sorted. A name with
   * only one of the two files is listed; reading it reports what is missing.
   */
  public List<String> names() throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + ": not a directory");
    }
    TreeSet<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(Files::isRegularFile).forEach(f -> stem(f.getFileName().toString(), names));
    }
    return List.copyOf(names);
  }

  private static void stem(String file, TreeSet<String> names) {
    if (file.endsWith(".json")) {
      names.add(file.substring(0, file.length() - 5));
      return;
    }
    for (String ext : IMAGE_EXTENSIONS) {
      if (file.endsWith(ext)) {
        names.add(file.substring(0, file.length() - ext.length()));
        return;
      }
    }
  }

  /** Reads and validates one sample. */
  public DatasetSample read(String name) throws DatasetException {
    Path json = dir.resolve(name + ".json");
    Path imageFile = imageFile(name);
    if (!Files.isRegularFile(json)) {
      throw new DatasetException(json, "missing annotation JSON" + (imageFile != null ? " for image " + imageFile.getFileName() : ""));
    }
    if (imageFile == null) {
      throw new DatasetException(dir.resolve(name + ".jpg"), "missing image for " + json.getFileName());
    }
    JsonNode root = parse(json);
    BufferedImage image;
    try {
      image = ImageIO.read(imageFile.toFile());
    } catch (IOException | RuntimeException e) {
      throw new DatasetException(imageFile, "image does not decode: " + e.getMessage(), e);
    }
    if (image == null) {
      throw new DatasetException(imageFile, "image does not decode (unknown or corrupt format)");
    }
    List<String> texts = texts(json, root);
    boolean isSentence = isSentence(json, root);
    List<LabeledPolygon> shapes = shapes(json, root, image.getWidth(), image.getHeight());
    QueryKind kind = null;
    if (root.hasNonNull("kind")) {
      try {
        kind = QueryKind.valueOf(root.get("kind").asText().strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        kind = null; // another dataset's "kind": not ours, ignored like any unknown key
      }
    }
    return new DatasetSample(name, imageFile, json, image, texts, isSentence, shapes, kind,
        text(root, "answer"), text(root, "target"), text(root, "attributes"));
  }

  private Path imageFile(String name) {
    for (String ext : IMAGE_EXTENSIONS) {
      Path p = dir.resolve(name + ext);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  private static JsonNode parse(Path json) throws DatasetException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(json);
    } catch (IOException e) {
      throw new DatasetException(json, "cannot read: " + e.getMessage(), e);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      text = new String(bytes, Charset.forName("windows-1252"));
    }
    try {
      JsonNode root = JSON.readTree(text);
      if (root == null || !root.isObject()) {
        throw new DatasetException(json, "malformed JSON: not an object");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new DatasetException(json, "malformed JSON: " + e.getOriginalMessage()
          + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() : ""), e);
    }
  }

  private static List<String> texts(Path json, JsonNode root) throws DatasetException {
    JsonNode t = root.get("text");
    List<String> texts = new ArrayList<>();
    if (t != null && t.isTextual()) {
      texts.add(t.asText());
    } else if (t != null && t.isArray()) {
      for (JsonNode e : t) {
        if (!e.isTextual()) {
          throw new DatasetException(json, "\"text\" must hold strings, found " + e.getNodeType());
        }
        texts.add(e.asText());
      }
    } else {
      throw new DatasetException(json, "missing \"text\" (a list of query strings)");
    }
    if (texts.isEmpty()) {
      throw new DatasetException(json, "\"text\" is empty");
    }
    return texts;
  }

  private static boolean isSentence(Path json, JsonNode root) throws DatasetException {
    JsonNode s = root.get("is_sentence");
    if (s == null || s.isNull()) {
      return false;
    }
    if (s.isBoolean()) {
      return s.asBoolean();
    }
    String v = s.asText().strip().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "yes", "true", "1" -> true;
      case "no", "false", "0" -> false;
      default -> throw new DatasetException(json, "\"is_sentence\" must be a boolean, got " + s);
    };
  }

  private List<LabeledPolygon> shapes(Path json, JsonNode root, int width, int height) throws DatasetException {
    JsonNode shapes = root.get("shapes");
    if (shapes == null || !shapes.isArray()) {
      throw new DatasetException(json, "missing \"shapes\" (a list of {label, points})");
    }
    List<LabeledPolygon> out = new ArrayList<>();
    int i = 0;
    for (JsonNode s : shapes) {
      String where = "shape " + i++;
      JsonNode label = s.get("label");
      if (label == null || !label.isTextual()) {
        throw new DatasetException(json, where + ": missing \"label\"");
      }
      where += " (\"" + label.asText() + "\")";
      JsonNode points = s.get("points");
      if (points == null || !points.isArray()) {
        throw new DatasetException(json, where + ": missing \"points\"");
      }
      double[][] pts = new double[points.size()][];
      for (int k = 0; k < pts.length; k++) {
        JsonNode p = points.get(k);
        if (!p.isArray() || p.size() != 2 || !p.get(0).isNumber() || !p.get(1).isNumber()) {
          throw new DatasetException(json, where + ": point " + k + " is not [x, y]: " + p);
        }
        double x = p.get(0).asDouble();
        double y = p.get(1).asDouble();
        if (!clipOutOfBounds
            && (x < -SLACK_PX || y < -SLACK_PX || x > width + SLACK_PX || y > height + SLACK_PX)) {
          throw new DatasetException(json, where + ": point (" + x + ", " + y + ") is outside the "
              + width + "x" + height + " image");
        }
        pts[k] = new double[] {x, y};
      }
      LabeledPolygon poly = new LabeledPolygon(label.asText(), pts);
      if (pts.length < 3 && !poly.isFlag()) {
        throw new DatasetException(json, where + ": a polygon needs at least 3 points, has " + pts.length);
      }
      out.add(poly);
    }
    return out;
  }

  private static String text(JsonNode root, String key) {
    JsonNode n = root.get(key);
    return n == null || n.isNull() ? null : n.asText();
  }
}
