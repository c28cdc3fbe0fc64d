package dev.vireo.server;

import dev.vireo.bus.LocalCodec;
import dev.vireo.config.ServerConfig;
import dev.vireo.replication.ReplicationIds;
import dev.vireo.replication.ReplicationState;
import dev.vireo.store.EncodingLimits;
import dev.vireo.store.Keyspace;
import dev.vireo.util.Log;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * The node's state on the data loop and the parts that each own one piece of it: the {@link ClientRegistry},
 * the {@link Dispatcher}, {@link Transactions}, {@link PubSub}, {@link Blocking} and the {@link Cron}; the
 * keyspace, configuration, statistics and the {@link ReplicationState}. What lies above the data loop's core
 * (persistence, the replica link, the master side) is reached through the narrow interfaces {@link Snapshots},
 * {@link ReplicaRole} and {@link Propagation}, installed when the node is assembled. Single-threaded by
 * construction: only the data loop calls into it.
 */
public final class Server {
  public final Log log;
  public final ServerConfig config;
  public final Stats stats = new Stats();
  public final SlowLog slowLog = new SlowLog();
  public final LatencyMonitor latency = new LatencyMonitor();
  public final EncodingLimits encodingLimits;
  public final long startMillis = System.currentTimeMillis();
  public final String runId = ReplicationIds.random();
  /** replid, replid2 and the offsets: changed only through its methods. */
  public final ReplicationState repl = new ReplicationState();

  public final ClientRegistry clients;
  /** client-output-buffer-limit, parsed: for clients here and for replicas on the master side. */
  public final OutputBufferLimits outputLimits;
  public final PubSub pubsub = new PubSub();
  private final KeyspaceEvents events;
  /** Busy mode: a script past busy-reply-threshold holds the keyspace on the script thread. */
  public final Busy busy = new Busy();
  public final ClientPause pause = new ClientPause(this);
  /** SHUTDOWN and the termination signals, waiting for lagging replicas first. */
  public final ShutdownWait shutdownWait = new ShutdownWait(this);
  /** MIGRATE's connections to its targets. */
  public final MigrateSockets migrateSockets = new MigrateSockets();
  public final Blocking blocking;
  public final Transactions transactions;
  public final Tracking tracking;
  public final Dispatcher dispatcher;
  /** used_memory, maxmemory and eviction. */
  public final Memory memory;
  private final Cron cron;
  private final Keyspace keyspace;

  private Snapshots snapshots = Snapshots.NONE;
  private ReplicaRole replicaRole = ReplicaRole.NONE;
  private Propagation propagation = Propagation.NONE;
  private AppendOnly appendOnly = AppendOnly.NONE;
  private ScriptInfo scriptInfo = ScriptInfo.NONE;

  /** Writes since the last save (rdb_changes_since_last_save). */
  private long dirty;
  private int port;
  private Runnable shutdownHook = () -> {};

  // Hot-path copies of configuration values, refreshed by CONFIG SET listeners.
  private String requirepass;
  private long protoMaxBulkLen;
  private long queryBufferLimit;

  public Server(ServerConfig config, Log log, CommandTable table) {
    this.config = config;
    this.log = log;
    this.keyspace = new Keyspace(config.getInt("databases"));
    this.encodingLimits = new EncodingLimits(config);
    this.outputLimits = new OutputBufferLimits(config);
    this.clients = new ClientRegistry(this);
    this.blocking = new Blocking(keyspace);
    this.tracking = new Tracking(this);
    this.transactions = new Transactions(keyspace, tracking);
    this.dispatcher = new Dispatcher(this, table);
    transactions.dispatcher(dispatcher);
    this.cron = new Cron(this);
    this.memory = new Memory(this);
    this.events = new KeyspaceEvents(pubsub, config, keyspace);
    memory.evictedListener((db, key) -> events.notify(KeyspaceEvents.EVICTED, "evicted", db.index, key));
    memory.clientsSource(clients::memClientsNormal);
    requirepass = config.get("requirepass");
    protoMaxBulkLen = config.getLong("proto-max-bulk-len");
    queryBufferLimit = config.getLong("client-query-buffer-limit");
    config.onChange("requirepass", v -> requirepass = v);
    config.onChange("proto-max-bulk-len", v -> protoMaxBulkLen = config.getLong("proto-max-bulk-len"));
    config.onChange("client-query-buffer-limit", v -> queryBufferLimit = config.getLong("client-query-buffer-limit"));
    config.onChange("loglevel", log::level);
  }

