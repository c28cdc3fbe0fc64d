package dev.vireo.persistence;

import dev.vireo.persistence.rdb.RdbOptions;
import dev.vireo.persistence.rdb.RdbValue;
import dev.vireo.persistence.rdb.RdbWriter;
import dev.vireo.replication.ReplicationIds;
import dev.vireo.server.Propagation;
import dev.vireo.server.Server;
import dev.vireo.server.Snapshots;
import dev.vireo.util.Delays;
import dev.vireo.store.Db;
import dev.vireo.store.Entry;
import dev.vireo.store.Keyspace;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * RDB snapshots of the keyspace: SAVE, BGSAVE, the {@code save} rules, saving at shutdown, and loading at
 * startup. A snapshot is taken on the data loop in one step (keys, TTLs and references to the values' elements,
 * which are never modified in place while a save is running), so it is consistent as of that instant; encoding,
 * compression and disk writes then run on a worker thread while the data loop goes on serving. Files are written
 * under a temporary name and renamed, so a crash never leaves half a file under the real name.
 */
public final class Persistence implements Snapshots {
  /** Redis's delay before retrying a failed background save triggered by a save rule. */
  private static final long RETRY_DELAY_MILLIS = 5000;

  private final Server server;
  private Vertx vertx;
  private Context dataLoop;

  private boolean bgsaveInProgress;
  private long bgsaveStartMillis;
  private long lastBgsaveSeconds = -1;
  private boolean lastBgsaveOk = true;
  private long lastSaveAttemptMillis;
  private long saves;
  private long dirtyAtSnapshot;
  private long currentSaveKeysTotal;
  private final AtomicLong currentSaveKeysProcessed = new AtomicLong();
  private volatile boolean loading;
  private long loadKeysLoaded;
  private long loadKeysExpired;
  private long tempCounter;
  private boolean aofChild;
  private boolean bgsaveScheduled;
  private int replicationEncoders;

  /** One database of a snapshot: its first {@code size} keys, their values and, when some have a TTL, times. */
  private record DbRecord(int index, int size, byte[][] keys, Object[] values, long[] expireAts, long expires) {
    /** The value of key i: a string as its own array (not changed in place while a snapshot is in use). */
    RdbValue value(int i) {
      return values[i] instanceof byte[] s ? new RdbValue.Str(s) : (RdbValue) values[i];
    }

    long expireAt(int i) {
      return expireAts == null ? -1 : expireAts[i];
    }
  }

  /** The dataset as of one instant, ready to be encoded off the data loop. */
  private record Snapshot(List<DbRecord> dbs, long keys, String replId, long replOffset, int replStreamDb,
      long usedMemory, RdbOptions options, List<byte[]> functions) {}

  /** From this many keys in a database, a second thread walks half of its table for a snapshot. */
  static final int PARALLEL_SNAPSHOT_KEYS = 65_536;

  private static final boolean PARALLEL = Runtime.getRuntime().availableProcessors() > 1;

  private long latestForkMicros;
  private long totalForks;

  /** When the last successful save ended, in seconds (LASTSAVE). */
  private long lastSaveSeconds = System.currentTimeMillis() / 1000;

  public Persistence(Server server) {
    this.server = server;
  }

  public long lastSaveSeconds() {
    return lastSaveSeconds;
  }

  @Override
  public void start(Vertx vertx, Context dataLoop) {
    this.vertx = vertx;
    this.dataLoop = dataLoop;
  }

  public Path rdbPath() {
    return Path.of(server.config.get("dir")).resolve(server.config.get("dbfilename"));
  }

  public boolean bgsaveInProgress() {
    return bgsaveInProgress;
  }

  /**
   * True while a BGSAVE or an RDB for replicas is being encoded: Redis runs both in its one RDB child, so INFO shows
   * either as {@code rdb_bgsave_in_progress:1}, and SAVE and BGSAVE are refused meanwhile.
   */
  private boolean rdbChildRunning() {
    return bgsaveInProgress || replicationEncoders > 0;
  }

