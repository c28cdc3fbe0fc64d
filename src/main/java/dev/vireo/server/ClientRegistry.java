package dev.vireo.server;

import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The connected clients: accepting them (with {@code maxclients}), their ids, the MONITORs, CLIENT LIST's lines,
 * types and flags, the clients whose output waits for the end of the current batch, idle timeouts, the memory
 * clients take (summed per kind as it changes, for INFO memory; the recent peaks of INFO clients) and client
 * eviction ({@code maxmemory-clients}), and forgetting a client everywhere when it goes. Data loop only.
 */
public final class ClientRegistry {
  private final Server server;
  private final Map<Long, Client> clients = new LinkedHashMap<>();
  private final List<Client> monitors = new ArrayList<>();
  /** Clients with output produced for them by another client's command (pub/sub, MONITOR, unblocking). */
  private final List<Client> pendingFlush = new ArrayList<>();
  private long nextClientId = 1;
  private int maxClients;
  private long idleTimeoutSeconds;

  /** The sums of {@link Client#memoryUsage()}: normal and pub/sub clients, the master's link, replicas. */
  private static final int NORMAL = 0;
  private static final int MASTER = 1;
  private static final int REPLICA = 2;
  private final long[] memory = new long[3];
  /** maxmemory-clients in bytes (0: no client eviction), from the directive and maxmemory. */
  private long evictionLimit;
  /** The largest input and output buffers seen in each of the last 8 seconds (INFO's client_recent_max_*). */
  private static final int PEAK_SLOTS = 8;
  private final long[] peakInput = new long[PEAK_SLOTS];
  private final long[] peakOutput = new long[PEAK_SLOTS];
  private long peakSecond;

  ClientRegistry(Server server) {
    this.server = server;
    var config = server.config;
    maxClients = (int) Math.min(Integer.MAX_VALUE, config.getLong("maxclients"));
    config.onChange("maxclients", v -> maxClients = (int) Math.min(Integer.MAX_VALUE, config.getLong("maxclients")));
    idleTimeoutSeconds = config.getLong("timeout");
    config.onChange("timeout", v -> idleTimeoutSeconds = config.getLong("timeout"));
    evictionLimit = evictionLimit();
    config.onChange("maxmemory-clients", v -> evictionLimit = evictionLimit());
    config.onChange("maxmemory", v -> evictionLimit = evictionLimit());
  }

  /**
   * maxmemory-clients as bytes: an amount, or a percentage of maxmemory (none while maxmemory is 0); never under
   * 128kb, as in Redis, so that a small setting cannot cut every connection off.
   */
  private long evictionLimit() {
    String v = server.config.get("maxmemory-clients");
    long limit;
    if (v.endsWith("%")) {
      long maxmemory = server.config.getLong("maxmemory");
      limit = (long) ((double) maxmemory * Long.parseLong(v.substring(0, v.length() - 1)) / 100);
    } else {
      limit = Long.parseLong(v);
    }
    return limit <= 0 ? 0 : Math.max(limit, 128 * 1024);
  }

  void accept(NetSocket socket) {
    server.stats.connectionsReceived++;
    Client c = new Client(nextClientId++, server, socket);
    if (clients.size() >= maxClients) {
      server.stats.rejectedConnections++;
      c.out.error("ERR max number of clients reached");
      c.closeAfterReply();
      c.flush();
      return;
    }
    clients.put(c.id, c);
    c.start();
  }

  /** The client that applies the master's stream on a replica: registered, listed with flags=M, killable. */
  public Client newMasterClient(NetSocket socket) {
    Client c = new Client(nextClientId++, server, socket);
    c.master = true;
    c.authenticated = true;
    c.user = null; // as Redis: no ACL user, every command allowed
    clients.put(c.id, c);
    return c;
  }

