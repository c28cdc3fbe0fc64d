package dev.vireo.command;

import static dev.vireo.server.CommandSpec.ADMIN;
import static dev.vireo.server.CommandSpec.LOADING;
import static dev.vireo.server.CommandSpec.NOSCRIPT;
import static dev.vireo.server.CommandSpec.STALE;

import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import dev.vireo.server.AccessControl;
import dev.vireo.server.Client;
import dev.vireo.server.ClientPause;
import dev.vireo.server.ClientRegistry;
import dev.vireo.server.CommandTable;
import dev.vireo.server.Tracking;
import java.util.ArrayList;
import java.util.List;

/**
 * CLIENT ID | SETNAME name | GETNAME | LIST [TYPE t] [ID id...] | INFO | KILL (addr:port | filters) |
 * SETINFO LIB-NAME|LIB-VER v | NO-EVICT on|off | NO-TOUCH on|off | REPLY ON|OFF|SKIP | GETREDIR | HELP |
 * TRACKING ON|OFF [REDIRECT id] [PREFIX p]... [BCAST] [OPTIN] [OPTOUT] [NOLOOP] | CACHING YES|NO | TRACKINGINFO
 * (client-side caching: {@link Tracking}).
 */
final class ClientCommands {
  private ClientCommands() {}

  private static final int F = NOSCRIPT | LOADING | STALE;

  static void register(CommandTable t) {
    t.add("client", -2, 0, 0, 0, 0, "connection", "2.4.0", "A container for client connection commands.", null)
        .sub("id", 2, F, 0, 0, 0, "5.0.0", "Returns the unique client ID of the connection.",
            (c, a) -> c.out.integer(c.id))
        .sub("setname", 3, F, 0, 0, 0, "2.6.9", "Sets the connection name.", ClientCommands::setname)
        .sub("getname", 2, F, 0, 0, 0, "2.6.9", "Returns the name of the connection.",
            (c, a) -> {
              if (c.name.isEmpty()) c.out.nullBulk();
              else c.out.bulk(c.name);
            })
        .sub("list", -2, ADMIN | F, 0, 0, 0, "2.4.0", "Lists open connections.", ClientCommands::list)
        .sub("info", 2, F, 0, 0, 0, "6.2.0", "Returns information about the connection.",
            (c, a) -> c.out.verbatim(c.server().clients.describe(c, argvMem(a)) + "\n"))
        .sub("kill", -3, ADMIN | F, 0, 0, 0, "2.4.0", "Terminates open connections.", ClientCommands::kill)
        .sub("setinfo", 4, F, 0, 0, 0, "7.2.0", "Sets information specific to the client or connection.",
            ClientCommands::setinfo)
        .sub("no-evict", 3, ADMIN | F, 0, 0, 0, "7.0.0", "Sets the client eviction mode of the connection.",
            (c, a) -> c.noEvict = onOff(c, a))
        .sub("no-touch", 3, F, 0, 0, 0, "7.2.0",
            "Controls whether commands sent by the client affect the LRU/LFU of accessed keys.",
            (c, a) -> c.noTouch = onOff(c, a))
        .sub("reply", 3, F, 0, 0, 0, "3.2.0", "Instructs the server whether to reply to commands.",
            ClientCommands::reply)
        .sub("unblock", -3, ADMIN | F, 0, 0, 0, "5.0.0",
            "Unblocks a client blocked by a blocking command from a different connection.", (c, a) -> {
              long id = a.longArg(2);
              boolean error = false;
              if (a.count() == 4) {
                if (a.is(3, "error")) error = true;
                else if (!a.is(3, "timeout")) {
                  throw new CommandError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
                }
              } else if (a.count() > 4) {
                throw new CommandError(Errors.SYNTAX);
              }
              c.out.integer(c.server().blocking.clientUnblock(c.server().clients.get(id), error) ? 1 : 0);
            })
        .sub("pause", -3, ADMIN | F, 0, 0, 0, "3.0.0",
            "Suspends commands processing.", ClientCommands::pause)
        .sub("unpause", 2, ADMIN | F, 0, 0, 0, "6.2.0", "Resumes processing commands from paused clients.",
            (c, a) -> {
              c.server().pause.unpause(ClientPause.Purpose.CLIENT_COMMAND);
              c.out.ok();
            })
        .sub("getredir", 2, F, 0, 0, 0, "6.0.0",
            "Returns the client ID to which the connection's tracking notifications are redirected.",
            (c, a) -> c.out.integer(Tracking.redirect(c)))
        .sub("tracking", -3, F, 0, 0, 0, "6.0.0", "Controls server-assisted client-side caching for the connection.",
            (c, a) -> c.server().tracking.trackingCommand(c, a))
        .sub("caching", 3, F, 0, 0, 0, "6.0.0", "Instructs the server whether to track the keys in the next request.",
            (c, a) -> c.server().tracking.cachingCommand(c, a))
        .sub("trackinginfo", 2, F, 0, 0, 0, "6.2.0",
            "Returns information about server-assisted client-side caching for the connection.",
            (c, a) -> c.server().tracking.trackingInfoCommand(c))
        .sub("help", 2, LOADING | STALE, 0, 0, 0, "5.0.0", "Returns helpful text about the different subcommands.",
            (c, a) -> Help.reply(c, "CLIENT", HELP));
  }

