package dev.vireo.command;

import static dev.vireo.server.CommandSpec.BLOCKING;
import static dev.vireo.server.CommandSpec.DENYOOM;
import static dev.vireo.server.CommandSpec.FAST;
import static dev.vireo.server.CommandSpec.NOSCRIPT;
import static dev.vireo.server.CommandSpec.READONLY;
import static dev.vireo.server.CommandSpec.WRITE;

import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import dev.vireo.resp.Numbers;
import dev.vireo.server.Blocking;
import dev.vireo.server.Client;
import dev.vireo.server.CommandTable;
import dev.vireo.store.Entry;
import dev.vireo.store.ListValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Lists: LPUSH/RPUSH key element..., LPUSHX/RPUSHX key element..., LPOP/RPOP key [count], LRANGE key start stop,
 * LINDEX key index, LSET key index element, LINSERT key BEFORE|AFTER pivot element, LLEN key,
 * LREM key count element, LTRIM key start stop, LPOS key element [RANK rank] [COUNT num] [MAXLEN len],
 * LMOVE source destination LEFT|RIGHT LEFT|RIGHT, RPOPLPUSH source destination,
 * LMPOP numkeys key... LEFT|RIGHT [COUNT count], and the blocking BLPOP/BRPOP key... timeout,
 * BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout, BRPOPLPUSH source destination timeout,
 * BLMPOP timeout numkeys key... LEFT|RIGHT [COUNT count].
 */
final class ListCommands {
  private ListCommands() {}

  static final String OUT_OF_RANGE_POSITIVE = "ERR value is out of range, must be positive";
  static final String RANK_ZERO = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second"
      + " ... or use negative to start from the end of the list";
  static final String TIMEOUT_NOT_FLOAT = "ERR timeout is not a float or out of range";
  static final String TIMEOUT_NEGATIVE = "ERR timeout is negative";

