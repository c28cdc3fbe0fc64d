package dev.vireo.store;

import java.util.function.Consumer;

/** One numbered database: its keys and the subset of them that carry a TTL. */
public final class Db {
  public final int index;
  Dict dict = new Dict();
  ExpireSet expires = new ExpireSet();
  /** The keys' names and values in the memory model: the sum of their entries' {@code mem}. */
  long bytes;
  private final Keyspace ks;

  Db(int index, Keyspace ks) {
    this.index = index;
    this.ks = ks;
  }

  public int size() {
    return dict.size();
  }

  public int expiresCount() {
    return expires.size();
  }

  /** True when the entry's TTL has passed at the keyspace's current command time. */
  boolean isExpired(Entry e) {
    return e.hasTtl() && expires.at(e) <= ks.now && !(ks.replica && ks.executingMasterCommand);
  }

  /** The key's expiry time in unix milliseconds, or -1 when it has no TTL. */
  public long expireAt(Entry e) {
    return expires.at(e);
  }

  /**
   * Finds a live key. A logically expired key is deleted here (lazy expiry) on a master; on a replica it is left
   * for the master's DEL and reported missing, unless a write command of the replica's own client looks it up.
   */
  public Entry lookup(byte[] b, int off, int len) {
    Entry e = dict.get(b, off, len);
    if (e == null) return null;
    if (isExpired(e)) {
      if (!ks.expiryHeld && (!ks.replica || ks.localWrite)) expire(e);
      return null;
    }
    ks.touch(e);
    ks.touched(this, e);
    return e;
  }

  public Entry lookup(byte[] key) {
    return lookup(key, 0, key.length);
  }

  /** A lookup on behalf of a read command: counts keyspace hits and misses. */
  public Entry lookupRead(byte[] b, int off, int len) {
    Entry e = lookup(b, off, len);
    if (e == null) ks.onMiss(this, b, off, len);
    else ks.hits++;
    return e;
  }

  /**
   * A lookup on behalf of an introspection command (EXISTS, TYPE, TTL, OBJECT): expires lazily and counts hits and
   * misses like a read, but leaves the access time alone so that OBJECT IDLETIME is not reset by looking.
   */
  public Entry lookupNoTouch(byte[] b, int off, int len) {
    return lookupNoTouch(b, off, len, true);
  }

  /** As {@link #lookupNoTouch(byte[], int, int)}, but a miss is only counted, not announced (OBJECT, as Redis). */
  public Entry lookupNoTouchQuiet(byte[] b, int off, int len) {
    return lookupNoTouch(b, off, len, false);
  }

  private Entry lookupNoTouch(byte[] b, int off, int len, boolean announceMiss) {
    Entry e = dict.get(b, off, len);
    if (e != null && isExpired(e)) {
      if (ks.deletesExpired()) expire(e);
      e = null;
    }
    if (e != null) ks.hits++;
    else if (announceMiss) ks.onMiss(this, b, off, len);
    else ks.misses++;
    return e;
  }

  /** Lookup without side effects on access time or stats (TYPE-like introspection keeps them too in Redis). */
  public Entry peek(byte[] key) {
    Entry e = dict.get(key, 0, key.length);
    return e == null || isExpired(e) ? null : e;
  }

  /**
   * The entry as stored, even when its TTL has passed and nobody has deleted it yet (DEBUG OBJECT, as Redis's
   * dictFind: a replica keeps such a key until its master's DEL); no side effects.
   */
  public Entry stored(byte[] key) {
    return dict.get(key, 0, key.length);
  }

  /** True when the key is still stored but its TTL has passed (WATCH tells expiry apart from a write). */
  public boolean isStoredButExpired(byte[] key) {
    Entry e = dict.get(key, 0, key.length);
    return e != null && isExpired(e);
  }

  /** Adds a key that {@link #lookup} just reported missing. */
  public Entry add(byte[] key, Object value) {
    Entry stale = dict.get(key, 0, key.length);
    if (stale != null) remove(stale); // an expired key a replica kept
    Entry e = dict.add(key, value);
    ks.initAccess(e);
    bytes += remember(e, cost(e));
    ks.touched(this, e);
    ks.onAdded(this, key);
    return e;
  }

  /** Adds a key read from an RDB file or payload: as {@link #add}, but no keyspace event says it was created. */
  public Entry addLoaded(byte[] key, Object value) {
    Entry stale = dict.get(key, 0, key.length);
    if (stale != null) remove(stale);
    Entry e = dict.add(key, value);
    ks.initAccess(e);
    bytes += remember(e, cost(e));
    ks.onLoaded(this, key);
    return e;
  }

  /** SET semantics: replaces the value and, unless keepTtl, drops the TTL. */
  public Entry put(byte[] key, Object value, boolean keepTtl) {
    Entry e = dict.get(key, 0, key.length);
    if (e != null && ks.deletesExpired() && isExpired(e)) {
      expire(e); // as Redis's write lookup: the old key expires first, then a new one is created
      e = null;
    }
    if (e == null) return add(key, value);
    ks.onModified(this, key);
    if (!keepTtl || isExpired(e)) persist(e);
    e.value = value;
    e.flags(0);
    if (!ks.lfu) ks.initAccess(e); // under LFU the counter carries over, as Redis's dbOverwrite keeps it
    account(e);
    ks.touched(this, e);
    return e;
  }

