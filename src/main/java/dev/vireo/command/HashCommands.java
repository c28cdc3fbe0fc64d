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
import dev.vireo.store.EncodingLimits;
import dev.vireo.store.Entry;
import dev.vireo.store.FieldTable;
import dev.vireo.store.HashValue;
import dev.vireo.util.Glob;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hashes: HSET key field value [field value ...], HSETNX, HGET, HMGET key field [field ...], HMSET, HDEL key field
 * [field ...], HLEN, HSTRLEN, HEXISTS, HKEYS, HVALS, HGETALL, HINCRBY key field increment, HINCRBYFLOAT, HRANDFIELD
 * key [count [WITHVALUES]], HSCAN key cursor [MATCH pattern] [COUNT count].
 */
final class HashCommands {
  private HashCommands() {}

  static void register(CommandTable t) {
    t.add("hset", -4, WRITE | DENYOOM | FAST, 1, 1, 1, "hash", "2.0.0",
        "Creates or modifies the value of a field in a hash.", (c, a) -> hset(c, a, false));
    t.add("hmset", -4, WRITE | DENYOOM | FAST, 1, 1, 1, "hash", "2.0.0",
        "Sets the values of multiple fields.", (c, a) -> hset(c, a, true));
    t.add("hsetnx", 4, WRITE | DENYOOM | FAST, 1, 1, 1, "hash", "2.0.0",
        "Sets the value of a field in a hash only when the field doesn't exist.", HashCommands::hsetnx);
    t.add("hget", 3, READONLY | FAST, 1, 1, 1, "hash", "2.0.0", "Returns the value of a field in a hash.",
        HashCommands::hget);
    t.add("hmget", -3, READONLY | FAST, 1, 1, 1, "hash", "2.0.0", "Returns the values of all fields in a hash.",
        HashCommands::hmget);
    t.add("hdel", -3, WRITE | FAST, 1, 1, 1, "hash", "2.0.0",
        "Deletes one or more fields and their values from a hash. Deletes the hash if no fields remain.",
        HashCommands::hdel);
    t.add("hlen", 2, READONLY | FAST, 1, 1, 1, "hash", "2.0.0", "Returns the number of fields in a hash.",
        HashCommands::hlen);
    t.add("hstrlen", 3, READONLY | FAST, 1, 1, 1, "hash", "3.2.0", "Returns the length of the value of a field.",
        HashCommands::hstrlen);
    t.add("hexists", 3, READONLY | FAST, 1, 1, 1, "hash", "2.0.0",
        "Determines whether a field exists in a hash.", HashCommands::hexists);
    t.add("hkeys", 2, READONLY, 1, 1, 1, "hash", "2.0.0", "Returns all fields in a hash.",
        (c, a) -> dump(c, a, true, false));
    t.add("hvals", 2, READONLY, 1, 1, 1, "hash", "2.0.0", "Returns all values in a hash.",
        (c, a) -> dump(c, a, false, true));
    t.add("hgetall", 2, READONLY, 1, 1, 1, "hash", "2.0.0", "Returns all fields and values in a hash.",
        (c, a) -> dump(c, a, true, true));
    t.add("hincrby", 4, WRITE | DENYOOM | FAST, 1, 1, 1, "hash", "2.0.0",
        "Increments the integer value of a field in a hash by a number. Uses 0 as initial value if the field "
            + "doesn't exist.", HashCommands::hincrby);
    t.add("hincrbyfloat", 4, WRITE | DENYOOM | FAST, 1, 1, 1, "hash", "2.6.0",
        "Increments the floating point value of a field by a number. Uses 0 as initial value if the field "
            + "doesn't exist.", HashCommands::hincrbyfloat);
    t.add("hrandfield", -2, READONLY, 1, 1, 1, "hash", "6.2.0", "Returns one or more random fields from a hash.",
        HashCommands::hrandfield);
    t.add("hscan", -3, READONLY, 1, 1, 1, "hash", "2.8.0", "Iterates over fields and values of a hash.",
        HashCommands::hscan);
  }

  private static HashValue read(Client c, Args a) {
    Entry e = c.db.lookupRead(a.buf(1), a.off(1), a.len(1));
    return e == null ? null : HashValue.of(e);
  }