  /** True while an AOF rewrite encodes its base: Redis's other kind of child, which BGSAVE waits for. */
  public boolean aofRewriteRunning() {
    return aofChild;
  }

  /** BGSAVE SCHEDULE during an AOF rewrite: the save starts from the cron once the rewrite is done. */
  public void scheduleBgsave() {
    bgsaveScheduled = true;
  }

  /**
   * The base of an AOF rewrite: a snapshot of now, written on a worker thread to {@code target} (then flushed to
   * disk) as an RDB file, or as the commands that rebuild the dataset when {@code rdb} is false. Fails at once when
   * an RDB is being encoded (Redis runs one child at a time). Completes with the file's size.
   */
  public Future<Long> writeAofBase(Path target, boolean rdb) {
    if (rdbChildRunning() || aofChild) return Future.failedFuture("another child process is active");
    Snapshot s = childSnapshot();
    aofChild = true;
    return vertx.<Long>executeBlocking(() -> {
      try (FileOutputStream fos = new FileOutputStream(target.toFile());
          BufferedOutputStream out = new BufferedOutputStream(fos, 1 << 16)) {
        if (rdb) {
          encode(s, out, false, true);
        } else {
          AofCommands w = new AofCommands(out);
          if (server.config.getBool("aof-timestamp-enabled")) w.timestamp(System.currentTimeMillis() / 1000);
          for (byte[] code : s.functions()) w.function(code);
          for (DbRecord db : s.dbs()) {
            w.select(db.index());
            for (int k = 0; k < db.size(); k++) w.key(db.keys()[k], db.value(k), db.expireAt(k));
          }
        }
        out.flush();
        fos.getFD().sync();
      }
      return Files.size(target);
    }, false).andThen(ar -> aofChild = false);
  }

  public boolean loading() {
    return loading;
  }

  /**
   * Called before the port opens: a node that is going to load its RDB file is loading from its first client on
   * ({@code -LOADING}, INFO {@code loading:1}), never showing the empty dataset it starts with.
   */
  public void expectLoad() {
    loading = Files.exists(rdbPath());
  }

  /**
   * Another loader (the append-only file) is loading the dataset, or is done: {@code -LOADING} and INFO
   * {@code loading:1} meanwhile, as for the RDB file.
   */
  public void loading(boolean on) {
    loading = on;
  }

  // ---------------------------------------------------------------- saving

  /**
   * A snapshot for a full resynchronization, as of now, at the replication offset {@code offset} of history
   * {@code replId}. {@code withData} false gives an RDB without keys (a replica that asked for no data). Until
   * {@link ReplicationSnapshot#release} values are copied before in-place changes, as during BGSAVE.
   */
  public ReplicationSnapshot replicationSnapshot(boolean withData) {
    Snapshot s = withData ? childSnapshot() : new Snapshot(List.of(), 0, server.repl.replId(), server.repl.offset(),
        server.replicaRole().streamDb(), 0, RdbValues.options(server.config.getBool("rdbcompression"),
            server.config.getBool("rdbchecksum"), server.encodingLimits), server.scriptInfo().libraryCodes());
    if (replicationEncoders++ == 0 && !bgsaveInProgress) {
      // shown as the RDB child Redis forks for a full sync: rdb_bgsave_in_progress and the key counts
      currentSaveKeysTotal = s.keys();
      currentSaveKeysProcessed.set(0);
      bgsaveStartMillis = System.currentTimeMillis();
    }
    return new ReplicationSnapshot(s);
  }

  /** A dataset frozen for replication; {@link #writeTo} may run on any thread. */
  public final class ReplicationSnapshot {
    private final Snapshot s;
    private boolean released;

    private ReplicationSnapshot(Snapshot s) {
      this.s = s;
    }

    public long keys() {
      return s.keys();
    }

