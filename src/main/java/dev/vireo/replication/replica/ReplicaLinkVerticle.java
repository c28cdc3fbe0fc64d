package dev.vireo.replication.replica;

import dev.vireo.bus.Addresses;
import dev.vireo.bus.LocalCodec;
import dev.vireo.config.ServerConfig;
import dev.vireo.observability.SpanNames;
import dev.vireo.replication.ReplState;
import dev.vireo.replication.ReplicationIds;
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
import dev.vireo.util.Log;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
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

/**
 * The connection to the master named by {@code REPLICAOF host port}, on an event loop of its own. {@link
 * #advance()} is the re-entrant handler that moves the handshake state machine ({@link ReplState}) as replies
 * arrive, and every failure goes back to {@link ReplState#CONNECT}; timeouts, retries and the once-a-second
 * {@code REPLCONF ACK} live outside it, in {@link #cron()}. Each transition is recorded once, in {@link
 * #transition}: a log line, an event at {@link Addresses#REPLICATION_STATE} and the spans of {@link SyncTrace}.
 *
 * <p>It receives the RDB of a full resynchronization, to a temporary file in {@code dir} or, with {@code
 * repl-diskless-load swapdb} (or {@code on-empty-db} on an empty keyspace), into a bounded {@link TransferStream}
 * from which the data loop's parser reads as the bytes arrive (the socket pauses while the parser is behind).
 * Everything that touches the dataset happens on the data loop, in {@link ReplicaLink}: this verticle hands it the
 * RDB and then the command stream, one message per network read at most ({@link LinkMessages}), and the data loop
 * answers with the offset it applied, which the link acknowledges.
 *
 * <p>Spans: {@code replication.rdb.transfer} covers the receipt of the RDB and {@code replication.rdb.load} its
 * parse and insertion. From a file they follow each other; from the socket the load starts with the first byte
 * received, so the two overlap and the load ends after the transfer, once the last key is in.
 */
public final class ReplicaLinkVerticle extends VerticleBase {
  /** Opens the connection to the master: a TCP client normally, a scripted connection in tests. */
  interface Connector {
    Future<NetSocket> connect(int port, String host);
  }

  private static final int EOF_MARK_LEN = 40;
  private static final long MAX_RETRY_DELAY_MILLIS = 5000;
  /**
   * Bytes received and not yet parsed, beyond which the socket pauses during a load from the socket; the system
   * property {@code vireo.replica.parser-queue-bytes} sets another bound (read at each transfer).
   */
  private static final String PARSER_QUEUE_PROPERTY = "vireo.replica.parser-queue-bytes";
  private static final long PARSER_QUEUE_BYTES = 8L << 20;

  private final ServerConfig config;
  private final Log log;
  private final LinkStatus status;
  private final String dataAddress;
  private final String controlAddress;
  private NetClient net;
  private Connector connector;
  private long cronTimer = -1;
  private MessageConsumer<ToLink> control;

  /** The REPLICAOF this link serves (0: none yet). */
  private long epoch;
  private String masterHost;
  private int masterPort;
  private int listeningPort;
  private ReplState state = ReplState.NONE;
  /** Bumped whenever the socket is abandoned, so callbacks and replies about an old connection are ignored. */
  private long generation;
  private NetSocket socket;
  private int attempt;
  /** Spans of the current attempt; every transition feeds it. */
  private final SyncTrace trace = new SyncTrace();
  private int failures;
  private long attemptStartMillis;
  private long nextConnectMillis;

  // handshake replies, then what arrives while the data loop is not yet applying the stream
  private Buffer in = Buffer.buffer();
  /**
   * This master is the target of a failover, and has not answered PSYNC yet: its answer, or the link's first
   * failure, is reported to the data loop ({@link FailoverReply}).
   */
  private boolean failoverPending;
  /** The handshake's last replies: REPLCONF capa, then REPLCONF traceparent when it was sent. */
  private boolean capaAnswered;
  private boolean traceSent;

