package dev.vireo.command;

import static dev.vireo.server.CommandSpec.DENYOOM;
import static dev.vireo.server.CommandSpec.FAST;
import static dev.vireo.server.CommandSpec.READONLY;
import static dev.vireo.server.CommandSpec.WRITE;

import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import dev.vireo.server.Client;
import dev.vireo.server.CommandTable;
import dev.vireo.store.Entry;
import dev.vireo.store.FieldTable;
import dev.vireo.store.SetValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sets: SADD key member [member ...], SREM, SCARD, SISMEMBER, SMISMEMBER key member [member ...], SMEMBERS,
 * SRANDMEMBER key [count], SPOP key [count], SMOVE source destination member, SINTER key [key ...], SINTERCARD
 * numkeys key [key ...] [LIMIT limit], SUNION, SDIFF, SINTERSTORE/SUNIONSTORE/SDIFFSTORE destination key [key ...],
 * SSCAN key cursor [MATCH pattern] [COUNT count].
 */
final class SetCommands {
  private SetCommands() {}

  private static final int INTER = 0;
  private static final int UNION = 1;
  private static final int DIFF = 2;

  static void register(CommandTable t) {
    t.add("sadd", -3, WRITE | DENYOOM | FAST, 1, 1, 1, "set", "1.0.0",
        "Adds one or more members to a set. Creates the key if it doesn't exist.", SetCommands::sadd);
    t.add("srem", -3, WRITE | FAST, 1, 1, 1, "set", "1.0.0",
        "Removes one or more members from a set. Deletes the set if the last member was removed.",
        SetCommands::srem);
    t.add("scard", 2, READONLY | FAST, 1, 1, 1, "set", "1.0.0", "Returns the number of members in a set.",
        SetCommands::scard);
    t.add("sismember", 3, READONLY | FAST, 1, 1, 1, "set", "1.0.0",
        "Determines whether a member belongs to a set.", SetCommands::sismember);
    t.add("smismember", -3, READONLY | FAST, 1, 1, 1, "set", "6.2.0",
        "Determines whether multiple members belong to a set.", SetCommands::smismember);
    t.add("smembers", 2, READONLY, 1, 1, 1, "set", "1.0.0", "Returns all members of a set.",
        SetCommands::smembers);
    t.add("srandmember", -2, READONLY, 1, 1, 1, "set", "1.0.0", "Get one or multiple random members from a set",
        SetCommands::srandmember);
    t.add("spop", -2, WRITE | FAST, 1, 1, 1, "set", "1.0.0",
        "Returns one or more random members from a set after removing them. Deletes the set if the last member "
            + "was popped.", SetCommands::spop);
    t.add("smove", 4, WRITE | FAST, 1, 2, 1, "set", "1.0.0", "Moves a member from one set to another.",
        SetCommands::smove);
    t.add("sinter", -2, READONLY, 1, -1, 1, "set", "1.0.0", "Returns the intersect of multiple sets.",
        (c, a) -> algebra(c, a, INTER, false));
    t.add("sintercard", -3, READONLY, 0, 0, 0, "set", "7.0.0",
        "Returns the number of members of the intersect of multiple sets.", SetCommands::sintercard);
    t.add("sunion", -2, READONLY, 1, -1, 1, "set", "1.0.0", "Returns the union of multiple sets.",
        (c, a) -> algebra(c, a, UNION, false));
    t.add("sdiff", -2, READONLY, 1, -1, 1, "set", "1.0.0", "Returns the difference of multiple sets.",
        (c, a) -> algebra(c, a, DIFF, false));
    t.add("sinterstore", -3, WRITE | DENYOOM, 1, -1, 1, "set", "1.0.0",
        "Stores the intersect of multiple sets in a key.", (c, a) -> algebra(c, a, INTER, true));
    t.add("sunionstore", -3, WRITE | DENYOOM, 1, -1, 1, "set", "1.0.0",
        "Stores the union of multiple sets in a key.", (c, a) -> algebra(c, a, UNION, true));
    t.add("sdiffstore", -3, WRITE | DENYOOM, 1, -1, 1, "set", "1.0.0",
        "Stores the difference of multiple sets in a key.", (c, a) -> algebra(c, a, DIFF, true));
    t.add("sscan", -3, READONLY, 1, 1, 1, "set", "2.8.0", "Iterates over members of a set.",
        SetCommands::sscan);
  }

  private static SetValue read(Client c, Args a) {
    Entry e = c.db.lookupRead(a.buf(1), a.off(1), a.len(1));
    return e == null ? null : SetValue.of(e);
  }

