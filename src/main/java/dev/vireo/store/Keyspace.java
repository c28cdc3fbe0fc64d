package dev.vireo.store;

import java.util.function.IntConsumer;

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
  private IntConsumer clearedListener = db -> {};

  /** Told about every key removed because its TTL passed (replication propagates a DEL for it). */
  public interface ExpiredListener {
    void expired(Db db, byte[] key);
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

  int clockSeconds() {
    return (int) (now / 1000);
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

  public void expiredListener(ExpiredListener l) {
    this.expiredListener = l;
  }

  /** Told about every key created (blocked clients wait for lists and sorted sets to appear). */
  public void addedListener(KeyListener l) {
    this.addedListener = l;
  }

  void onAdded(Db db, byte[] key) {
    addedListener.key(db, key);
    modifiedListener.key(db, key);
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

  /** Adds a listener told before a database is emptied or swapped (WATCH, blocked stream readers). */
  public void clearedListener(IntConsumer l) {
    this.clearedListener = this.clearedListener.andThen(l);
  }

  void onCleared(int db) {
    clearedListener.accept(db);
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
      onCleared(i);
      Db mine = dbs[i];
      Db theirs = loaded.dbs[i];
      Dict d = mine.dict;
      mine.dict = theirs.dict;
      theirs.dict = d;
      ExpireSet e = mine.expires;
      mine.expires = theirs.expires;
      theirs.expires = e;
    }
  }

  /** Exchanges the contents of two databases (SWAPDB); clients keep their database numbers. */
  public void swap(int a, int b) {
    onCleared(a);
    onCleared(b);
    Db x = dbs[a];
    Db y = dbs[b];
    Dict d = x.dict;
    x.dict = y.dict;
    y.dict = d;
    ExpireSet e = x.expires;
    x.expires = y.expires;
    y.expires = e;
  }

  /**
   * The active expiry cycle, run {@code hz} times a second on the data loop: samples keys with a TTL in every
   * database and deletes the expired ones, repeating while more than a quarter of a sample had expired, within a
   * time budget of a quarter of the cycle period (scaled by {@code active-expire-effort}). A replica leaves the
   * keys of its master to the master's DELs and expires only those its own clients gave a TTL.
   */
  public void activeExpireCycle(int hz, int effort) {
    if (!activeExpireEnabled) return;
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
