package dev.vireo.config;

import dev.vireo.config.Directive.BadValue;
import dev.vireo.config.Directive.Codec;
import dev.vireo.config.Directive.Type;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every directive the node understands: Redis 7.0's names, aliases, defaults and bounds, so a stock redis.conf
 * loads, plus Vireo's own ({@code http-port}, {@code http-bind}, {@code eventbus-bridge-port}). Most have no
 * effect beyond being shown and rewritten; the ones a server acts on are listed in this package's documentation.
 */
final class DirectiveTable {
  static final long INT_MAX = Integer.MAX_VALUE;
  static final long INT_MIN = Integer.MIN_VALUE;
  static final long LONG_MAX = Long.MAX_VALUE;
  static final long UINT_MAX = 4294967295L;

  /** Directives in declaration order (the order CONFIG GET lists them in). */
  static final List<Directive> ALL;
  /** Lower-case name or alias to directive. */
  static final Map<String, Directive> BY_NAME;
  /** Names Redis 7.0 still accepts in a file but ignores, with how many arguments each may take. */
  static final Map<String, Integer> DEPRECATED = Map.of(
      "list-max-ziplist-entries", 1, "list-max-ziplist-value", 1, "lua-replicate-commands", 1);

  private DirectiveTable() {}

  static Directive lookup(String name) {
    return BY_NAME.get(name.toLowerCase(Locale.ROOT));
  }

