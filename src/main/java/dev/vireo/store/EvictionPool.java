package dev.vireo.store;

import java.util.Arrays;

/**
 * Chooses which key {@code maxmemory} evicts next, as Redis 7.0 approximates LRU, LFU and TTL order: each round
 * samples {@code maxmemory-samples} keys of every database (all keys, or only those with a TTL for the volatile
 * policies) into a pool of the 16 best candidates seen so far, kept across rounds; the best candidate still present
 * goes. The random policies draw a key from the databases in turn. Runs on the data loop.
 */
public final class EvictionPool {
  /** The eight {@code maxmemory-policy} values. */
  public enum Policy {
    VOLATILE_LRU, VOLATILE_LFU, VOLATILE_RANDOM, VOLATILE_TTL, ALLKEYS_LRU, ALLKEYS_LFU, ALLKEYS_RANDOM, NOEVICTION;

    public static Policy of(String name) {
      return valueOf(name.toUpperCase().replace('-', '_'));
    }

    public boolean lfu() {
      return this == VOLATILE_LFU || this == ALLKEYS_LFU;
    }

    public boolean lru() {
      return this == VOLATILE_LRU || this == ALLKEYS_LRU;
    }

    boolean allKeys() {
      return this == ALLKEYS_LRU || this == ALLKEYS_LFU || this == ALLKEYS_RANDOM;
    }

    boolean random() {
      return this == VOLATILE_RANDOM || this == ALLKEYS_RANDOM;
    }
  }

  /** A key chosen for eviction. */
  public record Victim(Db db, Entry entry) {}

  private static final int SIZE = 16;
  private final long[] score = new long[SIZE];
  private final byte[][] keys = new byte[SIZE][];
  private final int[] dbs = new int[SIZE];
  private int count;
  private int nextDb;
  private Entry[] sample = new Entry[64];

  /** The next key to evict under {@code policy}, or null when no key qualifies. */
  public Victim next(Keyspace ks, Policy policy, int samples) {
    if (policy == Policy.NOEVICTION) return null;
    if (policy.random()) return random(ks, policy);
    while (true) {
      long total = 0;
      for (int i = 0; i < ks.databases(); i++) {
        Db db = ks.db(i);
        int keysHere = policy.allKeys() ? db.dict.size() : db.expires.size();
        if (keysHere == 0) continue;
        total += keysHere;
        // no more than the keys there are: maxmemory-samples may be as large as Redis allows (INT_MAX)
        int want = Math.min(samples, keysHere);
        if (sample.length < want) sample = new Entry[want];
        populate(ks, db, policy, want);
      }
      if (total == 0) return null;
      // the best candidates are at the end; one that has gone since it was pooled is skipped
      for (int k = count - 1; k >= 0; k--) {
        byte[] key = keys[k];
        Db db = ks.db(dbs[k]);
        removeAt(k);
        Entry e = db.dict.get(key, 0, key.length);
        if (e != null && (policy.allKeys() || e.hasTtl())) return new Victim(db, e);
      }
    }
  }

  private Victim random(Keyspace ks, Policy policy) {
    for (int i = 0; i < ks.databases(); i++) {
      Db db = ks.db(nextDb++ % ks.databases());
      Entry e = policy.allKeys() ? db.dict.random() : db.expires.random();
      if (e != null) return new Victim(db, e);
    }
    return null;
  }

  private void populate(Keyspace ks, Db db, Policy policy, int samples) {
    int n = policy.allKeys() ? db.dict.someEntries(sample, samples) : db.expires.sample(sample, samples);
    for (int j = 0; j < n; j++) {
      Entry e = sample[j];
      long s = policy == Policy.VOLATILE_TTL ? Long.MAX_VALUE - db.expireAt(e) : ks.evictionScore(e);
      insert(s, db.index, e.key);
    }
    Arrays.fill(sample, 0, n, null);
  }

  /** Keeps the pool sorted by ascending score; a full pool takes a key only if it beats the worst one. */
  private void insert(long s, int db, byte[] key) {
    for (int i = 0; i < count; i++) {
      if (keys[i] == key && dbs[i] == db) return; // already pooled: the entry's own name array
    }
    int k = 0;
    while (k < count && score[k] < s) k++;
    if (count == SIZE) {
      if (k == 0) return;
      // drop the worst (first) element to make room
      System.arraycopy(score, 1, score, 0, k - 1);
      System.arraycopy(keys, 1, keys, 0, k - 1);
      System.arraycopy(dbs, 1, dbs, 0, k - 1);
      k--;
    } else {
      System.arraycopy(score, k, score, k + 1, count - k);
      System.arraycopy(keys, k, keys, k + 1, count - k);
      System.arraycopy(dbs, k, dbs, k + 1, count - k);
      count++;
    }
    score[k] = s;
    keys[k] = key;
    dbs[k] = db;
  }

  private void removeAt(int k) {
    System.arraycopy(score, k + 1, score, k, count - k - 1);
    System.arraycopy(keys, k + 1, keys, k, count - k - 1);
    System.arraycopy(dbs, k + 1, dbs, k, count - k - 1);
    count--;
    keys[count] = null;
  }

  /** Forgets every candidate (after FLUSHALL or a full sync's load). */
  public void clear() {
    Arrays.fill(keys, null);
    count = 0;
  }
}
