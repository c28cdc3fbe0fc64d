package dev.vireo.replication.replica;

import dev.vireo.bus.Addresses;
import dev.vireo.bus.LocalCodec;
import dev.vireo.persistence.Persistence;
import dev.vireo.persistence.RdbLoader;
import dev.vireo.replication.ReplState;
import dev.vireo.replication.ReplicationIds;
import dev.vireo.replication.master.Failover;
import dev.vireo.replication.master.MasterSide;
import dev.vireo.replication.replica.LinkMessages.Ack;
import dev.vireo.replication.replica.LinkMessages.AckDue;
import dev.vireo.replication.replica.LinkMessages.Ask;
import dev.vireo.replication.replica.LinkMessages.Continued;
import dev.vireo.replication.replica.LinkMessages.Down;
import dev.vireo.replication.replica.LinkMessages.Failed;
import dev.vireo.replication.replica.LinkMessages.FailoverReply;
import dev.vireo.replication.replica.LinkMessages.Follow;
import dev.vireo.replication.replica.LinkMessages.Linked;
import dev.vireo.replication.replica.LinkMessages.LoadFile;
import dev.vireo.replication.replica.LinkMessages.LoadStream;
import dev.vireo.replication.replica.LinkMessages.Offer;
import dev.vireo.replication.replica.LinkMessages.Online;
import dev.vireo.replication.replica.LinkMessages.Stream;
import dev.vireo.replication.replica.LinkMessages.ToData;
import dev.vireo.replication.replica.LinkMessages.ToLink;
import dev.vireo.replication.replica.LinkMessages.Unfollow;
import dev.vireo.resp.Args;
import dev.vireo.resp.ProtocolException;
import dev.vireo.resp.RespReader;
import dev.vireo.server.Client;
import dev.vireo.server.ReplicaRole;
import dev.vireo.server.Server;
import dev.vireo.store.Keyspace;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * The replica side of replication, on the data loop: REPLICAOF and REPLICAOF NO ONE, the load of a full
 * resynchronization's RDB into the keyspace, and the master's command stream applied as the master client. The
 * connection itself (handshake, retries, timeouts, receipt of the RDB, the spans) belongs to the {@link
 * ReplicaLinkVerticle} on its own event loop; the two talk over the event bus ({@link LinkMessages}).
 *
 * <p>A full resynchronization with {@code repl-diskless-load disabled} loads the temporary file the link wrote:
 * the keyspace is flushed, the file is parsed on a worker thread and inserted on the data loop in batches. With
 * {@code swapdb} (and {@code on-empty-db} on an empty keyspace) the parser reads the bytes as they arrive; with
 * {@code swapdb} the old dataset is served until the new one is complete, then they swap in one step. After that,
 * the command stream is executed as the master client; the replication offset grows by the bytes of each command
 * applied, and the bytes go on unchanged to this node's own replicas.
 */
public final class ReplicaLink implements ReplicaRole, Failover.RoleSwitch {
  private final Server server;
  /** This node's own replicas: they follow the history this link brings. */
  private final MasterSide master;
  private final Persistence persistence;
  private final LinkStatus status = new LinkStatus();
  private final String dataAddress;
  private final String controlAddress;
  private Vertx vertx;
  private Context dataLoop;

  /** Bumped by every REPLICAOF: what the link sent for an earlier one is dropped. */
  private long epoch;
  private String masterHost;
  private int masterPort;
  /** The link's connection whose load or stream this side is handling. */
  private long link = -1;
  private Client masterClient;
  /** The link has recorded CONNECTED for {@link #masterClient}'s connection. */
  private boolean online;
  /**
   * The database the master's stream had selected when the link dropped: a partial resynchronization continues
   * the same stream, which does not select it again.
   */
  private int cachedMasterDb;
  /** Bytes of a MULTI block applied so far: the offset moves only at its EXEC, as in Redis. */
  private long transactionBytes;
  private boolean loading;
  /** With {@code repl-diskless-load swapdb}: the new dataset loads into a separate keyspace while the old serves. */
  private boolean loadingOnTheSide;
  /** Bumped when a load is abandoned: its remaining batches are not inserted. */
  private long loadGeneration;

