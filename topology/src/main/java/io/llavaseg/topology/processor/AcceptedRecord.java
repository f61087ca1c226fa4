package io.llavaseg.topology.processor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * An input record a model stage has accepted and not yet answered, as it is kept in the stage's
 * in-flight store (see {@link ModelStep}): the record as read (key and value bytes, timestamp,
 * headers) and where it was read (for its dead letter). {@link #encode} / {@link #decode} are the
 * store's value format: a version byte, then the fields in order, lengths as ints ({@code -1} for
 * null).
 */
record AcceptedRecord(Record<byte[], byte[]> raw, String topic, int partition, long offset) implements RecordMetadata {
  private static final byte VERSION = 1;

  static AcceptedRecord of(Record<byte[], byte[]> raw, Optional<RecordMetadata> origin) {
    return new AcceptedRecord(raw, origin.map(RecordMetadata::topic).orElse(""),
        origin.map(RecordMetadata::partition).orElse(-1), origin.map(RecordMetadata::offset).orElse(-1L));
  }

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(
        64 + length(raw.key()) + length(raw.value()) + (int) DeadLetterRoute.headerBytes(raw.headers()));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeUTF(topic);
      out.writeInt(partition);
      out.writeLong(offset);
      out.writeLong(raw.timestamp());
      writeBytes(out, raw.key());
      writeBytes(out, raw.value());
      Header[] headers = raw.headers().toArray();
      out.writeInt(headers.length);
      for (Header h : headers) {
        out.writeUTF(h.key());
        writeBytes(out, h.value());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static AcceptedRecord decode(byte[] encoded) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
      byte version = in.readByte();
      if (version != VERSION) {
        throw new IllegalStateException("in-flight record of unknown format version " + version);
      }
      String topic = in.readUTF();
      int partition = in.readInt();
      long offset = in.readLong();
      long timestamp = in.readLong();
      byte[] key = readBytes(in);
      byte[] value = readBytes(in);
      int n = in.readInt();
      Headers headers = new RecordHeaders();
      for (int i = 0; i < n; i++) {
        headers.add(in.readUTF(), readBytes(in));
      }
      return new AcceptedRecord(new Record<>(key, value, timestamp, headers), topic, partition, offset);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int length(byte[] b) {
    return b == null ? 0 : b.length;
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    if (b == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(b.length);
      out.write(b);
    }
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    return in.readNBytes(n);
  }
}