  static {
    List<Directive> d = new ArrayList<>();

    // Network
    d.add(special("bind", "127.0.0.1", true, new Bind()));
    d.add(bool("protected-mode", "yes"));
    d.add(integer("port", 6379, 0, 65535));
    d.add(integer("tcp-backlog", 511, 0, INT_MAX).immutable());
    d.add(string("bind-source-addr", ""));
    d.add(string("unixsocket", "").immutable());
    d.add(special("unixsocketperm", "0", false, new Octal(0, 0777)).immutable());
    d.add(integer("timeout", 0, 0, INT_MAX));
    d.add(integer("tcp-keepalive", 300, 0, INT_MAX));
    d.add(integer("http-port", -1, -1, 65535).immutable());
    d.add(string("http-bind", "127.0.0.1").immutable());
    d.add(integer("eventbus-bridge-port", 0, 0, 65535).immutable()); // TCP event-bus bridge on http-bind; 0 = off

    // General
    d.add(bool("daemonize", "no").immutable());
    d.add(enumeration("supervised", "no", "upstart", "systemd", "auto", "no").immutable());
    d.add(string("pidfile", "").immutable());
    d.add(enumeration("loglevel", "notice", "debug", "verbose", "notice", "warning"));
    d.add(string("logfile", "").immutable());
    d.add(bool("syslog-enabled", "no").immutable());
    d.add(string("syslog-ident", "redis").immutable());
    d.add(enumeration("syslog-facility", "local0",
        "user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7").immutable());
    d.add(bool("crash-log-enabled", "yes"));
    d.add(bool("crash-memcheck-enabled", "yes"));
    d.add(integer("databases", 16, 1, INT_MAX).immutable());
    d.add(bool("always-show-logo", "no").immutable());
    d.add(bool("set-proc-title", "yes").immutable());
    d.add(string("proc-title-template", "{title} {listen-addr} {server-mode}"));
    d.add(enumeration("enable-protected-configs", "no", "no", "yes", "local").immutable());
    d.add(enumeration("enable-debug-command", "no", "no", "yes", "local").immutable());
    d.add(enumeration("enable-module-command", "no", "no", "yes", "local").immutable());
    d.add(string("ignore-warnings", ""));

    // Snapshotting
    d.add(special("save", "3600 1 300 100 60 10000", true, new Save()));
    d.add(bool("stop-writes-on-bgsave-error", "yes"));
    d.add(bool("rdbcompression", "yes"));
    d.add(bool("rdbchecksum", "yes").immutable());
    d.add(enumeration("sanitize-dump-payload", "no", "no", "yes", "clients"));
    d.add(string("dbfilename", "dump.rdb"));
    d.add(bool("rdb-del-sync-files", "no"));
    d.add(special("dir", DirCodec.cwd(), false, new DirCodec()));
    d.add(bool("rdb-save-incremental-fsync", "yes"));
    d.add(integer("rdb-key-save-delay", 0, INT_MIN, INT_MAX).hidden());
    d.add(integer("key-load-delay", 0, INT_MIN, INT_MAX).hidden());

    // Replication
    d.add(special("replicaof", "", true, new ReplicaOf()).alias("slaveof").immutable());
    d.add(string("masteruser", ""));
    d.add(string("masterauth", "").sensitive());
    d.add(bool("replica-serve-stale-data", "yes").alias("slave-serve-stale-data"));
    d.add(bool("replica-read-only", "yes").alias("slave-read-only"));
    d.add(bool("repl-diskless-sync", "yes"));
    d.add(integer("repl-diskless-sync-delay", 5, 0, INT_MAX));
    d.add(integer("repl-diskless-sync-max-replicas", 0, 0, INT_MAX));
    d.add(enumeration("repl-diskless-load", "disabled", "disabled", "on-empty-db", "swapdb"));
    d.add(integer("repl-ping-replica-period", 10, 1, INT_MAX).alias("repl-ping-slave-period"));
    d.add(integer("repl-timeout", 60, 1, INT_MAX));
    d.add(bool("repl-disable-tcp-nodelay", "no"));
    d.add(memory("repl-backlog-size", "1mb", 1, LONG_MAX));
    d.add(integer("repl-backlog-ttl", 3600, 0, LONG_MAX));
    d.add(integer("replica-priority", 100, 0, INT_MAX).alias("slave-priority"));
    d.add(bool("replica-announced", "yes"));
    d.add(integer("min-replicas-to-write", 0, 0, INT_MAX).alias("min-slaves-to-write"));
    d.add(integer("min-replicas-max-lag", 10, 0, INT_MAX).alias("min-slaves-max-lag"));
    d.add(string("replica-announce-ip", "").alias("slave-announce-ip"));
    d.add(integer("replica-announce-port", 0, 0, 65535).alias("slave-announce-port"));
    d.add(bool("replica-lazy-flush", "no").alias("slave-lazy-flush"));
    d.add(bool("replica-ignore-maxmemory", "yes").alias("slave-ignore-maxmemory"));
    d.add(enumeration("propagation-error-behavior", "ignore", "ignore", "panic", "panic-on-replicas"));
    d.add(bool("replica-ignore-disk-write-errors", "no"));

    // Keys tracking, security, clients
    d.add(integer("tracking-table-max-keys", 1000000, 0, LONG_MAX));
    d.add(integer("acllog-max-len", 128, 0, LONG_MAX));
    d.add(string("aclfile", "").immutable());
    d.add(enumeration("acl-pubsub-default", "resetchannels", "allchannels", "resetchannels"));
    d.add(string("requirepass", "").sensitive());
    d.add(integer("maxclients", 10000, 1, UINT_MAX));

    // Memory management
    d.add(memory("maxmemory", "0", 0, LONG_MAX));
    d.add(enumeration("maxmemory-policy", "noeviction", "volatile-lru", "volatile-lfu", "volatile-random",
        "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"));
    d.add(integer("maxmemory-samples", 5, 1, INT_MAX));
    d.add(integer("maxmemory-eviction-tenacity", 10, 0, 100));
    d.add(special("maxmemory-clients", "0", false, new MemoryOrPercent()));

    // Lazy freeing
    d.add(bool("lazyfree-lazy-eviction", "no"));
    d.add(bool("lazyfree-lazy-expire", "no"));
    d.add(bool("lazyfree-lazy-server-del", "no"));
    d.add(bool("lazyfree-lazy-user-del", "no"));
    d.add(bool("lazyfree-lazy-user-flush", "no"));

    // Threaded I/O, kernel
    d.add(integer("io-threads", 1, 1, 128).immutable());
    d.add(bool("io-threads-do-reads", "no").immutable());
    d.add(enumeration("oom-score-adj", "no", "no", "yes", "relative", "absolute"));
    d.add(special("oom-score-adj-values", "0 200 800", true, new OomScoreAdjValues()));
    d.add(bool("disable-thp", "yes").immutable());
    d.add(string("server_cpulist", "").immutable());
    d.add(string("bio_cpulist", "").immutable());
    d.add(string("aof_rewrite_cpulist", "").immutable());
    d.add(string("bgsave_cpulist", "").immutable());
    d.add(bool("jemalloc-bg-thread", "yes"));

    // Append only file
    d.add(bool("appendonly", "no"));
    d.add(string("appendfilename", "appendonly.aof").immutable());
    d.add(string("appenddirname", "appendonlydir").immutable());
    d.add(enumeration("appendfsync", "everysec", "always", "everysec", "no"));
    d.add(bool("no-appendfsync-on-rewrite", "no"));
    d.add(integer("auto-aof-rewrite-percentage", 100, 0, INT_MAX));
    d.add(memory("auto-aof-rewrite-min-size", "64mb", 0, LONG_MAX));
    d.add(bool("aof-load-truncated", "yes"));
    d.add(bool("aof-use-rdb-preamble", "yes"));
    d.add(bool("aof-timestamp-enabled", "no"));
    d.add(bool("aof-rewrite-incremental-fsync", "yes"));

    // Shutdown, scripting
    d.add(integer("shutdown-timeout", 10, 0, INT_MAX));
    d.add(special("shutdown-on-sigint", "default", true, new ShutdownFlags()));
    d.add(special("shutdown-on-sigterm", "default", true, new ShutdownFlags()));
    d.add(integer("busy-reply-threshold", 5000, 0, LONG_MAX).alias("lua-time-limit"));

    // Cluster (accepted, not implemented)
    d.add(bool("cluster-enabled", "no").immutable());
    d.add(string("cluster-config-file", "nodes.conf").immutable());
    d.add(integer("cluster-node-timeout", 15000, 0, LONG_MAX));
    d.add(integer("cluster-port", 0, 0, 65535).immutable());
    d.add(integer("cluster-replica-validity-factor", 10, 0, INT_MAX).alias("cluster-slave-validity-factor"));
    d.add(integer("cluster-migration-barrier", 1, 0, INT_MAX));
    d.add(bool("cluster-allow-replica-migration", "yes"));
    d.add(bool("cluster-require-full-coverage", "yes"));
    d.add(bool("cluster-replica-no-failover", "no").alias("cluster-slave-no-failover"));
    d.add(bool("cluster-allow-reads-when-down", "no"));
    d.add(bool("cluster-allow-pubsubshard-when-down", "yes"));
    d.add(integer("cluster-link-sendbuf-limit", 0, 0, LONG_MAX));
    d.add(string("cluster-announce-ip", ""));
    d.add(string("cluster-announce-hostname", ""));
    d.add(integer("cluster-announce-port", 0, 0, 65535));
    d.add(integer("cluster-announce-bus-port", 0, 0, 65535));
    d.add(integer("cluster-announce-tls-port", 0, 0, 65535));
    d.add(enumeration("cluster-preferred-endpoint-type", "ip", "ip", "hostname", "unknown-endpoint"));

    // Slow log, latency, events
    d.add(integer("slowlog-log-slower-than", 10000, -1, LONG_MAX));
    d.add(integer("slowlog-max-len", 128, 0, LONG_MAX));
    d.add(integer("latency-monitor-threshold", 0, 0, LONG_MAX));
    d.add(bool("latency-tracking", "yes"));
    d.add(special("latency-tracking-info-percentiles", "50 99 99.9", true, new Percentiles()));
    d.add(special("notify-keyspace-events", "", false, new KeyspaceEvents()));

    // Encodings and limits
    d.add(integer("hash-max-listpack-entries", 512, 0, LONG_MAX).alias("hash-max-ziplist-entries"));
    d.add(memory("hash-max-listpack-value", "64", 0, LONG_MAX).alias("hash-max-ziplist-value"));
    d.add(integer("list-max-listpack-size", -2, INT_MIN, INT_MAX).alias("list-max-ziplist-size"));
    d.add(integer("list-compress-depth", 0, 0, INT_MAX));
    d.add(integer("set-max-intset-entries", 512, 0, LONG_MAX));
    d.add(integer("set-max-listpack-entries", 128, 0, LONG_MAX));
    d.add(memory("set-max-listpack-value", "64", 0, LONG_MAX));
    d.add(integer("zset-max-listpack-entries", 128, 0, LONG_MAX).alias("zset-max-ziplist-entries"));
    d.add(memory("zset-max-listpack-value", "64", 0, LONG_MAX).alias("zset-max-ziplist-value"));
    d.add(memory("hll-sparse-max-bytes", "3000", 0, LONG_MAX));
    d.add(memory("stream-node-max-bytes", "4096", 0, LONG_MAX));
    d.add(integer("stream-node-max-entries", 100, 0, LONG_MAX));
    d.add(bool("activerehashing", "yes"));
    d.add(special("client-output-buffer-limit",
        "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60", true, new OutputBufferLimits()));
    d.add(memory("client-query-buffer-limit", "1gb", 1024 * 1024, LONG_MAX));
    d.add(memory("proto-max-bulk-len", "512mb", 1024 * 1024, LONG_MAX));
    d.add(integer("hz", 10, 1, 500));
    d.add(bool("dynamic-hz", "yes"));
    d.add(integer("active-expire-effort", 1, 1, 10));

    // Active defragmentation
    d.add(bool("activedefrag", "no"));
    d.add(memory("active-defrag-ignore-bytes", "100mb", 1, LONG_MAX));
    d.add(integer("active-defrag-threshold-lower", 10, 0, 1000));
    d.add(integer("active-defrag-threshold-upper", 100, 0, 1000));
    d.add(integer("active-defrag-cycle-min", 1, 1, 99));
    d.add(integer("active-defrag-cycle-max", 25, 1, 99));
    d.add(integer("active-defrag-max-scan-fields", 1000, 1, LONG_MAX));
    d.add(integer("lfu-log-factor", 10, 0, INT_MAX));
    d.add(integer("lfu-decay-time", 1, 0, INT_MAX));

    ALL = Collections.unmodifiableList(d);
    Map<String, Directive> byName = new LinkedHashMap<>();
    for (Directive x : d) {
      if (byName.put(x.name, x) != null) throw new IllegalStateException("duplicate directive " + x.name);
      for (String a : x.aliases) {
        if (byName.put(a, x) != null) throw new IllegalStateException("duplicate alias " + a);
      }
    }
    BY_NAME = Collections.unmodifiableMap(byName);
  }