  // command stream
  private RespReader stream = new RespReader();
  /** Stream bytes received and not yet passed on to sub-replicas (a command still incomplete, a MULTI block). */
  private Buffer unproxied = Buffer.buffer();
  private final Args args = new Args();
  private long streamFed;
  private long streamBoundary;
  /** A command of the stream a pause holds (read, not applied), its bytes, and the master client it waits for. */
  private Args pausedArgs;
  private long pausedBytes;
  private Client heldByPause;
  /** Set by the {@code replicaof} directive until the dataset has loaded and the link may connect. */
  private boolean awaitingLoad;
  /** Bytes of the stream read from the master (slave_read_repl_offset). */
  private long readOffset;

  public ReplicaLink(Server server, MasterSide master, Persistence persistence) {
    this.server = server;
    this.master = master;
    this.persistence = persistence;
    this.dataAddress = Addresses.REPLICA_LINK + "." + server.runId;
    this.controlAddress = Addresses.REPLICA_CONTROL + "." + server.runId;
    master.failover().roles(this);
  }

  /** Deploys the link verticle (a child of the data loop's verticle) once the data loop listens to it. */
  @Override
  public Future<?> start(Vertx vertx, Context dataLoop) {
    this.vertx = vertx;
    this.dataLoop = dataLoop;
    return vertx.eventBus().<ToData>localConsumer(dataAddress, this::onLink).completion()
        .compose(v -> vertx.deployVerticle(
            new ReplicaLinkVerticle(server.config, server.log, status, dataAddress, controlAddress)));
  }

  @Override
  public void stop() {
    if (masterHost != null) toLink(new Unfollow(++epoch));
    abandon();
  }

  private void toLink(ToLink m) {
    vertx.eventBus().send(controlAddress, m, LocalCodec.OPTIONS);
  }

  // ---------------------------------------------------------------- queries

  @Override
  public boolean isReplica() {
    return masterHost != null;
  }

  public String masterHost() {
    return masterHost;
  }

  public int masterPort() {
    return masterPort;
  }

  /**
   * The handshake state, as the link last reported it: {@code NONE} when this node follows no master, {@code
   * CONNECT} until the link has taken up a new REPLICAOF.
   */
  public ReplState state() {
    if (masterHost == null) return ReplState.NONE;
    ReplState s = status.state;
    return s == ReplState.NONE ? ReplState.CONNECT : s;
  }

  /** Up once the data loop applies the master's stream and the link has recorded it. */
  @Override
  public boolean linkUp() {
    return online && masterClient != null;
  }

  /** True while the RDB of a full resynchronization is being loaded: clients get {@code -LOADING}. */
  @Override
  public boolean loading() {
    return loading && !loadingOnTheSide;
  }

  /** A swapdb load in progress: the old dataset is served while the master's loads beside it (async_loading). */
  @Override
  public boolean asyncLoading() {
    return loading && loadingOnTheSide;
  }

  /**
   * The database the master's stream has selected (what a snapshot records as {@code repl-stream-db}): the master
   * client's while the link is up, else the one a partial resynchronization would continue in.
   */
  @Override
  public int streamDb() {
    return masterClient != null ? masterClient.db.index : cachedMasterDb;
  }

  /** At startup: the stream database recorded in the RDB file, for the partial resynchronization that follows. */
  @Override
  public void restoreStreamDb(int db) {
    cachedMasterDb = db;
  }

  /** The master client, while the link is up. */
  public Client masterClient() {
    return masterClient;
  }

  // ---------------------------------------------------------------- REPLICAOF

  /**
   * REPLICAOF host port: follows that master (answered at once; the link connects on its own event loop).
   * Returns false when this node already follows it.
   */
  public boolean replicaOf(String host, int port) {
    return replicaOf(host, port, null);
  }

