package io.llavaseg.schemas.registry;

import java.nio.ByteBuffer;

/**
 * The Confluent Schema Registry wire format: byte 0 is the magic byte 0x00, bytes 1-4 the
 * big-endian schema id, then the Avro binary encoding of the record (no container file header,
 * no schema fingerprint).
 */
public final class WireFormat {
  public static final byte MAGIC_BYTE = 0x0;
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /** The 5-byte header for {@code schemaId}. */
  public static byte[] header(int schemaId) {
    return ByteBuffer.allocate(HEADER_SIZE).put(MAGIC_BYTE).putInt(schemaId).array();
  }

  /**
   * The schema id of a framed payload.
   *
   * @throws WireFormatException {@link WireFormatError#WRONG_MAGIC_BYTE} or {@link
   *     WireFormatError#TRUNCATED}
   */
  public static int schemaId(byte[] payload) {
    if (payload == null || payload.length == 0) {
      throw new WireFormatException(WireFormatError.TRUNCATED,
          "empty payload, expected 0x00 + 4-byte schema id + Avro body");
    }
    if (payload[0] != MAGIC_BYTE) {
      throw new WireFormatException(WireFormatError.WRONG_MAGIC_BYTE,
          String.format("first byte is 0x%02x, expected 0x00 (Confluent wire format); %d bytes",
              payload[0] & 0xff, payload.length));
    }
    if (payload.length < HEADER_SIZE) {
      throw new WireFormatException(WireFormatError.TRUNCATED,
          payload.length + " bytes, the header alone needs " + HEADER_SIZE);
    }
    return ByteBuffer.wrap(payload, 1, 4).getInt();
  }
}
