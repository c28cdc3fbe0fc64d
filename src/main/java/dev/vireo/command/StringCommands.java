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
import dev.vireo.store.Db;
import dev.vireo.store.Entry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * String commands: GET, SET [NX|XX] [GET] [EX|PX|EXAT|PXAT|KEEPTTL], SETNX, SETEX, PSETEX, MGET, MSET, MSETNX,
 * GETSET, GETDEL, GETEX [EX|PX|EXAT|PXAT|PERSIST], APPEND, STRLEN, GETRANGE/SUBSTR, SETRANGE, INCR, DECR, INCRBY,
 * DECRBY, INCRBYFLOAT.
 */
final class StringCommands {
  private StringCommands() {}

  static final int MAX_STRING = 512 * 1024 * 1024;

  static void register(CommandTable t) {
    t.add("get", 2, READONLY | FAST, 1, 1, 1, "string", "1.0.0", "Returns the string value of a key.",
        StringCommands::get);
    t.add("set", -3, WRITE | DENYOOM, 1, 1, 1, "string", "1.0.0",
        "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.",
        StringCommands::set);
    t.add("setnx", 3, WRITE | DENYOOM | FAST, 1, 1, 1, "string", "1.0.0",
        "Set the string value of a key only when the key doesn't exist.", StringCommands::setnx);
    t.add("setex", 4, WRITE | DENYOOM, 1, 1, 1, "string", "2.0.0",
        "Sets the string value and expiration time of a key. Creates the key if it doesn't exist.",
        (c, a) -> setWithTtl(c, a, 1000, "setex"));
    t.add("psetex", 4, WRITE | DENYOOM, 1, 1, 1, "string", "2.6.0",
        "Sets both string value and expiration time in milliseconds of a key.",
        (c, a) -> setWithTtl(c, a, 1, "psetex"));
    t.add("mget", -2, READONLY | FAST, 1, -1, 1, "string", "1.0.0",
        "Atomically returns the string values of one or more keys.", StringCommands::mget);
    t.add("mset", -3, WRITE | DENYOOM, 1, -1, 2, "string", "1.0.1",
        "Atomically creates or modifies the string values of one or more keys.", (c, a) -> mset(c, a, false));
    t.add("msetnx", -3, WRITE | DENYOOM, 1, -1, 2, "string", "1.0.1",
        "Atomically modifies the string values of one or more keys only when all keys don't exist.",
        (c, a) -> mset(c, a, true));
    t.add("getset", 3, WRITE | DENYOOM | FAST, 1, 1, 1, "string", "1.0.0",
        "Returns the previous string value of a key after setting it to a new value.", StringCommands::getset);
    t.add("getdel", 2, WRITE | FAST, 1, 1, 1, "string", "6.2.0",
        "Returns the string value of a key after deleting the key.", StringCommands::getdel);
    t.add("getex", -2, WRITE | FAST, 1, 1, 1, "string", "6.2.0",
        "Returns the string value of a key after setting its expiration time.", StringCommands::getex);
    t.add("append", 3, WRITE | DENYOOM | FAST, 1, 1, 1, "string", "2.0.0",
        "Appends a string to the value of a key. Creates the key if it doesn't exist.", StringCommands::append);
    t.add("strlen", 2, READONLY | FAST, 1, 1, 1, "string", "2.2.0", "Returns the length of a string value.",
        StringCommands::strlen);
    t.add("getrange", 4, READONLY, 1, 1, 1, "string", "2.4.0",
        "Returns a substring of the string stored at a key.", StringCommands::getrange);
    t.add("substr", 4, READONLY, 1, 1, 1, "string", "1.0.0",
        "Returns a substring from a string value.", StringCommands::getrange);
    t.add("setrange", 4, WRITE | DENYOOM, 1, 1, 1, "string", "2.2.0",
        "Overwrites a part of a string value with another by an offset. Creates the key if it doesn't exist.",
        StringCommands::setrange);
    t.add("incr", 2, WRITE | DENYOOM | FAST, 1, 1, 1, "string", "1.0.0",
        "Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.",
        (c, a) -> incr(c, a.buf(1), a.off(1), a.len(1), 1));
    t.add("decr", 2, WRITE | DENYOOM | FAST, 1, 1, 1, "string", "1.0.0",
        "Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.",
        (c, a) -> incr(c, a.buf(1), a.off(1), a.len(1), -1));
    t.add("incrby", 3, WRITE | DENYOOM | FAST, 1, 1, 1, "string", "1.0.0",
        "Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist.",
        (c, a) -> incr(c, a.buf(1), a.off(1), a.len(1), a.longArg(2)));
    t.add("decrby", 3, WRITE | DENYOOM | FAST, 1, 1, 1, "string", "1.0.0",
        "Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist.",
        StringCommands::decrby);
    t.add("incrbyfloat", 3, WRITE | DENYOOM | FAST, 1, 1, 1, "string", "2.6.0",
        "Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn't "
            + "exist.", StringCommands::incrbyfloat);
  }

