package dev.vireo.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The keys a writable replica's own clients gave a TTL (Redis's {@code slaveKeysWithExpire}): the master never
 * sends a DEL for them, so the replica expires them itself. Each name carries the set of databases (0 to 63) it
 * was given a TTL in; a name is forgotten once it has a TTL in none of them. Names are drawn at random, in O(1), by
 * the replica's expiry cycle.
 */
final class ReplicaExpires {
  /** One tracked name and the bit set of its databases. */
  private static final class Tracked {
    final Bytes key;
    long dbs;
    int slot;

    Tracked(Bytes key, int slot) {
      this.key = key;
      this.slot = slot;
    }
  }

  private final Map<Bytes, Tracked> byKey = new HashMap<>();
  private final List<Tracked> slots = new ArrayList<>();

  int size() {
    return byKey.size();
  }

  void remember(int db, byte[] key) {
    if (db > 63) return; // as Redis: the bit set has 64 databases
    Bytes k = Bytes.wrap(key);
    Tracked t = byKey.get(k);
    if (t == null) {
      t = new Tracked(Bytes.wrap(key.clone()), slots.size());
      byKey.put(t.key, t);
      slots.add(t);
    }
    t.dbs |= 1L << db;
  }

  void clear() {
    byKey.clear();
    slots.clear();
  }

  private void forget(Tracked t) {
    byKey.remove(t.key);
    Tracked last = slots.remove(slots.size() - 1);
    if (last != t) {
      slots.set(t.slot, last);
      last.slot = t.slot;
    }
  }

  /**
   * One run of the replica's expiry: draws tracked names at random and deletes those whose TTL has passed in each
   * of their databases, until more than three still-live keys were met, about a millisecond went by (checked every
   * 64 draws), or nothing is tracked any more.
   */
  void expire(Keyspace ks) {
    if (slots.isEmpty()) return;
    long startMillis = ks.now;
    long startNanos = System.nanoTime();
    int draws = 0;
    int live = 0;
    while (!slots.isEmpty()) {
      Tracked t = slots.get(ThreadLocalRandom.current().nextInt(slots.size()));
      long remaining = 0;
      long dbs = t.dbs;
      for (int i = 0; dbs != 0 && i < ks.databases(); i++, dbs >>>= 1) {
        if ((dbs & 1) == 0) continue;
        Db db = ks.db(i);
        Entry e = db.dict.get(t.key.array(), 0, t.key.length());
        if (e == null || !e.hasTtl()) continue; // gone or made persistent: no longer tracked there
        if (db.expireAt(e) <= startMillis) {
          db.expire(e);
        } else {
          live++;
          remaining |= 1L << i;
        }
      }
      if (remaining == 0) forget(t);
      else t.dbs = remaining;
      draws++;
      if (live > 3) break;
      if ((draws & 63) == 0 && System.nanoTime() - startNanos > 1_000_000) break;
    }
  }
}
