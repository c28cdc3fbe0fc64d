package dev.vireo.server;

import dev.vireo.command.CommandError;
import dev.vireo.command.CommandSpec;
import dev.vireo.command.CommandTable;
import dev.vireo.command.Commands;
import dev.vireo.command.Errors;
import dev.vireo.config.ServerConfig;
import dev.vireo.resp.Args;
import dev.vireo.store.Bytes;
import dev.vireo.store.Keyspace;
import dev.vireo.util.Log;
import dev.vireo.util.Repr;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's state on the data loop: configuration, keyspace, clients, statistics; and the dispatcher that runs
 * every command. Single-threaded by construction: only the data loop calls into it.
 */
public final class Server {
  public final Log log;
  public final ServerConfig config;
  public final Stats stats = new Stats();
  public final SlowLog slowLog = new SlowLog();
  public final LatencyMonitor latency = new LatencyMonitor();
  public final Blocking blocking = new Blocking();
  public final dev.vireo.persistence.Persistence persistence = new dev.vireo.persistence.Persistence(this);
  private final Watches watches = new Watches();
  private final Map<Bytes, java.util.LinkedHashSet<Client>> channelSubscribers = new java.util.HashMap<>();
  private final Map<Bytes, java.util.LinkedHashSet<Client>> patternSubscribers = new LinkedHashMap<>();
  public final dev.vireo.store.EncodingLimits encodingLimits;
  private io.vertx.core.Vertx vertx;
  private final Keyspace keyspace;
  private final CommandTable table;
  private final Map<Long, Client> clients = new LinkedHashMap<>();
  final List<Client> pendingFlush = new ArrayList<>();
  private final List<Client> monitors = new ArrayList<>();
  public final long startMillis = System.currentTimeMillis();
  public final String runId = dev.vireo.replication.ReplicationIds.random();
  /** The replication ID this node's dataset history is known by (master_replid). */
  public String replId = dev.vireo.replication.ReplicationIds.random();
  /** Offsets and the second replication id. */
  public final dev.vireo.replication.ReplicationIds repl = new dev.vireo.replication.ReplicationIds();
  /** The link to the master while this node is a replica (REPLICAOF). */
  public final dev.vireo.replication.replica.ReplicaLink replica = new dev.vireo.replication.replica.ReplicaLink(this);
  /** Replicas served by this node, the backlog and the stream (also on a replica: its sub-replicas). */
  public final dev.vireo.replication.master.MasterSide master = new dev.vireo.replication.master.MasterSide(this);
  /** Nesting of {@link #call}: commands run by EXEC are inside EXEC's call. */
  private int callDepth;
  /** What the running command propagates instead of itself ({@link #propagateAs}); null: itself. */
  private List<byte[][]> rewritten;
  /** Commands to propagate when the outermost command ends: database index and arguments. */
  private final List<Propagated> pendingPropagation = new ArrayList<>();

  /** One command to propagate, in the database it ran in. */
  private record Propagated(int db, byte[][] argv) {}
  public final long startupMemory;
  private long peakMemory;
  private long maxQueryBuffer;
  private long nextClientId = 1;
  private int port;
  private Runnable shutdownHook = () -> {};

  /** Writes since the last save (rdb_changes_since_last_save). */
  public long dirty;
  public long lastSaveSeconds = System.currentTimeMillis() / 1000;

  // Hot-path copies of configuration values, refreshed by CONFIG SET listeners.
  private String requirepass;
  private long protoMaxBulkLen;
  private long queryBufferLimit;
  private long slowlogSlowerThan;
  private int slowlogMaxLen;
  private int maxClients;
  private long latencyThresholdMillis;
  private long idleTimeoutSeconds;

