package dev.vireo.command;

import static dev.vireo.command.CommandSpec.ADMIN;
import static dev.vireo.command.CommandSpec.NOSCRIPT;
import static dev.vireo.command.CommandSpec.STALE;

import dev.vireo.resp.Args;
import dev.vireo.server.Client;
import dev.vireo.server.Server;

/**
 * The replica side of replication, as a user drives it.
 *
 * <pre>
 * REPLICAOF host port | REPLICAOF NO ONE
 * SLAVEOF host port   | SLAVEOF NO ONE
 * </pre>
 *
 * The reply comes at once; connecting and synchronizing happen afterwards, on the link's own schedule.
 */
public final class ReplicationCommands {
  private ReplicationCommands() {}

  static void register(CommandTable t) {
    t.add("replicaof", 3, ADMIN | NOSCRIPT | STALE, 0, 0, 0, "server", "5.0.0",
        "Configures a server as replica of another, or promotes it to a master.", ReplicationCommands::replicaOf);
    t.add("slaveof", 3, ADMIN | NOSCRIPT | STALE, 0, 0, 0, "server", "1.0.0",
        "Sets a Redis server as a replica of another, or promotes it to being a master.",
        ReplicationCommands::replicaOf);
  }

  static void replicaOf(Client c, Args a) {
    Server s = c.server();
    if (a.is(1, "no") && a.is(2, "one")) {
      if (s.replica.isReplica()) {
        s.log.info("MASTER MODE enabled (user request from 'id=" + c.id + " addr=" + c.addr + "')");
        s.replica.unsetMaster();
      }
      c.out.ok();
      return;
    }
    if (c.master) throw new CommandError("ERR Command is not valid when client is a replica.");
    long port = a.longArg(2);
    if (port < 0 || port > 65535) throw new CommandError("ERR Invalid master port");
    String host = a.str(1);
    if (!s.replica.replicaOf(host, (int) port)) {
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
