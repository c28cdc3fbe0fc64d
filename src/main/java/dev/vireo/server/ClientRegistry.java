package dev.vireo.server;

import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The connected clients: accepting them (with {@code maxclients}), their ids, the MONITORs, CLIENT LIST's types and
 * flags, the clients whose output waits for the end of the current batch, idle timeouts, and forgetting a client
 * everywhere when it goes. Data loop only.
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

  ClientRegistry(Server server) {
    this.server = server;
    var config = server.config;
    maxClients = (int) Math.min(Integer.MAX_VALUE, config.getLong("maxclients"));
    config.onChange("maxclients", v -> maxClients = (int) Math.min(Integer.MAX_VALUE, config.getLong("maxclients")));
    idleTimeoutSeconds = config.getLong("timeout");
    config.onChange("timeout", v -> idleTimeoutSeconds = config.getLong("timeout"));
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
    return c;
  }

  /** The client scripts run their commands as (not listed, never connected, never blocks). */
  public Client newScriptClient() {
    Client c = new Client(0, server, null);
    c.script = true;
    c.authenticated = true;
    return c;
  }

  /** Forgets the master client when the link drops. */
  public void removeMasterClient(Client c) {
    c.close();
    unregister(c);
  }

  /** A client went: it is forgotten by blocking, WATCH, pub/sub, MONITOR and the replication side. */
  void unregister(Client c) {
    server.blocking.unblock(c);
    server.transactions.forget(c);
    server.pubsub.unsubscribeAll(c);
    clients.remove(c.id);
    monitors.remove(c);
    server.propagation().clientClosed(c);
  }

  /** RESET: leaves MULTI, forgets WATCHes and subscriptions, and stops waiting. */
  public void reset(Client c) {
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

  /** The largest query buffer among connected clients (client_recent_max_input_buffer). */
  public long maxQueryBuffer() {
    long m = 0;
    for (Client c : clients.values()) m = Math.max(m, c.queryBufferLength());
    return m;
  }

  /** CLIENT LIST/KILL type: normal, master, replica or pubsub. */
  public static String type(Client c) {
    if (c.master) return "master";
    if (c.replica != null) return "replica";
    return c.subscriptionCount() > 0 ? "pubsub" : "normal";
  }

  /**
   * CLIENT LIST flags, in Redis's order: M master, S replica, O monitor, P pub/sub, x MULTI, b blocked, d dirty CAS,
   * U unix socket; N none.
   */
  public static String flags(Client c) {
    StringBuilder sb = new StringBuilder();
    if (c.master) sb.append('M');
    if (c.replica != null) sb.append('S');
    if (c.monitor) sb.append('O');
    if (c.subscriptionCount() > 0) sb.append('P');
    if (c.multi != null) sb.append('x');
    if (c.blocked != null) sb.append('b');
    if (c.multi != null && c.watchedKeyTouched) sb.append('d');
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
