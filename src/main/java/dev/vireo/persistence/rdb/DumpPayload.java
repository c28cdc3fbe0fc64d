package dev.vireo.persistence.rdb;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * DUMP/RESTORE payloads: {@code <type byte><value as in an RDB><RDB version, u16 LE><CRC-64 LE of all that>}.
 * Encodings follow the same rules as {@link RdbWriter}, so a payload restores into Redis 7.0.
 */
public final class DumpPayload {
  /** Redis's reply when the trailer does not check out. */
  public static final String BAD_VERSION_OR_CHECKSUM = "ERR DUMP payload version or checksum are wrong";
  /** Redis's reply when the body does not parse. */
  public static final String BAD_FORMAT = "ERR Bad data format";

  private static final int TRAILER = 10;

  private DumpPayload() {}

  public static byte[] encode(RdbValue value, RdbOptions options) {
    return payload(options.compression(), out -> ValueCodec.write(out, value, options));
  }

  /** FUNCTION DUMP: the libraries' code as FUNCTION2 records, then the RDB version and the CRC-64. */
  public static byte[] encodeFunctions(List<byte[]> codes, boolean compression) {
    return payload(compression, out -> {
      for (byte[] code : codes) {
        out.writeByte(RdbFormat.OPCODE_FUNCTION2);
        out.writeString(code);
      }
    });
  }

  /** What goes before the trailer. */
  private interface Body {
    void write(RdbOutput out) throws IOException;
  }

  /** A body, then the trailer every payload ends with: the RDB version (u16 LE) and the CRC-64 of all before. */
  private static byte[] payload(boolean compression, Body body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      RdbOutput out = new RdbOutput(bytes, compression);
      body.write(out);
      out.writeLongLE(RdbFormat.VERSION, 2);
      long crc = out.crc();
      out.writeLongLE(crc, 8);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return bytes.toByteArray();
  }

  /**
   * The body of a payload whose trailer checks out (a version this node reads, the right CRC-64), or Redis's
   * error; {@code minBody} is the smallest body that can be valid.
   */
  private static RdbInput checkedBody(byte[] payload, int minBody) throws RdbException {
    if (payload.length < TRAILER + minBody) throw new RdbException(BAD_VERSION_OR_CHECKSUM);
    int body = payload.length - TRAILER;
    int version = (payload[body] & 0xFF) | (payload[body + 1] & 0xFF) << 8;
    long stored = Listpack.getLE(payload, payload.length - 8, 8);
    if (version > RdbFormat.MAX_READ_VERSION || stored != Crc64.update(0, payload, 0, payload.length - 8)) {
      throw new RdbException(BAD_VERSION_OR_CHECKSUM);
    }
    return new RdbInput(new ByteArrayInputStream(payload, 0, body), body);
  }

  /** FUNCTION RESTORE: the libraries' code, or an {@link RdbException} whose message is Redis's error reply. */
  public static List<byte[]> decodeFunctions(byte[] payload) throws RdbException {
    RdbInput in = checkedBody(payload, 0);
    List<byte[]> codes = new ArrayList<>();
    try {
      while (!in.atEnd()) {
        if (in.readByte("the record type") != RdbFormat.OPCODE_FUNCTION2) {
          throw new RdbException("ERR given type is not a function");
        }
        codes.add(in.readString("FUNCTION2"));
      }
    } catch (IOException e) {
      throw new RdbException(BAD_FORMAT, e);
    }
    return codes;
  }

  /** The value, or an {@link RdbException} whose message is Redis's error reply. */
  public static RdbValue decode(byte[] payload) throws RdbException {
    RdbInput in = checkedBody(payload, 1);
    try {
      int type = in.readByte("the value type");
      RdbValue value = ValueCodec.read(in, type, new byte[0]);
      if (!in.atEnd()) {
        throw new RdbException("trailing bytes after the value at offset " + in.offset());
      }
      return value;
    } catch (IOException e) { // an RdbException too
      throw new RdbException(BAD_FORMAT, e);
    }
  }
}