  // ---- builders ----

  private static Directive bool(String name, String def) {
    return new Directive(name, Type.BOOL, def);
  }

  private static Directive integer(String name, long def, long min, long max) {
    Directive x = new Directive(name, Type.INT, Long.toString(def));
    x.min = min;
    x.max = max;
    return x;
  }

  private static Directive memory(String name, String def, long min, long max) {
    Directive x = new Directive(name, Type.MEMORY, Long.toString(MemoryUnits.parse(def)));
    x.min = min;
    x.max = max;
    return x;
  }

  private static Directive enumeration(String name, String def, String... values) {
    Directive x = new Directive(name, Type.ENUM, def);
    x.enumValues = List.of(values);
    return x;
  }

  private static Directive string(String name, String def) {
    return new Directive(name, Type.STRING, def);
  }

  private static Directive special(String name, String def, boolean multiArg, Codec codec) {
    Directive x = new Directive(name, Type.SPECIAL, def);
    x.codec = codec;
    x.multiArg = multiArg;
    return x;
  }

  private static String one(List<String> args) throws BadValue {
    if (args.size() != 1) throw new BadValue("wrong number of arguments");
    return args.get(0);
  }

  private static List<String> words(String value) {
    return value.isEmpty() ? List.of() : List.of(value.split(" "));
  }

