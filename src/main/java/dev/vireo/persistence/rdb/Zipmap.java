package dev.vireo.persistence.rdb;

import java.util.ArrayList;
import java.util.List;

/**
 * Reading the zipmap blob small hashes used before Redis 2.6: {@code zmlen (1 byte) | (len key len free value
 * pad)* | 0xFF}, where a length is one byte below 254 or 254 followed by a u32 (little-endian, as x86 wrote it).
 */
final class Zipmap {
  private Zipmap() {}

  /** Field, value, field, value, ... */
  static List<byte[]> decode(byte[] zm) throws RdbException {
    int end = zm.length;
    if (end < 2) {
      throw corrupt("shorter than its header", 0);
    }
    List<byte[]> out = new ArrayList<>();
    int pos = 1;
    while (true) {
      need(pos + 1, end, pos);
      int b = zm[pos] & 0xFF;
      if (b == 0xFF) {
        if (pos != end - 1) {
          throw corrupt("bytes after the end marker", pos);
        }
        break;
      }
      int start = pos;
      long[] lenAndNext = readLength(zm, pos, end);
      pos = (int) lenAndNext[1];
      byte[] key = slice(zm, pos, lenAndNext[0], end, start);
      pos += key.length;
      lenAndNext = readLength(zm, pos, end);
      pos = (int) lenAndNext[1];
      need(pos + 1, end, start);
      int free = zm[pos] & 0xFF;
      pos += 1;
      byte[] value = slice(zm, pos, lenAndNext[0], end, start);
      pos += value.length;
      need(pos + free, end, start);
      pos += free;
      out.add(key);
      out.add(value);
    }
    return out;
  }

  private static long[] readLength(byte[] zm, int pos, int end) throws RdbException {
    need(pos + 1, end, pos);
    int b = zm[pos] & 0xFF;
    if (b < 254) {
      return new long[] {b, pos + 1};
    }
    if (b == 254) {
      need(pos + 5, end, pos);
      return new long[] {Listpack.getLE(zm, pos + 1, 4) & 0xFFFFFFFFL, pos + 5};
    }
    throw corrupt("unexpected end marker inside an entry", pos);
  }

  private static void need(long upTo, int end, int entry) throws RdbException {
    if (upTo > end) {
      throw corrupt("entry overruns the blob", entry);
    }
  }

  private static byte[] slice(byte[] zm, int from, long n, int end, int entry) throws RdbException {
    if (n > end - from) {
      throw corrupt("string of " + n + " bytes overruns the blob", entry);
    }
    byte[] value = new byte[(int) n];
    System.arraycopy(zm, from, value, 0, (int) n);
    return value;
  }

  private static RdbException corrupt(String what, int offset) {
    return new RdbException("corrupt zipmap: " + what + " (at byte " + offset + " of the zipmap)");
  }
}
