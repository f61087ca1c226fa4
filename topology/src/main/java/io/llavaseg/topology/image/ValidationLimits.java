package io.llavaseg.topology.image;

import io.llavaseg.topology.InstanceGuards;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Bounds an input must respect before a model sees it.
 *
 * @param maxRecordBytes largest serialized {@code image-queries} value accepted; leaves headroom
 *     under the producer's {@code max.request.size} (1 MiB) for the reasoned record, which repeats
 *     the query
 * @param maxImageBytes largest encoded image read through a reference (claim check)
 * @param minSide smallest accepted image width and height, in pixels
 * @param maxSide largest accepted image width and height, in pixels (checked from the header,
 *     before the pixels are decoded)
 * @param maxQuestionChars longest accepted question
 * @param referenceRoots directories under which {@code file://} references may point; empty means
 *     {@code file://} references are refused
 * @param referenceHosts hosts ({@code host} or {@code host:port}) from which {@code http(s)://}
 *     references may be fetched; empty means they are refused
 * @param maxKeyBytes longest accepted record key (the source id), in bytes
 * @param maxHeaderBytes most bytes of record headers (keys and values) accepted; headers are copied
 *     to every output, so they count against every output's size
 * @param allowPrivateAddresses whether http(s) references may reach loopback, link-local and private
 *     addresses (see {@code AddressPolicy}); false refuses them ({@code REFERENCE_ADDRESS_REFUSED})
 * @param guards not a limit but the instance's shared state that goes with them: the circuit
 *     breakers and the decode budget; every loader made from the same limits shares them
 */
public record ValidationLimits(
    int maxRecordBytes, int maxImageBytes, int minSide, int maxSide, int maxQuestionChars,
    List<Path> referenceRoots, List<String> referenceHosts, int maxKeyBytes, int maxHeaderBytes,
    boolean allowPrivateAddresses, InstanceGuards guards) {

  /** The default key limit, in bytes. */
  public static final int DEFAULT_MAX_KEY_BYTES = 1024;

  /** The default header limit, in bytes. */
  public static final int DEFAULT_MAX_HEADER_BYTES = 16_384;

  public ValidationLimits {
    if (maxKeyBytes <= 0 || maxHeaderBytes < 0) {
      throw new IllegalArgumentException("invalid key/header limits: " + maxKeyBytes + " / " + maxHeaderBytes);
    }
    if (maxRecordBytes <= 0 || maxImageBytes <= 0 || minSide <= 0 || maxSide < minSide || maxQuestionChars <= 0) {
      throw new IllegalArgumentException("invalid validation limits: record " + maxRecordBytes + " B, image "
          + maxImageBytes + " B, side " + minSide + ".." + maxSide + " px, question " + maxQuestionChars);
    }
    Objects.requireNonNull(guards, "guards");
    referenceRoots = referenceRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    referenceHosts = referenceHosts.stream().map(h -> h.strip().toLowerCase(java.util.Locale.ROOT))
        .filter(h -> !h.isEmpty()).toList();
  }

  /** Private addresses refused, fresh guards with the defaults. */
  public ValidationLimits(int maxRecordBytes, int maxImageBytes, int minSide, int maxSide, int maxQuestionChars,
      List<Path> referenceRoots, List<String> referenceHosts, int maxKeyBytes, int maxHeaderBytes) {
    this(maxRecordBytes, maxImageBytes, minSide, maxSide, maxQuestionChars, referenceRoots, referenceHosts,
        maxKeyBytes, maxHeaderBytes, false, InstanceGuards.defaults());
  }

  /** These limits with private addresses allowed or not. */
  public ValidationLimits withPrivateAddresses(boolean allow) {
    return new ValidationLimits(maxRecordBytes, maxImageBytes, minSide, maxSide, maxQuestionChars, referenceRoots,
        referenceHosts, maxKeyBytes, maxHeaderBytes, allow, guards);
  }

  /** These limits with other guards. */
  public ValidationLimits withGuards(InstanceGuards other) {
    return new ValidationLimits(maxRecordBytes, maxImageBytes, minSide, maxSide, maxQuestionChars, referenceRoots,
        referenceHosts, maxKeyBytes, maxHeaderBytes, allowPrivateAddresses, other);
  }

  /** With the default key and header limits. */
  public ValidationLimits(int maxRecordBytes, int maxImageBytes, int minSide, int maxSide, int maxQuestionChars,
      List<Path> referenceRoots, List<String> referenceHosts) {
    this(maxRecordBytes, maxImageBytes, minSide, maxSide, maxQuestionChars, referenceRoots, referenceHosts,
        DEFAULT_MAX_KEY_BYTES, DEFAULT_MAX_HEADER_BYTES);
  }

  /** Without http(s) hosts. */
  public ValidationLimits(int maxRecordBytes, int maxImageBytes, int minSide, int maxSide, int maxQuestionChars,
      List<Path> referenceRoots) {
    this(maxRecordBytes, maxImageBytes, minSide, maxSide, maxQuestionChars, referenceRoots, List.of());
  }
}