  // ---- special directives ----

  /** {@code save <seconds> <changes> [...]}; {@code save ""} means no snapshots; repeated lines accumulate. */
  static final class Save implements Codec {
    @Override
    public String parse(List<String> args, String current, boolean continuing) throws BadValue {
      if (args.size() == 1 && args.get(0).isEmpty()) return "";
      if (args.size() % 2 != 0) throw new BadValue("Invalid save parameters");
      StringBuilder sb = new StringBuilder(continuing ? current : "");
      for (int i = 0; i < args.size(); i++) {
        Long v = Directive.parseStrictLong(args.get(i));
        if (v == null || (i % 2 == 0 && v < 1) || v < 0) throw new BadValue("Invalid save parameters");
        if (sb.length() > 0) sb.append(' ');
        sb.append(v);
      }
      return sb.toString();
    }

    @Override
    public List<String> rewrite(String value) {
      if (value.isEmpty()) return List.of("\"\"");
      String[] w = value.split(" ");
      List<String> lines = new ArrayList<>();
      for (int i = 0; i + 1 < w.length; i += 2) lines.add(w[i] + " " + w[i + 1]);
      return lines;
    }
  }

  /** {@code replicaof <host> <port>} or {@code replicaof no one}; the value is "host port" or empty. */
  static final class ReplicaOf implements Codec {
    @Override
    public String parse(List<String> args, String current, boolean continuing) throws BadValue {
      if (args.isEmpty() || (args.size() == 1 && args.get(0).isEmpty())) return "";
      if (args.size() != 2) throw new BadValue("wrong number of arguments");
      if (args.get(0).equalsIgnoreCase("no") && args.get(1).equalsIgnoreCase("one")) return "";
      Long port = Directive.parseStrictLong(args.get(1));
      if (port == null || port < 0 || port > 65535) throw new BadValue("Invalid master port");
      return args.get(0) + " " + port;
    }

