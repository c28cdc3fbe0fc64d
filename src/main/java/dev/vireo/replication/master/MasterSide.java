package dev.vireo.replication.master;

import dev.vireo.bus.Addresses;
import dev.vireo.bus.LocalCodec;
import dev.vireo.observability.SpanNames;
import dev.vireo.observability.Tracing;
import dev.vireo.persistence.Persistence;
import dev.vireo.replication.ReplicationIds;
import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.server.Blocking;
import dev.vireo.server.Client;
import dev.vireo.server.OutputBufferLimits;
import dev.vireo.server.Propagation;
import dev.vireo.server.Server;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The master side of replication: replicas as clients (REPLCONF, PSYNC, SYNC), full resynchronizations from a
 * snapshot (disk-based {@code $<len>} or diskless {@code $EOF:<mark>}), the backlog and partial
 * resynchronizations ({@code +CONTINUE}), the command stream with its SELECTs and PINGs, acknowledgements, WAIT,
 * {@code min-replicas-to-write} and the replica output-buffer limit. On a replica the same machinery serves
 * sub-replicas with the exact bytes of its master's stream.
 *
 * <p>The stream is held once, in the shared replication buffer ({@link Backlog}, Redis 7.0's replication buffer):
 * the backlog and every replica's pending output are references into it, and client-output-buffer-limit replica is
 * checked against a replica's share of it.
 *
 * <p>Threads: everything runs on the data loop except encoding a snapshot, which runs on a worker and writes to
 * sockets or a file (the values it reads are copied before any in-place change meanwhile, as during BGSAVE), and
 * the writes of the stream to online replicas, which the {@link PropagationVerticle} does from the shared buffer,
 * told once per data-loop turn that the stream moved.
 */
public final class MasterSide implements Propagation {
  private static final byte[] CRLF = {'\r', '\n'};
  private static final int CHUNK = 64 * 1024;

  private final Server server;
  private Vertx vertx;
  private Backlog backlog;
  private final List<ServedReplica> replicas = new ArrayList<>();
  /** The database the stream last selected; -1 forces a SELECT before the next command. */
  private int selectedDb = -1;
  /** Stream bytes fed this turn, not yet announced to the fan-out. */
  private long fed;
  private byte[] scratch = new byte[256];
  private boolean getAckRequested;
  private long noReplicasSinceMillis = System.currentTimeMillis();
  /** False while this node follows a master: tells a master turning into a replica from other role changes. */
  private boolean actingAsMaster = true;
  /** Runs of the once-a-second cron, for the PING cadence; the start counts as run 0 (no replica yet then). */
  private long cronLoops = 1;
  private long tempCounter;
  /** A disk-based transfer whose file is still being written: new disk replicas attach to it. */
  private SyncJob writingDiskJob;
  private final List<WaitingClient> waiting = new ArrayList<>();

  public long syncFull;
  public long syncPartialOk;
  public long syncPartialErr;

  private final Persistence persistence;
  private final Failover failover;
  /** Where the writes of each loop turn go to be sent to the online replicas ({@link PropagationVerticle}). */
  private final String fanoutAddress;

  public MasterSide(Server server, Persistence persistence) {
    this.server = server;
    this.persistence = persistence;
    this.fanoutAddress = Addresses.REPLICATION_FANOUT + "." + server.runId;
    this.failover = new Failover(server, this);
  }

  /** The coordinated failover ({@code FAILOVER}) this node runs, or answers as its target. */
  public Failover failover() {
    return failover;
  }

  /** Called on the data loop once the node runs: the once-a-second replication cron, and the fan-out verticle. */
  @Override
  public Future<?> start(Vertx vertx) {
    this.vertx = vertx;
    failover.start(vertx);
    vertx.setPeriodic(1000, id -> cron());
    server.config.onChange("repl-backlog-size", v -> {
      // as Redis: a backlog smaller than 16kb is 16kb, and CONFIG GET says so
      if (server.config.getLong("repl-backlog-size") < Backlog.MIN_SIZE) {
        server.config.apply("repl-backlog-size", Long.toString(Backlog.MIN_SIZE));
      }
      if (backlog != null) backlog.resize(server.config.getLong("repl-backlog-size"));
    });
    return vertx.deployVerticle(new PropagationVerticle(fanoutAddress));
  }

  public List<ServedReplica> replicas() {
    return replicas;
  }

  /** True once a backlog exists: writes are fed to the stream (before that, Redis too leaves the offset alone). */
  public boolean feeding() {
    return backlog != null;
  }

  public Backlog backlog() {
    return backlog;
  }

  /** At startup on a master: a backlog from the current offset; the next command selects its database. */
  @Override
  public void createBacklog() {
    if (backlog == null) backlog = new Backlog(server.config.getLong("repl-backlog-size"), server.repl.offset());
    selectedDb = -1;
  }

  /** At startup on a master whose file recorded no history: no replica can continue, so no backlog is kept. */
  @Override
  public void freeBacklog() {
    backlog = null;
    fed = 0;
    selectedDb = -1;
  }

  // ---------------------------------------------------------------- REPLCONF

  /**
   * {@code REPLCONF <option> <value> [<option> <value> ...]}: listening-port, ip-address, capa, rdb-only,
   * rdb-filter-only, ack, getack, and Vireo's traceparent. ACK and GETACK get no reply.
   */
  public void replconf(Client c, Args a) {
    if (a.count() % 2 == 0) throw new CommandError("ERR syntax error");
    ServedReplica r = declared(c);
    for (int i = 1; i < a.count(); i += 2) {
      String opt = a.lower(i);
      switch (opt) {
        case "listening-port" -> r.listeningPort = (int) a.longArg(i + 1);
        case "ip-address" -> {
          // Redis takes a host name here too: up to 255 bytes
          if (a.len(i + 1) >= 256) {
            throw new CommandError("ERR REPLCONF ip-address provided by replica instance is too long: "
                + a.len(i + 1) + " bytes");
          }
          r.announcedIp = a.str(i + 1);
        }
        case "capa" -> {
          if (a.is(i + 1, "eof")) r.capaEof = true;
          else if (a.is(i + 1, "psync2")) r.capaPsync2 = true;
        }
        case "rdb-only" -> {
          long v = a.longArg(i + 1);
          if (v < 0 || v > 1) throw new CommandError("ERR value is out of range, value must between 0 and 1");
          r.rdbOnly = v == 1;
        }
        case "rdb-filter-only" -> {
          // the only filter Redis knows is "functions"; an empty list asks for an RDB without keys
          String f = a.str(i + 1).trim();
          for (String w : f.isEmpty() ? new String[0] : f.split("\\s+")) {
            if (!w.equalsIgnoreCase("functions")) {
              throw new CommandError("ERR Unsupported rdb-filter-only option: " + w);
            }
          }
          r.rdbNoData = true;
        }
        case "ack" -> {
          if (c.replica != null) ack(r, a, i + 1);
          return;
        }
        case "getack" -> {
          server.replicaRole().ackNow();
          return;
        }
        case "traceparent" -> r.traceparent = a.str(i + 1);
        default -> throw new CommandError("ERR Unrecognized REPLCONF option: " + a.str(i));
      }
    }
    c.out.ok();
  }

  /** The replica record of a connection, created by its first REPLCONF. */
  private ServedReplica declared(Client c) {
    if (c.replica != null) return (ServedReplica) c.replica;
    if (c.replicaDeclaration == null) c.replicaDeclaration = new ServedReplica(c);
    return (ServedReplica) c.replicaDeclaration;
  }

  private void ack(ServedReplica r, Args a, int i) {
    long off;
    try {
      off = Long.parseLong(a.str(i));
    } catch (NumberFormatException e) {
      return;
    }
    if (off > r.ackOffset) r.ackOffset = off;
    r.ackMillis = System.currentTimeMillis();
    if (r.streamOnAck && r.state == ServedReplica.State.ONLINE) startStream(r);
    if (!waiting.isEmpty()) serveWaiting();
    failover.acked();
  }

  // ---------------------------------------------------------------- PSYNC / SYNC

  /**
   * {@code PSYNC <replid> <offset>} or {@code SYNC}: a partial resynchronization when the history and the
   * backlog allow it, else a full one. Either way the connection becomes a replica and gets no replies from now
   * on, only the stream.
   */
  public void sync(Client c, Args a, boolean psync) {
    if (c.replica != null) return; // already a replica: ignored, as Redis does
    // the master this node follows hands over: this node becomes a master, then serves the PSYNC as any other
    if (psync && a.count() > 3 && a.is(3, "failover")) failover.promote(c, a.str(1));
    if (failover.active()) throw new CommandError("NOMASTERLINK Can't SYNC while failing over");
    if (server.replicaRole().isReplica() && !server.replicaRole().linkUp()) {
      throw new CommandError("NOMASTERLINK Can't SYNC while not connected with my master");
    }
    if (!c.out.isEmpty()) throw new CommandError("ERR SYNC and PSYNC are invalid with pending output");
    long offset = -1;
    if (psync) {
      // a malformed offset is an error reply; the connection stays an ordinary client
      offset = a.longArg(2);
    }
    ServedReplica r = declared(c);
    c.replicaDeclaration = null;
    r.legacySync = !psync;
    String request = psync ? "PSYNC " + a.str(1) + " " + a.str(2) : "SYNC";
    startSpan(r, request);
    event(r, "psync", request, null);
    if (psync) {
      String id = a.str(1);
      if (tryPartial(c, r, id, offset)) {
        syncPartialOk++;
        return;
      }
      if (!id.equals("?")) syncPartialErr++;
    }
    syncFull++;
    attachReplica(c, r);
    server.log.info("Replica " + r.name() + " asks for synchronization");
    if (r.span != null) r.span.addEvent("full resynchronization");
    phase(r, SpanNames.MASTER_WAIT_SNAPSHOT);
    r.syncStartMillis = System.currentTimeMillis();
    if (backlog == null) {
      backlog = new Backlog(server.config.getLong("repl-backlog-size"), server.repl.offset());
      // on a master a new backlog means a new history: no replica could continue the previous one from it; a
      // replica's backlog continues its master's history, whose id it keeps
      if (!server.replicaRole().isReplica()) {
        server.repl.restart();
        server.log.info("Replication backlog created, my new replication IDs are '" + server.repl.replId() + "' and '"
            + server.repl.replId2() + "'");
      }
    }
    // an RDB without keys (redis-cli --replica) always goes straight to the socket, as Redis sends it
    boolean disklessConfigured = server.config.getBool("repl-diskless-sync");
    boolean diskless = (disklessConfigured || r.rdbNoData) && r.capaEof;
    if (!diskless && writingDiskJob != null && !r.rdbNoData && !writingDiskJob.noData) {
      joinDiskJob(r, writingDiskJob);
      return;
    }
    if (!diskless) {
      startJob(false, List.of(r));
      return;
    }
    if (!disklessConfigured) {
      startJob(true, List.of(r)); // no repl-diskless-sync-delay to wait for
      return;
    }
    long delay = server.config.getLong("repl-diskless-sync-delay");
    if (delay > 0) {
      server.log.info("Delay next BGSAVE for diskless SYNC");
      // on time rather than at the next once-a-second cron
      vertx.setTimer(delay * 1000 + 1, id -> {
        maybeStartDiskless();
        flushStream();
      });
    }
    maybeStartDiskless();
  }

  private void attachReplica(Client c, ServedReplica r) {
    c.replica = r;
    r.ackMillis = System.currentTimeMillis();
    replicas.add(r);
  }

  private boolean tryPartial(Client c, ServedReplica r, String id, long offset) {
    if (!server.repl.continues(id, offset)) {
      if (!id.equals("?")) { // "?" asks for a full resynchronization: nothing was refused
        server.log.info("Partial resynchronization not accepted: " + (id.equals(server.repl.replId2())
            ? "Requested offset for second ID was " + offset + ", but I can reply up to " + server.repl.secondOffset()
            : "Replication ID mismatch (Replica asked for '" + id + "', my replication IDs are '" + server.repl.replId()
                + "' and '" + server.repl.replId2() + "')"));
      }
      return false;
    }
    Backlog.Reader reader = backlog == null ? null : backlog.readerAt(offset);
    if (reader == null) {
      server.log.info("Unable to partial resync with replica " + r.name() + " for lack of backlog (Replica request "
          + "was: " + offset + ").");
      return false;
    }
    flushStream(); // the fan-out learns of the bytes already fed before it learns of this replica
    attachReplica(c, r);
    r.state = ServedReplica.State.ONLINE;
    r.ackOffset = offset - 1;
    write(r, Buffer.buffer(r.capaPsync2 ? "+CONTINUE " + server.repl.replId() + "\r\n" : "+CONTINUE\r\n"));
    // the backlog's bytes from the offset on go from the shared buffer, as the rest of the stream
    r.reader = reader;
    long length = backlog.lastOffset() + 1 - offset;
    server.stats.netOutputBytes += length;
    stream(r);
    server.log.info("Partial resynchronization request from " + r.name() + " accepted. Sending " + length
        + " bytes of backlog starting from offset " + offset + ".");
    event(r, "continue", "partial resynchronization from offset " + offset, null, offset, length);
    if (r.span != null) {
      r.span.setAttribute(SpanNames.ATTR_RESULT, "continue");
      r.span.setAttribute(SpanNames.ATTR_OFFSET, offset);
      r.span.setAttribute(SpanNames.ATTR_RDB_BYTES, 0L);
      r.span.addEvent("partial resynchronization", Attributes.of(AttributeKey.longKey("vireo.backlog.bytes"),
          length));
      endSpan(r, null);
    }
    event(r, "online", null, null);
    return true;
  }

  // ---------------------------------------------------------------- full resynchronization

  /** One snapshot being sent to the replicas attached to it. */
  private final class SyncJob {
    final boolean diskless;
    final boolean noData;
    final List<ServedReplica> attached = new ArrayList<>();
    final long offset;
    Path file;
    long fileSize = -1;
    int sending;

    SyncJob(boolean diskless, boolean noData, long offset) {
      this.diskless = diskless;
      this.noData = noData;
      this.offset = offset;
    }
  }

  /** Starts a diskless transfer when the waiting replicas have waited repl-diskless-sync-delay, or are enough. */
  private void maybeStartDiskless() {
    List<ServedReplica> ready = new ArrayList<>();
    List<ServedReplica> noData = new ArrayList<>();
    long oldest = Long.MAX_VALUE;
    for (ServedReplica r : replicas) {
      if (r.state != ServedReplica.State.WAIT_BGSAVE_START) continue;
      (r.rdbNoData ? noData : ready).add(r);
      oldest = Math.min(oldest, r.syncStartMillis);
    }
    if (ready.isEmpty() && noData.isEmpty()) return;
    long delay = server.config.getLong("repl-diskless-sync-delay") * 1000;
    int max = server.config.getInt("repl-diskless-sync-max-replicas");
    boolean enough = max > 0 && ready.size() >= max;
    if (!enough && System.currentTimeMillis() - oldest < delay) return;
    if (!ready.isEmpty()) startJob(true, ready);
    if (!noData.isEmpty()) startJob(true, noData);
  }

  /** Snapshot now, then encode it on a worker: into the replicas' sockets, or into a file sent afterwards. */
  private void startJob(boolean diskless, List<ServedReplica> rs) {
    flushStream();
    boolean noData = rs.get(0).rdbNoData;
    long t0 = System.nanoTime();
    Persistence.ReplicationSnapshot snap = persistence.replicationSnapshot(!noData);
    long pauseMicros = (System.nanoTime() - t0) / 1000;
    SyncJob job = new SyncJob(diskless, noData, server.repl.offset());
    // whatever the stream says next must start with a SELECT: the replica knows no database yet
    selectedDb = -1;
    String mark = diskless ? ReplicationIds.random() : null;
    for (ServedReplica r : rs) {
      setupFullResync(r, job);
      // a newline keepalive must never land inside an RDB that streams to the socket
      r.disklessTransfer = diskless;
      if (diskless) {
        write(r, Buffer.buffer("$EOF:" + mark + "\r\n"));
        r.state = ServedReplica.State.WAIT_BGSAVE_END;
        phase(r, SpanNames.MASTER_TRANSFER); // encoded straight into the socket
      } else {
        phase(r, SpanNames.MASTER_SNAPSHOT); // encoded into a file first
      }
    }
    server.log.info("Starting BGSAVE for SYNC with target: " + (diskless ? "replicas sockets" : "disk")
        + " (snapshot of " + snap.keys() + " keys took " + pauseMicros + " us)");
    for (ServedReplica r : rs) {
      if (r.span != null) r.span.addEvent("snapshot", Attributes.of(AttributeKey.longKey(SpanNames.ATTR_KEYS_LOADED),
          snap.keys(), AttributeKey.longKey("vireo.snapshot.pause_us"), pauseMicros));
    }
    if (diskless) {
      List<ServedReplica> targets = List.copyOf(rs);
      long stallMillis = server.config.getLong("repl-timeout") * 1000;
      long[] bytes = {0};
      vertx.<Void>executeBlocking(() -> {
        try (SocketFanOut out = new SocketFanOut(targets, stallMillis)) {
          snap.writeTo(out);
          out.flush();
          bytes[0] = out.written;
          out.writeRaw(mark.getBytes(StandardCharsets.US_ASCII));
        }
        return null;
      }, false).onComplete(ar -> {
        snap.release();
        if (ar.failed() && NoReplicaLeft.in(ar.cause())) {
          server.log.warn("Diskless rdb transfer, last replica dropped, snapshot encoding stopped.");
          return;
        }
        if (ar.failed()) {
          server.log.warn("Diskless RDB transfer failed: " + ar.cause().getMessage());
          for (ServedReplica r : job.attached) dropReplica(r, "RDB transfer failed: " + ar.cause().getMessage());
          return;
        }
        long up = job.attached.stream().filter(replicas::contains).count();
        server.log.info("Diskless rdb transfer, done reading from pipe, " + up + " replicas still up.");
        for (ServedReplica r : new ArrayList<>(job.attached)) {
          if (!replicas.contains(r)) continue;
          rdbSent(r, bytes[0]);
        }
      });
      return;
    }
    writingDiskJob = job;
    Path dir = Path.of(server.config.get("dir")).toAbsolutePath();
    Path file = dir.resolve("temp-repl-" + ProcessHandle.current().pid() + "-" + (++tempCounter) + ".rdb");
    vertx.<Long>executeBlocking(() -> {
      try (FileOutputStream fos = new FileOutputStream(file.toFile());
          BufferedOutputStream out = new BufferedOutputStream(fos, CHUNK)) {
        snap.writeTo(out);
      }
      return Files.size(file);
    }, false).onComplete(ar -> {
      snap.release();
      if (writingDiskJob == job) writingDiskJob = null;
      if (ar.failed()) {
        server.log.warn("Background RDB for replication failed: " + ar.cause().getMessage());
        deleteQuietly(file);
        for (ServedReplica r : new ArrayList<>(job.attached)) {
          dropReplica(r, "RDB for replication failed: " + ar.cause().getMessage());
        }
        return;
      }
      job.file = file;
      job.fileSize = ar.result();
      server.log.info("Background RDB transfer terminated with success");
      for (ServedReplica r : new ArrayList<>(job.attached)) {
        if (replicas.contains(r)) sendFile(r, job);
      }
      if (job.sending == 0) deleteQuietly(file);
    });
  }

  /** A disk-based replica arriving while a snapshot file is written shares it, with the stream buffered since. */
  private void joinDiskJob(ServedReplica r, SyncJob job) {
    flushStream();
    ServedReplica donor = null;
    for (ServedReplica o : job.attached) {
      if (replicas.contains(o)) {
        donor = o;
        break;
      }
    }
    if (donor == null) {
      startJob(false, List.of(r));
      return;
    }
    setupFullResync(r, job);
    phase(r, SpanNames.MASTER_SNAPSHOT);
    if (r.reader != null && donor.reader != null) {
      r.reader.release();
      r.reader = backlog.copy(donor.reader); // the same stream since the same snapshot: one more reference
    }
    server.log.info("Waiting for end of BGSAVE for SYNC");
  }

  private void setupFullResync(ServedReplica r, SyncJob job) {
    r.state = ServedReplica.State.WAIT_BGSAVE_END;
    r.initialOffset = job.offset;
    // the stream after the snapshot's offset: held in the shared buffer from the next byte fed (none for --rdb)
    if (!r.rdbOnly) r.reader = backlog.readerFromNext();
    job.attached.add(r);
    if (!r.legacySync) write(r, Buffer.buffer("+FULLRESYNC " + server.repl.replId() + " " + job.offset + "\r\n"));
    server.log.info("Full resync requested by replica " + r.name());
    event(r, "fullresync", "full resynchronization " + server.repl.replId() + ":" + job.offset, null, job.offset, -1);
    if (r.span != null) {
      r.span.setAttribute(SpanNames.ATTR_RESULT, "fullresync");
      r.span.setAttribute(SpanNames.ATTR_REPLID, server.repl.replId());
      r.span.setAttribute(SpanNames.ATTR_OFFSET, job.offset);
    }
  }

  private void sendFile(ServedReplica r, SyncJob job) {
    r.state = ServedReplica.State.SEND_BULK;
    event(r, "snapshot", "RDB of " + job.fileSize + " bytes ready", null, job.offset, job.fileSize);
    write(r, Buffer.buffer("$" + job.fileSize + "\r\n"));
    phase(r, SpanNames.MASTER_TRANSFER);
    job.sending++;
    NetSocket s = r.client.socket();
    // the file goes from disk to the socket, not through the heap: it is not output held for the replica, and a
    // dataset larger than client-output-buffer-limit must still sync
    s.sendFile(job.file.toString()).onComplete(ar -> {
      if (--job.sending == 0 && job.file != null) deleteQuietly(job.file);
      if (ar.failed()) {
        dropReplica(r, "RDB transfer failed: " + ar.cause().getMessage());
        return;
      }
      if (!replicas.contains(r)) return;
      rdbSent(r, job.fileSize);
      // a disk-based replica reads the stream right after the RDB
      startStream(r);
    });
  }

  /** The RDB is out: the replica is online; a diskless one gets the stream once it acknowledges. */
  private void rdbSent(ServedReplica r, long bytes) {
    r.state = ServedReplica.State.ONLINE;
    r.ackMillis = System.currentTimeMillis();
    r.streamOnAck = true;
    server.log.info("Synchronization with replica " + r.name() + " succeeded");
    event(r, "rdb_sent", "RDB of " + bytes + " bytes sent", null, r.initialOffset, bytes);
    if (r.span != null) {
      r.span.setAttribute(SpanNames.ATTR_RDB_BYTES, bytes);
      r.span.addEvent("rdb sent");
    }
    // a diskless replica loads what it received, then acknowledges: the stream starts then
    if (r.disklessTransfer) phase(r, SpanNames.MASTER_AWAIT_ACK);
    if (r.rdbOnly) {
      // redis-cli --rdb: nothing follows the RDB
      endSpan(r, null);
      r.client.closeAfterReply();
      r.client.flush();
    }
  }

  /** Sends what was held for the replica since its snapshot, then streams as to the others. */
  private void startStream(ServedReplica r) {
    r.streamOnAck = false;
    if (r.reader != null && r.target == null) stream(r);
    endSpan(r, null);
    event(r, "online", null, null);
  }

  /**
   * Hands the replica to the fan-out, which writes it the stream from its reader's place on. Its socket's drain
   * tells the fan-out to go on (and still resumes reading, as for any client).
   */
  private void stream(ServedReplica r) {
    NetSocket s = r.client.socket();
    PropagationVerticle.Target t = new PropagationVerticle.Target(s, r.reader);
    r.target = t;
    s.drainHandler(v -> {
      s.resume();
      vertx.eventBus().send(fanoutAddress, new PropagationVerticle.Drained(t), LocalCodec.OPTIONS);
    });
    vertx.eventBus().send(fanoutAddress, new PropagationVerticle.Start(t), LocalCodec.OPTIONS);
  }

  /** Every replica of a diskless transfer went away: the encoding stops. */
  private static final class NoReplicaLeft extends IOException {
    NoReplicaLeft() {
      super("every replica of this transfer disconnected");
    }

    static boolean in(Throwable t) {
      for (; t != null; t = t.getCause()) if (t instanceof NoReplicaLeft) return true;
      return false;
    }
  }

  /**
   * Streams the encoder's bytes to several replicas' sockets at once, waiting while a socket's write queue is full.
   * A replica that went away is skipped, one that reads nothing for repl-timeout is closed, and the encoding stops
   * once none is left: a dead transfer must not hold a worker and the snapshot.
   */
  private static final class SocketFanOut extends OutputStream {
    private final List<ServedReplica> targets;
    private final long stallMillis;
    private final byte[] buf = new byte[CHUNK];
    private int n;
    long written;

    SocketFanOut(List<ServedReplica> targets, long stallMillis) {
      this.targets = targets;
      this.stallMillis = stallMillis;
    }

    @Override
    public void write(int b) throws IOException {
      if (n == buf.length) flush();
      buf[n++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        if (n == buf.length) flush();
        int k = Math.min(len, buf.length - n);
        System.arraycopy(b, off, buf, n, k);
        n += k;
        off += k;
        len -= k;
      }
    }

    @Override
    public void flush() throws IOException {
      if (n == 0) return;
      send(Buffer.buffer(Arrays.copyOf(buf, n)));
      written += n;
      n = 0;
    }

    void writeRaw(byte[] b) throws IOException {
      flush();
      send(Buffer.buffer(b));
    }

    private void send(Buffer b) throws IOException {
      boolean anyOpen = false;
      for (ServedReplica r : targets) {
        if (r.disconnected) continue;
        NetSocket s = r.client.socket();
        try {
          long deadline = System.currentTimeMillis() + Math.max(1000, stallMillis);
          while (s.writeQueueFull() && !r.disconnected) {
            if (System.currentTimeMillis() > deadline) {
              // the data loop learns it from the close and forgets the replica
              r.disconnected = true;
              s.close();
              break;
            }
            Thread.sleep(1);
          }
          if (r.disconnected) continue;
          s.write(b);
          anyOpen = true;
        } catch (IllegalStateException e) {
          // closed meanwhile: the others go on
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted");
        }
      }
      if (!anyOpen) throw new NoReplicaLeft();
    }
  }

  // ---------------------------------------------------------------- the stream

  /**
   * Feeds one command to the stream, preceded by a SELECT when its database is not the one the stream last
   * selected. Nothing is fed while no backlog exists (no replica ever connected): the offset stays, as in Redis.
   */
  public void propagate(int db, byte[][] argv) {
    if (backlog == null) return;
    if (db >= 0 && db != selectedDb) {
      feed(new byte[][] {"SELECT".getBytes(StandardCharsets.US_ASCII),
          Integer.toString(db).getBytes(StandardCharsets.US_ASCII)});
      selectedDb = db;
    }
    feed(argv);
  }

  /** {@code REPLCONF GETACK *} into the stream now (a failover asks its target for the offset it reached). */
  void feedGetAck() {
    feed(new byte[][] {bytes("REPLCONF"), bytes("GETACK"), bytes("*")});
  }

  private void feed(byte[][] argv) {
    int n = 0;
    n = putHeader(n, '*', argv.length);
    for (byte[] a : argv) {
      n = putHeader(n, '$', a.length);
      n = ensure(n, a.length + 2);
      System.arraycopy(a, 0, scratch, n, a.length);
      n += a.length;
      scratch[n++] = '\r';
      scratch[n++] = '\n';
    }
    backlog.append(scratch, 0, n);
    server.repl.advance(n);
    fed += n;
  }

  private int putHeader(int n, char type, long v) {
    n = ensure(n, 24);
    scratch[n++] = (byte) type;
    String s = Long.toString(v);
    for (int i = 0; i < s.length(); i++) scratch[n++] = (byte) s.charAt(i);
    scratch[n++] = '\r';
    scratch[n++] = '\n';
    return n;
  }

  private int ensure(int n, int more) {
    if (n + more > scratch.length) scratch = Arrays.copyOf(scratch, Math.max(scratch.length * 2, n + more));
    return n;
  }

  /**
   * On a replica: the bytes of the master's stream just applied go to the backlog and the sub-replicas as they
   * are, so that the whole chain shares one history (same replid, same offsets). The caller counts the offset.
   */
  public void proxy(Buffer applied) {
    if (backlog == null) {
      backlog = new Backlog(server.config.getLong("repl-backlog-size"), server.repl.offset() - applied.length());
    }
    backlog.append(applied);
    fed += applied.length();
  }

  /**
   * A partial resynchronization with this node's master succeeded. A replica restarted from its RDB has no backlog
   * yet: as Redis does on {@code +CONTINUE}, one starts here, so that its own replicas, which have the same bytes,
   * continue from it even before the master sends anything new.
   */
  public void continuedWithMaster() {
    if (backlog == null) backlog = new Backlog(server.config.getLong("repl-backlog-size"), server.repl.offset());
  }

  /**
   * This node's history was replaced (a full resynchronization as a replica): sub-replicas must resynchronize,
   * and the backlog restarts at the new offset.
   */
  public void newHistory() {
    disconnectReplicas("the master's history changed");
    backlog = new Backlog(server.config.getLong("repl-backlog-size"), server.repl.offset());
    fed = 0;
  }

  /**
   * The replication ids changed (REPLICAOF NO ONE, a new master) or the node changed role: replicas reconnect and
   * learn the new id (with a partial resynchronization when the history allows); the next command selects again.
   */
  public void roleChanged() {
    roleChanged(true);
  }

  /**
   * As {@link #roleChanged()}; {@code disconnect} false when this node starts following a (new) master: as in
   * Redis, its replicas stay, since they may continue with whatever history the new master gives (a new id or a
   * full resynchronization disconnects them then).
   */
  public void roleChanged(boolean disconnect) {
    boolean replicaNow = server.replicaRole().isReplica();
    if (actingAsMaster && replicaNow) releaseBlockedClients();
    actingAsMaster = !replicaNow;
    if (disconnect) disconnectReplicas("the replication role changed");
    selectedDb = -1;
    if (backlog == null && !server.replicaRole().isReplica()) {
      backlog = new Backlog(server.config.getLong("repl-backlog-size"), server.repl.offset());
    }
  }

  /**
   * A master turned replica: clients blocked in WAIT, BLPOP and the like wait for something that cannot happen here
   * any more (a replica takes no writes and refuses WAIT). As Redis does, each gets an UNBLOCKED error and its
   * connection closes.
   */
  private void releaseBlockedClients() {
    waiting.clear();
    List<Client> blocked = new ArrayList<>();
    for (Client c : server.clients.all()) {
      if (c.isBlocked() && !c.master) blocked.add(c);
    }
    for (Client c : blocked) {
      server.blocking.unblock(c);
      c.out.error("UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)");
      c.closeAfterReply();
      c.flush();
    }
  }

  /** Hands the stream bytes of this turn to the replicas; called when the data loop flushes its output. */
  public void flushStream() {
    // during a failover only its own GETACK goes out (Redis sends none while paused): the target's answer to it
    // must name every byte but that GETACK
    if (getAckRequested && backlog != null && !replicas.isEmpty() && !failover.active()) {
      getAckRequested = false;
      if (!server.replicaRole().isReplica()) {
        feed(new byte[][] {bytes("REPLCONF"), bytes("GETACK"), bytes("*")});
      }
    }
    if (fed == 0) return;
    long n = fed;
    fed = 0;
    int streaming = 0;
    for (ServedReplica r : replicas) if (r.target != null) streaming++;
    if (streaming > 0) {
      server.stats.netOutputBytes += n * streaming;
      vertx.eventBus().send(fanoutAddress, new PropagationVerticle.Fed(backlog.lastOffset()), LocalCodec.OPTIONS);
    }
    enforceLimits();
  }

  /** Bytes the data loop writes to a replica itself: the sync's reply lines, keepalives, the RDB's header. */
  private void write(ServedReplica r, Buffer b) {
    server.stats.netOutputBytes += b.length();
    r.client.socket().write(b);
  }

  // ---------------------------------------------------------------- limits and cron

  /** client-output-buffer-limit replica: a replica holding more than the hard limit (or the soft one too long) goes. */
  private void enforceLimits() {
    OutputBufferLimits.Limit lim = server.outputLimits.replica();
    if (lim.none()) return;
    long now = System.currentTimeMillis();
    List<ServedReplica> over = null;
    for (ServedReplica r : replicas) {
      if (r.softLimit.reached(lim, r.outputBytes(), now)) {
        if (over == null) over = new ArrayList<>(1);
        over.add(r);
      }
    }
    if (over == null) return;
    for (ServedReplica r : over) {
      long used = r.outputBytes();
      server.log.warn("Client " + server.clients.describe(r.client)
          + " scheduled to be closed ASAP for overcoming of output buffer limits.");
      dropReplica(r, "output buffer limit reached (" + used + " bytes)");
    }
  }

  /** Once a second: PINGs, keepalives to waiting replicas, timeouts, the diskless delay, the backlog's TTL. */
  private void cron() {
    long now = System.currentTimeMillis();
    boolean isReplica = server.replicaRole().isReplica();
    // one cadence since start, as Redis's replication cron: a replica that just arrived does not move it
    long period = Math.max(1, server.config.getLong("repl-ping-replica-period"));
    // no PING during a failover: the target must be able to reach the master's offset exactly
    if (cronLoops++ % period == 0 && !isReplica && !replicas.isEmpty() && backlog != null && !failover.active()) {
      feed(new byte[][] {bytes("ping")}); // lower case, byte for byte as Redis
    }
    long timeout = server.config.getLong("repl-timeout") * 1000;
    for (ServedReplica r : new ArrayList<>(replicas)) {
      boolean diskWait = r.state == ServedReplica.State.WAIT_BGSAVE_START
          || (r.state == ServedReplica.State.WAIT_BGSAVE_END && !r.disklessTransfer);
      if (diskWait) write(r, Buffer.buffer("\n"));
      if (r.state == ServedReplica.State.ONLINE && !r.legacySync && now - r.ackMillis > timeout) {
        server.log.warn("Disconnecting timedout replica (streaming sync): " + r.name());
        dropReplica(r, "timeout: no ACK for " + timeout / 1000 + " seconds");
      }
    }
    maybeStartDiskless();
    if (replicas.isEmpty()) {
      long ttl = server.config.getLong("repl-backlog-ttl") * 1000;
      if (!isReplica && backlog != null && ttl > 0 && now - noReplicasSinceMillis > ttl) {
        server.repl.restart();
        backlog = null;
        server.log.info("Replication backlog freed after " + ttl / 1000 + " seconds without connected replicas.");
      }
    } else {
      noReplicasSinceMillis = now;
    }
    enforceLimits();
    flushStream();
  }

  // ---------------------------------------------------------------- disconnection

  /** Called when a client goes away: a replica leaves the list (and its transfer, if any). */
  public void clientClosed(Client c) {
    ServedReplica r = (ServedReplica) c.replica;
    if (r == null) return;
    r.disconnected = true; // a diskless transfer to it stops writing
    if (!replicas.remove(r)) return;
    if (r.reader != null) r.reader.release(); // the blocks only it kept are freed
    server.log.info("Connection with replica " + r.name() + " lost.");
    event(r, "disconnected", null, r.state == ServedReplica.State.ONLINE ? null : "lost during " + r.state.infoName);
    endSpan(r, r.state == ServedReplica.State.ONLINE ? null : "connection lost during " + r.state.infoName);
    if (replicas.isEmpty()) noReplicasSinceMillis = System.currentTimeMillis();
    if (!waiting.isEmpty()) serveWaiting();
  }

  private void dropReplica(ServedReplica r, String why) {
    if (!replicas.contains(r)) return;
    event(r, "disconnected", null, why);
    endSpan(r, why);
    r.client.close();
    clientClosed(r.client);
  }

  private void disconnectReplicas(String why) {
    for (ServedReplica r : new ArrayList<>(replicas)) dropReplica(r, why);
  }

  // ---------------------------------------------------------------- WAIT and min-replicas

  private record WaitingClient(Client client, Blocking.Wait blockedIn, long offset, long numReplicas) {}

  /** Replicas online whose acknowledged offset reached {@code offset}. */
  public int ackedReplicas(long offset) {
    int n = 0;
    for (ServedReplica r : replicas) {
      if (r.state == ServedReplica.State.ONLINE && r.ackOffset >= offset) n++;
    }
    return n;
  }

  /**
   * {@code WAIT numreplicas timeout}: answers how many replicas acknowledged the client's last write, at once
   * when enough did (or inside MULTI), else once enough do or the timeout passes. Asks every replica for an ACK.
   */
  public void waitCommand(Client c, long numReplicas, long timeoutMillis) {
    refuseWaitOnReplica();
    long target = c.woff;
    int acked = ackedReplicas(target);
    if (acked >= numReplicas || !c.canBlock()) {
      c.out.integer(acked);
      return;
    }
    Blocking.Waiter w = new Blocking.Waiter() {
      @Override
      public boolean serve(Client client, byte[] readyKey) {
        return false;
      }

      @Override
      public void timeout(Client client) {
        waiting.removeIf(x -> x.client() == client);
        client.out.integer(ackedReplicas(target));
      }
    };
    server.blocking.block(c, List.of(), timeoutMillis, w);
    waiting.add(new WaitingClient(c, c.blockedWait(), target, numReplicas));
    getAckRequested = true;
  }

  @Override
  public void requestAck() {
    getAckRequested = true;
  }

  @Override
  public List<ReplicaLag> replicaLags(long masterOffset) {
    long now = System.currentTimeMillis();
    List<ReplicaLag> lags = new ArrayList<>(replicas.size());
    for (ServedReplica r : replicas) {
      boolean online = r.state == ServedReplica.State.ONLINE;
      lags.add(new ReplicaLag(r.name(), masterOffset - r.ackOffset, online ? (now - r.ackMillis) / 1000 : 0,
          r.state.infoName));
    }
    return lags;
  }

  /** WAIT on a replica: refused before its arguments are even read, as Redis does. */
  public void refuseWaitOnReplica() {
    if (server.replicaRole().isReplica()) {
      throw new CommandError("ERR WAIT cannot be used with replica instances. Please also note that since Redis "
          + "4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just "
          + "local and are not propagated.");
    }
  }

  private void serveWaiting() {
    for (WaitingClient w : new ArrayList<>(waiting)) {
      if (w.client().blockedWait() != w.blockedIn()) {
        waiting.remove(w);
        continue;
      }
      int acked = ackedReplicas(w.offset());
      if (acked < w.numReplicas()) continue;
      waiting.remove(w);
      server.blocking.unblock(w.client());
      w.client().out.integer(acked);
      server.blocking.resume(w.client());
    }
  }

  /** Replicas online whose last ACK is at most min-replicas-max-lag seconds old. */
  public int goodReplicas() {
    long maxLag = server.config.getLong("min-replicas-max-lag");
    long now = System.currentTimeMillis();
    int n = 0;
    for (ServedReplica r : replicas) {
      if (r.state == ServedReplica.State.ONLINE && (now - r.ackMillis) / 1000 <= maxLag) n++;
    }
    return n;
  }

  /** min-replicas-to-write: false when writes must be refused with -NOREPLICAS. */
  public boolean enoughGoodReplicas() {
    if (server.replicaRole().isReplica()) return true;
    int want = server.config.getInt("min-replicas-to-write");
    if (want == 0 || server.config.getLong("min-replicas-max-lag") == 0) return true;
    return goodReplicas() >= want;
  }

  // ---------------------------------------------------------------- INFO and ROLE

  /** INFO replication from connected_slaves to repl_backlog_histlen, in Redis's order. */
  public void info(BiConsumer<String, Object> f) {
    long now = System.currentTimeMillis();
    f.accept("connected_slaves", replicas.size());
    if (server.config.getInt("min-replicas-to-write") > 0 && server.config.getLong("min-replicas-max-lag") > 0) {
      f.accept("min_slaves_good_slaves", goodReplicas());
    }
    int i = 0;
    for (ServedReplica r : replicas) {
      f.accept("slave" + i++, "ip=" + r.ip() + ",port=" + r.listeningPort + ",state=" + r.state.infoName
          + ",offset=" + r.ackOffset + ",lag=" + (now - r.ackMillis) / 1000);
    }
    f.accept("master_failover_state", failover.state().infoName());
    f.accept("master_replid", server.repl.replId());
    f.accept("master_replid2", server.repl.replId2());
    f.accept("master_repl_offset", server.repl.offset());
    f.accept("second_repl_offset", server.repl.secondOffset());
    f.accept("repl_backlog_active", backlog == null ? 0 : 1);
    f.accept("repl_backlog_size", server.config.getLong("repl-backlog-size"));
    f.accept("repl_backlog_first_byte_offset", backlog == null ? 0 : backlog.firstByteOffset());
    f.accept("repl_backlog_histlen", backlog == null ? 0 : backlog.histlen());
  }

  /** Online replicas for ROLE: ip, port, acknowledged offset. */
  public List<ServedReplica> onlineReplicas() {
    List<ServedReplica> r = new ArrayList<>();
    for (ServedReplica s : replicas) if (s.state == ServedReplica.State.ONLINE) r.add(s);
    return r;
  }

  /** The shared replication buffer's blocks (mem_total_replication_buffers). */
  public long replicationBufferBytes() {
    return backlog == null ? 0 : backlog.memory();
  }

  /**
   * What replicas hold (mem_clients_slaves), as Redis 7.0 reckons it: with replicas attached, whatever the shared
   * buffer holds beyond repl-backlog-size; the rest is the backlog's.
   */
  @Override
  public long replicaBufferBytes() {
    long total = replicationBufferBytes();
    return !replicas.isEmpty() && total > backlog.size() ? total - backlog.size() : 0;
  }

  /** The backlog's part of the shared buffer (mem_replication_backlog). */
  @Override
  public long backlogBytes() {
    return replicationBufferBytes() - replicaBufferBytes();
  }

  // ---------------------------------------------------------------- events and spans

  private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };

  /** A span for serving this replica's request; a child of the replica's own trace when it sent one. */
  private void startSpan(ServedReplica r, String request) {
    Context parent = parentOf(r.traceparent);
    r.span = Tracing.tracer().spanBuilder(SpanNames.SERVE_REPLICA).setParent(parent)
        .setAttribute(SpanNames.ATTR_REPLICA, r.name())
        .setAttribute(SpanNames.ATTR_DETAIL, request)
        .setAttribute(SpanNames.ATTR_PORT, (long) server.port())
        .startSpan();
  }

  /** The context a W3C {@code traceparent} names (a replica's, sent with REPLCONF); the root when there is none. */
  static Context parentOf(String traceparent) {
    if (traceparent == null) return Context.root();
    return W3CTraceContextPropagator.getInstance().extract(Context.root(), Map.of("traceparent", traceparent), GETTER);
  }

  /** Ends the replica's current phase span and starts {@code name} as the next one, a child of its PSYNC span. */
  private static void phase(ServedReplica r, String name) {
    if (r.span == null) return;
    if (r.phase != null) r.phase.end();
    r.phase = Tracing.tracer().spanBuilder(name).setParent(Context.root().with(r.span))
        .setAttribute(SpanNames.ATTR_REPLICA, r.name()).startSpan();
  }

  private static void endSpan(ServedReplica r, String error) {
    if (r.phase != null) {
      if (error != null) r.phase.setStatus(StatusCode.ERROR, error);
      r.phase.end();
      r.phase = null;
    }
    if (r.span == null) return;
    if (error != null) r.span.setStatus(StatusCode.ERROR, error);
    else r.span.setStatus(StatusCode.OK);
    r.span.end();
    r.span = null;
  }

  private void event(ServedReplica r, String name, String detail, String error) {
    event(r, name, detail, error, -1, -1);
  }

  private void event(ServedReplica r, String name, String detail, String error, long offset, long bytes) {
    if (vertx == null) return;
    JsonObject ev = new JsonObject()
        .put("event", name)
        .put("replica", r.name())
        .put("client_id", r.client.id)
        .put("state", r.state.infoName)
        .put("offset", offset >= 0 ? offset : r.ackOffset);
    if (bytes >= 0) ev.put("bytes", bytes);
    if (detail != null) ev.put("detail", detail);
    if (error != null) ev.put("error", error);
    vertx.eventBus().publish(Addresses.REPLICATION_REPLICAS, ev);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // a stale temp file in dir is harmless
    }
  }
}
