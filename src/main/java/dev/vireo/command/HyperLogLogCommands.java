package dev.vireo.command;

import static dev.vireo.server.CommandSpec.ADMIN;
import static dev.vireo.server.CommandSpec.DENYOOM;
import static dev.vireo.server.CommandSpec.FAST;
import static dev.vireo.server.CommandSpec.MAY_REPLICATE;
import static dev.vireo.server.CommandSpec.READONLY;
import static dev.vireo.server.CommandSpec.WRITE;

import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.server.Client;
import dev.vireo.server.CommandTable;
import dev.vireo.store.Entry;
import dev.vireo.store.HyperLogLog;

/**
 * HyperLogLog, stored as strings in Redis's sparse/dense layout ({@link HyperLogLog}):
 * {@code PFADD key [element ...]}, {@code PFCOUNT key [key ...]}, {@code PFMERGE destkey [sourcekey ...]}.
 */
final class HyperLogLogCommands {
  private HyperLogLogCommands() {}

  static final String NOT_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value.";
  static final String CORRUPT = "INVALIDOBJ Corrupted HLL object detected";

  static void register(CommandTable t) {
    t.add("pfadd", -2, WRITE | DENYOOM | FAST, 1, 1, 1, "hyperloglog", "2.8.9",
        "Adds elements to a HyperLogLog key. Creates the key if it doesn't exist.", HyperLogLogCommands::pfadd);
    t.add("pfcount", -2, READONLY | MAY_REPLICATE, 1, -1, 1, "hyperloglog", "2.8.9",
        "Returns the approximated cardinality of the set(s) observed by the HyperLogLog key(s).",
        HyperLogLogCommands::pfcount);
    t.add("pfmerge", -2, WRITE | DENYOOM, 1, -1, 1, "hyperloglog", "2.8.9",
        "Merges one or more HyperLogLog values into a single key.", HyperLogLogCommands::pfmerge);
    t.add("pfdebug", 3, WRITE | DENYOOM | ADMIN, 2, 2, 1, "hyperloglog", "2.8.9",
        "Internal commands for debugging HyperLogLog values.", HyperLogLogCommands::pfdebug);
  }

  /** The HLL bytes of an entry, or Redis's errors for other types and for strings that are not HLLs. */
  private static byte[] hllOf(Entry e) {
    byte[] b = Strings.of(e);
    if (!HyperLogLog.isHll(b)) throw new CommandError(NOT_HLL);
    return b;
  }

  private static long sparseMax(Client c) {
    return c.server().config.getLong("hll-sparse-max-bytes");
  }

  static void pfadd(Client c, Args a) {
    Entry e = c.db.lookup(a.buf(1), a.off(1), a.len(1));
    int updated = 0;
    HyperLogLog.Value v;
    if (e == null) {
      v = HyperLogLog.wrap(HyperLogLog.create());
      updated++;
    } else {
      v = HyperLogLog.wrap(hllOf(e));
      e.flags(Entry.RAW); // Redis unshares the value before writing: OBJECT ENCODING says raw from now on
    }
    if (a.count() > 2) {
      // Only a sparse value consults the limit; a dense one is the common case under load.
      long max = HyperLogLog.isDense(v.bytes) ? Long.MAX_VALUE : sparseMax(c);
      for (int i = 2; i < a.count(); i++) {
        int r = HyperLogLog.add(v, a.buf(i), a.off(i), a.len(i), max);
        if (r == 1) {
          updated++;
        } else if (r < 0) {
          // Redis keeps the registers it already changed; a new key has been added by then too.
          store(c, a, e, v);
          throw new CommandError(CORRUPT);
        }
      }
    }
    if (updated > 0) {
      HyperLogLog.invalidateCache(v.bytes);
      store(c, a, e, v);
      Notify.arg(c, Notify.STRING, "pfadd", a, 1);
      c.server().addDirty(updated);
    }
    c.out.integer(updated > 0 ? 1 : 0);
  }

  private static void store(Client c, Args a, Entry e, HyperLogLog.Value v) {
    byte[] b = v.toBytes();
    if (e == null) {
      c.db.add(a.bytes(1), b).flags(Entry.RAW);
    } else {
      e.value = b;
    }
  }

