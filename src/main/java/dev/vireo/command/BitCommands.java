package dev.vireo.command;

import static dev.vireo.server.CommandSpec.DENYOOM;
import static dev.vireo.server.CommandSpec.FAST;
import static dev.vireo.server.CommandSpec.READONLY;
import static dev.vireo.server.CommandSpec.WRITE;

import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import dev.vireo.resp.Numbers;
import dev.vireo.server.Client;
import dev.vireo.server.CommandTable;
import dev.vireo.store.Entry;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * Bit and string-algorithm commands: SETBIT key offset value, GETBIT key offset, BITCOUNT key [start end
 * [BYTE|BIT]], BITPOS key bit [start [end [BYTE|BIT]]], BITOP AND|OR|XOR|NOT destkey key [key ...], BITFIELD key
 * [GET type offset] [SET type offset value] [INCRBY type offset increment] [OVERFLOW WRAP|SAT|FAIL] ...,
 * BITFIELD_RO key [GET type offset] ..., LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN].
 *
 * <p>Bits are numbered from the most significant bit of the first byte, as in Redis.
 */
final class BitCommands {
  private BitCommands() {}

  static final String BIT_VALUE = "ERR bit is not an integer or out of range";
  static final String BIT_ARG = "ERR The bit argument must be 1 or 0.";
  static final String BITOP_NOT = "ERR BITOP NOT must be called with a single source key.";
  static final String BITFIELD_TYPE =
      "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
  static final String BITFIELD_OVERFLOW = "ERR Invalid OVERFLOW type specified";
  static final String BITFIELD_RO_ONLY_GET = "ERR BITFIELD_RO only supports the GET subcommand";
  static final String LCS_TYPE = "ERR The specified keys must contain string values";
  static final String LCS_LEN_AND_IDX = "ERR If you want both the length and indexes, please just use IDX.";
  static final String LCS_MEMORY = "ERR Insufficient memory, failed allocating transient memory for LCS";

  /** Reads eight bytes of a string at once, most significant first, for counting and scanning whole words. */
  private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  static void register(CommandTable t) {
    t.add("setbit", 4, WRITE | DENYOOM, 1, 1, 1, "bitmap", "2.2.0",
        "Sets or clears the bit at offset of the string value. Creates the key if it doesn't exist.",
        BitCommands::setbit);
    t.add("getbit", 3, READONLY | FAST, 1, 1, 1, "bitmap", "2.2.0", "Returns a bit value by offset.",
        BitCommands::getbit);
    t.add("bitcount", -2, READONLY, 1, 1, 1, "bitmap", "2.6.0",
        "Counts the number of set bits (population counting) in a string.", BitCommands::bitcount);
    t.add("bitpos", -3, READONLY, 1, 1, 1, "bitmap", "2.8.7",
        "Finds the first set (1) or clear (0) bit in a string.", BitCommands::bitpos);
    t.add("bitop", -4, WRITE | DENYOOM, 2, -1, 1, "bitmap", "2.6.0",
        "Performs bitwise operations on multiple strings, and stores the result.", BitCommands::bitop);
    t.add("bitfield", -2, WRITE | DENYOOM, 1, 1, 1, "bitmap", "3.2.0",
        "Performs arbitrary bitfield integer operations on strings.", (c, a) -> bitfield(c, a, false));
    t.add("bitfield_ro", -2, READONLY | FAST, 1, 1, 1, "bitmap", "6.0.0",
        "Performs arbitrary read-only bitfield integer operations on strings.", (c, a) -> bitfield(c, a, true));
    t.add("lcs", -3, READONLY, 1, 2, 1, "string", "7.0.0", "Finds the longest common substring.",
        BitCommands::lcs);
  }

  // ------------------------------------------------------------------------------------------- helpers