  public Server(ServerConfig config, Log log) {
    this.config = config;
    this.log = log;
    this.keyspace = new Keyspace(config.getInt("databases"));
    this.table = Commands.table();
    this.encodingLimits = new dev.vireo.store.EncodingLimits(config);
    keyspace.addedListener((db, key) -> {
      if (blocking.anyWaiting()) blocking.signal(new ByteKey(db.index, key));
    });
    keyspace.modifiedListener((db, key) -> {
      if (!watches.isEmpty()) watches.touch(new ByteKey(db.index, key));
    });
    keyspace.clearedListener(db -> {
      if (!watches.isEmpty()) watches.touchDb(db);
    });
    // a key whose TTL passed goes from replicas too, as a DEL: they never expire keys on their own
    keyspace.expiredListener((db, key) -> propagateNow(db.index,
        new byte[][] {config.getBool("lazyfree-lazy-expire") ? UNLINK : DEL, key}));
    Runtime rt = Runtime.getRuntime();
    this.startupMemory = rt.totalMemory() - rt.freeMemory();
    requirepass = config.get("requirepass");
    protoMaxBulkLen = config.getLong("proto-max-bulk-len");
    queryBufferLimit = config.getLong("client-query-buffer-limit");
    slowlogSlowerThan = config.getLong("slowlog-log-slower-than");
    slowlogMaxLen = config.getInt("slowlog-max-len");
    maxClients = (int) Math.min(Integer.MAX_VALUE, config.getLong("maxclients"));
    config.onChange("requirepass", v -> requirepass = v);
    config.onChange("proto-max-bulk-len", v -> protoMaxBulkLen = config.getLong("proto-max-bulk-len"));
    config.onChange("client-query-buffer-limit", v -> queryBufferLimit = config.getLong("client-query-buffer-limit"));
    config.onChange("slowlog-log-slower-than", v -> slowlogSlowerThan = config.getLong("slowlog-log-slower-than"));
    config.onChange("slowlog-max-len", v -> slowlogMaxLen = config.getInt("slowlog-max-len"));
    config.onChange("maxclients", v -> maxClients = (int) Math.min(Integer.MAX_VALUE, config.getLong("maxclients")));
    config.onChange("loglevel", log::level);
    latencyThresholdMillis = config.getLong("latency-monitor-threshold");
    config.onChange("latency-monitor-threshold", v -> latencyThresholdMillis = config.getLong("latency-monitor-threshold"));
    idleTimeoutSeconds = config.getLong("timeout");
    config.onChange("timeout", v -> idleTimeoutSeconds = config.getLong("timeout"));
  }

  private static final byte[] DEL = {'D', 'E', 'L'};
  private static final byte[] UNLINK = {'U', 'N', 'L', 'I', 'N', 'K'};
  private static final byte[][] MULTI = {{'M', 'U', 'L', 'T', 'I'}};
  private static final byte[][] EXEC = {{'E', 'X', 'E', 'C'}};

  public Keyspace keyspace() {
    return keyspace;
  }

  public CommandTable table() {
    return table;
  }

  public boolean authRequired() {
    return requirepass != null && !requirepass.isEmpty();
  }

