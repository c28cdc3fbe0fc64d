package dev.vireo.command;

import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.resp.RespWriter;
import dev.vireo.store.StreamId;
import dev.vireo.store.StreamValue;
import dev.vireo.util.ListpackBytes;

/**
 * Stream IDs as commands write them, read the way Redis 7.0 reads them, and the entry replies every stream
 * command shares. Each half is read as C's {@code strtoull} reads it, after Redis has refused canonical negative
 * numbers: so {@code +5} and {@code 007} are 5, and a non-canonical negative wraps around, as in Redis.
 */
final class StreamIds {
  private StreamIds() {}

  static final String INVALID = "ERR Invalid stream ID specified as stream command argument";

  /** A parsed ID and whether its sequence was given ({@code ms-*} leaves it open). */
  record Parsed(StreamId id, boolean seqGiven) {}

  /** A strict ID ({@code -} and {@code +} refused); {@code ms} alone takes {@code missingSeq}. */
  static StreamId strict(Args a, int i, long missingSeq) {
    Parsed p = parse(a.buf(i), a.off(i), a.len(i), true, missingSeq, false);
    if (p == null) throw new CommandError(INVALID);
    return p.id();
  }

  /** A strict ID or null when invalid (no error reply). */
  static StreamId strictOrNull(Args a, int i) {
    Parsed p = parse(a.buf(i), a.off(i), a.len(i), true, 0, false);
    return p == null ? null : p.id();
  }

  /** XADD's ID: strict, and {@code ms-*} allowed. */
  static Parsed forAdd(Args a, int i) {
    Parsed p = parse(a.buf(i), a.off(i), a.len(i), true, 0, true);
    if (p == null) throw new CommandError(INVALID);
    return p;
  }

  /** An ID where {@code -} and {@code +} mean the smallest and largest. */
  static StreamId loose(Args a, int i, long missingSeq) {
    Parsed p = parse(a.buf(i), a.off(i), a.len(i), false, missingSeq, false);
    if (p == null) throw new CommandError(INVALID);
    return p.id();
  }

  /**
   * A range bound: {@code (id} is exclusive (strict after the parenthesis), otherwise a loose ID. Exclusive
   * bounds are moved by one ID, with Redis's errors at the ends of the ID space.
   */
  static StreamId bound(Args a, int i, boolean start) {
    long missing = start ? 0 : -1L;
    int len = a.len(i);
    if (len > 1 && a.buf(i)[a.off(i)] == '(') {
      Parsed p = parse(a.buf(i), a.off(i) + 1, len - 1, true, missing, false);
      if (p == null) throw new CommandError(INVALID);
      StreamId moved = start ? p.id().next() : p.id().previous();
      if (moved == null) {
        throw new CommandError(start ? "ERR invalid start ID for the interval" : "ERR invalid end ID for the interval");
      }
      return moved;
    }
    return loose(a, i, missing);
  }

  private static Parsed parse(byte[] b, int off, int len, boolean strict, long missingSeq, boolean allowStar) {
    if (len > 127) return null;
    if (len == 1 && (b[off] == '-' || b[off] == '+')) {
      if (strict) return null;
      return new Parsed(b[off] == '-' ? StreamId.MIN : StreamId.MAX, true);
    }
    int dash = -1;
    for (int k = off; k < off + len; k++) {
      if (b[k] == '-') {
        dash = k;
        break;
      }
    }
    if (dash < 0) {
      Long ms = strtoull(b, off, len);
      return ms == null ? null : new Parsed(new StreamId(ms, missingSeq), true);
    }
    Long ms = strtoull(b, off, dash - off);
    if (ms == null) return null;
    int seqOff = dash + 1;
    int seqLen = off + len - seqOff;
    if (allowStar && seqLen == 1 && b[seqOff] == '*') return new Parsed(new StreamId(ms, 0), false);
    Long seq = strtoull(b, seqOff, seqLen);
    return seq == null ? null : new Parsed(new StreamId(ms, seq), true);
  }

  /**
   * Redis's {@code string2ull}: a canonical integer must not be negative; anything else goes to {@code strtoull}
   * (leading spaces, a sign, leading zeros; a minus sign negates modulo 2^64; overflow is refused).
   */
  static Long strtoull(byte[] b, int off, int len) {
    if (len == 0) return null;
    if (ListpackBytes.isCanonicalLong(b, off, len)) {
      long v = ListpackBytes.parseLong(b, off, len);
      return v < 0 ? null : v;
    }
    int i = off;
    int end = off + len;
    while (i < end && (b[i] == ' ' || (b[i] >= '\t' && b[i] <= '\r'))) i++;
    boolean neg = false;
    if (i < end && (b[i] == '+' || b[i] == '-')) {
      neg = b[i] == '-';
      i++;
    }
    if (i == end) return null;
    long v = 0;
    for (; i < end; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) return null;
      // v * 10 + d must fit in 64 unsigned bits
      if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) return null;
      long t = v * 10;
      if (Long.compareUnsigned(t + d, t) < 0) return null;
      v = t + d;
    }
    return neg ? -v : v;
  }

  // ------------------------------------------------------------------------------------------------- replies

  /** A writer for a reply whose length is known only at its end, in the client's protocol: built aside. */
  static RespWriter aside(RespWriter out) {
    RespWriter w = new RespWriter();
    w.proto(out.proto());
    return w;
  }

  static void id(RespWriter out, StreamId id) {
    out.bulk(id.bytes());
  }

  /** One entry as Redis replies it: {@code [id, [field, value, ...]]}. */
  static void entry(RespWriter out, StreamValue.Cursor cur) {
    out.array(2);
    id(out, cur.id());
    int[] f = cur.fields();
    byte[] lp = cur.listpack();
    out.array(f.length);
    for (int p : f) element(out, lp, p);
  }

  /** A listpack element as a bulk string (integers as their decimal text). */
  static void element(RespWriter out, byte[] lp, int p) {
    if (ListpackBytes.isInt(lp, p)) out.bulkLong(ListpackBytes.intAt(lp, p));
    else out.bulk(lp, ListpackBytes.strOff(lp, p), ListpackBytes.strLen(lp, p));
  }

  /** Counts the entries in a range (up to {@code count}, 0 = all) so that the array header can go first. */
  static int countRange(StreamValue s, StreamId start, StreamId end, long count, boolean rev) {
    StreamValue.Cursor cur = s.range(start, end, rev);
    int n = 0;
    while ((count == 0 || n < count) && cur.next()) n++;
    return n;
  }

  /** Replies with the entries of a range as an array (up to {@code count}, 0 = all); returns how many. */
  static int range(RespWriter out, StreamValue s, StreamId start, StreamId end, long count, boolean rev) {
    int n = countRange(s, start, end, count, rev);
    out.array(n);
    StreamValue.Cursor cur = s.range(start, end, rev);
    for (int i = 0; i < n && cur.next(); i++) entry(out, cur);
    return n;
  }

  /** Replies with the single entry {@code id} (no array around it); false when it does not exist. */
  static boolean single(RespWriter out, StreamValue s, StreamId id) {
    StreamValue.Cursor cur = s.range(id, id, false);
    if (!cur.next()) return false;
    entry(out, cur);
    return true;
  }
}