  static void pfcount(Client c, Args a) {
    if (a.count() == 2) {
      Entry e = c.db.lookupRead(a.buf(1), a.off(1), a.len(1));
      if (e == null) {
        c.out.integer(0);
        return;
      }
      byte[] b = hllOf(e);
      e.flags(Entry.RAW);
      long card;
      if (HyperLogLog.cacheValid(b)) {
        card = HyperLogLog.cachedCard(b);
      } else {
        card = HyperLogLog.count(b);
        if (card < 0) throw new CommandError(CORRUPT);
        HyperLogLog.setCachedCard(b, card);
        c.server().addDirty(1);
        c.server().transactions.touch(c, a.bytes(1)); // a watched key's cached cardinality changed, as in Redis
        // the cached cardinality is part of the value: replicas recount to store the same bytes
        Rewrites.as(c, a.toArray());
      }
      c.out.integer(card);
      return;
    }
    byte[] regs = new byte[HyperLogLog.REGISTERS];
    for (int i = 1; i < a.count(); i++) {
      Entry e = c.db.lookupRead(a.buf(i), a.off(i), a.len(i));
      if (e == null) continue;
      byte[] b = hllOf(e);
      if (!HyperLogLog.mergeInto(regs, b)) throw new CommandError(CORRUPT);
    }
    c.out.integer(HyperLogLog.countRaw(regs));
  }

  static void pfmerge(Client c, Args a) {
    byte[] regs = new byte[HyperLogLog.REGISTERS];
    boolean dense = false;
    for (int i = 1; i < a.count(); i++) {
      Entry e = c.db.lookupRead(a.buf(i), a.off(i), a.len(i));
      if (e == null) continue;
      byte[] b = hllOf(e);
      if (HyperLogLog.isDense(b)) dense = true;
      if (!HyperLogLog.mergeInto(regs, b)) throw new CommandError(CORRUPT);
    }
    Entry e = c.db.lookup(a.buf(1), a.off(1), a.len(1));
    HyperLogLog.Value v = HyperLogLog.wrap(e == null ? HyperLogLog.create() : (byte[]) e.value);
    if (e == null) e = c.db.add(a.bytes(1), v.bytes);
    boolean ok = HyperLogLog.writeMerged(v, regs, dense, sparseMax(c));
    if (!ok) {
      e.value = v.toBytes();
      throw new CommandError(CORRUPT);
    }
    HyperLogLog.invalidateCache(v.bytes);
    e.value = v.toBytes();
    e.flags(Entry.RAW);
    Notify.arg(c, Notify.STRING, "pfadd", a, 1);
    c.server().addDirty(1);
    c.out.ok();
  }

  /** {@code PFDEBUG GETREG|DECODE|ENCODING|TODENSE key}. */
  static void pfdebug(Client c, Args a) {
    if (a.count() != 3) throw arity();
    Entry e = c.db.lookup(a.buf(2), a.off(2), a.len(2));
    if (e == null) throw new CommandError("ERR The specified key does not exist");
    byte[] b = hllOf(e);
    e.flags(Entry.RAW);
    String sub = a.lower(1);
    switch (sub) {
      case "getreg" -> {
        if (!HyperLogLog.isDense(b)) {
          b = toDense(e, b);
          c.server().addDirty(1);
        }
        int[] regs = HyperLogLog.registers(b);
        c.out.array(regs.length);
        for (int r : regs) c.out.integer(r);
      }
      case "decode" -> {
        if (HyperLogLog.isDense(b)) throw new CommandError("ERR HLL encoding is not sparse");
        c.out.bulk(HyperLogLog.decodeSparse(b));
      }
      case "encoding" -> {
        c.out.simple(HyperLogLog.isDense(b) ? "dense" : "sparse");
      }
      case "todense" -> {
        boolean converted = false;
        if (!HyperLogLog.isDense(b)) {
          toDense(e, b);
          converted = true;
          c.server().addDirty(1);
        }
        c.out.integer(converted ? 1 : 0);
      }
      default -> throw new CommandError("ERR Unknown PFDEBUG subcommand '" + a.echo(1) + "'");
    }
  }

  private static byte[] toDense(Entry e, byte[] b) {
    HyperLogLog.Value v = HyperLogLog.wrap(b);
    if (!HyperLogLog.toDense(v)) throw new CommandError(CORRUPT);
    e.value = v.toBytes();
    return (byte[]) e.value;
  }

  private static CommandError arity() {
    return new CommandError("ERR wrong number of arguments for 'pfdebug' command");
  }
}