  /** Constant-time comparison with requirepass. */
  public boolean checkPassword(byte[] given) {
    byte[] want = requirepass.getBytes(StandardCharsets.UTF_8);
    return java.security.MessageDigest.isEqual(want, given);
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

  public void shutdownHook(Runnable r) {
    shutdownHook = r;
  }

  /**
   * Before exiting: saves the dataset when asked to, or by default when save rules are configured (as Redis);
   * returns false when that save failed and FORCE was not given.
   */
  public boolean prepareForShutdown(boolean save, boolean nosave, boolean force) {
    if (nosave || !(save || persistence.hasSaveRules())) return true;
    log.info("Saving the final RDB snapshot before exiting.");
    String err = persistence.save();
    if (err == null) return true;
    log.warn("Error trying to save the DB, can't exit.");
    return force;
  }

  public void requestShutdown() {
    shutdownHook.run();
  }

  public String roleName() {
    return replica.isReplica() ? "slave" : "master";
  }

  public String configFileName() {
    java.nio.file.Path p = config.configFile();
    return p == null ? "" : p.toAbsolutePath().toString();
  }

  /** Records a used-memory reading and returns the peak so far. */
  public long notePeakMemory(long used) {
    peakMemory = Math.max(peakMemory, used);
    return peakMemory;
  }

  /** The largest query buffer among connected clients (client_recent_max_input_buffer). */
  public long maxQueryBuffer() {
    long m = 0;
    for (Client c : clients.values()) m = Math.max(m, c.queryBufferLength());
    return Math.max(m, maxQueryBuffer);
  }

  /** CLIENT LIST/KILL type: normal, master, replica or pubsub. */
  public String clientType(Client c) {
    if (c.master) return "master";
    if (c.replica != null) return "replica";
    return c.subscriptionCount() > 0 ? "pubsub" : "normal";
  }

  /** CLIENT LIST flags: O monitor, N none. */
  public String clientFlags(Client c) {
    StringBuilder sb = new StringBuilder();
    if (c.master) sb.append('M');
    if (c.replica != null) sb.append('S');
    if (c.monitor) sb.append('O');
    if (c.subscriptionCount() > 0) sb.append('P');
    if (c.multi != null) sb.append('x');
    if (c.blocked != null) sb.append('b');
    if (c.multi != null && (c.watchedKeyTouched)) sb.append('d');
    return sb.length() == 0 ? "N" : sb.toString();
  }

  // ---------------------------------------------------------------- clients

  void accept(NetSocket socket) {
    stats.connectionsReceived++;
    Client c = new Client(nextClientId++, this, socket);
    if (clients.size() >= maxClients) {
      stats.rejectedConnections++;
      c.out.error("ERR max number of clients reached");
      c.closeAfterReply();
      c.flush();
      return;
    }
    clients.put(c.id, c);
    c.start();
  }

  void vertx(io.vertx.core.Vertx vertx) {
    this.vertx = vertx;
    replica.start(vertx, vertx.getOrCreateContext());
    master.start(vertx);
  }

  /** The client that applies the master's stream on a replica: registered, listed with flags=M, killable. */
  public Client newMasterClient(NetSocket socket) {
    Client c = new Client(nextClientId++, this, socket);
    c.master = true;
    c.authenticated = true;
    clients.put(c.id, c);
    return c;
  }

  /** Forgets the master client when the link drops. */
  public void removeMasterClient(Client c) {
    c.close();
    unregister(c);
  }

  /** Sends output produced for other clients (pub/sub, monitors) by commands run outside a client's read. */
  public void flushPendingOutput() {
    flushPending();
  }

  void unregister(Client c) {
    if (c.blocked != null) unblock(c);
    watches.unwatchAll(c);
    unsubscribeAll(c, false);
    clients.remove(c.id);
    monitors.remove(c);
    master.clientClosed(c);
  }

  public Iterable<Client> clients() {
    return clients.values();
  }

  public int clientCount() {
    return clients.size();
  }

  public Client client(long id) {
    return clients.get(id);
  }

  public void addMonitor(Client c) {
    if (!c.monitor) {
      c.monitor = true;
      monitors.add(c);
    }
  }

  public void removeMonitor(Client c) {
    c.monitor = false;
    monitors.remove(c);
  }

  void flushPending() {
    master.flushStream();
    for (int i = 0; i < pendingFlush.size(); i++) pendingFlush.get(i).flush();
    pendingFlush.clear();
  }

  public void closeAllClients() {
    replica.stop();
    for (Client c : new ArrayList<>(clients.values())) c.close();
  }

  // ---------------------------------------------------------------- dispatch

  /** Runs one command for a client: lookup, arity, auth, then the handler; replies go to the client's writer. */
  public void execute(Client c, Args a) {
    if (a.count() == 0) return;
    keyspace.tick();
    CommandSpec cmd = table.lookup(a);
    if (cmd == null) {
      reject(c, null, unknownCommand(a));
      return;
    }
    if (cmd.isContainer() && (a.count() >= 2 || !cmd.arityOk(1))) {
      if (a.count() < 2) {
        reject(c, cmd, "ERR wrong number of arguments for '" + cmd.fullName + "' command");
        return;
      }
      CommandSpec sub = cmd.subcommands().get(a.lower(1));
      if (sub == null) {
        reject(c, cmd, "ERR unknown subcommand '" + truncate(a.str(1), 128) + "'. Try "
            + cmd.name.toUpperCase() + " HELP.");
        return;
      }
      cmd = sub;
    }
    if (!cmd.arityOk(a.count())) {
      reject(c, cmd, "ERR wrong number of arguments for '" + cmd.fullName + "' command");
      return;
    }
    if (!c.authenticated && !cmd.has(CommandSpec.NO_AUTH)) {
      reject(c, cmd, Errors.NOAUTH);
      return;
    }
    if ((persistence.loading() || replica.loading()) && !cmd.has(CommandSpec.LOADING)) {
      reject(c, cmd, "LOADING Redis is loading the dataset in memory");
      return;
    }
    if (cmd.has(CommandSpec.PROTECTED) && !protectedActionAllowed(c, config.get("enable-debug-command"))) {
      reject(c, cmd, "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you "
          + "can run it from a local connection, otherwise you need to set this option in the configuration file, "
          + "and then restart the server.");
      return;
    }
    if (c.out.proto() == 2 && c.subscriptionCount() > 0 && !allowedWhileSubscribed(cmd)) {
      reject(c, cmd, "ERR Can't execute '" + cmd.fullName + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / "
          + "QUIT / RESET are allowed in this context");
      return;
    }
    if (replica.isReplica() && !c.master) {
      if (!replica.linkUp() && !cmd.has(CommandSpec.STALE) && !config.getBool("replica-serve-stale-data")) {
        reject(c, cmd, "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.");
        return;
      }
      if (cmd.has(CommandSpec.WRITE) && config.getBool("replica-read-only")) {
        reject(c, cmd, "READONLY You can't write against a read only replica.");
        return;
      }
    } else if (cmd.has(CommandSpec.WRITE) && !master.enoughGoodReplicas()) {
      reject(c, cmd, "NOREPLICAS Not enough good replicas to write.");
      return;
    }
    if (c.multi != null && cmd.has(CommandSpec.NO_MULTI)) {
      reject(c, cmd, "ERR Command not allowed inside a transaction");
      return;
    }
    if (c.multi != null && !controlsTransaction(cmd)) {
      c.multi.queued.add(new Transaction.Queued(cmd, a.toArray()));
      c.out.raw(dev.vireo.resp.RespWriter.QUEUED);
      return;
    }
    long startMicros = monitors.isEmpty() ? 0 : nowMicros();
    call(c, a, cmd);
    if (blocking.hasReady()) serveBlocked();
    // Monitors see the command after it ran, as in Redis (SELECT shows the database it selected).
    if (!monitors.isEmpty() && !cmd.has(CommandSpec.SKIP_MONITOR | CommandSpec.ADMIN)) {
      feedMonitors(c, a, cmd, startMicros);
    }
  }

  private void call(Client c, Args a, CommandSpec cmd) {
    int mark = c.out.position();
    int modeBefore = c.replyMode;
    long dirtyBefore = dirty;
    long offsetBefore = repl.offset;
    int db = c.db.index;
    List<byte[][]> outerRewrite = rewritten;
    rewritten = null;
    callDepth++;
    long t0 = System.nanoTime();
    String error = null;
    c.lastCommand = cmd;
    try {
      cmd.handler().run(c, a);
    } catch (CommandError e) {
      c.out.truncate(mark);
      error = e.getMessage();
      c.out.error(error);
    } catch (RuntimeException e) {
      c.out.truncate(mark);
      log.warn("Internal error in '" + cmd.fullName + "' for client id=" + c.id + ": " + e);
      error = "ERR internal error in '" + cmd.fullName + "': " + e.getClass().getSimpleName();
      c.out.error(error);
    }
    long nanos = System.nanoTime() - t0;
    long micros = nanos / 1000;
    callDepth--;
    if (error == null && !c.master && master.feeding() && !replica.isReplica()) {
      if (rewritten != null) {
        for (byte[][] argv : rewritten) pendingPropagation.add(new Propagated(db, argv));
      } else if (dirty != dirtyBefore && cmd.has(CommandSpec.WRITE)) {
        pendingPropagation.add(new Propagated(db, a.toArray()));
      }
    }
    rewritten = outerRewrite;
    if (callDepth == 0 && !pendingPropagation.isEmpty()) propagatePending();
    if (repl.offset != offsetBefore) c.woff = repl.offset;
    cmd.calls++;
    cmd.micros += micros;
    cmd.latency.record(nanos);
    stats.commandsProcessed++;
    if (error != null) {
      cmd.failedCalls++;
      stats.recordError(errorCode(error));
    } else if (dirty != dirtyBefore && cmd.has(CommandSpec.WRITE) && !watches.isEmpty()) {
      // in-place changes (LPUSH to an existing list, INCR...) touch the command's keys for WATCH
      for (int i : cmd.keyIndexes(a.count())) watches.touch(new ByteKey(c.db.index, a.bytes(i)));
    }
    if (slowlogSlowerThan >= 0 && micros >= slowlogSlowerThan && !cmd.has(CommandSpec.SKIP_SLOWLOG)) {
      slowLog.add(micros, slowlogArgs(a, cmd), c.addr, c.name, slowlogMaxLen);
    }
    if (latencyThresholdMillis > 0 && micros / 1000 >= latencyThresholdMillis) {
      latency.record(cmd.has(CommandSpec.FAST) ? "fast-command" : "command", micros / 1000);
    }
    if (modeBefore == Client.REPLY_SKIP) {
      c.out.truncate(mark);
      if (c.replyMode == Client.REPLY_SKIP) c.replyMode = Client.REPLY_ON;
    } else if (modeBefore == Client.REPLY_OFF && c.replyMode == Client.REPLY_OFF) {
      c.out.truncate(mark);
    }
  }

  /**
   * The running command propagates {@code argv} (in the client's current database) instead of itself; called
   * once per command it stands for (none after {@link #propagateNothing}). Outside a command (a blocked client
   * served when a key became ready) it propagates at once.
   */
  public void propagateAs(Client c, byte[]... argv) {
    if (!master.feeding()) return; // no replica ever connected: nothing to record
    if (callDepth == 0) {
      if (!c.master && !replica.isReplica()) {
        master.propagate(c.db.index, argv);
        c.woff = repl.offset;
      }
      return;
    }
    if (rewritten == null) rewritten = new ArrayList<>(1);
    rewritten.add(argv);
  }

  /** The running command changed the dataset in a way replicas must not repeat (or repeat otherwise). */
  public void propagateNothing() {
    if (callDepth > 0 && rewritten == null) rewritten = new ArrayList<>(0);
  }

  /** Propagates now, or with the running command's own (a key expired while a command looked it up). */
  private void propagateNow(int db, byte[][] argv) {
    if (replica.isReplica()) return;
    if (callDepth > 0) pendingPropagation.add(new Propagated(db, argv));
    else master.propagate(db, argv);
  }

  /** What one command (EXEC included) changed goes out as one unit: in MULTI/EXEC when it is several commands. */
  private void propagatePending() {
    int n = pendingPropagation.size();
    if (n > 1) master.propagate(pendingPropagation.get(0).db(), MULTI);
    for (Propagated op : pendingPropagation) master.propagate(op.db(), op.argv());
    if (n > 1) master.propagate(-1, EXEC);
    pendingPropagation.clear();
  }

  private void reject(Client c, CommandSpec cmd, String error) {
    if (cmd != null) cmd.rejectedCalls++;
    if (c.multi != null) c.multi.aborted = true; // EXEC will answer EXECABORT
    stats.recordError(errorCode(error));
    if (c.replyMode == Client.REPLY_ON) c.out.error(error);
    else if (c.replyMode == Client.REPLY_SKIP) c.replyMode = Client.REPLY_ON;
  }

  private static String errorCode(String error) {
    int sp = error.indexOf(' ');
    return sp < 0 ? error : error.substring(0, sp);
  }

  private static String truncate(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n);
  }