  /**
   * A bit offset argument: a non-negative integer whose byte lies below proto-max-bulk-len. With {@code bits > 0}
   * the form {@code #N} is accepted and means N * bits (BITFIELD).
   */
  static long bitOffset(Client c, Args a, int i, int bits) {
    byte[] b = a.buf(i);
    int off = a.off(i);
    int len = a.len(i);
    boolean scaled = bits > 0 && len > 0 && b[off] == '#';
    if (scaled) {
      off++;
      len--;
    }
    long v = len == 0 ? Numbers.INVALID : Numbers.parseLong(b, off, len);
    if (v == Numbers.INVALID) throw new CommandError(Errors.BIT_OFFSET);
    if (scaled) {
      if (v < 0 || v > Long.MAX_VALUE / bits) throw new CommandError(Errors.BIT_OFFSET);
      v *= bits;
    }
    if (v < 0 || (v >>> 3) >= c.server().config.getLong("proto-max-bulk-len")) {
      throw new CommandError(Errors.BIT_OFFSET);
    }
    return v;
  }

  /** The string at key for writing, created or zero-padded so that bit {@code maxBit} exists. */
  private static Entry stringForWrite(Client c, Args a, long maxBit) {
    return stringForWrite(c, a, maxBit, new boolean[1]);
  }

  /** As above; {@code grown[0]} tells whether the key was created or lengthened (a change in itself). */
  private static Entry stringForWrite(Client c, Args a, long maxBit, boolean[] grown) {
    int need = (int) ((maxBit >>> 3) + 1);
    Entry e = c.db.lookup(a.buf(1), a.off(1), a.len(1));
    if (e == null) {
      e = c.db.add(a.bytes(1), new byte[need]);
      grown[0] = true;
    } else {
      int before = Strings.of(e).length;
      Strings.mutable(c, e, need);
      grown[0] = ((byte[]) e.value).length > before;
    }
    e.addFlags(Entry.RAW);
    return e;
  }

  private static int bitAt(byte[] v, long pos) {
    long idx = pos >>> 3;
    if (idx >= v.length) return 0;
    return (v[(int) idx] >> (7 - (int) (pos & 7))) & 1;
  }

  // -------------------------------------------------------------------------------------- SETBIT, GETBIT

  static void setbit(Client c, Args a) {
    long offset = bitOffset(c, a, 2, 0);
    long on = a.longArg(3, BIT_VALUE);
    if (on != 0 && on != 1) throw new CommandError(BIT_VALUE);
    boolean[] grown = new boolean[1];
    Entry e = stringForWrite(c, a, offset, grown);
    byte[] v = (byte[]) e.value;
    int idx = (int) (offset >>> 3);
    int mask = 1 << (7 - (int) (offset & 7));
    int old = (v[idx] & mask) != 0 ? 1 : 0;
    if (on == 1) v[idx] |= (byte) mask;
    else v[idx] &= (byte) ~mask;
    // as in Redis, a bit set to the value it had changes nothing and goes nowhere
    if (grown[0] || old != on) {
      Notify.arg(c, Notify.STRING, "setbit", a, 1);
      c.server().addDirty(1);
    }
    c.out.integer(old);
  }

  static void getbit(Client c, Args a) {
    long offset = bitOffset(c, a, 2, 0);
    Entry e = c.db.lookupRead(a.buf(1), a.off(1), a.len(1));
    if (e == null) {
      c.out.integer(0);
      return;
    }
    c.out.integer(bitAt(Strings.of(e), offset));
  }

  // ------------------------------------------------------------------------------------ BITCOUNT, BITPOS

  /** BYTE or BIT at argument i; true for BIT. */
  private static boolean unitIsBit(Args a, int i) {
    if (a.is(i, "bit")) return true;
    if (a.is(i, "byte")) return false;
    throw new CommandError(Errors.SYNTAX);
  }

