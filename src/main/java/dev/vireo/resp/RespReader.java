package dev.vireo.resp;

import io.vertx.core.buffer.Buffer;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Incremental request parser over one connection's receive buffer. {@link #next(Args)} returns true when a whole
 * command is available (its arguments point into this reader's buffer), false when more bytes are needed; both
 * multibulk ({@code *N\r\n$len\r\n...}) and inline ({@code PING\r\n}) requests are understood, as in Redis.
 * Bytes of a command that is not complete stay in place; a partial bulk is never copied twice.
 */
public final class RespReader {
  /** Longest inline request or header line Redis accepts before a newline. */
  static final int INLINE_MAX = 64 * 1024;

  private byte[] buf = new byte[16 * 1024];
  private int rpos;
  private int wpos;
  /** Longest multibulk count and bulk length a connection may send before it has authenticated. */
  static final int UNAUTH_MAX_ARGS = 10;
  static final int UNAUTH_MAX_BULK = 16 * 1024;

  private LongSupplier maxBulkLen = () -> 512L * 1024 * 1024;
  private BooleanSupplier unauthenticated = () -> false;

  /** Multibulk state for a command whose header was parsed but whose arguments are not all here yet. */
  private int pendingArgs = -1;

  public void maxBulkLen(long len) {
    this.maxBulkLen = () -> len;
  }

  /** The bulk limit read at each bulk header, so a changed proto-max-bulk-len applies to open connections. */
  public void maxBulkLen(LongSupplier len) {
    this.maxBulkLen = len;
  }

  /** While this answers true, requests are held to the small unauthenticated limits, as in Redis. */
  public void unauthenticated(BooleanSupplier check) {
    this.unauthenticated = check;
  }

  /** Bytes received and not yet consumed by a complete command. */
  public int pending() {
    return wpos - rpos;
  }

  /** The receive buffer's size: what the connection's query buffer takes in memory. */
  public int capacity() {
    return buf.length;
  }

  public void feed(Buffer data) {
    int n = data.length();
    ensure(n);
    data.getBytes(0, n, buf, wpos);
    wpos += n;
  }

  public void feed(byte[] data, int off, int len) {
    ensure(len);
    System.arraycopy(data, off, buf, wpos, len);
    wpos += len;
  }

  private void ensure(int n) {
    if (wpos + n <= buf.length) return;
    // Compact only when the consumed prefix is worth reclaiming; the unconsumed tail moves once.
    int live = wpos - rpos;
    if (rpos > 0 && live + n <= buf.length && rpos >= buf.length / 4) {
      System.arraycopy(buf, rpos, buf, 0, live);
    } else {
      int cap = buf.length;
      while (cap < live + n) cap = cap < (1 << 29) ? cap * 2 : cap + (1 << 29);
      byte[] nb = new byte[cap];
      System.arraycopy(buf, rpos, nb, 0, live);
      buf = nb;
    }
    wpos = live;
    rpos = 0;
  }

  /** Drops consumed bytes when the buffer is empty, so an idle connection's buffer starts from 0. */
  public void compactIfEmpty() {
    if (rpos == wpos && pendingArgs < 0) {
      rpos = wpos = 0;
      if (buf.length > 64 * 1024) buf = new byte[16 * 1024];
    }
  }

  /**
   * Parses the next command into {@code out}. Returns false when the bytes for it are not all here.
   *
   * @throws ProtocolException on malformed input; the connection must be answered and closed.
   */
  public boolean next(Args out) throws ProtocolException {
    while (true) {
      if (pendingArgs < 0) {
        if (rpos >= wpos) return false;
        if (buf[rpos] != '*') {
          if (!inline(out)) return false;
          if (out.count > 0) return true;
          continue; // blank line
        }
        int eol = findCrlf(rpos);
        if (eol < 0) {
          if (wpos - rpos > INLINE_MAX) throw new ProtocolException("too big mbulk count string");
          return false;
        }
        long n = parseLong(rpos + 1, eol);
        if (n == Long.MIN_VALUE || n > Integer.MAX_VALUE) throw new ProtocolException("invalid multibulk length");
        if (n > UNAUTH_MAX_ARGS && unauthenticated.getAsBoolean()) {
          throw new ProtocolException("unauthenticated multibulk length");
        }
        rpos = eol + 2;
        if (n <= 0) continue; // empty multibulk: ignored, as Redis does
        pendingArgs = (int) n;
      }
      // Parse every argument from the first one again on each call, so all slices come from one buffer.
      out.reset();
      int p = rpos;
      for (int i = 0; i < pendingArgs; i++) {
        if (p >= wpos) return false;
        if (buf[p] != '$') {
          throw new ProtocolException("expected '$', got '" + (char) (buf[p] & 0xff) + "'");
        }
        int eol = findCrlf(p);
        if (eol < 0) {
          if (wpos - p > INLINE_MAX) throw new ProtocolException("too big bulk count string");
          return false;
        }
        long len = parseLong(p + 1, eol);
        if (len < 0 || len > maxBulkLen.getAsLong()) throw new ProtocolException("invalid bulk length");
        if (len > UNAUTH_MAX_BULK && unauthenticated.getAsBoolean()) {
          throw new ProtocolException("unauthenticated bulk length");
        }
        int dataStart = eol + 2;
        if ((long) wpos - dataStart < len + 2) {
          ensureRoomFor(dataStart + len + 2);
          return false;
        }
        out.add(buf, dataStart, (int) len);
        p = dataStart + (int) len + 2;
      }
      rpos = p;
      pendingArgs = -1;
      return true;
    }
  }

  /** For a large bulk, grow once to its full size instead of doubling through every read. */
  private void ensureRoomFor(long end) {
    long required = end - rpos;
    if (required > buf.length && required < Integer.MAX_VALUE - 8) {
      int have = wpos - rpos;
      byte[] nb = new byte[(int) required];
      System.arraycopy(buf, rpos, nb, 0, have);
      buf = nb;
      wpos = have;
      rpos = 0;
    }
  }

  private int findCrlf(int from) {
    int limit = Math.min(wpos - 1, from + INLINE_MAX + 2);
    for (int i = from; i < limit; i++) {
      if (buf[i] == '\r' && buf[i + 1] == '\n') return i;
    }
    return -1;
  }

  /** Parses [from, to) as a canonical signed decimal; Long.MIN_VALUE when it is not one. */
  private long parseLong(int from, int to) {
    if (from >= to || to - from > 19) return Long.MIN_VALUE;
    boolean neg = false;
    int i = from;
    if (buf[i] == '-') {
      neg = true;
      if (++i == to) return Long.MIN_VALUE;
    }
    // Canonical form only, as Redis's string2ll: no '+', no leading zeros, no "-0".
    if (buf[i] == '0' && (to - i > 1 || neg)) return Long.MIN_VALUE;
    long v = 0;
    for (; i < to; i++) {
      int d = buf[i] - '0';
      if (d < 0 || d > 9) return Long.MIN_VALUE;
      v = v * 10 + d;
    }
    return neg ? -v : v;
  }

  /** An inline command: one line split like redis.conf lines. Returns false when the line is not complete. */
  private boolean inline(Args out) throws ProtocolException {
    int nl = -1;
    int limit = Math.min(wpos, rpos + INLINE_MAX + 1);
    for (int i = rpos; i < limit; i++) {
      if (buf[i] == '\n') {
        nl = i;
        break;
      }
    }
    if (nl < 0) {
      if (wpos - rpos > INLINE_MAX) throw new ProtocolException("too big inline request");
      return false;
    }
    int end = nl > rpos && buf[nl - 1] == '\r' ? nl - 1 : nl;
    out.reset();
    InlineSplitter.split(buf, rpos, end, out);
    rpos = nl + 1;
    return true;
  }
}