  /** The hash at key 1 for writing, created empty (and added) when missing. */
  private static HashValue writable(Client c, Args a) {
    Entry e = c.db.lookup(a.buf(1), a.off(1), a.len(1));
    if (e != null) return HashValue.of(e);
    HashValue h = new HashValue();
    c.db.add(a.bytes(1), h);
    return h;
  }

  static void hset(Client c, Args a, boolean hmset) {
    if (a.count() % 2 != 0) {
      throw new CommandError("ERR wrong number of arguments for '" + (hmset ? "hmset" : "hset") + "' command");
    }
    HashValue h = writable(c, a);
    EncodingLimits lim = c.server().encodingLimits;
    // Like Redis, any over-long argument converts the hash first, even one that only replaces a value.
    if (h.isListpack()) {
      for (int i = 2; i < a.count(); i++) {
        if (a.len(i) > lim.hashMaxListpackValue) {
          h.convert();
          break;
        }
      }
    }
    int added = 0;
    for (int i = 2; i < a.count(); i += 2) {
      if (h.set(a.buf(i), a.off(i), a.len(i), a.bytes(i + 1), lim.hashMaxListpackEntries,
          lim.hashMaxListpackValue)) {
        added++;
      }
    }
    Notify.arg(c, Notify.HASH, "hset", a, 1);
    c.server().addDirty((a.count() - 2) / 2);
    if (hmset) c.out.ok();
    else c.out.integer(added);
  }

  static void hsetnx(Client c, Args a) {
    HashValue h = writable(c, a);
    if (h.contains(a.buf(2), a.off(2), a.len(2))) {
      c.out.integer(0);
      return;
    }
    EncodingLimits lim = c.server().encodingLimits;
    h.set(a.buf(2), a.off(2), a.len(2), a.bytes(3), lim.hashMaxListpackEntries, lim.hashMaxListpackValue);
    Notify.arg(c, Notify.HASH, "hset", a, 1);
    c.server().addDirty(1);
    c.out.integer(1);
  }

  static void hget(Client c, Args a) {
    HashValue h = read(c, a);
    byte[] v = h == null ? null : h.get(a.buf(2), a.off(2), a.len(2));
    if (v == null) c.out.nullBulk();
    else c.out.bulk(v);
  }

  static void hmget(Client c, Args a) {
    HashValue h = read(c, a);
    c.out.array(a.count() - 2);
    for (int i = 2; i < a.count(); i++) {
      byte[] v = h == null ? null : h.get(a.buf(i), a.off(i), a.len(i));
      if (v == null) c.out.nullBulk();
      else c.out.bulk(v);
    }
  }

  static void hdel(Client c, Args a) {
    Entry e = c.db.lookup(a.buf(1), a.off(1), a.len(1));
    if (e == null) {
      c.out.integer(0);
      return;
    }
    HashValue h = HashValue.of(e);
    int deleted = 0;
    boolean removed = false;
    for (int i = 2; i < a.count(); i++) {
      if (h.remove(a.buf(i), a.off(i), a.len(i))) {
        deleted++;
        if (h.size() == 0) {
          c.db.remove(e);
          removed = true;
          break;
        }
      }
    }
    if (deleted > 0) Notify.arg(c, Notify.HASH, "hdel", a, 1);
    if (removed) Notify.del(c, a, 1);
    c.server().addDirty(deleted);
    c.out.integer(deleted);
  }

  static void hlen(Client c, Args a) {
    HashValue h = read(c, a);
    c.out.integer(h == null ? 0 : h.size());
  }

  static void hstrlen(Client c, Args a) {
    HashValue h = read(c, a);
    int len = h == null ? -1 : h.valueLength(a.buf(2), a.off(2), a.len(2));
    c.out.integer(Math.max(len, 0));
  }

  static void hexists(Client c, Args a) {
    HashValue h = read(c, a);
    c.out.integer(h != null && h.contains(a.buf(2), a.off(2), a.len(2)) ? 1 : 0);
  }

  static void dump(Client c, Args a, boolean keys, boolean values) {
    HashValue h = read(c, a);
    int n = h == null ? 0 : h.size();
    if (keys && values) c.out.map(n);
    else c.out.array(n);
    if (h == null) return;
    h.forEachSlice((buf, fo, fl, vo, vl) -> {
      if (keys) c.out.bulk(buf, fo, fl);
      if (values) c.out.bulk(buf, vo, vl);
    });
  }