  static void bitcount(Client c, Args a) {
    Entry e = c.db.lookupRead(a.buf(1), a.off(1), a.len(1));
    if (e == null) {
      c.out.integer(0);
      return;
    }
    byte[] v = Strings.of(e);
    long firstBit;
    long lastBit;
    if (a.count() == 4 || a.count() == 5) {
      long start = a.longArg(2);
      long end = a.longArg(3);
      if (start < 0 && end < 0 && start > end) {
        c.out.integer(0); // before the unit is read, as in Redis 7.0: BITCOUNT k -2 -3 junk is 0
        return;
      }
      boolean isBit = a.count() == 5 && unitIsBit(a, 4);
      long total = isBit ? (long) v.length << 3 : v.length;
      Ranges.Span span = Ranges.ofString(start, end, total);
      if (span == null) {
        c.out.integer(0);
        return;
      }
      firstBit = isBit ? span.first() : span.first() << 3;
      lastBit = isBit ? span.last() : (span.last() << 3) + 7;
    } else if (a.count() == 2) {
      firstBit = 0;
      lastBit = ((long) v.length << 3) - 1;
    } else {
      throw new CommandError(Errors.SYNTAX);
    }
    c.out.integer(countBits(v, firstBit, lastBit));
  }

  /** Set bits in the inclusive bit range. */
  static long countBits(byte[] v, long from, long to) {
    long n = 0;
    long p = from;
    while (p <= to && (p & 7) != 0) n += bitAt(v, p++);
    while (p + 63 <= to) {
      n += Long.bitCount((long) WORD.get(v, (int) (p >>> 3)));
      p += 64;
    }
    while (p + 7 <= to) {
      n += Integer.bitCount(v[(int) (p >>> 3)] & 0xFF);
      p += 8;
    }
    while (p <= to) n += bitAt(v, p++);
    return n;
  }

  static void bitpos(Client c, Args a) {
    long bit = a.longArg(2);
    if (bit != 0 && bit != 1) throw new CommandError(BIT_ARG);
    Entry e = c.db.lookupRead(a.buf(1), a.off(1), a.len(1));
    if (e == null) {
      // a missing key is an endless run of zero bits
      c.out.integer(bit == 1 ? -1 : 0);
      return;
    }
    byte[] v = Strings.of(e);
    int n = a.count();
    boolean endGiven = false;
    long firstBit;
    long lastBit;
    if (n >= 4 && n <= 6) {
      long start = a.longArg(3);
      boolean isBit = n == 6 && unitIsBit(a, 5);
      long total = isBit ? (long) v.length << 3 : v.length;
      long end;
      if (n >= 5) {
        end = a.longArg(4);
        endGiven = true;
      } else {
        end = total - 1;
      }
      Ranges.Span span = Ranges.ofString(start, end, total);
      if (span == null) {
        c.out.integer(-1);
        return;
      }
      firstBit = isBit ? span.first() : span.first() << 3;
      lastBit = isBit ? span.last() : (span.last() << 3) + 7;
    } else if (n == 3) {
      firstBit = 0;
      lastBit = ((long) v.length << 3) - 1;
      if (lastBit < 0) {
        c.out.integer(-1);
        return;
      }
    } else {
      throw new CommandError(Errors.SYNTAX);
    }
    long pos = findBit(v, firstBit, lastBit, (int) bit);
    if (pos < 0 && bit == 0 && !endGiven) {
      // without an explicit end the string is taken as padded with zeros on the right
      pos = ((lastBit >>> 3) + 1) << 3;
    }
    c.out.integer(pos);
  }

  /** First position of {@code bit} in the inclusive bit range, or -1. */
  static long findBit(byte[] v, long from, long to, int bit) {
    int skip = bit == 1 ? 0 : 0xFF;
    long skipWord = bit == 1 ? 0L : -1L;
    long p = from;
    while (p <= to) {
      if ((p & 7) == 0 && p + 63 <= to && (long) WORD.get(v, (int) (p >>> 3)) == skipWord) {
        p += 64;
        continue;
      }
      if ((p & 7) == 0 && p + 7 <= to && (v[(int) (p >>> 3)] & 0xFF) == skip) {
        p += 8;
        continue;
      }
      if (bitAt(v, p) == bit) return p;
      p++;
    }
    return -1;
  }

  // --------------------------------------------------------------------------------------------- BITOP