  // full resynchronization
  /**
   * The master refused PSYNC and got {@code SYNC}: the RDB comes without an id or offset, and such a master
   * expects no {@code REPLCONF ACK}.
   */
  private boolean legacySync;
  private String fullSyncReplId;
  private long fullSyncOffset;
  /** What the data loop said before PSYNC: whether its keyspace was empty (for {@code on-empty-db}). */
  private boolean keyspaceEmpty;
  private boolean haveTransferHeader;
  private byte[] eofMark;
  /** Set by {@link #takeRdb} once the whole RDB has been taken from the socket. */
  private boolean rdbComplete;
  private Path transferFile;
  private OutputStream transferOut;
  /** The data loop has the RDB (or the socket's parser queue) and has not answered yet. */
  private boolean loading;
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

  ReplicaLinkVerticle(ServerConfig config, Log log, LinkStatus status, String dataAddress, String controlAddress) {
    this(config, log, status, dataAddress, controlAddress, null);
  }

  /** With {@code connector} null, the master is reached over TCP. */
  ReplicaLinkVerticle(ServerConfig config, Log log, LinkStatus status, String dataAddress, String controlAddress,
      Connector connector) {
    this.connector = connector;
    this.config = config;
    this.log = log;
    this.status = status;
    this.dataAddress = dataAddress;
    this.controlAddress = controlAddress;
  }

