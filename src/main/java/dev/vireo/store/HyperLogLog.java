package dev.vireo.store;

import java.util.Arrays;

/**
 * HyperLogLog values in Redis's own string layout, so that the bytes GET returns (and RDB/DUMP carry) are the
 * ones Redis stores.
 *
 * <p>Layout: a 16-byte header ({@code "HYLL"}, encoding byte 0=dense/1=sparse, 3 unused bytes, the cached
 * cardinality as 8 bytes little-endian whose top bit marks the cache stale), then the registers. Dense: 16384
 * 6-bit registers packed little-endian bit-wise (12288 bytes). Sparse: run-length opcodes, ZERO {@code 00llllll}
 * (1..64 zero registers), XZERO {@code 01llllll llllllll} (1..16384 zero registers) and VAL {@code 1vvvvvll}
 * (1..4 registers holding 1..32). A sparse value is promoted to dense once a register needs more than 32 or the
 * value would grow past {@code hll-sparse-max-bytes}.
 *
 * <p>Methods work on a {@link Value} holder because sparse updates resize the array.
 */
public final class HyperLogLog {
  private HyperLogLog() {}

  public static final int P = 14;
  public static final int REGISTERS = 1 << P;
  private static final int Q = 64 - P;
  private static final int HEADER = 16;
  public static final int DENSE_SIZE = HEADER + (REGISTERS * 6 + 7) / 8;
  static final byte DENSE = 0;
  static final byte SPARSE = 1;
  private static final int VAL_MAX_VALUE = 32;
  private static final int VAL_MAX_LEN = 4;
  private static final int ZERO_MAX_LEN = 64;
  private static final int XZERO_MAX_LEN = 16384;
  private static final double ALPHA_INF = 0.721347520444481703680;

  /** A mutable HLL string; {@code bytes} may be replaced by a resized copy. */
  public static final class Value {
    public byte[] bytes;
    int len;

    Value(byte[] bytes) {
      this.bytes = bytes;
      this.len = bytes.length;
    }

    /** The value trimmed to its length, for storing. */
    public byte[] toBytes() {
      if (bytes.length != len) bytes = Arrays.copyOf(bytes, len);
      return bytes;
    }
  }

  /** A new empty sparse HLL: the header and one XZERO covering every register; cached cardinality 0. */
  public static byte[] create() {
    byte[] b = new byte[HEADER + 2];
    b[0] = 'H';
    b[1] = 'Y';
    b[2] = 'L';
    b[3] = 'L';
    b[4] = SPARSE;
    setXzero(b, HEADER, REGISTERS);
    return b;
  }

  /** True when the string has a valid HLL header (what Redis checks before PF* commands touch it). */
  public static boolean isHll(byte[] b) {
    if (b.length < HEADER || b[0] != 'H' || b[1] != 'Y' || b[2] != 'L' || b[3] != 'L') return false;
    if (b[4] != DENSE && b[4] != SPARSE) return false;
    return b[4] != DENSE || b.length == DENSE_SIZE;
  }

  public static boolean isDense(byte[] b) {
    return b[4] == DENSE;
  }

  public static Value wrap(byte[] b) {
    return new Value(b);
  }

  // ---- hashing -------------------------------------------------------------------------------------------

  /** MurmurHash64A (little-endian block reads) with Redis's seed. */
  static long murmur64a(byte[] data, int off, int len) {
    final long m = 0xc6a4a7935bd1e995L;
    final int r = 47;
    long h = 0xadc83b19L ^ (len * m);
    int end = off + (len & ~7);
    int i = off;
    for (; i < end; i += 8) {
      long k = (data[i] & 0xffL) | (data[i + 1] & 0xffL) << 8 | (data[i + 2] & 0xffL) << 16
          | (data[i + 3] & 0xffL) << 24 | (data[i + 4] & 0xffL) << 32 | (data[i + 5] & 0xffL) << 40
          | (data[i + 6] & 0xffL) << 48 | (data[i + 7] & 0xffL) << 56;
      k *= m;
      k ^= k >>> r;
      k *= m;
      h ^= k;
      h *= m;
    }
    int rest = len & 7;
    if (rest > 0) {
      for (int j = rest - 1; j >= 0; j--) h ^= (data[i + j] & 0xffL) << (8 * j);
      h *= m;
    }
    h ^= h >>> r;
    h *= m;
    h ^= h >>> r;
    return h;
  }

  /** Register index in the low 32 bits, run length of the pattern (1..Q+1) in the high 32 bits. */
  static long patternOf(byte[] data, int off, int len) {
    long h = murmur64a(data, off, len);
    int index = (int) (h & (REGISTERS - 1));
    h >>>= P;
    h |= 1L << Q; // guarantees termination
    int count = Long.numberOfTrailingZeros(h) + 1;
    return ((long) count << 32) | index;
  }