  /** What a key costs in the memory model: its name and its value by encoding. */
  static long cost(Entry e) {
    long v = e.value instanceof byte[] b ? MemoryModel.string(b, e.flags())
        : e.value instanceof TypedValue t ? t.memory() : MemoryModel.OBJECT;
    return MemoryModel.sds(e.key.length) + v;
  }

  /** Accounts again for a key whose value may have changed in place (after each write command, for its keys). */
  public void account(Entry e) {
    int was = e.mem;
    bytes += remember(e, cost(e)) - was;
  }

  /**
   * Keeps a key's cost in its entry and returns what the database's sum counts for it: the cost, or, for a key of
   * 2 GB or more, a mark of 2 GB (the sum undercounts such a key; its MEMORY USAGE computes it whole).
   */
  private static int remember(Entry e, long cost) {
    return e.mem = (int) Math.min(cost, Integer.MAX_VALUE);
  }

  /** {@link #account(Entry)} by name, for a key that may since have gone. */
  public void account(byte[] key) {
    Entry e = dict.get(key, 0, key.length);
    if (e != null) account(e);
  }

  /** The keys' names and values, in the memory model. */
  public long bytes() {
    return bytes;
  }

  /** The tables' own cost: the key table with an entry per key, and the table of keys with a TTL. */
  public long overhead() {
    return MemoryModel.DICT + (long) MemoryModel.BUCKET * dict.buckets() + (long) MemoryModel.DICT_ENTRY * size()
        + expiresOverhead();
  }

  /** The table of keys with a TTL: its buckets and an entry per key (MEMORY STATS shows it apart). */
  public long expiresOverhead() {
    int n = expires.size();
    return n == 0 ? 0 : MemoryModel.dict(n) + (long) MemoryModel.DICT_ENTRY * n;
  }

  public void remove(Entry e) {
    bytes -= e.mem;
    expires.remove(e);
    dict.remove(e);
    ks.onModified(this, e.key);
  }

  /** Deletes an expired entry and accounts for it as Redis does ({@code expired_keys}). */
  void expire(Entry e) {
    remove(e);
    ks.expiredKeys++;
    ks.onExpired(this, e.key);
  }

  public void setExpire(Entry e, long at) {
    expires.put(e, at);
    if (ks.replica && ks.localWrite) ks.rememberReplicaExpire(this, e.key);
    ks.onModified(this, e.key);
  }

  /** Removes the TTL; returns true if there was one. */
  public boolean persist(Entry e) {
    if (!expires.remove(e)) return false;
    ks.onModified(this, e.key);
    return true;
  }

  /**
   * A random live key. On a master every expired key drawn is deleted and the draw repeated, so the answer is nil
   * only for an empty database. A replica cannot delete; when every key has a TTL it gives up after 100 expired
   * draws and returns the last one, as Redis does, so that an all-expired database cannot loop forever.
   */
  public Entry random() {
    boolean allVolatile = expires.size() == dict.size();
    int triesLeft = 100;
    while (true) {
      Entry e = dict.random();
      if (e == null) return null;
      if (!isExpired(e)) return e;
      if (ks.deletesExpired()) {
        expire(e);
      } else if (allVolatile && --triesLeft == 0) {
        return e;
      }
    }
  }

  public long scan(long cursor, Consumer<Entry> visitor) {
    return dict.scan(cursor, visitor);
  }

  public void forEach(Consumer<Entry> visitor) {
    dict.forEach(visitor);
  }

  /** The buckets of the key table, for {@link #forEach(int, int, Consumer)}. */
  public int buckets() {
    return dict.buckets();
  }

  /** The keys of a range of the table's buckets; see {@link Dict#forEach(int, int, Consumer)}. */
  public void forEach(int fromBucket, int toBucket, Consumer<Entry> visitor) {
    dict.forEach(fromBucket, toBucket, visitor);
  }

  public void clear() {
    ks.onCleared(this, null);
    dict.clear();
    expires.clear();
    bytes = 0;
  }

  /**
   * One pass of the active expiry cycle over this database: sample keys with a TTL and delete the expired ones,
   * again while more than the accepted share of a sample was expired, until {@code deadlineNanos}.
   * Returns false when the time ran out.
   */
  boolean activeExpire(int perLoop, int acceptablePercent, long deadlineNanos) {
    int iterations = 0;
    while (expires.size() > 0) {
      int sampled = 0;
      int expired = 0;
      int n = Math.min(perLoop, expires.size());
      for (int i = 0; i < n; i++) {
        Entry e = expires.random();
        if (e == null) break;
        sampled++;
        if (expires.at(e) <= ks.now) {
          expire(e);
          expired++;
        }
      }
      if ((++iterations & 15) == 0 && System.nanoTime() > deadlineNanos) return false;
      if (sampled == 0 || expired * 100 <= sampled * acceptablePercent) return true;
    }
    return true;
  }
}