  @Override
  public Future<?> start() {
    int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, config.getLong("repl-timeout") * 1000);
    net = vertx.createNetClient(new NetClientOptions().setConnectTimeout(timeoutMillis)
        .setTcpNoDelay(!config.getBool("repl-disable-tcp-nodelay")));
    if (connector == null) connector = net::connect;
    cronTimer = vertx.setPeriodic(1000, id -> cron());
    control = vertx.eventBus().localConsumer(controlAddress, this::onControl);
    return control.completion();
  }

  @Override
  public Future<?> stop() {
    if (cronTimer >= 0) vertx.cancelTimer(cronTimer);
    dropConnection();
    return control.unregister().compose(v -> net.close());
  }

  private void toData(ToData m) {
    vertx.eventBus().send(dataAddress, m, LocalCodec.OPTIONS);
  }

  // ---------------------------------------------------------------- messages from the data loop

  private void onControl(Message<ToLink> m) {
    ToLink body = m.body();
    if (body instanceof Follow f) {
      trace.continueTrace(f.traceparent());
      follow(f);
      failoverPending = f.failover();
    } else if (body instanceof Unfollow u) {
      failoverPending = false;
      epoch = u.epoch();
      unfollow();
    } else if (body instanceof Linked l) {
      if (l.epoch() == epoch && l.link() == generation) linkEstablished(l);
    } else if (body instanceof Failed f) {
      if (f.epoch() == epoch && f.link() == generation) fail(f.reason());
    } else if (body instanceof Ack a) {
      if (a.epoch() == epoch && state == ReplState.CONNECTED && !loading) sendAck(a.offset());
    }
  }

  private void follow(Follow f) {
    // as in Redis: leaving a live link starts the down time now; a link already down keeps its start
    if (state == ReplState.CONNECTED) status.downSinceMillis = System.currentTimeMillis();
    dropConnection();
    epoch = f.epoch();
    masterHost = f.host();
    masterPort = f.port();
    listeningPort = f.listeningPort();
    attempt = 0;
    failures = 0;
    status.lastError = null;
    transition(ReplState.CONNECT, "REPLICAOF " + masterHost + " " + masterPort, null);
    connect();
  }

  private void unfollow() {
    if (masterHost == null) return;
    dropConnection();
    transition(ReplState.NONE, "REPLICAOF NO ONE", null);
    masterHost = null;
    masterPort = 0;
    status.lastError = null;
    status.downSinceMillis = 0;
  }

  // ---------------------------------------------------------------- connection

  private void connect() {
    long gen = ++generation;
    attempt++;
    attemptStartMillis = System.currentTimeMillis();
    status.lastIoMillis = attemptStartMillis;
    transition(ReplState.CONNECTING, "attempt " + attempt, null);
    connector.connect(masterPort, masterHost).onComplete(ar -> {
      if (gen != generation) {
        if (ar.succeeded()) ar.result().close();
        return;
      }
      if (ar.failed()) {
        fail("Error condition on socket for SYNC: " + ar.cause().getMessage());
        return;
      }
      socket = ar.result();
      status.lastIoMillis = System.currentTimeMillis();
      socket.handler(b -> onData(gen, b));
      socket.closeHandler(v -> {
        if (gen == generation) fail(state == ReplState.CONNECTED ? "Connection with master lost"
            : "Master closed the connection during " + state);
      });
      socket.exceptionHandler(e -> {
        if (gen == generation) fail("Error on the master link: " + e.getMessage());
      });
      log.info("MASTER <-> REPLICA sync started");
      transition(ReplState.RECEIVE_PING_REPLY, "connected, PING sent", null);
      send("PING");
    });
  }

  /**
   * Abandons the socket and any transfer in progress; the data loop abandons its load and the master client. The
   * state is left to the caller.
   */
  private void dropConnection() {
    boolean hadConnection = socket != null || loading;
    long gen = generation++;
    in = Buffer.buffer();
    resetTransfer();
    if (socket != null) {
      socket.close();
      socket = null;
    }
    if (hadConnection) toData(new Down(epoch, gen));
  }

  /**
   * Every failure comes here: close, remember why, and go back to CONNECT. A link that was up reconnects at once
   * (a partial resynchronization is likely); a failed attempt waits, longer after each consecutive failure.
   */
  private void fail(String reason) {
    if (masterHost == null) return;
    if (failoverPending) { // the failover aborts rather than retrying
      failoverPending = false;
      toData(new FailoverReply(epoch, generation, null, reason));
    }
    boolean wasUp = state == ReplState.CONNECTED;
    dropConnection();
    status.lastError = reason;
    if (wasUp) {
      status.downSinceMillis = System.currentTimeMillis();
      failures = 0;
      nextConnectMillis = 0;
    } else {
      failures++;
      nextConnectMillis = System.currentTimeMillis()
          + Math.min(MAX_RETRY_DELAY_MILLIS, 1000L << Math.min(failures - 1, 4));
    }
    transition(ReplState.CONNECT, wasUp ? "reconnecting at once" : "retrying in "
        + Math.max(0, nextConnectMillis - System.currentTimeMillis()) + " ms", reason);
    if (wasUp) context.runOnContext(v -> {
      if (state == ReplState.CONNECT && masterHost != null) connect();
    });
  }

  /** Once a second: connection retries, timeouts, and {@code REPLCONF ACK}. */
  private void cron() {
    if (masterHost == null) return;
    long now = System.currentTimeMillis();
    long timeoutMillis = config.getLong("repl-timeout") * 1000;
    switch (state) {
      case CONNECT -> {
        if (now >= nextConnectMillis) connect();
      }
      case CONNECTED -> {
        if (now - status.lastIoMillis > timeoutMillis) {
          log.warn("MASTER timeout: no data nor PING received...");
          fail("Timeout: no data nor PING received from the master in " + timeoutMillis / 1000 + " seconds");
        } else {
          ackApplied();
        }
      }
      case NONE -> {}
      default -> {
        if (receivingToParser && !paused && now - status.lastIoMillis > timeoutMillis) {
          // the parser waits for bytes that do not come; a paused socket is not the master's silence
          fail("Timeout receiving the RDB from the MASTER: no data in " + timeoutMillis / 1000 + " seconds");
        } else if (loading) {
          send(Buffer.buffer("\n")); // tells the master we are alive while we load
        } else if (now - status.lastIoMillis > timeoutMillis) {
          fail("Timeout connecting to the MASTER during " + state);
        }
      }
    }
  }

  // ---------------------------------------------------------------- state machine

  /** Records a state change: a log line, an event at {@link Addresses#REPLICATION_STATE}, the spans. */
  private void transition(ReplState next, String detail, String error) {
    ReplState previous = state;
    state = next;
    status.state = next;
    trace.transition(previous, next, detail, error, masterHost, masterPort, attempt);
    long now = System.currentTimeMillis();
    StringBuilder line = new StringBuilder("Replication state ").append(previous).append(" -> ").append(next);
    if (detail != null) line.append(" (").append(detail).append(')');
    if (error != null) line.append(": ").append(error);
    if (error != null) log.warn(line.toString());
    else log.info(line.toString());
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
    status.lastIoMillis = System.currentTimeMillis();
    if (state == ReplState.CONNECTED) {
      toData(new Stream(epoch, gen, data));
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
          log.info("Master replied to PING, replication can continue...");
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
            log.info("(Non critical) Master does not understand REPLCONF listening-port: " + reply);
          }
          transition(announceIp().isEmpty() ? ReplState.RECEIVE_CAPA_REPLY : ReplState.RECEIVE_IP_REPLY,
              null, null);
        }
        case RECEIVE_IP_REPLY -> {
          String reply = readLine();
          if (reply == null) return;
          if (reply.startsWith("-")) {
            log.info("(Non critical) Master does not understand REPLCONF ip-address: " + reply);
          }
          transition(ReplState.RECEIVE_CAPA_REPLY, null, null);
        }
        case RECEIVE_CAPA_REPLY -> {
          String reply = readLine();
          if (reply == null) return;
          if (!capaAnswered) {
            capaAnswered = true;
            if (reply.startsWith("-")) {
              log.info("(Non critical) Master does not understand REPLCONF capa: " + reply);
            }
            if (traceSent) continue; // the reply to REPLCONF traceparent comes next
          } else if (reply.startsWith("-")) {
            log.verbose("(Non critical) Master does not take the trace context: " + reply);
          }
          transition(ReplState.SEND_PSYNC, null, null);
          askForPsync();
          return;
        }
        case RECEIVE_PSYNC_REPLY -> {
          if (loading) return; // +CONTINUE came: what follows is the stream, for the data loop once it answers
          String reply = readLine();
          if (reply == null) return;
          if (reply.isEmpty()) continue; // keepalive while the master prepares the snapshot
          psyncReply(reply);
        }
        case TRANSFER -> {
          if (!transfer()) return;
        }
        default -> {
          return;
        }
      }
    }
  }

  private void sendHandshake() {
    String auth = config.get("masterauth");
    String user = config.get("masteruser");
    boolean withAuth = auth != null && !auth.isEmpty();
    Buffer b = Buffer.buffer();
    if (withAuth) {
      b.appendBytes(user != null && !user.isEmpty() ? encode("AUTH", user, auth) : encode("AUTH", auth));
    }
    int port = config.getInt("replica-announce-port");
    b.appendBytes(encode("REPLCONF", "listening-port", Integer.toString(port != 0 ? port : listeningPort)));
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
    String ip = config.get("replica-announce-ip");
    return ip == null ? "" : ip;
  }

  /**
   * PSYNC offers the history the data loop has (its own, for a former master; the master's, after a sync), so the
   * data loop is asked for it first; {@code PSYNC ? -1} only when the id is unusable.
   */
  private void askForPsync() {
    long gen = generation;
    vertx.eventBus().<Offer>request(dataAddress, new Ask(epoch, gen), LocalCodec.OPTIONS).onComplete(ar -> {
      if (gen != generation) return;
      if (ar.failed()) {
        fail("The data loop did not answer before PSYNC: " + ar.cause().getMessage());
        return;
      }
      sendPsync(ar.result().body());
      advance(); // a reply may already be waiting
    });
  }

  private void sendPsync(Offer offer) {
    legacySync = false;
    keyspaceEmpty = offer.keyspaceEmpty();
    String id = offer.id();
    long offset = offer.offset();
    if (ReplicationIds.isValid(id)) {
      log.info("Trying a partial resynchronization (request " + id + ":" + offset + ").");
    } else {
      id = "?";
      offset = -1;
      log.info("Partial resynchronization not possible (no cached master)");
    }
    // the master of a failover in progress asks its target to take over (Redis 7.0's PSYNC ... FAILOVER)
    boolean failover = offer.failover() && !id.equals("?");
    send(Buffer.buffer(failover ? encode("PSYNC", id, Long.toString(offset), "FAILOVER")
        : encode("PSYNC", id, Long.toString(offset))));
    transition(ReplState.RECEIVE_PSYNC_REPLY, "PSYNC " + id + " " + offset + (failover ? " FAILOVER" : ""), null);
  }

  private void psyncReply(String reply) {
    if (failoverPending) {
      failoverPending = false;
      toData(new FailoverReply(epoch, generation, reply, null));
      if (!reply.startsWith("+FULLRESYNC") && !reply.startsWith("+CONTINUE")) {
        // no SYNC after a refused failover: the data loop aborts it and this node becomes a master again
        fail("Failover target rejected psync request: " + reply);
        return;
      }
    }
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
      log.info("Full resync from master: " + w[1] + ":" + w[2]);
      resetTransfer();
      transition(ReplState.TRANSFER, "full resynchronization " + w[1] + ":" + w[2], null);
    } else if (reply.startsWith("+CONTINUE")) {
      String newId = reply.length() > 10 ? reply.substring(10).trim() : "";
      log.info("Successful partial resynchronization with master.");
      // the data loop applies what follows; until it answers, the stream waits in {@link #in}
      loading = true;
      toData(new Continued(epoch, generation, newId, socket));
    } else if (reply.startsWith("-NOMASTERLINK") || reply.startsWith("-LOADING")) {
      fail("Master is currently unable to PSYNC but should be in the future: " + reply);
    } else if (reply.startsWith("-NOAUTH")) {
      fail("Master requires authentication and masterauth is not set: " + reply);
    } else if (reply.startsWith("-")) {
      // a master that does not know PSYNC: the old SYNC, which always transfers the whole dataset
      log.warn("Unexpected reply to PSYNC from master: " + reply + "; retrying with SYNC...");
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

  /** The data loop applies the stream: the link is up, and what arrived meanwhile goes to it. */
  private void linkEstablished(Linked l) {
    boolean partial = l.keysLoaded() < 0;
    long rdbBytes = eofMark != null ? status.transferRead - EOF_MARK_LEN : status.transferRead;
    trace.outcome(l.replId(), l.offset(), l.keysLoaded(), partial ? 0 : rdbBytes);
    loading = false;
    haveTransferHeader = false;
    toParser = null;
    failures = 0;
    status.lastError = null;
    transition(ReplState.CONNECTED, partial ? "partial resynchronization at offset " + l.offset()
        : "full resynchronization loaded " + l.keysLoaded() + " keys", null);
    log.info("MASTER <-> REPLICA sync: Finished with success");
    toData(new Online(epoch, generation));
    sendAck(l.offset()); // a diskless master waits for the first ACK before streaming
    Buffer rest = in;
    in = Buffer.buffer();
    if (rest.length() > 0) toData(new Stream(epoch, generation, rest));
  }

  // ---------------------------------------------------------------- RDB transfer

  private void resetTransfer() {
    haveTransferHeader = false;
    status.transferSize = -1;
    eofMark = null;
    status.transferRead = 0;
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
          status.transferSize = Long.parseLong(line.substring(1));
        } catch (NumberFormatException e) {
          fail("Bad RDB length from MASTER: '" + line + "'");
          return false;
        }
      }
      haveTransferHeader = true;
      boolean fromSocket = loadFromSocket();
      String where = fromSocket ? "to parser" : "to disk";
      log.info(eofMark != null ? "MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF " + where
          : "MASTER <-> REPLICA sync: receiving " + status.transferSize + " bytes from master " + where);
      if (fromSocket) {
        startSocketLoad();
        return true;
      }
      try {
        Path dir = Path.of(config.get("dir"));
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
    trace.step(SpanNames.RDB_LOAD);
    loading = true;
    Path file = transferFile;
    transferFile = null; // the data loop deletes it once loaded
    toData(new LoadFile(epoch, generation, file.toString(), syncReplId(), fullSyncOffset, socket));
    return false;
  }

  /** After SYNC the master named no history: a fresh id, counted from 0. */
  private String syncReplId() {
    return legacySync ? ReplicationIds.random() : fullSyncReplId;
  }

  /**
   * Redis's choice: {@code swapdb} always parses from the socket; {@code on-empty-db} only when there is nothing to
   * lose should the transfer fail half way, else it goes through a file like {@code disabled}.
   */
  private boolean loadFromSocket() {
    String mode = config.get("repl-diskless-load");
    return "swapdb".equals(mode) || ("on-empty-db".equals(mode) && keyspaceEmpty);
  }

  /** The data loop's parser reads the RDB from a bounded queue that this link fills as the bytes arrive. */
  private void startSocketLoad() {
    long gen = generation;
    trace.overlap(SpanNames.RDB_LOAD); // the transfer span covers the receipt
    long bound = Math.max(1, Long.getLong(PARSER_QUEUE_PROPERTY, PARSER_QUEUE_BYTES));
    TransferStream stream = new TransferStream(bound, () -> context.runOnContext(v -> resumeSocket(gen)));
    toParser = stream;
    receivingToParser = true;
    loading = true;
    toData(new LoadStream(epoch, gen, stream, syncReplId(), fullSyncOffset, socket));
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
    if (toParser.offer(rdb, done) && !paused && socket != null) {
      paused = true;
      pauses++;
      socket.pause();
    }
    if (!done) return true;
    receivingToParser = false;
    trace.step(SpanNames.RDB_LOAD); // the transfer span ends, the load span goes on
    log.info("MASTER <-> REPLICA sync: RDB received (" + status.transferRead + " bytes, the socket paused " + pauses
        + " times for the parser), finishing the load");
    return false;
  }

  /**
   * Takes the next bytes of the RDB out of {@link #in}, without the {@code $EOF:} mark; what follows the RDB stays
   * in {@link #in} for the command stream. {@link #rdbComplete} says when the whole RDB has been taken. The last
   * bytes before a possible mark wait for the next read, since the mark may arrive split.
   */
  private byte[] takeRdb() {
    long read = status.transferRead;
    if (eofMark == null) {
      int take = (int) Math.min(in.length(), status.transferSize - read);
      byte[] rdb = in.getBytes(0, take);
      in = in.getBuffer(take, in.length());
      status.transferRead = read + take;
      rdbComplete = read + take == status.transferSize;
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
      status.transferRead = read + fresh.length - (data.length - after);
      held = new byte[0];
      rdbComplete = true;
      return Arrays.copyOfRange(data, 0, at);
    }
    int keep = Math.min(data.length, EOF_MARK_LEN - 1);
    held = Arrays.copyOfRange(data, data.length - keep, data.length);
    status.transferRead = read + fresh.length;
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
    status.lastIoMillis = System.currentTimeMillis();
    if (socket != null) socket.resume();
  }

  // ---------------------------------------------------------------- replies and acknowledgements

  /** The once-a-second ACK: the data loop answers with the offset it has applied. */
  private void ackApplied() {
    long gen = generation;
    vertx.eventBus().<Long>request(dataAddress, new AckDue(epoch, gen), LocalCodec.OPTIONS).onSuccess(m -> {
      if (gen == generation && state == ReplState.CONNECTED) sendAck(m.body());
    });
  }

  private void sendAck(long offset) {
    if (legacySync) return; // it would answer with an error that the stream cannot hold
    send(Buffer.buffer(encode("REPLCONF", "ACK", Long.toString(offset))));
  }

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
}
