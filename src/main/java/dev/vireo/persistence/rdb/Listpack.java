package dev.vireo.persistence.rdb;

import dev.vireo.util.ListpackBytes;
import java.util.ArrayList;
import java.util.List;

/**
 * The listpack blob Redis 7 stores small lists, hashes and sorted sets in.
 *
 * <pre>
 * total-bytes (u32 LE) | count (u16 LE, 65535 = unknown) | entry* | 0xFF
 * entry = encoding [data] backlen
 *   0xxxxxxx            7-bit unsigned int        10xxxxxx + n bytes   string, n &lt; 64
 *   110xxxxx x          13-bit signed int         1110xxxx x + n       string, n &lt; 4096
 *   11110000 + u32 LE n string                    11110001/10/11/100   16/24/32/64-bit signed int, LE
 *   backlen: size of encoding+data, 7 bits per byte, low bits last, high bit set on all but the first byte
 * </pre>
 *
 * Strings that are canonical integers are stored as integers, in the narrowest width, as Redis does; reading
 * gives back their decimal text.
 */
final class Listpack {
  static final int HEADER_SIZE = 6;
  static final int EOF = 0xFF;
  static final int COUNT_UNKNOWN = 0xFFFF;

  private Listpack() {}

  /** Encodes {@code entries} into one listpack. */
  static byte[] encode(List<byte[]> entries) {
    long total = HEADER_SIZE + 1;
    for (byte[] e : entries) total += ListpackBytes.elementSize(e, 0, e.length);
    if (total > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("listpack too large: " + total + " bytes");
    }
    byte[] out = new byte[(int) total];
    int pos = HEADER_SIZE;
    for (byte[] e : entries) pos = ListpackBytes.writeStr(out, pos, e, 0, e.length);
    out[pos] = (byte) EOF;
    ListpackBytes.header(out, (int) total, entries.size());
    return out;
  }

  /** Bytes of an entry (encoding, data and backlen), stored as an integer when it is a canonical one. */
  static int elementSize(byte[] e) {
    return ListpackBytes.elementSize(e, 0, e.length);
  }

  private static int backlenSize(int size) {
    return ListpackBytes.backlenSize(size);
  }

  /** Decodes and fully validates a listpack; integers come back as their decimal text. */
  static List<byte[]> decode(byte[] lp) throws RdbException {
    int len = lp.length;
    if (len < HEADER_SIZE + 1) {
      throw corrupt("shorter than its header (" + len + " bytes)", 0);
    }
    long total = (lp[0] & 0xFFL) | (lp[1] & 0xFFL) << 8 | (lp[2] & 0xFFL) << 16 | (lp[3] & 0xFFL) << 24;
    if (total != len) {
      throw corrupt("header says " + total + " bytes but the blob has " + len, 0);
    }
    int count = (lp[4] & 0xFF) | (lp[5] & 0xFF) << 8;
    if ((lp[len - 1] & 0xFF) != EOF) {
      throw corrupt("does not end with 0xFF", len - 1);
    }
    List<byte[]> out = new ArrayList<>(Math.min(count, 1024));
    int pos = HEADER_SIZE;
    int end = len - 1;
    while (pos < end) {
      int start = pos;
      int b = lp[pos] & 0xFF;
      byte[] value;
      if ((b & 0x80) == 0) {
        value = Ints.toBytes(b);
        pos += 1;
      } else if ((b & 0xC0) == 0x80) {
        int n = b & 0x3F;
        value = slice(lp, pos + 1, n, end, start);
        pos += 1 + n;
      } else if ((b & 0xE0) == 0xC0) {
        need(pos + 2, end, start);
        int u = ((b & 0x1F) << 8) | (lp[pos + 1] & 0xFF);
        value = Ints.toBytes((u << 19) >> 19);
        pos += 2;
      } else if ((b & 0xF0) == 0xE0) {
        need(pos + 2, end, start);
        int n = ((b & 0x0F) << 8) | (lp[pos + 1] & 0xFF);
        value = slice(lp, pos + 2, n, end, start);
        pos += 2 + n;
      } else {
        switch (b) {
          case 0xF0 -> {
            need(pos + 5, end, start);
            long n = getLE(lp, pos + 1, 4) & 0xFFFFFFFFL;
            if (n > end - pos - 5) {
              throw corrupt("string entry of " + n + " bytes overruns the blob", start);
            }
            value = slice(lp, pos + 5, (int) n, end, start);
            pos += 5 + (int) n;
          }
          case 0xF1 -> {
            need(pos + 3, end, start);
            value = Ints.toBytes((short) getLE(lp, pos + 1, 2));
            pos += 3;
          }
          case 0xF2 -> {
            need(pos + 4, end, start);
            value = Ints.toBytes((getLE(lp, pos + 1, 3) << 40) >> 40);
            pos += 4;
          }
          case 0xF3 -> {
            need(pos + 5, end, start);
            value = Ints.toBytes((int) getLE(lp, pos + 1, 4));
            pos += 5;
          }
          case 0xF4 -> {
            need(pos + 9, end, start);
            value = Ints.toBytes(getLE(lp, pos + 1, 8));
            pos += 9;
          }
          default -> throw corrupt("invalid entry encoding 0x" + Integer.toHexString(b), start);
        }
      }
      int size = pos - start;
      int n = backlenSize(size);
      need(pos + n, end, start);
      for (int i = 0; i < n; i++) {
        int shift = 7 * (n - 1 - i);
        int expected = (size >>> shift) & 0x7F;
        int actual = lp[pos + i] & 0xFF;
        if (actual != (i == 0 ? expected : expected | 0x80)) {
          throw corrupt("entry backlen does not match its size " + size, start);
        }
      }
      pos += n;
      out.add(value);
    }
    if (count != COUNT_UNKNOWN && count != out.size()) {
      throw corrupt("header counts " + count + " entries but it holds " + out.size(), 0);
    }
    return out;
  }

  private static void need(int upTo, int end, int entry) throws RdbException {
    if (upTo > end) {
      throw corrupt("entry overruns the blob", entry);
    }
  }

  private static byte[] slice(byte[] lp, int from, int n, int end, int entry) throws RdbException {
    if (n < 0 || from > end - n) {
      throw corrupt("string entry of " + n + " bytes overruns the blob", entry);
    }
    byte[] value = new byte[n];
    System.arraycopy(lp, from, value, 0, n);
    return value;
  }

  static long getLE(byte[] b, int pos, int n) {
    return ListpackBytes.getLE(b, pos, n);
  }

  private static RdbException corrupt(String what, int offset) {
    return new RdbException("corrupt listpack: " + what + " (at byte " + offset + " of the listpack)");
  }
}
