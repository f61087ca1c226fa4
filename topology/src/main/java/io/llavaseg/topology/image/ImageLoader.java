package io.llavaseg.topology.image;

import io.llavaseg.schemas.ImageReference;
import io.llavaseg.schemas.InlineImage;
import io.llavaseg.topology.ErrorCode;
import io.llavaseg.topology.StageFailure;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Turns an event's image (inline bytes, or a claim-check reference) into pixels, within {@link
 * ValidationLimits}: PNG and JPEG only; the size is read from the header and checked before any
 * pixel is decoded, so a small file that claims a huge image costs nothing. References are resolved
 * for {@code file://} URIs whose real path (symlinks resolved) lies under a configured root, and for
 * http(s) URIs on an allowed host whose resolved addresses pass {@link AddressPolicy} ({@link
 * HttpStore}), and only when the content's SHA-256 matches the event's. Decoding takes its share of
 * the instance's {@link DecodeBudget} (estimated from the header: width x height x bytes per pixel)
 * for its duration. Thread-safe (its state is the limits' shared guards).
 */
public final class ImageLoader {
  public static final Set<String> MEDIA_TYPES = Set.of("image/png", "image/jpeg");

  private final ValidationLimits limits;

  public ImageLoader(ValidationLimits limits) {
    this.limits = limits;
  }

  /** The limits (and the instance's guards) this loader checks against. */
  public ValidationLimits limits() {
    return limits;
  }

  /** Encoded bytes and their media type, as resolved from the event. */
  public record Encoded(String mediaType, byte[] data) {}

  /** Reads the encoded image of an {@code ImageQuery.image} union value. */
  public Encoded fetch(Object image) throws StageFailure {
    if (image instanceof InlineImage inline) {
      String type = mediaType(inline.getMediaType());
      ByteBuffer buf = inline.getData().duplicate();
      byte[] data = new byte[buf.remaining()];
      buf.get(data);
      checkBytes(data.length);
      return new Encoded(type, data);
    }
    if (image instanceof ImageReference ref) {
      return resolve(ref);
    }
    throw new StageFailure(ErrorCode.MEDIA_TYPE_UNSUPPORTED, "unknown image kind: " + image);
  }

  /** Width and height from the header only; checks them against the limits. */
  public int[] dimensions(Encoded encoded) throws StageFailure {
    return withReader(encoded, reader -> checkSize(reader.getWidth(0), reader.getHeight(0)));
  }

  /**
   * Checks the size from the header, then decodes the pixels. A decoder warning (a truncated JPEG
   * decodes with "Premature end of JPEG file" and a grey bottom) makes the image undecodable. The
   * result is upright 8-bit RGB ({@link Orientation}): greyscale, 16-bit and palette images
   * converted, transparency over white, a JPEG's EXIF orientation applied. A CMYK JPEG, which the
   * JDK's decoder cannot read, is {@code IMAGE_UNDECODABLE} with a message saying so.
   */
  public BufferedImage decode(Encoded encoded) throws StageFailure {
    int orientation = encoded.mediaType().equals("image/jpeg") ? Orientation.exifOrientation(encoded.data()) : 1;
    return withReader(encoded, reader -> {
      int width = reader.getWidth(0);
      int height = reader.getHeight(0);
      checkSize(width, height);
      long bytes = decodedBytes(reader, width, height, orientation);
      try (DecodeBudget.Permit permit = limits.guards().decodeBudget().acquire(bytes,
          "a " + width + "x" + height + " " + encoded.mediaType())) {
        java.util.List<String> warnings = new java.util.ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        BufferedImage image;
        try {
          image = reader.read(0);
        } catch (javax.imageio.IIOException e) {
          if (String.valueOf(e.getMessage()).contains("Unsupported Image Type")) {
            throw new IOException("a CMYK or YCCK JPEG, which is not supported (convert it to RGB)", e);
          }
          throw e;
        }
        if (!warnings.isEmpty()) {
          throw new IOException("decoder warning: " + warnings.get(0));
        }
        return image == null ? null : Orientation.normalize(image, orientation);
      }
    });
  }

  /**
   * The bytes a decode of this image holds, from its header: width x height x the bytes per pixel of
   * the decoder's raw image type (16-bit samples count two bytes, an index one), plus 4 bytes per
   * pixel for the upright 8-bit RGB copy unless the decoded image is already that. An image type the
   * header does not tell (a CMYK JPEG) counts 8 bytes per pixel.
   */
  static long decodedBytes(ImageReader reader, int width, int height, int orientation) {
    long pixels = (long) width * height;
    javax.imageio.ImageTypeSpecifier type = null;
    try {
      type = reader.getRawImageType(0);
      if (type == null) {
        Iterator<javax.imageio.ImageTypeSpecifier> types = reader.getImageTypes(0);
        type = types.hasNext() ? types.next() : null;
      }
    } catch (IOException | RuntimeException e) {
      // the decode will say what is wrong; estimate generously
    }
    if (type == null) {
      return pixels * 8;
    }
    java.awt.image.SampleModel model = type.getSampleModel();
    long perPixel = Math.max(1,
        (long) java.awt.image.DataBuffer.getDataTypeSize(model.getDataType()) / 8 * model.getNumDataElements());
    int t = type.getBufferedImageType();
    boolean plainRgb = t == BufferedImage.TYPE_INT_RGB || t == BufferedImage.TYPE_3BYTE_BGR
        || t == BufferedImage.TYPE_INT_BGR;
    return pixels * perPixel + (plainRgb && orientation <= 1 ? 0 : pixels * 4);
  }

  /** Fetches and decodes in one go. */
  public BufferedImage load(Object image) throws StageFailure {
    return decode(fetch(image));
  }

  private interface ReaderStep<T> {
    T apply(ImageReader reader) throws IOException, StageFailure;
  }

  private <T> T withReader(Encoded encoded, ReaderStep<T> step) throws StageFailure {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByMIMEType(encoded.mediaType());
    if (!readers.hasNext()) {
      throw new StageFailure(ErrorCode.MEDIA_TYPE_UNSUPPORTED, "no decoder for " + encoded.mediaType());
    }
    ImageReader reader = readers.next();
    // an in-memory stream, not ImageIO.createImageInputStream: by default that caches in a temp file
    // whose closer registers a JVM shutdown hook, which fails while the JVM shuts down (SIGTERM), so
    // a record decoded during a graceful stop became a false IMAGE_UNDECODABLE (found by ClusterScaleIT)
    try (ImageInputStream in = new javax.imageio.stream.MemoryCacheImageInputStream(
        new ByteArrayInputStream(encoded.data()))) {
      reader.setInput(in, true, true);
      T result = step.apply(reader);
      if (result == null) {
        throw new IOException("decoder returned no image");
      }
      return result;
    } catch (io.llavaseg.topology.DependencyUnavailableException e) {
      throw e; // the decode budget stayed full: not the image's fault
    } catch (IOException | RuntimeException e) {
      throw new StageFailure(ErrorCode.IMAGE_UNDECODABLE,
          "not a decodable " + encoded.mediaType() + " (" + encoded.data().length + " bytes): " + e.getMessage(), e);
    } finally {
      reader.dispose();
    }
  }

  private int[] checkSize(int width, int height) throws StageFailure {
    if (width < limits.minSide() || height < limits.minSide()
        || width > limits.maxSide() || height > limits.maxSide()) {
      throw new StageFailure(ErrorCode.IMAGE_SIZE_OUT_OF_RANGE, "image is " + width + "x" + height
          + " px, each side must be within " + limits.minSide() + ".." + limits.maxSide());
    }
    return new int[] {width, height};
  }

  private void checkBytes(long length) throws StageFailure {
    if (length == 0 || length > limits.maxImageBytes()) {
      throw new StageFailure(ErrorCode.IMAGE_TOO_LARGE,
          "encoded image has " + length + " bytes, must be 1.." + limits.maxImageBytes());
    }
  }

  private static String mediaType(String declared) throws StageFailure {
    String type = declared == null ? "" : declared.strip().toLowerCase(Locale.ROOT);
    if (!MEDIA_TYPES.contains(type)) {
      throw new StageFailure(ErrorCode.MEDIA_TYPE_UNSUPPORTED,
          "media type '" + declared + "' is not one of " + MEDIA_TYPES);
    }
    return type;
  }

  /** A successful GET: the body (at most the limit asked for, plus one byte) and its media type. */
  record HttpStoreReply(byte[] body, String contentType) {}

  private Encoded resolve(ImageReference ref) throws StageFailure {
    String scheme = ref.getUri().contains(":") ? ref.getUri().substring(0, ref.getUri().indexOf(':')).toLowerCase(Locale.ROOT) : "";
    if (scheme.equals("http") || scheme.equals("https")) {
      return resolveHttp(ref);
    }
    Path path = allowedPath(ref.getUri());
    String type = mediaType(ref.getMediaType() != null ? ref.getMediaType() : guessType(path));
    byte[] data;
    try {
      checkBytes(Files.size(path));
      data = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new StageFailure(ErrorCode.REFERENCE_UNREADABLE, "cannot read " + ref.getUri() + ": " + e, e);
    }
    checkBytes(data.length);
    checkHash(ref, data);
    return new Encoded(type, data);
  }

  /** The content's SHA-256 must be the event's; the message never shows the content's hash. */
  private static void checkHash(ImageReference ref, byte[] data) throws StageFailure {
    if (!sha256(data).equalsIgnoreCase(ref.getSha256().strip())) {
      throw new StageFailure(ErrorCode.REFERENCE_HASH_MISMATCH,
          "the content of " + ref.getUri() + " does not have the sha256 the event gives");
    }
  }

  private Encoded resolveHttp(ImageReference ref) throws StageFailure {
    URI uri;
    try {
      uri = new URI(ref.getUri());
    } catch (Exception e) {
      throw new StageFailure(ErrorCode.REFERENCE_NOT_ALLOWED, "not a valid URI: " + ref.getUri(), e);
    }
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    String hostPort = uri.getPort() < 0 ? host : host + ":" + uri.getPort();
    if (host.isEmpty() || uri.getUserInfo() != null
        || limits.referenceHosts().stream().noneMatch(h -> h.equals(hostPort) || h.equals(host) && uri.getPort() < 0)) {
      throw new StageFailure(ErrorCode.REFERENCE_NOT_ALLOWED, ref.getUri() + " is not on an allowed host "
          + limits.referenceHosts() + " (llavaseg.reference.hosts)");
    }
    HttpStoreReply reply = HttpStore.get(uri, ref.getUri(), limits.maxImageBytes() + 1,
        limits.allowPrivateAddresses(), limits.guards().imageStore());
    checkBytes(reply.body().length);
    String type = mediaType(ref.getMediaType() != null ? ref.getMediaType() : reply.contentType());
    checkHash(ref, reply.body());
    return new Encoded(type, reply.body());
  }

  private Path allowedPath(String uriText) throws StageFailure {
    Path path;
    try {
      URI uri = new URI(uriText);
      if (!"file".equalsIgnoreCase(uri.getScheme())) {
        throw new StageFailure(ErrorCode.REFERENCE_NOT_ALLOWED,
            "only file:// references are resolved, got " + uriText);
      }
      path = Path.of(uri).toAbsolutePath().normalize();
    } catch (StageFailure e) {
      throw e;
    } catch (Exception e) {
      throw new StageFailure(ErrorCode.REFERENCE_NOT_ALLOWED, "not a valid file URI: " + uriText, e);
    }
    if (limits.referenceRoots().isEmpty()) {
      throw new StageFailure(ErrorCode.REFERENCE_NOT_ALLOWED,
          "references are disabled (llavaseg.reference.roots is empty): " + uriText);
    }
    Path real;
    try {
      real = path.toRealPath();
    } catch (IOException e) {
      // Refuse before revealing whether a file outside the roots exists.
      if (limits.referenceRoots().stream().noneMatch(path::startsWith)) {
        throw new StageFailure(ErrorCode.REFERENCE_NOT_ALLOWED, uriText + " is outside the reference roots");
      }
      throw new StageFailure(ErrorCode.REFERENCE_UNREADABLE, "cannot read " + uriText + ": " + e, e);
    }
    for (Path root : limits.referenceRoots()) {
      Path realRoot;
      try {
        realRoot = root.toRealPath();
      } catch (IOException e) {
        continue;
      }
      if (real.startsWith(realRoot) && Files.isRegularFile(real)) {
        return real;
      }
    }
    throw new StageFailure(ErrorCode.REFERENCE_NOT_ALLOWED,
        uriText + " is not a regular file under the reference roots " + limits.referenceRoots());
  }

  private static String guessType(Path path) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".png")) {
      return "image/png";
    }
    if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
      return "image/jpeg";
    }
    return null;
  }

  /** Lowercase hex SHA-256 of {@code data}. */
  public static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
