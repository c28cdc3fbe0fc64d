package dev.vireo.command;

import static dev.vireo.server.CommandSpec.FAST;
import static dev.vireo.server.CommandSpec.LOADING;
import static dev.vireo.server.CommandSpec.READONLY;
import static dev.vireo.server.CommandSpec.STALE;
import static dev.vireo.server.CommandSpec.WRITE;

import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import dev.vireo.resp.Numbers;
import dev.vireo.server.Client;
import dev.vireo.server.CommandSpec;
import dev.vireo.server.CommandTable;
import dev.vireo.store.Db;
import dev.vireo.store.Entry;
import dev.vireo.store.Keyspace;
import dev.vireo.store.TypedValue;
import dev.vireo.util.Glob;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Generic key commands: DEL, UNLINK, EXISTS, TYPE, KEYS, SCAN cursor [MATCH p] [COUNT n] [TYPE t], RANDOMKEY,
 * RENAME, RENAMENX, MOVE, COPY src dst [DB n] [REPLACE], TOUCH, OBJECT ENCODING|REFCOUNT|IDLETIME|FREQ,
 * EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT [NX|XX|GT|LT], TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST, SWAPDB.
 */
final class KeyCommands {
  private KeyCommands() {}

  static void register(CommandTable t) {
    t.add("del", -2, WRITE, 1, -1, 1, "generic", "1.0.0", "Deletes one or more keys.", KeyCommands::del);
    t.add("unlink", -2, WRITE | FAST, 1, -1, 1, "generic", "4.0.0",
        "Asynchronously deletes one or more keys.", KeyCommands::del);
    t.add("exists", -2, READONLY | FAST, 1, -1, 1, "generic", "1.0.0", "Determines whether one or more keys exist.",
        KeyCommands::exists);
    t.add("type", 2, READONLY | FAST, 1, 1, 1, "generic", "1.0.0", "Determines the type of value stored at a key.",
        KeyCommands::type);
    t.add("keys", 2, READONLY, 0, 0, 0, "generic", "1.0.0", "Returns all key names that match a pattern.",
        KeyCommands::keys);
    t.add("scan", -2, READONLY, 0, 0, 0, "generic", "2.8.0", "Iterates over the key names in the database.",
        KeyCommands::scan);
    t.add("randomkey", 1, READONLY, 0, 0, 0, "generic", "1.0.0", "Returns a random key name from the database.",
        KeyCommands::randomkey);
    t.add("rename", 3, WRITE, 1, 2, 1, "generic", "1.0.0", "Renames a key and overwrites the destination.",
        (c, a) -> rename(c, a, false));
    t.add("renamenx", 3, WRITE | FAST, 1, 2, 1, "generic", "1.0.0",
        "Renames a key only when the target key name doesn't exist.", (c, a) -> rename(c, a, true));
    t.add("move", 3, WRITE | FAST, 1, 1, 1, "generic", "1.0.0", "Moves a key to another database.",
        KeyCommands::move);
    t.add("copy", -3, WRITE | CommandSpec.DENYOOM, 1, 2, 1, "generic", "6.2.0",
        "Copies the value of a key to a new key.", KeyCommands::copy);
    t.add("touch", -2, READONLY | FAST, 1, -1, 1, "generic", "3.2.1",
        "Returns the number of existing keys out of those specified after updating the time they were last "
            + "accessed.", KeyCommands::touch);
    t.add("object", -2, 0, 0, 0, 0, "generic", "2.2.3", "A container for object introspection commands.", null)
        .sub("encoding", 3, READONLY, 2, 2, 1, "2.2.3", "Returns the internal encoding of a Redis object.",
            KeyCommands::objectEncoding)
        .sub("refcount", 3, READONLY, 2, 2, 1, "2.2.3", "Returns the reference count of a value of a key.",
            KeyCommands::objectRefcount)
        .sub("idletime", 3, READONLY, 2, 2, 1, "2.2.3",
            "Returns the time since the last access to a Redis object.", KeyCommands::objectIdletime)
        .sub("freq", 3, READONLY, 2, 2, 1, "4.0.0", "Returns the logarithmic access frequency counter of a Redis "
            + "object.", KeyCommands::objectFreq)
        .sub("help", 2, LOADING | STALE, 0, 0, 0, "6.2.0", "Returns helpful text about the different subcommands.",
            (c, a) -> Help.reply(c, "OBJECT", Help.OBJECT));
    t.add("expire", -3, WRITE | FAST, 1, 1, 1, "generic", "1.0.0", "Sets the expiration time of a key in seconds.",
        (c, a) -> expire(c, a, true, true, "expire"));
    t.add("pexpire", -3, WRITE | FAST, 1, 1, 1, "generic", "2.6.0",
        "Sets the expiration time of a key in milliseconds.", (c, a) -> expire(c, a, true, false, "pexpire"));
    t.add("expireat", -3, WRITE | FAST, 1, 1, 1, "generic", "1.2.0",
        "Sets the expiration time of a key to a Unix timestamp.", (c, a) -> expire(c, a, false, true, "expireat"));
    t.add("pexpireat", -3, WRITE | FAST, 1, 1, 1, "generic", "2.6.0",
        "Sets the expiration time of a key to a Unix milliseconds timestamp.",
        (c, a) -> expire(c, a, false, false, "pexpireat"));
    t.add("ttl", 2, READONLY | FAST, 1, 1, 1, "generic", "1.0.0", "Returns the expiration time in seconds of a key.",
        (c, a) -> ttl(c, a, false, false));
    t.add("pttl", 2, READONLY | FAST, 1, 1, 1, "generic", "2.6.0",
        "Returns the expiration time in milliseconds of a key.", (c, a) -> ttl(c, a, true, false));
    t.add("expiretime", 2, READONLY | FAST, 1, 1, 1, "generic", "7.0.0",
        "Returns the expiration time of a key as a Unix timestamp.", (c, a) -> ttl(c, a, false, true));
    t.add("pexpiretime", 2, READONLY | FAST, 1, 1, 1, "generic", "7.0.0",
        "Returns the expiration time of a key as a Unix milliseconds timestamp.", (c, a) -> ttl(c, a, true, true));
    t.add("persist", 2, WRITE | FAST, 1, 1, 1, "generic", "2.2.0", "Removes the expiration time of a key.",
        KeyCommands::persist);
    t.add("swapdb", 3, WRITE | FAST, 0, 0, 0, "server", "4.0.0", "Swaps two Redis databases.",
        KeyCommands::swapdb);
  }