  static void bitop(Client c, Args a) {
    int op;
    if (a.is(1, "and")) op = 0;
    else if (a.is(1, "or")) op = 1;
    else if (a.is(1, "xor")) op = 2;
    else if (a.is(1, "not")) op = 3;
    else throw new CommandError(Errors.SYNTAX);
    if (op == 3 && a.count() != 4) throw new CommandError(BITOP_NOT);
    int keys = a.count() - 3;
    byte[][] src = new byte[keys][];
    int maxLen = 0;
    for (int k = 0; k < keys; k++) {
      int i = k + 3;
      Entry e = c.db.lookupRead(a.buf(i), a.off(i), a.len(i));
      src[k] = e == null ? new byte[0] : Strings.of(e);
      maxLen = Math.max(maxLen, src[k].length);
    }
    if (maxLen == 0) {
      Entry dest = c.db.stored(a.bytes(2)); // deleted as stored, expired or not (Redis's dbDelete)
      if (dest != null) {
        c.db.remove(dest);
        Notify.del(c, a, 2);
        c.server().addDirty(1);
      }
      c.out.integer(0);
      return;
    }
    byte[] res = new byte[maxLen];
    if (op == 3) {
      for (int j = 0; j < maxLen; j++) res[j] = (byte) ~src[0][j];
    } else {
      System.arraycopy(src[0], 0, res, 0, src[0].length);
      for (int k = 1; k < keys; k++) {
        byte[] s = src[k];
        int n = s.length;
        if (op == 0) {
          for (int j = 0; j < n; j++) res[j] &= s[j];
          Arrays.fill(res, n, maxLen, (byte) 0); // shorter strings are padded with zero bytes
        } else if (op == 1) {
          for (int j = 0; j < n; j++) res[j] |= s[j];
        } else {
          for (int j = 0; j < n; j++) res[j] ^= s[j];
        }
      }
    }
    Entry e = c.db.put(a.bytes(2), res, false);
    e.addFlags(Entry.RAW);
    Notify.arg(c, Notify.STRING, "set", a, 2);
    c.server().addDirty(1);
    c.out.integer(maxLen);
  }

  // ------------------------------------------------------------------------------------------ BITFIELD

  private static final int GET = 0;
  private static final int SET = 1;
  private static final int INCRBY = 2;
  private static final int WRAP = 0;
  private static final int SAT = 1;
  private static final int FAIL = 2;

  private record FieldOp(int kind, boolean signed, int bits, long offset, long value, int overflow) {}

