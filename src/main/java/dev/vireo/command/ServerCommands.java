package dev.vireo.command;

import static dev.vireo.server.CommandSpec.ADMIN;
import static dev.vireo.server.CommandSpec.FAST;
import static dev.vireo.server.CommandSpec.LOADING;
import static dev.vireo.server.CommandSpec.NO_ASYNC_LOADING;
import static dev.vireo.server.CommandSpec.NOSCRIPT;
import static dev.vireo.server.CommandSpec.READONLY;
import static dev.vireo.server.CommandSpec.STALE;
import static dev.vireo.server.CommandSpec.WRITE;

import dev.vireo.config.MemoryUnits;
import dev.vireo.persistence.aof.AofLoader;
import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import dev.vireo.server.Client;
import dev.vireo.server.CommandSpec;
import dev.vireo.server.CommandTable;
import dev.vireo.server.Server;
import dev.vireo.server.ShutdownWait;
import dev.vireo.server.SlowLog;
import dev.vireo.store.Db;
import dev.vireo.store.Entry;
import dev.vireo.store.Keyspace;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Server commands: INFO [section...], CONFIG GET|SET|RESETSTAT|REWRITE, DBSIZE, FLUSHDB|FLUSHALL [ASYNC|SYNC],
 * TIME, LASTSAVE, SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT], MONITOR, SLOWLOG GET|LEN|RESET, ROLE,
 * DEBUG SLEEP|SET-ACTIVE-EXPIRE|OBJECT.
 */
final class ServerCommands {
  private ServerCommands() {}