  static void del(Client c, Args a) {
    int n = 0;
    for (int i = 1; i < a.count(); i++) {
      Entry e = c.db.lookup(a.buf(i), a.off(i), a.len(i));
      if (e != null) {
        c.db.remove(e);
        Notify.del(c, a, i);
        n++;
      }
    }
    c.server().addDirty(n);
    c.out.integer(n);
  }

  static void exists(Client c, Args a) {
    int n = 0;
    for (int i = 1; i < a.count(); i++) if (c.db.lookupNoTouch(a.buf(i), a.off(i), a.len(i)) != null) n++;
    c.out.integer(n);
  }

  static void touch(Client c, Args a) {
    int n = 0;
    for (int i = 1; i < a.count(); i++) if (c.db.lookupRead(a.buf(i), a.off(i), a.len(i)) != null) n++;
    c.out.integer(n);
  }

  /** Redis's type name of a value. */
  static String typeName(Object v) {
    if (v instanceof byte[]) return "string";
    if (v instanceof TypedValue t) return t.typeName();
    return "none";
  }

  static void type(Client c, Args a) {
    Entry e = c.db.lookupNoTouch(a.buf(1), a.off(1), a.len(1));
    c.out.simple(e == null ? "none" : typeName(e.value));
  }

  static void keys(Client c, Args a) {
    List<byte[]> found = new ArrayList<>();
    byte[] p = a.buf(1);
    int po = a.off(1);
    int pl = a.len(1);
    boolean all = pl == 1 && p[po] == '*';
    long now = c.server().keyspace().now();
    c.db.forEach(e -> {
      if (e.hasTtl() && c.db.expireAt(e) <= now) return;
      byte[] k = e.key();
      if (all || Glob.match(p, po, pl, k, 0, k.length, false)) found.add(k);
    });
    c.out.array(found.size());
    for (byte[] k : found) c.out.bulk(k);
  }

  static void scan(Client c, Args a) {
    long cursor = parseCursor(a, 1);
    scanKeys(c, a, 2, cursor, c.db);
  }

