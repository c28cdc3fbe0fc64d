package dev.vireo.store;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * All databases of the node, the command clock and the keyspace statistics. Confined to the data loop.
 */
public final class Keyspace {
  private Db[] dbs;
  /** Unix time in ms of the command being executed; set once per command so one command sees one instant. */
  long now = System.currentTimeMillis();
  /** On a replica, expired keys are hidden from reads but deleted only by the master's DEL. */
  boolean replica;
  /** While a replica applies its master's stream, keys count as live whatever their TTL says (as in Redis). */
  boolean executingMasterCommand;
  /**
   * Set while a write command of a replica's own client runs: its lookups delete keys whose TTL has passed (as
   * Redis's lookupKeyWrite does, so that a writable replica's INCR starts over), and the TTLs it sets are tracked
   * for the replica's own expiry.
   */
  boolean localWrite;
  /** On a writable replica, the keys its own clients gave a TTL: the replica expires them itself. */
  private final ReplicaExpires replicaExpires = new ReplicaExpires();
  long expiredKeys;
  long hits;
  long misses;
  private boolean activeExpireEnabled = true;
  private ExpiredListener expiredListener = (db, key) -> {};
  private KeyListener addedListener = (db, key) -> {};
  private KeyListener modifiedListener = (db, key) -> {};
  private ClearListener clearedListener = (db, with) -> {};
  private KeyListener createdListener = (db, key) -> {};
  private MissListener missListener = (db, buf, off, len) -> {};

  /** Told about every key removed because its TTL passed (replication propagates a DEL for it). */
  public interface ExpiredListener {
    void expired(Db db, byte[] key);
  }

  /** Told about a read that found no live key; the key is a slice of {@code buf}, valid only during the call. */
  public interface MissListener {
    void miss(Db db, byte[] buf, int off, int len);
  }

  public Keyspace(int databases) {
    dbs = new Db[databases];
    for (int i = 0; i < databases; i++) dbs[i] = new Db(i, this);
  }

  public Db db(int i) {
    return dbs[i];
  }

  public int databases() {
    return dbs.length;
  }

  /** Advances the command clock; call before executing each command. */
  public long tick() {
    return now = System.currentTimeMillis();
  }

  public long now() {
    return now;
  }

  // ------------------------------------------------------------------------------------------ LRU and LFU

  static final int LRU_CLOCK_MAX = (1 << 24) - 1;
  static final int LFU_INIT = 5;
  /** Under an LFU policy the entries' access bits hold a frequency counter, otherwise an access time. */
  boolean lfu;
  private int lfuLogFactor = 10;
  private int lfuDecayTime = 1;

  /** Follows {@code maxmemory-policy}, {@code lfu-log-factor} and {@code lfu-decay-time}. */
  public void accessTracking(boolean lfu, int logFactor, int decayTime) {
    this.lfu = lfu;
    this.lfuLogFactor = logFactor;
    this.lfuDecayTime = decayTime;
  }

  public boolean lfu() {
    return lfu;
  }

  private int lruClock() {
    return (int) (now / 1000) & LRU_CLOCK_MAX;
  }

  private int lfuMinutes() {
    return (int) (now / 60_000) & 0xFFFF;
  }

  /** A new value's access bits: now, or a fresh counter of 5 so that new keys are not evicted first. */
  void initAccess(Entry e) {
    e.access(lfu ? lfuMinutes() << 8 | LFU_INIT : lruClock());
  }

  /** An access: the LRU time becomes now, or the LFU counter decays for the time passed and then maybe grows. */
  void touch(Entry e) {
    if (lfu) {
      int counter = logIncrement(frequency(e));
      e.access(lfuMinutes() << 8 | counter);
    } else {
      e.access(lruClock());
    }
  }

  /** The counter grows with probability 1 / ((counter - 5) * lfu-log-factor + 1), up to 255. */
  private int logIncrement(int counter) {
    if (counter == 255) return 255;
    double base = Math.max(0, counter - LFU_INIT);
    double p = 1.0 / (base * lfuLogFactor + 1);
    return ThreadLocalRandom.current().nextDouble() < p ? counter + 1 : counter;
  }

  /** OBJECT FREQ: the LFU counter less one for every lfu-decay-time minutes since it was last decremented. */
  public int frequency(Entry e) {
    int ldt = e.access() >>> 8 & 0xFFFF;
    int counter = e.access() & 0xFF;
    int nowMin = lfuMinutes();
    int elapsed = nowMin >= ldt ? nowMin - ldt : 0xFFFF - ldt + nowMin;
    long periods = lfuDecayTime == 0 ? 0 : elapsed / lfuDecayTime;
    return periods == 0 ? counter : (int) Math.max(0, counter - periods);
  }

