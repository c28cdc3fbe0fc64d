package dev.vireo.persistence.aof;

import dev.vireo.persistence.Persistence;
import dev.vireo.server.AppendOnly;
import dev.vireo.server.Client;
import dev.vireo.server.Server;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The write side of the append-only file. Writes arrive as the units replicas receive ({@link #feed}), encoded
 * into a buffer with the AOF's own SELECTs; before a reply leaves ({@link #holdReply}) the buffer is written to the
 * current incremental file. {@code appendfsync always} holds the replies of every client served in an event-loop
 * turn until one write and one fsync at the end of that turn, as Redis syncs before it writes replies;
 * {@code everysec} syncs on a thread of its own once a second, and while that sync is still running a write waits,
 * for at most two seconds ({@code aof_delayed_fsync} counts the writes that stopped waiting), as in Redis; {@code
 * no} leaves it to the OS. A rewrite opens a new incremental file first (writes go there from then on), takes the
 * base from a snapshot as BGSAVE does, then switches the manifest at once and deletes what it replaced. Data loop
 * only, except the fsync thread.
 */
public final class AofWriter implements AppendOnly {
  private enum State { OFF, WAIT_REWRITE, ON }

  private static final long FSYNC_WAIT_MILLIS = 2000;

  private final Server server;
  private final Persistence persistence;
  private Context dataLoop;
  private State state = State.OFF;
  private AofManifest manifest;
  private FileChannel incr;
  private byte[] buf = new byte[1 << 16];
  private int len;
  private int selectedDb = -1;
  private long lastTimestamp;
  private boolean unsynced;
  private long postponedSince;
  private final ExecutorService fsyncThread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "vireo-aof-fsync");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean fsyncRunning = new AtomicBoolean();
  private long lastFsyncMillis;

  // INFO persistence
  private long currentSize;
  private long baseSize;
  private long delayedFsync;
  private boolean rewriting;
  private boolean rewriteScheduled;
  private long rewriteStartMillis;
  private long lastRewriteSeconds = -1;
  private boolean lastRewriteOk = true;
  private long rewrites;
  private long consecutiveFailures;
  private boolean lastWriteOk = true;
  /** The size the AOF had after its last rewrite (auto-aof-rewrite-percentage grows from it). */
  private long sizeAtRewrite;

  public AofWriter(Server server, Persistence persistence) {
    this.server = server;
    this.persistence = persistence;
  }

  /** {@code appendfsync}, {@code aof-timestamp-enabled} and {@code no-appendfsync-on-rewrite}, kept as fields. */
  private String policy = "everysec";
  private boolean timestamps;
  private boolean noFsyncOnRewrite;

  /** Called on the data loop. */
  public void start(Vertx vertx) {
    this.dataLoop = vertx.getOrCreateContext();
    Runnable settings = () -> {
      policy = server.config.get("appendfsync");
      timestamps = server.config.getBool("aof-timestamp-enabled");
      noFsyncOnRewrite = server.config.getBool("no-appendfsync-on-rewrite");
    };
    settings.run();
    for (String name : new String[] {"appendfsync", "aof-timestamp-enabled", "no-appendfsync-on-rewrite"}) {
      server.config.onChange(name, v -> settings.run());
    }
    server.config.onChange("appendonly", v -> {
      boolean want = server.config.getBool("appendonly");
      if (want && state == State.OFF) enable();
      else if (!want && state != State.OFF) disable();
    });
  }

  private Path dir() {
    return Path.of(server.config.get("dir")).resolve(server.config.get("appenddirname"));
  }

  private String name() {
    return server.config.get("appendfilename");
  }

  // ------------------------------------------------------------------------------------------------- feeding

  @Override
  public boolean on() {
    return state != State.OFF;
  }

  @Override
  public void feed(int db, byte[][] argv) {
    if (state == State.OFF || incr == null) return;
    if (timestamps) {
      long now = System.currentTimeMillis() / 1000;
      if (now != lastTimestamp) {
        lastTimestamp = now;
        append(("#TS:" + now + "\r\n").getBytes(StandardCharsets.US_ASCII));
      }
    }
    if (db >= 0 && db != selectedDb) {
      byte[] n = Integer.toString(db).getBytes(StandardCharsets.US_ASCII);
      command(new byte[][] {SELECT, n});
      selectedDb = db;
    }
    command(argv);
  }

  private static final byte[] SELECT = "SELECT".getBytes(StandardCharsets.US_ASCII);

  private void command(byte[][] argv) {
    header('*', argv.length);
    for (byte[] a : argv) {
      header('$', a.length);
      append(a);
      crlf();
    }
  }

  private void header(char type, int n) {
    ensure(24);
    buf[len++] = (byte) type;
    byte[] digits = Integer.toString(n).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(digits, 0, buf, len, digits.length);
    len += digits.length;
    crlf();
  }

  private void crlf() {
    ensure(2);
    buf[len++] = '\r';
    buf[len++] = '\n';
  }

  private void append(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
  }

  private void ensure(int n) {
    if (len + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
  }

  // ------------------------------------------------------------------------------------------------- writing

  @Override
  public boolean holdReply(Client c) {
    if (state == State.OFF) return false;
    if (!"always".equals(policy)) {
      if (len > 0) write(false);
      return false;
    }
    if (len == 0) return false;
    // appendfsync always: the replies of everyone served in this turn wait for one write and one fsync
    held.add(c);
    if (!syncScheduled) {
      syncScheduled = true;
      dataLoop.runOnContext(v -> syncAndRelease());
    }
    return true;
  }

  private final Set<Client> held = new LinkedHashSet<>();
  private boolean syncScheduled;

  private void syncAndRelease() {
    syncScheduled = false;
    if (len > 0) write(true);
    List<Client> clients = new ArrayList<>(held);
    held.clear();
    for (Client c : clients) c.flush();
  }

  @Override
  public void cron() {
    if (state == State.OFF) return;
    if (len > 0 || postponedSince != 0) write(false);
    else if (unsynced && "everysec".equals(policy)) backgroundFsync();
    maybeAutoRewrite();
    if (rewriteScheduled && !rewriting && !persistence.bgsaveInProgress() && !persistence.aofRewriteRunning()) {
      rewrite();
    }
  }

  /**
   * Writes the buffer to the current incremental file. With {@code everysec}, a write waits while the previous
   * fsync runs, for up to two seconds; {@code force} writes regardless (shutdown, rewrite start).
   */
  private void write(boolean force) {
    if (incr == null) return;
    boolean everysec = "everysec".equals(policy);
    if (everysec && !force && fsyncRunning.get()) {
      long now = System.currentTimeMillis();
      if (postponedSince == 0) {
        postponedSince = now;
        return;
      }
      if (now - postponedSince < FSYNC_WAIT_MILLIS) return;
      delayedFsync++;
      server.log.warn("Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without "
          + "waiting for fsync to complete, this may slow down Redis.");
    }
    postponedSince = 0;
    if (len > 0) {
      try {
        ByteBuffer b = ByteBuffer.wrap(buf, 0, len);
        while (b.hasRemaining()) incr.write(b);
        currentSize += len;
        len = 0;
        unsynced = true;
        if (!lastWriteOk) server.log.info("AOF write error looks solved, Redis can write again.");
        lastWriteOk = true;
      } catch (IOException e) {
        lastWriteOk = false;
        server.log.warn("Error writing to the AOF file: " + e.getMessage());
        return; // kept in the buffer, tried again at the next reply or cron tick
      }
    }
    if (noFsyncOnRewrite && (rewriting || persistence.bgsaveInProgress())) return;
    if ("always".equals(policy)) {
      try {
        incr.force(false);
        unsynced = false;
        lastFsyncMillis = System.currentTimeMillis();
      } catch (IOException e) {
        lastWriteOk = false;
        server.log.warn("Can't persist AOF for fsync error when the AOF fsync policy is 'always': "
            + e.getMessage());
      }
    } else if (everysec) {
      backgroundFsync();
    }
  }

  /** {@code everysec}: an fsync on the fsync thread when a second has passed since the last one. */
  private void backgroundFsync() {
    long now = System.currentTimeMillis();
    if (!unsynced || now - lastFsyncMillis < 1000 || fsyncRunning.get()) return;
    FileChannel ch = incr;
    fsyncRunning.set(true);
    unsynced = false;
    lastFsyncMillis = now;
    fsyncThread.execute(() -> {
      try {
        ch.force(false);
      } catch (IOException e) {
        // a closed or failing file: the next write reports it
      } finally {
        fsyncRunning.set(false);
      }
    });
  }

  // ------------------------------------------------------------------------------------------------- lifecycle

  /**
   * At startup, after the dataset was loaded (from the AOF when one exists): appends go on in the manifest's last
   * incremental file, or, with no AOF on disk, a first base is written from the dataset.
   */
  public Future<Void> openAtStart(AofManifest loaded) {
    if (!server.config.getBool("appendonly")) return Future.succeededFuture();
    try {
      Files.createDirectories(dir());
      if (loaded != null) {
        manifest = loaded;
        if (!manifest.history.isEmpty()) {
          // a rewrite ended before it could delete what it replaced: delete it now, as Redis does at startup
          for (AofManifest.AofFile f : manifest.history) Files.deleteIfExists(dir().resolve(f.name()));
          manifest.history.clear();
          manifest.persist(dir(), name());
        }
        if (manifest.incr.isEmpty()) {
          openNewIncr();
          manifest.persist(dir(), name());
        } else {
          AofManifest.AofFile last = manifest.incr.get(manifest.incr.size() - 1);
          incr = FileChannel.open(dir().resolve(last.name()), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
              StandardOpenOption.APPEND);
        }
        state = State.ON;
        currentSize = totalSize();
        baseSize = manifest.base == null ? 0 : size(manifest.base.name());
        sizeAtRewrite = currentSize;
        return Future.succeededFuture();
      }
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    startupBase = true;
    return enable();
  }

  /** {@code appendonly yes} at run time (or a first start): writes are kept from now, the base is written first. */
  private Future<Void> enable() {
    state = State.WAIT_REWRITE;
    selectedDb = -1;
    Promise<Void> done = Promise.promise();
    pendingEnable = done;
    if (persistence.bgsaveInProgress() || persistence.aofRewriteRunning()) {
      rewriteScheduled = true;
    } else {
      rewrite();
    }
    return done.future();
  }

  private Promise<Void> pendingEnable;

  /** {@code appendonly no}: the buffer is written and synced, the file closed. */
  private void disable() {
    if (rewriting) {
      // a rewrite in progress is abandoned, as Redis kills its child: its base never replaces what is on disk
      rewriting = false;
      rewriteGeneration++;
      try {
        if (rewriteTemp != null) Files.deleteIfExists(rewriteTemp); // the base being written goes at once
      } catch (IOException e) {
        server.log.warn("Can't remove the rewrite's temporary file: " + e.getMessage());
      }
    }
    write(true);
    try {
      if (incr != null) {
        incr.force(false);
        incr.close();
      }
    } catch (IOException e) {
      server.log.warn("Error closing the AOF: " + e.getMessage());
    }
    incr = null;
    len = 0;
    state = State.OFF;
    rewriteScheduled = false;
  }

  /** Writes and syncs what is buffered, whatever the policy (DEBUG LOADAOF reads the files next). */
  public void flush() {
    if (state == State.OFF) return;
    write(true);
    try {
      if (incr != null) incr.force(false);
    } catch (IOException e) {
      server.log.warn("Error syncing the AOF: " + e.getMessage());
    }
  }

  @Override
  public void restartAfterSync() {
    if (state == State.OFF) return;
    if (rewriting) {
      restartPending = true; // the base being written holds the old dataset: start over when it is done
      return;
    }
    disable();
    enable();
  }

  private boolean restartPending;
  /** Which rewrite is current: one whose number is no longer current was cancelled. */
  private long rewriteGeneration;
  private Path rewriteTemp;
  /** The next rewrite writes the first base of a node started with appendonly yes and no AOF on disk. */
  private boolean startupBase;

  /** After a rewrite ends: a restart asked for meanwhile runs now. */
  private void restartIfPending() {
    if (!restartPending) return;
    restartPending = false;
    disable();
    enable();
  }

  @Override
  public void shutdown() {
    flush();
  }

  // ------------------------------------------------------------------------------------------------- rewrite

  /** BGREWRITEAOF: null when it started, else Redis's status or error text (in the reply's own words). */
  public String bgrewrite() {
    if (rewriting) return "ERR Background append only file rewriting already in progress";
    if (persistence.bgsaveInProgress()) {
      rewriteScheduled = true;
      consecutiveFailures = 0;
      return "+Background append only file rewriting scheduled";
    }
    return rewrite() ? null : "ERR Can't execute an AOF background rewriting. Please check the server logs for "
        + "more information.";
  }

  public boolean rewriting() {
    return rewriting;
  }

  private boolean rewrite() {
    rewriteScheduled = false;
    Path dir = dir();
    try {
      Files.createDirectories(dir);
      if (state == State.ON) {
        write(true);
        if (incr != null) incr.force(false);
      }
      // writes made from now on go to a new incremental file, listed at once when a manifest exists; with the
      // AOF off (BGREWRITEAOF alone) only a base is written
      if (manifest == null) manifest = AofManifest.load(dir, name());
      if (manifest == null) manifest = new AofManifest();
      if (state != State.OFF) {
        if (incr != null) incr.close();
        openNewIncr();
        if (state == State.ON) manifest.persist(dir, name());
      }
    } catch (IOException | AofManifest.ManifestException e) {
      server.log.warn("Can't open the append-only file for the rewrite: " + e.getMessage());
      failed(null);
      return false;
    }
    boolean rdb = server.config.getBool("aof-use-rdb-preamble");
    Path tmp = dir.resolve("temp-rewriteaof-bg-" + ProcessHandle.current().pid() + ".aof");
    rewriting = true;
    rewriteStartMillis = System.currentTimeMillis();
    server.log.info("Background append only file rewriting started");
    long generation = ++rewriteGeneration;
    rewriteTemp = tmp;
    boolean atStart = startupBase;
    startupBase = false;
    if (!atStart) rewrites++; // counted when it starts, as Redis counts it
    persistence.writeAofBase(tmp, rdb).onComplete(ar -> {
      if (generation != rewriteGeneration) { // cancelled by appendonly no: the AOF on disk stays as it was
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // nothing more to do
        }
        return;
      }
      rewriting = false;
      if (ar.failed()) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // nothing more to do
        }
        failed(ar.cause());
        return;
      }
      try {
        rewriteDone(tmp, rdb, ar.result(), atStart);
      } catch (IOException e) {
        failed(e);
      }
    });
    return true;
  }

  private void openNewIncr() throws IOException {
    manifest.incrSeq++;
    String n = AofManifest.incrName(name(), manifest.incrSeq);
    incr = FileChannel.open(dir().resolve(n), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
    manifest.incr.add(new AofManifest.AofFile(n, manifest.incrSeq, 'i'));
    selectedDb = -1;
  }

  /** The base is on disk: it replaces the old base and every incremental file but the current one. */
  private void rewriteDone(Path tmp, boolean rdb, long size, boolean atStart) throws IOException {
    Path dir = dir();
    manifest.baseSeq++;
    String baseName = AofManifest.baseName(name(), manifest.baseSeq, rdb);
    Files.move(tmp, dir.resolve(baseName), StandardCopyOption.ATOMIC_MOVE);
    List<AofManifest.AofFile> old = new ArrayList<>(manifest.history);
    if (manifest.base != null) old.add(manifest.base);
    AofManifest.AofFile current = state == State.OFF || manifest.incr.isEmpty() ? null
        : manifest.incr.get(manifest.incr.size() - 1);
    for (AofManifest.AofFile f : manifest.incr) if (f != current) old.add(f);
    manifest.base = new AofManifest.AofFile(baseName, manifest.baseSeq, 'b');
    manifest.incr.clear();
    if (current != null) manifest.incr.add(current);
    manifest.history.clear();
    for (AofManifest.AofFile f : old) {
      manifest.history.add(new AofManifest.AofFile(f.name(), f.seq(), 'h'));
    }
    manifest.persist(dir, name());
    // the history is no longer named by the manifest that counts: delete it
    for (AofManifest.AofFile f : old) Files.deleteIfExists(dir.resolve(f.name()));
    manifest.history.clear();
    manifest.persist(dir, name());
    if (atStart) {
      // the base a first start creates is no rewrite: Redis counts and measures nothing for it
      server.log.info("Creating AOF base file " + baseName + " on server start");
    } else {
      baseSize = size;
      currentSize = totalSize();
      sizeAtRewrite = currentSize;
      lastRewriteOk = true;
      consecutiveFailures = 0;
      lastRewriteSeconds = (System.currentTimeMillis() - rewriteStartMillis) / 1000;
      server.log.info("Background AOF rewrite finished successfully");
    }
    if (state == State.WAIT_REWRITE) {
      state = State.ON;
      if (pendingEnable != null) pendingEnable.tryComplete();
      pendingEnable = null;
    }
    restartIfPending();
  }

  private void failed(Throwable cause) {
    lastRewriteOk = false;
    consecutiveFailures++;
    lastRewriteSeconds = (System.currentTimeMillis() - rewriteStartMillis) / 1000;
    server.log.warn("Background AOF rewrite failed" + (cause == null ? "" : ": " + cause.getMessage()));
    if (state == State.WAIT_REWRITE && pendingEnable != null) {
      pendingEnable.tryFail(cause == null ? new IOException("AOF rewrite failed") : cause);
      pendingEnable = null;
      disable();
    }
    restartIfPending();
  }

  /** {@code auto-aof-rewrite-percentage} and {@code -min-size}: a rewrite once the AOF grew enough. */
  private void maybeAutoRewrite() {
    if (state != State.ON || rewriting || rewriteScheduled || persistence.bgsaveInProgress()
        || persistence.aofRewriteRunning()) {
      return;
    }
    long pct = server.config.getLong("auto-aof-rewrite-percentage");
    long min = server.config.getLong("auto-aof-rewrite-min-size");
    if (pct <= 0 || currentSize < min) return;
    long base = sizeAtRewrite > 0 ? sizeAtRewrite : 1;
    long growth = (currentSize * 100 / base) - 100;
    if (growth >= pct) {
      server.log.info("Starting automatic rewriting of AOF on " + growth + "% growth");
      rewrite();
    }
  }

  private long totalSize() {
    long total = 0;
    if (manifest.base != null) total += size(manifest.base.name());
    for (AofManifest.AofFile f : manifest.incr) total += size(f.name());
    return total;
  }

  private long size(String file) {
    try {
      return Files.size(dir().resolve(file));
    } catch (IOException e) {
      return 0;
    }
  }

  // ------------------------------------------------------------------------------------------------- INFO

  /** The AOF fields of INFO persistence, in Redis's order. */
  public void info(StringBuilder sb) {
    field(sb, "aof_enabled", state != State.OFF ? 1 : 0);
    field(sb, "aof_rewrite_in_progress", rewriting ? 1 : 0);
    field(sb, "aof_rewrite_scheduled", rewriteScheduled ? 1 : 0);
    field(sb, "aof_last_rewrite_time_sec", lastRewriteSeconds);
    field(sb, "aof_current_rewrite_time_sec",
        rewriting ? (System.currentTimeMillis() - rewriteStartMillis) / 1000 : -1);
    field(sb, "aof_last_bgrewrite_status", lastRewriteOk ? "ok" : "err");
    field(sb, "aof_rewrites", rewrites);
    field(sb, "aof_rewrites_consecutive_failures", consecutiveFailures);
    field(sb, "aof_last_write_status", lastWriteOk ? "ok" : "err");
    field(sb, "aof_last_cow_size", 0);
  }

  /** The fields INFO persistence adds while the AOF is on. */
  public void infoWhenOn(StringBuilder sb) {
    if (state != State.ON) return;
    field(sb, "aof_current_size", currentSize);
    field(sb, "aof_base_size", baseSize);
    field(sb, "aof_pending_rewrite", rewriteScheduled ? 1 : 0);
    field(sb, "aof_buffer_length", len);
    field(sb, "aof_pending_bio_fsync", fsyncRunning.get() ? 1 : 0);
    field(sb, "aof_delayed_fsync", delayedFsync);
  }

  private static void field(StringBuilder sb, String name, Object value) {
    sb.append(name).append(':').append(value).append("\r\n");
  }
}