    @Override
    public List<String> rewrite(String value) {
      if (value.isEmpty()) return List.of();
      int sp = value.lastIndexOf(' ');
      return List.of(ConfigTokenizer.quoteIfNeeded(value.substring(0, sp)) + value.substring(sp));
    }
  }

  /** {@code bind addr [addr...]}, up to 16 addresses; {@code bind ""} binds nothing explicitly. */
  static final class Bind implements Codec {
    @Override
    public String parse(List<String> args, String current, boolean continuing) throws BadValue {
      if (args.size() > 16) throw new BadValue("Too many bind addresses specified.");
      if (args.size() == 1 && args.get(0).isEmpty()) return "";
      for (String a : args) {
        if (a.isEmpty() || a.indexOf(' ') >= 0) throw new BadValue("Invalid bind address");
      }
      return String.join(" ", args);
    }

    @Override
    public List<String> rewrite(String value) {
      return List.of(value.isEmpty() ? "\"\"" : value);
    }
  }

  /**
   * {@code dir path}: must name an existing directory. Relative paths resolve against the current {@code dir},
   * the way successive chdir calls would; the value is the absolute path.
   */
  static final class DirCodec implements Codec {
    static String cwd() {
      return Path.of("").toAbsolutePath().normalize().toString();
    }

    @Override
    public String parse(List<String> args, String current, boolean continuing) throws BadValue {
      String arg = one(args);
      Path p;
      try {
        p = Path.of(current.isEmpty() ? cwd() : current).resolve(arg).toAbsolutePath().normalize();
      } catch (InvalidPathException e) {
        throw new BadValue("No such file or directory");
      }
      if (arg.isEmpty() || !Files.exists(p)) throw new BadValue("No such file or directory");
      if (!Files.isDirectory(p)) throw new BadValue("Not a directory");
      return p.toString();
    }

    @Override
    public List<String> rewrite(String value) {
      return List.of(ConfigTokenizer.quote(value));
    }
  }

  /** Octal permission bits such as {@code unixsocketperm 700}; shown in octal. */
  static final class Octal implements Codec {
    private final long min;
    private final long max;

    Octal(long min, long max) {
      this.min = min;
      this.max = max;
    }

