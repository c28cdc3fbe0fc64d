package dev.vireo.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoadTest {
  @TempDir Path tmp;

  private Path write(String name, String text) throws IOException {
    Path p = tmp.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  private ServerConfig loadText(String text, String... flags) throws Exception {
    Path p = write("vireo.conf", text);
    String[] args = new String[flags.length + 1];
    args[0] = p.toString();
    System.arraycopy(flags, 0, args, 1, flags.length);
    return ServerConfig.load(args);
  }

  private String errorOf(String text) throws IOException {
    Path p = write("bad.conf", text);
    return assertThrows(ConfigException.class, () -> ServerConfig.load(new String[] {p.toString()})).getMessage();
  }

  private String fileError(int line, String shown, String err) {
    return "\n*** FATAL CONFIG FILE ERROR (Vireo " + ServerConfig.version() + ") ***\n"
        + "Reading the configuration file " + tmp.resolve("bad.conf") + ", at line " + line + "\n"
        + ">>> '" + shown + "'\n" + err;
  }

  @Test
  void defaultsAreRedisDefaults() {
    ServerConfig c = ServerConfig.defaults();
    assertEquals(6379, c.getInt("port"));
    assertEquals("127.0.0.1", c.get("bind"));
    assertEquals(16, c.getInt("databases"));
    assertEquals("3600 1 300 100 60 10000", c.get("save"));
    assertEquals("dump.rdb", c.get("dbfilename"));
    assertEquals("", c.get("requirepass"));
    assertEquals("", c.get("replicaof"));
    assertEquals(1048576L, c.getLong("repl-backlog-size"));
    assertEquals("1048576", c.get("repl-backlog-size"));
    assertEquals(536870912L, c.getLong("proto-max-bulk-len"));
    assertEquals(1073741824L, c.getLong("client-query-buffer-limit"));
    assertEquals(3600, c.getInt("repl-backlog-ttl"));
    assertEquals(60, c.getInt("repl-timeout"));
    assertEquals(10, c.getInt("repl-ping-replica-period"));
    assertTrue(c.getBool("repl-diskless-sync"));
    assertEquals(5, c.getInt("repl-diskless-sync-delay"));
    assertEquals("disabled", c.get("repl-diskless-load"));
    assertEquals("normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
        c.get("client-output-buffer-limit"));
    assertEquals(10000, c.getInt("maxclients"));
    assertEquals("noeviction", c.get("maxmemory-policy"));
    assertEquals(10, c.getInt("hz"));
    assertEquals(-2, c.getInt("list-max-listpack-size"));
    assertEquals(512, c.getInt("hash-max-listpack-entries")); // what redis-server 7.0.15 runs with
    assertEquals(64, c.getInt("zset-max-listpack-value"));
    assertEquals(512, c.getInt("set-max-intset-entries"));
    assertEquals(1, c.getInt("active-expire-effort"));
    assertTrue(c.getBool("protected-mode"));
    assertFalse(c.getBool("appendonly"));
    assertEquals("notice", c.get("loglevel"));
    assertEquals(16379, c.getInt("http-port"));
    assertEquals("127.0.0.1", c.get("http-bind"));
    assertEquals(Path.of("").toAbsolutePath().toString(), c.get("dir"));
    assertNull(c.configFile());
    assertFalse(c.isExplicit("port"));
    assertNull(c.get("no-such-directive"));
  }

  @Test
  void versionFallsBackOutsideAJar() {
    assertEquals("0.1.0", ServerConfig.version());
  }

  @Test
  void fileWithCommentsQuotesAndCase() throws Exception {
    ServerConfig c = loadText("""
        # a comment
           # indented comment

        PORT 7000
        Bind 127.0.0.1 ::1
        logfile ""
        requirepass "s3cr et"
        maxmemory 100mb
        maxmemory-policy ALLKEYS-LRU
        appendonly YES
        dbfilename 'my dump.rdb'\r
        """);
    assertEquals(7000, c.getInt("port"));
    assertEquals("127.0.0.1 ::1", c.get("bind"));
    assertEquals("", c.get("logfile"));
    assertEquals("s3cr et", c.get("requirepass"));
    assertEquals(104857600L, c.getLong("maxmemory"));
    assertEquals("allkeys-lru", c.get("maxmemory-policy"));
    assertEquals("yes", c.get("appendonly"));
    assertEquals("my dump.rdb", c.get("dbfilename"));
    assertTrue(c.isExplicit("port"));
    assertTrue(c.isExplicit("PORT"));
    assertFalse(c.isExplicit("timeout"));
    assertEquals(tmp.resolve("vireo.conf").toAbsolutePath(), c.configFile());
    assertEquals(17000, c.getInt("http-port"), "http-port follows port unless set");
  }

  @Test
  void memoryUnits() throws Exception {
    ServerConfig c = loadText("maxmemory 1k\nrepl-backlog-size 1KB\nproto-max-bulk-len 2gb\nhash-max-listpack-value 1m\n");
    assertEquals("1000", c.get("maxmemory"));
    assertEquals("1024", c.get("repl-backlog-size"));
    assertEquals(2L << 30, c.getLong("proto-max-bulk-len"));
    assertEquals("1000000", c.get("hash-max-listpack-value"));
  }

  @Test
  void aliases() throws Exception {
    ServerConfig c = loadText("""
        slave-read-only no
        slaveof 10.0.0.1 6380
        hash-max-ziplist-entries 7
        list-max-ziplist-size 5
        zset-max-ziplist-value 9
        slave-priority 3
        lua-time-limit 99
        list-max-ziplist-entries 512
        """);
    assertFalse(c.getBool("replica-read-only"));
    assertFalse(c.getBool("slave-read-only"));
    assertEquals("10.0.0.1 6380", c.get("replicaof"));
    assertEquals("10.0.0.1 6380", c.get("slaveof"));
    assertEquals(7, c.getInt("hash-max-listpack-entries"));
    assertEquals(5, c.getInt("list-max-listpack-size"));
    assertEquals(9, c.getInt("zset-max-listpack-value"));
    assertEquals(3, c.getInt("replica-priority"));
    assertEquals(99, c.getInt("busy-reply-threshold"));
  }

  @Test
  void saveLinesAccumulateAndEmptyResets() throws Exception {
    assertEquals("900 1 300 10", loadText("save 900 1\nsave 300 10\n").get("save"));
    assertEquals("", loadText("save \"\"\n").get("save"));
    assertEquals("60 5", loadText("save \"\"\nsave 60 5\n").get("save"));
    assertEquals("", loadText("save 900 1\nsave \"\"\n").get("save"));
    assertEquals("3600 1 300 100 60 10000", loadText("port 1\n").get("save"));
  }

  @Test
  void replicaofForms() throws Exception {
    assertEquals("example.org 6379", loadText("replicaof example.org 6379\n").get("replicaof"));
    assertEquals("", loadText("replicaof example.org 6379\nreplicaof no one\n").get("replicaof"));
  }

  @Test
  void clientOutputBufferLimitPerClass() throws Exception {
    ServerConfig c = loadText("client-output-buffer-limit replica 512mb 128mb 120\nclient-output-buffer-limit slave 1kb 1k 0\n"
        + "client-output-buffer-limit pubsub 1 2 3 normal 4 5 6\n");
    assertEquals("normal 4 5 6 slave 1024 1000 0 pubsub 1 2 3", c.get("client-output-buffer-limit"));
  }

  @Test
  void stockRedisConfLoads() throws Exception {
    ServerConfig c = loadText("""
        bind 127.0.0.1 -::1
        protected-mode yes
        port 6379
        tcp-backlog 511
        timeout 0
        tcp-keepalive 300
        daemonize no
        pidfile /var/run/redis_6379.pid
        loglevel notice
        logfile ""
        databases 16
        always-show-logo no
        set-proc-title yes
        proc-title-template "{title} {listen-addr} {server-mode}"
        stop-writes-on-bgsave-error yes
        rdbcompression yes
        rdbchecksum yes
        dbfilename dump.rdb
        rdb-del-sync-files no
        dir ./
        replica-serve-stale-data yes
        replica-read-only yes
        repl-diskless-sync yes
        repl-diskless-sync-delay 5
        repl-diskless-sync-max-replicas 0
        repl-diskless-load disabled
        repl-disable-tcp-nodelay no
        replica-priority 100
        acllog-max-len 128
        lazyfree-lazy-eviction no
        lazyfree-lazy-expire no
        lazyfree-lazy-server-del no
        replica-lazy-flush no
        lazyfree-lazy-user-del no
        lazyfree-lazy-user-flush no
        oom-score-adj no
        oom-score-adj-values 0 200 800
        disable-thp yes
        appendonly no
        appendfilename "appendonly.aof"
        appenddirname "appendonlydir"
        appendfsync everysec
        no-appendfsync-on-rewrite no
        auto-aof-rewrite-percentage 100
        auto-aof-rewrite-min-size 64mb
        aof-load-truncated yes
        aof-use-rdb-preamble yes
        aof-timestamp-enabled no
        slowlog-log-slower-than 10000
        slowlog-max-len 128
        latency-monitor-threshold 0
        notify-keyspace-events ""
        hash-max-listpack-entries 128
        hash-max-listpack-value 64
        list-max-listpack-size -2
        list-compress-depth 0
        set-max-intset-entries 512
        zset-max-listpack-entries 128
        zset-max-listpack-value 64
        hll-sparse-max-bytes 3000
        stream-node-max-bytes 4096
        stream-node-max-entries 100
        activerehashing yes
        client-output-buffer-limit normal 0 0 0
        client-output-buffer-limit replica 256mb 64mb 60
        client-output-buffer-limit pubsub 32mb 8mb 60
        hz 10
        dynamic-hz yes
        aof-rewrite-incremental-fsync yes
        rdb-save-incremental-fsync yes
        jemalloc-bg-thread yes
        rename-command CONFIG ""
        user default on nopass ~* &* +@all
        """);
    assertEquals("127.0.0.1 -::1", c.get("bind"));
    assertEquals("/var/run/redis_6379.pid", c.get("pidfile"));
    assertEquals(ServerConfig.defaults().get("client-output-buffer-limit"), c.get("client-output-buffer-limit"));
    assertEquals(Path.of("").toAbsolutePath().toString(), c.get("dir"));
    assertEquals("", c.renamedCommands().get("config"));
    assertEquals(1, c.userLines().size());
    assertEquals("default", c.userLines().get(0).get(0));
  }

  @Test
  void keyspaceEventsCanonical() throws Exception {
    assertEquals("AKE", loadText("notify-keyspace-events KEA\n").get("notify-keyspace-events"));
    assertEquals("g$xE", loadText("notify-keyspace-events Ex$g\n").get("notify-keyspace-events"));
  }

  // ---- error messages ----

  @Test
  void exactFatalErrorFormat() throws Exception {
    assertEquals(fileError(2, "port abc", "argument couldn't be parsed into an integer"), errorOf("# c\nport abc\n"));
    assertTrue(errorOf("port x").startsWith("\n*** FATAL CONFIG FILE ERROR (Vireo 0.1.0) ***\nReading the configuration file "));
  }

  @Test
  void errorTexts() throws Exception {
    assertEquals(fileError(1, "port 70000", "argument must be between 0 and 65535 inclusive"), errorOf("port 70000"));
    assertEquals(fileError(1, "hz 0", "argument must be between 1 and 500 inclusive"), errorOf("hz 0"));
    assertEquals(fileError(1, "databases 0", "argument must be between 1 and 2147483647 inclusive"), errorOf("databases 0"));
    assertEquals(fileError(1, "no-such-thing 1", "Bad directive or wrong number of arguments"), errorOf("no-such-thing 1"));
    assertEquals(fileError(1, "appendonly maybe", "argument must be 'yes' or 'no'"), errorOf("appendonly maybe"));
    assertEquals(fileError(1, "loglevel loud",
        "argument(s) must be one of the following: debug, verbose, notice, warning"), errorOf("loglevel loud"));
    assertEquals(fileError(1, "maxmemory 10zb", "argument must be a memory value"), errorOf("maxmemory 10zb"));
    assertEquals(fileError(1, "maxmemory -1", "argument must be a memory value"), errorOf("maxmemory -1"));
    assertEquals(fileError(1, "port 1 2", "wrong number of arguments"), errorOf("port 1 2"));
    assertEquals(fileError(1, "port", "wrong number of arguments"), errorOf("port"));
    assertEquals(fileError(1, "dbfilename \"x", "Unbalanced quotes in configuration line"), errorOf("dbfilename \"x"));
    assertEquals(fileError(3, "save 900", "Invalid save parameters"), errorOf("\n\nsave 900"));
    assertEquals(fileError(1, "save 0 1", "Invalid save parameters"), errorOf("save 0 1"));
    assertEquals(fileError(1, "replicaof h x", "Invalid master port"), errorOf("replicaof h x"));
    assertEquals(fileError(1, "port 007", "argument couldn't be parsed into an integer"), errorOf("port 007"));
    assertEquals(fileError(1, "include", "Bad directive or wrong number of arguments"), errorOf("include"));
    assertEquals(fileError(1, "client-output-buffer-limit master 1 1 1",
        "Invalid client class specified in buffer limit configuration."), errorOf("client-output-buffer-limit master 1 1 1"));
    assertEquals(fileError(1, "dir " + tmp.resolve("nope"), "No such file or directory"), errorOf("dir " + tmp.resolve("nope")));
  }

  @Test
  void secretsNeverShownInErrors() throws Exception {
    String e = errorOf("requirepass a b");
    assertEquals(fileError(1, "requirepass (redacted)", "wrong number of arguments"), e);
    assertFalse(errorOf("masterauth \"hunter2").contains("hunter2"));
  }

  @Test
  void quotedSecretNameIsRedactedToo() throws Exception {
    assertEquals(fileError(1, "masterauth (redacted)", "wrong number of arguments"), errorOf("\"masterauth\" a b"));
  }

  @Test
  void selfIncludeFails() throws Exception {
    Path self = tmp.resolve("self.conf");
    Files.writeString(self, "hz 11\ninclude " + self + "\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.load(new String[] {self.toString()}));
    assertTrue(e.getMessage().contains(">>> 'include " + self + "'\nToo many nested includes"), e.getMessage());
  }

  @Test
  void missingConfigFile() {
    Path missing = tmp.resolve("missing.conf");
    ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.load(new String[] {missing.toString()}));
    assertEquals("Fatal error, can't open config file '" + missing.toAbsolutePath() + "': No such file or directory",
        e.getMessage());
  }

  // ---- include ----

  @Test
  void nestedIncludes() throws Exception {
    Path inner = write("inner.conf", "maxclients 77\n");
    Path mid = write("mid.conf", "include " + inner + "\ntimeout 5\n");
    ServerConfig c = loadText("port 1234\ninclude " + mid + "\nmaxclients 88\n");
    assertEquals(1234, c.getInt("port"));
    assertEquals(5, c.getInt("timeout"));
    assertEquals(88, c.getInt("maxclients"), "lines after an include override it");
    assertEquals(77, loadText("maxclients 5\ninclude " + inner + "\n").getInt("maxclients"));
  }

  @Test
  void includeWildcard() throws Exception {
    Files.createDirectory(tmp.resolve("conf.d"));
    write("conf.d/10-a.conf", "timeout 1\n");
    write("conf.d/20-b.conf", "timeout 2\nhz 20\n");
    write("conf.d/ignored.txt", "timeout 3\n");
    ServerConfig c = loadText("include " + tmp.resolve("conf.d/*.conf") + "\n");
    assertEquals(2, c.getInt("timeout"));
    assertEquals(20, c.getInt("hz"));
  }

  @Test
  void missingIncludedFile() throws Exception {
    Path missing = tmp.resolve("nowhere.conf");
    ConfigException e = assertThrows(ConfigException.class, () -> loadText("include " + missing + "\n"));
    assertEquals("Fatal error, can't open config file '" + missing + "': No such file or directory", e.getMessage());
  }

  @Test
  void errorInIncludedFileNamesThatFile() throws Exception {
    Path inner = write("inner.conf", "\nhz lots\n");
    ConfigException e = assertThrows(ConfigException.class, () -> loadText("include " + inner + "\n"));
    assertTrue(e.getMessage().contains("Reading the configuration file " + inner + ", at line 2\n>>> 'hz lots'\n"),
        e.getMessage());
  }

  @Test
  void includeCycleFailsInsteadOfHanging() throws Exception {
    Path a = tmp.resolve("a.conf");
    Path b = write("b.conf", "include " + a + "\n");
    Files.writeString(a, "include " + b + "\n");
    ConfigException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> assertThrows(ConfigException.class, () -> ServerConfig.load(new String[] {a.toString()})));
    assertTrue(e.getMessage().contains("Too many nested includes"), e.getMessage());
    assertTrue(e.getMessage().contains("FATAL CONFIG FILE ERROR"), e.getMessage());
  }

  // ---- command line ----

  @Test
  void flagsOverrideFile() throws Exception {
    ServerConfig c = loadText("port 7000\nhz 20\n", "--port", "6380", "--maxmemory", "2mb");
    assertEquals(6380, c.getInt("port"));
    assertEquals(20, c.getInt("hz"));
    assertEquals(2097152L, c.getLong("maxmemory"));
  }

  @Test
  void flagsWithoutFile() throws Exception {
    ServerConfig c = ServerConfig.load(new String[] {"--port", "0", "--bind", "127.0.0.1", "::1", "--loglevel", "debug"});
    assertNull(c.configFile());
    assertEquals(0, c.getInt("port"));
    assertEquals("127.0.0.1 ::1", c.get("bind"));
    assertEquals("debug", c.get("loglevel"));
    assertEquals(0, c.getInt("http-port"), "no derived HTTP port for an ephemeral RESP port");
  }

  @Test
  void replicaofFlagBothForms() throws Exception {
    assertEquals("127.0.0.1 6379",
        ServerConfig.load(new String[] {"--replicaof", "127.0.0.1 6379"}).get("replicaof"));
    assertEquals("127.0.0.1 6379",
        ServerConfig.load(new String[] {"--replicaof", "127.0.0.1", "6379"}).get("replicaof"));
    assertEquals("127.0.0.1 6379", ServerConfig.load(new String[] {"--slaveof 127.0.0.1 6379"}).get("replicaof"));
  }

  @Test
  void saveFlagForms() throws Exception {
    assertEquals("", ServerConfig.load(new String[] {"--save", ""}).get("save"));
    assertEquals("", ServerConfig.load(new String[] {"--save"}).get("save"));
    ServerConfig c = ServerConfig.load(new String[] {"--save", "--port", "7001"});
    assertEquals("", c.get("save"));
    assertEquals(7001, c.getInt("port"));
    assertEquals("10 1", ServerConfig.load(new String[] {"--save", "10", "1"}).get("save"));
    assertEquals("10 1 20 2", ServerConfig.load(new String[] {"--save", "10 1", "--save", "20 2"}).get("save"));
  }

  @Test
  void flagValuesAreQuoted() throws Exception {
    ServerConfig c = ServerConfig.load(new String[] {"--requirepass", "pa ss\"word'", "--dbfilename", "--odd.rdb"});
    assertEquals("pa ss\"word'", c.get("requirepass"));
    assertEquals("--odd.rdb", c.get("dbfilename"), "a value may start with -- right after a bare --name");
  }

  @Test
  void commandLineErrors() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ServerConfig.load(new String[] {"--port", "6380", "--hz", "fast"}));
    assertEquals("\n*** FATAL CONFIG FILE ERROR (Vireo " + ServerConfig.version() + ") ***\n"
        + "Reading the configuration from the command line, at line 2\n"
        + ">>> 'hz \"fast\"'\n"
        + "argument couldn't be parsed into an integer", e.getMessage());
    ConfigException unknown = assertThrows(ConfigException.class, () -> ServerConfig.load(new String[] {"--nope", "1"}));
    assertTrue(unknown.getMessage().endsWith("\nBad directive or wrong number of arguments"));
  }

  @Test
  void stdinConfiguration() throws Exception {
    ServerConfig c = ServerConfig.load(new String[] {"--hz", "30", "-"},
        new ByteArrayInputStream("hz 40\ntimeout 9\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals(30, c.getInt("hz"), "flags come after standard input");
    assertEquals(9, c.getInt("timeout"));
  }

  @Test
  void explicitHttpPort() throws Exception {
    ServerConfig c = ServerConfig.load(new String[] {"--port", "6400", "--http-port", "0"});
    assertEquals(0, c.getInt("http-port"));
    assertTrue(c.isExplicit("http-port"));
    assertEquals(8080, ServerConfig.load(new String[] {"--http-port", "8080"}).getInt("http-port"));
    assertEquals(0, ServerConfig.load(new String[] {"--port", "60000"}).getInt("http-port"));
  }
}
