package dev.vireo.persistence.rdb;

/**
 * The intset blob small integer sets are stored in: {@code encoding (u32 LE: 2, 4 or 8) | length (u32 LE) |
 * values}, values sorted ascending, distinct, each {@code encoding} bytes little-endian.
 */
final class Intset {
  static final int HEADER_SIZE = 8;

  private Intset() {}

  /** Encodes sorted distinct {@code values} in the narrowest width that holds them all. */
  static byte[] encode(long[] values) {
    int width = 2;
    for (long v : values) {
      if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
        width = 8;
        break;
      } else if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
        width = 4;
      }
    }
    byte[] out = new byte[HEADER_SIZE + width * values.length];
    putLE(out, 0, width, 4);
    putLE(out, 4, values.length, 4);
    int pos = HEADER_SIZE;
    for (long v : values) {
      putLE(out, pos, v, width);
      pos += width;
    }
    return out;
  }

  /** Decodes and validates an intset: width, length and strictly ascending order. */
  static long[] decode(byte[] blob) throws RdbException {
    if (blob.length < HEADER_SIZE) {
      throw new RdbException("corrupt intset: " + blob.length + " bytes is shorter than its header");
    }
    long width = Listpack.getLE(blob, 0, 4) & 0xFFFFFFFFL;
    if (width != 2 && width != 4 && width != 8) {
      throw new RdbException("corrupt intset: invalid encoding " + width);
    }
    long count = Listpack.getLE(blob, 4, 4) & 0xFFFFFFFFL;
    if (HEADER_SIZE + count * width != blob.length) {
      throw new RdbException("corrupt intset: " + count + " entries of " + width + " bytes do not fill "
          + blob.length + " bytes");
    }
    long[] values = new long[(int) count];
    int w = (int) width;
    int shift = 64 - 8 * w;
    for (int i = 0; i < count; i++) {
      long v = (Listpack.getLE(blob, HEADER_SIZE + i * w, w) << shift) >> shift;
      if (i > 0 && v <= values[i - 1]) {
        throw new RdbException("corrupt intset: entry " + i + " is not greater than the one before");
      }
      values[i] = v;
    }
    return values;
  }

  private static void putLE(byte[] out, int pos, long v, int n) {
    for (int i = 0; i < n; i++) {
      out[pos + i] = (byte) (v >>> (8 * i));
    }
  }
}