  static void sadd(Client c, Args a) {
    Entry e = c.db.lookup(a.buf(1), a.off(1), a.len(1));
    SetValue s;
    if (e == null) {
      s = SetValue.createFor(a.buf(2), a.off(2), a.len(2));
      c.db.add(a.bytes(1), s);
    } else {
      s = SetValue.of(e);
    }
    long max = c.server().encodingLimits.setMaxIntsetEntries;
    int added = 0;
    for (int i = 2; i < a.count(); i++) {
      if (s.add(a.buf(i), a.off(i), a.len(i), max)) added++;
    }
    if (added > 0) Notify.arg(c, Notify.SET, "sadd", a, 1);
    c.server().addDirty(added);
    c.out.integer(added);
  }

  static void srem(Client c, Args a) {
    Entry e = c.db.lookup(a.buf(1), a.off(1), a.len(1));
    if (e == null) {
      c.out.integer(0);
      return;
    }
    SetValue s = SetValue.of(e);
    int removed = 0;
    boolean emptied = false;
    for (int i = 2; i < a.count(); i++) {
      if (s.remove(a.buf(i), a.off(i), a.len(i))) {
        removed++;
        if (s.size() == 0) {
          c.db.remove(e);
          emptied = true;
          break;
        }
      }
    }
    if (removed > 0) Notify.arg(c, Notify.SET, "srem", a, 1);
    if (emptied) Notify.del(c, a, 1);
    c.server().addDirty(removed);
    c.out.integer(removed);
  }

  static void scard(Client c, Args a) {
    SetValue s = read(c, a);
    c.out.integer(s == null ? 0 : s.size());
  }

  static void sismember(Client c, Args a) {
    SetValue s = read(c, a);
    c.out.integer(s != null && s.contains(a.buf(2), a.off(2), a.len(2)) ? 1 : 0);
  }

  static void smismember(Client c, Args a) {
    SetValue s = read(c, a);
    c.out.array(a.count() - 2);
    for (int i = 2; i < a.count(); i++) {
      c.out.integer(s != null && s.contains(a.buf(i), a.off(i), a.len(i)) ? 1 : 0);
    }
  }

  static void smembers(Client c, Args a) {
    SetValue s = read(c, a);
    if (s == null) {
      c.out.set(0);
      return;
    }
    c.out.set(s.size());
    writeMembers(c, s);
  }

  private static void writeMembers(Client c, SetValue s) {
    if (s.isIntset()) {
      for (int i = 0; i < s.size(); i++) c.out.bulkLong(s.intAt(i));
    } else {
      s.table().forEach((m, unused) -> c.out.bulk(m));
    }
  }

  static void srandmember(Client c, Args a) {
    if (a.count() > 3) throw new CommandError(Errors.SYNTAX);
    if (a.count() == 2) {
      SetValue s = read(c, a);
      if (s == null) c.out.nullBulk();
      else c.out.bulk(s.random());
      return;
    }
    long count = HashCommands.randomCount(a, 2);
    SetValue s = read(c, a);
    if (s == null || count == 0) {
      c.out.array(0);
      return;
    }
    if (count < 0) {
      c.out.array(-count);
      for (long i = 0; i < -count; i++) c.out.bulk(s.random());
      return;
    }
    if (count >= s.size()) {
      c.out.array(s.size());
      writeMembers(c, s);
      return;
    }
    byte[][] picked = pick(s, (int) count);
    c.out.array(picked.length);
    for (byte[] m : picked) c.out.bulk(m);
  }

  /** count distinct random members (count below the size). */
  private static byte[][] pick(SetValue s, int count) {
    if (s.isIntset()) {
      // Selection sampling keeps the ascending order of the intset.
      byte[][] out = new byte[count][];
      ThreadLocalRandom r = ThreadLocalRandom.current();
      int size = s.size();
      int k = 0;
      for (int i = 0; i < size && k < count; i++) {
        if (r.nextInt(size - i) < count - k) out[k++] = Long.toString(s.intAt(i)).getBytes();
      }
      return out;
    }
    FieldTable t = s.table();
    int[] slots = HashCommands.distinct(t, count);
    byte[][] out = new byte[count][];
    for (int i = 0; i < count; i++) out[i] = t.key(slots[i]);
    return out;
  }