  /** A failover's switch: this node follows its target, and the link reports the target's answer. */
  @Override
  public void followForFailover(String host, int port, String traceparent) {
    replicaOf(host, port, traceparent == null ? "" : traceparent);
  }

  /**
   * The {@code replicaof} directive at startup, before the dataset loads: as in Redis, the node is a replica from
   * the start (INFO, ROLE, the log's role letter), and its link connects once the dataset is loaded
   * ({@link #replicaOf(String, int)} then).
   */
  public void replicaOfAfterLoad(String host, int port) {
    masterHost = host;
    masterPort = port;
    awaitingLoad = true;
    server.keyspace().replica(true);
    server.log.role('S');
  }

  /** {@code failoverTrace} non-null: following a failover's target, in that trace ("" for none). */
  private boolean replicaOf(String host, int port, String failoverTrace) {
    boolean atStart = awaitingLoad;
    awaitingLoad = false;
    if (!atStart && host.equalsIgnoreCase(masterHost) && port == masterPort) return false;
    // leaving a live link starts the down time now, as INFO shows it right after this REPLICAOF's +OK (the link's
    // own event loop learns of the move a moment later)
    if (linkUp()) status.downSinceMillis = System.currentTimeMillis();
    abandon();
    boolean wasMaster = masterHost == null;
    masterHost = host;
    masterPort = port;
    // CONFIG GET and CONFIG REWRITE tell the master now followed, so a restart follows it too
    server.config.apply("replicaof", host, Integer.toString(port));
    server.keyspace().replica(true);
    master.roleChanged(false);
    server.log.role('S');
    if (wasMaster) server.log.info("Before turning into a replica, using my own master parameters to "
        + "synthesize a cached master: I may be able to synchronize with the new master with just a partial "
        + "transfer.");
    server.log.info("Connecting to MASTER " + host + ":" + port);
    toLink(new Follow(++epoch, host, port, server.port(), failoverTrace != null,
        failoverTrace == null || failoverTrace.isEmpty() ? null : failoverTrace));
    return true;
  }

  /** REPLICAOF NO ONE: stops following, keeps the data, and starts a new history (the old id becomes replid2). */
  @Override
  public void unsetMaster() {
    if (masterHost == null) return;
    toLink(new Unfollow(++epoch));
    status.downSinceMillis = 0;
    abandon();
    server.repl.promote();
    server.keyspace().replica(false);
    masterHost = null;
    masterPort = 0;
    server.config.apply("replicaof", "no", "one");
    master.roleChanged();
    server.log.role('M');
    server.log.info("MASTER MODE enabled");
  }

  // ---------------------------------------------------------------- messages from the link

  private void onLink(Message<ToData> m) {
    ToData body = m.body();
    if (body.epoch() != epoch || masterHost == null) {
      if (body instanceof LoadStream s) s.bytes().abort("the transfer from the master was abandoned");
      if (body instanceof Ask || body instanceof AckDue) m.fail(1, "REPLICAOF changed");
      return;
    }
    if (body instanceof Stream s) {
      if (s.link() == link) feedStream(s.bytes());
    } else if (body instanceof AckDue a) {
      if (a.link() == link && linkUp()) m.reply(server.repl.offset(), LocalCodec.OPTIONS);
      else m.fail(1, "the link is not up");
    } else if (body instanceof Ask) {
      m.reply(offer(), LocalCodec.OPTIONS);
    } else if (body instanceof FailoverReply r) {
      master.failover().targetAnswered(r.reply(), r.error());
    } else if (body instanceof Continued c) {
      continued(c);
    } else if (body instanceof LoadFile f) {
      startLoad(f.link(), Path.of(f.file()), null, f.replId(), f.offset(), f.socket());
    } else if (body instanceof LoadStream s) {
      startLoad(s.link(), null, s.bytes(), s.replId(), s.offset(), s.socket());
    } else if (body instanceof Online o) {
      online = o.link() == link && masterClient != null;
    } else if (body instanceof Down d && d.link() == link) {
      abandon();
    }
  }

