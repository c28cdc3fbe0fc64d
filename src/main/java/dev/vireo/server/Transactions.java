package dev.vireo.server;

import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.store.Db;
import dev.vireo.store.Keyspace;
import java.util.Arrays;
import java.util.Map;

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH: queues a client's commands and runs them in one go, unless a
 * queue-time error (EXECABORT) or a write to a watched key (a null array) stops them. Watched keys are touched
 * from the keyspace's mutation hooks (created, replaced, deleted, expired, flushed) and, for in-place changes, by
 * the dispatcher after a write command. Data loop only.
 */
public final class Transactions {
  private static final int NO_KEY = -1;

  /**
   * The write commands that change in place fewer keys than their key arguments, as Redis's commands signal them:
   * only the argument at the given index (a store command's destination), or none ({@link #NO_KEY}: the keyspace
   * reports what they create, replace or delete, or the command reports the key it changed through
   * {@link #touch}). Every other write that changed the dataset touches all its key arguments.
   */
  private static final Map<String, Integer> WRITTEN_KEY = Map.ofEntries(
      Map.entry("sinterstore", 1), Map.entry("sunionstore", 1), Map.entry("sdiffstore", 1),
      Map.entry("zrangestore", 1), Map.entry("geosearchstore", 1), Map.entry("bitop", 2), Map.entry("pfmerge", 1),
      Map.entry("sort", NO_KEY), Map.entry("copy", NO_KEY), Map.entry("georadius", NO_KEY),
      Map.entry("georadiusbymember", NO_KEY), Map.entry("del", NO_KEY), Map.entry("unlink", NO_KEY),
      Map.entry("migrate", NO_KEY),
      Map.entry("smove", NO_KEY), Map.entry("pfdebug", NO_KEY), Map.entry("xsetid", NO_KEY),
      Map.entry("xack", NO_KEY), Map.entry("xclaim", NO_KEY), Map.entry("xautoclaim", NO_KEY),
      Map.entry("xgroup|create", NO_KEY), Map.entry("xgroup|setid", NO_KEY), Map.entry("xgroup|destroy", NO_KEY),
      Map.entry("xgroup|createconsumer", NO_KEY), Map.entry("xgroup|delconsumer", NO_KEY));

  private final Watches watches;
  private final Keyspace keyspace;
  private final Tracking tracking;
  private Dispatcher dispatcher;

  Transactions(Keyspace keyspace, Tracking tracking) {
    this.keyspace = keyspace;
    this.watches = new Watches(keyspace);
    this.tracking = tracking;
    keyspace.modifiedListener((db, key) -> modified(db.index, key));
    keyspace.clearedListener((db, with) -> {
      watches.cleared(db, with);
      if (with == null) tracking.flushed();
    });
  }

  /**
   * A key changed (Redis's signalModifiedKey): its watchers' transactions fail and the clients that may cache it
   * are told.
   */
  private void modified(int db, byte[] key) {
    if (!watches.isEmpty()) watches.touch(new ByteKey(db, key));
    if (tracking.active()) tracking.keyModified(key);
  }

  void dispatcher(Dispatcher d) {
    this.dispatcher = d;
  }

  /** The commands that act on the transaction itself rather than being queued. */
  static boolean controlsTransaction(CommandSpec cmd) {
    String n = cmd.name;
    return n.equals("exec") || n.equals("discard") || n.equals("multi") || n.equals("watch") || n.equals("quit")
        || n.equals("reset");
  }

  /** A write command changed its keys in place: their watchers' transactions fail. */
  void touchKeys(Client c, Args a, CommandSpec cmd) {
    if (watches.isEmpty() && !tracking.active()) return;
    Integer written = WRITTEN_KEY.get(cmd.fullName);
    if (written == null) {
      for (int i : cmd.keyIndexes(a.count())) modified(c.db.index, a.bytes(i));
    } else if (written != NO_KEY && written < a.count()) {
      modified(c.db.index, a.bytes(written));
    }
  }

  /**
   * A command changed {@code key} of the client's database in place where its key arguments do not say which
   * (LMPOP's popped list), or without changing the dataset's dirty count (LTRIM, PFCOUNT's cached cardinality).
   */
  public void touch(Client c, byte[] key) {
    modified(c.db.index, key);
  }