  private static String unknownCommand(Args a) {
    StringBuilder sb = new StringBuilder("ERR unknown command '").append(truncate(a.str(0), 128))
        .append("', with args beginning with: ");
    for (int i = 1; i < a.count() && sb.length() < 128 + 60; i++) {
      sb.append('\'').append(truncate(a.str(i), 128)).append("' ");
    }
    return sb.toString();
  }

  /**
   * Secrets are never shown by MONITOR or SLOWLOG: every argument of AUTH, the user and password after HELLO's
   * AUTH, and the password after MIGRATE's AUTH/AUTH2.
   */
  static boolean[] redactions(Args a, CommandSpec cmd) {
    String n = cmd.parent() != null ? cmd.parent().name : cmd.name;
    boolean[] r = null;
    if (n.equals("auth")) {
      r = new boolean[a.count()];
      for (int i = 1; i < r.length; i++) r[i] = true;
    } else if (n.equals("hello") || n.equals("migrate")) {
      for (int i = 1; i < a.count(); i++) {
        int secrets = a.is(i, "auth") ? (n.equals("hello") ? 2 : 1) : a.is(i, "auth2") ? 2 : 0;
        for (int k = 1; k <= secrets && i + k < a.count(); k++) {
          if (r == null) r = new boolean[a.count()];
          r[i + k] = true;
        }
      }
    }
    return r;
  }

