package dev.vireo.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * WATCH: which clients watch which keys. A write to a watched key marks its watchers' transactions as failed
 * (EXEC then answers a null array). Keys are touched by the keyspace (created, replaced, deleted, expired,
 * TTL changed, database flushed or swapped) and by the dispatcher for in-place changes made by write commands.
 */
final class Watches {
  /** A watched key and whether it was already logically expired when WATCH ran. */
  static final class Watched {
    final ByteKey key;
    boolean expiredWhenWatched;

    Watched(ByteKey key, boolean expired) {
      this.key = key;
      this.expiredWhenWatched = expired;
    }
  }

  private final Map<ByteKey, LinkedHashSet<Client>> byKey = new HashMap<>();

  boolean isEmpty() {
    return byKey.isEmpty();
  }

  void watch(Client c, ByteKey key, boolean expired) {
    for (Watched w : c.watched) if (w.key.equals(key)) return;
    c.watched.add(new Watched(key, expired));
    byKey.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(c);
  }

  void unwatchAll(Client c) {
    for (Watched w : c.watched) {
      LinkedHashSet<Client> s = byKey.get(w.key);
      if (s != null) {
        s.remove(c);
        if (s.isEmpty()) byKey.remove(w.key);
      }
    }
    c.watched.clear();
    c.watchedKeyTouched = false;
  }

  void touch(ByteKey key) {
    LinkedHashSet<Client> s = byKey.get(key);
    if (s != null) for (Client c : s) c.watchedKeyTouched = true;
  }

  /** Touches every watched key of a database (FLUSHDB, FLUSHALL, SWAPDB). */
  void touchDb(int db) {
    List<ByteKey> keys = new ArrayList<>();
    for (ByteKey k : byKey.keySet()) if (k.db() == db) keys.add(k);
    for (ByteKey k : keys) touch(k);
  }
}