    public void writeTo(OutputStream out) throws IOException {
      encode(s, out, true);
    }

    /** Data loop: the snapshot's values are no longer read. */
    public void release() {
      if (!released) {
        released = true;
        if (--replicationEncoders == 0 && !bgsaveInProgress) {
          lastBgsaveSeconds = (System.currentTimeMillis() - bgsaveStartMillis) / 1000;
        }
      }
    }
  }

  /** True while some snapshot's values may still be read off the data loop. */
  public boolean snapshotInUse() {
    return rdbChildRunning();
  }

  /**
   * The snapshot where Redis forks a child (BGSAVE, an AOF rewrite, a full sync), timed: the data loop waits for it
   * as Redis's main thread waits for fork(), so INFO's {@code latest_fork_usec} and {@code total_forks} tell it.
   */
  private Snapshot childSnapshot() {
    long t0 = System.nanoTime();
    Snapshot s = snapshot();
    latestForkMicros = (System.nanoTime() - t0) / 1000;
    totalForks++;
    return s;
  }

  /** How long the data loop took the latest snapshot of a background save, rewrite or sync (latest_fork_usec). */
  public long latestForkMicros() {
    return latestForkMicros;
  }

  /** Snapshots taken for background saves, rewrites and syncs since start (total_forks). */
  public long totalForks() {
    return totalForks;
  }

  /** The second thread of a snapshot's walk, one for the process, started at the first large snapshot. */
  private static final class SnapshotHelper {
    static final ExecutorService THREAD = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "vireo-snapshot");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Fills a database's snapshot arrays with its keys, from index 0 up; returns the fill with its counts. A large
   * database is walked by two threads, each half of its table, the data loop one of them: the walk waits on memory
   * (an entry, then its value, at random places), and two walks wait together.
   */
  private static Fill walk(Db db, byte[][] keys, Object[] values, long[] ats) {
    int n = keys.length;
    int buckets = db.buckets();
    Fill low = new Fill(db, keys, values, ats, 0, 1);
    if (n < PARALLEL_SNAPSHOT_KEYS || !PARALLEL) {
      db.forEach(0, buckets, low);
      return low;
    }
    Fill high = new Fill(db, keys, values, ats, n - 1, -1); // from the end down: the two never meet
    CompletableFuture<Void> other = CompletableFuture.runAsync(() -> db.forEach(buckets / 2, buckets, high),
        SnapshotHelper.THREAD);
    try {
      db.forEach(0, buckets / 2, low);
    } finally {
      awaitHelper(other); // even when this half failed: nothing may change the table while the helper reads
    }
    if (low.count + high.count < n) { // keys without an RDB form were skipped: close the gap
      System.arraycopy(keys, n - high.count, keys, low.count, high.count);
      System.arraycopy(values, n - high.count, values, low.count, high.count);
      if (ats != null) System.arraycopy(ats, n - high.count, ats, low.count, high.count);
    }
    low.count += high.count;
    low.ttls += high.ttls;
    return low;
  }