    @Override
    public String parse(List<String> args, String current, boolean continuing) throws BadValue {
      String v = one(args);
      long n;
      try {
        if (v.isEmpty() || v.charAt(0) == '-' || v.charAt(0) == '+') throw new NumberFormatException();
        n = Long.parseLong(v, 8);
      } catch (NumberFormatException e) {
        throw new BadValue("argument couldn't be parsed into an integer");
      }
      if (n < min || n > max) {
        throw new BadValue("argument must be between " + Long.toOctalString(min) + " and "
            + Long.toOctalString(max) + " inclusive");
      }
      return Long.toOctalString(n);
    }

    @Override
    public List<String> rewrite(String value) {
      return List.of(value);
    }
  }

  /** A memory amount or a percentage of maxmemory, as {@code maxmemory-clients 10%}. */
  static final class MemoryOrPercent implements Codec {
    @Override
    public String parse(List<String> args, String current, boolean continuing) throws BadValue {
      String v = one(args);
      if (v.endsWith("%")) {
        Long pct = Directive.parseStrictLong(v.substring(0, v.length() - 1));
        if (pct == null) throw new BadValue("argument must be a memory or percent value");
        if (pct < 0) throw new BadValue("percentage argument must be less or equal to 100");
        return pct + "%";
      }
      long n = MemoryUnits.parse(v);
      if (n < 0) throw new BadValue("argument must be a memory or percent value");
      return Long.toString(n);
    }

    @Override
    public List<String> rewrite(String value) {
      return List.of(value.endsWith("%") ? value : MemoryUnits.format(Long.parseLong(value)));
    }
  }

  /** {@code shutdown-on-sigint default|save|nosave|now|force [...]}. */
  static final class ShutdownFlags implements Codec {
    private static final List<String> NAMES = List.of("default", "save", "nosave", "now", "force");

    @Override
    public String parse(List<String> args, String current, boolean continuing) throws BadValue {
      boolean[] on = new boolean[NAMES.size()];
      for (String a : args) {
        int i = NAMES.indexOf(a.toLowerCase(Locale.ROOT));
        if (i < 0) throw new BadValue("argument(s) must be one of the following: " + String.join(", ", NAMES));
        on[i] = true;
      }
      if (on[1] && on[2]) throw new BadValue("argument(s) must be one of the following: " + String.join(", ", NAMES));
      List<String> out = new ArrayList<>();
      for (int i = 1; i < on.length; i++) if (on[i]) out.add(NAMES.get(i));
      return out.isEmpty() ? "default" : String.join(" ", out);
    }

    @Override
    public List<String> rewrite(String value) {
      return List.of(value);
    }
  }

  /** Three OOM score adjustments, each between -2000 and 2000. */
  static final class OomScoreAdjValues implements Codec {
    @Override
    public String parse(List<String> args, String current, boolean continuing) throws BadValue {
      if (args.size() != 3) throw new BadValue("wrong number of arguments");
      StringBuilder sb = new StringBuilder();
      for (String a : args) {
        Long v = Directive.parseStrictLong(a);
        if (v == null || v < -2000 || v > 2000) {
          throw new BadValue("Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
        }
        if (sb.length() > 0) sb.append(' ');
        sb.append(v);
      }
      return sb.toString();
    }

    @Override
    public List<String> rewrite(String value) {
      return List.of(value);
    }
  }

  /** Percentiles between 0 and 100 reported by INFO latencystats; may be empty. */
  static final class Percentiles implements Codec {
    @Override
    public String parse(List<String> args, String current, boolean continuing) throws BadValue {
      if (args.size() == 1 && args.get(0).isEmpty()) return "";
      StringBuilder sb = new StringBuilder();
      for (String a : args) {
        double v;
        try {
          v = Double.parseDouble(a);
        } catch (NumberFormatException e) {
          throw new BadValue("Invalid latency-tracking-info-percentiles parameters");
        }
        if (!(v >= 0.0 && v <= 100.0)) throw new BadValue("Invalid latency-tracking-info-percentiles parameters");
        if (sb.length() > 0) sb.append(' ');
        sb.append(v == Math.rint(v) ? Long.toString((long) v) : new BigDecimal(Double.toString(v))
            .stripTrailingZeros().toPlainString());
      }
      return sb.toString();
    }

