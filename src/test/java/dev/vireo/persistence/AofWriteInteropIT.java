package dev.vireo.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TempDirs;
import dev.vireo.testkit.VireoJar;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An AOF directory that Vireo wrote loads in a real redis-server 7.0 with the same dataset: a workload of every
 * type (TTLs, a key that expires, functions, MULTI/EXEC, a served BLPOP, several dbs, FLUSHDB) with a BGREWRITEAOF
 * in the middle, then SHUTDOWN NOSAVE; redis-server started on that directory with {@code appendonly yes} reports
 * the digest, db sizes, function list and stream state Vireo reported. The same workload on a real redis-server
 * gives the file names and manifest text Vireo's must have; Vireo restarted on its directory loads the same.
 */
@Timeout(300)
class AofWriteInteropIT {
  private static final String LIBRARY = "#!lua name=aoflib\n"
      + "redis.register_function('setit', function(keys, args) return redis.call('SET', keys[1], args[1]) end)";
  private static final int DBS = 4;

  private final List<Path> dirs = new ArrayList<>();

  @AfterEach
  void removeDirs() {
    dirs.forEach(TempDirs::deleteQuietly);
  }

  private Path tempDir() throws Exception {
    Path d = Files.createTempDirectory("vireo-aof");
    dirs.add(d);
    return d;
  }

  /** What a server reported before it stopped, to compare with what redis-server loaded. */
  private record Seen(String digest, List<String> sizes, String functions, String stream, List<String> afterRewrite,
      List<String> atEnd, String manifest) {
    /** With what the directory holds once the server stopped. */
    Seen stopped(Path dir) {
      Path aofDir = dir.resolve("appendonlydir");
      return new Seen(digest, sizes, functions, stream, afterRewrite, AofDirs.names(aofDir), AofDirs.manifest(aofDir));
    }
  }

  /**
   * Both preamble settings and both timestamp settings in CI; every combination under {@code
   * -Dvireo.matrix=full}.
   */
  static Stream<Arguments> settings() {
    Stream<Arguments> ci = Stream.of(Arguments.of("yes", "no"), Arguments.of("no", "yes"));
    if (!"full".equals(System.getProperty("vireo.matrix"))) return ci;
    return Stream.concat(ci, Stream.of(Arguments.of("no", "no"), Arguments.of("yes", "yes")));
  }