  static void spop(Client c, Args a) {
    if (a.count() > 3) throw new CommandError(Errors.SYNTAX);
    if (a.count() == 2) {
      Entry e = c.db.lookup(a.buf(1), a.off(1), a.len(1));
      if (e == null) {
        c.out.nullBulk();
        return;
      }
      SetValue s = SetValue.of(e);
      byte[] m = s.random();
      s.remove(m, 0, m.length);
      Notify.arg(c, Notify.SET, "spop", a, 1);
      if (s.size() == 0) {
        c.db.remove(e);
        Notify.del(c, a, 1);
      }
      Rewrites.as(c, Rewrites.SREM, a.bytes(1), m); // the member chosen here, not another random one
      c.server().addDirty(1);
      c.out.bulk(m);
      return;
    }
    long count = a.longArg(2, "ERR value is out of range, must be positive");
    if (count < 0) throw new CommandError("ERR value is out of range, must be positive");
    Entry e = c.db.lookup(a.buf(1), a.off(1), a.len(1));
    if (e == null) {
      c.out.set(0);
      return;
    }
    SetValue s = SetValue.of(e);
    if (count == 0) {
      c.out.set(0);
      return;
    }
    if (count >= s.size()) {
      c.out.set(s.size());
      writeMembers(c, s);
      c.server().addDirty(s.size());
      c.db.remove(e);
      Notify.arg(c, Notify.SET, "spop", a, 1);
      Notify.del(c, a, 1);
      Rewrites.as(c, Rewrites.DEL, a.bytes(1));
      return;
    }
    byte[][] picked = pick(s, (int) count);
    byte[] key = a.bytes(1);
    Notify.key(c, Notify.SET, "spop", key);
    for (byte[] m : picked) {
      s.remove(m, 0, m.length);
      Rewrites.as(c, Rewrites.SREM, key, m); // one SREM per member, as Redis 7.0 sends them (in MULTI/EXEC)
    }
    c.server().addDirty(picked.length);
    c.out.set(picked.length);
    for (byte[] m : picked) c.out.bulk(m);
  }

  static void smove(Client c, Args a) {
    Entry se = c.db.lookup(a.buf(1), a.off(1), a.len(1));
    Entry de = c.db.lookup(a.buf(2), a.off(2), a.len(2));
    if (se == null) {
      c.out.integer(0);
      return;
    }
    SetValue src = SetValue.of(se);
    SetValue dst = de == null ? null : SetValue.of(de);
    byte[] mb = a.buf(3);
    int mo = a.off(3);
    int ml = a.len(3);
    if (src == dst) {
      c.out.integer(src.contains(mb, mo, ml) ? 1 : 0);
      return;
    }
    if (!src.remove(mb, mo, ml)) {
      c.out.integer(0);
      return;
    }
    c.server().addDirty(1);
    c.server().transactions.touch(c, a.bytes(1)); // the destination only when the member is new there
    Notify.arg(c, Notify.SET, "srem", a, 1);
    if (src.size() == 0) {
      c.db.remove(se);
      Notify.del(c, a, 1);
    }
    if (dst == null) {
      dst = SetValue.createFor(mb, mo, ml);
      c.db.add(a.bytes(2), dst);
    }
    if (dst.add(mb, mo, ml, c.server().encodingLimits.setMaxIntsetEntries)) {
      c.server().transactions.touch(c, a.bytes(2));
      Notify.arg(c, Notify.SET, "sadd", a, 2);
      c.server().addDirty(1);
    }
    c.out.integer(1);
  }

  /** The sets named by arguments from..to (inclusive); null for a missing key; WRONGTYPE for any other type. */
  private static SetValue[] sets(Client c, Args a, int from, int to) {
    SetValue[] out = new SetValue[to - from + 1];
    for (int i = from; i <= to; i++) {
      Entry e = c.db.lookupRead(a.buf(i), a.off(i), a.len(i)); // a read, STORE or not (keyspace hits, keymiss)
      out[i - from] = e == null ? null : SetValue.of(e);
    }
    return out;
  }