  /** OBJECT IDLETIME in milliseconds: since the last access, on the 24-bit clock that wraps. */
  public long idleMillis(Entry e) {
    int clock = lruClock();
    int lru = e.access() & LRU_CLOCK_MAX;
    long seconds = clock >= lru ? clock - lru : clock + (LRU_CLOCK_MAX - lru);
    return seconds * 1000;
  }

  /** RESTORE ... IDLETIME/FREQ: applies the one that the current policy tracks. */
  public void restoreAccess(Entry e, long idleSeconds, long freq) {
    if (lfu) {
      if (freq >= 0) e.access(lfuMinutes() << 8 | (int) freq);
    } else if (idleSeconds >= 0) {
      int clock = lruClock();
      long abs = clock - idleSeconds;
      if (abs < 0) abs = (clock + LRU_CLOCK_MAX / 2) % LRU_CLOCK_MAX;
      e.access((int) abs);
    }
  }

  /** What eviction ranks keys by (higher goes first): idle time, or 255 less the LFU counter. */
  long evictionScore(Entry e) {
    return lfu ? 255 - frequency(e) : idleMillis(e);
  }

  // ---------------------------------------------------------------------------------------- memory model

  /** The keys the running command found or created: after a write, their values may have changed size. */
  private Db[] touchedDbs = new Db[16];
  private Entry[] touched = new Entry[16];
  private int touchedCount;
  /** Only writes record what they touch: reads change no size. */
  private boolean recording;

  void touched(Db db, Entry e) {
    if (!recording) return;
    if (touchedCount == touched.length) {
      touched = Arrays.copyOf(touched, touchedCount * 2);
      touchedDbs = Arrays.copyOf(touchedDbs, touchedCount * 2);
    }
    touchedDbs[touchedCount] = db;
    touched[touchedCount++] = e;
  }

  /** Starts a command: nothing found yet; a write ({@code record}) remembers the keys it finds or creates. */
  public void startRecording(boolean record) {
    clearTouched();
    recording = record;
  }

  private void clearTouched() {
    Arrays.fill(touched, 0, touchedCount, null);
    Arrays.fill(touchedDbs, 0, touchedCount, null);
    touchedCount = 0;
  }

  /**
   * After a write: accounts again for every key the command found or created and that is still there, whatever
   * the command's key arguments say (XREADGROUP's streams, movable keys, a served blocked client's target).
   */
  public void accountTouched() {
    for (int i = 0; i < touchedCount; i++) {
      Db db = touchedDbs[i];
      Entry e = touched[i];
      if (db.dict.get(e.key, 0, e.key.length) == e) db.account(e);
    }
    clearTouched();
  }

  /** The keys' names and values in every database. */
  public long datasetBytes() {
    long n = 0;
    for (Db d : dbs) n += d.bytes;
    return n;
  }

  /** The databases' tables. */
  public long tablesOverhead() {
    long n = 0;
    for (Db d : dbs) n += d.overhead();
    return n;
  }

  /**
   * Set while clients are paused (CLIENT PAUSE, FAILOVER): the dataset stays still, so a key whose TTL passed reads
   * as missing but is not deleted, and the active cycle does not run, until the pause ends.
   */
  boolean expiryHeld;

  public void holdExpiry(boolean held) {
    expiryHeld = held;
  }

  /** True when a key found expired may be deleted now: on a master that is not paused. */
  boolean deletesExpired() {
    return !replica && !expiryHeld;
  }

  public void replica(boolean replica) {
    this.replica = replica;
  }

  public boolean isReplica() {
    return replica;
  }

  /**
   * Set while a replica runs a command of its master's stream: the master decides when keys expire, so its
   * commands see every key as live (its DEL of an expired key must find it, its INCR must find the old value).
   */
  public void executingMasterCommand(boolean on) {
    executingMasterCommand = on;
  }

  /**
   * Set around each write command a replica's own client runs (see {@link #localWrite}); returns the previous
   * value, for nested commands.
   */
  public boolean localWrite(boolean on) {
    boolean before = localWrite;
    localWrite = on;
    return before;
  }

  void rememberReplicaExpire(Db db, byte[] key) {
    replicaExpires.remember(db.index, key);
  }

  /** Keys a writable replica tracks to expire itself (INFO's {@code slave_expires_tracked_keys}). */
  public int replicaExpiresTracked() {
    return replicaExpires.size();
  }

  /** Told about a key (created). */
  public interface KeyListener {
    void key(Db db, byte[] key);
  }

  /** Adds a listener told about every key removed because its TTL passed, after those added before it. */
  public void expiredListener(ExpiredListener l) {
    ExpiredListener before = this.expiredListener;
    this.expiredListener = (db, key) -> {
      before.expired(db, key);
      l.expired(db, key);
    };
  }

  /** Told about every key created (blocked clients wait for lists and sorted sets to appear). */
  public void addedListener(KeyListener l) {
    this.addedListener = l;
  }

  /** Told about every key a command creates, after the other listeners (keyspace notifications' {@code new}). */
  public void createdListener(KeyListener l) {
    this.createdListener = l;
  }