  static void get(Client c, Args a) {
    Entry e = c.db.lookupRead(a.buf(1), a.off(1), a.len(1));
    if (e == null) c.out.nullBulk();
    else c.out.bulk(Strings.of(e));
  }

  /** Expiry options shared by SET and GETEX. */
  static final class Expiry {
    static final int NONE = 0;
    static final int EX = 1;
    static final int PX = 2;
    static final int EXAT = 3;
    static final int PXAT = 4;
    static final int KEEPTTL = 5;
    static final int PERSIST = 6;
    int kind = NONE;
    int valueArg = -1;

    /** Redis lets an option repeat (the last value wins) but refuses two different expiry options. */
    boolean allows(int option) {
      return kind == NONE || kind == option;
    }

    /** Absolute unix ms for EX/PX/EXAT/PXAT, validated with Redis's errors. */
    long absoluteMillis(Args a, long now, String cmd) {
      long v = a.longArg(valueArg);
      boolean seconds = kind == EX || kind == EXAT;
      if (v <= 0 || (seconds && v > Long.MAX_VALUE / 1000)) throw Errors.invalidExpire(cmd);
      if (seconds) v *= 1000;
      if (kind == EX || kind == PX) {
        if (v > Long.MAX_VALUE - now) throw Errors.invalidExpire(cmd);
        v += now;
      }
      return v;
    }
  }

  static void set(Client c, Args a) {
    boolean nx = false;
    boolean xx = false;
    boolean get = false;
    Expiry ex = new Expiry();
    for (int i = 3; i < a.count(); i++) {
      boolean hasNext = i + 1 < a.count();
      if (a.is(i, "nx") && !xx) nx = true;
      else if (a.is(i, "xx") && !nx) xx = true;
      else if (a.is(i, "get")) get = true;
      else if (a.is(i, "keepttl") && ex.allows(Expiry.KEEPTTL)) ex.kind = Expiry.KEEPTTL;
      else if (hasNext && expiryOption(a, i, ex, false)) i++;
      else throw new CommandError(Errors.SYNTAX);
    }
    Db db = c.db;
    long at = ex.kind >= Expiry.EX && ex.kind <= Expiry.PXAT ? -2 : -1;
    // Redis's order: the expire value is checked first, then GET's type, then NX/XX.
    if (at == -2) at = ex.absoluteMillis(a, c.server().keyspace().now(), "set");
    // With GET the key is read as GET reads it (counted in keyspace hits/misses).
    Entry old = get ? db.lookupRead(a.buf(1), a.off(1), a.len(1)) : db.lookup(a.buf(1), a.off(1), a.len(1));
    if (get && old != null) Strings.of(old); // WRONGTYPE before anything changes
    if ((nx && old != null) || (xx && old == null)) {
      if (get) replyOld(c, old);
      else c.out.nullBulk();
      return;
    }
    byte[] oldValue = get && old != null ? (byte[]) old.value : null; // a string: checked above
    Entry e = db.put(a.bytes(1), a.bytes(2), ex.kind == Expiry.KEEPTTL);
    Notify.arg(c, Notify.STRING, "set", a, 1);
    if (at >= 0) {
      db.setExpire(e, at);
      Notify.arg(c, Notify.GENERIC, "expire", a, 1);
      // an expire goes out as SET key value PXAT ms, whatever the other options were
      Rewrites.as(c, Rewrites.SET, a.bytes(1), a.bytes(2), Rewrites.PXAT, Rewrites.num(at));
    } else if (get) {
      Rewrites.as(c, withoutGet(a));
    }
    c.server().addDirty(1);
    if (get) {
      if (oldValue == null) c.out.nullBulk();
      else c.out.bulk(oldValue);
    } else {
      c.out.ok();
    }
  }