  private static byte[][] slowlogArgs(Args a, CommandSpec cmd) {
    int n = Math.min(a.count(), 32);
    byte[][] r = new byte[n][];
    boolean[] redact = redactions(a, cmd);
    for (int i = 0; i < n; i++) {
      if (i == 31 && a.count() > 32) {
        r[i] = ("... (" + (a.count() - 31) + " more arguments)").getBytes(StandardCharsets.UTF_8);
      } else if (redact != null && redact[i]) {
        r[i] = "(redacted)".getBytes(StandardCharsets.UTF_8);
      } else if (a.len(i) > 128) {
        byte[] head = java.util.Arrays.copyOfRange(a.buf(i), a.off(i), a.off(i) + 128);
        byte[] tail = ("... (" + (a.len(i) - 128) + " more bytes)").getBytes(StandardCharsets.UTF_8);
        byte[] b = java.util.Arrays.copyOf(head, 128 + tail.length);
        System.arraycopy(tail, 0, b, 128, tail.length);
        r[i] = b;
      } else {
        r[i] = a.bytes(i);
      }
    }
    return r;
  }

  private static long nowMicros() {
    java.time.Instant t = java.time.Instant.now();
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
  }

  private void feedMonitors(Client c, Args a, CommandSpec cmd, long us) {
    StringBuilder sb = new StringBuilder();
    sb.append(us / 1_000_000).append('.').append(String.format("%06d", us % 1_000_000));
    sb.append(" [").append(c.db.index).append(' ').append(c.addr).append(']');
    boolean[] redact = redactions(a, cmd);
    for (int i = 0; i < a.count(); i++) {
      sb.append(' ');
      if (redact != null && redact[i]) sb.append("\"(redacted)\"");
      else Repr.append(sb, a.buf(i), a.off(i), a.len(i));
    }
    String line = sb.toString();
    for (Client m : monitors) {
      if (m == c && c.monitor && cmd.name.equals("monitor")) continue;
      m.out.simple(line);
      m.markPendingFlush();
    }
  }

