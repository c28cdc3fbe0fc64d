package dev.vireo.persistence.rdb;

import java.util.ArrayList;
import java.util.List;

/**
 * Reading the ziplist blob of RDB versions before 10 (small lists, hashes, sorted sets, and quicklist nodes).
 *
 * <pre>
 * zlbytes (u32 LE) | zltail (u32 LE) | zllen (u16 LE, 65535 = unknown) | entry* | 0xFF
 * entry = prevlen (1 byte &lt; 254, or 0xFE + u32 LE) encoding [data]
 *   00pppppp: string, 6-bit length    01pppppp q: 14-bit length (big-endian)    10000000 + u32 BE length
 *   0xC0 int16, 0xD0 int32, 0xE0 int64, 0xF0 int24, 0xFE int8 (all LE), 0xF1..0xFD: immediate 0..12
 * </pre>
 */
final class Ziplist {
  private static final int HEADER_SIZE = 10;

  private Ziplist() {}

  /** Decodes and validates a ziplist; integers come back as their decimal text. */
  static List<byte[]> decode(byte[] zl) throws RdbException {
    int len = zl.length;
    if (len < HEADER_SIZE + 1) {
      throw corrupt("shorter than its header (" + len + " bytes)", 0);
    }
    long total = Listpack.getLE(zl, 0, 4) & 0xFFFFFFFFL;
    if (total != len) {
      throw corrupt("header says " + total + " bytes but the blob has " + len, 0);
    }
    long tail = Listpack.getLE(zl, 4, 4) & 0xFFFFFFFFL;
    int count = (int) Listpack.getLE(zl, 8, 2);
    if ((zl[len - 1] & 0xFF) != 0xFF) {
      throw corrupt("does not end with 0xFF", len - 1);
    }
    List<byte[]> out = new ArrayList<>(Math.min(count, 1024));
    int end = len - 1;
    int pos = HEADER_SIZE;
    int previousSize = 0;
    int lastStart = HEADER_SIZE;
    while (pos < end) {
      int start = pos;
      int prevlen = zl[pos] & 0xFF;
      if (prevlen == 0xFE) {
        need(pos + 5, end, start);
        prevlen = (int) Listpack.getLE(zl, pos + 1, 4);
        pos += 5;
      } else if (prevlen == 0xFF) {
        throw corrupt("invalid prevlen", start);
      } else {
        pos += 1;
      }
      if (prevlen != previousSize) {
        throw corrupt("prevlen " + prevlen + " does not match the previous entry's size " + previousSize, start);
      }
      need(pos + 1, end, start);
      int b = zl[pos] & 0xFF;
      byte[] value;
      switch (b >>> 6) {
        case 0 -> {
          value = slice(zl, pos + 1, b & 0x3F, end, start);
          pos += 1 + (b & 0x3F);
        }
        case 1 -> {
          need(pos + 2, end, start);
          int n = ((b & 0x3F) << 8) | (zl[pos + 1] & 0xFF);
          value = slice(zl, pos + 2, n, end, start);
          pos += 2 + n;
        }
        case 2 -> {
          if (b != 0x80) {
            throw corrupt("invalid string encoding 0x" + Integer.toHexString(b), start);
          }
          need(pos + 5, end, start);
          long n = (zl[pos + 1] & 0xFFL) << 24 | (zl[pos + 2] & 0xFFL) << 16 | (zl[pos + 3] & 0xFFL) << 8
              | (zl[pos + 4] & 0xFFL);
          if (n > end - pos - 5) {
            throw corrupt("string entry of " + n + " bytes overruns the blob", start);
          }
          value = slice(zl, pos + 5, (int) n, end, start);
          pos += 5 + (int) n;
        }
        default -> {
          int width;
          long v;
          switch (b) {
            case 0xC0 -> width = 2;
            case 0xD0 -> width = 4;
            case 0xE0 -> width = 8;
            case 0xF0 -> width = 3;
            case 0xFE -> width = 1;
            default -> {
              if (b >= 0xF1 && b <= 0xFD) {
                width = 0;
              } else {
                throw corrupt("invalid entry encoding 0x" + Integer.toHexString(b), start);
              }
            }
          }
          need(pos + 1 + width, end, start);
          if (width == 0) {
            v = (b & 0x0F) - 1;
          } else {
            int shift = 64 - 8 * width;
            v = (Listpack.getLE(zl, pos + 1, width) << shift) >> shift;
          }
          value = Ints.toBytes(v);
          pos += 1 + width;
        }
      }
      previousSize = pos - start;
      lastStart = start;
      out.add(value);
    }
    if (!out.isEmpty() && tail != lastStart) {
      throw corrupt("tail offset " + tail + " does not point at the last entry (" + lastStart + ")", 4);
    }
    if (count != 0xFFFF && count != out.size()) {
      throw corrupt("header counts " + count + " entries but it holds " + out.size(), 8);
    }
    return out;
  }

  private static void need(int upTo, int end, int entry) throws RdbException {
    if (upTo > end) {
      throw corrupt("entry overruns the blob", entry);
    }
  }

  private static byte[] slice(byte[] zl, int from, int n, int end, int entry) throws RdbException {
    if (from > end - n) {
      throw corrupt("string entry of " + n + " bytes overruns the blob", entry);
    }
    byte[] value = new byte[n];
    System.arraycopy(zl, from, value, 0, n);
    return value;
  }

  private static RdbException corrupt(String what, int offset) {
    return new RdbException("corrupt ziplist: " + what + " (at byte " + offset + " of the ziplist)");
  }
}