  /** MULTI. */
  public void multi(Client c) {
    if (c.multi != null) throw new CommandError("ERR MULTI calls can not be nested");
    c.multi = new Transaction();
    c.out.ok();
  }

  /*
   * DISCARD, WATCH and UNWATCH are allowed while a script is busy, and answered at once as in Redis (from the
   * client's own MULTI state); the watches, which the script's writes touch on the script thread, change when the
   * script ends (Busy.defer): as if the command ran right after the script, which it overlaps.
   */

  /** DISCARD. */
  public void discard(Client c) {
    if (c.multi == null) throw new CommandError("ERR DISCARD without MULTI");
    c.multi = null;
    unwatchAll(c);
    c.out.ok();
  }

  /** WATCH key... */
  public void watch(Client c, Args a) {
    if (c.multi != null) throw new CommandError("ERR WATCH inside MULTI is not allowed");
    Busy busy = c.server().busy;
    if (busy.active()) {
      byte[][] keys = Arrays.copyOfRange(a.toArray(), 1, a.count());
      Db db = c.db;
      busy.defer(() -> {
        if (c.isClosing()) return;
        for (byte[] key : keys) watches.watch(c, new ByteKey(db.index, key), db.isStoredButExpired(key));
      });
    } else {
      for (int i = 1; i < a.count(); i++) {
        byte[] key = a.bytes(i);
        watches.watch(c, new ByteKey(c.db.index, key), c.db.isStoredButExpired(key));
      }
    }
    c.out.ok();
  }

  public void unwatch(Client c) {
    unwatchAll(c);
    c.out.ok();
  }

  private void unwatchAll(Client c) {
    Busy busy = c.server().busy;
    if (busy.active()) busy.defer(() -> watches.unwatchAll(c));
    else watches.unwatchAll(c);
  }

  /**
   * Queues a command in {@code c}'s open transaction without checks: the AOF client, whose commands are known
   * good, queues what it reads between MULTI and EXEC this way.
   */
  public void queue(Client c, CommandSpec cmd, byte[][] args) {
    c.multi.add(new Transaction.Queued(cmd, args));
  }

  /** Forgets the client's watches and its MULTI state (RESET, disconnect). */
  void forget(Client c) {
    c.multi = null;
    unwatchAll(c);
  }

  /**
   * EXEC: answers EXECABORT after a queue-time error, a null array when a watched key was written (or expired)
   * since WATCH, else runs the queued commands in one go and answers the array of their replies.
   */
  private AccessControl access;

  /** The ACL users, checked again for each queued command when EXEC runs it. */
  void access(AccessControl access) {
    this.access = access;
  }

  public void exec(Client c) {
    Transaction t = c.multi;
    if (t == null) throw new CommandError("ERR EXEC without MULTI");
    c.multi = null;
    boolean touched = c.watchedKeyTouched || watchedKeyExpired(c);
    watches.unwatchAll(c);
    if (t.aborted) throw new CommandError("EXECABORT Transaction discarded because of previous errors.");
    if (touched) {
      c.out.nullArray();
      return;
    }
    c.out.array(t.size());
    c.executingTransaction = true;
    CommandSpec exec = c.lastCommand; // CLIENT LIST shows exec afterwards, not the last command it ran
    try {
      for (Transaction.Queued q : t.queued) {
        keyspace.tick();
        Args qa = Args.of(q.args());
        // as Redis: the ACL rules may have changed since the command was queued
        if (access != null && c.user != null) {
          AccessControl.Refusal refused = access.check(c, c.user, q.cmd(), qa, AccessControl.Context.MULTI);
          if (refused != null) {
            c.out.error(refused.execError());
            continue;
          }
        }
        dispatcher.call(c, qa, q.cmd());
      }
    } finally {
      c.executingTransaction = false;
      c.lastCommand = exec;
    }
  }

  private boolean watchedKeyExpired(Client c) {
    for (Watches.Watched w : c.watched) {
      if (!w.expired && keyspace.db(w.key.db()).isStoredButExpired(w.key.key())) return true;
    }
    return false;
  }
}
