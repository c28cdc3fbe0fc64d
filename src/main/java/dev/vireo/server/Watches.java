package dev.vireo.server;

import dev.vireo.store.Db;
import dev.vireo.store.Keyspace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * WATCH: which clients watch which keys. A write to a watched key marks its watchers' transactions as failed
 * (EXEC then answers a null array). Keys are touched by the keyspace (created, replaced, deleted, expired,
 * TTL changed, database flushed or swapped) and by the dispatcher for in-place changes made by write commands.
 *
 * <p>As in Redis 7.0, a key whose TTL had already passed when it was watched counts as missing: its deletion (on
 * lookup, by the active cycle, by a flush) changes nothing logically and does not fail the transaction, while its
 * re-creation does.
 */
final class Watches {
  /** A client's watch of one key, and whether the key was stored but already expired when it was watched. */
  static final class Watched {
    final Client client;
    final ByteKey key;
    boolean expired;

    Watched(Client client, ByteKey key, boolean expired) {
      this.client = client;
      this.key = key;
      this.expired = expired;
    }
  }

  private final Map<ByteKey, List<Watched>> byKey = new HashMap<>();
  private final Keyspace keyspace;

  Watches(Keyspace keyspace) {
    this.keyspace = keyspace;
  }

  boolean isEmpty() {
    return byKey.isEmpty();
  }

  void watch(Client c, ByteKey key, boolean expired) {
    for (Watched w : c.watched) if (w.key.equals(key)) return;
    Watched w = new Watched(c, key, expired);
    c.watched.add(w);
    byKey.computeIfAbsent(key, k -> new ArrayList<>(1)).add(w);
  }

  void unwatchAll(Client c) {
    for (Watched w : c.watched) {
      List<Watched> s = byKey.get(w.key);
      if (s != null) {
        s.remove(w);
        if (s.isEmpty()) byKey.remove(w.key);
      }
    }
    c.watched.clear();
    c.watchedKeyTouched = false;
  }

  /** A key was written (Redis's signalModifiedKey): its watchers' transactions fail. */
  void touch(ByteKey key) {
    List<Watched> s = byKey.get(key);
    if (s == null) return;
    boolean stored = keyspace.db(key.db()).stored(key.key()) != null;
    for (Watched w : s) {
      if (w.expired && !stored) {
        w.expired = false; // the expired key is gone: logically nothing changed, and it is missing from now on
        continue;
      }
      w.client.watchedKeyTouched = true;
    }
  }

  /**
   * Database {@code emptied} is about to be emptied ({@code replacing} null) or to take {@code replacing}'s keys
   * (SWAPDB, a replica's load on the side): a watched key that exists in either fails its watchers' transactions,
   * unless it is expired on both sides (or was expired when watched and is going away), as Redis's
   * touchAllWatchedKeysInDb decides.
   */
  void cleared(Db emptied, Db replacing) {
    if (byKey.isEmpty()) return;
    for (Map.Entry<ByteKey, List<Watched>> entry : byKey.entrySet()) {
      ByteKey key = entry.getKey();
      if (key.db() != emptied.index) continue;
      byte[] k = key.key();
      boolean inEmptied = emptied.stored(k) != null;
      boolean inReplacing = replacing != null && replacing.stored(k) != null;
      if (!inEmptied && !inReplacing) continue;
      for (Watched w : entry.getValue()) {
        if (w.expired) {
          if (!inReplacing) {
            w.expired = false;
            continue;
          }
          if (replacing.isStoredButExpired(k)) continue;
        } else if (!inEmptied && replacing.isStoredButExpired(k)) {
          w.expired = true; // a missing key replaced by an expired one is still missing
          continue;
        }
        w.client.watchedKeyTouched = true;
      }
    }
  }
}
