package dev.vireo.bus;

/** Every event-bus address the node uses, in one place. */
public final class Addresses {
  private Addresses() {}

  /**
   * Request/reply, answered on the data loop: {@code {"status":"ok","role":..,"port":..,"uptime_in_seconds":..,
   * "connected_clients":..,"keys":..}}. A reply proves the data loop is responsive.
   */
  public static final String HEALTH = "vireo.node.health";

  /**
   * Published on every change of the replica link's state: {@code {"state":..,"previous":..,"master_host":..,
   * "master_port":..,"attempt":..,"elapsed_ms":..,"detail":..,"error":..}} (state names are Redis's
   * {@code REPL_STATE_*} names; {@code detail} and {@code error} only when there is one; never a password).
   */
  public static final String REPLICATION_STATE = "vireo.replication.state";

  /**
   * Published by the event-bus bridge (for its clients) when the node's role changes: {@code {"role":"master"|
   * "replica","master":"host:port"|null,"since":..,"cause":"replicaof"|"failover"|"info","previous_role":..,
   * "previous_master":..}}, told by the replica link's events ({@code REPLICAOF}, from a person or Sentinel), a
   * failover's {@code role-switched} and {@code promoted}, or INFO; {@code since} is epoch milliseconds.
   */
  public static final String REPLICATION_ROLE = "vireo.replication.role";

  /**
   * Request/reply, answered on the data loop: the text of {@code INFO everything} (every section, commandstats
   * and latencystats included), or of the sections the request's body names (space-separated), exactly as a RESP
   * client would get it. Metrics and the status page derive their
   * figures from it, as redis_exporter does.
   */
  public static final String INFO = "vireo.node.info";

  /**
   * Published by a master for each step of serving one replica: {@code {"event":..,"replica":"ip:port",
   * "client_id":..,"state":..,"offset":..,"detail":..,"error":..}}. Events: {@code replconf} (capabilities
   * declared), {@code psync} (the request: {@code detail} is "PSYNC id offset" or "SYNC"), {@code continue}
   * (partial resynchronization accepted: {@code offset} is where the stream resumes, {@code bytes} the backlog
   * sent), {@code fullresync} (a full resynchronization starts at {@code offset}), {@code snapshot} (the RDB
   * is ready: {@code bytes}), {@code rdb_sent}, {@code online}, {@code disconnected} ({@code error} says why).
   * {@code state} is the replica's state as INFO replication shows it (wait_bgsave, send_bulk, online).
   */
  public static final String REPLICATION_REPLICAS = "vireo.replication.replicas";

  /**
   * Point to point, local only, on the data loop; the node's run id is appended ({@code vireo.replica.link.<runid>}):
   * what the replica-link verticle hands the data loop, as typed messages passed by reference ({@link LocalCodec}):
   * the request for PSYNC's arguments, {@code +CONTINUE}, the RDB (a file, or the bytes as they arrive), the command
   * stream (one message per network read at most) and the link going down.
   */
  public static final String REPLICA_LINK = "vireo.replica.link";

  /**
   * Point to point, local only, on the replica-link verticle's event loop, with the node's run id appended: REPLICAOF
   * and REPLICAOF NO ONE, the data loop's answers to a load or a partial resynchronization (the offset the stream
   * starts from), failures, and {@code REPLCONF ACK} to send now.
   */
  public static final String REPLICA_CONTROL = "vireo.replica.control";

  /**
   * Point to point, local only, on the propagation verticle's event loop, with the node's run id appended: the
   * encoded writes of one data-loop turn as one {@code Buffer}, the master offset they reach, and the online
   * replicas' connections to write them to (passed by reference, {@link LocalCodec}).
   */
  public static final String REPLICATION_FANOUT = "vireo.replication.fanout";

  /**
   * Published on every phase of a coordinated failover ({@code FAILOVER}), on the node that runs it and on the
   * replica that takes over: {@code {"phase":..,"side":"master"|"target","state":..,"target":"host:port",
   * "offset":..,"target_offset":..,"elapsed_ms":..,"ts":..,"detail":..,"error":..}}. {@code state} is INFO's
   * {@code master_failover_state} after the phase; {@code elapsed_ms} counts from the failover's start;
   * {@code ts} is epoch milliseconds; {@code detail} and {@code error} only when there is one. Phases, in order, on
   * the master: {@code started} (writes paused), {@code synced} (the target reached the master's offset) or
   * {@code forced} (the timeout passed with FORCE), {@code psync-failover} (PSYNC ... FAILOVER sent to the
   * target), {@code role-switched} (the target accepted, {@code detail} is its answer: this node now replicates from
   * it, and writes resume), {@code resynced} (the link streams from the target: a partial resynchronization, or a
   * full one once its RDB is loaded), {@code done}; or {@code aborted} ({@code error} says why: ABORT, timeout, the
   * target refused or was lost). On the target: {@code promoted} (it answered PSYNC ... FAILOVER by becoming a
   * master).
   */
  public static final String REPLICATION_FAILOVER = "vireo.replication.failover";

  /**
   * Request/reply, local only: the fleet view as {@code /api/fleet} serves it, {@code {"nodes": [{"id", "host",
   * "port", "http_port", "role", "master", "link", "offset", "sync", "lag_bytes", "lag_ms", "member", "up"}],
   * "edges": [{"from", "to", "link"}]}} (see {@code dev.vireo.fleet.FleetView}).
   */
  public static final String FLEET_VIEW = "vireo.fleet.view";
  /**
   * Published once a second by every node (on its own bus; with {@code fleet yes} on the fleet's bus too, and what
   * other members publish there again on each node's own bus): the node's snapshot, {@code {"id", "host", "port",
   * "http_port", "role", "master", "link", "offset", "sync", "replicas": [{"addr", "state", "offset"}], "ts"}}.
   */
  public static final String FLEET_STATUS = "vireo.fleet.status";
  /**
   * Published on the fleet's bus by each member for its replication events, and again on every node's own bus:
   * {@code {"node": "host:port", "address": <the local address: vireo.replication.state, .replicas or .failover>,
   * "event": <that event's JSON>}}; and once on joining, {@code {"node", "address": "fleet", "event":
   * {"joined_ms", "members"}}}.
   */
  public static final String FLEET_EVENTS = "vireo.fleet.events";
  /**
   * Published on the fleet's bus by a master that has replicas, ten times a second: {@code {"node": "host:port",
   * "offset": master_repl_offset, "ts": epoch milliseconds}}. The samples from which every member computes a
   * replica's lag in milliseconds (see {@code dev.vireo.fleet.FleetView}).
   */
  public static final String FLEET_OFFSETS = "vireo.fleet.offsets";
}