  /** Installs what lies above the core: persistence, the replica link and the master side. */
  public void install(Snapshots snapshots, ReplicaRole replicaRole, Propagation propagation) {
    this.snapshots = snapshots;
    this.replicaRole = replicaRole;
    this.propagation = propagation;
  }

  /** The script engine's numbers for INFO; installed by the engine when the command table is filled. */
  public void scriptInfo(ScriptInfo info) {
    scriptInfo = info;
  }

  public ScriptInfo scriptInfo() {
    return scriptInfo;
  }

  public Snapshots snapshots() {
    return snapshots;
  }

  public ReplicaRole replicaRole() {
    return replicaRole;
  }

  public Propagation propagation() {
    return propagation;
  }

  /** Installs the append-only file (the AOF package, once the node is assembled). */
  public void install(AppendOnly aof) {
    this.appendOnly = aof;
  }

  public AppendOnly appendOnly() {
    return appendOnly;
  }

  public Keyspace keyspace() {
    return keyspace;
  }

  /** Keyspace notifications ({@code notify-keyspace-events}). */
  public KeyspaceEvents events() {
    return events;
  }

  public CommandTable table() {
    return dispatcher.table();
  }

  /** Writes since the last save ({@code rdb_changes_since_last_save}); also how the dispatcher sees a write. */
  public long dirty() {
    return dirty;
  }

  /** A command changed {@code n} things (negative: a save took the changes it covered). */
  public void addDirty(long n) {
    dirty += n;
  }

  public boolean authRequired() {
    if (access != null) return access.authRequired();
    return requirepass != null && !requirepass.isEmpty();
  }

  private AccessControl access;

  /** Installs the ACL users (the acl package, once the node is assembled). */
  public void install(AccessControl access) {
    this.access = access;
    transactions.access(access);
  }

  /** The ACL users, or null before they are installed (then only {@code requirepass} counts). */
  public AccessControl access() {
    return access;
  }

  /** Constant-time comparison with requirepass. */
  public boolean checkPassword(byte[] given) {
    byte[] want = requirepass.getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(want, given);
  }

  long protoMaxBulkLen() {
    return protoMaxBulkLen;
  }

  long queryBufferLimit() {
    return queryBufferLimit;
  }

  public int port() {
    return port;
  }

  void port(int port) {
    this.port = port;
  }

  /** On the data loop, before the port opens: timers and the parts above the core start here. */
  Future<?> start(Vertx vertx, Context dataLoop) {
    LocalCodec.register(vertx); // the parts' verticles exchange typed messages by reference
    blocking.start(vertx, this);
    pause.start(vertx);
    tracking.start(dataLoop);
    snapshots.start(vertx, dataLoop);
    return Future.all(propagation.start(vertx), replicaRole.start(vertx, dataLoop));
  }

  void cron() {
    cron.run();
  }

  public void shutdownHook(Runnable r) {
    shutdownHook = r;
  }

  /**
   * Before exiting: saves the dataset when asked to, or by default when save rules are configured (as Redis);
   * returns false when that save failed and FORCE was not given.
   */
  public boolean prepareForShutdown(boolean save, boolean nosave, boolean force) {
    appendOnly.shutdown(); // the AOF is written and synced whatever happens to the RDB
    if (nosave || !(save || snapshots.hasSaveRules())) return true;
    log.info("Saving the final RDB snapshot before exiting.");
    String err = snapshots.save();
    if (err == null) return true;
    log.warn(force ? "Error trying to save the DB. Exit anyway." : "Error trying to save the DB, can't exit.");
    return force;
  }

  public void requestShutdown() {
    shutdownHook.run();
  }

  public String roleName() {
    return replicaRole.isReplica() ? "slave" : "master";
  }

  public String configFileName() {
    Path p = config.configFile();
    return p == null ? "" : p.toAbsolutePath().toString();
  }


  /** True while a background save may still read values: in-place changes must copy first. */
  public boolean snapshotInProgress() {
    return snapshots.snapshotInUse();
  }
}