  // ---------------------------------------------------------------- transactions

  /** True while a background save may still read values: in-place changes must copy first. */
  public boolean snapshotInProgress() {
    return persistence.snapshotInUse();
  }

  /** enable-debug-command and friends: "yes", "no", or "local" (loopback connections only). */
  private static boolean protectedActionAllowed(Client c, String setting) {
    if ("yes".equals(setting)) return true;
    if (!"local".equals(setting)) return false;
    return c.addr.startsWith("127.") || c.addr.startsWith("0:0:0:0:0:0:0:1") || c.addr.startsWith("::1");
  }

  /** A new replication ID for the dataset history (DEBUG CHANGE-REPL-ID; REPLICAOF NO ONE later). */
  public void changeReplicationId() {
    replId = dev.vireo.replication.ReplicationIds.random();
    repl.replId2 = dev.vireo.replication.ReplicationIds.NO_ID;
    repl.secondOffset = -1;
  }

  private static boolean controlsTransaction(CommandSpec cmd) {
    String n = cmd.name;
    return n.equals("exec") || n.equals("discard") || n.equals("multi") || n.equals("watch") || n.equals("quit")
        || n.equals("reset");
  }

  /** MULTI. */
  public void multi(Client c) {
    if (c.multi != null) throw new CommandError("ERR MULTI calls can not be nested");
    c.multi = new Transaction();
    c.out.ok();
  }

  /** DISCARD. */
  public void discard(Client c) {
    if (c.multi == null) throw new CommandError("ERR DISCARD without MULTI");
    c.multi = null;
    watches.unwatchAll(c);
    c.out.ok();
  }

  /** WATCH key... */
  public void watch(Client c, Args a) {
    if (c.multi != null) throw new CommandError("ERR WATCH inside MULTI is not allowed");
    for (int i = 1; i < a.count(); i++) {
      byte[] key = a.bytes(i);
      watches.watch(c, new ByteKey(c.db.index, key), c.db.isStoredButExpired(key));
    }
    c.out.ok();
  }

  public void unwatch(Client c) {
    watches.unwatchAll(c);
    c.out.ok();
  }

  /**
   * EXEC: answers EXECABORT after a queue-time error, a null array when a watched key was written (or expired)
   * since WATCH, else runs the queued commands in one go and answers the array of their replies.
   */
  public void exec(Client c) {
    Transaction t = c.multi;
    if (t == null) throw new CommandError("ERR EXEC without MULTI");
    c.multi = null;
    boolean touched = c.watchedKeyTouched || watchedKeyExpired(c);
    watches.unwatchAll(c);
    if (t.aborted) throw new CommandError("EXECABORT Transaction discarded because of previous errors.");
    if (touched) {
      c.out.nullArray();
      return;
    }
    c.out.array(t.size());
    c.executingTransaction = true;
    try {
      for (Transaction.Queued q : t.queued) {
        keyspace.tick();
        call(c, Args.of(q.args()), q.cmd());
      }
    } finally {
      c.executingTransaction = false;
    }
  }