  private static final List<String> HELP = List.of(
      "CACHING (YES|NO)",
      "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
      "GETREDIR",
      "    Return the client ID we are redirecting to when tracking is enabled.",
      "GETNAME",
      "    Return the name of the current connection.",
      "ID",
      "    Return the ID of the current connection.",
      "INFO",
      "    Return information about the current client connection.",
      "KILL <ip:port>",
      "    Kill connection made from <ip:port>.",
      "KILL <option> <value> [<option> <value> [...]]",
      "    Kill connections. Options are:",
      "    * ADDR (<ip:port>|<unixsocket>:0)",
      "      Kill connections made from the specified address",
      "    * LADDR (<ip:port>|<unixsocket>:0)",
      "      Kill connections made to specified local address",
      "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
      "      Kill connections by type.",
      "    * USER <username>",
      "      Kill connections authenticated by <username>.",
      "    * SKIPME (YES|NO)",
      "      Skip killing current connection (default: yes).",
      "    * ID <client-id>",
      "      Kill connections by client id.",
      "    * MAXAGE <maxage>",
      "      Kill connections older than the specified age.",
      "LIST [options ...]",
      "    Return information about client connections. Options:",
      "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
      "      Return clients of specified type.",
      "UNPAUSE",
      "    Stop the current client pause, resuming traffic.",
      "PAUSE <timeout> [WRITE|ALL]",
      "    Suspend all, or just write, clients for <timeout> milliseconds.",
      "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
      "         [OPTIN] [OPTOUT] [NOLOOP]",
      "    Control server assisted client side caching.",
      "TRACKINGINFO",
      "    Report tracking status for the current connection.",
      "NO-EVICT (ON|OFF)",
      "    Protect current client connection from eviction.",
      "NO-TOUCH (ON|OFF)",
      "    Will not touch LRU/LFU stats when this mode is on.",
      "REPLY (ON|OFF|SKIP)",
      "    Control the replies sent to the current connection.",
      "SETNAME <name>",
      "    Assign the name <name> to the current connection.",
      "SETINFO <option> <value>",
      "    Set client meta attr. Options are:",
      "    * LIB-NAME: the client lib name.",
      "    * LIB-VER: the client lib version.");

  /**
   * CLIENT PAUSE timeout [WRITE|ALL]: every client (ALL, the default) or the clients' writes (WRITE) wait for
   * {@code timeout} milliseconds, or until CLIENT UNPAUSE; a pause already on keeps its later end and stricter kind.
   */
  static void pause(Client c, Args a) {
    if (a.count() > 4) {
      throw new CommandError("ERR unknown subcommand or wrong number of arguments for '" + a.echo(1)
          + "'. Try CLIENT HELP.");
    }
    ClientPause.Kind kind = ClientPause.Kind.ALL;
    if (a.count() == 4) {
      if (a.is(3, "write")) kind = ClientPause.Kind.WRITE;
      else if (!a.is(3, "all")) throw new CommandError("ERR CLIENT PAUSE mode must be WRITE or ALL");
    }
    long timeout = a.longArg(2, "ERR timeout is not an integer or out of range");
    if (timeout < 0) throw new CommandError("ERR timeout is negative");
    // as Redis: the end wraps past the largest time, and such a pause is over at once
    c.server().pause.pause(ClientPause.Purpose.CLIENT_COMMAND, kind, System.currentTimeMillis() + timeout);
    c.out.ok();
  }

