package dev.vireo.command;

import static dev.vireo.server.CommandSpec.ALLOW_BUSY;
import static dev.vireo.server.CommandSpec.FAST;
import static dev.vireo.server.CommandSpec.LOADING;
import static dev.vireo.server.CommandSpec.NOSCRIPT;
import static dev.vireo.server.CommandSpec.NO_AUTH;
import static dev.vireo.server.CommandSpec.STALE;

import dev.vireo.resp.RespWriter;
import dev.vireo.util.Version;
import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import dev.vireo.server.AccessControl;
import dev.vireo.server.Client;
import dev.vireo.server.CommandTable;

/**
 * Connection commands: PING [message], ECHO message, QUIT, AUTH [username] password,
 * HELLO [protover [AUTH username password] [SETNAME clientname]], SELECT index, RESET.
 */
final class ConnectionCommands {
  private ConnectionCommands() {}

  static void register(CommandTable t) {
    t.add("ping", -1, FAST, 0, 0, 0, "connection", "1.0.0", "Returns the server's liveliness response.",
        ConnectionCommands::ping);
    t.add("echo", 2, LOADING | STALE | FAST, 0, 0, 0, "connection", "1.0.0", "Returns the given string.",
        (c, a) -> c.out.bulk(a.buf(1), a.off(1), a.len(1)));
    t.add("quit", -1, NO_AUTH | NOSCRIPT | ALLOW_BUSY | LOADING | STALE | FAST, 0, 0, 0, "connection", "1.0.0",
        "Closes the connection.", ConnectionCommands::quit);
    t.add("auth", -2, NO_AUTH | NOSCRIPT | ALLOW_BUSY | LOADING | STALE | FAST, 0, 0, 0, "connection", "1.0.0",
        "Authenticates the connection.", ConnectionCommands::auth);
    t.add("hello", -1, NO_AUTH | NOSCRIPT | ALLOW_BUSY | LOADING | STALE | FAST, 0, 0, 0, "connection", "6.0.0",
        "Handshakes with the Redis server.", ConnectionCommands::hello);
    t.add("select", 2, LOADING | STALE | FAST, 0, 0, 0, "connection", "1.0.0", "Changes the selected database.",
        ConnectionCommands::select);
    t.add("reset", 1, NO_AUTH | NOSCRIPT | ALLOW_BUSY | LOADING | STALE | FAST, 0, 0, 0, "connection", "6.2.0",
        "Resets the connection.", ConnectionCommands::reset);
  }

  static void ping(Client c, Args a) {
    if (a.count() > 2) throw new CommandError("ERR wrong number of arguments for 'ping' command");
    if (c.out.proto() == 2 && c.subscriptionCount() > 0) {
      // RESP2 subscriber mode: PING answers in the shape of a message
      c.out.array(2).bulk("pong");
      if (a.count() == 1) c.out.bulk(new byte[0]);
      else c.out.bulk(a.buf(1), a.off(1), a.len(1));
      return;
    }
    if (a.count() == 1) c.out.raw(RespWriter.PONG);
    else c.out.bulk(a.buf(1), a.off(1), a.len(1));
  }

  static void quit(Client c, Args a) {
    c.out.ok();
    c.closeAfterReply();
  }

  /** Checks user/password against the ACL users (the default user alone without them); true when accepted. */
  static boolean authenticate(Client c, String user, byte[] password, String command) {
    AccessControl access = c.server().access();
    if (access != null) return access.authenticate(c, user, password, command);
    if (!user.equals("default")) return false;
    if (!c.server().authRequired()) return true; // the default user has "nopass"
    return c.server().checkPassword(password);
  }

  static void auth(Client c, Args a) {
    if (a.count() > 3) throw new CommandError(Errors.SYNTAX);
    AccessControl access = c.server().access();
    if (a.count() == 2 && (access != null ? access.defaultNopass() : !c.server().authRequired())) {
      throw new CommandError("ERR AUTH <password> called without any password configured for the default user. "
          + "Are you sure your configuration is correct?");
    }
    String user = a.count() == 3 ? a.str(1) : "default";
    if (!authenticate(c, user, a.bytes(a.count() - 1), a.str(0))) {
      c.server().log.verbose("Failed authentication attempt from client id=" + c.id + " addr=" + c.addr);
      throw new CommandError(Errors.WRONGPASS);
    }
    c.authenticated = true;
    c.out.ok();
  }

  static void hello(Client c, Args a) {
    int proto = c.out.proto();
    int i = 1;
    if (a.count() >= 2) {
      long v;
      try {
        v = a.longArg(1);
      } catch (CommandError e) {
        throw new CommandError("ERR Protocol version is not an integer or out of range");
      }
      if (v < 2 || v > 3) throw new CommandError("NOPROTO unsupported protocol version");
      proto = (int) v;
      i = 2;
    }
    String user = null;
    byte[] pass = null;
    String name = null;
    for (; i < a.count(); i++) {
      if (a.is(i, "auth") && a.count() - i - 1 >= 2) {
        user = a.str(i + 1);
        pass = a.bytes(i + 2);
        i += 2;
      } else if (a.is(i, "setname") && a.count() - i - 1 >= 1) {
        name = a.str(i + 1);
        i += 1;
      } else {
        throw new CommandError("ERR Syntax error in HELLO option '" + a.echo(i) + "'");
      }
    }
    if (user != null) {
      if (!authenticate(c, user, pass, a.str(0))) throw new CommandError(Errors.WRONGPASS);
      c.authenticated = true;
    }
    if (!c.authenticated) {
      throw new CommandError("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO "
          + "AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
          + "protocol version at the same time");
    }
    if (name != null) ClientCommands.checkName(name);
    if (name != null) c.name = name;
    c.out.proto(proto);
    c.out.map(7);
    c.out.bulk("server").bulk("redis");
    c.out.bulk("version").bulk(Version.REDIS_COMPAT);
    c.out.bulk("proto").integer(proto);
    c.out.bulk("id").integer(c.id);
    c.out.bulk("mode").bulk("standalone");
    // as Redis 7.0's HELLO: "replica" (INFO and ROLE say "slave")
    c.out.bulk("role").bulk(c.server().replicaRole().isReplica() ? "replica" : "master");
    c.out.bulk("modules").array(0);
  }

  static void select(Client c, Args a) {
    int id = a.intArg(1);
    if (id < 0 || id >= c.server().keyspace().databases()) throw new CommandError(Errors.DB_RANGE);
    c.db = c.server().keyspace().db(id);
    c.out.ok();
  }

  static void reset(Client c, Args a) {
    c.db = c.server().keyspace().db(0);
    c.name = "";
    // as Redis: RESET ends OFF but not a SKIP in effect, so a skipped RESET stays silent
    if (c.replyMode != Client.REPLY_SKIP) c.replyMode = Client.REPLY_ON;
    c.noTouch = false;
    c.out.proto(2);
    c.authenticated = !c.server().authRequired();
    c.user = "default";
    if (c.monitor) c.server().clients.removeMonitor(c);
    c.server().clients.reset(c);
    c.out.simple("RESET");
  }
}
