package dev.vireo.replication.master;

import dev.vireo.bus.Addresses;
import dev.vireo.observability.SpanNames;
import dev.vireo.observability.Tracing;
import dev.vireo.resp.CommandError;
import dev.vireo.server.Client;
import dev.vireo.server.ClientPause;
import dev.vireo.server.Server;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * A coordinated failover, as Redis 7.0 runs it ({@code FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms]}), on
 * both of its sides.
 *
 * <p>On the master: writes are paused ({@link ClientPause.Purpose#FAILOVER}, {@link ClientPause.Kind#WRITE}) and the
 * state is {@link State#WAIT_FOR_SYNC} until the target (the one named, or the first replica to get there) has
 * acknowledged the master's whole stream; then {@link State#IN_PROGRESS}: this node follows the target, and the
 * link's PSYNC carries {@code FAILOVER}, which makes the target a master that continues this node's history. Its
 * {@code +CONTINUE} (or {@code +FULLRESYNC}) ends the failover and lifts the pause; the clients it held then run
 * against a replica. A timeout without FORCE, {@code FAILOVER ABORT}, a refused PSYNC or a lost target abort it:
 * the node is a master again (under a new replication id, which its replicas continue) and the pause is lifted.
 *
 * <p>The wait is short because the master asks for an acknowledgement at once ({@code REPLCONF GETACK *}, which
 * Redis itself holds back during a pause) rather than waiting for the replica's once-a-second {@code REPLCONF
 * ACK}. A replica answers GETACK with the offset before the GETACK, so an acknowledgement of every byte before it is
 * enough: the GETACK carries no data. No PING goes to the replicas meanwhile, so that the offsets stay equal.
 *
 * <p>On the target: {@code PSYNC <replid> <offset> FAILOVER} from the master it follows makes it a master at once
 * ({@link #promote}); the PSYNC then goes on as any other, and continues the history it shares with that master.
 *
 * <p>Each phase is published at {@link Addresses#REPLICATION_FAILOVER} and traced as a child of one
 * {@link SpanNames#FAILOVER} span. Data loop only.
 */
public final class Failover {
  /** INFO's {@code master_failover_state}, with Redis's names. */
  public enum State {
    NO_FAILOVER("no-failover"),
    WAIT_FOR_SYNC("waiting-for-sync"),
    IN_PROGRESS("failover-in-progress");

    private final String infoName;

    State(String infoName) {
      this.infoName = infoName;
    }

    public String infoName() {
      return infoName;
    }
  }

  /** What a failover asks of the replica side, which owns the link to a master. */
  public interface RoleSwitch {
    /**
     * Follows {@code host:port} as {@code REPLICAOF} does; the link's PSYNC will carry {@code FAILOVER}, and its
     * first attempt's trace continues {@code traceparent} (W3C; null: a trace of its own).
     */
    void followForFailover(String host, int port, String traceparent);

    /** Stops following a master, as {@code REPLICAOF NO ONE} does: a new history that continues this one. */
    void unsetMaster();
  }

  private static final long TICK_MILLIS = 50;

  private final Server server;
  private final MasterSide master;
  private Vertx vertx;
  private RoleSwitch roles;

  private State state = State.NO_FAILOVER;
  private String host;
  private int port;
  private boolean force;
  /** When the wait for the target ends (unix ms), or 0 without TIMEOUT. */
  private long endMillis;
  private long startMillis;
  private long timer = -1;
  private boolean updateScheduled;
  /** The stream offsets around the GETACK this failover sent ({@code getAckFrom} -1: none sent). */
  private long getAckFrom = -1;
  private long getAckTo = -1;
  /** The target's acknowledged offset when the wait ended, for the events. */
  private long targetOffset = -1;
  private boolean forced;
  /** The failover ended with the target's answer; the link has yet to stream from it. */
  private String resyncHost;
  private int resyncPort;

  private Span root;
  private Span phase;

  Failover(Server server, MasterSide master) {
    this.server = server;
    this.master = master;
  }

  void start(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Installed by the replica side when the node is assembled. */
  public void roles(RoleSwitch roles) {
    this.roles = roles;
  }

  public State state() {
    return state;
  }

  /** True from FAILOVER to its end: REPLICAOF and replicas' SYNC are refused, no PING goes to replicas. */
  public boolean active() {
    return state != State.NO_FAILOVER;
  }

  // ---------------------------------------------------------------- the master side

  /**
   * {@code FAILOVER [TO host port [FORCE]] [TIMEOUT ms]}, its arguments already parsed ({@code host} null without
   * TO, {@code timeoutMillis} 0 without TIMEOUT): checked as Redis checks them, in its order, then started.
   */
  public void begin(String toHost, int toPort, long timeoutMillis, boolean withForce) {
    if (active()) throw new CommandError("ERR FAILOVER already in progress.");
    if (server.replicaRole().isReplica()) {
      throw new CommandError("ERR FAILOVER is not valid when server is a replica.");
    }
    if (master.replicas().isEmpty()) throw new CommandError("ERR FAILOVER requires connected replicas.");
    if (withForce && (timeoutMillis == 0 || toHost == null)) {
      throw new CommandError("ERR FAILOVER with force option requires both a timeout and target HOST and IP.");
    }
    if (toHost != null) {
      ServedReplica r = find(toHost, toPort);
      if (r == null) throw new CommandError("ERR FAILOVER target HOST and PORT is not a replica.");
      if (r.state != ServedReplica.State.ONLINE) throw new CommandError("ERR FAILOVER target replica is not online.");
      server.log.info("FAILOVER requested to " + toHost + ":" + toPort + ".");
      targetOffset = r.ackOffset;
    } else {
      server.log.info("FAILOVER requested to any replica.");
    }
    host = toHost;
    port = toPort;
    force = withForce;
    forced = false;
    if (toHost == null) targetOffset = -1;
    resyncHost = null;
    startMillis = System.currentTimeMillis();
    endMillis = timeoutMillis > 0 ? startMillis + timeoutMillis : 0;
    state = State.WAIT_FOR_SYNC;
    server.pause.pause(ClientPause.Purpose.FAILOVER, ClientPause.Kind.WRITE, Long.MAX_VALUE);
    root = Tracing.tracer().spanBuilder(SpanNames.FAILOVER).setNoParent()
        .setAttribute(SpanNames.ATTR_PORT, (long) server.port())
        .setAttribute(SpanNames.ATTR_FAILOVER_TARGET, toHost == null ? "any" : toHost + ":" + toPort)
        .setAttribute(SpanNames.ATTR_FAILOVER_FORCE, withForce)
        .setAttribute(SpanNames.ATTR_FAILOVER_TIMEOUT, timeoutMillis)
        .setAttribute(SpanNames.ATTR_OFFSET, server.repl.offset())
        .startSpan();
    phase(SpanNames.FAILOVER_WAIT_SYNC);
    event("started", null, null);
    // a replica that has everything already needs no GETACK: the offsets then stay exactly equal
    if (candidate() == null) {
      getAckFrom = server.repl.offset();
      master.feedGetAck();
      getAckTo = server.repl.offset();
    } else {
      getAckFrom = getAckTo = -1;
    }
    if (vertx != null) timer = vertx.setPeriodic(TICK_MILLIS, id -> update());
    scheduleUpdate();
  }

  /** {@code FAILOVER ABORT}. */
  public void abortCommand() {
    if (!active()) throw new CommandError("ERR No failover in progress.");
    abort("Failover manually aborted", null);
  }

  /** A replica acknowledged: the target may have caught up; checked once the data loop's turn is over. */
  void acked() {
    if (state == State.WAIT_FOR_SYNC) scheduleUpdate();
  }

  private void scheduleUpdate() {
    if (updateScheduled || vertx == null) return;
    updateScheduled = true;
    vertx.getOrCreateContext().runOnContext(v -> {
      updateScheduled = false;
      update();
    });
  }

  /** Redis's updateFailoverStatus: the timeout, else whether the target has caught up. */
  private void update() {
    if (state != State.WAIT_FOR_SYNC) return;
    if (endMillis != 0 && endMillis <= System.currentTimeMillis()) {
      if (force) {
        server.log.info("FAILOVER to " + host + ":" + port + " time out exceeded, failing over.");
        ServedReplica r = find(host, port);
        targetOffset = r == null ? -1 : r.ackOffset;
        forced = true;
        switchRoles("forced", "the timeout passed before the target caught up");
      } else {
        abort("Replica never caught up before timeout", null);
      }
      return;
    }
    ServedReplica r = candidate();
    if (r == null) return;
    if (host == null) {
      host = r.ip();
      port = r.listeningPort;
    }
    targetOffset = r.ackOffset;
    server.log.info("Failover target " + host + ":" + port + " is synced, failing over.");
    switchRoles("synced", null);
  }

  /** The target when it has acknowledged the whole stream: the one named, else the first replica that has. */
  private ServedReplica candidate() {
    if (host != null) {
      ServedReplica r = find(host, port);
      return r != null && synced(r) ? r : null;
    }
    for (ServedReplica r : master.replicas()) if (synced(r)) return r;
    return null;
  }

  private boolean synced(ServedReplica r) {
    long offset = server.repl.offset();
    if (r.ackOffset >= offset) return true;
    // answering the GETACK a replica names the offset before it; nothing but the GETACK came after
    return getAckFrom >= 0 && getAckTo == offset && r.ackOffset >= getAckFrom;
  }

  private ServedReplica find(String h, int p) {
    for (ServedReplica r : master.replicas()) {
      if (r.ip().equalsIgnoreCase(h) && r.listeningPort == p) return r;
    }
    return null;
  }

  private void switchRoles(String phaseName, String detail) {
    state = State.IN_PROGRESS;
    event(phaseName, detail, null);
    phase(SpanNames.FAILOVER_PSYNC);
    roles.followForFailover(host, port, traceparent(phase));
  }

  /**
   * The link is about to send PSYNC: true when it must carry {@code FAILOVER}, which is the case while a failover is
   * in progress, as in Redis.
   */
  public boolean psyncFailover(String replId, long offset) {
    if (state != State.IN_PROGRESS) return false;
    String request = "PSYNC " + replId + " " + offset + " FAILOVER";
    if (phase != null) phase.addEvent(request);
    event("psync-failover", request, null);
    return true;
  }

  /**
   * The target's answer to {@code PSYNC ... FAILOVER} ({@code reply}), or why the link to it failed first
   * ({@code error}). {@code +CONTINUE} and {@code +FULLRESYNC} end the failover; anything else aborts it.
   */
  public void targetAnswered(String reply, String error) {
    if (state != State.IN_PROGRESS) return;
    if (reply == null) {
      abort("Failover target was lost", error);
      return;
    }
    if (!reply.startsWith("+CONTINUE") && !reply.startsWith("+FULLRESYNC")) {
      abort("Failover target rejected psync request", reply);
      return;
    }
    phase(SpanNames.FAILOVER_ROLE_SWITCH);
    resyncHost = host;
    resyncPort = port;
    clear(); // the held clients run now, against a replica
    if (vertx != null) {
      vertx.eventBus().publish(Addresses.REPLICATION_FAILOVER, body("role-switched", resyncHost, resyncPort, reply,
          null));
    }
    phase(SpanNames.FAILOVER_RESYNC);
  }

  /**
   * The link streams from {@code linkHost:linkPort} from {@code offset} ({@code full}: after loading its RDB): when it
   * is the target of the failover that just ended, the failover is done.
   */
  public void linked(String linkHost, int linkPort, long offset, boolean full) {
    if (resyncHost == null || !resyncHost.equalsIgnoreCase(linkHost) || resyncPort != linkPort) return;
    String h = resyncHost;
    int p = resyncPort;
    resyncHost = null;
    String how = full ? "full resynchronization" : "partial resynchronization";
    if (vertx == null) return;
    vertx.eventBus().publish(Addresses.REPLICATION_FAILOVER, body("resynced", h, p, how + " from offset " + offset,
        null));
    if (root != null) root.setAttribute(SpanNames.ATTR_RESULT, forced ? "forced" : "synced");
    endSpans(null);
    vertx.eventBus().publish(Addresses.REPLICATION_FAILOVER, body("done", h, p, forced ? "forced" : null, null));
  }

  /** Redis's abortFailover: a node that already follows the target is a master again; the pause is lifted. */
  private void abort(String why, String detail) {
    if (!active()) return;
    server.log.info(host != null ? "FAILOVER to " + host + ":" + port + " aborted: " + why
        : "FAILOVER to any replica aborted: " + why);
    String h = host;
    int p = port;
    if (state == State.IN_PROGRESS) roles.unsetMaster();
    clear();
    if (vertx != null) {
      vertx.eventBus().publish(Addresses.REPLICATION_FAILOVER, body("aborted", h, p, detail, why));
    }
    endSpans(why);
  }

  /** Redis's clearFailoverState. */
  private void clear() {
    state = State.NO_FAILOVER;
    host = null;
    port = 0;
    force = false;
    endMillis = 0;
    getAckFrom = getAckTo = -1;
    if (timer >= 0 && vertx != null) vertx.cancelTimer(timer);
    timer = -1;
    server.pause.unpause(ClientPause.Purpose.FAILOVER);
  }

  // ---------------------------------------------------------------- the target side

  /**
   * {@code PSYNC <replid> <offset> FAILOVER} from {@code c}: refused on a master and for another history; else this
   * node stops following its master and becomes one, and the PSYNC goes on as usual.
   */
  void promote(Client c, String replId) {
    if (!server.replicaRole().isReplica()) throw new CommandError("ERR PSYNC FAILOVER can't be sent to a master.");
    server.log.warn("Failover request received for replid " + replId + ".");
    if (!replId.equals(server.repl.replId())) {
      throw new CommandError("ERR PSYNC FAILOVER replid must match my replid.");
    }
    // in the trace of the master's failover, when it sent its context (REPLCONF traceparent, as a Vireo node does)
    String traceparent = c.replicaDeclaration instanceof ServedReplica d ? d.traceparent : null;
    Span span = Tracing.tracer().spanBuilder(SpanNames.FAILOVER_PROMOTE).setParent(MasterSide.parentOf(traceparent))
        .setAttribute(SpanNames.ATTR_PORT, (long) server.port())
        .setAttribute(SpanNames.ATTR_REPLICA, c.addr)
        .setAttribute(SpanNames.ATTR_OFFSET, server.repl.offset())
        .startSpan();
    roles.unsetMaster();
    server.log.info("MASTER MODE enabled (failover request from '" + server.clients.describe(c) + "')");
    span.setAttribute(SpanNames.ATTR_REPLID, server.repl.replId());
    span.setStatus(StatusCode.OK);
    span.end();
    if (vertx == null) return;
    long now = System.currentTimeMillis();
    JsonObject ev = new JsonObject()
        .put("phase", "promoted")
        .put("side", "target")
        .put("state", state.infoName())
        .put("target", c.laddr)
        .put("offset", server.repl.offset())
        .put("target_offset", server.repl.offset())
        .put("elapsed_ms", 0L)
        .put("ts", now)
        .put("detail", "PSYNC " + replId + " FAILOVER from " + c.addr + "; new replication id "
            + server.repl.replId());
    vertx.eventBus().publish(Addresses.REPLICATION_FAILOVER, ev);
  }

  // ---------------------------------------------------------------- events and spans

  private void event(String name, String detail, String error) {
    if (vertx == null) return;
    vertx.eventBus().publish(Addresses.REPLICATION_FAILOVER, body(name, host, port, detail, error));
  }

  private JsonObject body(String name, String h, int p, String detail, String error) {
    long now = System.currentTimeMillis();
    JsonObject ev = new JsonObject()
        .put("phase", name)
        .put("side", "master")
        .put("state", state.infoName())
        .put("target", h == null ? null : h + ":" + p)
        .put("offset", server.repl.offset())
        .put("target_offset", targetOffset)
        .put("elapsed_ms", now - startMillis)
        .put("ts", now);
    if (detail != null) ev.put("detail", detail);
    if (error != null) ev.put("error", error);
    if (root != null) {
      root.addEvent(name);
      if (h != null) root.setAttribute(SpanNames.ATTR_FAILOVER_TARGET, h + ":" + p);
    }
    return ev;
  }

  private static String traceparent(Span span) {
    if (span == null || !span.getSpanContext().isValid()) return null;
    SpanContext sc = span.getSpanContext();
    return "00-" + sc.getTraceId() + "-" + sc.getSpanId() + "-" + sc.getTraceFlags().asHex();
  }

  /** Ends the current phase's span and starts {@code name} as the next one, a child of the failover's span. */
  private void phase(String name) {
    if (root == null) return;
    if (phase != null) phase.end();
    phase = Tracing.tracer().spanBuilder(name).setParent(Context.root().with(root)).startSpan();
  }

  private void endSpans(String error) {
    if (phase != null) {
      if (error != null) phase.setStatus(StatusCode.ERROR, error);
      phase.end();
      phase = null;
    }
    if (root != null) {
      if (error != null) root.setStatus(StatusCode.ERROR, error);
      else root.setStatus(StatusCode.OK);
      root.end();
      root = null;
    }
  }
}