    @Override
    public List<String> rewrite(String value) {
      return List.of(value.isEmpty() ? "\"\"" : value);
    }
  }

  /**
   * The keyspace notification classes in Redis's order: the types ({@code A} standing for all of them), {@code n},
   * then {@code K}, {@code E}, {@code m}.
   */
  static final class KeyspaceEvents implements Codec {
    private static final String TYPES = "g$lshzxetd";

    @Override
    public String parse(List<String> args, String current, boolean continuing) throws BadValue {
      String v = one(args);
      StringBuilder seen = new StringBuilder();
      for (int i = 0; i < v.length(); i++) {
        char c = v.charAt(i);
        if (c == 'A') seen.append(TYPES);
        else if (TYPES.indexOf(c) >= 0 || "KEmn".indexOf(c) >= 0) seen.append(c);
        else throw new BadValue("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
      }
      String s = seen.toString();
      StringBuilder out = new StringBuilder();
      boolean all = true;
      for (char c : TYPES.toCharArray()) all &= s.indexOf(c) >= 0;
      if (all) {
        out.append('A');
      } else {
        for (char c : TYPES.toCharArray()) if (s.indexOf(c) >= 0) out.append(c);
      }
      if (s.indexOf('n') >= 0) out.append('n');
      for (char c : "KEm".toCharArray()) if (s.indexOf(c) >= 0) out.append(c);
      return out.toString();
    }

    /** Redis shows {@code A} alone for every type class, leaving out an {@code n} that is still in force. */
    @Override
    public String shown(String value) {
      return value.startsWith("An") ? "A" + value.substring(2) : value;
    }

    @Override
    public List<String> rewrite(String value) {
      return List.of(ConfigTokenizer.quote(value));
    }
  }

  /**
   * {@code client-output-buffer-limit <class> <hard> <soft> <soft-seconds> [...]} for the classes normal,
   * replica (or slave) and pubsub; classes not named keep their limits.
   */
  static final class OutputBufferLimits implements Codec {
    // as Redis, CONFIG GET and REWRITE name the replica class "slave"
    private static final List<String> CLASSES = List.of("normal", "slave", "pubsub");

    @Override
    public String parse(List<String> args, String current, boolean continuing) throws BadValue {
      if (args.size() % 4 != 0) throw new BadValue("Wrong number of arguments in buffer limit configuration.");
      String[] cur = current.split(" ");
      String[] next = cur.clone();
      for (int j = 0; j < args.size(); j += 4) {
        String cls = args.get(j).toLowerCase(Locale.ROOT);
        if (cls.equals("replica")) cls = "slave";
        int k = CLASSES.indexOf(cls);
        if (k < 0) throw new BadValue("Invalid client class specified in buffer limit configuration.");
        long hard = MemoryUnits.parse(args.get(j + 1));
        long soft = MemoryUnits.parse(args.get(j + 2));
        Long secs = Directive.parseStrictLong(args.get(j + 3));
        if (hard < 0 || soft < 0 || secs == null || secs < 0) {
          throw new BadValue("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
        }
        next[k * 4 + 1] = Long.toString(hard);
        next[k * 4 + 2] = Long.toString(soft);
        next[k * 4 + 3] = Long.toString(secs);
      }
      return String.join(" ", next);
    }

    @Override
    public List<String> rewrite(String value) {
      String[] w = value.split(" ");
      List<String> lines = new ArrayList<>();
      for (int i = 0; i + 3 < w.length; i += 4) {
        lines.add(w[i] + " " + MemoryUnits.format(Long.parseLong(w[i + 1])) + " "
            + MemoryUnits.format(Long.parseLong(w[i + 2])) + " " + w[i + 3]);
      }
      return lines;
    }
  }

  /** Splits a multi-argument value shown by CONFIG GET back into its words. */
  static List<String> split(String value) {
    return words(value);
  }
}