  /** SET's arguments less every GET option (a value or key spelled "get" stays). */
  private static byte[][] withoutGet(Args a) {
    List<byte[]> v = new ArrayList<>(a.count());
    for (int i = 0; i < a.count(); i++) if (i < 3 || !a.is(i, "get")) v.add(a.bytes(i));
    return v.toArray(new byte[0][]);
  }

  private static void replyOld(Client c, Entry old) {
    if (old == null) c.out.nullBulk();
    else c.out.bulk(Strings.of(old));
  }

  /** Reads EX/PX/EXAT/PXAT (and PERSIST for GETEX) at i; the value is validated later. */
  private static boolean expiryOption(Args a, int i, Expiry ex, boolean getex) {
    int kind;
    if (a.is(i, "ex")) kind = Expiry.EX;
    else if (a.is(i, "px")) kind = Expiry.PX;
    else if (a.is(i, "exat")) kind = Expiry.EXAT;
    else if (a.is(i, "pxat")) kind = Expiry.PXAT;
    else return false;
    if (!ex.allows(kind)) return false;
    ex.kind = kind;
    ex.valueArg = i + 1;
    return true;
  }

  static void setnx(Client c, Args a) {
    Entry e = c.db.lookup(a.buf(1), a.off(1), a.len(1));
    if (e != null) {
      c.out.integer(0);
      return;
    }
    c.db.add(a.bytes(1), a.bytes(2));
    Notify.arg(c, Notify.STRING, "set", a, 1);
    c.server().addDirty(1);
    c.out.integer(1);
  }

  private static void setWithTtl(Client c, Args a, long unit, String cmd) {
    long v = a.longArg(2);
    if (v <= 0 || (unit == 1000 && v > Long.MAX_VALUE / 1000)) throw Errors.invalidExpire(cmd);
    long now = c.server().keyspace().now();
    v *= unit;
    if (v > Long.MAX_VALUE - now) throw Errors.invalidExpire(cmd);
    Entry e = c.db.put(a.bytes(1), a.bytes(3), false);
    Notify.arg(c, Notify.STRING, "set", a, 1);
    c.db.setExpire(e, now + v);
    Notify.arg(c, Notify.GENERIC, "expire", a, 1);
    Rewrites.as(c, Rewrites.SET, a.bytes(1), a.bytes(3), Rewrites.PXAT, Rewrites.num(now + v));
    c.server().addDirty(1);
    c.out.ok();
  }

  static void mget(Client c, Args a) {
    c.out.array(a.count() - 1);
    for (int i = 1; i < a.count(); i++) {
      Entry e = c.db.lookupRead(a.buf(i), a.off(i), a.len(i));
      if (e == null || !(e.value instanceof byte[] b)) c.out.nullBulk();
      else c.out.bulk(b);
    }
  }

  static void mset(Client c, Args a, boolean nx) {
    if (a.count() % 2 != 1) {
      throw new CommandError("ERR wrong number of arguments for '" + (nx ? "msetnx" : "mset") + "' command");
    }
    if (nx) {
      for (int i = 1; i < a.count(); i += 2) {
        if (c.db.lookup(a.buf(i), a.off(i), a.len(i)) != null) {
          c.out.integer(0);
          return;
        }
      }
    }
    for (int i = 1; i < a.count(); i += 2) {
      c.db.put(a.bytes(i), a.bytes(i + 1), false);
      Notify.arg(c, Notify.STRING, "set", a, i);
    }
    c.server().addDirty((a.count() - 1) / 2);
    if (nx) c.out.integer(1);
    else c.out.ok();
  }

  static void getset(Client c, Args a) {
    Entry old = c.db.lookupRead(a.buf(1), a.off(1), a.len(1));
    byte[] prev = old == null ? null : Strings.of(old);
    c.db.put(a.bytes(1), a.bytes(2), false);
    Notify.arg(c, Notify.STRING, "set", a, 1);
    Rewrites.as(c, Rewrites.replacing(a, 0, Rewrites.SET));
    c.server().addDirty(1);
    if (prev == null) c.out.nullBulk();
    else c.out.bulk(prev);
  }