  static void algebra(Client c, Args a, int op, boolean store) {
    int first = store ? 2 : 1;
    SetValue[] sets = sets(c, a, first, a.count() - 1);
    long max = c.server().encodingLimits.setMaxIntsetEntries;
    if (op == INTER) {
      boolean empty = false;
      for (SetValue s : sets) empty |= s == null;
      if (!store) {
        if (empty) {
          c.out.set(0);
          return;
        }
        List<byte[]> result = new ArrayList<>();
        intersect(sets, m -> result.add(m), Long.MAX_VALUE);
        c.out.set(result.size());
        for (byte[] m : result) c.out.bulk(m);
        return;
      }
      SetValue dst = SetValue.emptyIntset();
      if (!empty) intersect(sets, m -> dst.add(m, max), Long.MAX_VALUE);
      storeResult(c, a, dst, "sinterstore");
      return;
    }
    SetValue dst = SetValue.emptyIntset();
    if (op == UNION) {
      for (SetValue s : sets) if (s != null) s.forEach(m -> dst.add(m, max));
    } else if (sets[0] != null) {
      sets[0].forEach(m -> {
        for (int i = 1; i < sets.length; i++) {
          if (sets[i] != null && sets[i].contains(m, 0, m.length)) return;
        }
        dst.add(m, max);
      });
    }
    if (store) {
      storeResult(c, a, dst, op == UNION ? "sunionstore" : "sdiffstore");
      return;
    }
    c.out.set(dst.size());
    writeMembers(c, dst);
  }

  /** Visits the intersection, walking the smallest set in its own order; stops after limit members. */
  private static long intersect(SetValue[] sets, SetValue.Visitor out, long limit) {
    SetValue[] sorted = sets.clone();
    Arrays.sort(sorted, (x, y) -> Integer.compare(x.size(), y.size()));
    long[] found = {0};
    SetValue smallest = sorted[0];
    if (smallest.isIntset()) {
      for (int i = 0; i < smallest.size() && found[0] < limit; i++) {
        byte[] m = Long.toString(smallest.intAt(i)).getBytes();
        if (inAll(sorted, m)) {
          out.visit(m);
          found[0]++;
        }
      }
      return found[0];
    }
    smallest.table().forEach((m, unused) -> {
      if (found[0] < limit && inAll(sorted, m)) {
        out.visit(m);
        found[0]++;
      }
    });
    return found[0];
  }

  private static boolean inAll(SetValue[] sorted, byte[] m) {
    for (int j = 1; j < sorted.length; j++) {
      if (!sorted[j].contains(m, 0, m.length)) return false;
    }
    return true;
  }

  private static void storeResult(Client c, Args a, SetValue dst, String event) {
    if (dst.size() == 0) {
      StoreResults.empty(c, a.bytes(1));
      return;
    }
    c.db.put(a.bytes(1), dst, false);
    Notify.arg(c, Notify.SET, event, a, 1);
    c.server().addDirty(1);
    c.out.integer(dst.size());
  }

  static void sintercard(Client c, Args a) {
    String numkeysError = "ERR numkeys should be greater than 0";
    long numkeys = a.longArg(1, numkeysError);
    if (numkeys <= 0) throw new CommandError(numkeysError);
    if (numkeys > a.count() - 2) throw new CommandError("ERR Number of keys can't be greater than number of args");
    long limit = 0;
    for (int i = 2 + (int) numkeys; i < a.count(); i++) {
      if (a.is(i, "limit") && i + 1 < a.count()) {
        limit = a.longArg(++i, "ERR LIMIT can't be negative");
        if (limit < 0) throw new CommandError("ERR LIMIT can't be negative");
      } else {
        throw new CommandError(Errors.SYNTAX);
      }
    }
    SetValue[] sets = sets(c, a, 2, 1 + (int) numkeys);
    for (SetValue s : sets) {
      if (s == null) {
        c.out.integer(0);
        return;
      }
    }
    c.out.integer(intersect(sets, m -> { }, limit == 0 ? Long.MAX_VALUE : limit));
  }

  static void sscan(Client c, Args a) {
    long cursor = KeyCommands.parseCursor(a, 2);
    SetValue s = read(c, a);
    if (s == null) {
      HashCommands.emptyScan(c);
      return;
    }
    HashCommands.ScanOptions o = HashCommands.scanOptions(a, 3);
    List<byte[]> out = new ArrayList<>();
    if (s.isIntset()) {
      cursor = 0;
      s.forEach(m -> {
        if (o.accepts(a, m)) out.add(m);
      });
    } else {
      List<byte[]> batch = new ArrayList<>();
      long maxIterations = o.count > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : o.count * 10;
      do {
        cursor = s.table().scan(cursor, (m, unused) -> batch.add(m));
      } while (cursor != 0 && maxIterations-- != 0 && batch.size() < o.count);
      for (byte[] m : batch) {
        if (o.accepts(a, m)) out.add(m);
      }
    }
    c.out.array(2);
    c.out.bulk(Long.toUnsignedString(cursor));
    c.out.array(out.size());
    for (byte[] m : out) c.out.bulk(m);
  }
}
