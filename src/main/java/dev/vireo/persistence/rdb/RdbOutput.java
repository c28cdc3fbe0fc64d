package dev.vireo.persistence.rdb;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The RDB primitives on the write side: lengths, strings (integer-encoded or LZF-compressed where Redis would),
 * little-endian numbers. Buffers its own writes and keeps the running CRC-64 of everything written.
 */
final class RdbOutput {
  private static final int BUFFER_SIZE = 64 * 1024;
  /** Redis compresses strings longer than this, and only when that saves at least 4 bytes. */
  private static final int COMPRESS_MIN_LENGTH = 20;

  private final OutputStream out;
  private final boolean compression;
  private final byte[] buffer = new byte[BUFFER_SIZE];
  private int count;
  private long crc;
  private byte[] scratch = new byte[256];
  private long written;
  private Lzf lzf;

  RdbOutput(OutputStream out, boolean compression) {
    this.out = out;
    this.compression = compression;
  }

  void writeByte(int b) throws IOException {
    if (count == buffer.length) {
      flushBuffer();
    }
    buffer[count++] = (byte) b;
  }

  void write(byte[] bytes) throws IOException {
    write(bytes, 0, bytes.length);
  }

  void write(byte[] bytes, int off, int len) throws IOException {
    if (len > buffer.length - count) {
      flushBuffer();
      if (len >= buffer.length) {
        crc = Crc64.update(crc, bytes, off, len);
        written += len;
        out.write(bytes, off, len);
        return;
      }
    }
    System.arraycopy(bytes, off, buffer, count, len);
    count += len;
  }

  void writeLongLE(long v, int width) throws IOException {
    for (int i = 0; i < width; i++) {
      writeByte((int) (v >>> (8 * i)));
    }
  }

  /** An RDB length: 6, 14, 32 or 64 bits, the shortest that holds {@code len}. */
  void writeLength(long len) throws IOException {
    if (len < 0) {
      throw new IllegalArgumentException("negative length " + len);
    }
    if (len < (1 << 6)) {
      writeByte((int) len);
    } else if (len < (1 << 14)) {
      writeByte((RdbFormat.LEN_14BIT << 6) | (int) (len >>> 8));
      writeByte((int) len);
    } else if (len <= 0xFFFFFFFFL) {
      writeByte(RdbFormat.LEN_32BIT);
      for (int shift = 24; shift >= 0; shift -= 8) {
        writeByte((int) (len >>> shift));
      }
    } else {
      writeByte(RdbFormat.LEN_64BIT);
      for (int shift = 56; shift >= 0; shift -= 8) {
        writeByte((int) (len >>> shift));
      }
    }
  }

  /** A length field holding an unsigned 64-bit number: a negative {@code v} stands for 2^64 + v. */
  void writeUnsignedLength(long v) throws IOException {
    if (v >= 0) {
      writeLength(v);
      return;
    }
    writeByte(RdbFormat.LEN_64BIT);
    for (int shift = 56; shift >= 0; shift -= 8) {
      writeByte((int) (v >>> shift));
    }
  }

  /** A stream ID raw: 16 bytes, big-endian, as Redis keys its radix trees. */
  void writeRawStreamId(RdbValue.StreamId id) throws IOException {
    write(rawStreamId(id));
  }

  static byte[] rawStreamId(RdbValue.StreamId id) {
    byte[] b = new byte[16];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (id.ms() >>> (56 - 8 * i));
      b[8 + i] = (byte) (id.seq() >>> (56 - 8 * i));
    }
    return b;
  }

  /**
   * A string as Redis saves it: as an int8/16/32 when it is the canonical text of such an integer, else
   * LZF-compressed when compression is on, it is longer than 20 bytes and compression saves at least 4 bytes,
   * else raw.
   */
  void writeString(byte[] s) throws IOException {
    if (s.length <= 11 && Ints.isCanonicalLong(s)) {
      long v = Ints.parse(s);
      if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
        writeByte((RdbFormat.LEN_ENCVAL << 6) | RdbFormat.ENC_INT8);
        writeLongLE(v, 1);
        return;
      } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
        writeByte((RdbFormat.LEN_ENCVAL << 6) | RdbFormat.ENC_INT16);
        writeLongLE(v, 2);
        return;
      } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
        writeByte((RdbFormat.LEN_ENCVAL << 6) | RdbFormat.ENC_INT32);
        writeLongLE(v, 4);
        return;
      }
    }
    if (compression && s.length > COMPRESS_MIN_LENGTH && writeCompressed(s)) {
      return;
    }
    writeLength(s.length);
    write(s);
  }

  /** LZF as Redis does it: into at most {@code length - 4} bytes, else the string goes raw. */
  private boolean writeCompressed(byte[] s) throws IOException {
    if (lzf == null) {
      lzf = new Lzf();
    }
    // the scratch buffer is reused from string to string
    if (scratch.length < s.length + 1) scratch = new byte[Math.max(s.length + 1, scratch.length * 2)];
    byte[] compressed = scratch;
    int clen = lzf.compress(s, s.length, compressed, s.length - 4);
    if (clen == 0) {
      return false;
    }
    writeByte((RdbFormat.LEN_ENCVAL << 6) | RdbFormat.ENC_LZF);
    writeLength(clen);
    writeLength(s.length);
    write(compressed, 0, clen);
    return true;
  }

  /** Redis's binary double (ZSET_2 scores): 8 bytes, IEEE 754, little-endian. */
  void writeBinaryDouble(double d) throws IOException {
    writeLongLE(Double.doubleToRawLongBits(d), 8);
  }

  /** Flushes buffered bytes and returns the CRC-64 of everything written so far. */
  long crc() throws IOException {
    flushBuffer();
    return crc;
  }

  /** Bytes written so far, buffered ones included. */
  long written() {
    return written + count;
  }

  void flush() throws IOException {
    flushBuffer();
    out.flush();
  }

  private void flushBuffer() throws IOException {
    if (count > 0) {
      crc = Crc64.update(crc, buffer, 0, count);
      written += count;
      out.write(buffer, 0, count);
      count = 0;
    }
  }
}