  static void getdel(Client c, Args a) {
    Entry e = c.db.lookupRead(a.buf(1), a.off(1), a.len(1));
    if (e == null) {
      c.out.nullBulk();
      return;
    }
    byte[] v = Strings.of(e);
    c.db.remove(e);
    Notify.del(c, a, 1);
    Rewrites.as(c, Rewrites.DEL, a.bytes(1));
    c.server().addDirty(1);
    c.out.bulk(v);
  }

  static void getex(Client c, Args a) {
    Expiry ex = new Expiry();
    for (int i = 2; i < a.count(); i++) {
      boolean hasNext = i + 1 < a.count();
      if (a.is(i, "persist") && ex.allows(Expiry.PERSIST)) ex.kind = Expiry.PERSIST;
      else if (hasNext && expiryOption(a, i, ex, true)) i++;
      else throw new CommandError(Errors.SYNTAX);
    }
    // As in Redis: a missing key answers nil and a wrong type WRONGTYPE before the expire value is looked at.
    Entry e = c.db.lookupRead(a.buf(1), a.off(1), a.len(1));
    if (e == null) {
      c.out.nullBulk();
      return;
    }
    byte[] v = Strings.of(e);
    long now = c.server().keyspace().now();
    long at = ex.kind >= Expiry.EX && ex.kind <= Expiry.PXAT ? ex.absoluteMillis(a, now, "getex") : -1;
    // GETEX never goes out as itself: PEXPIREAT, DEL or PERSIST, or nothing when nothing changed
    if (at >= 0) {
      if (at <= now && !c.server().keyspace().isReplica()) {
        c.db.remove(e);
        Notify.del(c, a, 1);
        Rewrites.expiredDel(c, a.bytes(1));
      } else {
        c.db.setExpire(e, at);
        Notify.arg(c, Notify.GENERIC, "expire", a, 1);
        Rewrites.as(c, Rewrites.PEXPIREAT, a.bytes(1), Rewrites.num(at));
      }
      c.server().addDirty(1);
    } else if (ex.kind == Expiry.PERSIST) {
      if (c.db.persist(e)) {
        Notify.arg(c, Notify.GENERIC, "persist", a, 1);
        Rewrites.as(c, Rewrites.PERSIST, a.bytes(1));
        c.server().addDirty(1);
      }
    }
    c.out.bulk(v);
  }

  static void append(Client c, Args a) {
    Entry e = c.db.lookup(a.buf(1), a.off(1), a.len(1));
    long len;
    if (e == null) {
      c.db.add(a.bytes(1), a.bytes(2));
      len = a.len(2);
    } else {
      byte[] cur = Strings.of(e);
      checkSize(c, (long) cur.length + a.len(2));
      byte[] n = Arrays.copyOf(cur, cur.length + a.len(2));
      System.arraycopy(a.buf(2), a.off(2), n, cur.length, a.len(2));
      e.value = n;
      e.addFlags(Entry.RAW);
      len = n.length;
    }
    Notify.arg(c, Notify.STRING, "append", a, 1);
    c.server().addDirty(1);
    c.out.integer(len);
  }

  /** The size check for a write of {@code len} bytes at {@code offset}; a sum past 2^63 is too large too. */
  static void checkSize(Client c, long offset, long len) {
    if (offset > Long.MAX_VALUE - len) throw new CommandError(Errors.NOT_OBJECT_SIZE);
    checkSize(c, offset + len);
  }

  static void checkSize(Client c, long size) {
    if (size > c.server().config.getLong("proto-max-bulk-len")) throw new CommandError(Errors.NOT_OBJECT_SIZE);
  }

  static void strlen(Client c, Args a) {
    Entry e = c.db.lookupRead(a.buf(1), a.off(1), a.len(1));
    c.out.integer(e == null ? 0 : Strings.of(e).length);
  }

  static void getrange(Client c, Args a) {
    long start = a.longArg(2);
    long end = a.longArg(3);
    Entry e = c.db.lookupRead(a.buf(1), a.off(1), a.len(1));
    if (e == null) {
      c.out.bulk(new byte[0]);
      return;
    }
    byte[] v = Strings.of(e);
    long len = v.length;
    if (start < 0 && end < 0 && start > end) {
      c.out.bulk(new byte[0]);
      return;
    }
    Ranges.Span span = Ranges.ofString(start, end, len);
    if (span == null) c.out.bulk(new byte[0]);
    else c.out.bulk(v, (int) span.first(), (int) span.length());
  }