  // ---- dense ---------------------------------------------------------------------------------------------

  static int denseGet(byte[] b, int reg) {
    int bit = reg * 6;
    int by = HEADER + (bit >>> 3);
    int fb = bit & 7;
    int lo = (b[by] & 0xff) >>> fb;
    int hi = by + 1 < b.length ? (b[by + 1] & 0xff) << (8 - fb) : 0;
    return (lo | hi) & 63;
  }

  static void denseSet(byte[] b, int reg, int val) {
    int bit = reg * 6;
    int by = HEADER + (bit >>> 3);
    int fb = bit & 7;
    b[by] = (byte) ((b[by] & ~(63 << fb)) | (val << fb));
    if (fb > 2) {
      b[by + 1] = (byte) ((b[by + 1] & ~(63 >>> (8 - fb))) | (val >>> (8 - fb)));
    }
  }

  // ---- sparse opcodes ------------------------------------------------------------------------------------

  private static boolean isZero(int op) {
    return (op & 0xc0) == 0;
  }

  private static boolean isXzero(int op) {
    return (op & 0xc0) == 0x40;
  }

  private static int zeroLen(int op) {
    return (op & 0x3f) + 1;
  }

  /** An XZERO's run length; a truncated XZERO as the last byte reads 0 as its second byte, as Redis does. */
  private static int xzeroLen(byte[] b, int p, int end) {
    int low = p + 1 < end ? b[p + 1] & 0xff : 0;
    return (((b[p] & 0x3f) << 8) | low) + 1;
  }

  private static int valValue(int op) {
    return ((op >>> 2) & 0x1f) + 1;
  }

  private static int valLen(int op) {
    return (op & 3) + 1;
  }

  private static void setXzero(byte[] b, int p, int len) {
    len--;
    b[p] = (byte) (0x40 | (len >>> 8));
    b[p + 1] = (byte) len;
  }

  private static byte zero(int len) {
    return (byte) (len - 1);
  }

  private static byte val(int value, int len) {
    return (byte) (0x80 | ((value - 1) << 2) | (len - 1));
  }

  /** Rewrites a sparse value as dense, keeping the header (cached cardinality included). False if corrupt. */
  static boolean sparseToDense(Value v) {
    byte[] s = v.bytes;
    if (s[4] == DENSE) return true;
    byte[] d = new byte[DENSE_SIZE];
    System.arraycopy(s, 0, d, 0, HEADER);
    d[4] = DENSE;
    int idx = 0;
    int p = HEADER;
    while (p < v.len) {
      int op = s[p] & 0xff;
      // a run past the last register makes the value invalid, as Redis's overflow checks say
      if (isZero(op)) {
        if (idx + zeroLen(op) > REGISTERS) return false;
        idx += zeroLen(op);
        p++;
      } else if (isXzero(op)) {
        if (idx + xzeroLen(s, p, v.len) > REGISTERS) return false;
        idx += xzeroLen(s, p, v.len);
        p += 2;
      } else {
        int runlen = valLen(op);
        int value = valValue(op);
        if (idx + runlen > REGISTERS) return false;
        for (int k = 0; k < runlen; k++) denseSet(d, idx++, value);
        p++;
      }
    }
    if (idx != REGISTERS) return false;
    v.bytes = d;
    v.len = DENSE_SIZE;
    return true;
  }