  static void register(CommandTable t, Node n) {
    t.add("info", -1, LOADING | STALE, 0, 0, 0, "server", "1.0.0",
        "Returns information and statistics about the server.", (c, a) -> info(n, c, a));
    t.add("config", -2, 0, 0, 0, 0, "server", "2.0.0", "A container for server configuration commands.", null)
        .sub("get", -3, ADMIN | NOSCRIPT | LOADING | STALE, 0, 0, 0, "2.0.0",
            "Returns the effective values of configuration parameters.", ServerCommands::configGet)
        .sub("set", -4, ADMIN | NOSCRIPT | LOADING | STALE, 0, 0, 0, "2.0.0",
            "Sets configuration parameters in-flight.", ServerCommands::configSet)
        .sub("resetstat", 2, ADMIN | NOSCRIPT | LOADING | STALE, 0, 0, 0, "2.0.0", "Resets the server's statistics.",
            (c, a) -> resetStat(n, c, a))
        .sub("rewrite", 2, ADMIN | NOSCRIPT | LOADING | STALE, 0, 0, 0, "2.8.0",
            "Persists the effective configuration to file.", ServerCommands::configRewrite)
        .sub("help", 2, LOADING | STALE, 0, 0, 0, "5.0.0", "Returns helpful text about the different subcommands.",
            (c, a) -> Help.reply(c, "CONFIG", List.of(
                "GET <pattern>",
                "    Return parameters matching the glob-like <pattern> and their values.",
                "SET <directive> <value>",
                "    Set the configuration <directive> to <value>.",
                "RESETSTAT",
                "    Reset statistics reported by the INFO command.",
                "REWRITE",
                "    Rewrite the configuration file.")));
    t.add("dbsize", 1, READONLY | FAST, 0, 0, 0, "server", "1.0.0", "Returns the number of keys in the database.",
        (c, a) -> c.out.integer(c.db.size()));
    t.add("flushdb", -1, WRITE, 0, 0, 0, "server", "1.0.0", "Removes all keys from the current database.",
        (c, a) -> flush(c, a, false));
    t.add("flushall", -1, WRITE, 0, 0, 0, "server", "1.0.0", "Removes all keys from all databases.",
        (c, a) -> {
          flush(c, a, true);
          // as Redis: with save rules configured, the emptied dataset is saved at once (dirty back to 0)
          if (n.persistence().hasSaveRules()) n.persistence().saveAfterFlush();
        });
    t.add("time", 1, LOADING | STALE | FAST, 0, 0, 0, "server", "2.6.0", "Returns the server time.",
        ServerCommands::time);
    t.add("lastsave", 1, LOADING | STALE | FAST, 0, 0, 0, "server", "1.0.0",
        "Returns the Unix timestamp of the last successful save to disk.",
        (c, a) -> c.out.integer(n.persistence().lastSaveSeconds()));
    t.add("save", 1, ADMIN | NOSCRIPT | NO_ASYNC_LOADING | CommandSpec.NO_MULTI, 0, 0, 0, "server", "1.0.0",
        "Synchronously saves the database(s) to disk.", (c, a) -> save(n, c, a));
    t.add("bgsave", -1, ADMIN | NOSCRIPT | NO_ASYNC_LOADING, 0, 0, 0, "server", "1.0.0",
        "Asynchronously saves the database(s) to disk.", (c, a) -> bgsave(n, c, a));
    t.add("bgrewriteaof", 1, ADMIN | NOSCRIPT | NO_ASYNC_LOADING, 0, 0, 0, "server", "1.0.0",
        "Asynchronously rewrites the append-only file to disk.", (c, a) -> {
          String r = n.aof().bgrewrite();
          if (r == null) c.out.simple("Background append only file rewriting started");
          else if (r.startsWith("+")) c.out.simple(r.substring(1));
          else throw new CommandError(r);
        });
    t.add("shutdown", -1, ADMIN | NOSCRIPT | LOADING | STALE | CommandSpec.NO_MULTI | CommandSpec.ALLOW_BUSY, 0, 0,
        0, "server", "1.0.0", "Synchronously saves the database(s) to disk and shuts down the Redis server.",
        ServerCommands::shutdown);
    t.add("monitor", 1, ADMIN | NOSCRIPT | LOADING | STALE, 0, 0, 0, "server", "1.0.0",
        "Listens for all requests received by the server in real-time.", (c, a) -> {
          c.server().clients.addMonitor(c);
          c.out.ok();
        });
    t.add("slowlog", -2, 0, 0, 0, 0, "server", "2.2.12", "A container for slow log commands.", null)
        .sub("get", -2, ADMIN | LOADING | STALE, 0, 0, 0, "2.2.12", "Returns the slow log's entries.",
            ServerCommands::slowlogGet)
        .sub("len", 2, ADMIN | LOADING | STALE, 0, 0, 0, "2.2.12", "Returns the number of entries in the slow log.",
            (c, a) -> c.out.integer(c.server().slowLog.items().size()))
        .sub("reset", 2, ADMIN | LOADING | STALE, 0, 0, 0, "2.2.12", "Clears all entries from the slow log.",
            (c, a) -> {
              c.server().slowLog.reset();
              c.out.ok();
            })
        .sub("help", 2, LOADING | STALE, 0, 0, 0, "6.2.0", "Show helpful text about the different subcommands",
            (c, a) -> Help.reply(c, "SLOWLOG", List.of(
                "GET [<count>]",
                "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                "    Entries are made of:",
                "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                "    client name",
                "LEN",
                "    Return the length of the slowlog.",
                "RESET",
                "    Reset the slowlog.")));
    t.add("role", 1, NOSCRIPT | LOADING | STALE | FAST, 0, 0, 0, "server", "2.8.12",
        "Returns the replication role.", (c, a) -> role(n, c, a));
    t.add("debug", -2, ADMIN | NOSCRIPT | LOADING | STALE | CommandSpec.PROTECTED, 0, 0, 0, "server", "1.0.0",
        "A container for debugging commands.", (c, a) -> debug(n, c, a));
  }

  static void info(Node n, Client c, Args a) {
    Set<String> sections = new LinkedHashSet<>();
    for (int i = 1; i < a.count(); i++) sections.add(a.lower(i));
    c.out.verbatim(Info.build(n, sections));
  }