  static void setrange(Client c, Args a) {
    long offset = a.longArg(2);
    if (offset < 0) throw new CommandError("ERR offset is out of range");
    Entry e = c.db.lookup(a.buf(1), a.off(1), a.len(1));
    int vlen = a.len(3);
    if (e == null) {
      if (vlen == 0) {
        c.out.integer(0);
        return;
      }
      checkSize(c, offset, vlen);
      byte[] n = new byte[(int) (offset + vlen)];
      System.arraycopy(a.buf(3), a.off(3), n, (int) offset, vlen);
      Entry ne = c.db.add(a.bytes(1), n);
      ne.addFlags(Entry.RAW);
      Notify.arg(c, Notify.STRING, "setrange", a, 1);
      c.server().addDirty(1);
      c.out.integer(n.length);
      return;
    }
    byte[] cur = Strings.of(e);
    if (vlen == 0) {
      c.out.integer(cur.length);
      return;
    }
    checkSize(c, offset, vlen);
    byte[] n = Strings.mutable(c, e, (int) (offset + vlen));
    System.arraycopy(a.buf(3), a.off(3), n, (int) offset, vlen);
    e.addFlags(Entry.RAW);
    Notify.arg(c, Notify.STRING, "setrange", a, 1);
    c.server().addDirty(1);
    c.out.integer(n.length);
  }

  static void decrby(Client c, Args a) {
    long by = a.longArg(2);
    if (by == Long.MIN_VALUE) throw new CommandError("ERR decrement would overflow");
    incr(c, a.buf(1), a.off(1), a.len(1), -by);
  }

  static void incr(Client c, byte[] kb, int ko, int kl, long by) {
    Entry e = c.db.lookup(kb, ko, kl);
    long cur = 0;
    if (e != null) {
      byte[] v = Strings.of(e);
      cur = Numbers.parseLongOrThrow(v, Errors.NOT_INTEGER);
    }
    if ((by < 0 && cur < 0 && by < Long.MIN_VALUE - cur) || (by > 0 && cur > 0 && by > Long.MAX_VALUE - cur)) {
      throw new CommandError(Errors.OVERFLOW);
    }
    long n = cur + by;
    byte[] nv = Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    if (e == null) c.db.add(Arrays.copyOfRange(kb, ko, ko + kl), nv);
    else {
      e.value = nv;
      e.flags(0);
    }
    c.server().events().notify(Notify.STRING, "incrby", c.db.index, kb, ko, kl);
    c.server().addDirty(1);
    c.out.integer(n);
  }

  static void incrbyfloat(Client c, Args a) {
    Entry e = c.db.lookup(a.buf(1), a.off(1), a.len(1));
    BigDecimal cur = BigDecimal.ZERO;
    if (e != null) {
      byte[] v = Strings.of(e);
      cur = Numbers.parseDecimal(v, 0, v.length);
      if (cur == null) throw new CommandError(Errors.NOT_FLOAT);
    }
    BigDecimal by = Numbers.parseDecimal(a.buf(2), a.off(2), a.len(2));
    if (by == null) throw new CommandError(Errors.NOT_FLOAT);
    if (Numbers.isInfinite(cur) || Numbers.isInfinite(by)) throw new CommandError("ERR increment would produce NaN or Infinity");
    BigDecimal n = Numbers.roundToLongDouble(cur.add(by));
    if (n == null) throw new CommandError("ERR increment would produce NaN or Infinity");
    byte[] nv = Numbers.formatDecimal(n).getBytes(StandardCharsets.US_ASCII);
    if (e == null) e = c.db.add(a.bytes(1), nv);
    else e.value = nv;
    e.flags(Entry.NOT_INT);
    Notify.arg(c, Notify.STRING, "incrbyfloat", a, 1);
    // the value, not the increment: replicas must not redo the floating-point sum
    Rewrites.as(c, Rewrites.SET, a.bytes(1), nv, Rewrites.KEEPTTL);
    c.server().addDirty(1);
    c.out.bulk(nv);
  }

}
