package dev.vireo.persistence;

import dev.vireo.persistence.rdb.RdbOptions;
import dev.vireo.persistence.rdb.RdbValue;
import dev.vireo.persistence.rdb.RdbWriter;
import dev.vireo.replication.ReplicationIds;
import dev.vireo.server.Server;
import dev.vireo.server.Snapshots;
import dev.vireo.util.Delays;
import dev.vireo.store.Db;
import dev.vireo.store.Keyspace;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

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
  private boolean bgsaveScheduled;
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
  private int replicationEncoders;

  /** One key of a snapshot. */
  private record KeyRecord(byte[] key, RdbValue value, long expireAt) {}

  /** One database of a snapshot. */
  private record DbRecord(int index, List<KeyRecord> keys, long expires) {}

  /** The dataset as of one instant, ready to be encoded off the data loop. */
  private record Snapshot(List<DbRecord> dbs, long keys, String replId, long replOffset, int replStreamDb,
      long usedMemory, RdbOptions options, List<byte[]> functions) {}

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

  public boolean loading() {
    return loading;
  }

  // ---------------------------------------------------------------- saving

  /**
   * A snapshot for a full resynchronization, as of now, at the replication offset {@code offset} of history
   * {@code replId}. {@code withData} false gives an RDB without keys (a replica that asked for no data). Until
   * {@link ReplicationSnapshot#release} values are copied before in-place changes, as during BGSAVE.
   */
  public ReplicationSnapshot replicationSnapshot(boolean withData) {
    Snapshot s = withData ? snapshot() : new Snapshot(List.of(), 0, server.repl.replId(), server.repl.offset(),
        server.replicaRole().streamDb(), 0, RdbValues.options(server.config.getBool("rdbcompression"),
            server.config.getBool("rdbchecksum"), server.encodingLimits), server.scriptInfo().libraryCodes());
    replicationEncoders++;
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
      encode(s, out, false);
    }

    /** Data loop: the snapshot's values are no longer read. */
    public void release() {
      if (!released) {
        released = true;
        replicationEncoders--;
      }
    }
  }

  /** True while some snapshot's values may still be read off the data loop. */
  public boolean snapshotInUse() {
    return bgsaveInProgress || replicationEncoders > 0;
  }

  private Snapshot snapshot() {
    Keyspace ks = server.keyspace();
    long now = ks.tick();
    List<DbRecord> dbs = new ArrayList<>();
    long total = 0;
    for (int i = 0; i < ks.databases(); i++) {
      Db db = ks.db(i);
      if (db.size() == 0) continue;
      List<KeyRecord> keys = new ArrayList<>(db.size());
      long[] expires = {0};
      db.forEach(e -> {
        long at = e.expireAt();
        if (at >= 0 && at <= now) return; // already expired: a master would not load it anyway
        RdbValue v = RdbValues.toRdb(e.value);
        if (v == null) return;
        if (at >= 0) expires[0]++;
        keys.add(new KeyRecord(e.key(), v, at));
      });
      total += keys.size();
      dbs.add(new DbRecord(i, keys, expires[0]));
    }
    Runtime rt = Runtime.getRuntime();
    RdbOptions options = RdbValues.options(server.config.getBool("rdbcompression"),
        server.config.getBool("rdbchecksum"), server.encodingLimits);
    // the replication position of exactly this data: a restarted node offers it for a partial resynchronization
    return new Snapshot(dbs, total, server.repl.replId(), server.repl.offset(), server.replicaRole().streamDb(),
        rt.totalMemory() - rt.freeMemory(), options, server.scriptInfo().libraryCodes());
  }

  /** Encodes a snapshot as an RDB file's bytes. */
  private void encode(Snapshot s, OutputStream out, boolean countProgress) throws IOException {
    RdbWriter w = new RdbWriter(out, s.options()).header();
    w.standardAux(System.currentTimeMillis() / 1000, s.usedMemory(), s.replStreamDb(), s.replId(),
        s.replOffset(), false);
    for (byte[] code : s.functions()) w.function(code); // FUNCTION2 records, before the databases, as Redis
    int delay = server.config.getInt("rdb-key-save-delay");
    for (DbRecord db : s.dbs()) {
      w.selectDb(db.index());
      w.resizeDb(db.keys().size(), db.expires());
      for (KeyRecord k : db.keys()) {
        Delays.perKey(delay);
        w.key(k.key(), k.value(), k.expireAt());
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

  private void saved(Snapshot s, long startMillis, boolean background) {
    server.addDirty(-(dirtyAtSnapshot));
    lastSaveSeconds = System.currentTimeMillis() / 1000;
    saves++;
    lastBgsaveOk = true;
    if (background) lastBgsaveSeconds = (System.currentTimeMillis() - startMillis) / 1000;
  }

  /** SAVE: encodes and writes on the data loop; returns null or the error to report. */
  public String save() {
    if (bgsaveInProgress) return "ERR Background save already in progress";
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
    saved(s, start, false);
    server.log.info("DB saved on disk");
    return null;
  }

  /**
   * BGSAVE: takes the snapshot now and writes it on a worker thread. Returns false when a save is already
   * running.
   */
  public boolean bgsave() {
    if (bgsaveInProgress) return false;
    long start = System.currentTimeMillis();
    lastSaveAttemptMillis = start;
    dirtyAtSnapshot = server.dirty();
    long t0 = System.nanoTime();
    Snapshot s = snapshot();
    long pauseMicros = (System.nanoTime() - t0) / 1000;
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
        saved(s, start, true);
        server.log.info("Background saving terminated with success");
      } else {
        lastBgsaveOk = false;
        lastBgsaveSeconds = (System.currentTimeMillis() - start) / 1000;
        server.log.warn("Background saving error: " + ar.cause().getMessage());
      }
    });
    return true;
  }

  /** BGSAVE SCHEDULE while a save runs: another one starts when it ends. */
  public void scheduleBgsave() {
    bgsaveScheduled = true;
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

  /** Once per cron tick on the data loop: start a scheduled save, or one that a save rule asks for. */
  public void cron() {
    if (bgsaveInProgress || loading) return;
    if (bgsaveScheduled) {
      bgsaveScheduled = false;
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
    if (!Files.exists(file)) return Future.succeededFuture();
    loading = true;
    loadKeysLoaded = loadKeysExpired = 0;
    long start = System.currentTimeMillis();
    return RdbLoader.load(server, vertx, dataLoop, file, !server.keyspace().isReplica(), () -> true)
        .transform(ar -> {
          loading = false;
          if (ar.succeeded()) {
            loadKeysLoaded = ar.result().loaded();
            loadKeysExpired = ar.result().expired();
            restoreReplicationInfo(ar.result());
            server.scriptInfo().replaceLibraries(ar.result().functions());
            server.log.info("DB loaded from disk: " + String.format(Locale.ROOT, "%.3f",
                (System.currentTimeMillis() - start) / 1000.0) + " seconds (" + loadKeysLoaded + " keys, "
                + loadKeysExpired + " expired)");
            return Future.succeededFuture();
          }
          server.keyspace().flushAll();
          server.log.warn("Fatal error loading the DB from " + file + ": " + ar.cause().getMessage() + ". Exiting.");
          return Future.failedFuture(ar.cause());
        });
  }

  /**
   * The file's {@code repl-id}, {@code repl-offset} and {@code repl-stream-db} become this node's history, as in
   * Redis: following a master afterwards (the {@code replicaof} directive or REPLICAOF) asks it for a partial
   * resynchronization from the byte after the data just loaded. Files without them (or with unusable values)
   * leave the fresh id and offset 0.
   */
  private void restoreReplicationInfo(RdbLoader.Result r) {
    String id = r.aux("repl-id");
    String offset = r.aux("repl-offset");
    if (!ReplicationIds.isValid(id) || offset == null) return;
    long off;
    int db = 0;
    try {
      off = Long.parseLong(offset);
      String streamDb = r.aux("repl-stream-db");
      if (streamDb != null) db = Integer.parseInt(streamDb);
    } catch (NumberFormatException e) {
      server.log.warn("Ignoring the replication info of the RDB file: bad repl-offset or repl-stream-db");
      return;
    }
    if (off < 0) return;
    if (db < 0 || db >= server.keyspace().databases()) db = 0;
    server.repl.adopt(id, off);
    server.replicaRole().restoreStreamDb(db);
    server.log.info("Replication history from the RDB file: " + id + ":" + off + " (stream db " + db + ")");
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
    f.accept("current_fork_perc", bgsaveInProgress && currentSaveKeysTotal > 0
        ? String.format(Locale.ROOT, "%.2f", currentSaveKeysProcessed.get() * 100.0 / currentSaveKeysTotal)
        : "0.00");
    f.accept("current_save_keys_processed", bgsaveInProgress ? currentSaveKeysProcessed.get() : 0);
    f.accept("current_save_keys_total", bgsaveInProgress ? currentSaveKeysTotal : 0);
    f.accept("rdb_changes_since_last_save", server.dirty());
    f.accept("rdb_bgsave_in_progress", bgsaveInProgress ? 1 : 0);
    f.accept("rdb_last_save_time", lastSaveSeconds);
    f.accept("rdb_last_bgsave_status", lastBgsaveOk ? "ok" : "err");
    f.accept("rdb_last_bgsave_time_sec", lastBgsaveSeconds);
    f.accept("rdb_current_bgsave_time_sec", bgsaveInProgress ? (now - bgsaveStartMillis) / 1000 : -1);
    f.accept("rdb_saves", saves);
    f.accept("rdb_last_cow_size", 0);
    f.accept("rdb_last_load_keys_expired", loadKeysExpired);
    f.accept("rdb_last_load_keys_loaded", loadKeysLoaded);
  }
}