  /**
   * As Redis: the history this node has (its own, for a former master; the master's, after a sync) is offered
   * for a partial resynchronization; {@code PSYNC ? -1} only when the id is unusable.
   */
  private Offer offer() {
    String id = server.repl.replId();
    boolean valid = ReplicationIds.isValid(id);
    long offset = valid ? server.repl.offset() + 1 : -1;
    boolean failover = valid && master.failover().psyncFailover(id, offset);
    return new Offer(valid ? id : "?", offset, server.keyspace().totalKeys() == 0, failover);
  }

  private void continued(Continued c) {
    String newId = c.newId();
    if (ReplicationIds.isValid(newId) && !newId.equals(server.repl.replId())) {
      server.repl.continueAs(newId);
      server.log.info("Master replication ID changed to " + newId);
      // sub-replicas learn the new id by reconnecting; the backlog continues
      master.roleChanged();
    }
    master.continuedWithMaster();
    establish(c.link(), c.socket(), cachedMasterDb, -1);
  }

  /** The master client is created and the stream may flow; the link hears the offset it starts from. */
  private void establish(long connection, NetSocket socket, int db, long keysLoaded) {
    link = connection;
    masterClient = server.clients.newMasterClient(socket);
    masterClient.db = server.keyspace().db(db);
    readOffset = server.repl.offset();
    unproxied = Buffer.buffer();
    stream = new RespReader();
    streamFed = streamBoundary = 0;
    transactionBytes = 0;
    pausedArgs = null;
    heldByPause = null;
    toLink(new Linked(epoch, connection, server.repl.replId(), server.repl.offset(), keysLoaded));
    master.failover().linked(masterHost, masterPort, server.repl.offset(), keysLoaded >= 0);
    // after a full sync the AOF starts over from the new dataset, as Redis restarts it; the stream follows
    if (keysLoaded >= 0) server.appendOnly().restartAfterSync();
  }

  /**
   * The connection dropped, or REPLICAOF changed: a load in progress is abandoned (with the keys it inserted, when
   * it loaded in place), the master client goes, and the stream parser starts over.
   */
  private void abandon() {
    loadGeneration++;
    if (loading && !loadingOnTheSide) {
      // what the load inserted so far is only part of the master's dataset, which must not be served: the old
      // data is already gone, so the replica is left empty
      server.log.warn("MASTER <-> REPLICA sync: load abandoned, discarding the partially loaded data");
      server.keyspace().flushAll();
    }
    loading = false;
    loadingOnTheSide = false; // a side load is simply dropped: the old dataset stays
    stream = new RespReader();
    unproxied = Buffer.buffer();
    streamFed = streamBoundary = 0;
    transactionBytes = 0;
    pausedArgs = null;
    heldByPause = null;
    link = -1;
    online = false;
    if (masterClient != null) {
      cachedMasterDb = masterClient.db.index;
      server.clients.removeMasterClient(masterClient);
      masterClient = null;
    }
  }

  // ---------------------------------------------------------------- RDB load