  /** Names and library fields may not hold spaces, newlines or other characters outside '!'..'~'. */
  static void checkName(String name) {
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (ch < '!' || ch > '~') {
        throw new CommandError("ERR Client names cannot contain spaces, newlines or special characters.");
      }
    }
  }

  static void setname(Client c, Args a) {
    String name = a.str(2);
    checkName(name);
    c.name = name;
    c.out.ok();
  }

  static void setinfo(Client c, Args a) {
    String value = a.str(3);
    boolean libName = a.is(2, "lib-name");
    if (!libName && !a.is(2, "lib-ver")) throw new CommandError("ERR Unrecognized option '" + a.echo(2) + "'");
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      if (ch < '!' || ch > '~') {
        throw new CommandError("ERR " + (libName ? "lib-name" : "lib-ver")
            + " cannot contain spaces, newlines or special characters.");
      }
    }
    if (libName) c.libName = value;
    else c.libVer = value;
    c.out.ok();
  }

  private static boolean onOff(Client c, Args a) {
    boolean on;
    if (a.is(2, "on")) on = true;
    else if (a.is(2, "off")) on = false;
    else throw new CommandError(Errors.SYNTAX);
    c.out.ok();
    return on;
  }

  static void reply(Client c, Args a) {
    if (a.is(2, "on")) {
      c.replyMode = Client.REPLY_ON;
      c.out.ok();
    } else if (a.is(2, "off")) {
      c.replyMode = Client.REPLY_OFF;
    } else if (a.is(2, "skip")) {
      if (c.replyMode != Client.REPLY_OFF) c.replyMode = Client.REPLY_SKIP_NEXT;
    } else {
      throw new CommandError(Errors.SYNTAX);
    }
  }

  /** The client's type for CLIENT LIST/KILL TYPE filters. */
  static String type(Client c) {
    return ClientRegistry.type(c);
  }

  static String describe(Client c) {
    return c.server().clients.describe(c);
  }

  /** The arguments' bytes of a running command (CLIENT LIST's argv-mem for the caller): as Redis, their lengths. */
  private static long argvMem(Args a) {
    long n = 0;
    for (int i = 0; i < a.count(); i++) n += a.len(i);
    return n;
  }

  static void list(Client c, Args a) {
    String type = null;
    List<Long> ids = null;
    if (a.count() >= 4 && a.is(2, "type")) {
      type = normalizeType(a, 3);
      if (a.count() != 4) throw new CommandError(Errors.SYNTAX);
    } else if (a.count() >= 4 && a.is(2, "id")) {
      ids = new ArrayList<>();
      for (int i = 3; i < a.count(); i++) {
        long id;
        try {
          id = a.longArg(i);
        } catch (CommandError e) {
          throw new CommandError("ERR Invalid client ID");
        }
        ids.add(id); // zero and negative ids are valid filters that match no client, as in Redis
      }
    } else if (a.count() != 2) {
      throw new CommandError(Errors.SYNTAX);
    }
    StringBuilder sb = new StringBuilder();
    for (Client x : c.server().clients.all()) {
      if (type != null && !type(x).equals(type)) continue;
      if (ids != null && !ids.contains(x.id)) continue;
      sb.append(c.server().clients.describe(x, x == c ? argvMem(a) : 0)).append('\n');
    }
    c.out.verbatim(sb.toString());
  }

  private static String normalizeType(Args a, int i) {
    String t = a.lower(i);
    return switch (t) {
      case "normal", "master", "pubsub" -> t;
      case "replica", "slave" -> "replica";
      default -> throw new CommandError("ERR Unknown client type '" + a.echo(i) + "'");
    };
  }

  static void kill(Client c, Args a) {
    if (a.count() == 3) {
      String addr = a.str(2);
      for (Client x : c.server().clients.all()) {
        if (x.addr.equals(addr)) {
          killClient(c, x);
          c.out.ok();
          return;
        }
      }
      throw new CommandError("ERR No such client");
    }
    if (a.count() % 2 != 0) throw new CommandError(Errors.SYNTAX);
    long id = 0;
    String type = null;
    String addr = null;
    String laddr = null;
    String user = null;
    boolean skipMe = true;
    long maxAge = 0;
    for (int i = 2; i < a.count(); i += 2) {
      if (a.is(i, "id")) {
        try {
          id = a.longArg(i + 1);
        } catch (CommandError e) {
          throw new CommandError("ERR client-id should be greater than 0");
        }
        if (id <= 0) throw new CommandError("ERR client-id should be greater than 0");
      } else if (a.is(i, "type")) {
        type = normalizeType(a, i + 1);
      } else if (a.is(i, "addr")) {
        addr = a.str(i + 1);
      } else if (a.is(i, "laddr")) {
        laddr = a.str(i + 1);
      } else if (a.is(i, "user")) {
        user = a.str(i + 1);
        AccessControl access = c.server().access();
        boolean known = access != null ? access.hasUser(user) : user.equals("default");
        if (!known) throw new CommandError("ERR No such user '" + user + "'");
      } else if (a.is(i, "skipme")) {
        if (a.is(i + 1, "yes")) skipMe = true;
        else if (a.is(i + 1, "no")) skipMe = false;
        else throw new CommandError(Errors.SYNTAX);
      } else if (a.is(i, "maxage")) {
        maxAge = a.longArg(i + 1);
      } else {
        throw new CommandError(Errors.SYNTAX);
      }
    }
    long now = System.currentTimeMillis();
    List<Client> victims = new ArrayList<>();
    for (Client x : c.server().clients.all()) {
      if (id != 0 && x.id != id) continue;
      if (type != null && !type(x).equals(type)) continue;
      if (addr != null && !x.addr.equals(addr)) continue;
      if (laddr != null && !x.laddr.equals(laddr)) continue;
      if (user != null && !user.equals(x.user)) continue;
      if (skipMe && x == c) continue;
      if (maxAge > 0 && (now - x.createdMillis) / 1000 < maxAge) continue;
      victims.add(x);
    }
    for (Client x : victims) killClient(c, x);
    c.out.integer(victims.size());
  }

  private static void killClient(Client self, Client x) {
    if (x == self) x.closeAfterReply();
    else x.close();
  }
}
