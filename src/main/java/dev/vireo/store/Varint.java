package dev.vireo.store;

/**
 * The packed encodings' lengths: an unsigned int in 7-bit groups, low group first, the high bit of each byte set
 * while more follow (1 byte up to 127, 2 up to 16383...). Small hashes, hash-table entries, sorted-set listpacks
 * and list nodes frame their elements with it.
 */
final class Varint {
  private Varint() {}

  /** The bytes {@code v} takes. */
  static int size(int v) {
    return v < 1 << 7 ? 1 : v < 1 << 14 ? 2 : v < 1 << 21 ? 3 : v < 1 << 28 ? 4 : 5;
  }

  /** Writes {@code v} at {@code pos}; returns the position after it. */
  static int put(byte[] out, int pos, int v) {
    while (v >= 0x80 || v < 0) {
      out[pos++] = (byte) (v | 0x80);
      v >>>= 7;
    }
    out[pos++] = (byte) v;
    return pos;
  }

  /** Reads the value at {@code pos}. */
  static int get(byte[] in, int pos) {
    int v = 0;
    for (int shift = 0; ; pos++, shift += 7) {
      int b = in[pos];
      v |= (b & 0x7F) << shift;
      if (b >= 0) return v;
    }
  }
}