  static void register(CommandTable t) {
    t.add("lpush", -3, WRITE | DENYOOM | FAST, 1, 1, 1, "list", "1.0.0",
        "Prepends one or more elements to a list. Creates the key if it doesn't exist.",
        (c, a) -> push(c, a, true, false));
    t.add("rpush", -3, WRITE | DENYOOM | FAST, 1, 1, 1, "list", "1.0.0",
        "Appends one or more elements to a list. Creates the key if it doesn't exist.",
        (c, a) -> push(c, a, false, false));
    t.add("lpushx", -3, WRITE | DENYOOM | FAST, 1, 1, 1, "list", "2.2.0",
        "Prepends one or more elements to a list only when the list exists.", (c, a) -> push(c, a, true, true));
    t.add("rpushx", -3, WRITE | DENYOOM | FAST, 1, 1, 1, "list", "2.2.0",
        "Appends an element to a list only when the list exists.", (c, a) -> push(c, a, false, true));
    t.add("lpop", -2, WRITE | FAST, 1, 1, 1, "list", "1.0.0",
        "Returns the first elements in a list after removing it. Deletes the list if the last element was popped.",
        (c, a) -> pop(c, a, true));
    t.add("rpop", -2, WRITE | FAST, 1, 1, 1, "list", "1.0.0",
        "Returns and removes the last elements of a list. Deletes the list if the last element was popped.",
        (c, a) -> pop(c, a, false));
    t.add("lrange", 4, READONLY, 1, 1, 1, "list", "1.0.0", "Returns a range of elements from a list.",
        ListCommands::lrange);
    t.add("lindex", 3, READONLY, 1, 1, 1, "list", "1.0.0", "Returns an element from a list by its index.",
        ListCommands::lindex);
    t.add("lset", 4, WRITE | DENYOOM, 1, 1, 1, "list", "1.0.0",
        "Sets the value of an element in a list by its index.", ListCommands::lset);
    t.add("linsert", 5, WRITE | DENYOOM, 1, 1, 1, "list", "2.2.0",
        "Inserts an element before or after another element in a list.", ListCommands::linsert);
    t.add("llen", 2, READONLY | FAST, 1, 1, 1, "list", "1.0.0", "Returns the length of a list.",
        ListCommands::llen);
    t.add("lrem", 4, WRITE, 1, 1, 1, "list", "1.0.0",
        "Removes elements from a list. Deletes the list if the last element was removed.", ListCommands::lrem);
    t.add("ltrim", 4, WRITE, 1, 1, 1, "list", "1.0.0",
        "Removes elements from both ends a list. Deletes the list if all elements were trimmed.",
        ListCommands::ltrim);
    t.add("lpos", -3, READONLY, 1, 1, 1, "list", "6.0.6", "Returns the index of matching elements in a list.",
        ListCommands::lpos);
    t.add("lmove", 5, WRITE | DENYOOM, 1, 2, 1, "list", "6.2.0",
        "Returns an element after popping it from one list and pushing it to another. Deletes the list if the "
            + "last element was moved.", ListCommands::lmove);
    t.add("rpoplpush", 3, WRITE | DENYOOM, 1, 2, 1, "list", "1.2.0",
        "Returns the last element of a list after removing and pushing it to another list. Deletes the list if "
            + "the last element was popped.", ListCommands::rpoplpush);
    t.add("lmpop", -4, WRITE, 0, 0, 0, "list", "7.0.0",
        "Returns multiple elements from a list after removing them. Deletes the list if the last element was "
            + "popped.", (c, a) -> lmpop(c, a, false));
    t.add("blpop", -3, WRITE | NOSCRIPT | BLOCKING, 1, -2, 1, "list", "2.0.0",
        "Removes and returns the first element in a list. Blocks until an element is available otherwise. "
            + "Deletes the list if the last element was popped.", (c, a) -> bpop(c, a, true));
    t.add("brpop", -3, WRITE | NOSCRIPT | BLOCKING, 1, -2, 1, "list", "2.0.0",
        "Removes and returns the last element in a list. Blocks until an element is available otherwise. "
            + "Deletes the list if the last element was popped.", (c, a) -> bpop(c, a, false));
    t.add("blmove", 6, WRITE | DENYOOM | NOSCRIPT | BLOCKING, 1, 2, 1, "list", "6.2.0",
        "Pops an element from a list, pushes it to another list and returns it. Blocks until an element is "
            + "available otherwise. Deletes the list if the last element was moved.", ListCommands::blmove);
    t.add("brpoplpush", 4, WRITE | DENYOOM | NOSCRIPT | BLOCKING, 1, 2, 1, "list", "2.2.0",
        "Pops an element from a list, pushes it to another list and returns it. Block until an element is "
            + "available otherwise. Deletes the list if the last element was popped.", ListCommands::brpoplpush);
    t.add("blmpop", -5, WRITE | BLOCKING, 0, 0, 0, "list", "7.0.0",
        "Pops the first element from one of multiple lists. Blocks until an element is available otherwise. "
            + "Deletes the list if the last element was popped.", (c, a) -> lmpop(c, a, true));
  }

  // ---------------------------------------------------------------- helpers

  private static Entry lookup(Client c, Args a, int i) {
    return c.db.lookup(a.buf(i), a.off(i), a.len(i));
  }

  private static Entry lookupRead(Client c, Args a, int i) {
    return c.db.lookupRead(a.buf(i), a.off(i), a.len(i));
  }

  /** LEFT or RIGHT; true for LEFT (the head). */
  private static boolean side(Args a, int i) {
    if (a.is(i, "left")) return true;
    if (a.is(i, "right")) return false;
    throw new CommandError(Errors.SYNTAX);
  }

  /** A non-negative count parsed as Redis's getPositiveLong does: any failure gives the one message. */
  private static long positive(Args a, int i, String error) {
    long v = a.longArg(i, error);
    if (v < 0) throw new CommandError(error);
    return v;
  }

