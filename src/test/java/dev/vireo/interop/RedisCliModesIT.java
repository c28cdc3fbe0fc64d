package dev.vireo.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.Cli;
import dev.vireo.testkit.ExternalTool;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TempDirs;
import dev.vireo.testkit.TestNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The tool modes of the real {@code redis-cli} 7.0 against Vireo: {@code --bigkeys}, {@code --memkeys},
 * {@code --hotkeys}, {@code --scan [--pattern]}, {@code --stat}, {@code --latency}, {@code --latency-history},
 * {@code --lru-test}, {@code --rdb} and {@code --functions-rdb}, and {@code redis-benchmark}'s default tests. A
 * real {@code redis-server} holds the same dataset; where a mode's output is deterministic, Vireo's must be the
 * same with sizes and timings normalised. Modes that run forever are stopped after a bounded time, their output
 * line-buffered ({@code stdbuf -oL}) so that what they printed survives the stop.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisCliModesIT {
  private static final String LIBRARY = "#!lua name=modeslib\n"
      + "redis.register_function('modes_one', function(keys, args) return 1 end)";
  /** Keys of the dataset in db 0. */
  private static final int KEYS_DB0 = 31;
  /** Database of the {@code --hotkeys} keys. */
  private static final String HOT_DB = "3";
  /** Databases the load generators write to, away from the dataset. */
  private static final String LRU_DB = "9";
  private static final String BENCH_DB = "10";

  private TestNode vireo;
  private RedisServerProcess redis;

  @BeforeAll
  void startBoth() {
    ExternalTool.require("redis-cli");
    redis = RedisServerProcess.start();
    vireo = TestNode.start();
    try (RespClient r = redis.client()) {
      fill(r);
    }
    fill(vireo.client());
  }

  @AfterAll
  void stopBoth() {
    if (vireo != null) vireo.close();
    if (redis != null) redis.close();
  }

  /**
   * Strings of 1 to 20 bytes and a large one, small and large collections of every type, a stream, a HyperLogLog;
   * LFU with a log factor of 0, so that every access adds exactly one to a key's counter.
   */
  private static void fill(RespClient c) {
    c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
    c.call("CONFIG", "SET", "lfu-log-factor", "0");
    for (int i = 1; i <= 20; i++) c.call("SET", "str:" + i, "x".repeat(i));
    c.call("SET", "str:big", "y".repeat(3000));
    List<String> list = new ArrayList<>(List.of("RPUSH", "list:big"));
    List<String> set = new ArrayList<>(List.of("SADD", "set:big"));
    List<String> zset = new ArrayList<>(List.of("ZADD", "zset:big"));
    List<String> hash = new ArrayList<>(List.of("HSET", "hash:big"));
    for (int i = 0; i < 300; i++) {
      list.add("element-" + i);
      set.add("member-" + i);
      zset.add(Integer.toString(i));
      zset.add("member-" + i);
      hash.add("field-" + i);
      hash.add("value-" + i);
    }
    c.call(list.toArray(String[]::new));
    c.call(set.toArray(String[]::new));
    c.call(zset.toArray(String[]::new));
    c.call(hash.toArray(String[]::new));
    c.call("RPUSH", "list:small", "a", "b", "c");
    c.call("SADD", "set:small", "a", "b");
    c.call("ZADD", "zset:small", "1", "a");
    c.call("HSET", "hash:small", "f", "v");
    for (int i = 1; i <= 5; i++) c.call("XADD", "stream", i + "-1", "f", "v" + i);
    c.call("PFADD", "hll", "a", "b", "c");
    assertEquals(":" + KEYS_DB0 + "\r\n", c.call("DBSIZE"));
    c.call("FUNCTION", "LOAD", "REPLACE", LIBRARY);
    c.call("SELECT", HOT_DB);
    for (String key : List.of("hot:a", "hot:b", "hot:c")) c.call("SET", key, "v");
    for (int i = 0; i < 20; i++) c.call("GET", "hot:a");
    for (int i = 0; i < 10; i++) c.call("GET", "hot:b");
    c.call("SELECT", "0");
  }

  private static String cli(int port, String... args) {
    Cli.Result result = Cli.run(port, args);
    assertEquals(0, result.exitCode(), () -> "redis-cli " + String.join(" ", args) + " failed: " + result);
    assertFalse(result.stdout().contains("Error"), () -> "redis-cli " + String.join(" ", args) + ": " + result);
    return result.stdout();
  }

  /** Runs a mode that does not end by itself for {@code seconds}, then stops it; returns what it printed. */
  private static List<String> bounded(int port, String seconds, String... args) {
    List<String> command = new ArrayList<>(List.of(ExternalTool.require("stdbuf").toString(), "-oL",
        ExternalTool.require("timeout").toString(), seconds, ExternalTool.require("redis-cli").toString(),
        "-h", "127.0.0.1", "-p", Integer.toString(port)));
    command.addAll(List.of(args));
    Cli.Result result = Cli.exec(command, null, Duration.ofSeconds(20));
    assertEquals(124, result.exitCode(), () -> command + " did not run until stopped: " + result);
    assertEquals("", result.stderr(), () -> command + ": " + result);
    return Arrays.asList(result.stdout().split("\r?\n"));
  }

  /** From the summary line on (the progress lines above it follow the SCAN order). */
  private static String summary(String out) {
    int at = out.indexOf("-------- summary -------");
    assertTrue(at >= 0, out);
    return out.substring(at);
  }

  private static String numbersNormalised(String text) {
    return text.replaceAll("\\d+(\\.\\d+)?", "N");
  }

  @Test
  void bigkeysSummaryIsRedisOwn() {
    String expected = summary(cli(redis.port(), "--bigkeys"));
    String actual = summary(cli(vireo.port(), "--bigkeys"));
    assertEquals(expected, actual);
    assertTrue(actual.contains("Sampled " + KEYS_DB0 + " keys in the keyspace!"), actual);
    assertTrue(actual.contains("Biggest string found '\"str:big\"' has 3000 bytes"), actual);
    assertTrue(actual.contains("Biggest   zset found '\"zset:big\"' has 300 members"), actual);
    assertEquals(summary(cli(redis.port(), "--bigkeys", "--pattern", "str:1*")),
        summary(cli(vireo.port(), "--bigkeys", "--pattern", "str:1*")));
  }

  @Test
  void memkeysSummaryIsRedisOwnWithSizesNormalised() {
    for (String[] args : List.of(new String[] {"--memkeys"}, new String[] {"--memkeys-samples", "10"})) {
      String expected = summary(cli(redis.port(), args));
      String actual = summary(cli(vireo.port(), args));
      assertEquals(numbersNormalised(expected), numbersNormalised(actual), String.join(" ", args));
      for (String biggest : List.of("list:big", "set:big", "zset:big", "hash:big", "str:big", "stream")) {
        assertTrue(actual.contains("found '\"" + biggest + "\"' has "), actual);
      }
    }
  }

  @Test
  void hotkeysFollowTheLfuCounters() {
    String expected = summary(cli(redis.port(), "-n", HOT_DB, "--hotkeys"));
    String actual = summary(cli(vireo.port(), "-n", HOT_DB, "--hotkeys"));
    // counters are 5 at creation, plus one per access; a minute boundary may decay them all by one
    assertEquals(numbersNormalised(expected), numbersNormalised(actual));
    Matcher m = Pattern.compile("hot key found with counter: (\\d+)\tkeyname: \"(hot:.)\"").matcher(actual);
    List<String> order = new ArrayList<>();
    List<Integer> counters = new ArrayList<>();
    while (m.find()) {
      counters.add(Integer.parseInt(m.group(1)));
      order.add(m.group(2));
    }
    assertEquals(List.of("hot:a", "hot:b", "hot:c"), order, actual);
    assertTrue(counters.get(0) > counters.get(1) && counters.get(1) > counters.get(2), actual);
    assertTrue(counters.get(0) - counters.get(2) >= 19, actual);
  }

  @Test
  void hotkeysNeedAnLfuPolicy() {
    String policy = "allkeys-lru";
    try (RespClient r = redis.client(); RespClient v = vireo.client()) {
      r.call("CONFIG", "SET", "maxmemory-policy", policy);
      v.call("CONFIG", "SET", "maxmemory-policy", policy);
      try {
        Cli.Result expected = Cli.run(redis.port(), "-n", HOT_DB, "--hotkeys");
        Cli.Result actual = Cli.run(vireo.port(), "-n", HOT_DB, "--hotkeys");
        assertEquals(expected, actual);
        assertTrue(actual.stderr().contains("Error: ERR An LFU maxmemory policy is not selected"), actual.stderr());
      } finally {
        r.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
        v.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
      }
    }
  }

  @Test
  void scanListsEveryKeyOrThoseMatchingThePattern() {
    for (String[] args : List.of(new String[] {"--scan"}, new String[] {"--scan", "--pattern", "str:1*"},
        new String[] {"--scan", "--quoted-pattern", "\"*:big\""}, new String[] {"--scan", "-i", "0.01"})) {
      List<String> expected = sortedLines(cli(redis.port(), args));
      List<String> actual = sortedLines(cli(vireo.port(), args));
      assertEquals(expected, actual, String.join(" ", args));
      assertFalse(actual.isEmpty());
    }
    assertEquals(KEYS_DB0, sortedLines(cli(vireo.port(), "--scan")).size());
  }

  private static List<String> sortedLines(String out) {
    return out.lines().sorted().toList();
  }

  @Test
  void statPrintsRollingLines() {
    List<String> expected = bounded(redis.port(), "1.3", "--stat", "-i", "0.2");
    List<String> actual = bounded(vireo.port(), "1.3", "--stat", "-i", "0.2");
    assertEquals(expected.subList(0, 2), actual.subList(0, 2), "the header");
    List<String> rows = actual.subList(2, actual.size());
    assertTrue(rows.size() >= 2, actual.toString());
    Pattern row = Pattern.compile("(\\d+) +[\\d.]+[BKMG] +\\d+ +0 +\\d+ \\(\\+\\d+\\) +\\d+ *");
    for (String line : rows) {
      Matcher m = row.matcher(line);
      assertTrue(m.matches(), () -> "'" + line + "' in " + actual);
      assertTrue(Long.parseLong(m.group(1)) >= KEYS_DB0 + 3, line);
    }
  }

  @Test
  void latencyOnceInRawMode() {
    Pattern line = Pattern.compile("\\d+ \\d+ \\d+\\.\\d\\d \\d+");
    for (int port : new int[] {redis.port(), vireo.port()}) {
      String out = cli(port, "--latency", "--raw", "-i", "0.2").stripTrailing();
      assertTrue(line.matcher(out).matches(), out);
    }
  }

  @Test
  void latencyHistoryPrintsRanges() {
    List<String> out = bounded(vireo.port(), "0.9", "--latency-history", "-i", "0.3");
    Pattern sample = Pattern.compile("\\d+ \\d+ \\d+\\.\\d\\d \\d+");
    Pattern range = Pattern.compile(" -- \\d+\\.\\d\\d seconds range");
    assertTrue(out.stream().anyMatch(l -> range.matcher(l).matches()), out.toString());
    assertTrue(out.stream().allMatch(l -> sample.matcher(l).matches() || range.matcher(l).matches()),
        out.toString());
  }

  @Test
  void lruTestReportsHitsAndMisses() {
    List<String> out = bounded(vireo.port(), "1.8", "-n", LRU_DB, "--lru-test", "1000");
    Pattern line = Pattern.compile("\\d+ Gets/sec \\| Hits: \\d+ \\(\\d+\\.\\d\\d%\\) \\| Misses: \\d+ "
        + "\\(\\d+\\.\\d\\d%\\)");
    assertFalse(out.isEmpty());
    assertTrue(out.stream().allMatch(l -> line.matcher(l).matches()), out.toString());
    try (RespClient v = vireo.client()) {
      v.call("SELECT", LRU_DB);
      String size = v.call("DBSIZE");
      assertTrue(Long.parseLong(size.substring(1).strip()) > 0, size);
      v.call("FLUSHDB");
    }
  }

  @Test
  void rdbAndFunctionsRdbLoadIntoRedis() throws IOException {
    Path dir = Files.createTempDirectory("vireo-cli-rdb");
    try {
      String digest;
      try (RespClient v = vireo.client()) {
        digest = v.call("DEBUG", "DIGEST");
        v.call("CONFIG", "SET", "repl-diskless-sync-delay", "0"); // a replica alone: no wait for others
      }
      Path full = dir.resolve("full.rdb");
      Path functions = dir.resolve("functions.rdb");
      Cli.Result rdb = Cli.run(vireo.port(), "--rdb", full.toString());
      assertEquals(0, rdb.exitCode(), rdb::toString);
      assertTrue(rdb.stderr().contains("Transfer finished with success"), rdb::toString);
      Cli.Result fun = Cli.run(vireo.port(), "--functions-rdb", functions.toString());
      assertEquals(0, fun.exitCode(), fun::toString);
      assertTrue(fun.stderr().contains("sending REPLCONF rdb-filter-only functions"), fun::toString);
      assertTrue(Files.size(functions) < Files.size(full) / 4, "the functions' RDB holds no keys");

      try (RedisServerProcess loaded = loadedFrom(full); RespClient r = loaded.client()) {
        assertEquals(digest, r.call("DEBUG", "DIGEST"));
        assertTrue(r.call("FUNCTION", "LIST").contains("modeslib"));
      }
      try (RedisServerProcess loaded = loadedFrom(functions); RespClient r = loaded.client()) {
        assertEquals("$-1\r\n", r.call("RANDOMKEY"));
        assertTrue(r.call("INFO", "keyspace").endsWith("# Keyspace\r\n\r\n"), "no database holds a key");
        assertTrue(r.call("FUNCTION", "LIST").contains("modeslib"));
        assertEquals(":1\r\n", r.call("FCALL", "modes_one", "0"));
      }
    } finally {
      TempDirs.deleteQuietly(dir);
    }
  }

  private static RedisServerProcess loadedFrom(Path rdb) {
    return RedisServerProcess.start("--dir", rdb.getParent().toString(), "--dbfilename",
        rdb.getFileName().toString(),
        "--enable-debug-command", "yes");
  }

  @Test
  void benchmarkDefaultTestsAllReport() {
    Path benchmark = ExternalTool.require("redis-benchmark");
    Cli.Result result = Cli.exec(List.of(benchmark.toString(), "-h", "127.0.0.1", "-p",
        Integer.toString(vireo.port()), "--dbnum", BENCH_DB, "-q", "-n", "1000", "-c", "20"), null,
        Duration.ofSeconds(60));
    assertEquals(0, result.exitCode(), result::toString);
    assertEquals("", result.stderr(), result::toString);
    assertFalse(result.stdout().contains("rror"), result::toString);
    // the default test set as redis-benchmark 7.0.15 runs it against redis-server
    List<String> expected = List.of("PING_INLINE", "PING_MBULK", "SET", "GET", "INCR", "LPUSH", "RPUSH", "LPOP",
        "RPOP", "SADD", "HSET", "SPOP", "ZADD", "ZPOPMIN", "LPUSH (needed to benchmark LRANGE)",
        "LRANGE_100 (first 100 elements)", "LRANGE_300 (first 300 elements)", "LRANGE_500 (first 500 elements)",
        "LRANGE_600 (first 600 elements)", "MSET (10 keys)");
    Pattern done = Pattern.compile("^ *(.+): [\\d.]+ requests per second, p50=[\\d.]+ msec$");
    List<String> reported = new ArrayList<>();
    for (String part : result.stdout().split("[\r\n]+")) {
      Matcher m = done.matcher(part);
      if (m.matches()) reported.add(m.group(1));
    }
    assertEquals(expected, reported, result.stdout());
    try (RespClient v = vireo.client()) {
      v.call("SELECT", BENCH_DB);
      v.call("FLUSHDB");
    }
  }
}