  /**
   * Sets register {@code index} to {@code count} if that raises it. Returns 1 if changed, 0 if not, -1 if the
   * sparse data is corrupt. Promotes to dense as Redis does.
   */
  static int sparseSet(Value v, int index, int count, long sparseMaxBytes) {
    if (count > VAL_MAX_VALUE) return promoteAndSet(v, index, count);
    byte[] b = v.bytes;
    int end = v.len;
    int p = HEADER;
    int first = 0;
    int prev = -1;
    int span = 0;
    while (p < end) {
      int op = b[p] & 0xff;
      int oplen = 1;
      if (isZero(op)) {
        span = zeroLen(op);
      } else if (!isXzero(op)) {
        span = valLen(op);
      } else {
        span = xzeroLen(b, p, end);
        oplen = 2;
      }
      if (index <= first + span - 1) break;
      prev = p;
      p += oplen;
      first += span;
    }
    if (span == 0 || p >= end) return -1;
    int op = b[p] & 0xff;
    boolean xzero = isXzero(op);
    boolean zero = isZero(op);
    boolean isVal = !xzero && !zero;
    int next = xzero ? p + 2 : p + 1;
    int runlen = xzero ? xzeroLen(b, p, end) : zero ? zeroLen(op) : valLen(op);

    if (isVal) {
      int old = valValue(op);
      if (old >= count) return 0;
      if (runlen == 1) {
        b[p] = val(count, 1);
        mergeFrom(v, prev >= 0 ? prev : HEADER);
        return 1;
      }
    }
    if (zero && runlen == 1) {
      b[p] = val(count, 1);
      mergeFrom(v, prev >= 0 ? prev : HEADER);
      return 1;
    }

    // General case: replace the opcode with up to three (5 bytes at most).
    byte[] seq = new byte[5];
    int n = 0;
    int last = first + span - 1;
    if (zero || xzero) {
      if (index != first) n = putZeros(seq, n, index - first);
      seq[n++] = val(count, 1);
      if (index != last) n = putZeros(seq, n, last - index);
    } else {
      int cur = valValue(op);
      if (index != first) seq[n++] = val(cur, index - first);
      seq[n++] = val(count, 1);
      if (index != last) seq[n++] = val(cur, last - index);
    }
    int oldlen = xzero ? 2 : 1;
    int delta = n - oldlen;
    if (delta > 0 && (long) v.len + delta > sparseMaxBytes) return promoteAndSet(v, index, count);
    // a truncated XZERO as the last byte: the new opcodes reach one byte past the value, which is dropped
    int room = Math.max(v.len + delta, p + n);
    if (room > b.length) {
      b = Arrays.copyOf(b, room);
      v.bytes = b;
    }
    if (delta != 0 && next < end) System.arraycopy(b, next, b, next + delta, end - next);
    System.arraycopy(seq, 0, b, p, n);
    v.len += delta;
    mergeFrom(v, prev >= 0 ? prev : HEADER);
    return 1;
  }

  private static int putZeros(byte[] seq, int n, int len) {
    if (len > ZERO_MAX_LEN) {
      setXzero(seq, n, len);
      return n + 2;
    }
    seq[n] = zero(len);
    return n + 1;
  }

  /** Joins adjacent VAL opcodes of equal value, looking at a few opcodes from {@code p} like Redis. */
  private static void mergeFrom(Value v, int p) {
    byte[] b = v.bytes;
    int end = v.len;
    int scan = 5;
    while (p < end && scan-- > 0) {
      int op = b[p] & 0xff;
      if (isXzero(op)) {
        p += 2;
        continue;
      }
      if (isZero(op)) {
        p++;
        continue;
      }
      if (p + 1 < end) {
        int op2 = b[p + 1] & 0xff;
        if (!isZero(op2) && !isXzero(op2) && valValue(op) == valValue(op2)) {
          int len = valLen(op) + valLen(op2);
          if (len <= VAL_MAX_LEN) {
            b[p + 1] = val(valValue(op), len);
            System.arraycopy(b, p + 1, b, p, end - p - 1);
            end--;
            v.len = end;
            continue;
          }
        }
      }
      p++;
    }
  }

  private static int promoteAndSet(Value v, int index, int count) {
    if (!sparseToDense(v)) return -1;
    return denseSetIfGreater(v.bytes, index, count);
  }

  static int denseSetIfGreater(byte[] b, int index, int count) {
    if (count > denseGet(b, index)) {
      denseSet(b, index, count);
      return 1;
    }
    return 0;
  }

  /** Adds one element: 1 if a register changed, 0 if not, -1 if the value is corrupt. */
  public static int add(Value v, byte[] data, int off, int len, long sparseMaxBytes) {
    long pat = patternOf(data, off, len);
    int index = (int) pat;
    int count = (int) (pat >>> 32);
    if (v.bytes[4] == DENSE) return denseSetIfGreater(v.bytes, index, count);
    return sparseSet(v, index, count, sparseMaxBytes);
  }

  /** Marks the cached cardinality stale. */
  public static void invalidateCache(byte[] b) {
    b[15] |= (byte) 0x80;
  }

  public static boolean cacheValid(byte[] b) {
    return (b[15] & 0x80) == 0;
  }

  public static long cachedCard(byte[] b) {
    long c = 0;
    for (int i = 7; i >= 0; i--) c = (c << 8) | (b[8 + i] & 0xff);
    return c;
  }

  public static void setCachedCard(byte[] b, long card) {
    for (int i = 0; i < 8; i++) b[8 + i] = (byte) (card >>> (8 * i));
  }

  // ---- estimation ----------------------------------------------------------------------------------------

  /** Register histogram of a stored HLL, or null if the sparse data is corrupt. */
  static int[] histogram(byte[] b, int len) {
    int[] h = new int[64];
    if (b[4] == DENSE) {
      for (int i = 0; i < REGISTERS; i++) h[denseGet(b, i)]++;
      return h;
    }
    int idx = 0;
    int p = HEADER;
    while (p < len) {
      int op = b[p] & 0xff;
      if (isZero(op)) {
        int r = zeroLen(op);
        if (idx + r > REGISTERS) return null;
        idx += r;
        h[0] += r;
        p++;
      } else if (isXzero(op)) {
        int r = xzeroLen(b, p, len);
        if (idx + r > REGISTERS) return null;
        idx += r;
        h[0] += r;
        p += 2;
      } else {
        int r = valLen(op);
        if (idx + r > REGISTERS) return null;
        idx += r;
        h[valValue(op)] += r;
        p++;
      }
    }
    return idx == REGISTERS ? h : null;
  }

