package dev.vireo.util;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Redis's listpack element encoding, element by element, for structures kept as listpacks in memory (stream
 * nodes) and for the RDB codecs.
 *
 * <pre>
 * listpack = total-bytes (u32 LE) | elements (u16 LE, 65535 = unknown) | element* | 0xFF
 * element  = encoding [data] backlen
 *   0xxxxxxx              7-bit unsigned int       10xxxxxx + n bytes     string, n &lt; 64
 *   110xxxxx x            13-bit signed int        1110xxxx x + n         string, n &lt; 4096
 *   11110000 + u32 LE n   string                   11110001/10/11/100     16/24/32/64-bit signed int, LE
 *   backlen: size of encoding+data, 7 bits per byte, the highest group first, the continuation bit on all
 *   but the first byte, so that it reads backwards
 * </pre>
 *
 * Strings that are canonical integers are stored as integers in the narrowest width, as Redis does, and read back
 * as their decimal text.
 */
public final class ListpackBytes {
  public static final int HEADER_SIZE = 6;
  public static final int EOF = 0xFF;
  public static final int COUNT_UNKNOWN = 0xFFFF;

  private ListpackBytes() {}

  // ------------------------------------------------------------------------------------------------- sizes

  /** Bytes of an integer's encoding and data (without backlen). */
  public static int intSize(long v) {
    if (v >= 0 && v <= 127) return 1;
    if (v >= -4096 && v <= 4095) return 2;
    if (v >= -32768 && v <= 32767) return 3;
    if (v >= -8388608 && v <= 8388607) return 4;
    if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return 5;
    return 9;
  }

  /** Bytes of a string's encoding and data (without backlen), as a string (no integer conversion). */
  public static int strSize(int len) {
    if (len < 64) return 1 + len;
    if (len < 4096) return 2 + len;
    return 5 + len;
  }

  public static int backlenSize(int size) {
    if (size <= 127) return 1;
    if (size < 16383) return 2;
    if (size < 2097151) return 3;
    if (size < 268435455) return 4;
    return 5;
  }

  /** Whole element bytes (encoding, data, backlen) of an integer. */
  public static int intElementSize(long v) {
    int s = intSize(v);
    return s + backlenSize(s);
  }

  /** Whole element bytes of a string, stored as an integer when it is a canonical one. */
  public static int elementSize(byte[] b, int off, int len) {
    int s = isCanonicalLong(b, off, len) ? intSize(parseLong(b, off, len)) : strSize(len);
    return s + backlenSize(s);
  }

  // ------------------------------------------------------------------------------------------------- writing