  static void bitfield(Client c, Args a, boolean readOnly) {
    FieldOp[] ops = new FieldOp[a.count()];
    int count = 0;
    int overflow = WRAP;
    long maxBit = -1;
    for (int j = 2; j < a.count(); j++) {
      int rest = a.count() - j - 1;
      int kind;
      if (a.is(j, "get") && rest >= 2) kind = GET;
      else if (a.is(j, "set") && rest >= 3) kind = SET;
      else if (a.is(j, "incrby") && rest >= 3) kind = INCRBY;
      else if (a.is(j, "overflow") && rest >= 1) {
        j++;
        if (a.is(j, "wrap")) overflow = WRAP;
        else if (a.is(j, "sat")) overflow = SAT;
        else if (a.is(j, "fail")) overflow = FAIL;
        else throw new CommandError(BITFIELD_OVERFLOW);
        continue;
      } else {
        throw new CommandError(Errors.SYNTAX);
      }
      boolean signed;
      byte[] tb = a.buf(j + 1);
      int to = a.off(j + 1);
      int tl = a.len(j + 1);
      if (tl > 0 && tb[to] == 'i') signed = true; // the type letter is case-sensitive
      else if (tl > 0 && tb[to] == 'u') signed = false;
      else throw new CommandError(BITFIELD_TYPE);
      long bits = tl > 1 ? Numbers.parseLong(tb, to + 1, tl - 1) : Numbers.INVALID;
      if (bits < 1 || bits > (signed ? 64 : 63)) throw new CommandError(BITFIELD_TYPE);
      long offset = bitOffset(c, a, j + 2, (int) bits);
      long value = 0;
      if (kind != GET) {
        value = a.longArg(j + 3);
        if (readOnly) throw new CommandError(BITFIELD_RO_ONLY_GET);
        maxBit = Math.max(maxBit, offset + bits - 1);
      }
      ops[count++] = new FieldOp(kind, signed, (int) bits, offset, value, overflow);
      j += kind == GET ? 2 : 3;
    }
    byte[] v;
    Entry e;
    boolean[] grown = new boolean[1];
    if (maxBit < 0) {
      e = c.db.lookupRead(a.buf(1), a.off(1), a.len(1));
      v = e == null ? new byte[0] : Strings.of(e);
    } else {
      e = stringForWrite(c, a, maxBit, grown);
      v = (byte[]) e.value;
    }
    c.out.array(count);
    int changes = 0;
    for (int k = 0; k < count; k++) {
      FieldOp op = ops[k];
      long raw = readField(v, op.offset, op.bits);
      long old = op.signed ? signExtend(raw, op.bits) : raw;
      if (op.kind == GET) {
        c.out.integer(old);
        continue;
      }
      long[] result = new long[1];
      boolean over;
      if (op.signed) {
        over = op.kind == INCRBY
            ? signedOverflow(old, op.value, op.bits, op.overflow, result)
            : signedOverflow(op.value, 0, op.bits, op.overflow, result);
      } else {
        over = op.kind == INCRBY
            ? unsignedOverflow(old, op.value, op.bits, op.overflow, result)
            : unsignedOverflow(op.value, 0, op.bits, op.overflow, result);
      }
      long next = over ? result[0] : (op.kind == INCRBY ? old + op.value : op.value);
      if (over && op.overflow == FAIL) {
        c.out.nullBulk();
      } else {
        c.out.integer(op.kind == INCRBY ? next : old);
        writeField(v, op.offset, op.bits, next);
        if (readField(v, op.offset, op.bits) != raw) changes++;
      }
    }
    // as in Redis: only a created or lengthened string or a field that took another value is a change
    if (grown[0] && changes == 0) changes = 1;
    if (changes > 0) {
      Notify.arg(c, Notify.STRING, "setbit", a, 1);
      c.server().addDirty(changes);
    }
  }

  /** The unsigned value of {@code bits} bits at {@code offset}; bits past the end read as zero. */
  static long readField(byte[] v, long offset, int bits) {
    long r = 0;
    for (int i = 0; i < bits; i++) r = (r << 1) | bitAt(v, offset + i);
    return r;
  }

  static void writeField(byte[] v, long offset, int bits, long value) {
    for (int i = 0; i < bits; i++) {
      long pos = offset + i;
      int idx = (int) (pos >>> 3);
      int mask = 1 << (7 - (int) (pos & 7));
      if (((value >>> (bits - 1 - i)) & 1) != 0) v[idx] |= (byte) mask;
      else v[idx] &= (byte) ~mask;
    }
  }

  static long signExtend(long raw, int bits) {
    if (bits == 64) return raw;
    return (raw << (64 - bits)) >> (64 - bits);
  }

  /**
   * Whether value + incr leaves the signed range of {@code bits}; if so, stores the wrapped or saturated result.
   * The comparisons use 64-bit two's complement arithmetic on purpose: a SET value far below the range (so that
   * max - value overflows) counts as an overflow upwards, which is what Redis replies.
   */
  static boolean signedOverflow(long value, long incr, int bits, int type, long[] out) {
    long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
    long min = -max - 1;
    long maxIncr = max - value;
    long minIncr = min - value;
    boolean up = value > max || (bits != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr);
    boolean down = !up
        && (value < min || (bits != 64 && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr));
    if (!up && !down) return false;
    if (type == WRAP) out[0] = signExtend((value + incr) & mask(bits), bits);
    else if (type == SAT) out[0] = up ? max : min;
    return true;
  }

