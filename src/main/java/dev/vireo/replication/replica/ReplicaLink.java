package dev.vireo.replication.replica;

import dev.vireo.bus.Addresses;
import dev.vireo.observability.SpanNames;
import dev.vireo.persistence.RdbLoader;
import dev.vireo.replication.ReplState;
import dev.vireo.replication.ReplicationIds;
import dev.vireo.replication.master.MasterSide;
import dev.vireo.resp.Args;
import dev.vireo.resp.ProtocolException;
import dev.vireo.resp.RespReader;
import dev.vireo.server.Client;
import dev.vireo.server.ReplicaRole;
import dev.vireo.server.Server;
import dev.vireo.store.Keyspace;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * The replica side of replication: the link to the master named by {@code REPLICAOF host port}. One object on
 * the data loop owns the socket; {@link #advance()} is the re-entrant handler that moves the handshake state
 * machine ({@link ReplState}) as replies arrive, and every failure goes back to {@link ReplState#CONNECT}.
 * Timeouts, retries and the once-a-second {@code REPLCONF ACK} live outside it, in {@link #cron()}.
 *
 * <p>A full resynchronization with {@code repl-diskless-load disabled} buffers the RDB to a temporary file in
 * {@code dir}, then flushes the keyspace and loads the file: parsed on a worker thread, inserted on the data loop
 * in batches. With {@code swapdb}, and with {@code on-empty-db} when the keyspace is empty, no file is written:
 * the bytes go from the socket to the same parser as they arrive, through a bounded {@link TransferStream} (the
 * socket pauses while the parser is behind). After that, the command stream is executed as the master client; the
 * replication offset grows by the bytes of each command applied.
 *
 * <p>Spans: {@code replication.rdb.transfer} covers the receipt of the RDB and {@code replication.rdb.load} its
 * parse and insertion. From a file they follow each other; from the socket the load starts with the first byte
 * received, so the two overlap and the load ends after the transfer, once the last key is in.
 */
public final class ReplicaLink implements ReplicaRole {
  private static final int EOF_MARK_LEN = 40;
  private static final long MAX_RETRY_DELAY_MILLIS = 5000;
  /**
   * Bytes received and not yet parsed, beyond which the socket pauses during a load from the socket; the system
   * property {@code vireo.replica.parser-queue-bytes} sets another bound (read at each transfer).
   */
  private static final String PARSER_QUEUE_PROPERTY = "vireo.replica.parser-queue-bytes";
  private static final long PARSER_QUEUE_BYTES = 8L << 20;

  private final Server server;
  private Vertx vertx;
  private Context dataLoop;
  private NetClient net;
  private long cronTimer = -1;

  private String masterHost;
  private int masterPort;
  private ReplState state = ReplState.NONE;
  private String lastError;
  /** Bumped whenever the socket is abandoned, so callbacks of an old connection are ignored. */
  private long generation;
  private NetSocket socket;
  private Client masterClient;
  /**
   * The database the master's stream had selected when the link dropped: a partial resynchronization continues
   * the same stream, which does not select it again.
   */
  private int cachedMasterDb;
  /** Bytes of a MULTI block applied so far: the offset moves only at its EXEC, as in Redis. */
  private long transactionBytes;
  private int attempt;
  /** Spans of the current attempt; every transition feeds it. */
  private final SyncTrace trace = new SyncTrace();
  /** Keys loaded by the full resynchronization that is finishing, -1 for a partial one. */
  private long lastKeysLoaded = -1;
  private int failures;
  private long attemptStartMillis;
  private long nextConnectMillis;
  private long lastIoMillis;
  private long downSinceMillis;

  // handshake replies
  private Buffer in = Buffer.buffer();

  // full resynchronization
  /**
   * The master refused PSYNC and got {@code SYNC}: the RDB comes without an id or offset, and such a master
   * expects no {@code REPLCONF ACK}.
   */
  private boolean legacySync;
  private String fullSyncReplId;
  private long fullSyncOffset;
  private boolean haveTransferHeader;
  private long transferSize = -1;
  private byte[] eofMark;
  /** Set by {@link #takeRdb} once the whole RDB has been taken from the socket. */
  private boolean rdbComplete;
  private long transferRead;
  private Path transferFile;
  private OutputStream transferOut;
  private boolean loading;
  /** With {@code repl-diskless-load swapdb}: the new dataset loads into a separate keyspace while the old serves. */
  private boolean loadingOnTheSide;
  /** The parser's input while the RDB is loaded from the socket, else null. */
  private TransferStream toParser;
  /** Loading from the socket and the RDB's last byte has not arrived yet. */
  private boolean receivingToParser;
  /** The socket is paused until the parser catches up. */
  private boolean paused;
  /** Times the socket paused during the current load from the socket, for its log line. */
  private int pauses;
  /** With an EOF mark: the last received bytes, held back until it is known whether they begin the mark. */
  private byte[] held = new byte[0];

  // command stream
  private RespReader stream = new RespReader();
  /** The handshake's last replies: REPLCONF capa, then REPLCONF traceparent when it was sent. */
  private boolean capaAnswered;
  private boolean traceSent;
  /** Stream bytes received and not yet passed on to sub-replicas (a command still incomplete, a MULTI block). */
  private Buffer unproxied = Buffer.buffer();
  private final Args args = new Args();
  private long streamFed;
  private long streamBoundary;
  /** Bytes of the stream read from the master (slave_read_repl_offset). */
  private long readOffset;

  /** This node's own replicas: they follow the history this link brings. */
  private final MasterSide master;

  public ReplicaLink(Server server, MasterSide master) {
    this.server = server;
    this.master = master;
  }

  @Override
  public void start(Vertx vertx, Context dataLoop) {
    this.vertx = vertx;
    this.dataLoop = dataLoop;
    int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, server.config.getLong("repl-timeout") * 1000);
    this.net = vertx.createNetClient(new NetClientOptions().setConnectTimeout(timeoutMillis)
        .setTcpNoDelay(!server.config.getBool("repl-disable-tcp-nodelay")));
    cronTimer = vertx.setPeriodic(1000, id -> cron());
  }

  public void stop() {
    if (cronTimer >= 0) vertx.cancelTimer(cronTimer);
    cronTimer = -1;
    dropConnection();
  }

  // ---------------------------------------------------------------- queries

  public boolean isReplica() {
    return masterHost != null;
  }

  public String masterHost() {
    return masterHost;
  }

  public int masterPort() {
    return masterPort;
  }

  public ReplState state() {
    return state;
  }

  /** Why the last attempt failed, or null. */
  public String lastError() {
    return lastError;
  }

  public boolean linkUp() {
    return state == ReplState.CONNECTED && !loading;
  }

  /** True while the RDB of a full resynchronization is being loaded: clients get {@code -LOADING}. */
  public boolean loading() {
    return loading && !loadingOnTheSide;
  }

  /** A swapdb load in progress: the old dataset is served while the master's loads beside it (async_loading). */
  public boolean asyncLoading() {
    return loading && loadingOnTheSide;
  }

  public long readOffset() {
    return readOffset;
  }

  /**
   * The database the master's stream has selected (what a snapshot records as {@code repl-stream-db}): the master
   * client's while the link is up, else the one a partial resynchronization would continue in.
   */
  public int streamDb() {
    return masterClient != null ? masterClient.db.index : cachedMasterDb;
  }

  /** At startup: the stream database recorded in the RDB file, for the partial resynchronization that follows. */
  public void restoreStreamDb(int db) {
    cachedMasterDb = db;
  }

  /** The master client, while the link is up. */
  public Client masterClient() {
    return masterClient;
  }

  // ---------------------------------------------------------------- REPLICAOF

  /**
   * REPLICAOF host port: forgets any current link and starts following {@code host:port}. Returns false when
   * this is already the master being followed.
   */
  public boolean replicaOf(String host, int port) {
    if (host.equalsIgnoreCase(masterHost) && port == masterPort) return false;
    dropConnection();
    boolean wasMaster = masterHost == null;
    masterHost = host;
    masterPort = port;
    attempt = 0;
    failures = 0;
    lastError = null;
    downSinceMillis = 0;
    server.keyspace().replica(true);
    master.roleChanged(false);
    server.log.role('S');
    if (wasMaster) server.log.info("Before turning into a replica, using my own master parameters to "
        + "synthesize a cached master: I may be able to synchronize with the new master with just a partial "
        + "transfer.");
    server.log.info("Connecting to MASTER " + host + ":" + port);
    transition(ReplState.CONNECT, "REPLICAOF " + host + " " + port, null);
    connect();
    return true;
  }

  /** REPLICAOF NO ONE: stops following, keeps the data, and starts a new history (the old id becomes replid2). */
  public void unsetMaster() {
    if (masterHost == null) return;
    dropConnection();
    server.repl.promote();
    server.keyspace().replica(false);
    masterHost = null;
    master.roleChanged();
    server.log.role('M');
    server.log.info("MASTER MODE enabled");
    transition(ReplState.NONE, "REPLICAOF NO ONE", null);
    masterHost = null;
    masterPort = 0;
    lastError = null;
  }

  // ---------------------------------------------------------------- connection

  private void connect() {
    long gen = ++generation;
    attempt++;
    attemptStartMillis = System.currentTimeMillis();
    lastIoMillis = attemptStartMillis;
    transition(ReplState.CONNECTING, "attempt " + attempt, null);
    net.connect(masterPort, masterHost).onComplete(ar -> {
      if (gen != generation) {
        if (ar.succeeded()) ar.result().close();
        return;
      }
      if (ar.failed()) {
        fail("Error condition on socket for SYNC: " + ar.cause().getMessage());
        return;
      }
      socket = ar.result();
      lastIoMillis = System.currentTimeMillis();
      socket.handler(b -> onData(gen, b));
      socket.closeHandler(v -> {
        if (gen == generation) fail(state == ReplState.CONNECTED ? "Connection with master lost"
            : "Master closed the connection during " + state);
      });
      socket.exceptionHandler(e -> {
        if (gen == generation) fail("Error on the master link: " + e.getMessage());
      });
      server.log.info("MASTER <-> REPLICA sync started");
      transition(ReplState.RECEIVE_PING_REPLY, "connected, PING sent", null);
      send("PING");
    });
  }

  /**
   * Abandons the socket, the master client and any transfer in progress (a load in progress included, with the
   * keys it inserted); the state is left to the caller.
   */
  private void dropConnection() {
    generation++;
    in = Buffer.buffer();
    if (loading && !loadingOnTheSide) {
      // the loader stops at its next batch (the generation moved); what it inserted so far is only part of the
      // master's dataset, which must not be served: the old data is already gone, so the replica is left empty
      server.log.warn("MASTER <-> REPLICA sync: load abandoned, discarding the partially loaded data");
      server.keyspace().flushAll();
    }
    loadingOnTheSide = false; // a side load is simply dropped: the old dataset stays
    resetTransfer();
    stream = new RespReader();
    unproxied = Buffer.buffer();
    streamFed = streamBoundary = 0;
    transactionBytes = 0;
    if (masterClient != null) {
      cachedMasterDb = masterClient.db.index;
      server.clients.removeMasterClient(masterClient);
      masterClient = null;
    }
    if (socket != null) {
      socket.close();
      socket = null;
    }
  }

  /**
   * Every failure comes here: close, remember why, and go back to CONNECT. A link that was up reconnects at once
   * (a partial resynchronization is likely); a failed attempt waits, longer after each consecutive failure.
   */
  private void fail(String reason) {
    if (masterHost == null) return;
    boolean wasUp = state == ReplState.CONNECTED;
    dropConnection();
    lastError = reason;
    if (wasUp) {
      downSinceMillis = System.currentTimeMillis();
      failures = 0;
      nextConnectMillis = 0;
    } else {
      failures++;
      nextConnectMillis = System.currentTimeMillis()
          + Math.min(MAX_RETRY_DELAY_MILLIS, 1000L << Math.min(failures - 1, 4));
    }
    transition(ReplState.CONNECT, wasUp ? "reconnecting at once" : "retrying in "
        + Math.max(0, nextConnectMillis - System.currentTimeMillis()) + " ms", reason);
    if (wasUp) dataLoop.runOnContext(v -> {
      if (state == ReplState.CONNECT && masterHost != null) connect();
    });
  }

  /** Once a second: connection retries, timeouts, and {@code REPLCONF ACK}. */
  private void cron() {
    if (masterHost == null) return;
    long now = System.currentTimeMillis();
    long timeoutMillis = server.config.getLong("repl-timeout") * 1000;
    switch (state) {
      case CONNECT -> {
        if (now >= nextConnectMillis) connect();
      }
      case CONNECTED -> {
        if (loading) {
          send(Buffer.buffer("\n")); // tells the master we are alive while we load
        } else if (now - lastIoMillis > timeoutMillis) {
          server.log.warn("MASTER timeout: no data nor PING received...");
          fail("Timeout: no data nor PING received from the master in " + timeoutMillis / 1000 + " seconds");
        } else {
          sendAck(server.repl.offset());
        }
      }
      case NONE -> {}
      default -> {
        if (state == ReplState.TRANSFER && receivingToParser && !paused && now - lastIoMillis > timeoutMillis) {
          // the parser waits for bytes that do not come; a paused socket is not the master's silence
          fail("Timeout receiving the RDB from the MASTER: no data in " + timeoutMillis / 1000 + " seconds");
        } else if (state == ReplState.TRANSFER && loading) {
          send(Buffer.buffer("\n"));
        } else if (now - lastIoMillis > timeoutMillis) {
          fail("Timeout connecting to the MASTER during " + state);
        }
      }
    }
  }

  // ---------------------------------------------------------------- state machine

  /** Records a state change: a log line and an event at {@link Addresses#REPLICATION_STATE}. */
  private void transition(ReplState next, String detail, String error) {
    ReplState previous = state;
    state = next;
    trace.transition(previous, next, detail, error, masterHost, masterPort, attempt);
    long now = System.currentTimeMillis();
    StringBuilder line = new StringBuilder("Replication state ").append(previous).append(" -> ").append(next);
    if (detail != null) line.append(" (").append(detail).append(')');
    if (error != null) line.append(": ").append(error);
    if (error != null) server.log.warn(line.toString());
    else server.log.info(line.toString());
    if (vertx == null) return;
    JsonObject ev = new JsonObject()
        .put("state", next.name())
        .put("previous", previous.name())
        .put("master_host", masterHost)
        .put("master_port", masterPort)
        .put("attempt", attempt)
        .put("elapsed_ms", attemptStartMillis == 0 ? 0 : now - attemptStartMillis);
    if (detail != null) ev.put("detail", detail);
    if (error != null) ev.put("error", error);
    vertx.eventBus().publish(Addresses.REPLICATION_STATE, ev);
  }

  private void onData(long gen, Buffer data) {
    if (gen != generation) return;
    lastIoMillis = System.currentTimeMillis();
    if (state == ReplState.CONNECTED && !loading) {
      feedStream(data);
      return;
    }
    in.appendBuffer(data);
    if (!loading || receivingToParser) advance();
  }

  /** Moves the handshake on with whatever replies have arrived; returns when it needs more bytes. */
  private void advance() {
    long gen = generation;
    while (gen == generation) {
      switch (state) {
        case RECEIVE_PING_REPLY -> {
          String reply = readLine();
          if (reply == null) return;
          // -NOAUTH and -NOPERM are fine here: authentication comes next
          if (reply.startsWith("-") && !reply.startsWith("-NOAUTH") && !reply.startsWith("-NOPERM")
              && !reply.startsWith("-ERR operation not permitted")) {
            fail("Error reply to PING from master: '" + reply + "'");
            return;
          }
          server.log.info("Master replied to PING, replication can continue...");
          transition(ReplState.SEND_HANDSHAKE, null, null);
          sendHandshake();
        }
        case RECEIVE_AUTH_REPLY -> {
          String reply = readLine();
          if (reply == null) return;
          if (reply.startsWith("-")) {
            fail("Unable to AUTH to MASTER: " + reply);
            return;
          }
          transition(ReplState.RECEIVE_PORT_REPLY, null, null);
        }
        case RECEIVE_PORT_REPLY -> {
          String reply = readLine();
          if (reply == null) return;
          if (reply.startsWith("-")) {
            server.log.info("(Non critical) Master does not understand REPLCONF listening-port: " + reply);
          }
          transition(announceIp().isEmpty() ? ReplState.RECEIVE_CAPA_REPLY : ReplState.RECEIVE_IP_REPLY,
              null, null);
        }
        case RECEIVE_IP_REPLY -> {
          String reply = readLine();
          if (reply == null) return;
          if (reply.startsWith("-")) {
            server.log.info("(Non critical) Master does not understand REPLCONF ip-address: " + reply);
          }
          transition(ReplState.RECEIVE_CAPA_REPLY, null, null);
        }
        case RECEIVE_CAPA_REPLY -> {
          String reply = readLine();
          if (reply == null) return;
          if (!capaAnswered) {
            capaAnswered = true;
            if (reply.startsWith("-")) {
              server.log.info("(Non critical) Master does not understand REPLCONF capa: " + reply);
            }
            if (traceSent) continue; // the reply to REPLCONF traceparent comes next
          } else if (reply.startsWith("-")) {
            server.log.verbose("(Non critical) Master does not take the trace context: " + reply);
          }
          transition(ReplState.SEND_PSYNC, null, null);
          sendPsync();
        }
        case RECEIVE_PSYNC_REPLY -> {
          String reply = readLine();
          if (reply == null) return;
          if (reply.isEmpty()) continue; // keepalive while the master prepares the snapshot
          psyncReply(reply);
        }
        case TRANSFER -> {
          if (!transfer()) return;
        }
        case CONNECTED -> {
          Buffer rest = in;
          in = Buffer.buffer();
          if (rest.length() > 0) feedStream(rest);
          return;
        }
        default -> {
          return;
        }
      }
    }
  }

  private void sendHandshake() {
    String auth = server.config.get("masterauth");
    String user = server.config.get("masteruser");
    boolean withAuth = auth != null && !auth.isEmpty();
    Buffer b = Buffer.buffer();
    if (withAuth) {
      b.appendBytes(user != null && !user.isEmpty() ? encode("AUTH", user, auth) : encode("AUTH", auth));
    }
    int port = server.config.getInt("replica-announce-port");
    b.appendBytes(encode("REPLCONF", "listening-port", Integer.toString(port != 0 ? port : server.port())));
    if (!announceIp().isEmpty()) b.appendBytes(encode("REPLCONF", "ip-address", announceIp()));
    b.appendBytes(encode("REPLCONF", "capa", "eof", "capa", "psync2"));
    // the trace context goes to the master so that its spans join this attempt's trace; a master that does not
    // know the option (Redis) answers an error, which is not critical
    String traceparent = trace.traceparent();
    capaAnswered = false;
    traceSent = traceparent != null;
    if (traceSent) b.appendBytes(encode("REPLCONF", "traceparent", traceparent));
    send(b);
    transition(withAuth ? ReplState.RECEIVE_AUTH_REPLY : ReplState.RECEIVE_PORT_REPLY,
        withAuth ? "AUTH and REPLCONF sent" : "REPLCONF sent", null);
  }

  private String announceIp() {
    String ip = server.config.get("replica-announce-ip");
    return ip == null ? "" : ip;
  }

  /**
   * As Redis: the history this node has (its own, for a former master; the master's, after a sync) is offered
   * for a partial resynchronization; {@code PSYNC ? -1} only when the id is unusable.
   */
  private void sendPsync() {
    legacySync = false;
    String id;
    long offset;
    if (ReplicationIds.isValid(server.repl.replId())) {
      id = server.repl.replId();
      offset = server.repl.offset() + 1;
      server.log.info("Trying a partial resynchronization (request " + id + ":" + offset + ").");
    } else {
      id = "?";
      offset = -1;
      server.log.info("Partial resynchronization not possible (no cached master)");
    }
    send(Buffer.buffer(encode("PSYNC", id, Long.toString(offset))));
    transition(ReplState.RECEIVE_PSYNC_REPLY, "PSYNC " + id + " " + offset, null);
  }

  private void psyncReply(String reply) {
    if (reply.startsWith("+FULLRESYNC")) {
      String[] w = reply.split(" ");
      if (w.length < 3 || !ReplicationIds.isValid(w[1])) {
        fail("Master replied with wrong +FULLRESYNC syntax: '" + reply + "'");
        return;
      }
      try {
        fullSyncOffset = Long.parseLong(w[2]);
      } catch (NumberFormatException e) {
        fail("Master replied with wrong +FULLRESYNC syntax: '" + reply + "'");
        return;
      }
      fullSyncReplId = w[1];
      server.log.info("Full resync from master: " + w[1] + ":" + w[2]);
      resetTransfer();
      transition(ReplState.TRANSFER, "full resynchronization " + w[1] + ":" + w[2], null);
    } else if (reply.startsWith("+CONTINUE")) {
      String newId = reply.length() > 10 ? reply.substring(10).trim() : "";
      if (ReplicationIds.isValid(newId) && !newId.equals(server.repl.replId())) {
        server.repl.continueAs(newId);
        server.log.info("Master replication ID changed to " + newId);
        // sub-replicas learn the new id by reconnecting; the backlog continues
        master.roleChanged();
      }
      server.log.info("Successful partial resynchronization with master.");
      linkEstablished("partial resynchronization at offset " + server.repl.offset());
      masterClient.db = server.keyspace().db(cachedMasterDb);
    } else if (reply.startsWith("-NOMASTERLINK") || reply.startsWith("-LOADING")) {
      fail("Master is currently unable to PSYNC but should be in the future: " + reply);
    } else if (reply.startsWith("-NOAUTH")) {
      fail("Master requires authentication and masterauth is not set: " + reply);
    } else if (reply.startsWith("-")) {
      // a master that does not know PSYNC: the old SYNC, which always transfers the whole dataset
      server.log.warn("Unexpected reply to PSYNC from master: " + reply + "; retrying with SYNC...");
      legacySync = true;
      fullSyncReplId = null;
      fullSyncOffset = 0;
      resetTransfer();
      send("SYNC");
      transition(ReplState.TRANSFER, "SYNC after PSYNC error", null);
    } else {
      fail("Unexpected reply to PSYNC from master: '" + reply + "'");
    }
  }

  /** The master client is created and the stream may flow. */
  private void linkEstablished(String detail) {
    trace.outcome(server.repl.replId(), server.repl.offset(), lastKeysLoaded,
        eofMark != null ? transferRead - EOF_MARK_LEN : transferRead);
    lastKeysLoaded = -1;
    masterClient = server.clients.newMasterClient(socket);
    readOffset = server.repl.offset();
    unproxied = Buffer.buffer();
    stream = new RespReader();
    streamFed = streamBoundary = 0;
    failures = 0;
    lastError = null;
    transition(ReplState.CONNECTED, detail, null);
    server.log.info("MASTER <-> REPLICA sync: Finished with success");
    sendAck(server.repl.offset()); // a diskless master waits for the first ACK before streaming
  }

  // ---------------------------------------------------------------- RDB transfer

  private void resetTransfer() {
    haveTransferHeader = false;
    transferSize = -1;
    eofMark = null;
    transferRead = 0;
    loading = false;
    if (toParser != null) toParser.abort("the transfer from the master was abandoned");
    toParser = null;
    receivingToParser = false;
    paused = false;
    pauses = 0;
    held = new byte[0];
    closeTransferFile(true);
  }

  private void closeTransferFile(boolean delete) {
    if (transferOut != null) {
      try {
        transferOut.close();
      } catch (IOException ignored) {
        // the file is deleted or loaded next; nothing to keep
      }
      transferOut = null;
    }
    if (delete && transferFile != null) {
      try {
        Files.deleteIfExists(transferFile);
      } catch (IOException ignored) {
        // a stale temp file is harmless
      }
      transferFile = null;
    }
  }

  /** Receives the RDB; returns true when the state machine can go on. */
  private boolean transfer() {
    if (!haveTransferHeader) {
      String line = readLine();
      if (line == null) return false;
      if (line.isEmpty()) return true; // keepalive
      if (line.startsWith("-")) {
        fail("MASTER aborted replication with an error: " + line);
        return false;
      }
      if (!line.startsWith("$")) {
        fail("Bad protocol from MASTER, the first byte is not '$' (we received '" + line + "'), are you sure "
            + "the host and port are right?");
        return false;
      }
      if (line.startsWith("$EOF:")) {
        if (line.length() != 5 + EOF_MARK_LEN) {
          fail("Bad EOF mark from MASTER: '" + line + "'");
          return false;
        }
        eofMark = line.substring(5).getBytes(StandardCharsets.ISO_8859_1);
      } else {
        try {
          transferSize = Long.parseLong(line.substring(1));
        } catch (NumberFormatException e) {
          fail("Bad RDB length from MASTER: '" + line + "'");
          return false;
        }
      }
      haveTransferHeader = true;
      boolean fromSocket = loadFromSocket();
      String where = fromSocket ? "to parser" : "to disk";
      server.log.info(eofMark != null ? "MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF " + where
          : "MASTER <-> REPLICA sync: receiving " + transferSize + " bytes from master " + where);
      if (fromSocket) {
        startLoad(null);
        return true;
      }
      try {
        Path dir = Path.of(server.config.get("dir"));
        transferFile = dir.resolve("temp-" + System.currentTimeMillis() + "." + ProcessHandle.current().pid()
            + ".rdb");
        transferOut = new BufferedOutputStream(new FileOutputStream(transferFile.toFile()), 1 << 16);
      } catch (IOException | RuntimeException e) {
        fail("Opening the temp file needed for MASTER <-> REPLICA synchronization: " + e.getMessage());
        return false;
      }
    }
    if (toParser != null) return receiveToParser();
    if (in.length() == 0) return false;
    byte[] chunk = takeRdb();
    try {
      transferOut.write(chunk);
    } catch (IOException e) {
      fail("Write error writing to the DB on disk: " + e.getMessage());
      return false;
    }
    if (!rdbComplete) return true;
    closeTransferFile(false);
    startLoad(transferFile);
    return false;
  }

  /**
   * Redis's choice: {@code swapdb} always parses from the socket; {@code on-empty-db} only when there is nothing to
   * lose should the transfer fail half way, else it goes through a file like {@code disabled}.
   */
  private boolean loadFromSocket() {
    String mode = server.config.get("repl-diskless-load");
    return "swapdb".equals(mode) || ("on-empty-db".equals(mode) && server.keyspace().totalKeys() == 0);
  }

  /**
   * Hands what {@link #in} holds of the RDB to the parser; what follows the RDB stays in {@link #in} for the
   * command stream. Returns true while more of the RDB is expected.
   */
  private boolean receiveToParser() {
    if (!receivingToParser) return false; // the RDB is all there: the rest waits for the load to finish
    if (in.length() == 0) return false;
    byte[] rdb = takeRdb();
    boolean done = rdbComplete;
    if (toParser.offer(rdb) && !paused && socket != null) {
      paused = true;
      pauses++;
      socket.pause();
    }
    if (!done) return true;
    receivingToParser = false;
    toParser.end();
    trace.step(SpanNames.RDB_LOAD); // the transfer span ends, the load span goes on
    server.log.info("MASTER <-> REPLICA sync: RDB received (" + transferRead + " bytes, the socket paused " + pauses
        + " times for the parser), finishing the load");
    return false;
  }

  /**
   * Takes the next bytes of the RDB out of {@link #in}, without the {@code $EOF:} mark; what follows the RDB stays
   * in {@link #in} for the command stream. {@link #rdbComplete} says when the whole RDB has been taken. The last
   * bytes before a possible mark wait for the next read, since the mark may arrive split.
   */
  private byte[] takeRdb() {
    if (eofMark == null) {
      int take = (int) Math.min(in.length(), transferSize - transferRead);
      byte[] rdb = in.getBytes(0, take);
      in = in.getBuffer(take, in.length());
      transferRead += take;
      rdbComplete = transferRead == transferSize;
      return rdb;
    }
    byte[] fresh = in.getBytes();
    in = Buffer.buffer();
    byte[] data = new byte[held.length + fresh.length];
    System.arraycopy(held, 0, data, 0, held.length);
    System.arraycopy(fresh, 0, data, held.length, fresh.length);
    int at = indexOf(data, eofMark);
    if (at >= 0) {
      int after = at + EOF_MARK_LEN;
      if (after < data.length) in = Buffer.buffer(Arrays.copyOfRange(data, after, data.length));
      transferRead += fresh.length - (data.length - after);
      held = new byte[0];
      rdbComplete = true;
      return Arrays.copyOfRange(data, 0, at);
    }
    int keep = Math.min(data.length, EOF_MARK_LEN - 1);
    held = Arrays.copyOfRange(data, data.length - keep, data.length);
    transferRead += fresh.length;
    rdbComplete = false;
    return Arrays.copyOfRange(data, 0, data.length - keep);
  }

  private static int indexOf(byte[] data, byte[] mark) {
    outer:
    for (int i = 0, last = data.length - mark.length; i <= last; i++) {
      if (data[i] != mark[0]) continue;
      for (int j = 1; j < mark.length; j++) {
        if (data[i + j] != mark[j]) continue outer;
      }
      return i;
    }
    return -1;
  }

  /** The parser took the queue back under its bound: the socket may deliver again. */
  private void resumeSocket(long gen) {
    if (gen != generation || !paused) return;
    paused = false;
    lastIoMillis = System.currentTimeMillis();
    if (socket != null) socket.resume();
  }

  /**
   * Flushes the keyspace (or prepares a side keyspace for swapdb) and loads the RDB: the received {@code file},
   * or, when it is null, the bytes still arriving on the socket. The stream that arrives after the RDB waits in
   * {@link #in}.
   */
  private void startLoad(Path file) {
    long gen = generation;
    RdbLoader.Source source;
    if (file != null) {
      trace.step(SpanNames.RDB_LOAD);
      source = () -> Files.newInputStream(file);
    } else {
      trace.overlap(SpanNames.RDB_LOAD); // the transfer span covers the receipt
      long bound = Math.max(1, Long.getLong(PARSER_QUEUE_PROPERTY, PARSER_QUEUE_BYTES));
      TransferStream stream = new TransferStream(bound,
          () -> dataLoop.runOnContext(v -> resumeSocket(gen)));
      toParser = stream;
      receivingToParser = true;
      source = () -> stream;
    }
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
    long[] loaded = {0};
    int[] streamDb = {0};
    // the master's keys are kept even when their TTL passed: only its DEL removes them on a replica
    RdbLoader.load(server, target, vertx, dataLoop, source, false, () -> gen == generation).onComplete(ar -> {
      if (ar.succeeded()) {
        loaded[0] = ar.result().loaded();
        streamDb[0] = auxDb(ar.result().aux("repl-stream-db"));
      }
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // a stale temp file is harmless
        }
        if (file.equals(transferFile)) transferFile = null;
      }
      if (gen != generation) return;
      boolean cutShort = ar.succeeded() && receivingToParser; // the RDB ended before the bytes announced
      loading = false;
      loadingOnTheSide = false;
      toParser = null;
      if (ar.failed() || cutShort) {
        receivingToParser = false;
        if (!onTheSide) server.keyspace().flushAll(); // a side load leaves the old dataset in place
        fail("Failed trying to load the MASTER synchronization DB from " + from + ": "
            + (cutShort ? "the RDB ended before the transfer did" : ar.cause().getMessage()));
        return;
      }
      if (onTheSide) server.keyspace().replaceContents(target);
      server.log.info("MASTER <-> REPLICA sync: Loaded " + loaded[0] + " keys in "
          + (System.currentTimeMillis() - start) + " ms");
      // after SYNC the master named no history: a fresh id, counted from 0
      server.repl.adopt(legacySync ? ReplicationIds.random() : fullSyncReplId, fullSyncOffset);
      // sub-replicas cannot continue the old history: they resynchronize with this one
      master.newHistory();
      // a master that streams without a leading SELECT (a chained replica) names its database in the RDB
      cachedMasterDb = streamDb[0];
      haveTransferHeader = false;
      lastKeysLoaded = loaded[0];
      linkEstablished("full resynchronization loaded " + loaded[0] + " keys");
      masterClient.db = server.keyspace().db(cachedMasterDb);
      advance();
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
    readOffset += data.length();
    unproxied.appendBuffer(data);
    long offsetBefore = server.repl.offset();
    stream.feed(data);
    streamFed += data.length();
    long gen = generation;
    try {
      while (gen == generation && masterClient != null && !masterClient.isClosing() && stream.next(args)) {
        long consumed = streamFed - stream.pending();
        long bytes = consumed - streamBoundary;
        streamBoundary = consumed;
        if (args.count() >= 2 && args.is(0, "replconf") && args.is(1, "getack")) {
          sendAck(server.repl.offset()); // the offset before the GETACK itself, as Redis answers
        } else {
          applyAsMaster();
        }
        if (masterClient != null && masterClient.multi != null) {
          transactionBytes += bytes; // a transaction cut by a dropped link is sent again in full
        } else {
          server.repl.advance(transactionBytes + bytes);
          transactionBytes = 0;
        }
      }
      if (gen == generation) {
        stream.compactIfEmpty();
        proxyApplied(server.repl.offset() - offsetBefore);
      }
    } catch (ProtocolException e) {
      fail("Protocol error in the replication stream: " + e.getMessage());
    }
    server.clients.flushPending();
  }

  /**
   * Runs one command of the stream. Clients of a replica do not see expired keys, which only the master's DEL
   * removes; the master's own commands see every key as live, since the master decides when a key expires.
   */
  /** The bytes just applied go on, unchanged, to this node's backlog and sub-replicas. */
  private void proxyApplied(long n) {
    if (n <= 0) return;
    int k = (int) Math.min(n, unproxied.length());
    master.proxy(unproxied.getBuffer(0, k));
    unproxied = unproxied.getBuffer(k, unproxied.length());
  }

  private void applyAsMaster() {
    Keyspace ks = server.keyspace();
    ks.executingMasterCommand(true);
    try {
      server.dispatcher.execute(masterClient, args);
    } finally {
      ks.executingMasterCommand(false);
      masterClient.out.truncate(0);
    }
  }

  /** REPLCONF GETACK from a client: an ACK right away, when the link is up. */
  public void ackNow() {
    if (linkUp()) sendAck(server.repl.offset());
  }

  private void sendAck(long offset) {
    if (legacySync) return; // it would answer with an error that the stream cannot hold
    send(Buffer.buffer(encode("REPLCONF", "ACK", Long.toString(offset))));
  }

  // ---------------------------------------------------------------- reply lines and command encoding

  /** One reply line (without its CR LF, or a bare LF keepalive as ""), or null when it is incomplete. */
  private String readLine() {
    int n = in.length();
    for (int i = 0; i < n; i++) {
      if (in.getByte(i) == '\n') {
        int end = i > 0 && in.getByte(i - 1) == '\r' ? i - 1 : i;
        String line = in.getString(0, end, "UTF-8");
        in = in.getBuffer(i + 1, n);
        return line;
      }
    }
    return null;
  }

  private void send(String... command) {
    send(Buffer.buffer(encode(command)));
  }

  private void send(Buffer b) {
    if (socket != null) socket.write(b);
  }

  static byte[] encode(String... words) {
    StringBuilder sb = new StringBuilder();
    sb.append('*').append(words.length).append("\r\n");
    for (String w : words) {
      byte[] b = w.getBytes(StandardCharsets.UTF_8);
      sb.append('$').append(b.length).append("\r\n").append(w).append("\r\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------- INFO

  /** The replica fields of INFO replication, in Redis's order, from {@code role} to {@code replica_announced}. */
  public void info(BiConsumer<String, Object> f) {
    long now = System.currentTimeMillis();
    f.accept("role", "slave");
    f.accept("master_host", masterHost);
    f.accept("master_port", masterPort);
    f.accept("master_link_status", linkUp() ? "up" : "down");
    f.accept("master_last_io_seconds_ago", linkUp() ? (now - lastIoMillis) / 1000 : -1);
    boolean syncing = state == ReplState.TRANSFER;
    f.accept("master_sync_in_progress", syncing ? 1 : 0);
    f.accept("slave_read_repl_offset", linkUp() ? readOffset : server.repl.offset());
    f.accept("slave_repl_offset", server.repl.offset());
    if (syncing) {
      long total = eofMark != null ? -1 : transferSize;
      f.accept("master_sync_total_bytes", total);
      f.accept("master_sync_read_bytes", transferRead);
      f.accept("master_sync_left_bytes", total < 0 ? -1 : total - transferRead);
      f.accept("master_sync_perc", String.format(Locale.ROOT, "%.2f",
          total <= 0 ? 0.0 : transferRead * 100.0 / total));
      f.accept("master_sync_last_io_seconds_ago", (now - lastIoMillis) / 1000);
    }
    if (!linkUp()) {
      f.accept("master_link_down_since_seconds", downSinceMillis == 0 ? -1 : (now - downSinceMillis) / 1000);
    }
    f.accept("slave_priority", server.config.getInt("replica-priority"));
    f.accept("slave_read_only", server.config.getBool("replica-read-only") ? 1 : 0);
    f.accept("replica_announced", server.config.getBool("replica-announced") ? 1 : 0);
  }
}