  static void hincrby(Client c, Args a) {
    long by = a.longArg(3);
    Entry e = c.db.lookup(a.buf(1), a.off(1), a.len(1));
    HashValue h = e == null ? null : HashValue.of(e);
    long cur = 0;
    byte[] old = h == null ? null : h.get(a.buf(2), a.off(2), a.len(2));
    if (old != null) cur = Numbers.parseLongOrThrow(old, "ERR hash value is not an integer");
    if ((by < 0 && cur < 0 && by < Long.MIN_VALUE - cur) || (by > 0 && cur > 0 && by > Long.MAX_VALUE - cur)) {
      throw new CommandError(Errors.OVERFLOW);
    }
    long n = cur + by;
    store(c, a, h, Long.toString(n).getBytes(StandardCharsets.US_ASCII));
    Notify.arg(c, Notify.HASH, "hincrby", a, 1);
    c.out.integer(n);
  }

  private static void store(Client c, Args a, HashValue h, byte[] value) {
    if (h == null) {
      h = new HashValue();
      c.db.add(a.bytes(1), h);
    }
    EncodingLimits lim = c.server().encodingLimits;
    h.set(a.buf(2), a.off(2), a.len(2), value, lim.hashMaxListpackEntries, lim.hashMaxListpackValue);
    c.server().addDirty(1);
  }

  static void hincrbyfloat(Client c, Args a) {
    BigDecimal by = Numbers.parseDecimal(a.buf(3), a.off(3), a.len(3));
    if (by == null) throw new CommandError(Errors.NOT_FLOAT);
    if (Numbers.isInfinite(by)) throw new CommandError("ERR value is NaN or Infinity");
    Entry e = c.db.lookup(a.buf(1), a.off(1), a.len(1));
    HashValue h = e == null ? null : HashValue.of(e);
    BigDecimal cur = BigDecimal.ZERO;
    byte[] old = h == null ? null : h.get(a.buf(2), a.off(2), a.len(2));
    if (old != null) {
      cur = Numbers.parseDecimal(old, 0, old.length);
      if (cur == null) throw new CommandError("ERR hash value is not a float");
      if (Numbers.isInfinite(cur)) throw new CommandError("ERR increment would produce NaN or Infinity");
    }
    BigDecimal n = Numbers.roundToLongDouble(cur.add(by));
    if (n == null) throw new CommandError("ERR increment would produce NaN or Infinity");
    byte[] nv = Numbers.formatDecimal(n).getBytes(StandardCharsets.US_ASCII);
    store(c, a, h, nv);
    Notify.arg(c, Notify.HASH, "hincrbyfloat", a, 1);
    // the value, not the increment: replicas must not redo the floating-point sum
    Rewrites.as(c, Rewrites.HSET, a.bytes(1), a.bytes(2), nv);
    c.out.bulk(nv);
  }

  static void hrandfield(Client c, Args a) {
    if (a.count() == 2) {
      HashValue h = read(c, a);
      if (h == null) {
        c.out.nullBulk();
        return;
      }
      writeRandom(c, h, false, false);
      return;
    }
    long count = randomCount(a, 2);
    if (a.count() > 4 || (a.count() == 4 && !a.is(3, "withvalues"))) throw new CommandError(Errors.SYNTAX);
    boolean withValues = a.count() == 4;
    if (withValues) {
      if (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2) {
        throw new CommandError("ERR value is out of range");
      }
    }
    HashValue h = read(c, a);
    if (h == null || count == 0) {
      c.out.array(0);
      return;
    }
    int size = h.size();
    boolean resp3 = c.out.proto() == 3;
    if (count < 0) {
      long n = -count;
      c.out.array(withValues && !resp3 ? n * 2 : n);
      for (long i = 0; i < n; i++) writeRandom(c, h, withValues, resp3);
      return;
    }
    if (count >= size) {
      c.out.array(withValues && !resp3 ? size * 2L : size);
      h.forEach((f, v) -> writePair(c, f, v, withValues, resp3));
      return;
    }
    int want = (int) count;
    c.out.array(withValues && !resp3 ? want * 2L : want);
    if (h.isListpack()) {
      // Selection sampling: distinct picks, kept in the listpack's order as Redis's listpack sampling does.
      ThreadLocalRandom r = ThreadLocalRandom.current();
      int[] seen = {0, want}; // entries passed, picks left
      h.forEachSlice((buf, fo, fl, vo, vl) -> {
        if (seen[1] > 0 && r.nextInt(size - seen[0]) < seen[1]) {
          if (withValues && resp3) c.out.array(2);
          c.out.bulk(buf, fo, fl);
          if (withValues) c.out.bulk(buf, vo, vl);
          seen[1]--;
        }
        seen[0]++;
      });
      return;
    }
    FieldTable t = h.table();
    for (int slot : distinct(t, want)) writePair(c, t.key(slot), t.value(slot), withValues, resp3);
  }