  /** As {@link #signedOverflow} for unsigned fields: the value is taken as an unsigned 64-bit number. */
  static boolean unsignedOverflow(long value, long incr, int bits, int type, long[] out) {
    long max = (1L << bits) - 1;
    long maxIncr = max - value;
    long minIncr = -value;
    boolean up = Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > maxIncr);
    boolean down = !up && incr < 0 && incr < minIncr;
    if (!up && !down) return false;
    if (type == WRAP) out[0] = (value + incr) & max;
    else if (type == SAT) out[0] = up ? max : 0;
    return true;
  }

  private static long mask(int bits) {
    return bits == 64 ? -1L : (1L << bits) - 1;
  }

  // ----------------------------------------------------------------------------------------------- LCS

  static void lcs(Client c, Args a) {
    Entry ea = c.db.lookupRead(a.buf(1), a.off(1), a.len(1));
    Entry eb = c.db.lookupRead(a.buf(2), a.off(2), a.len(2));
    if ((ea != null && !(ea.value instanceof byte[])) || (eb != null && !(eb.value instanceof byte[]))) {
      throw new CommandError(LCS_TYPE);
    }
    byte[] x = ea == null ? new byte[0] : (byte[]) ea.value;
    byte[] y = eb == null ? new byte[0] : (byte[]) eb.value;
    boolean idx = false;
    boolean len = false;
    boolean withMatchLen = false;
    long minMatchLen = 0;
    for (int j = 3; j < a.count(); j++) {
      boolean more = j + 1 < a.count();
      if (a.is(j, "idx")) idx = true;
      else if (a.is(j, "len")) len = true;
      else if (a.is(j, "withmatchlen")) withMatchLen = true;
      else if (a.is(j, "minmatchlen") && more) {
        minMatchLen = Math.max(0, a.longArg(++j));
      } else {
        throw new CommandError(Errors.SYNTAX);
      }
    }
    if (idx && len) throw new CommandError(LCS_LEN_AND_IDX);
    int xl = x.length;
    int yl = y.length;
    long cells = (long) (xl + 1) * (yl + 1);
    if (cells > Integer.MAX_VALUE - 16) throw new CommandError(LCS_MEMORY);
    int w = yl + 1;
    int[] t;
    try {
      t = new int[(int) cells];
    } catch (OutOfMemoryError oom) {
      throw new CommandError(LCS_MEMORY);
    }
    // t[i * w + j] = length of the LCS of x[0..i) and y[0..j)
    for (int i = 1; i <= xl; i++) {
      for (int j = 1; j <= yl; j++) {
        if (x[i - 1] == y[j - 1]) t[i * w + j] = t[(i - 1) * w + j - 1] + 1;
        else t[i * w + j] = Math.max(t[(i - 1) * w + j], t[i * w + j - 1]);
      }
    }
    int total = t[xl * w + yl];
    if (len) {
      c.out.integer(total);
      return;
    }
    // Walk back from the end, collecting the common subsequence and its contiguous runs (last run first).
    byte[] common = new byte[total];
    int k = total;
    ArrayList<long[]> runs = new ArrayList<>();
    int i = xl;
    int j = yl;
    int runX = -1;
    int runXEnd = 0;
    int runY = 0;
    int runYEnd = 0;
    while (i > 0 && j > 0) {
      boolean close = false;
      if (x[i - 1] == y[j - 1]) {
        common[--k] = x[i - 1];
        if (runX < 0) {
          runX = runXEnd = i - 1;
          runY = runYEnd = j - 1;
        } else {
          runX--;
          runY--;
        }
        if (runX == 0 || runY == 0) close = true;
        i--;
        j--;
      } else {
        if (t[(i - 1) * w + j] > t[i * w + j - 1]) i--;
        else j--;
        if (runX >= 0) close = true;
      }
      if (close) {
        long runLen = runXEnd - runX + 1;
        if (runLen >= minMatchLen) runs.add(new long[] {runX, runXEnd, runY, runYEnd, runLen});
        runX = -1;
      }
    }
    if (!idx) {
      c.out.bulk(common);
      return;
    }
    c.out.map(2);
    c.out.bulk("matches");
    c.out.array(runs.size());
    for (long[] r : runs) {
      c.out.array(withMatchLen ? 3 : 2);
      c.out.array(2);
      c.out.integer(r[0]);
      c.out.integer(r[1]);
      c.out.array(2);
      c.out.integer(r[2]);
      c.out.integer(r[3]);
      if (withMatchLen) c.out.integer(r[4]);
    }
    c.out.bulk("len");
    c.out.integer(total);
  }
}