  /**
   * Flushes the keyspace (or prepares a side keyspace for swapdb) and loads the RDB: the received {@code file},
   * or the {@code bytes} still arriving on the link.
   */
  private void startLoad(long connection, Path file, TransferStream bytes, String replId, long offset,
      NetSocket socket) {
    abandon();
    link = connection;
    long gen = loadGeneration;
    RdbLoader.Source source = file != null ? () -> Files.newInputStream(file) : () -> bytes;
    String from = file != null ? "disk" : "socket";
    loading = true;
    // swapdb: the old dataset keeps being served until the new one is complete, then they swap in one step;
    // disabled / on-empty-db: the old data is flushed first and clients get -LOADING meanwhile
    boolean onTheSide = "swapdb".equals(server.config.get("repl-diskless-load"));
    loadingOnTheSide = onTheSide;
    Keyspace target;
    if (onTheSide) {
      target = new Keyspace(server.keyspace().databases());
      target.replica(true);
      server.log.info("MASTER <-> REPLICA sync: Loading DB in memory from " + from
          + " while serving the old data (swapdb)");
    } else {
      server.log.info("MASTER <-> REPLICA sync: Flushing old data");
      server.keyspace().flushAll();
      server.log.info("MASTER <-> REPLICA sync: Loading DB in memory from " + from);
      target = server.keyspace();
    }
    long start = System.currentTimeMillis();
    // the master's keys are kept even when their TTL passed: only its DEL removes them on a replica
    RdbLoader.load(server, target, vertx, dataLoop, source, false, () -> gen == loadGeneration).onComplete(ar -> {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // a stale temp file is harmless
        }
      }
      if (gen != loadGeneration) return;
      boolean cutShort = ar.succeeded() && bytes != null && !bytes.ended(); // the RDB ended before the bytes did
      loading = false;
      loadingOnTheSide = false;
      if (ar.failed() || cutShort) {
        if (bytes != null) bytes.abort("the load failed");
        if (!onTheSide) server.keyspace().flushAll(); // a side load leaves the old dataset in place
        toLink(new Failed(epoch, connection, "Failed trying to load the MASTER synchronization DB from " + from
            + ": " + (cutShort ? "the RDB ended before the transfer did" : ar.cause().getMessage())));
        link = -1;
        return;
      }
      if (onTheSide) server.keyspace().replaceContents(target);
      server.scriptInfo().replaceLibraries(ar.result().functions()); // the master's libraries, as its data
      long keys = ar.result().loaded();
      persistence.noteLoad(keys, ar.result().expired()); // INFO rdb_last_load_keys_*, as after any load
      server.log.info("MASTER <-> REPLICA sync: Loaded " + keys + " keys in "
          + (System.currentTimeMillis() - start) + " ms");
      server.repl.adopt(replId, offset);
      // sub-replicas cannot continue the old history: they resynchronize with this one
      master.newHistory();
      // a master that streams without a leading SELECT (a chained replica) names its database in the RDB
      establish(connection, socket, auxDb(ar.result().aux("repl-stream-db")), keys);
    });
  }

  private int auxDb(String v) {
    try {
      int db = v == null ? 0 : Integer.parseInt(v);
      return db >= 0 && db < server.keyspace().databases() ? db : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  // ---------------------------------------------------------------- command stream

  /** Applies every complete command of the stream as the master client; nothing is answered but GETACK. */
  private void feedStream(Buffer data) {
    if (masterClient == null) return;
    if (server.busy.active()) { // a script holds the keyspace: the stream applies, in order, once it ends
      server.busy.defer(() -> feedStream(data));
      return;
    }
    readOffset += data.length();
    unproxied.appendBuffer(data);
    stream.feed(data);
    streamFed += data.length();
    applyStream();
  }

  /**
   * Applies the commands read and not applied yet. A pause (CLIENT PAUSE, FAILOVER) holds the writes of the stream
   * as it holds clients': the command it holds waits, with everything after it, and the offset stays where it was.
   */
  private void applyStream() {
    if (masterClient == null || heldByPause != null) return;
    long offsetBefore = server.repl.offset();
    try {
      while (masterClient != null && !masterClient.isClosing()) {
        Args a;
        long bytes;
        if (pausedArgs != null) {
          a = pausedArgs;
          bytes = pausedBytes;
          pausedArgs = null;
        } else {
          if (!stream.next(args)) break;
          a = args;
          long consumed = streamFed - stream.pending();
          bytes = consumed - streamBoundary;
          streamBoundary = consumed;
        }
        if (a.count() >= 2 && a.is(0, "replconf") && a.is(1, "getack")) {
          toLink(new Ack(epoch, server.repl.offset())); // the offset before the GETACK itself, as Redis answers
        } else if (server.dispatcher.pauseHolds(masterClient, a)) {
          pausedArgs = a == args ? Args.of(a.toArray()) : a;
          pausedBytes = bytes;
          Client held = masterClient;
          heldByPause = held;
          server.pause.whenUnpaused(() -> {
            if (heldByPause != held) return; // the link changed meanwhile
            heldByPause = null;
            applyStream();
          });
          break;
        } else {
          applyAsMaster(a);
        }
        if (masterClient != null && masterClient.multi != null) {
          transactionBytes += bytes; // a transaction cut by a dropped link is sent again in full
        } else {
          server.repl.advance(transactionBytes + bytes);
          transactionBytes = 0;
        }
      }
      stream.compactIfEmpty();
      proxyApplied(server.repl.offset() - offsetBefore);
    } catch (ProtocolException e) {
      toLink(new Failed(epoch, link, "Protocol error in the replication stream: " + e.getMessage()));
    }
    server.clients.flushPending();
  }

  /** The bytes just applied go on, unchanged, to this node's backlog and sub-replicas. */
  private void proxyApplied(long n) {
    if (n <= 0) return;
    int k = (int) Math.min(n, unproxied.length());
    master.proxy(unproxied.getBuffer(0, k));
    unproxied = unproxied.getBuffer(k, unproxied.length());
  }

  /**
   * Runs one command of the stream. Clients of a replica do not see expired keys, which only the master's DEL
   * removes; the master's own commands see every key as live, since the master decides when a key expires.
   */
  private void applyAsMaster(Args a) {
    Keyspace ks = server.keyspace();
    ks.executingMasterCommand(true);
    try {
      server.dispatcher.execute(masterClient, a);
    } finally {
      ks.executingMasterCommand(false);
      masterClient.out.truncate(0);
    }
  }

  /** REPLCONF GETACK from a client: an ACK right away, when the link is up. */
  @Override
  public void ackNow() {
    if (linkUp()) toLink(new Ack(epoch, server.repl.offset()));
  }

  // ---------------------------------------------------------------- INFO

  /** The replica fields of INFO replication, in Redis's order, from {@code role} to {@code replica_announced}. */
  public void info(BiConsumer<String, Object> f) {
    long now = System.currentTimeMillis();
    long lastIo = status.lastIoMillis;
    f.accept("role", "slave");
    f.accept("master_host", masterHost);
    f.accept("master_port", masterPort);
    f.accept("master_link_status", linkUp() ? "up" : "down");
    f.accept("master_last_io_seconds_ago", linkUp() ? (now - lastIo) / 1000 : -1);
    boolean syncing = state() == ReplState.TRANSFER;
    f.accept("master_sync_in_progress", syncing ? 1 : 0);
    f.accept("slave_read_repl_offset", linkUp() ? readOffset : server.repl.offset());
    f.accept("slave_repl_offset", server.repl.offset());
    if (syncing) {
      long total = status.transferSize;
      long read = status.transferRead;
      f.accept("master_sync_total_bytes", total);
      f.accept("master_sync_read_bytes", read);
      f.accept("master_sync_left_bytes", total < 0 ? -1 : total - read);
      f.accept("master_sync_perc", String.format(Locale.ROOT, "%.2f", total <= 0 ? 0.0 : read * 100.0 / total));
      f.accept("master_sync_last_io_seconds_ago", (now - lastIo) / 1000);
    }
    if (!linkUp()) {
      long down = status.downSinceMillis;
      f.accept("master_link_down_since_seconds", down == 0 ? -1 : (now - down) / 1000);
    }
    f.accept("slave_priority", server.config.getInt("replica-priority"));
    f.accept("slave_read_only", server.config.getBool("replica-read-only") ? 1 : 0);
    f.accept("replica_announced", server.config.getBool("replica-announced") ? 1 : 0);
  }
}