  private boolean watchedKeyExpired(Client c) {
    for (Watches.Watched w : c.watched) {
      if (!w.expiredWhenWatched && keyspace.db(w.key.db()).isStoredButExpired(w.key.key())) return true;
    }
    return false;
  }

  /** RESET: leaves MULTI, forgets WATCHes and subscriptions. */
  public void resetClientState(Client c) {
    c.multi = null;
    watches.unwatchAll(c);
    unsubscribeAll(c, false);
    if (c.blocked != null) unblock(c);
  }

  // ---------------------------------------------------------------- pub/sub

  private static boolean allowedWhileSubscribed(CommandSpec cmd) {
    String n = cmd.name;
    return n.equals("subscribe") || n.equals("psubscribe") || n.equals("unsubscribe") || n.equals("punsubscribe")
        || n.equals("ssubscribe") || n.equals("sunsubscribe") || n.equals("ping") || n.equals("quit")
        || n.equals("reset");
  }

  private static void subscriptionReply(Client c, String kind, Bytes name) {
    c.out.push(3).bulk(kind);
    if (name == null) c.out.nullBulk();
    else c.out.bulk(name.array());
    c.out.integer(c.subscriptionCount());
  }

  public void subscribe(Client c, Bytes channel) {
    if (c.channels.add(channel)) {
      channelSubscribers.computeIfAbsent(channel, k -> new java.util.LinkedHashSet<>()).add(c);
    }
    subscriptionReply(c, "subscribe", channel);
  }

  public void psubscribe(Client c, Bytes pattern) {
    if (c.patterns.add(pattern)) {
      patternSubscribers.computeIfAbsent(pattern, k -> new java.util.LinkedHashSet<>()).add(c);
    }
    subscriptionReply(c, "psubscribe", pattern);
  }

  /** UNSUBSCRIBE of the given channels, or of all when none are given. */
  public void unsubscribe(Client c, List<Bytes> names, boolean patterns) {
    String kind = patterns ? "punsubscribe" : "unsubscribe";
    java.util.Set<Bytes> mine = patterns ? c.patterns : c.channels;
    Map<Bytes, java.util.LinkedHashSet<Client>> index = patterns ? patternSubscribers : channelSubscribers;
    List<Bytes> targets = names.isEmpty() ? new ArrayList<>(mine) : names;
    if (targets.isEmpty()) {
      subscriptionReply(c, kind, null);
      return;
    }
    for (Bytes n : targets) {
      if (mine.remove(n)) {
        java.util.LinkedHashSet<Client> s = index.get(n);
        if (s != null) {
          s.remove(c);
          if (s.isEmpty()) index.remove(n);
        }
      }
      subscriptionReply(c, kind, n);
    }
  }

  private void unsubscribeAll(Client c, boolean reply) {
    for (Bytes ch : c.channels) {
      java.util.LinkedHashSet<Client> s = channelSubscribers.get(ch);
      if (s != null && s.remove(c) && s.isEmpty()) channelSubscribers.remove(ch);
    }
    for (Bytes p : c.patterns) {
      java.util.LinkedHashSet<Client> s = patternSubscribers.get(p);
      if (s != null && s.remove(c) && s.isEmpty()) patternSubscribers.remove(p);
    }
    c.channels.clear();
    c.patterns.clear();
  }

  /** PUBLISH: delivers to channel subscribers, then to pattern subscribers; returns the number of receivers. */
  public int publish(byte[] channel, byte[] message) {
    int receivers = 0;
    java.util.LinkedHashSet<Client> subs = channelSubscribers.get(Bytes.wrap(channel));
    if (subs != null) {
      for (Client s : subs) {
        s.out.push(3).bulk("message").bulk(channel).bulk(message);
        s.markPendingFlush();
        receivers++;
      }
    }
    for (Map.Entry<Bytes, java.util.LinkedHashSet<Client>> e : patternSubscribers.entrySet()) {
      byte[] p = e.getKey().array();
      if (!dev.vireo.util.Glob.match(p, 0, p.length, channel, 0, channel.length, false)) continue;
      for (Client s : e.getValue()) {
        s.out.push(4).bulk("pmessage").bulk(p).bulk(channel).bulk(message);
        s.markPendingFlush();
        receivers++;
      }
    }
    return receivers;
  }

