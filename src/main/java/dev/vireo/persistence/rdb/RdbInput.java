package dev.vireo.persistence.rdb;

import com.ning.compress.lzf.ChunkDecoder;
import com.ning.compress.lzf.impl.VanillaChunkDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The RDB primitives on the read side, over any stream (a file, a socket). Tracks the offset for error messages
 * and the running CRC-64 of every byte consumed. Allocations follow the bytes that actually arrive, so a
 * hostile length cannot make it reserve more memory than the input holds.
 */
final class RdbInput {
  private static final int BUFFER_SIZE = 64 * 1024;
  /** Large strings are read in pieces of this size, so a lying length fails at end of input, not in allocation. */
  private static final int CHUNK = 1 << 20;
  /** Largest array the JVM reliably allocates. */
  static final int MAX_ARRAY = Integer.MAX_VALUE - 16;
  /** LZF expands at most about 132 times (a 2-byte back reference yields up to 264 bytes). */
  private static final long LZF_MAX_RATIO = 132;

  private final InputStream in;
  private final byte[] buffer;
  private int pos;
  private int limit;
  private int crcFrom;
  private long crc;
  private long consumedBefore;
  private ChunkDecoder lzf;
  /** Set by the last length read that returned a 64-bit length with its top bit set. */
  private boolean unsignedHigh;

  RdbInput(InputStream in) {
    this(in, BUFFER_SIZE);
  }

  /**
   * An input known to hold at most {@code size} bytes (a DUMP payload): a buffer of that size holds it whole, so a
   * small RESTORE does not allocate the 64 KB a file is read with.
   */
  RdbInput(InputStream in, int size) {
    this.in = in;
    this.buffer = new byte[Math.max(64, Math.min(BUFFER_SIZE, size))];
  }

  /** Offset of the next byte, from the start of the input. */
  long offset() {
    return consumedBefore + pos;
  }

  /** CRC-64 of every byte consumed so far. */
  long crc() {
    crc = Crc64.update(crc, buffer, crcFrom, pos - crcFrom);
    crcFrom = pos;
    return crc;
  }

  private boolean fill() throws IOException {
    crc();
    consumedBefore += limit;
    pos = 0;
    limit = 0;
    crcFrom = 0;
    int n;
    do {
      n = in.read(buffer, 0, buffer.length);
    } while (n == 0);
    if (n < 0) {
      return false;
    }
    limit = n;
    return true;
  }

  int readByte(String what) throws IOException {
    if (pos == limit && !fill()) {
      throw truncated(what);
    }
    return buffer[pos++] & 0xFF;
  }

  /** Bytes read from the stream into the buffer but not consumed: what follows the RDB on a socket. */
  byte[] unconsumed() {
    return Arrays.copyOfRange(buffer, pos, limit);
  }

  /** True at end of input (nothing more to read). */
  boolean atEnd() throws IOException {
    return pos == limit && !fill();
  }

  void readFully(byte[] dst, int off, int len, String what) throws IOException {
    while (len > 0) {
      if (pos == limit && !fill()) {
        throw truncated(what);
      }
      int n = Math.min(len, limit - pos);
      System.arraycopy(buffer, pos, dst, off, n);
      pos += n;
      off += n;
      len -= n;
    }
  }

  /** Reads {@code len} bytes, growing the array only as data arrives. */
  byte[] readBytes(long len, String what) throws IOException {
    if (len < 0 || len > MAX_ARRAY) {
      throw new RdbException("implausible length " + len + " for " + what + " at offset " + offset());
    }
    int n = (int) len;
    if (n <= CHUNK) {
      byte[] out = new byte[n];
      readFully(out, 0, n, what);
      return out;
    }
    byte[] out = new byte[CHUNK];
    int have = 0;
    while (have < n) {
      if (have == out.length) {
        out = Arrays.copyOf(out, (int) Math.min(n, (long) out.length * 2));
      }
      int step = Math.min(out.length - have, n - have);
      readFully(out, have, step, what);
      have += step;
    }
    return out;
  }

  long readLongLE(int width, String what) throws IOException {
    long v = 0;
    for (int i = 0; i < width; i++) {
      v |= (long) readByte(what) << (8 * i);
    }
    return v;
  }

  /**
   * An RDB length, or for the special string encodings (top bits 11) {@code -1 - encoding}; {@link #readLength}
   * is the variant for places where only a length may appear.
   */
  long readLengthOrEncoding(String what) throws IOException {
    return readLengthOrEncoding(what, false);
  }

  /**
   * A length field holding an unsigned 64-bit number (stream IDs, counters that Redis writes with its length
   * encoding): values of 2^63 and above come back negative, as their two's complement bits.
   */
  long readUnsignedLength(String what) throws IOException {
    long at = offset();
    long v = readLengthOrEncoding(what, true);
    if (v < 0 && !unsignedHigh) {
      throw new RdbException("expected a length for " + what + " but found a string encoding at offset " + at);
    }
    return v;
  }