  /**
   * The client that applies the commands of the append-only file: never connected nor listed, its commands applied
   * as a master's (exact stream trims, every key live while loading) and never propagated.
   */
  public Client newAofClient() {
    Client c = new Client(-1, server, null);
    c.master = true;
    c.authenticated = true;
    c.user = null; // as Redis: no ACL user, every command allowed
    return c;
  }

  /** The client scripts run their commands as (not listed, never connected, never blocks). */
  public Client newScriptClient() {
    Client c = new Client(0, server, null);
    c.script = true;
    c.authenticated = true;
    c.user = null; // as Redis: no ACL user, every command allowed
    return c;
  }

  /** Forgets the master client when the link drops. */
  public void removeMasterClient(Client c) {
    c.close();
    unregister(c);
  }

  /** A client went: it is forgotten by blocking, WATCH, pub/sub, MONITOR and the replication side. */
  void unregister(Client c) {
    forgetMemory(c);
    server.blocking.unblock(c);
    server.pause.forget(c);
    server.shutdownWait.forget(c);
    server.transactions.forget(c);
    server.pubsub.unsubscribeAll(c);
    server.tracking.disable(c);
    clients.remove(c.id);
    monitors.remove(c);
    server.propagation().clientClosed(c);
  }

  /** RESET: leaves MULTI, forgets WATCHes and subscriptions, and stops waiting. */
  public void reset(Client c) {
    server.tracking.disable(c);
    server.transactions.forget(c);
    server.pubsub.unsubscribeAll(c);
    server.blocking.unblock(c);
  }

  public Iterable<Client> all() {
    return clients.values();
  }

  public int count() {
    return clients.size();
  }

  public Client get(long id) {
    return clients.get(id);
  }

  boolean hasMonitors() {
    return !monitors.isEmpty();
  }