  static void configGet(Client c, Args a) {
    List<String> patterns = new ArrayList<>();
    for (int i = 2; i < a.count(); i++) patterns.add(a.str(i));
    Map<String, String> found = c.server().config.configGet(patterns);
    c.out.map(found.size());
    for (Map.Entry<String, String> e : found.entrySet()) c.out.bulk(e.getKey()).bulk(e.getValue());
  }

  static void configSet(Client c, Args a) {
    if (a.count() % 2 != 0) throw new CommandError(Errors.SYNTAX);
    List<String[]> pairs = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 2; i < a.count(); i += 2) {
      String name = a.lower(i);
      if (!seen.add(name)) {
        throw new CommandError("ERR CONFIG SET failed (possibly related to argument '" + name
            + "') - duplicate parameter");
      }
      pairs.add(new String[] {name, a.str(i + 1)});
    }
    String err = c.server().config.set(pairs);
    if (err != null) throw new CommandError("ERR " + err);
    c.out.ok();
  }

  static void resetStat(Node n, Client c, Args a) {
    Server s = c.server();
    s.stats.resetAll();
    n.persistence().resetForkStats();
    s.keyspace().resetStats();
    s.memory.resetStats();
    s.memory.resetPeak();
    s.slowLog.reset();
    for (CommandSpec cmd : s.table().all()) {
      cmd.resetStats();
      for (CommandSpec sub : cmd.subcommands().values()) sub.resetStats();
    }
    c.out.ok();
  }

  static void configRewrite(Client c, Args a) {
    String err = c.server().config.rewrite();
    if (err != null) throw new CommandError("ERR " + err);
    c.server().log.info("CONFIG REWRITE executed with success.");
    c.out.ok();
  }

  static void flush(Client c, Args a, boolean all) {
    if (a.count() > 2 || (a.count() == 2 && !a.is(1, "async") && !a.is(1, "sync"))) {
      throw new CommandError(Errors.SYNTAX);
    }
    Keyspace ks = c.server().keyspace();
    long removed = 0;
    if (all) {
      for (int i = 0; i < ks.databases(); i++) removed += ks.db(i).size();
      ks.flushAll();
    } else {
      removed = c.db.size();
      c.db.clear();
    }
    c.server().addDirty(removed);
    Rewrites.as(c, a.toArray()); // replicas get it even when there was nothing to remove, as in Redis
    c.out.ok();
  }

  static void time(Client c, Args a) {
    Instant now = Instant.now();
    c.out.array(2);
    c.out.bulk(Long.toString(now.getEpochSecond()));
    c.out.bulk(Long.toString(now.getNano() / 1000));
  }

  /**
   * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]: see {@link ShutdownWait}. The client stays blocked while the node
   * waits for its replicas; the exit closes its connection without a reply.
   */
  static void shutdown(Client c, Args a) {
    boolean abort = false;
    int flags = 0;
    for (int i = 1; i < a.count(); i++) {
      if (a.is(i, "nosave")) flags |= ShutdownWait.NOSAVE;
      else if (a.is(i, "save")) flags |= ShutdownWait.SAVE;
      else if (a.is(i, "now")) flags |= ShutdownWait.NOW;
      else if (a.is(i, "force")) flags |= ShutdownWait.FORCE;
      else if (a.is(i, "abort")) abort = true;
      else throw new CommandError(Errors.SYNTAX);
    }
    if ((abort && flags != 0) || ((flags & ShutdownWait.SAVE) != 0 && (flags & ShutdownWait.NOSAVE) != 0)) {
      throw new CommandError(Errors.SYNTAX);
    }
    ShutdownWait shutdown = c.server().shutdownWait;
    if (abort) {
      if (!shutdown.abort()) throw new CommandError("ERR No shutdown in progress.");
      c.out.ok();
      return;
    }
    if ((flags & ShutdownWait.NOW) == 0 && !c.canBlock()) {
      throw new CommandError("ERR SHUTDOWN without NOW or ABORT isn't allowed for DENY BLOCKING client");
    }
    // while a script holds the keyspace only SHUTDOWN NOSAVE may go (nothing could be saved consistently)
    if ((flags & ShutdownWait.NOSAVE) == 0 && c.server().busy.active()) {
      throw new CommandError(c.server().busy.reply());
    }
    switch (shutdown.request(c, flags)) {
      case FAILED -> throw new CommandError("ERR Errors trying to SHUTDOWN. Check logs.");
      case EXITING -> c.closeAfterReply();
      case WAITING -> { } // blocked until the node exits or the shutdown is cancelled
    }
  }

  static void save(Node n, Client c, Args a) {
    String err = n.persistence().save();
    if (err != null) throw new CommandError(err);
    c.out.ok();
  }

  static void bgsave(Node n, Client c, Args a) {
    if (a.count() == 2) {
      if (!a.is(1, "schedule")) throw new CommandError(Errors.SYNTAX);
    } else if (a.count() > 2) {
      throw new CommandError(Errors.SYNTAX);
    }
    // SCHEDULE waits only for another kind of child (an AOF rewrite); an RDB being encoded refuses, as in Redis
    if (!n.persistence().bgsaveInProgress() && n.persistence().aofRewriteRunning()) {
      if (a.count() != 2) {
        throw new CommandError("ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE "
            + "SCHEDULE in order to schedule a BGSAVE whenever possible.");
      }
      n.persistence().scheduleBgsave();
      c.out.simple("Background saving scheduled");
      return;
    }
    if (!n.persistence().bgsave()) throw new CommandError("ERR Background save already in progress");
    c.out.simple("Background saving started");
  }

  static void slowlogGet(Client c, Args a) {
    long count = 10;
    if (a.count() == 3) {
      count = a.longArg(2, "ERR count should be greater than or equal to -1");
      if (count < -1) throw new CommandError("ERR count should be greater than or equal to -1");
      if (count == -1) count = Long.MAX_VALUE;
    } else if (a.count() > 3) {
      throw new CommandError("ERR unknown subcommand or wrong number of arguments for '" + a.echo(1)
          + "'. Try SLOWLOG HELP.");
    }
    List<SlowLog.Item> items = new ArrayList<>();
    for (SlowLog.Item it : c.server().slowLog.items()) {
      if (items.size() >= count) break;
      items.add(it);
    }
    c.out.array(items.size());
    for (SlowLog.Item it : items) {
      c.out.array(6);
      c.out.integer(it.id()).integer(it.unixSeconds()).integer(it.micros());
      c.out.array(it.args().length);
      for (byte[] arg : it.args()) c.out.bulk(arg);
      c.out.bulk(it.addr()).bulk(it.name());
    }
  }

  static void role(Node n, Client c, Args a) {
    var link = n.replica();
    if (link.isReplica()) {
      c.out.array(5);
      c.out.bulk("slave");
      c.out.bulk(link.masterHost());
      c.out.integer(link.masterPort());
      c.out.bulk(link.state().roleName());
      c.out.integer(link.masterClient() != null ? c.server().repl.offset() : -1);
      return;
    }
    var online = n.master().onlineReplicas();
    c.out.array(3);
    c.out.bulk("master");
    c.out.integer(c.server().repl.offset());
    c.out.array(online.size());
    for (var r : online) {
      c.out.array(3).bulk(r.ip()).bulk(Integer.toString(r.listeningPort)).bulk(Long.toString(r.ackOffset));
    }
  }

  private static long parseMemory(String s) {
    try {
      return MemoryUnits.parse(s);
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /** {@code DEBUG PROTOCOL <type>}: Redis's fixed test value of each RESP type, in the client's protocol. */
  private static void protocol(Client c, String type) {
    switch (type) {
      case "string" -> c.out.bulk("Hello World");
      case "integer" -> c.out.integer(12345);
      case "double" -> c.out.dbl(3.141);
      case "bignum" -> {
        String n = "1234567999999999999999999999999999999";
        if (c.out.proto() == 3) c.out.raw(("(" + n + "\r\n").getBytes(StandardCharsets.US_ASCII));
        else c.out.bulk(n);
      }
      case "null" -> c.out.nullBulk();
      case "array", "set", "map" -> {
        if (type.equals("array")) c.out.array(3);
        else if (type.equals("set")) c.out.set(3);
        else c.out.map(3);
        for (int j = 0; j < 3; j++) {
          c.out.integer(j);
          if (type.equals("map")) c.out.bool(j == 1);
        }
      }
      case "attrib" -> {
        if (c.out.proto() == 3) {
          c.out.raw("|1\r\n".getBytes(StandardCharsets.US_ASCII)).bulk("key-popularity").array(2).bulk("key:123")
              .integer(90);
        }
        c.out.bulk("Some real reply following the attribute");
      }
      case "push" -> {
        if (c.out.proto() != 3) throw new CommandError("ERR RESP2 is not supported by this command");
        c.out.push(2).bulk("server-cpu-usage").integer(42);
        c.out.bulk("Some real reply following the push reply");
      }
      case "verbatim" -> c.out.verbatim("This is a verbatim\nstring");
      case "true" -> c.out.bool(true);
      case "false" -> c.out.bool(false);
      default -> throw new CommandError("ERR Wrong protocol type name. Please use one of the following: "
          + "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
    }
  }

  private static final Pattern LEADING_NUMBER = Pattern.compile("\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  /** DEBUG parses its own subcommands, as Redis's does, with Redis's error for unknown ones. */
  static void debug(Node n, Client c, Args a) {
    String sub = a.lower(1);
    switch (sub) {
      case "help" -> Help.reply(c, "DEBUG", List.of(
          "CHANGE-REPL-ID",
          "    Change the replication IDs of the instance.",
          "    Dangerous: should be used only for testing the replication subsystem.",
          "DIGEST",
          "    Output a hex signature representing the current DB content.",
          "DIGEST-VALUE <key> [<key> ...]",
          "    Output a hex signature of the values of all the specified keys.",
          "ERROR <string>",
          "    Return a Redis protocol error with <string> as message. Useful for clients",
          "    unit tests to simulate Redis errors.",
          "LOG <message>",
          "    Write <message> to the server log.",
          "LOADAOF",
          "    Flush the AOF buffers on disk and reload the AOF in memory.",
          "OBJECT <key>",
          "    Show low level info about the key and associated value.",
          "POPULATE <count> [<prefix>] [<size>]",
          "    Create <count> string keys named key:<num>. If <prefix> is specified then",
          "    it is used instead of the 'key' prefix. These are not propagated to",
          "    replicas. Cluster slots are not respected so keys not belonging to the",
          "    current node can be created in cluster mode.",
          "PROTOCOL <type>",
          "    Reply with a test value of the specified type. <type> can be: string,",
          "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
          "    true, false.",
          "QUICKLIST-PACKED-THRESHOLD <size>",
          "    Sets the threshold for elements to be inserted as plain vs packed nodes",
          "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
          "REPLICATE <string>",
          "    Replicates the provided string to replicas, allowing data divergence.",
          "RELOAD",
          "    Save the RDB on disk and reload it back to memory.",
          "SET-ACTIVE-EXPIRE <0|1>",
          "    Setting it to 0 disables expiring keys in background when they are not",
          "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
          "    default.",
          "SLEEP <seconds>",
          "    Stop the server for <seconds>. Decimals allowed."));
      case "sleep" -> {
        if (a.count() != 3) break;
        // as Redis's strtod: the longest number at the start, 0 when there is none
        Matcher m = LEADING_NUMBER.matcher(a.str(2));
        double secs = m.lookingAt() ? Double.parseDouble(m.group()) : 0;
        try {
          Thread.sleep((long) (secs * 1000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        c.out.ok();
        return;
      }
      case "set-active-expire" -> {
        if (a.count() != 3) break;
        c.server().keyspace().activeExpireEnabled(a.longArg(2) != 0);
        c.out.ok();
        return;
      }
      case "populate" -> {
        if (a.count() < 3 || a.count() > 5) break;
        long count = a.longArg(2, "ERR value is out of range, must be positive");
        if (count < 0) throw new CommandError("ERR value is out of range, must be positive");
        String prefix = a.count() >= 4 ? a.str(3) : "key";
        long size = 0;
        if (a.count() == 5) {
          size = a.longArg(4, "ERR value is out of range, must be positive");
          if (size < 0) throw new CommandError("ERR value is out of range, must be positive");
        }
        for (long j = 0; j < count; j++) {
          byte[] key = (prefix + ":" + j).getBytes(StandardCharsets.UTF_8);
          if (c.db.lookup(key) != null) continue;
          byte[] v = ("value:" + j).getBytes(StandardCharsets.US_ASCII);
          if (size > 0) v = Arrays.copyOf(v, (int) size); // padded with zero bytes, or cut
          c.db.add(key, v); // not a change to save or propagate, as in Redis
        }
        c.out.ok();
        return;
      }
      case "digest" -> {
        if (a.count() != 2) break;
        c.out.simple(Digest.hex(Digest.dataset(c.server().keyspace())));
        return;
      }
      case "digest-value" -> {
        c.out.array(a.count() - 2);
        for (int i = 2; i < a.count(); i++) {
          Entry e = c.db.peek(a.bytes(i));
          c.out.simple(Digest.hex(e == null ? new byte[20] : Digest.value(e)));
        }
        return;
      }
      case "change-repl-id" -> {
        if (a.count() != 2) break;
        c.server().repl.restart();
        c.out.ok();
        return;
      }
      case "quicklist-packed-threshold" -> {
        if (a.count() != 3) break;
        long v = parseMemory(a.str(2));
        // as Redis: 0 restores the default; the limit is 4gb less 1mb
        if (v < 0 || v > (1L << 32) - (1L << 20)) {
          throw new CommandError("ERR argument must be a memory value bigger than 1 and smaller than 4gb");
        }
        c.out.ok();
        return;
      }
      case "loadaof" -> {
        if (n.aof().on()) n.aof().flush(); // what is buffered reaches the file (and the disk) first, as in Redis
        String err = new AofLoader(c.server(), n.persistence()).loadNow();
        if (err != null) throw new CommandError(err);
        c.out.ok();
        return;
      }
      case "reload" -> {
        String err = n.persistence().reload();
        if (err != null) throw new CommandError(err);
        c.out.ok();
        return;
      }
      case "protocol" -> {
        if (a.count() != 3) break;
        protocol(c, a.lower(2));
        return;
      }
      case "replicate" -> {
        if (a.count() < 3) break;
        // the rest of the arguments go to replicas as a command of their own, not run here
        byte[][] argv = new byte[a.count() - 2][];
        for (int i = 2; i < a.count(); i++) argv[i - 2] = a.bytes(i);
        Rewrites.as(c, argv);
        c.out.ok();
        return;
      }
      case "error" -> {
        if (a.count() != 3) break;
        // as Redis: a reply the client asked for, not a failed call, so it stays out of the error statistics
        c.out.error(a.echo(2));
        return;
      }
      case "log" -> {
        if (a.count() != 3) break;
        c.server().log.warn("DEBUG LOG: " + a.str(2));
        c.out.ok();
        return;
      }
      case "object" -> {
        if (a.count() != 3) break;
        Db db = c.db;
        Entry e = db.stored(a.bytes(2));
        if (e == null) throw new CommandError(Errors.NO_SUCH_KEY);
        long idle = c.server().keyspace().idleMillis(e) / 1000;
        int len = e.value instanceof byte[] b ? b.length : 0;
        c.out.simple("Value at:0x" + Integer.toHexString(System.identityHashCode(e.value)) + " refcount:1 encoding:"
            + KeyCommands.encoding(e) + " serializedlength:" + (len + 1) + " lru:"
            + e.accessBits() + " lru_seconds_idle:" + idle);
        return;
      }
      default -> { }
    }
    if (sub.equals("help")) return;
    throw new CommandError("ERR unknown subcommand or wrong number of arguments for '" + a.echo(1)
        + "'. Try DEBUG HELP.");
  }
}