  private long readLengthOrEncoding(String what, boolean unsigned) throws IOException {
    unsignedHigh = false;
    long at = offset();
    int b = readByte(what);
    switch (b >>> 6) {
      case RdbFormat.LEN_6BIT:
        return b & 0x3F;
      case RdbFormat.LEN_14BIT:
        return ((b & 0x3F) << 8) | readByte(what);
      case 2:
        if (b == RdbFormat.LEN_32BIT) {
          long v = 0;
          for (int i = 0; i < 4; i++) {
            v = (v << 8) | readByte(what);
          }
          return v;
        } else if (b == RdbFormat.LEN_64BIT) {
          long v = 0;
          for (int i = 0; i < 8; i++) {
            v = (v << 8) | readByte(what);
          }
          if (v < 0 && unsigned) {
            unsignedHigh = true;
          } else if (v < 0) {
            throw new RdbException("length " + Long.toUnsignedString(v) + " too large for " + what
                + " at offset " + at);
          }
          return v;
        }
        throw new RdbException("invalid length prefix 0x" + Integer.toHexString(b) + " for " + what
            + " at offset " + at);
      default:
        return -1 - (b & 0x3F);
    }
  }

  long readLength(String what) throws IOException {
    long at = offset();
    long len = readLengthOrEncoding(what);
    if (len < 0) {
      throw new RdbException("expected a length for " + what + " but found a string encoding at offset " + at);
    }
    return len;
  }

  /** 16 bytes, big-endian: a stream ID as Redis writes it raw (node keys, PEL entries). */
  RdbValue.StreamId readRawStreamId(String what) throws IOException {
    long ms = 0;
    long seq = 0;
    for (int i = 0; i < 8; i++) {
      ms = (ms << 8) | readByte(what);
    }
    for (int i = 0; i < 8; i++) {
      seq = (seq << 8) | readByte(what);
    }
    return new RdbValue.StreamId(ms, seq);
  }

  /** A length that must fit an int count of things (elements, nodes). */
  int readCount(String what) throws IOException {
    long at = offset();
    long n = readLength(what);
    if (n > MAX_ARRAY) {
      throw new RdbException("implausible count " + n + " for " + what + " at offset " + at);
    }
    return (int) n;
  }

  /** A string in any of its encodings: raw, int8/16/32 (returned as decimal text) or LZF. */
  byte[] readString(String what) throws IOException {
    long at = offset();
    long len = readLengthOrEncoding(what);
    if (len >= 0) {
      return readBytes(len, what);
    }
    int enc = (int) (-1 - len);
    switch (enc) {
      case RdbFormat.ENC_INT8:
        return Ints.toBytes((byte) readLongLE(1, what));
      case RdbFormat.ENC_INT16:
        return Ints.toBytes((short) readLongLE(2, what));
      case RdbFormat.ENC_INT32:
        return Ints.toBytes((int) readLongLE(4, what));
      case RdbFormat.ENC_LZF:
        return readLzf(what, at);
      default:
        throw new RdbException("unknown string encoding " + enc + " for " + what + " at offset " + at);
    }
  }

  private byte[] readLzf(String what, long at) throws IOException {
    long clen = readLength(what);
    long len = readLength(what);
    if (clen == 0 || len == 0 || len > MAX_ARRAY || clen > MAX_ARRAY || len > clen * LZF_MAX_RATIO + 64) {
      throw new RdbException("implausible LZF lengths (compressed " + clen + ", plain " + len + ") for " + what
          + " at offset " + at);
    }
    byte[] compressed = readBytes(clen, what);
    byte[] plain = new byte[(int) len];
    if (lzf == null) {
      lzf = new VanillaChunkDecoder();
    }
    try {
      lzf.decodeChunk(compressed, 0, plain, 0, plain.length);
    } catch (IOException | RuntimeException e) {
      throw new RdbException("corrupt LZF data for " + what + " at offset " + at + ": " + e, e);
    }
    return plain;
  }

  /** A ZSET (type 3) score: a length byte then text, with 253/254/255 for nan/+inf/-inf. */
  double readTextDouble(String what) throws IOException {
    long at = offset();
    int len = readByte(what);
    switch (len) {
      case 253:
        return Double.NaN;
      case 254:
        return Double.POSITIVE_INFINITY;
      case 255:
        return Double.NEGATIVE_INFINITY;
      default:
        byte[] text = readBytes(len, what);
        try {
          return parseDouble(text);
        } catch (NumberFormatException e) {
          throw new RdbException("invalid score '" + new String(text, StandardCharsets.ISO_8859_1)
              + "' for " + what + " at offset " + at);
        }
    }
  }

  double readBinaryDouble(String what) throws IOException {
    return Double.longBitsToDouble(readLongLE(8, what));
  }

  /** Parses a score as strtod would, including Redis's "inf"/"-inf" spellings. */
  static double parseDouble(byte[] text) {
    String s = new String(text, StandardCharsets.ISO_8859_1).trim();
    switch (s.toLowerCase(Locale.ROOT)) {
      case "inf", "+inf", "infinity", "+infinity":
        return Double.POSITIVE_INFINITY;
      case "-inf", "-infinity":
        return Double.NEGATIVE_INFINITY;
      case "nan", "-nan":
        return Double.NaN;
      default:
        if (s.isEmpty() || !Character.isDigit(s.charAt(s.length() - 1)) && s.charAt(s.length() - 1) != '.') {
          throw new NumberFormatException(s);
        }
        return Double.parseDouble(s);
    }
  }

  RdbException truncated(String what) {
    return new RdbException("unexpected end of input at offset " + offset() + " while reading " + what);
  }
}