  /** The cardinality estimate of a stored HLL, or -1 if corrupt. */
  public static long count(byte[] b) {
    int[] h = histogram(b, b.length);
    return h == null ? -1 : estimate(h);
  }

  /** The estimate of raw registers (one byte per register). */
  public static long countRaw(byte[] regs) {
    int[] h = new int[64];
    for (byte r : regs) h[r]++;
    return estimate(h);
  }

  static long estimate(int[] hist) {
    double m = REGISTERS;
    double z = m * tau((m - hist[Q + 1]) / m);
    for (int j = Q; j >= 1; --j) {
      z += hist[j];
      z *= 0.5;
    }
    z += m * sigma(hist[0] / m);
    return Math.round(ALPHA_INF * m * m / z);
  }

  private static double sigma(double x) {
    if (x == 1.) return Double.POSITIVE_INFINITY;
    double zPrime;
    double y = 1;
    double z = x;
    do {
      x *= x;
      zPrime = z;
      z += x * y;
      y += y;
    } while (zPrime != z);
    return z;
  }

  private static double tau(double x) {
    if (x == 0. || x == 1.) return 0.;
    double zPrime;
    double y = 1.0;
    double z = 1 - x;
    do {
      x = Math.sqrt(x);
      zPrime = z;
      y *= 0.5;
      double d = 1 - x;
      z -= d * d * y;
    } while (zPrime != z);
    return z / 3;
  }

  /** Folds a stored HLL into raw registers (max per register). False if the sparse data is corrupt. */
  public static boolean mergeInto(byte[] regs, byte[] b) {
    if (b[4] == DENSE) {
      for (int i = 0; i < REGISTERS; i++) {
        int r = denseGet(b, i);
        if (r > regs[i]) regs[i] = (byte) r;
      }
      return true;
    }
    int i = 0;
    int p = HEADER;
    while (p < b.length) {
      int op = b[p] & 0xff;
      // as Redis's overflow checks: any run past the last register makes the value invalid
      if (isZero(op)) {
        if (i + zeroLen(op) > REGISTERS) return false;
        i += zeroLen(op);
        p++;
      } else if (isXzero(op)) {
        if (i + xzeroLen(b, p, b.length) > REGISTERS) return false;
        i += xzeroLen(b, p, b.length);
        p += 2;
      } else {
        int runlen = valLen(op);
        int value = valValue(op);
        if (runlen + i > REGISTERS) return false;
        while (runlen-- > 0) {
          if (value > regs[i]) regs[i] = (byte) value;
          i++;
        }
        p++;
      }
    }
    return i == REGISTERS;
  }

  /**
   * PFMERGE's write of merged registers into an existing destination: dense if {@code toDense}, else register
   * by register through the sparse path (which may promote). Returns false if the destination is corrupt.
   */
  public static boolean writeMerged(Value v, byte[] regs, boolean toDense, long sparseMaxBytes) {
    if (toDense && !sparseToDense(v)) return false;
    for (int j = 0; j < REGISTERS; j++) {
      if (regs[j] == 0) continue;
      if (v.bytes[4] == DENSE) denseSetIfGreater(v.bytes, j, regs[j]);
      else if (sparseSet(v, j, regs[j], sparseMaxBytes) < 0) return false;
    }
    return true;
  }

  /** Converts a sparse value to dense in place of {@code v}; false if the sparse data is corrupt. */
  public static boolean toDense(Value v) {
    return sparseToDense(v);
  }

  /** Every register of a dense value. */
  public static int[] registers(byte[] dense) {
    int[] r = new int[REGISTERS];
    for (int i = 0; i < REGISTERS; i++) r[i] = denseGet(dense, i);
    return r;
  }

  /** PFDEBUG DECODE: the sparse opcodes as text, {@code z:len}, {@code Z:len} (XZERO), {@code v:value,len}. */
  public static String decodeSparse(byte[] b) {
    StringBuilder sb = new StringBuilder();
    int p = HEADER;
    while (p < b.length) {
      int op = b[p] & 0xff;
      if (sb.length() > 0) sb.append(' ');
      if (isZero(op)) {
        sb.append("z:").append(zeroLen(op));
        p++;
      } else if (isXzero(op)) {
        sb.append("Z:").append(xzeroLen(b, p, b.length));
        p += 2;
      } else {
        sb.append("v:").append(valValue(op)).append(',').append(valLen(op));
        p++;
      }
    }
    return sb.toString();
  }
}
