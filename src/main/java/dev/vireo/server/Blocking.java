package dev.vireo.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN...). A blocking command that finds nothing to pop calls
 * {@link Server#block}; when a key of a blockable type is created, the key becomes ready, and after the command
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
  }

  /** One client's wait. */
  public static final class Wait {
    final Waiter waiter;
    final List<ByteKey> keys;
    long timer = -1;

    Wait(Waiter waiter, List<ByteKey> keys) {
      this.waiter = waiter;
      this.keys = keys;
    }
  }

  private final Map<ByteKey, LinkedHashSet<Client>> waiting = new HashMap<>();
  private final LinkedHashSet<ByteKey> ready = new LinkedHashSet<>();
  private int blockedClients;

  public int blockedClients() {
    return blockedClients;
  }

  boolean anyWaiting() {
    return !waiting.isEmpty();
  }

  void add(Client c, Wait w) {
    c.blocked = w;
    blockedClients++;
    for (ByteKey k : w.keys) waiting.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(c);
  }

  void remove(Client c) {
    Wait w = c.blocked;
    if (w == null) return;
    c.blocked = null;
    blockedClients--;
    for (ByteKey k : w.keys) {
      LinkedHashSet<Client> s = waiting.get(k);
      if (s != null) {
        s.remove(c);
        if (s.isEmpty()) waiting.remove(k);
      }
    }
  }

  /** A key was created or received data; waiters on it are served after the current command. */
  void signal(ByteKey key) {
    if (waiting.containsKey(key)) ready.add(key);
  }

  boolean hasReady() {
    return !ready.isEmpty();
  }

  /** Takes the ready keys; the caller serves their waiters. */
  List<ByteKey> takeReady() {
    List<ByteKey> r = new ArrayList<>(ready);
    ready.clear();
    return r;
  }

  /** The clients waiting on a key, in the order they blocked (a copy). */
  List<Client> waitersOf(ByteKey key) {
    LinkedHashSet<Client> s = waiting.get(key);
    return s == null ? List.of() : new ArrayList<>(s);
  }
}