  @ParameterizedTest(name = "aof-use-rdb-preamble {0}, aof-timestamp-enabled {1}")
  @MethodSource("settings")
  void vireosAofLoadsInRedis(String preamble, String timestamps) throws Exception {
    String[] aof = {"--appendonly", "yes", "--aof-use-rdb-preamble", preamble, "--aof-timestamp-enabled", timestamps,
        "--enable-debug-command", "yes"};

    Path redisDir = tempDir();
    Seen redis;
    try (RedisServerProcess r = RedisServerProcess.start(concat(aof, "--dir", redisDir.toString()))) {
      redis = run(r::client, redisDir);
    }
    redis = redis.stopped(redisDir);
    Path vireoDir = tempDir();
    Seen vireo;
    try (VireoJar v = VireoJar.start(Map.of(), concat(aof, "--dir", vireoDir.toString()))) {
      vireo = run(v::client, vireoDir);
      assertEquals(0, v.shutdown(), v.output());
    }
    vireo = vireo.stopped(vireoDir);

    String suffix = preamble.equals("yes") ? "rdb" : "aof";
    List<String> expected = List.of("appendonly.aof.2.base." + suffix, "appendonly.aof.2.incr.aof",
        "appendonly.aof.manifest");
    assertEquals(expected, redis.afterRewrite(), "redis-server's own files (the reference)");
    assertEquals(redis.afterRewrite(), vireo.afterRewrite(), "files once the rewrite is done");
    assertEquals(redis.atEnd(), vireo.atEnd(), "files after SHUTDOWN NOSAVE");
    assertEquals(redis.manifest(), vireo.manifest(), "manifest text");
    assertEquals(redis.stream(), vireo.stream(), "XINFO STREAM FULL before stopping, times aside");
    // What Redis itself makes of its own AOF's stream (XREADGROUP is recorded as XCLAIM, which leaves a group's
    // entries-read unknown): the same must come out of Vireo's
    String redisReloaded;
    try (RedisServerProcess again = RedisServerProcess.start(concat(aof, "--dir", redisDir.toString()));
        RespClient c = again.client()) {
      redisReloaded = AofDirs.withoutTimes(c.call("XINFO", "STREAM", "st", "FULL"));
    }

    try (RedisServerProcess loaded = RedisServerProcess.start(concat(aof, "--dir", vireoDir.toString()));
        RespClient c = loaded.client()) {
      String log = loaded.log();
      assertTrue(log.contains("DB loaded from append only file"), log);
      AofDirs.assertSameDataset(vireo.digest(), vireo.sizes(), c, log);
      assertEquals(vireo.functions(), c.call("FUNCTION", "LIST"));
      assertEquals(redisReloaded, AofDirs.withoutTimes(c.call("XINFO", "STREAM", "st", "FULL")),
          "XINFO STREAM FULL after loading, times aside, as Redis after loading its own AOF");
    }
    // and Vireo loads what it wrote (after redis-server, which left the files as they were)
    try (VireoJar again = VireoJar.start(Map.of(), concat(aof, "--dir", vireoDir.toString()));
        RespClient c = again.client()) {
      AofDirs.assertSameDataset(vireo.digest(), vireo.sizes(), c, again.output());
      assertEquals(vireo.functions(), c.call("FUNCTION", "LIST"));
      assertEquals(0, again.shutdown(), again.output());
    }
    // details of the files that loading does not depend on, last
    if (timestamps.equals("yes")) {
      Path files = vireoDir.resolve("appendonlydir");
      // (a key's expiry may be recorded in the second of the writes before the rewrite, without one)
      assertTrue(AofDirs.read(redisDir.resolve("appendonlydir/appendonly.aof.2.incr.aof")).contains("#TS:"));
      assertTrue(AofDirs.read(files.resolve("appendonly.aof.2.incr.aof")).contains("#TS:"),
          "the incr file holds timestamp annotations, as Redis's does");
      if (preamble.equals("no")) {
        // Redis starts a base without the preamble with the time the rewrite began
        assertTrue(AofDirs.read(redisDir.resolve("appendonlydir/appendonly.aof.2.base.aof")).startsWith("#TS:"));
        assertTrue(AofDirs.read(files.resolve("appendonly.aof.2.base.aof")).startsWith("#TS:"),
            "the base starts with a timestamp annotation, as Redis's does");
      }
    }
    if (preamble.equals("yes")) {
      // the RDB preamble says it is an AOF base: aux field aof-base, as redis-server's own preamble has it
      assertEquals(auxAofBase(redisDir.resolve("appendonlydir/appendonly.aof.2.base.rdb")),
          auxAofBase(vireoDir.resolve("appendonlydir/appendonly.aof.2.base.rdb")), "aux field aof-base");
    }
  }

  /** The encoded value of the RDB aux field {@code aof-base} (two bytes: an 8-bit integer), as hex. */
  private static String auxAofBase(Path rdb) throws Exception {
    byte[] b = Files.readAllBytes(rdb);
    byte[] name = "\u0008aof-base".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i + name.length + 2 <= b.length; i++) {
      if (Arrays.equals(b, i, i + name.length, name, 0, name.length)) {
        return HexFormat.of().formatHex(b, i + name.length, i + name.length + 2);
      }
    }
    return "none";
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private interface Clients {
    RespClient get();
  }

  private static Seen run(Clients clients, Path dir) {
    Path aofDir = dir.resolve("appendonlydir");
    try (RespClient c = clients.get(); RespClient blocked = clients.get()) {
      AofDirs.awaitRewrites(c, 0);
      Poll.until(AofDirs.WAIT, "aof_enabled:1", () -> AofDirs.persistence(c, "aof_enabled").equals("1"));
      before(c);
      long rewrites = AofDirs.rewrites(c);
      assertEquals("+Background append only file rewriting started\r\n", c.call("BGREWRITEAOF"));
      AofDirs.awaitRewrites(c, rewrites + 1);
      List<String> afterRewrite = AofDirs.names(aofDir);
      // the writes after the rewrite start in a later second than those before it: a timestamp annotation is due
      Poll.sleep(1100);
      after(c, blocked);
      String digest = c.call("DEBUG", "DIGEST");
      List<String> sizes = AofDirs.dbSizes(c, DBS);
      String functions = c.call("FUNCTION", "LIST");
      String stream = AofDirs.withoutTimes(c.call("XINFO", "STREAM", "st", "FULL"));
      return new Seen(digest, sizes, functions, stream, afterRewrite, null, null);
    }
  }