  /** Told about every read lookup that finds no live key (keyspace notifications' {@code keymiss}). */
  public void missListener(MissListener l) {
    this.missListener = l;
  }

  void onAdded(Db db, byte[] key) {
    addedListener.key(db, key);
    modifiedListener.key(db, key);
    createdListener.key(db, key);
  }

  /** A key loaded from an RDB: blocked clients and watchers hear of it, keyspace notifications do not. */
  void onLoaded(Db db, byte[] key) {
    addedListener.key(db, key);
    modifiedListener.key(db, key);
  }

  void onMiss(Db db, byte[] buf, int off, int len) {
    misses++;
    missListener.miss(db, buf, off, len);
  }

  /**
   * Adds a listener told about every key created, replaced, deleted, expired or whose TTL changed (WATCH, blocked
   * stream readers); listeners are told in the order they were added.
   */
  public void modifiedListener(KeyListener l) {
    KeyListener before = this.modifiedListener;
    this.modifiedListener = (db, key) -> {
      before.key(db, key);
      l.key(db, key);
    };
  }

  void onModified(Db db, byte[] key) {
    modifiedListener.key(db, key);
  }

  /**
   * Told before database {@code db} is emptied ({@code with} null) or takes the contents of {@code with} (SWAPDB's
   * other database, or a database loaded on the side).
   */
  public interface ClearListener {
    void cleared(Db db, Db with);
  }

  /** Adds a listener told before a database is emptied or swapped (WATCH, blocked stream readers). */
  public void clearedListener(ClearListener l) {
    ClearListener before = this.clearedListener;
    this.clearedListener = (db, with) -> {
      before.cleared(db, with);
      l.cleared(db, with);
    };
  }

  void onCleared(Db db, Db with) {
    clearedListener.cleared(db, with);
  }

  void onExpired(Db db, byte[] key) {
    expiredListener.expired(db, key);
  }

  public long expiredKeys() {
    return expiredKeys;
  }

  public long hits() {
    return hits;
  }

  public long misses() {
    return misses;
  }

  public void resetStats() {
    expiredKeys = hits = misses = 0;
  }

  public void activeExpireEnabled(boolean on) {
    activeExpireEnabled = on;
  }

  public long totalKeys() {
    long n = 0;
    for (Db d : dbs) n += d.size();
    return n;
  }

  public void flushAll() {
    for (Db d : dbs) d.clear();
    replicaExpires.clear();
  }

  /**
   * Takes over every database of {@code loaded} (a keyspace filled on the side, e.g. by a replica's swapdb load)
   * in one step; {@code loaded} gets the old contents, to be dropped. Watchers of every database are told.
   */
  public void replaceContents(Keyspace loaded) {
    replicaExpires.clear();
    for (int i = 0; i < dbs.length; i++) {
      onCleared(dbs[i], loaded.dbs[i]);
      Db mine = dbs[i];
      Db theirs = loaded.dbs[i];
      Dict d = mine.dict;
      mine.dict = theirs.dict;
      theirs.dict = d;
      ExpireSet e = mine.expires;
      mine.expires = theirs.expires;
      theirs.expires = e;
      long b = mine.bytes;
      mine.bytes = theirs.bytes;
      theirs.bytes = b;
    }
  }

  /** Exchanges the contents of two databases (SWAPDB); clients keep their database numbers. */
  public void swap(int a, int b) {
    onCleared(dbs[a], dbs[b]);
    onCleared(dbs[b], dbs[a]);
    Db x = dbs[a];
    Db y = dbs[b];
    Dict d = x.dict;
    x.dict = y.dict;
    y.dict = d;
    ExpireSet e = x.expires;
    x.expires = y.expires;
    y.expires = e;
    long bx = x.bytes;
    x.bytes = y.bytes;
    y.bytes = bx;
  }

  /**
   * The active expiry cycle, run {@code hz} times a second on the data loop: samples keys with a TTL in every
   * database and deletes the expired ones, repeating while more than a quarter of a sample had expired, within a
   * time budget of a quarter of the cycle period (scaled by {@code active-expire-effort}). A replica leaves the
   * keys of its master to the master's DELs and expires only those its own clients gave a TTL.
   */
  public void activeExpireCycle(int hz, int effort) {
    if (!activeExpireEnabled || expiryHeld) return;
    tick();
    if (replica) {
      replicaExpires.expire(this);
      return;
    }
    int e = Math.max(1, Math.min(10, effort)) - 1;
    int perLoop = 20 + 20 / 4 * e;
    int acceptable = 10 - e;
    long budgetMicros = 1_000_000L * (25 + 2 * e) / Math.max(1, hz) / 100;
    long deadline = System.nanoTime() + budgetMicros * 1000;
    for (Db d : dbs) {
      if (!d.activeExpire(perLoop, acceptable + 15, deadline)) return;
    }
  }
}
