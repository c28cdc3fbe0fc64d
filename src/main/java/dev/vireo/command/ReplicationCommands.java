package dev.vireo.command;

import static dev.vireo.server.CommandSpec.ADMIN;
import static dev.vireo.server.CommandSpec.ALLOW_BUSY;
import static dev.vireo.server.CommandSpec.LOADING;
import static dev.vireo.server.CommandSpec.NO_ASYNC_LOADING;
import static dev.vireo.server.CommandSpec.NO_MULTI;
import static dev.vireo.server.CommandSpec.NOSCRIPT;
import static dev.vireo.server.CommandSpec.STALE;

import dev.vireo.replication.master.Failover;
import dev.vireo.replication.replica.ReplicaLink;
import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.server.Client;
import dev.vireo.server.CommandTable;
import dev.vireo.server.Server;

/**
 * Replication as users and replicas drive it.
 *
 * <pre>
 * REPLICAOF host port | REPLICAOF NO ONE
 * SLAVEOF host port   | SLAVEOF NO ONE
 * REPLCONF option value [option value ...]
 * PSYNC replicationid offset
 * SYNC
 * WAIT numreplicas timeout
 * FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT milliseconds]
 * </pre>
 *
 * REPLICAOF answers at once; connecting and synchronizing happen afterwards, on the link's own schedule. REPLCONF,
 * PSYNC and SYNC are what a replica sends its master ({@link dev.vireo.replication.master.MasterSide}). FAILOVER
 * answers once the failover has started; it runs on ({@link dev.vireo.replication.master.Failover}).
 */
public final class ReplicationCommands {
  private ReplicationCommands() {}

  static void register(CommandTable t, Node n) {
    t.add("replicaof", 3, ADMIN | NOSCRIPT | STALE | NO_ASYNC_LOADING, 0, 0, 0, "server", "5.0.0",
        "Configures a server as replica of another, or promotes it to a master.", (c, a) -> replicaOf(n, c, a));
    t.add("slaveof", 3, ADMIN | NOSCRIPT | STALE | NO_ASYNC_LOADING, 0, 0, 0, "server", "1.0.0",
        "Sets a Redis server as a replica of another, or promotes it to being a master.",
        (c, a) -> replicaOf(n, c, a));
    t.add("replconf", -1, ADMIN | NOSCRIPT | LOADING | STALE | ALLOW_BUSY, 0, 0, 0, "server", "3.0.0",
        "An internal command for configuring the replication stream.", (c, a) -> n.master().replconf(c, a));
    t.add("psync", -3, ADMIN | NOSCRIPT | NO_ASYNC_LOADING | NO_MULTI, 0, 0, 0, "server", "2.8.0",
        "An internal command used in replication.", (c, a) -> n.master().sync(c, a, true));
    t.add("sync", 1, ADMIN | NOSCRIPT | NO_ASYNC_LOADING | NO_MULTI, 0, 0, 0, "server", "1.0.0",
        "An internal command used in replication.", (c, a) -> n.master().sync(c, a, false));
    t.add("wait", 3, NOSCRIPT, 0, 0, 0, "generic", "3.0.0",
        "Blocks until the asynchronous replication of all preceding write commands sent by the connection is "
            + "completed.", (c, a) -> waitCommand(n, c, a));
    t.add("failover", -1, ADMIN | NOSCRIPT | STALE, 0, 0, 0, "server", "6.2.0",
        "Start a coordinated failover between this server and one of its replicas.", (c, a) -> failover(n, c, a));
  }

  /** FAILOVER's arguments, read as Redis reads them: each option once, in any order; ABORT only alone. */
  static void failover(Node node, Client c, Args a) {
    Failover f = node.master().failover();
    if (a.count() == 2 && a.is(1, "abort")) {
      f.abortCommand();
      c.out.ok();
      return;
    }
    long timeout = 0;
    boolean force = false;
    long port = 0;
    String host = null;
    for (int j = 1; j < a.count(); j++) {
      if (a.is(j, "timeout") && j + 1 < a.count() && timeout == 0) {
        timeout = a.longArg(j + 1);
        if (timeout <= 0) throw new CommandError("ERR FAILOVER timeout must be greater than 0");
        j++;
      } else if (a.is(j, "to") && j + 2 < a.count() && host == null) {
        port = a.longArg(j + 2);
        host = a.str(j + 1);
        j += 2;
      } else if (a.is(j, "force") && !force) {
        force = true;
      } else {
        throw new CommandError("ERR syntax error");
      }
    }
    // a port no replica can listen on matches none
    f.begin(host, port < 0 || port > 65535 ? -1 : (int) port, timeout, force);
    c.out.ok();
  }

  static void waitCommand(Node node, Client c, Args a) {
    node.master().refuseWaitOnReplica();
    long timeout = a.longArg(2, "ERR timeout is not an integer or out of range");
    if (timeout < 0) throw new CommandError("ERR timeout is negative");
    long n = a.longArg(1);
    node.master().waitCommand(c, n, timeout);
  }

  static void replicaOf(Node node, Client c, Args a) {
    if (node.master().failover().active()) throw new CommandError("ERR REPLICAOF not allowed while failing over.");
    Server s = c.server();
    ReplicaLink link = node.replica();
    if (a.is(1, "no") && a.is(2, "one")) {
      if (link.isReplica()) {
        s.log.info("MASTER MODE enabled (user request from 'id=" + c.id + " addr=" + c.addr + "')");
        link.unsetMaster();
      }
      c.out.ok();
      return;
    }
    if (c.master) throw new CommandError("ERR Command is not valid when client is a replica.");
    long port = a.longArg(2);
    if (port < 0 || port > 65535) throw new CommandError("ERR Invalid master port");
    String host = a.str(1);
    if (!link.replicaOf(host, (int) port)) {
      s.log.info("REPLICAOF would result into synchronization with the master we are already connected with. "
          + "No operation performed.");
      c.out.simple("OK Already connected to specified master");
      return;
    }
    s.log.info("REPLICAOF " + host + ":" + port + " enabled (user request from 'id=" + c.id + " addr=" + c.addr
        + "')");
    c.out.ok();
  }
}