  /**
   * Parses a SCAN cursor as C's strtoul does it in Redis 7.0: an optional sign (a negative value wraps modulo
   * 2^64), decimal digits, nothing after them; leading space and out-of-range values are refused. An empty
   * argument reads as cursor 0. The one parser of SCAN, SSCAN, HSCAN and ZSCAN.
   */
  static long parseCursor(Args a, int i) {
    byte[] b = a.buf(i);
    int off = a.off(i);
    int len = a.len(i);
    if (len == 0) return 0;
    int k = 0;
    boolean neg = false;
    if (b[off] == '+' || b[off] == '-') {
      neg = b[off] == '-';
      k++;
    }
    if (k == len) throw new CommandError("ERR invalid cursor");
    long v = 0;
    for (; k < len; k++) {
      int d = b[off + k] - '0';
      if (d < 0 || d > 9) throw new CommandError("ERR invalid cursor");
      if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, 10)) > 0) throw new CommandError("ERR invalid cursor");
      v = v * 10 + d;
    }
    return neg ? -v : v;
  }

  private static void scanKeys(Client c, Args a, int optStart, long cursor, Db db) {
    long count = 10;
    int pi = -1;
    String type = null;
    for (int i = optStart; i < a.count(); i++) {
      boolean hasNext = i + 1 < a.count();
      if (a.is(i, "count") && hasNext) {
        count = a.longArg(++i);
        if (count < 1) throw new CommandError(Errors.SYNTAX);
      } else if (a.is(i, "match") && hasNext) {
        pi = ++i;
      } else if (a.is(i, "type") && hasNext) {
        type = a.lower(++i);
      } else {
        throw new CommandError(Errors.SYNTAX);
      }
    }
    List<Entry> batch = new ArrayList<>();
    long maxIterations = count * 10;
    do {
      cursor = db.scan(cursor, batch::add);
    } while (cursor != 0 && --maxIterations > 0 && batch.size() < count);
    long now = c.server().keyspace().now();
    List<byte[]> keys = new ArrayList<>(batch.size());
    for (Entry e : batch) {
      byte[] k = e.key();
      if (pi >= 0 && !Glob.match(a.buf(pi), a.off(pi), a.len(pi), k, 0, k.length, false)) continue;
      if (type != null && !typeName(e.value).equals(type)) continue;
      if (e.hasTtl() && db.expireAt(e) <= now) {
        db.lookup(k); // expires it (on a master)
        continue;
      }
      keys.add(k);
    }
    c.out.array(2);
    c.out.bulk(Long.toUnsignedString(cursor));
    c.out.array(keys.size());
    for (byte[] k : keys) c.out.bulk(k);
  }

  static void randomkey(Client c, Args a) {
    Entry e = c.db.random();
    if (e == null) c.out.nullBulk();
    else c.out.bulk(e.key());
  }

  static void rename(Client c, Args a, boolean nx) {
    boolean same = Arrays.equals(a.buf(1), a.off(1), a.off(1) + a.len(1), a.buf(2), a.off(2),
        a.off(2) + a.len(2));
    Entry src = c.db.lookup(a.buf(1), a.off(1), a.len(1));
    if (src == null) throw new CommandError(Errors.NO_SUCH_KEY);
    if (same) {
      if (nx) c.out.integer(0);
      else c.out.ok();
      return;
    }
    Entry dst = c.db.lookup(a.buf(2), a.off(2), a.len(2));
    if (dst != null) {
      if (nx) {
        c.out.integer(0);
        return;
      }
      c.db.remove(dst);
    }
    long at = c.db.expireAt(src);
    Object v = src.value;
    int flags = src.flags();
    c.db.remove(src);
    Entry n = c.db.add(a.bytes(2), v);
    n.flags(flags);
    n.keepAccess(src);
    if (at >= 0) c.db.setExpire(n, at);
    Notify.arg(c, Notify.GENERIC, "rename_from", a, 1);
    Notify.arg(c, Notify.GENERIC, "rename_to", a, 2);
    c.server().addDirty(1);
    if (nx) c.out.integer(1);
    else c.out.ok();
  }

  static int dbIndex(Client c, Args a, int i) {
    int id = a.intArg(i);
    if (id < 0 || id >= c.server().keyspace().databases()) throw new CommandError(Errors.DB_RANGE);
    return id;
  }

  static void move(Client c, Args a) {
    int id = dbIndex(c, a, 2);
    if (id == c.db.index) throw new CommandError("ERR source and destination objects are the same");
    Entry e = c.db.lookup(a.buf(1), a.off(1), a.len(1));
    if (e == null) {
      c.out.integer(0);
      return;
    }
    Db dst = c.server().keyspace().db(id);
    if (dst.lookup(a.buf(1), a.off(1), a.len(1)) != null) {
      c.out.integer(0);
      return;
    }
    long at = c.db.expireAt(e);
    c.db.remove(e);
    Entry n = dst.add(e.key(), e.value);
    n.flags(e.flags());
    n.keepAccess(e);
    if (at >= 0) dst.setExpire(n, at);
    c.server().events().notify(Notify.GENERIC, "move_from", c.db.index, e.key());
    c.server().events().notify(Notify.GENERIC, "move_to", dst.index, e.key());
    c.server().addDirty(1);
    c.out.integer(1);
  }

  static void copy(Client c, Args a) {
    Db dst = c.db;
    boolean replace = false;
    for (int i = 3; i < a.count(); i++) {
      if (a.is(i, "replace")) replace = true;
      else if (a.is(i, "db") && i + 1 < a.count()) dst = c.server().keyspace().db(dbIndex(c, a, ++i));
      else throw new CommandError(Errors.SYNTAX);
    }
    boolean sameKey = Arrays.equals(a.buf(1), a.off(1), a.off(1) + a.len(1), a.buf(2), a.off(2),
        a.off(2) + a.len(2));
    if (sameKey && dst == c.db) throw new CommandError("ERR source and destination objects are the same");
    Entry src = c.db.lookupRead(a.buf(1), a.off(1), a.len(1));
    if (src == null) {
      c.out.integer(0);
      return;
    }
    Entry existing = dst.lookup(a.buf(2), a.off(2), a.len(2));
    if (existing != null) {
      if (!replace) {
        c.out.integer(0);
        return;
      }
      dst.remove(existing);
    }
    Entry n = dst.add(a.bytes(2), deepCopy(src.value));
    n.flags(src.flags() | Entry.UNSHARED);
    if (src.hasTtl()) dst.setExpire(n, c.db.expireAt(src));
    c.server().events().notify(Notify.GENERIC, "copy_to", dst.index, n.key());
    c.server().addDirty(1);
    c.out.integer(1);
  }

  static Object deepCopy(Object v) {
    if (v instanceof byte[] b) return b.clone();
    if (v instanceof TypedValue t) return t.copy();
    throw new IllegalStateException("unknown value type " + v.getClass());
  }

  private static Entry objectTarget(Client c, Args a) {
    return c.db.lookupNoTouchQuiet(a.buf(2), a.off(2), a.len(2));
  }

  static String encoding(Entry e) {
    if (e.value instanceof byte[]) return Strings.encoding(e);
    if (e.value instanceof TypedValue t) return t.encoding();
    return "unknown";
  }

  static void objectEncoding(Client c, Args a) {
    Entry e = objectTarget(c, a);
    if (e == null) c.out.nullBulk();
    else c.out.bulk(encoding(e));
  }

  static void objectRefcount(Client c, Args a) {
    Entry e = objectTarget(c, a);
    if (e == null) {
      c.out.nullBulk();
      return;
    }
    // Redis shares the objects of small integers 0..9999 when no LRU/LFU eviction policy is set.
    if (e.value instanceof byte[] b && e.flags() == 0 && b.length <= 4) {
      long v = Numbers.parseLong(b, 0, b.length);
      if (v >= 0 && v < 10000 && !c.server().config.get("maxmemory-policy").contains("l")) {
        c.out.integer(Integer.MAX_VALUE);
        return;
      }
    }
    c.out.integer(1);
  }

  static void objectIdletime(Client c, Args a) {
    Entry e = objectTarget(c, a);
    if (e == null) {
      c.out.nullBulk();
      return;
    }
    Keyspace ks = c.server().keyspace();
    if (ks.lfu()) {
      throw new CommandError("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that "
          + "when switching between policies at runtime LRU and LFU data will take some time to adjust.");
    }
    c.out.integer(ks.idleMillis(e) / 1000);
  }

  static void objectFreq(Client c, Args a) {
    Entry e = objectTarget(c, a);
    if (e == null) {
      c.out.nullBulk();
      return;
    }
    Keyspace ks = c.server().keyspace();
    if (!ks.lfu()) {
      throw new CommandError("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please "
          + "note that when switching between policies at runtime LRU and LFU data will take some time to adjust.");
    }
    c.out.integer(ks.frequency(e));
  }

  static void expire(Client c, Args a, boolean relative, boolean seconds, String cmd) {
    boolean nx = false;
    boolean xx = false;
    boolean gt = false;
    boolean lt = false;
    // Options are checked before the time argument, as Redis does.
    for (int i = 3; i < a.count(); i++) {
      if (a.is(i, "nx")) nx = true;
      else if (a.is(i, "xx")) xx = true;
      else if (a.is(i, "gt")) gt = true;
      else if (a.is(i, "lt")) lt = true;
      else throw new CommandError("ERR Unsupported option " + a.echo(i));
    }
    if (nx && (xx || gt || lt)) {
      throw new CommandError("ERR NX and XX, GT or LT options at the same time are not compatible");
    }
    if (gt && lt) throw new CommandError("ERR GT and LT options at the same time are not compatible");
    long when = a.longArg(2);
    Keyspace ks = c.server().keyspace();
    if (seconds) {
      if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) throw Errors.invalidExpire(cmd);
      when *= 1000;
    }
    if (relative) {
      // Only an overflow past the top is an error; a negative relative time is a time in the past.
      long now = ks.now();
      if (when > Long.MAX_VALUE - now) throw Errors.invalidExpire(cmd);
      when += now;
    }
    Entry e = c.db.lookup(a.buf(1), a.off(1), a.len(1));
    if (e == null) {
      c.out.integer(0);
      return;
    }
    long cur = c.db.expireAt(e);
    if (nx && cur >= 0 || xx && cur < 0) {
      c.out.integer(0);
      return;
    }
    if (gt && (cur < 0 || when <= cur)) {
      c.out.integer(0);
      return;
    }
    if (lt && cur >= 0 && when >= cur) {
      c.out.integer(0);
      return;
    }
    if (when <= ks.now() && !ks.isReplica()) {
      c.db.remove(e);
      Notify.del(c, a, 1);
      Rewrites.expiredDel(c, a.bytes(1));
    } else {
      c.db.setExpire(e, when);
      Notify.arg(c, Notify.GENERIC, "expire", a, 1);
      // replicas get the absolute time in ms; NX/XX/GT/LT stay as written (they hold on the replica too)
      if (relative || seconds) {
        byte[][] v = Rewrites.replacing(a, 0, Rewrites.PEXPIREAT);
        v[2] = Rewrites.num(when);
        Rewrites.as(c, v);
      }
    }
    c.server().addDirty(1);
    c.out.integer(1);
  }

  static void ttl(Client c, Args a, boolean millis, boolean absolute) {
    Entry e = c.db.lookupNoTouch(a.buf(1), a.off(1), a.len(1));
    if (e == null) {
      c.out.integer(-2);
      return;
    }
    long at = c.db.expireAt(e);
    if (at < 0) {
      c.out.integer(-1);
      return;
    }
    long v = absolute ? at : Math.max(0, at - c.server().keyspace().now());
    // Rounded to the nearest second; unsigned so that a time near Long.MAX_VALUE does not wrap.
    c.out.integer(millis ? v : Long.divideUnsigned(v + 500, 1000));
  }

  static void persist(Client c, Args a) {
    Entry e = c.db.lookup(a.buf(1), a.off(1), a.len(1));
    if (e != null && c.db.persist(e)) {
      Notify.arg(c, Notify.GENERIC, "persist", a, 1);
      c.server().addDirty(1);
      c.out.integer(1);
    } else {
      c.out.integer(0);
    }
  }

  static void swapdb(Client c, Args a) {
    int x;
    int y;
    try {
      x = a.intArg(1); // past the int range too: Redis reads an int here
    } catch (CommandError e) {
      throw new CommandError("ERR invalid first DB index");
    }
    try {
      y = a.intArg(2);
    } catch (CommandError e) {
      throw new CommandError("ERR invalid second DB index");
    }
    int n = c.server().keyspace().databases();
    if (x < 0 || x >= n || y < 0 || y >= n) throw new CommandError(Errors.DB_RANGE);
    if (x != y) c.server().keyspace().swap(x, y);
    c.server().addDirty(1); // a swap of a database with itself still goes to replicas, as in Redis
    c.out.ok();
  }
}