  /**
   * A blocking timeout in seconds (fractions allowed) as milliseconds, rounded up; 0 = forever. Values too large
   * for a 64-bit millisecond count report "negative", as Redis's conversion does.
   */
  static long timeoutMillis(Args a, int i) {
    byte[] b = a.buf(i);
    int off = a.off(i);
    int len = a.len(i);
    if (Numbers.isInfinity(b, off, len)) throw new CommandError(TIMEOUT_NEGATIVE);
    BigDecimal d = Numbers.parseDecimal(b, off, len);
    if (d == null) throw new CommandError(TIMEOUT_NOT_FLOAT);
    BigDecimal ms = d.movePointRight(3).setScale(0, RoundingMode.CEILING);
    // A negative count, and one past 64 bits (which Redis's conversion turns negative), are both "negative".
    if (ms.signum() < 0 || ms.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0) {
      throw new CommandError(TIMEOUT_NEGATIVE);
    }
    long v = ms.longValue();
    // Beyond a century the wait is forever for all practical purposes; timers do not take such delays.
    return v > 100L * 365 * 24 * 3600 * 1000 ? 0 : v;
  }

  /** The list-max-listpack-size that sizes a list's nodes. */
  static int fill(Client c) {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE,
        c.server().encodingLimits.listMaxListpackSize));
  }

  /** Replies with the element at one end and removes it, copying it only into the reply. */
  private static void popInto(Client c, ListValue l, boolean head) {
    ListValue.Cursor it = l.cursor(head ? 0 : l.size() - 1);
    c.out.bulk(it.buf(), it.off(), it.len());
    l.discard(head);
  }

  private static void deleteIfEmpty(Client c, Entry e, ListValue l) {
    if (l.isEmpty()) {
      c.db.remove(e);
      Notify.del(c, e.key());
    }
  }

  /** After elements left a list: the {@code lpop}/{@code rpop} event, then the key's deletion if it is empty. */
  private static void popped(Client c, Entry e, ListValue l, boolean head) {
    Notify.key(c, Notify.LIST, head ? "lpop" : "rpop", e.key());
    deleteIfEmpty(c, e, l);
  }

  // ---------------------------------------------------------------- push / pop

  static void push(Client c, Args a, boolean head, boolean onlyExisting) {
    Entry e = lookup(c, a, 1);
    ListValue l;
    if (e == null) {
      if (onlyExisting) {
        c.out.integer(0);
        return;
      }
      l = new ListValue();
      pushAll(c, a, l, head);
      c.db.add(a.bytes(1), l);
    } else {
      l = ListValue.of(e);
      pushAll(c, a, l, head);
    }
    Notify.arg(c, Notify.LIST, head ? "lpush" : "rpush", a, 1);
    c.server().addDirty(a.count() - 2);
    c.out.integer(l.size());
  }

  /** Pushes arguments 2.. in order, telling the list how many bytes follow so that a node grows once for them. */
  private static void pushAll(Client c, Args a, ListValue l, boolean head) {
    int fill = fill(c);
    long upcoming = 0;
    for (int i = 3; i < a.count(); i++) upcoming += ListValue.packedSize(a.len(i));
    for (int i = 2; i < a.count(); i++) {
      if (i > 2) upcoming -= ListValue.packedSize(a.len(i));
      l.push(a.buf(i), a.off(i), a.len(i), head, fill, (int) Math.min(Integer.MAX_VALUE, upcoming));
    }
  }

  static void pop(Client c, Args a, boolean head) {
    if (a.count() > 3) throw new CommandError("ERR wrong number of arguments for '" + (head ? "lpop" : "rpop")
        + "' command");
    boolean hasCount = a.count() == 3;
    long count = hasCount ? positive(a, 2, OUT_OF_RANGE_POSITIVE) : 1;
    Entry e = lookup(c, a, 1);
    if (e == null) {
      if (hasCount) c.out.nullArray();
      else c.out.nullBulk();
      return;
    }
    ListValue l = ListValue.of(e);
    if (!hasCount) {
      popInto(c, l, head);
      c.server().addDirty(1);
    } else {
      int n = (int) Math.min(count, l.size());
      c.out.array(n);
      for (int i = 0; i < n; i++) popInto(c, l, head);
      c.server().addDirty(n);
      if (n == 0) return; // LPOP key 0 changes nothing
    }
    popped(c, e, l, head);
  }

  // ---------------------------------------------------------------- reads

  static void lrange(Client c, Args a) {
    long start = a.longArg(2);
    long end = a.longArg(3);
    Entry e = lookupRead(c, a, 1);
    if (e == null) {
      c.out.array(0);
      return;
    }
    ListValue l = ListValue.of(e);
    Ranges.Span span = Ranges.ofIndexes(start, end, l.size());
    if (span == null) {
      c.out.array(0);
      return;
    }
    int from = (int) span.first();
    int to = (int) span.last();
    c.out.array(to - from + 1);
    ListValue.Cursor it = l.cursor(from);
    for (int i = from; i <= to; i++) {
      c.out.bulk(it.buf(), it.off(), it.len());
      it.next();
    }
  }

  static void lindex(Client c, Args a) {
    Entry e = lookupRead(c, a, 1);
    if (e == null) {
      c.out.nullBulk();
      return;
    }
    ListValue l = ListValue.of(e);
    long index = a.longArg(2);
    if (index < 0) index += l.size();
    if (index < 0 || index >= l.size()) {
      c.out.nullBulk();
      return;
    }
    ListValue.Cursor it = l.cursor((int) index);
    c.out.bulk(it.buf(), it.off(), it.len());
  }

  static void llen(Client c, Args a) {
    Entry e = lookupRead(c, a, 1);
    c.out.integer(e == null ? 0 : ListValue.of(e).size());
  }

  static void lpos(Client c, Args a) {
    long rank = 1;
    long count = -1;
    long maxlen = 0;
    for (int j = 3; j < a.count(); j++) {
      boolean more = j + 1 < a.count();
      if (a.is(j, "rank") && more) {
        rank = a.longArg(++j);
        if (rank == 0) throw new CommandError(RANK_ZERO);
      } else if (a.is(j, "count") && more) {
        count = positive(a, ++j, "ERR COUNT can't be negative");
      } else if (a.is(j, "maxlen") && more) {
        maxlen = positive(a, ++j, "ERR MAXLEN can't be negative");
      } else {
        throw new CommandError(Errors.SYNTAX);
      }
    }
    Entry e = lookupRead(c, a, 1);
    if (e == null) {
      if (count != -1) c.out.array(0);
      else c.out.nullBulk();
      return;
    }
    ListValue l = ListValue.of(e);
    boolean fromHead = true;
    if (rank < 0) {
      rank = -rank; // Long.MIN_VALUE stays negative and then matches from the first hit, as in Redis
      fromHead = false;
    }
    byte[] b = a.buf(2);
    int off = a.off(2);
    int len = a.len(2);
    int size = l.size();
    long matches = 0;
    long scanned = 0;
    long[] found = count == -1 ? null : new long[(int) Math.min(count == 0 ? size : count, size)];
    int nfound = 0;
    ListValue.Cursor it = l.cursor(fromHead ? 0 : size - 1);
    for (int k = 0; k < size && (maxlen == 0 || scanned < maxlen); k++, scanned++) {
      if (k > 0) {
        if (fromHead) it.next();
        else it.prev();
      }
      int idx = fromHead ? k : size - 1 - k;
      if (!it.equalTo(b, off, len)) continue;
      matches++;
      if (matches >= rank) {
        if (found == null) {
          c.out.integer(idx);
          return;
        }
        found[nfound++] = idx;
        if (nfound == found.length) break;
      }
    }
    if (found == null) {
      c.out.nullBulk();
      return;
    }
    c.out.array(nfound);
    for (int i = 0; i < nfound; i++) c.out.integer(found[i]);
  }

  // ---------------------------------------------------------------- updates

  static void lset(Client c, Args a) {
    Entry e = lookup(c, a, 1);
    if (e == null) throw new CommandError(Errors.NO_SUCH_KEY);
    ListValue l = ListValue.of(e);
    long index = a.longArg(2);
    if (index < 0) index += l.size();
    if (index < 0 || index >= l.size()) throw new CommandError("ERR index out of range");
    l.set((int) index, a.bytes(3), fill(c));
    Notify.arg(c, Notify.LIST, "lset", a, 1);
    c.server().addDirty(1);
    c.out.ok();
  }

  static void linsert(Client c, Args a) {
    boolean after;
    if (a.is(2, "after")) after = true;
    else if (a.is(2, "before")) after = false;
    else throw new CommandError(Errors.SYNTAX);
    Entry e = lookup(c, a, 1);
    if (e == null) {
      c.out.integer(0);
      return;
    }
    ListValue l = ListValue.of(e);
    int at = l.indexOf(a.buf(3), a.off(3), a.len(3));
    if (at < 0) {
      c.out.integer(-1);
      return;
    }
    l.insert(after ? at + 1 : at, a.bytes(4), fill(c));
    Notify.arg(c, Notify.LIST, "linsert", a, 1);
    c.server().addDirty(1);
    c.out.integer(l.size());
  }

  static void lrem(Client c, Args a) {
    long count = a.longArg(2);
    Entry e = lookup(c, a, 1);
    if (e == null) {
      c.out.integer(0);
      return;
    }
    ListValue l = ListValue.of(e);
    long limit = count == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(count);
    int removed = l.removeEqual(a.buf(3), a.off(3), a.len(3), limit, count < 0, fill(c));
    if (removed > 0) {
      c.server().addDirty(removed);
      Notify.arg(c, Notify.LIST, "lrem", a, 1);
      deleteIfEmpty(c, e, l);
    }
    c.out.integer(removed);
  }

  static void ltrim(Client c, Args a) {
    long start = a.longArg(2);
    long end = a.longArg(3);
    Entry e = lookup(c, a, 1);
    if (e == null) {
      c.out.ok();
      return;
    }
    ListValue l = ListValue.of(e);
    Ranges.Span span = Ranges.ofIndexes(start, end, l.size());
    int before = l.size();
    if (span == null) l.clear();
    else l.keepRange((int) span.first(), (int) span.last());
    c.server().addDirty(before - l.size()); // a trim that removes nothing goes nowhere
    c.server().transactions.touch(c, a.bytes(1)); // but touches the watched key all the same, as Redis
    Notify.arg(c, Notify.LIST, "ltrim", a, 1);
    deleteIfEmpty(c, e, l);
    c.out.ok();
  }

  // ---------------------------------------------------------------- moves

  /**
   * Moves one element from the list in {@code src} to the list at {@code dst} (created if missing) and returns it.
   * The destination's type is checked before anything changes; the same key rotates the list.
   */
  private static byte[] move(Client c, Entry src, ListValue sl, byte[] db, int doff, int dlen, boolean fromHead,
      boolean toHead) {
    Entry d = c.db.lookup(db, doff, dlen);
    ListValue dl = d == null ? null : ListValue.of(d);
    byte[] v = sl.pop(fromHead);
    boolean created = dl == null;
    if (created) dl = new ListValue();
    dl.push(v, 0, v.length, toHead, fill(c)); // the same list when source and destination are one key
    boolean emptied = sl.isEmpty();
    if (emptied) c.db.remove(src);
    if (created) c.db.add(Arrays.copyOfRange(db, doff, doff + dlen), dl);
    // the destination changed in place also when a blocked BLMOVE/BRPOPLPUSH is served, outside its own command
    if (!created) c.server().transactions.touch(c, d.key());
    // Redis's order: the push on the destination, the pop on the source, then the source's deletion
    c.server().events().notify(Notify.LIST, toHead ? "lpush" : "rpush", c.db.index, db, doff, dlen);
    Notify.key(c, Notify.LIST, fromHead ? "lpop" : "rpop", src.key());
    if (emptied) Notify.del(c, src.key());
    c.server().addDirty(1);
    return v;
  }

  static void lmove(Client c, Args a) {
    boolean from = side(a, 3);
    boolean to = side(a, 4);
    moveCommand(c, a, from, to);
  }

  static void rpoplpush(Client c, Args a) {
    moveCommand(c, a, false, true);
  }

  private static void moveCommand(Client c, Args a, boolean from, boolean to) {
    Entry e = lookup(c, a, 1);
    if (e == null) {
      c.out.nullBulk();
      return;
    }
    ListValue l = ListValue.of(e);
    c.out.bulk(move(c, e, l, a.buf(2), a.off(2), a.len(2), from, to));
  }

  // ---------------------------------------------------------------- multi-key pops

  /** LMPOP numkeys key... LEFT|RIGHT [COUNT n] and BLMPOP timeout numkeys ... */
  static void lmpop(Client c, Args a, boolean blocking) {
    long timeout = blocking ? timeoutMillis(a, 1) : 0;
    int numkeysAt = blocking ? 2 : 1;
    long numkeys = a.longArg(numkeysAt, "ERR numkeys should be greater than 0");
    if (numkeys < 1) throw new CommandError("ERR numkeys should be greater than 0");
    if (numkeys >= a.count() - numkeysAt - 1) throw new CommandError(Errors.SYNTAX);
    int whereAt = numkeysAt + (int) numkeys + 1;
    boolean head = side(a, whereAt);
    long count = -1;
    for (int j = whereAt + 1; j < a.count(); j++) {
      if (count == -1 && a.is(j, "count") && j + 1 < a.count()) {
        count = a.longArg(++j, "ERR count should be greater than 0");
        if (count < 1) throw new CommandError("ERR count should be greater than 0");
      } else {
        throw new CommandError(Errors.SYNTAX);
      }
    }
    if (count == -1) count = 1;
    int first = numkeysAt + 1;
    for (int i = first; i < whereAt; i++) {
      Entry e = lookup(c, a, i);
      if (e == null) continue;
      ListValue l = ListValue.of(e);
      replyMpop(c, e, l, a.bytes(i), head, count);
      return;
    }
    if (!blocking || !c.canBlock()) {
      c.out.nullArray();
      return;
    }
    List<byte[]> keys = new ArrayList<>((int) numkeys);
    for (int i = first; i < whereAt; i++) keys.add(a.bytes(i));
    long n = count;
    c.server().blocking.block(c, keys, timeout, new Blocking.Waiter() {
      @Override
      public boolean serve(Client c, byte[] k) {
        Entry e = c.db.lookup(k, 0, k.length);
        if (e == null || !(e.value instanceof ListValue l)) return false;
        replyMpop(c, e, l, k, head, n);
        return true;
      }

      @Override
      public void timeout(Client c) {
        c.out.nullArray();
      }
    });
  }

  /** Pops for [B]LMPOP; replicas get {@code LPOP|RPOP key n} with the number actually popped. */
  private static void replyMpop(Client c, Entry e, ListValue l, byte[] key, boolean head, long count) {
    int n = (int) Math.min(count, l.size());
    c.out.array(2);
    c.out.bulk(key);
    c.out.array(n);
    for (int i = 0; i < n; i++) popInto(c, l, head);
    c.server().addDirty(n);
    c.server().transactions.touch(c, key); // the popped list is not among LMPOP's fixed key arguments
    popped(c, e, l, head);
    Rewrites.as(c, head ? Rewrites.LPOP : Rewrites.RPOP, key, Rewrites.num(n));
  }

  // ---------------------------------------------------------------- blocking pops and moves

  static void bpop(Client c, Args a, boolean head) {
    int last = a.count() - 1;
    long timeout = timeoutMillis(a, last);
    for (int i = 1; i < last; i++) {
      Entry e = lookup(c, a, i);
      if (e == null) continue;
      ListValue l = ListValue.of(e);
      replyPop(c, e, l, a.bytes(i), head);
      return;
    }
    if (!c.canBlock()) {
      c.out.nullArray();
      return;
    }
    List<byte[]> keys = new ArrayList<>(last - 1);
    for (int i = 1; i < last; i++) keys.add(a.bytes(i));
    c.server().blocking.block(c, keys, timeout, new Blocking.Waiter() {
      @Override
      public boolean serve(Client c, byte[] k) {
        Entry e = c.db.lookup(k, 0, k.length);
        if (e == null || !(e.value instanceof ListValue l)) return false;
        replyPop(c, e, l, k, head);
        return true;
      }

      @Override
      public void timeout(Client c) {
        c.out.nullArray();
      }
    });
  }

  /** Pops for BLPOP/BRPOP; replicas get the plain {@code LPOP|RPOP key}, which never blocks. */
  private static void replyPop(Client c, Entry e, ListValue l, byte[] key, boolean head) {
    c.out.array(2);
    c.out.bulk(key);
    popInto(c, l, head);
    c.server().addDirty(1);
    popped(c, e, l, head);
    Rewrites.as(c, head ? Rewrites.LPOP : Rewrites.RPOP, key);
  }

  static void blmove(Client c, Args a) {
    boolean from = side(a, 3);
    boolean to = side(a, 4);
    blockingMove(c, a, from, to, timeoutMillis(a, 5), true);
  }

  static void brpoplpush(Client c, Args a) {
    blockingMove(c, a, false, true, timeoutMillis(a, 3), false);
  }

  /**
   * BLMOVE and BRPOPLPUSH. Replicas get LMOVE (the ends as written) or RPOPLPUSH, without the timeout; when a
   * blocked client is served later, LMOVE carries the ends in Redis's own lower-case words.
   */
  private static void blockingMove(Client c, Args a, boolean from, boolean to, long timeout, boolean lmove) {
    Entry e = lookup(c, a, 1);
    if (e != null) {
      ListValue l = ListValue.of(e);
      c.out.bulk(move(c, e, l, a.buf(2), a.off(2), a.len(2), from, to));
      if (lmove) Rewrites.as(c, Rewrites.LMOVE, a.bytes(1), a.bytes(2), a.bytes(3), a.bytes(4));
      else Rewrites.as(c, Rewrites.RPOPLPUSH, a.bytes(1), a.bytes(2));
      return;
    }
    if (!c.canBlock()) {
      c.out.nullBulk();
      return;
    }
    byte[] src = a.bytes(1);
    byte[] dst = a.bytes(2);
    c.server().blocking.block(c, List.of(src), timeout, new Blocking.Waiter() {
      @Override
      public boolean serve(Client c, byte[] readyKey) {
        Entry e = c.db.lookup(src, 0, src.length);
        if (e == null || !(e.value instanceof ListValue l)) return false;
        c.out.bulk(move(c, e, l, dst, 0, dst.length, from, to));
        if (lmove) {
          Rewrites.as(c, Rewrites.LMOVE, src, dst, from ? Rewrites.LEFT : Rewrites.RIGHT,
              to ? Rewrites.LEFT : Rewrites.RIGHT);
        } else {
          Rewrites.as(c, Rewrites.RPOPLPUSH, src, dst);
        }
        return true;
      }

      @Override
      public void timeout(Client c) {
        c.out.nullArray();
      }
    });
  }
}