  /** Writes an integer element at {@code pos} (the array must have room); returns the position after it. */
  public static int writeInt(byte[] out, int pos, long v) {
    int start = pos;
    if (v >= 0 && v <= 127) {
      out[pos++] = (byte) v;
    } else if (v >= -4096 && v <= 4095) {
      int u = (int) (v & 0x1FFF);
      out[pos++] = (byte) (0xC0 | (u >>> 8));
      out[pos++] = (byte) u;
    } else if (v >= -32768 && v <= 32767) {
      out[pos] = (byte) 0xF1;
      pos = putLE(out, pos + 1, v, 2);
    } else if (v >= -8388608 && v <= 8388607) {
      out[pos] = (byte) 0xF2;
      pos = putLE(out, pos + 1, v, 3);
    } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
      out[pos] = (byte) 0xF3;
      pos = putLE(out, pos + 1, v, 4);
    } else {
      out[pos] = (byte) 0xF4;
      pos = putLE(out, pos + 1, v, 8);
    }
    return writeBacklen(out, pos, pos - start);
  }

  /** Writes a string element (an integer one when canonical); returns the position after it. */
  public static int writeStr(byte[] out, int pos, byte[] b, int off, int len) {
    if (isCanonicalLong(b, off, len)) return writeInt(out, pos, parseLong(b, off, len));
    int start = pos;
    if (len < 64) {
      out[pos++] = (byte) (0x80 | len);
    } else if (len < 4096) {
      out[pos++] = (byte) (0xE0 | (len >>> 8));
      out[pos++] = (byte) len;
    } else {
      out[pos] = (byte) 0xF0;
      pos = putLE(out, pos + 1, len, 4);
    }
    System.arraycopy(b, off, out, pos, len);
    pos += len;
    return writeBacklen(out, pos, pos - start);
  }

  private static int writeBacklen(byte[] out, int pos, int size) {
    int n = backlenSize(size);
    for (int i = 0; i < n; i++) {
      int group = (size >>> (7 * (n - 1 - i))) & 0x7F;
      out[pos + i] = (byte) (i == 0 ? group : group | 0x80);
    }
    return pos + n;
  }

  public static int putLE(byte[] out, int pos, long v, int n) {
    for (int i = 0; i < n; i++) out[pos + i] = (byte) (v >>> (8 * i));
    return pos + n;
  }

  public static long getLE(byte[] b, int pos, int n) {
    long v = 0;
    for (int i = 0; i < n; i++) v |= (b[pos + i] & 0xFFL) << (8 * i);
    return v;
  }

  /** Sets a listpack's header: total bytes and element count. */
  public static void header(byte[] lp, int totalBytes, int elements) {
    putLE(lp, 0, totalBytes, 4);
    int n = Math.min(elements, COUNT_UNKNOWN);
    lp[4] = (byte) n;
    lp[5] = (byte) (n >>> 8);
  }

  // ------------------------------------------------------------------------------------------------- reading

  /** True when the element at {@code p} is an integer. */
  public static boolean isInt(byte[] lp, int p) {
    int e = lp[p] & 0xFF;
    return (e & 0x80) == 0 || (e & 0xE0) == 0xC0 || (e >= 0xF1 && e <= 0xF4);
  }

  /** The integer element at {@code p}. */
  public static long intAt(byte[] lp, int p) {
    int e = lp[p] & 0xFF;
    if ((e & 0x80) == 0) return e;
    if ((e & 0xE0) == 0xC0) {
      int u = ((e & 0x1F) << 8) | (lp[p + 1] & 0xFF);
      return (u << 19) >> 19; // sign-extend 13 bits
    }
    return switch (e) {
      case 0xF1 -> (short) getLE(lp, p + 1, 2);
      case 0xF2 -> (getLE(lp, p + 1, 3) << 40) >> 40;
      case 0xF3 -> (int) getLE(lp, p + 1, 4);
      case 0xF4 -> getLE(lp, p + 1, 8);
      default -> throw new IllegalStateException("not an integer element: " + e);
    };
  }

  /** Offset of a string element's data. */
  public static int strOff(byte[] lp, int p) {
    int e = lp[p] & 0xFF;
    if ((e & 0xC0) == 0x80) return p + 1;
    if ((e & 0xF0) == 0xE0) return p + 2;
    return p + 5;
  }

  /** Length of a string element's data. */
  public static int strLen(byte[] lp, int p) {
    int e = lp[p] & 0xFF;
    if ((e & 0xC0) == 0x80) return e & 0x3F;
    if ((e & 0xF0) == 0xE0) return ((e & 0x0F) << 8) | (lp[p + 1] & 0xFF);
    return (int) getLE(lp, p + 1, 4);
  }

  /** Size of the element's encoding and data (without backlen); -1 for an unknown encoding byte. */
  public static long encodedSize(byte[] lp, int p) {
    int e = lp[p] & 0xFF;
    if ((e & 0x80) == 0) return 1;
    if ((e & 0xC0) == 0x80) return 1 + (e & 0x3F);
    if ((e & 0xE0) == 0xC0) return 2;
    if ((e & 0xF0) == 0xE0) return 2 + (((e & 0x0F) << 8) | (lp[p + 1] & 0xFF));
    return switch (e) {
      case 0xF0 -> 5 + getLE(lp, p + 1, 4);
      case 0xF1 -> 3;
      case 0xF2 -> 4;
      case 0xF3 -> 5;
      case 0xF4 -> 9;
      default -> -1;
    };
  }

  /** Position of the element after the one at {@code p}. */
  public static int next(byte[] lp, int p) {
    int size = (int) encodedSize(lp, p);
    return p + size + backlenSize(size);
  }

  /** The element at {@code p} as bytes: its data, or an integer's decimal text. */
  public static byte[] bytesAt(byte[] lp, int p) {
    if (isInt(lp, p)) return Long.toString(intAt(lp, p)).getBytes(StandardCharsets.US_ASCII);
    int off = strOff(lp, p);
    return Arrays.copyOfRange(lp, off, off + strLen(lp, p));
  }

  /** True when the element at {@code p} equals {@code b[off, off+len)} as text. */
  public static boolean equalsAt(byte[] lp, int p, byte[] b, int off, int len) {
    if (isInt(lp, p)) return isCanonicalLong(b, off, len) && parseLong(b, off, len) == intAt(lp, p);
    return strLen(lp, p) == len
        && Arrays.equals(lp, strOff(lp, p), strOff(lp, p) + len, b, off, off + len);
  }

  // ------------------------------------------------------------------------------------------------- integers

  /**
   * True when the bytes are the canonical text of a 64-bit integer: no sign but '-', no leading zeros, no "-0",
   * in range; as Redis decides whether a listpack string is stored as an integer.
   */
  public static boolean isCanonicalLong(byte[] b, int off, int len) {
    if (len == 0 || len > 20) return false;
    int i = off;
    int end = off + len;
    boolean neg = b[i] == '-';
    if (neg) {
      i++;
      if (i == end) return false;
    }
    if (b[i] == '0') return len == 1;
    long limit = neg ? Long.MIN_VALUE : -Long.MAX_VALUE;
    long multmin = limit / 10;
    long v = 0; // accumulated negatively, as the negative range is the larger one
    for (; i < end; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9 || v < multmin) return false;
      v *= 10;
      if (v < limit + d) return false;
      v -= d;
    }
    return true;
  }

  /** Parses canonical integer text (see {@link #isCanonicalLong}). */
  public static long parseLong(byte[] b, int off, int len) {
    boolean neg = b[off] == '-';
    long v = 0;
    for (int i = neg ? off + 1 : off; i < off + len; i++) v = v * 10 - (b[i] - '0');
    return neg ? v : -v;
  }
}