  /** Waits, on the data loop, for the other half of a snapshot's walk: the data loop would wait for it anyway. */
  private static void awaitHelper(CompletableFuture<Void> half) {
    try {
      half.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
  }

  /**
   * Fills a database's snapshot arrays from one walk: up from the start, or down from the end. A key is taken with
   * its string by reference, or its value converted, and its expiry time when the database has TTLs.
   */
  private static final class Fill implements Consumer<Entry> {
    private final Db db;
    private final byte[][] keys;
    private final Object[] values;
    private final long[] ats;
    private final int step;
    private int next;
    int count;
    int ttls;

    Fill(Db db, byte[][] keys, Object[] values, long[] ats, int first, int step) {
      this.db = db;
      this.keys = keys;
      this.values = values;
      this.ats = ats;
      this.next = first;
      this.step = step;
    }

    @Override
    public void accept(Entry e) {
      Object v = e.value instanceof byte[] str ? str : RdbValues.toRdb(e.value);
      if (v == null) return;
      keys[next] = e.key();
      values[next] = v;
      if (ats != null) {
        long at = db.expireAt(e);
        ats[next] = at;
        if (at >= 0) ttls++;
      }
      next += step;
      count++;
    }
  }

  /** CONFIG RESETSTAT. */
  public void resetForkStats() {
    latestForkMicros = 0;
    totalForks = 0;
  }

  private Snapshot snapshot() {
    Keyspace ks = server.keyspace();
    List<DbRecord> dbs = new ArrayList<>();
    long total = 0;
    for (int i = 0; i < ks.databases(); i++) {
      Db db = ks.db(i);
      if (db.size() == 0) continue;
      // three arrays, not an object per key: the data loop waits while they are filled. Strings are kept by
      // reference (their arrays are copied before any change while a snapshot is in use), other types converted.
      // Keys whose TTL has passed but that are still here are written too, as Redis does: a master loading the file
      // counts them in rdb_last_load_keys_expired, a replica keeps them until its master's DEL
      int n = db.size();
      byte[][] keys = new byte[n][];
      Object[] values = new Object[n];
      long[] ats = db.expiresCount() > 0 ? new long[n] : null;
      Fill all = walk(db, keys, values, ats);
      total += all.count;
      dbs.add(new DbRecord(i, all.count, keys, values, ats, all.ttls));
    }
    Runtime rt = Runtime.getRuntime();
    RdbOptions options = RdbValues.options(server.config.getBool("rdbcompression"),
        server.config.getBool("rdbchecksum"), server.encodingLimits);
    // the replication position of exactly this data: a restarted node offers it for a partial resynchronization.
    // As Redis, a master that never had a backlog records no repl-stream-db: nobody can continue its history
    int streamDb = server.replicaRole().isReplica() || server.propagation().feeding()
        ? server.replicaRole().streamDb() : -1;
    return new Snapshot(dbs, total, server.repl.replId(), server.repl.offset(), streamDb,
        rt.totalMemory() - rt.freeMemory(), options, server.scriptInfo().libraryCodes());
  }

  /** Encodes a snapshot as an RDB file's bytes. */
  private void encode(Snapshot s, OutputStream out, boolean countProgress) throws IOException {
    encode(s, out, countProgress, false);
  }

  /**
   * Encodes a snapshot as an RDB file's bytes; as an AOF's base ({@code aofBase}) it says so in its aux fields and
   * carries no replication position, as Redis writes its preamble.
   */
  private void encode(Snapshot s, OutputStream out, boolean countProgress, boolean aofBase) throws IOException {
    RdbWriter w = new RdbWriter(out, s.options()).header();
    w.standardAux(System.currentTimeMillis() / 1000, s.usedMemory(), s.replStreamDb(),
        aofBase ? null : s.replId(), s.replOffset(), aofBase);
    for (byte[] code : s.functions()) w.function(code); // FUNCTION2 records, before the databases, as Redis
    int delay = server.config.getInt("rdb-key-save-delay");
    for (DbRecord db : s.dbs()) {
      w.selectDb(db.index());
      w.resizeDb(db.size(), db.expires());
      for (int k = 0; k < db.size(); k++) {
        Delays.perKey(delay);
        w.key(db.keys()[k], db.value(k), db.expireAt(k));
        if (countProgress) currentSaveKeysProcessed.incrementAndGet();
      }
    }
    w.finish();
  }

  /** Encodes a snapshot to the RDB file: a temporary file in {@code dir}, flushed to disk, then renamed. */
  private void write(Snapshot s, Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = dir.resolve("temp-" + ProcessHandle.current().pid() + "-" + (++tempCounter) + ".rdb");
    try {
      try (FileOutputStream fos = new FileOutputStream(tmp.toFile());
          BufferedOutputStream out = new BufferedOutputStream(fos, 1 << 16)) {
        encode(s, out, true);
        out.flush();
        fos.getFD().sync();
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private void saved(long startMillis, boolean background, boolean counted) {
    server.addDirty(-(dirtyAtSnapshot));
    lastSaveSeconds = System.currentTimeMillis() / 1000;
    if (counted) saves++;
    lastBgsaveOk = true;
    if (background) lastBgsaveSeconds = (System.currentTimeMillis() - startMillis) / 1000;
  }

  /** SAVE: encodes and writes on the data loop; returns null or the error to report. */
  public String save() {
    return save(true);
  }

  /**
   * The save FLUSHALL makes when save rules are configured: written as SAVE writes, but not counted in {@code
   * rdb_saves}, as in Redis.
   */
  public String saveAfterFlush() {
    return save(false);
  }

  private String save(boolean counted) {
    if (rdbChildRunning()) return "ERR Background save already in progress";
    long start = System.currentTimeMillis();
    lastSaveAttemptMillis = start;
    dirtyAtSnapshot = server.dirty();
    Snapshot s = snapshot();
    currentSaveKeysTotal = s.keys();
    currentSaveKeysProcessed.set(0);
    try {
      write(s, rdbPath());
    } catch (IOException | RuntimeException e) {
      server.log.warn("Failed saving the DB: " + e.getMessage());
      lastBgsaveOk = false;
      return "ERR " + e.getMessage();
    }
    saved(start, false, counted);
    server.log.info("DB saved on disk");
    return null;
  }

  /**
   * BGSAVE: takes the snapshot now and writes it on a worker thread. Returns false when a save is already
   * running.
   */
  public boolean bgsave() {
    if (rdbChildRunning() || aofChild) return false;
    bgsaveScheduled = false;
    long start = System.currentTimeMillis();
    lastSaveAttemptMillis = start;
    dirtyAtSnapshot = server.dirty();
    Snapshot s = childSnapshot();
    long pauseMicros = latestForkMicros;
    currentSaveKeysTotal = s.keys();
    currentSaveKeysProcessed.set(0);
    bgsaveInProgress = true;
    bgsaveStartMillis = start;
    server.log.info("Background saving started (snapshot of " + s.keys() + " keys took " + pauseMicros + " us)");
    Path target = rdbPath();
    vertx.<Void>executeBlocking(() -> {
      write(s, target);
      return null;
    }, false).onComplete(ar -> {
      bgsaveInProgress = false;
      if (ar.succeeded()) {
        saved(start, true, true);
        server.log.info("Background saving terminated with success");
      } else {
        lastBgsaveOk = false;
        lastBgsaveSeconds = (System.currentTimeMillis() - start) / 1000;
        server.log.warn("Background saving error: " + ar.cause().getMessage());
      }
    });
    return true;
  }

  /** The {@code save} rules: pairs of seconds and changes. */
  private long[] saveRules() {
    String text = server.config.get("save");
    if (text == null || text.isBlank()) return new long[0];
    String[] parts = text.trim().split("\\s+");
    long[] r = new long[parts.length - parts.length % 2];
    for (int i = 0; i < r.length; i++) r[i] = Long.parseLong(parts[i]);
    return r;
  }

  public boolean hasSaveRules() {
    return saveRules().length > 0;
  }

  /** Once per cron tick on the data loop: start the save a save rule asks for. */
  public void cron() {
    if (rdbChildRunning() || aofChild || loading) return;
    if (bgsaveScheduled) {
      bgsave();
      return;
    }
    long now = System.currentTimeMillis();
    long[] rules = saveRules();
    long sinceSave = now - lastSaveSeconds * 1000;
    for (int i = 0; i + 1 < rules.length; i += 2) {
      if (server.dirty() >= rules[i + 1] && sinceSave >= rules[i] * 1000
          && (lastBgsaveOk || now - lastSaveAttemptMillis > RETRY_DELAY_MILLIS)) {
        server.log.info(rules[i + 1] + " changes in " + rules[i] + " seconds. Saving...");
        bgsave();
        return;
      }
    }
  }

  // ---------------------------------------------------------------- loading

  /**
   * Loads the RDB file, if there is one, without blocking the data loop ({@link RdbLoader}): clients get
   * {@code -LOADING} meanwhile. Fails (and leaves the dataset empty) on a corrupt or truncated file, so that the
   * node refuses to serve half a dataset.
   */
  public Future<Void> loadAtStartup() {
    Path file = rdbPath();
    if (!Files.exists(file)) {
      loading = false;
      return Future.succeededFuture();
    }
    loading = true;
    loadKeysLoaded = loadKeysExpired = 0;
    long start = System.currentTimeMillis();
    // a node started with replicaof is a replica from the start, as in Redis: it keeps keys whose TTL passed (its
    // master's DELs remove them) and takes the file's history as its own
    String replicaOf = server.config.get("replicaof");
    boolean master = !server.keyspace().isReplica() && (replicaOf == null || replicaOf.isBlank());
    List<DroppedKey> dropped = new ArrayList<>();
    return RdbLoader.load(server, vertx, dataLoop, file, master,
            master ? (db, key) -> dropped.add(new DroppedKey(db, key)) : RdbLoader.ExpiredKeys.IGNORE, () -> true)
        .transform(ar -> {
          loading = false;
          if (ar.succeeded()) {
            loadKeysLoaded = ar.result().loaded();
            loadKeysExpired = ar.result().expired();
            server.log.info("Done loading RDB, keys loaded: " + loadKeysLoaded + ", keys expired: "
                + loadKeysExpired + ".");
            server.scriptInfo().replaceLibraries(ar.result().functions());
            server.log.info("DB loaded from disk: " + String.format(Locale.ROOT, "%.3f",
                (System.currentTimeMillis() - start) / 1000.0) + " seconds");
            History history = history(ar.result());
            if (master) {
              restartAsMaster(history, dropped);
            } else if (history != null) {
              server.repl.adopt(history.id(), history.offset());
              server.replicaRole().restoreStreamDb(history.streamDb());
              server.log.info("Replication history from the RDB file: " + history.id() + ":" + history.offset()
                  + " (stream db " + history.streamDb() + ")");
            }
            return Future.succeededFuture();
          }
          server.keyspace().flushAll();
          server.log.warn("Fatal error loading the DB from " + file + ": " + ar.cause().getMessage() + ". Exiting.");
          return Future.failedFuture(ar.cause());
        });
  }

  /** A key left out of the load because its TTL had passed while the node was down. */
  private record DroppedKey(int db, byte[] key) {}

  /** The replication history an RDB file recorded: {@code repl-id}, {@code repl-offset}, {@code repl-stream-db}. */
  private record History(String id, long offset, int streamDb) {}

  /**
   * The file's history, or null when it recorded none usable. As Redis, all three fields must be there: a master
   * that never had a backlog writes {@code repl-id} and {@code repl-offset} but no {@code repl-stream-db}, and no
   * replica can continue from such a file.
   */
  private History history(RdbLoader.Result r) {
    String id = r.aux("repl-id");
    String offset = r.aux("repl-offset");
    String streamDb = r.aux("repl-stream-db");
    if (!ReplicationIds.isValid(id) || offset == null || streamDb == null) return null;
    long off;
    int db;
    try {
      off = Long.parseLong(offset);
      db = Integer.parseInt(streamDb);
    } catch (NumberFormatException e) {
      server.log.warn("Ignoring the replication info of the RDB file: bad repl-offset or repl-stream-db");
      return null;
    }
    if (off < 0 || db < 0) return null;
    if (db >= server.keyspace().databases()) db = 0;
    return new History(id, off, db);
  }

  /**
   * A master comes back as Redis 7.0 does ({@code loadDataFromDisk}): with the fresh id it started with, the file's
   * history as its second id ({@link dev.vireo.replication.ReplicationState#restartFrom}) and a backlog from the
   * file's offset, so its former replicas continue with {@code +CONTINUE <new id>}. The keys that expired while it
   * was down go to that backlog as {@code DEL} (or {@code UNLINK} under {@code lazyfree-lazy-expire}), each after
   * the SELECT of its database, so those replicas drop them too and still continue partially. A file without a
   * history leaves no backlog (no replica could continue from it), though the offset has counted those DELs.
   */
  private void restartAsMaster(History history, List<DroppedKey> dropped) {
    if (history != null) {
      server.repl.restartFrom(history.id(), history.offset());
      server.log.info("Replication history from the RDB file kept as the second id: " + history.id() + " up to "
          + history.offset() + "; my replication id is " + server.repl.replId());
    }
    Propagation stream = server.propagation();
    stream.createBacklog();
    byte[] del = (server.config.getBool("lazyfree-lazy-expire") ? "UNLINK" : "DEL")
        .getBytes(StandardCharsets.US_ASCII);
    for (DroppedKey k : dropped) stream.propagate(k.db(), new byte[][] {del, k.key()});
    stream.flushStream();
    if (history == null) stream.freeBacklog();
  }

  /** A replica's full synchronization loaded the master's RDB: INFO's {@code rdb_last_load_keys_*} show it. */
  public void noteLoad(long loaded, long expired) {
    loadKeysLoaded = loaded;
    loadKeysExpired = expired;
  }

  /** DEBUG RELOAD: save, empty the keyspace and load the file again, all on the data loop. */
  public String reload() {
    String err = save();
    if (err != null) return err;
    server.keyspace().flushAll();
    try {
      RdbLoader.Result r = RdbLoader.loadNow(server, rdbPath(), !server.keyspace().isReplica());
      server.scriptInfo().replaceLibraries(r.functions());
      loadKeysLoaded = r.loaded();
      loadKeysExpired = r.expired();
    } catch (IOException | RuntimeException e) {
      return "ERR Error trying to load the RDB dump: " + e.getMessage();
    }
    return null;
  }

  // ---------------------------------------------------------------- INFO persistence

  /** The INFO persistence fields that depend on saving and loading, in Redis's order. */
  public void info(BiConsumer<String, Object> f) {
    long now = System.currentTimeMillis();
    f.accept("loading", loading || server.replicaRole().loading() ? 1 : 0);
    f.accept("async_loading", server.replicaRole().asyncLoading() ? 1 : 0);
    f.accept("current_cow_peak", 0);
    f.accept("current_cow_size", 0);
    f.accept("current_cow_size_age", 0);
    boolean child = rdbChildRunning();
    f.accept("current_fork_perc", child && currentSaveKeysTotal > 0
        ? String.format(Locale.ROOT, "%.2f", currentSaveKeysProcessed.get() * 100.0 / currentSaveKeysTotal)
        : "0.00");
    f.accept("current_save_keys_processed", child ? currentSaveKeysProcessed.get() : 0);
    f.accept("current_save_keys_total", child ? currentSaveKeysTotal : 0);
    f.accept("rdb_changes_since_last_save", server.dirty());
    f.accept("rdb_bgsave_in_progress", child ? 1 : 0);
    f.accept("rdb_last_save_time", lastSaveSeconds);
    f.accept("rdb_last_bgsave_status", lastBgsaveOk ? "ok" : "err");
    f.accept("rdb_last_bgsave_time_sec", lastBgsaveSeconds);
    f.accept("rdb_current_bgsave_time_sec", child ? (now - bgsaveStartMillis) / 1000 : -1);
    f.accept("rdb_saves", saves);
    f.accept("rdb_last_cow_size", 0);
    f.accept("rdb_last_load_keys_expired", loadKeysExpired);
    f.accept("rdb_last_load_keys_loaded", loadKeysLoaded);
  }
}