  List<Client> monitors() {
    return monitors;
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

  void markPendingFlush(Client c) {
    pendingFlush.add(c);
  }

  /** Sends the replication stream, then output produced for other clients by the batch that just ran. */
  public void flushPending() {
    server.propagation().flushStream();
    for (int i = 0; i < pendingFlush.size(); i++) pendingFlush.get(i).flush();
    pendingFlush.clear();
  }

  /** Closes every connection (the node is stopping). */
  void closeAll() {
    server.replicaRole().stop();
    for (Client c : new ArrayList<>(clients.values())) c.close();
  }

  // ---------------------------------------------------------------- memory and client eviction

  /**
   * Counts a client's memory again (after its input was processed, its output written or handed on, and in the
   * cron): the per-kind sums move by the difference, and the peaks of the current second are raised.
   */
  void updateMemory(Client c) {
    if (c.id <= 0 || c.gone()) return; // the script and AOF clients are no connections
    int kind = c.master ? MASTER : c.replica != null ? REPLICA : NORMAL;
    long mem = c.memoryUsage();
    if (c.accountedKind >= 0) memory[c.accountedKind] -= c.accountedMemory;
    memory[kind] += mem;
    c.accountedKind = kind;
    c.accountedMemory = mem;
    int slot = peakSlot();
    peakInput[slot] = Math.max(peakInput[slot], c.queryBufferCapacity());
    long output = c.replica != null ? c.replica.outputBytes() : c.outputBufferBytes();
    peakOutput[slot] = Math.max(peakOutput[slot], output);
  }

  /** The client goes: its memory leaves the sums. */
  void forgetMemory(Client c) {
    if (c.accountedKind >= 0) {
      memory[c.accountedKind] -= c.accountedMemory;
      c.accountedKind = -1;
      c.accountedMemory = 0;
    }
  }

  /** The peak slot of the current second; slots of the seconds passed since the last call start over. */
  private int peakSlot() {
    long second = System.currentTimeMillis() / 1000;
    if (second != peakSecond) {
      long from = Math.max(peakSecond + 1, second - PEAK_SLOTS + 1);
      for (long s = from; s <= second; s++) {
        int i = (int) (s % PEAK_SLOTS);
        peakInput[i] = 0;
        peakOutput[i] = 0;
      }
      peakSecond = second;
    }
    return (int) (second % PEAK_SLOTS);
  }

  /** True when maxmemory-clients is set. */
  boolean evicting() {
    return evictionLimit > 0;
  }

  /**
   * INFO memory's mem_clients_normal: normal and pub/sub clients and the master's link (replicas are not in it; as
   * in Redis 7.0, mem_clients_slaves is the replicas' part of the replication buffer, told by the master side).
   */
  public long memClientsNormal() {
    return memory[NORMAL] + memory[MASTER];
  }

  /** The largest query buffer of the last seconds (client_recent_max_input_buffer). */
  public long maxQueryBuffer() {
    peakSlot();
    long m = 0;
    for (long v : peakInput) m = Math.max(m, v);
    return m;
  }

  /** The largest output buffer of the last seconds (client_recent_max_output_buffer). */
  public long maxOutputBuffer() {
    peakSlot();
    long m = 0;
    for (long v : peakOutput) m = Math.max(m, v);
    return m;
  }

  /**
   * maxmemory-clients: while normal and pub/sub clients together take at least the limit, the one taking the most
   * is disconnected (evicted_clients), sparing those with CLIENT NO-EVICT on; the master's link and replicas are
   * never evicted.
   */
  void evictIfNeeded() {
    long limit = evictionLimit;
    if (limit == 0 || memory[NORMAL] < limit) return;
    List<Client> candidates = new ArrayList<>();
    for (Client c : clients.values()) {
      if (c.accountedKind == NORMAL && !c.noEvict && !c.isClosing()) candidates.add(c);
    }
    candidates.sort((a, b) -> Long.compare(b.accountedMemory, a.accountedMemory));
    for (Client c : candidates) {
      if (memory[NORMAL] < limit) return;
      server.log.info("Evicting client: " + describe(c));
      server.stats.evictedClients++;
      c.abort();
    }
    if (memory[NORMAL] >= limit) server.log.warn("Over client maxmemory after evicting all evictable clients");
  }

  /**
   * The cron's share: output limits checked (a soft limit passes with time), every client's memory counted again
   * (replicas' output moves with the stream), then eviction.
   */
  void cronMemory(long now) {
    boolean resetPeaks = now - replyPeaksResetMillis >= 5000; // rbp tells the peak of the last 5 seconds
    if (resetPeaks) replyPeaksResetMillis = now;
    List<Client> all = new ArrayList<>(clients.values());
    for (Client c : all) {
      if (resetPeaks) c.replyPeak = 0;
      // as Redis's clients cron: a soft limit held long enough closes a client even when no new output comes
      if (c.outputBufferBytes() > 0 && c.outputLimitReached()) continue;
      updateMemory(c);
    }
    evictIfNeeded();
  }

  private long replyPeaksResetMillis = System.currentTimeMillis();

  /** The line CLIENT LIST shows for a client (and the log lines about it), with no command running. */
  public String describe(Client c) {
    return describe(c, 0);
  }

  /**
   * The line CLIENT LIST and CLIENT INFO show for a client. {@code argvMem} is the size of the arguments of the
   * command the client is running (the caller's own CLIENT LIST), 0 for the others. The memory fields: qbuf is
   * what was received and not yet run, qbuf-free the rest of the receive buffer; rbs the reply buffer's size, rbp
   * its peak of the last seconds, obl its pending bytes; oll and omem the writes (and their bytes) handed to the
   * socket and not written out yet (for a replica, its share of the replication buffer); tot-mem all of it.
   */
  public String describe(Client c, long argvMem) {
    long now = System.currentTimeMillis();
    long omem = c.replica == null ? c.inFlightBytes() : c.replica.outputBytes();
    int oll = c.replica == null ? c.inFlightWrites() : omem > 0 ? 1 : 0;
    int qbuf = c.queryBufferLength();
    long multiMem = c.multi == null ? 0 : c.multi.argvBytes();
    return "id=" + c.id + " addr=" + c.addr + " laddr=" + c.laddr + " fd=" + (7 + c.id) + " name=" + c.name
        + " age=" + (now - c.createdMillis) / 1000 + " idle=" + (now - c.lastInteractionMillis) / 1000
        + " flags=" + listFlags(c) + " db=" + c.db.index + " sub=" + c.channels.size() + " psub="
        + c.patterns.size() + " ssub=" + c.shardChannels.size() + " multi=" + (c.multi == null ? -1 : c.multi.size())
        + " qbuf=" + qbuf
        + " qbuf-free=" + Math.max(0, c.queryBufferCapacity() - qbuf) + " argv-mem=" + argvMem + " multi-mem="
        + multiMem + " rbs=" + c.out.capacity() + " rbp=" + Math.max(c.replyPeak, c.out.position()) + " obl="
        + c.out.position() + " oll=" + oll + " omem=" + omem + " tot-mem=" + (c.memoryUsage() + argvMem)
        + " events=r" + (c.inFlightWrites() > 0 ? "w" : "") + " cmd="
        + (c.lastCommand == null ? "NULL" : c.lastCommand.fullName)
        + " user=" + (c.user == null ? "(superuser)" : c.user) + " redir=" + Tracking.redirect(c) + " resp="
        + c.out.proto() + " lib-name=" + c.libName + " lib-ver=" + c.libVer;
  }

  /** CLIENT LIST's flags: the server's flags, then 'e' (no-evict) and 'T' (no-touch), in Redis's order. */
  public static String listFlags(Client c) {
    String base = flags(c);
    StringBuilder sb = new StringBuilder(base.equals("N") ? "" : base);
    if (c.noEvict && sb.indexOf("e") < 0) sb.append('e');
    if (c.noTouch && sb.indexOf("T") < 0) sb.append('T');
    return sb.length() == 0 ? "N" : sb.toString();
  }

  /** CLIENT LIST/KILL type: normal, master, replica or pubsub. */
  public static String type(Client c) {
    if (c.master) return "master";
    if (c.replica != null) return "replica";
    return c.subscriptionCount() > 0 ? "pubsub" : "normal";
  }

  /**
   * CLIENT LIST flags, in Redis's order: M master, S replica, O monitor, P pub/sub, x MULTI, b blocked, t tracking
   * (R redirect broken, B broadcasting), d dirty CAS, A closing for a limit, U unix socket; N none.
   */
  public static String flags(Client c) {
    StringBuilder sb = new StringBuilder();
    if (c.master) sb.append('M');
    if (c.replica != null) sb.append('S');
    if (c.monitor) sb.append('O');
    if (c.subscriptionCount() > 0) sb.append('P');
    if (c.multi != null || c.executingTransaction) sb.append('x'); // as Redis: still in MULTI while EXEC runs
    if (c.blocked != null || c.postponed != null) sb.append('b'); // a client a pause holds is blocked too
    Tracking.appendFlags(c, sb);
    if (c.watchedKeyTouched) sb.append('d'); // also before MULTI, as Redis
    if (c.closeAsap) sb.append('A');
    if (c.unixSocket) sb.append('U');
    return sb.length() == 0 ? "N" : sb.toString();
  }

  /** The {@code timeout} directive: normal clients idle longer than it are closed (monitors are not). */
  void closeIdle(long now) {
    if (idleTimeoutSeconds <= 0) return;
    List<Client> idle = new ArrayList<>();
    for (Client c : clients.values()) {
      if (!c.monitor && !c.master && c.replica == null && now - c.lastInteractionMillis > idleTimeoutSeconds * 1000) {
        idle.add(c);
      }
    }
    for (Client c : idle) {
      server.log.verbose("Closing idle client id=" + c.id + " addr=" + c.addr);
      c.close();
    }
  }
}