  /** The writes before the rewrite. */
  private static void before(RespClient c) {
    c.call("SELECT", "0");
    ok(c.call("SET", "str", "hello"));
    ok(c.call("SET", "ttl", "v", "EX", "1000"));
    ok(c.call("SETEX", "ttl2", "1000", "v"));
    ok(c.call("SET", "soon", "v", "PX", "300"));
    c.call("INCRBY", "counter", "5");
    c.call("INCRBYFLOAT", "fl", "1.5");
    c.call("APPEND", "str", " world");
    c.call("RPUSH", "list", "a", "b", "c", "d");
    c.call("LPOP", "list");
    c.call("LPUSH", "list", "z");
    c.call("SADD", "set", "a", "b", "c", "x1", "x2");
    c.call("SREM", "set", "b");
    c.call("SADD", "intset", "1", "2", "3");
    c.call("ZADD", "z", "-inf", "minf", "+inf", "pinf", "1.5", "one", "2", "two");
    c.call("ZINCRBY", "z", "1", "one");
    c.call("HSET", "h", "f1", "v1", "f2", "v2");
    c.call("HDEL", "h", "f2");
    c.call("XADD", "st", "1-1", "f", "v");
    c.call("XADD", "st", "2-1", "f2", "v2");
    c.call("XADD", "st", "3-1", "a", "b");
    ok(c.call("XGROUP", "CREATE", "st", "g", "0"));
    c.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "st", ">");
    c.call("XACK", "st", "g", "1-1");
    c.call("XGROUP", "CREATECONSUMER", "st", "g", "bob");
    ok(c.call("XGROUP", "CREATE", "st", "g2", "$"));
    assertEquals("$6\r\naoflib\r\n", c.call("FUNCTION", "LOAD", LIBRARY));
    ok(c.call("FCALL", "setit", "1", "fkey", "fval"));
    ok(c.call("MULTI"));
    c.call("SET", "m1", "1");
    c.call("INCR", "m1");
    c.call("RPUSH", "ml", "x");
    assertTrue(c.call("EXEC").startsWith("*3\r\n"));
    c.call("EXPIRE", "str", "1000");
    c.call("PEXPIRE", "list", "500000");
    ok(c.call("SET", "gone", "1"));
    assertEquals(":1\r\n", c.call("DEL", "gone"));
    c.call("SELECT", "1");
    ok(c.call("SET", "a", "1"));
    c.call("RPUSH", "l", "x", "y");
    c.call("ZADD", "z", "1", "m");
    c.call("SELECT", "2");
    ok(c.call("SET", "a", "1"));
    c.call("SADD", "s", "x");
    ok(c.call("FLUSHDB"));
    ok(c.call("SET", "after", "1"));
    c.call("SELECT", "3");
    c.call("HSET", "h", "a", "b");
  }

  /** The writes after the rewrite, into the new incremental file. */
  private static void after(RespClient c, RespClient blocked) {
    c.call("SELECT", "0");
    ok(c.call("SET", "post", "1", "EX", "2000"));
    c.call("RPUSH", "list", "after");
    c.call("XADD", "st", "4-1", "post", "1");
    c.call("XREADGROUP", "GROUP", "g2", "carol", "STREAMS", "st", ">");
    assertTrue(c.call("XAUTOCLAIM", "st", "g", "bob", "0", "0-0", "COUNT", "1").startsWith("*3\r\n"));
    c.call("ZADD", "z", "3", "three");
    c.call("HSET", "h", "f3", "v3");
    c.call("SADD", "set", "post");
    c.call("EVAL", "redis.call('set', KEYS[1], 'e') redis.call('incr', 'evcount')", "1", "evk");
    ok(c.call("MULTI"));
    c.call("SELECT", "3");
    c.call("SET", "inmulti", "1");
    c.call("SELECT", "0");
    c.call("PEXPIRE", "set", "800000");
    assertTrue(c.call("EXEC").startsWith("*4\r\n"));
    c.call("SELECT", "1");
    c.call("DEL", "a");
    ok(c.call("SET", "b", "2"));
    c.call("SELECT", "3");
    c.call("PEXPIRE", "h", "900000");
    c.call("SELECT", "0");
    blocked.sendRaw(RespClient.encodeCommand("BLPOP", "bl", "0"));
    Poll.until(AofDirs.WAIT, "the BLPOP to block",
        () -> c.call("INFO", "clients").contains("blocked_clients:1"));
    c.call("RPUSH", "bl", "x", "y");
    assertEquals("*2\r\n$2\r\nbl\r\n$1\r\nx\r\n", blocked.readReply());
    // the key set with PX 300 before the rewrite is gone by now: its expiry is recorded as a DEL
    Poll.sleep(350);
    assertEquals("$-1\r\n", c.call("GET", "soon"));
    assertEquals(":0\r\n", c.call("EXISTS", "soon"));
  }

  private static void ok(String reply) {
    assertEquals("+OK\r\n", reply);
  }
}
