package dev.vireo.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The packed form of a small sorted set: one exact-size {@code byte[]} of entries in (score, member) order, each
 * {@code varint(memberLength << 2 | kind)}, the member's bytes, then the score in the fewest bytes that hold it
 * exactly: kind 2 a signed byte, 3 a signed short, 1 a float, 0 a double. Lookups scan it linearly, as Redis scans
 * its listpack; every change builds a new array, as a listpack is reallocated.
 */
final class ZPack {
  static final byte[] EMPTY = new byte[0];

  private static final int DOUBLE = 0;
  private static final int FLOAT = 1;
  private static final int INT8 = 2;
  private static final int INT16 = 3;

  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class,
      ByteOrder.LITTLE_ENDIAN);

  private ZPack() {
  }

  /** The entry's header: member length shifted left by two, or'ed with the score's kind. */
  static int header(byte[] p, int off) {
    return Varint.get(p, off);
  }

  static int headerSize(int h) {
    return Varint.size(h);
  }

  static int memberOff(int off, int h) {
    return off + (h < 0x80 ? 1 : headerSize(h));
  }

  static int memberLen(int h) {
    return h >>> 2;
  }

  /** The offset just past the entry that starts at off and has header h. */
  static int end(int off, int h) {
    return memberOff(off, h) + (h >>> 2) + scoreSize(h & 3);
  }

  static int end(byte[] p, int off) {
    int b = p[off];
    if (b >= 0) return off + 1 + (b >>> 2) + scoreSize(b & 3); // the common one-byte header
    return end(off, header(p, off));
  }

  static double score(byte[] p, int off, int h) {
    int at = memberOff(off, h) + (h >>> 2);
    switch (h & 3) {
      case INT8:
        return p[at];
      case INT16:
        return (short) SHORT.get(p, at);
      case FLOAT:
        return Float.intBitsToFloat((int) INT.get(p, at));
      default:
        return Double.longBitsToDouble((long) LONG.get(p, at));
    }
  }

  static byte[] member(byte[] p, int off, int h) {
    int mo = memberOff(off, h);
    return Arrays.copyOfRange(p, mo, mo + (h >>> 2));
  }

  private static int scoreSize(int kind) {
    return (0x02010408 >>> (kind << 3)) & 0xff; // DOUBLE 8, FLOAT 4, INT8 1, INT16 2
  }

  private static int kindOf(double s) {
    long bits = Double.doubleToRawLongBits(s);
    if (s >= Short.MIN_VALUE && s <= Short.MAX_VALUE && bits == Double.doubleToRawLongBits((short) s)) {
      return s >= Byte.MIN_VALUE && s <= Byte.MAX_VALUE ? INT8 : INT16;
    }
    return bits == Double.doubleToRawLongBits((float) s) ? FLOAT : DOUBLE;
  }

  /** The ordering of an entry against (score, member): negative when the entry sorts first. */
  static int compare(byte[] p, int off, int h, double score, byte[] m, int moff, int mlen) {
    double s = score(p, off, h);
    if (s != score) return s < score ? -1 : 1;
    int mo = memberOff(off, h);
    return Arrays.compareUnsigned(p, mo, mo + (h >>> 2), m, moff, moff + mlen);
  }

  static boolean memberEquals(byte[] p, int off, int h, byte[] m, int moff, int mlen) {
    if ((h >>> 2) != mlen) return false;
    int mo = memberOff(off, h);
    // Members often share a prefix (user:1, user:2...): the last byte rejects most candidates first.
    return mlen == 0 || p[mo + mlen - 1] == m[moff + mlen - 1] && Arrays.equals(p, mo, mo + mlen, m, moff, moff + mlen);
  }

  /** The offset of the entry for a member, or -1. */
  static int find(byte[] p, byte[] m, int moff, int mlen) {
    for (int off = 0; off < p.length; ) {
      int h = header(p, off);
      if (memberEquals(p, off, h, m, moff, mlen)) return off;
      off = end(off, h);
    }
    return -1;
  }

  /** The offset of the entry at a 0-based index (which must exist). */
  static int offsetOf(byte[] p, long index) {
    int off = 0;
    for (long i = 0; i < index; i++) off = end(p, off);
    return off;
  }

  /** A copy with a new entry inserted in order (the member known to be absent). */
  static byte[] insert(byte[] p, double score, byte[] m) {
    int at = 0;
    while (at < p.length) {
      int h = header(p, at);
      if (compare(p, at, h, score, m, 0, m.length) > 0) break;
      at = end(at, h);
    }
    int kind = kindOf(score);
    int h = m.length << 2 | kind;
    int hs = headerSize(h);
    int size = hs + m.length + scoreSize(kind);
    byte[] q = new byte[p.length + size];
    System.arraycopy(p, 0, q, 0, at);
    System.arraycopy(p, at, q, at + size, p.length - at);
    System.arraycopy(m, 0, q, at + hs, m.length);
    writeHeaderAndScore(q, at, h, at + hs + m.length, kind, score);
    return q;
  }

  /**
   * The entries with the one at off given a new score: rewritten in place when it keeps its place and its size
   * (no allocation, as a ZINCRBY that does not reorder), otherwise one copy that moves it.
   */
  static byte[] rescore(byte[] p, int off, double score) {
    int h = header(p, off);
    int mo = memberOff(off, h);
    int len = h >>> 2;
    int end = end(off, h);
    // The new place: before the first other entry that sorts after (score, member).
    int at = 0;
    while (at < p.length) {
      if (at == off) {
        at = end;
        continue;
      }
      int eh = header(p, at);
      if (compare(p, at, eh, score, p, mo, len) > 0) break;
      at = end(at, eh);
    }
    int kind = kindOf(score);
    int nh = len << 2 | kind;
    int size = (mo - off) + len + scoreSize(kind);
    if ((at == end || at == off) && size == end - off) {
      writeHeaderAndScore(p, off, nh, mo + len, kind, score);
      return p;
    }
    byte[] q = new byte[p.length - (end - off) + size];
    int w;
    if (at <= off) {
      // [0, at) new [at, off) [end, ...)
      System.arraycopy(p, 0, q, 0, at);
      System.arraycopy(p, mo, q, at + (mo - off), len);
      writeHeaderAndScore(q, at, nh, at + (mo - off) + len, kind, score);
      w = at + size;
      System.arraycopy(p, at, q, w, off - at);
      w += off - at;
      System.arraycopy(p, end, q, w, p.length - end);
    } else {
      // [0, off) [end, at) new [at, ...)
      System.arraycopy(p, 0, q, 0, off);
      System.arraycopy(p, end, q, off, at - end);
      w = off + (at - end);
      System.arraycopy(p, mo, q, w + (mo - off), len);
      writeHeaderAndScore(q, w, nh, w + (mo - off) + len, kind, score);
      System.arraycopy(p, at, q, w + size, p.length - at);
    }
    return q;
  }

  private static void writeHeaderAndScore(byte[] q, int w, int h, int scoreAt, int kind, double score) {
    int v = h;
    while (v >= 0x80) {
      q[w++] = (byte) (v | 0x80);
      v >>>= 7;
    }
    q[w] = (byte) v;
    switch (kind) {
      case INT8 -> q[scoreAt] = (byte) score;
      case INT16 -> SHORT.set(q, scoreAt, (short) score);
      case FLOAT -> INT.set(q, scoreAt, Float.floatToRawIntBits((float) score));
      default -> LONG.set(q, scoreAt, Double.doubleToRawLongBits(score));
    }
  }

  /** The bytes of an entry for a member of mlen bytes with this score. */
  static int entrySize(double score, int mlen) {
    return headerSize(mlen << 2) + mlen + scoreSize(kindOf(score));
  }

  /** Writes an entry at w; returns the offset past it. */
  static int write(byte[] q, int w, double score, byte[] m) {
    int kind = kindOf(score);
    int hs = headerSize(m.length << 2);
    System.arraycopy(m, 0, q, w + hs, m.length);
    writeHeaderAndScore(q, w, m.length << 2 | kind, w + hs + m.length, kind, score);
    return w + hs + m.length + scoreSize(kind);
  }

  /** A copy without the bytes [from, to). */
  static byte[] cut(byte[] p, int from, int to) {
    if (from == 0 && to == p.length) return EMPTY;
    byte[] q = new byte[p.length - (to - from)];
    System.arraycopy(p, 0, q, 0, from);
    System.arraycopy(p, to, q, from, p.length - to);
    return q;
  }
}