  /** Distinct random slots of a table: a partial shuffle of its occupied slots. */
  static int[] distinct(FieldTable t, int want) {
    int[] all = t.occupied();
    ThreadLocalRandom r = ThreadLocalRandom.current();
    for (int i = 0; i < want; i++) {
      int j = i + r.nextInt(all.length - i);
      int tmp = all[i];
      all[i] = all[j];
      all[j] = tmp;
    }
    return Arrays.copyOf(all, want);
  }

  /** Writes one random field (and value): a uniform pick in either encoding. */
  private static void writeRandom(Client c, HashValue h, boolean withValues, boolean resp3) {
    if (h.isListpack()) {
      int i = h.randomIndex();
      writePair(c, h.fieldAt(i), h.valueAt(i), withValues, resp3);
    } else {
      FieldTable t = h.table();
      int slot = t.randomSlot();
      writePair(c, t.key(slot), t.value(slot), withValues, resp3);
    }
  }

  private static void writePair(Client c, byte[] f, byte[] v, boolean withValues, boolean resp3) {
    if (withValues && resp3) c.out.array(2);
    c.out.bulk(f);
    if (withValues) c.out.bulk(v);
  }

  /** SRANDMEMBER/HRANDFIELD count: any long but LONG_MIN, with Redis's range message. */
  static long randomCount(Args a, int i) {
    long v = a.longArg(i);
    if (v == Long.MIN_VALUE) {
      throw new CommandError("ERR value is out of range, value must between -9223372036854775807 and "
          + "9223372036854775807");
    }
    return v;
  }

  // ---- SCAN family shared with SSCAN ----

  /** MATCH and COUNT of HSCAN/SSCAN (TYPE is SCAN-only). */
  static final class ScanOptions {
    long count = 10;
    int match = -1;

    boolean accepts(Args a, byte[] b) {
      return match < 0 || Glob.match(a.buf(match), a.off(match), a.len(match), b, 0, b.length, false);
    }
  }

  static ScanOptions scanOptions(Args a, int from) {
    ScanOptions o = new ScanOptions();
    for (int i = from; i < a.count(); i++) {
      boolean hasNext = i + 1 < a.count();
      if (a.is(i, "count") && hasNext) {
        o.count = a.longArg(++i);
        if (o.count < 1) throw new CommandError(Errors.SYNTAX);
      } else if (a.is(i, "match") && hasNext) {
        o.match = ++i;
      } else {
        throw new CommandError(Errors.SYNTAX);
      }
    }
    return o;
  }

  static void emptyScan(Client c) {
    c.out.array(2);
    c.out.bulk("0");
    c.out.array(0);
  }

  static void hscan(Client c, Args a) {
    long cursor = KeyCommands.parseCursor(a, 2);
    HashValue h = read(c, a);
    if (h == null) {
      emptyScan(c);
      return;
    }
    ScanOptions o = scanOptions(a, 3);
    List<byte[]> out = new ArrayList<>();
    if (h.isListpack()) {
      cursor = 0;
      h.forEach((f, v) -> {
        if (o.accepts(a, f)) {
          out.add(f);
          out.add(v);
        }
      });
    } else {
      List<byte[]> batch = new ArrayList<>();
      long maxIterations = o.count > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : o.count * 10;
      do {
        cursor = h.table().scan(cursor, (f, v) -> {
          batch.add(f);
          batch.add(v);
        });
      } while (cursor != 0 && maxIterations-- != 0 && batch.size() / 2 < o.count);
      for (int i = 0; i < batch.size(); i += 2) {
        if (o.accepts(a, batch.get(i))) {
          out.add(batch.get(i));
          out.add(batch.get(i + 1));
        }
      }
    }
    c.out.array(2);
    c.out.bulk(Long.toUnsignedString(cursor));
    c.out.array(out.size());
    for (byte[] b : out) c.out.bulk(b);
  }
}
