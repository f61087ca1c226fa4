package io.llavaseg.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llavaseg.model.BinaryMask;
import io.llavaseg.shapeworld.Outline;
import io.llavaseg.shapeworld.Sample;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Writes ShapeWorld samples as a ReasonSeg-format folder: {@code NAME.jpg} (quality {@value
 * #JPEG_QUALITY}) and {@code NAME.json} with LISA's keys {@code "text"} (one query),
 * {@code "is_sentence"}, {@code "shapes"} (the target's visible outline as one or more polygons
 * labelled "target", none when the kind has no target; LabelMe's {@code shape_type}, {@code
 * group_id} and {@code flags} included), LabelMe's {@code imagePath}/{@code imageWidth}/{@code
 * imageHeight}, and ShapeWorld's extras {@code kind} (lower case), {@code answer}, {@code target},
 * {@code attributes}. Also writes masks as PNGs (0 background, 255 foreground).
 */
public final class ReasonSegWriter {
  public static final float JPEG_QUALITY = 0.95f;
  public static final String TARGET_LABEL = "target";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReasonSegWriter() {}

  /** Writes {@code NAME.jpg} and {@code NAME.json} of the sample into {@code dir}. */
  public static void write(Path dir, Sample sample) throws IOException {
    writeJpeg(sample.image(), dir.resolve(sample.name() + ".jpg"));
    Files.write(dir.resolve(sample.name() + ".json"), JSON.writeValueAsBytes(json(sample)));
  }

  /** The sample's annotation JSON. */
  public static ObjectNode json(Sample s) {
    ObjectNode root = JSON.createObjectNode();
    root.putArray("text").add(s.query());
    root.put("is_sentence", s.isSentence());
    ArrayNode shapes = root.putArray("shapes");
    if (s.targetIndex() >= 0) {
      List<double[][]> pieces = Outline.visible(s.scene(), s.targetIndex());
      for (double[][] piece : pieces) {
        ObjectNode shape = shapes.addObject();
        shape.put("label", TARGET_LABEL);
        ArrayNode points = shape.putArray("points");
        for (double[] p : piece) {
          points.addArray().add(p[0]).add(p[1]);
        }
        shape.putNull("group_id");
        shape.put("shape_type", "polygon");
        shape.putObject("flags");
      }
    }
    root.put("imagePath", s.name() + ".jpg");
    root.put("imageWidth", s.image().getWidth());
    root.put("imageHeight", s.image().getHeight());
    root.put("kind", s.kind().name().toLowerCase(Locale.ROOT));
    root.put("answer", s.answer());
    root.put("target", s.target());
    root.put("attributes", s.attributes());
    return root;
  }

  /**
   * The sample's ground truth as the harness scores it: its JSON polygons drawn as LISA draws them
   * ({@link GroundTruth}), 1 where a target is. A perfect prediction for {@code eval}; it differs
   * from {@link Sample#mask()} (filled at pixel centres) by the outline pixels LISA includes.
   */
  public static BinaryMask groundTruth(Sample s) {
    int w = s.image().getWidth();
    int h = s.image().getHeight();
    return s.targetIndex() >= 0 ? groundTruth(s.scene(), s.targetIndex(), w, h) : BinaryMask.empty(w, h);
  }

  /**
   * Object {@code index}'s visible outline drawn as LISA draws a ReasonSeg polygon ({@link
   * GroundTruth}): what the segmenter is trained towards when it learns LISA's masks.
   */
  public static BinaryMask groundTruth(io.llavaseg.shapeworld.Scene scene, int index, int w, int h) {
    List<LabeledPolygon> shapes = new java.util.ArrayList<>();
    for (double[][] piece : Outline.visible(scene, index)) {
      shapes.add(new LabeledPolygon(TARGET_LABEL, piece));
    }
    byte[] labels = GroundTruth.labels(shapes, w, h);
    byte[] px = new byte[labels.length];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (labels[i] == GroundTruth.FOREGROUND ? 1 : 0);
    }
    return new BinaryMask(w, h, px);
  }

  public static void writeJpeg(BufferedImage image, Path file) throws IOException {
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file))) {
      writeJpeg(image, os);
    }
  }

  /** The image as {@link #writeJpeg(BufferedImage, Path)} writes it, into a stream (left open). */
  public static void writeJpeg(BufferedImage image, OutputStream os) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    // an explicit memory cache: ImageIO's default would buffer through a temporary file
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(os)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(JPEG_QUALITY);
      writer.write(null, new IIOImage(bgr(image), null, null), param);
    } finally {
      writer.dispose();
    }
  }

  /**
   * The image written as {@code generate} writes it ({@link #writeJpeg}, quality {@value
   * #JPEG_QUALITY}) and read back as {@code eval} reads a dataset ({@link ReasonSegDataset}:
   * {@code ImageIO.read}): the pixels a model sees end to end, for measuring or training on them.
   */
  public static BufferedImage jpegRoundTrip(BufferedImage image) {
    try {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      writeJpeg(image, bytes);
      BufferedImage decoded = ImageIO.read(new java.io.ByteArrayInputStream(bytes.toByteArray()));
      if (decoded == null) {
        throw new IOException("the JPEG writer's output does not decode");
      }
      return decoded;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A {@code TYPE_3BYTE_BGR} view of the image (copied unless it already is): the JPEG writer's fast path. */
  private static BufferedImage bgr(BufferedImage img) {
    if (img.getType() == BufferedImage.TYPE_3BYTE_BGR) {
      return img;
    }
    BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    java.awt.Graphics2D g = out.createGraphics();
    try {
      g.drawImage(img, 0, 0, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /** Writes a mask as an 8-bit gray PNG, 255 where set and 0 elsewhere. */
  public static void writeMaskPng(BinaryMask mask, Path file) throws IOException {
    BufferedImage img = new BufferedImage(mask.width(), mask.height(), BufferedImage.TYPE_BYTE_GRAY);
    byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    byte[] m = mask.pixels();
    for (int i = 0; i < m.length; i++) {
      px[i] = m[i] != 0 ? (byte) 255 : 0;
    }
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file));
        ImageOutputStream out = new MemoryCacheImageOutputStream(os)) {
      if (!ImageIO.write(img, "png", out)) {
        throw new IOException(file + ": no PNG writer");
      }
    }
  }
}