  public java.util.Set<Bytes> channels() {
    return channelSubscribers.keySet();
  }

  public int channelSubscriberCount(Bytes channel) {
    java.util.LinkedHashSet<Client> s = channelSubscribers.get(channel);
    return s == null ? 0 : s.size();
  }

  public int patternCount() {
    return patternSubscribers.size();
  }

  // ---------------------------------------------------------------- blocking

  /**
   * Blocks the client on keys of its current database until {@code waiter} is served or {@code timeoutMillis}
   * passes (0 = forever). The caller has found nothing to serve and has not replied. Inside MULTI/EXEC a command
   * must not block: it replies as on timeout instead.
   */
  public void block(Client c, List<byte[]> keys, long timeoutMillis, Blocking.Waiter waiter) {
    List<ByteKey> ks = new ArrayList<>(keys.size());
    for (byte[] k : keys) ks.add(new ByteKey(c.db.index, k));
    Blocking.Wait w = new Blocking.Wait(waiter, ks);
    blocking.add(c, w);
    if (timeoutMillis > 0) {
      w.timer = vertx.setTimer(timeoutMillis, id -> {
        if (c.blocked != w) return;
        unblock(c);
        keyspace.tick();
        waiter.timeout(c);
        resume(c);
      });
    }
  }

  /** Releases a blocked client without a reply (the caller replies), e.g. CLIENT UNBLOCK, disconnect. */
  public void unblock(Client c) {
    Blocking.Wait w = c.blocked;
    if (w == null) return;
    if (w.timer >= 0) vertx.cancelTimer(w.timer);
    blocking.remove(c);
  }

  /** CLIENT UNBLOCK: releases a blocked client as if it timed out, or with an UNBLOCKED error. */
  public boolean clientUnblock(long id, boolean error) {
    Client t = clients.get(id);
    if (t == null || t.blocked == null) return false;
    Blocking.Waiter w = t.blocked.waiter;
    unblock(t);
    if (error) t.out.error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
    else w.timeout(t);
    resume(t);
    return true;
  }

  /** After a released client's reply: send it and go on with the commands it had pipelined. */
  public void resume(Client c) {
    c.flush();
    vertx.runOnContext(v -> {
      if (!c.isClosing() && c.blocked == null) c.processInput();
    });
  }

  /** Offers every ready key to its waiters, FIFO, until the data runs out or nobody waits. */
  private void serveBlocked() {
    while (blocking.hasReady()) {
      for (ByteKey key : blocking.takeReady()) {
        for (Client c : blocking.waitersOf(key)) {
          if (c.blocked == null) continue;
          Blocking.Wait w = c.blocked;
          dev.vireo.store.Db saved = c.db;
          c.db = keyspace.db(key.db());
          boolean served;
          try {
            served = w.waiter.serve(c, key.key());
          } catch (CommandError e) {
            c.out.error(e.getMessage());
            served = true;
          } finally {
            if (c.db == keyspace.db(key.db())) c.db = saved;
          }
          if (served) {
            unblock(c);
            resume(c);
          } else {
            break; // the key has nothing left for the next waiter either
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- cron

  /** Runs {@code hz} times a second on the data loop: active expiry, statistics samples. */
  void cron() {
    long t0 = System.nanoTime();
    keyspace.activeExpireCycle(config.getInt("hz"), config.getInt("active-expire-effort"));
    stats.expireCycleMillis += (System.nanoTime() - t0) / 1_000_000;
    long now = System.currentTimeMillis();
    stats.sample(now);
    persistence.cron();
    if (idleTimeoutSeconds > 0) closeIdleClients(now);
  }

  /** The {@code timeout} directive: normal clients idle longer than it are closed (monitors are not). */
  private void closeIdleClients(long now) {
    List<Client> idle = new ArrayList<>();
    for (Client c : clients.values()) {
      if (!c.monitor && !c.master && c.replica == null && now - c.lastInteractionMillis > idleTimeoutSeconds * 1000) idle.add(c);
    }
    for (Client c : idle) {
      log.verbose("Closing idle client id=" + c.id + " addr=" + c.addr);
      c.close();
    }
  }
}
