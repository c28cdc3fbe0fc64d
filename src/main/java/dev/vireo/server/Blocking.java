package dev.vireo.server;

import dev.vireo.resp.CommandError;
import dev.vireo.store.Db;
import dev.vireo.store.Keyspace;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN...). A blocking command that finds nothing to pop calls
 * {@link #block}; when a key of a blockable type is created, the key becomes ready, and after the command
 * that created it the waiters on that key are offered the data in the order they blocked (FIFO). A waiter
 * serves itself by running its pop again; it replies and is released, or stays blocked if the data went to an
 * earlier waiter. Timeouts are timers on the data loop.
 */
public final class Blocking {
  /** What a blocked command does when woken. */
  public interface Waiter {
    /**
     * Tries the command again on {@code readyKey}, the key that received data (Redis serves a client blocked on
     * several keys from the key that became ready first); returns true when it replied (the client is then
     * released).
     */
    boolean serve(Client c, byte[] readyKey);

    /** Replies for a timeout (a null array for most blocking commands). */
    void timeout(Client c);

    /**
     * Whether serving this waiter takes the data away from the next ones (a pop does, a stream read does not):
     * when a waiter that consumes cannot be served, neither can those behind it.
     */
    default boolean consumes() {
      return true;
    }

    /** Whether the waiter wants to hear of every change to its keys (deletion included), not only new data. */
    default boolean watchesChanges() {
      return false;
    }
  }

  /** One client's wait. */
  public static final class Wait {
    final Waiter waiter;
    final List<ByteKey> keys;
    long timer = -1;
    /**
     * Blocked under CLIENT REPLY SKIP or OFF: the reply it gets when released is dropped, as Redis keeps the
     * flag until the blocked command ends.
     */
    boolean silent;

    Wait(Waiter waiter, List<ByteKey> keys) {
      this.waiter = waiter;
      this.keys = keys;
    }
  }

  private final Map<ByteKey, LinkedHashSet<Client>> waiting = new HashMap<>();
  private final LinkedHashSet<ByteKey> ready = new LinkedHashSet<>();
  private int blockedClients;
  private final Keyspace keyspace;
  private Vertx vertx;

  Blocking(Keyspace keyspace) {
    this.keyspace = keyspace;
    keyspace.addedListener((db, key) -> {
      if (!waiting.isEmpty()) signal(new ByteKey(db.index, key));
    });
    // a blocked XREADGROUP learns of its stream's deletion or replacement when the command that did it ends
    keyspace.modifiedListener((db, key) -> {
      if (changeWatchers > 0) signal(new ByteKey(db.index, key));
    });
    // as Redis after SWAPDB: a list, sorted set or stream the swap brought serves the clients blocked on its key
    keyspace.clearedListener((db, with) -> {
      if (changeWatchers == 0 && with == null) return;
      for (ByteKey k : waiting.keySet()) if (k.db() == db.index) ready.add(k);
    });
  }

  /** Blocked clients whose waiters watch their keys for any change. */
  private int changeWatchers;

  private Server server;

  private Server server() {
    return server;
  }

  void start(Vertx vertx, Server server) {
    this.server = server;
    this.vertx = vertx;
  }

  /**
   * Blocks the client on keys of its current database until {@code waiter} is served or {@code timeoutMillis}
   * passes (0 = forever). The caller has found nothing to serve and has not replied. Inside MULTI/EXEC a command
   * must not block: it replies as on timeout instead.
   */
  public void block(Client c, List<byte[]> keys, long timeoutMillis, Waiter waiter) {
    List<ByteKey> ks = new ArrayList<>(keys.size());
    for (byte[] k : keys) ks.add(new ByteKey(c.db.index, k));
    Wait w = new Wait(waiter, ks);
    add(c, w);
    if (timeoutMillis > 0) {
      w.timer = vertx.setTimer(timeoutMillis, id -> {
        if (c.blocked != w) return;
        if (server().busy.active()) { // the timeout reply waits for the script holding the keyspace
          server().busy.defer(() -> {
            if (c.blocked != w) return;
            unblock(c);
            keyspace.tick();
            int mark = c.out.position();
            waiter.timeout(c);
            silence(c, w, mark);
            resume(c);
          });
          return;
        }
        unblock(c);
        keyspace.tick();
        int mark = c.out.position();
        waiter.timeout(c);
        silence(c, w, mark);
        resume(c);
      });
    }
  }

  /** Releases a blocked client without a reply (the caller replies), e.g. CLIENT UNBLOCK, disconnect. */
  public void unblock(Client c) {
    Wait w = c.blocked;
    if (w == null) return;
    if (w.timer >= 0) vertx.cancelTimer(w.timer);
    remove(c);
  }

  /** CLIENT UNBLOCK: releases a blocked client as if it timed out, or with an UNBLOCKED error. */
  public boolean clientUnblock(Client t, boolean error) {
    if (t == null || t.blocked == null) return false;
    Wait wait = t.blocked;
    Waiter w = wait.waiter;
    unblock(t);
    int mark = t.out.position();
    if (error) t.out.error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
    else w.timeout(t);
    silence(t, wait, mark);
    resume(t);
    return true;
  }

  /** After a released client's reply: send it and go on with the commands it had pipelined. */
  public void resume(Client c) {
    c.flush();
    vertx.runOnContext(v -> {
      if (!c.isClosing() && c.blocked == null) c.processInput();
    });
  }

  /** Offers every ready key to its waiters, FIFO, until the data runs out or nobody waits. */
  void serveReady() {
    while (!ready.isEmpty()) {
      for (ByteKey key : takeReady()) {
        for (Client c : waitersOf(key)) {
          if (c.blocked == null) continue;
          Wait w = c.blocked;
          Db saved = c.db;
          c.db = keyspace.db(key.db());
          boolean[] result = new boolean[1];
          boolean served;
          int mark = c.out.position();
          try {
            keyspace.startRecording(true);
            server.dispatcher.asUnit(c, () -> result[0] = w.waiter.serve(c, key.key()));
            served = result[0];
            keyspace.accountTouched();
          } catch (CommandError e) {
            c.out.error(e.getMessage());
            served = true;
          } finally {
            if (c.db == keyspace.db(key.db())) c.db = saved;
          }
          if (served) {
            unblock(c);
            silence(c, w, mark);
            resume(c);
          } else if (w.waiter.consumes()) {
            break; // the key has nothing left for the next waiter either
          }
        }
      }
    }
  }

  public int blockedClients() {
    return blockedClients;
  }

  /** Drops the reply written from {@code mark} for a client that blocked with replies off or skipped. */
  private static void silence(Client c, Wait w, int mark) {
    if (w.silent) c.out.truncate(mark);
  }

  private void add(Client c, Wait w) {
    w.silent = c.replyMode == Client.REPLY_SKIP || c.replyMode == Client.REPLY_OFF;
    c.blocked = w;
    blockedClients++;
    if (w.waiter.watchesChanges()) changeWatchers++;
    for (ByteKey k : w.keys) waiting.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(c);
  }

  private void remove(Client c) {
    Wait w = c.blocked;
    if (w == null) return;
    c.blocked = null;
    blockedClients--;
    if (w.waiter.watchesChanges()) changeWatchers--;
    for (ByteKey k : w.keys) {
      LinkedHashSet<Client> s = waiting.get(k);
      if (s != null) {
        s.remove(c);
        if (s.isEmpty()) waiting.remove(k);
      }
    }
  }

  /**
   * A key that already existed received data, or changed under its waiters (a stream's XADD, a consumer group
   * destroyed): its waiters are offered it after the current command, as on creation.
   */
  public void signalKey(Db db, byte[] key) {
    if (!waiting.isEmpty()) signal(new ByteKey(db.index, key));
  }

  /** A key was created or received data; waiters on it are served after the current command. */
  private void signal(ByteKey key) {
    if (waiting.containsKey(key)) ready.add(key);
  }

  /** Takes the ready keys; the caller serves their waiters. */
  private List<ByteKey> takeReady() {
    List<ByteKey> r = new ArrayList<>(ready);
    ready.clear();
    return r;
  }

  /** The clients waiting on a key, in the order they blocked (a copy). */
  private List<Client> waitersOf(ByteKey key) {
    LinkedHashSet<Client> s = waiting.get(key);
    return s == null ? List.of() : new ArrayList<>(s);
  }
}
