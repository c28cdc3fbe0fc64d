package dev.vireo.persistence.aof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.Signals;
import dev.vireo.testkit.TempDirs;
import dev.vireo.testkit.TestNode;
import dev.vireo.testkit.VireoJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An AOF directory written by a real redis-server 7.0 (base from a BGREWRITEAOF, then an incr file; with and
 * without the RDB preamble, with and without timestamp annotations) loads in Vireo to the same dataset: equal
 * DEBUG DIGEST, equal keys and per-key digests in every database. The AOF wins over the RDB file next to it.
 */
class AofLoadInteropIT {
  private static final Duration LOAD = Duration.ofSeconds(60);

  /** Both settings of each option and both ways of stopping in CI; all four cases under -Dvireo.matrix=full. */
  static Stream<Arguments> cases() {
    Stream<Arguments> ci = Stream.of(Arguments.of("yes", "no", "SIGKILL"), Arguments.of("no", "yes", "SHUTDOWN"));
    if (!"full".equals(System.getProperty("vireo.matrix"))) return ci;
    return Stream.concat(ci, Stream.of(Arguments.of("no", "no", "SHUTDOWN"), Arguments.of("yes", "yes", "SIGKILL")));
  }

  @ParameterizedTest(name = "preamble {0}, timestamps {1}, stop by {2}")
  @MethodSource("cases")
  void aRedisAofLoadsToTheSameDataset(String preamble, String timestamps, String stop) {
    Path vireoDir = AofFixtures.tempDir("vireo-aof");
    String digest;
    Map<Integer, Map<String, String>> keys;
    List<String> sizes;
    try (RedisServerProcess redis = RedisServerProcess.start("--appendonly", "yes", "--aof-use-rdb-preamble",
        preamble, "--aof-timestamp-enabled", timestamps, "--appendfsync", "always", "--enable-debug-command", "yes")) {
      try (RespClient r = redis.client()) {
        AofFixtures.workload(r, 7, 1500);
        r.call("SAVE"); // a dump.rdb with the dataset as of now: the AOF, which goes on, must win over it
        assertEquals("+Background append only file rewriting started\r\n", r.call("BGREWRITEAOF"));
        AofFixtures.awaitRewrite(r);
        if (timestamps.equals("yes")) {
          // Redis annotates a second once: the incr file gets its #TS only if its writes start a new second
          long next = (System.currentTimeMillis() / 1000 + 1) * 1000 + 150;
          Poll.until(Duration.ofSeconds(3), "the next second", () -> System.currentTimeMillis() > next);
        }
        AofFixtures.workload(r, 8, 1500);
        digest = r.call("DEBUG", "DIGEST");
        keys = AofFixtures.keyDigests(r);
        sizes = AofFixtures.dbsizes(r);
        if (stop.equals("SIGKILL")) {
          Signals.send("KILL", redis.pid());
        } else {
          r.sendRaw(RespClient.encodeCommand("SHUTDOWN", "NOSAVE"));
          r.isClosedByPeer(Duration.ofSeconds(5));
        }
        redis.awaitExit();
      }
      Path aof = redis.dir().resolve("appendonlydir");
      String manifest = AofFixtures.read(aof.resolve("appendonly.aof.manifest"));
      // the layout this test is about: the rewrite's base (seq 2), then its incr file, and nothing else
      assertEquals("file appendonly.aof.2.base." + (preamble.equals("yes") ? "rdb" : "aof") + " seq 2 type b\n"
          + "file appendonly.aof.2.incr.aof seq 2 type i\n", manifest);
      String incr = AofFixtures.read(aof.resolve("appendonly.aof.2.incr.aof"));
      assertEquals(timestamps.equals("yes"), incr.contains("#TS:"), "timestamp annotations in the incr file");
      AofFixtures.copyDir(aof, vireoDir.resolve("appendonlydir"));
      Files.copy(redis.dir().resolve("dump.rdb"), vireoDir.resolve("dump.rdb"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    try (TestNode node = TestNode.start("--dir", vireoDir.toString(), "--appendonly", "yes")) {
      TestNode.await(node.node().loaded(), LOAD, "load the AOF");
      RespClient v = node.client();
      AofFixtures.assertSameKeys(keys, AofFixtures.keyDigests(v));
      assertEquals(sizes, AofFixtures.dbsizes(v));
      assertEquals(digest, v.call("DEBUG", "DIGEST"));
      assertEquals("0", InfoFields.get(v, "loading"));
      // DEBUG LOADAOF empties the dataset and loads the same files again, without appending what it replays
      Path incr = vireoDir.resolve("appendonlydir").resolve("appendonly.aof.2.incr.aof");
      long size = AofFixtures.size(incr);
      assertEquals("+OK\r\n", v.call("DEBUG", "LOADAOF"));
      assertEquals(digest, v.call("DEBUG", "DIGEST"));
      assertEquals(size, AofFixtures.size(incr));
    } finally {
      TempDirs.deleteQuietly(vireoDir);
    }
  }

  /**
   * Vireo's own AOF (written by its writer: a first base, a rewrite, incr files) after a SIGKILL: a restarted
   * Vireo and a real redis-server both load it to the dataset the killed node had.
   */
  @Test
  void aVireoAofLoadsAfterAKill() {
    Path dir = AofFixtures.tempDir("vireo-aof");
    Path redisDir = AofFixtures.tempDir("redis-aof");
    try {
      String digest;
      Map<Integer, Map<String, String>> keys;
      try (VireoJar vireo = VireoJar.start(Map.of(), "--dir", dir.toString(), "--appendonly", "yes",
          "--appendfsync", "always", "--enable-debug-command", "yes"); RespClient v = vireo.client()) {
        Poll.until(Poll.WAIT, "the first base", () -> InfoFields.get(v, "aof_rewrite_in_progress").equals("0"));
        AofFixtures.workload(v, 41, 1000);
        assertEquals("+Background append only file rewriting started\r\n", v.call("BGREWRITEAOF"));
        AofFixtures.awaitRewrite(v);
        AofFixtures.workload(v, 42, 1000);
        digest = v.call("DEBUG", "DIGEST");
        keys = AofFixtures.keyDigests(v);
        Signals.send("KILL", vireo.pid());
        vireo.awaitExit();
      }
      AofFixtures.copyDir(dir.resolve("appendonlydir"), redisDir.resolve("appendonlydir"));
      try (VireoJar vireo = VireoJar.start(Map.of(), "--dir", dir.toString(), "--appendonly", "yes",
          "--enable-debug-command", "yes"); RespClient v = vireo.client()) {
        AofFixtures.assertSameKeys(keys, AofFixtures.keyDigests(v));
        assertEquals(digest, v.call("DEBUG", "DIGEST"));
      }
      try (RedisServerProcess redis = RedisServerProcess.start("--dir", redisDir.toString(), "--appendonly", "yes",
          "--enable-debug-command", "yes"); RespClient r = redis.client()) {
        AofFixtures.assertSameKeys(keys, AofFixtures.keyDigests(r));
        assertEquals(digest, r.call("DEBUG", "DIGEST"));
      }
    } finally {
      TempDirs.deleteQuietly(dir);
      TempDirs.deleteQuietly(redisDir);
    }
  }

  /**
   * A single-file AOF as Redis before 7.0 kept it ({@code dir/appendonly.aof}, no AOF directory) is taken over as
   * Redis 7.0.15 does: moved into the directory as the base of a new manifest, then loaded. Both servers, on copies
   * of the same file, end with the same dataset and the same manifest.
   */
  @Test
  void anOldStyleAofIsMigrated() {
    Path redisDir = AofFixtures.tempDir("redis-aof");
    Path vireoDir = AofFixtures.tempDir("vireo-aof");
    try {
      String digest;
      try (RedisServerProcess writer = RedisServerProcess.start("--appendonly", "yes", "--aof-use-rdb-preamble", "no",
          "--enable-debug-command", "yes"); RespClient r = writer.client()) {
        AofFixtures.workload(r, 51, 800);
        r.call("BGREWRITEAOF");
        AofFixtures.awaitRewrite(r);
        digest = r.call("DEBUG", "DIGEST");
        // the rewrite's base is the whole dataset as commands: what a pre-7.0 appendonly.aof holds
        byte[] base = AofFixtures.bytes(writer.dir().resolve("appendonlydir").resolve("appendonly.aof.2.base.aof"));
        AofFixtures.write(redisDir.resolve("appendonly.aof"), base);
        AofFixtures.write(vireoDir.resolve("appendonly.aof"), base);
      }
      String redisManifest;
      try (RedisServerProcess redis = RedisServerProcess.start("--dir", redisDir.toString(), "--appendonly", "yes",
          "--enable-debug-command", "yes"); RespClient r = redis.client()) {
        assertEquals(digest, r.call("DEBUG", "DIGEST"));
        assertTrue(redis.log().contains("Successfully migrated an old-style AOF file (appendonly.aof) into the AOF "
            + "directory (appendonlydir)."), redis.log());
        redisManifest = AofFixtures.read(redisDir.resolve("appendonlydir").resolve("appendonly.aof.manifest"));
      }
      assertTrue(redisManifest.startsWith("file appendonly.aof seq 1 type b\n"), redisManifest);
      assertTrue(Files.exists(redisDir.resolve("appendonlydir").resolve("appendonly.aof")));
      assertTrue(!Files.exists(redisDir.resolve("appendonly.aof")));
      try (TestNode node = TestNode.start("--dir", vireoDir.toString(), "--appendonly", "yes")) {
        TestNode.await(node.node().loaded(), LOAD, "load the old-style AOF");
        assertEquals(digest, node.client().call("DEBUG", "DIGEST"));
      }
      assertEquals(redisManifest,
          AofFixtures.read(vireoDir.resolve("appendonlydir").resolve("appendonly.aof.manifest")));
      assertTrue(Files.exists(vireoDir.resolve("appendonlydir").resolve("appendonly.aof")));
      assertTrue(!Files.exists(vireoDir.resolve("appendonly.aof")));
    } finally {
      TempDirs.deleteQuietly(redisDir);
      TempDirs.deleteQuietly(vireoDir);
    }
  }

  /**
   * Redis 7.0.15 with {@code appendonly yes}, a dump.rdb and no AOF directory starts empty (recorded here from the
   * real server in the same run), and so does Vireo: the RDB file is not read.
   */
  @Test
  void withoutAnAofTheRdbFileIsNotLoaded() {
    Path vireoDir = AofFixtures.tempDir("vireo-aof");
    try {
      try (RedisServerProcess writer = RedisServerProcess.start(); RespClient r = writer.client()) {
        r.call("SET", "k", "v");
        r.call("SAVE");
        Files.copy(writer.dir().resolve("dump.rdb"), vireoDir.resolve("dump.rdb"));
      }
      Path redisDir = AofFixtures.tempDir("redis-aof");
      Files.copy(vireoDir.resolve("dump.rdb"), redisDir.resolve("dump.rdb"));
      try (RedisServerProcess redis = RedisServerProcess.start("--dir", redisDir.toString(), "--appendonly", "yes");
          RespClient r = redis.client()) {
        assertEquals(":0\r\n", r.call("DBSIZE"));
      } finally {
        TempDirs.deleteQuietly(redisDir);
      }
      try (TestNode node = TestNode.start("--dir", vireoDir.toString(), "--appendonly", "yes")) {
        TestNode.await(node.node().loaded(), LOAD, "start");
        assertEquals(":0\r\n", node.client().call("DBSIZE"));
      }
      // the same directory without appendonly loads the RDB file: the test's file is good
      try (TestNode node = TestNode.start("--dir", vireoDir.toString())) {
        TestNode.await(node.node().loaded(), LOAD, "load the RDB");
        assertEquals(":1\r\n", node.client().call("DBSIZE"));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      TempDirs.deleteQuietly(vireoDir);
    }
  }

  /** While the AOF loads, clients get -LOADING and INFO says loading:1; then the dataset is served. */
  @Test
  void loadingIsAnsweredWhileTheAofLoads() {
    Path vireoDir = AofFixtures.tempDir("vireo-aof");
    String digest;
    try {
      try (RedisServerProcess redis = RedisServerProcess.start("--appendonly", "yes", "--appendfsync", "always",
          "--enable-debug-command", "yes"); RespClient r = redis.client()) {
        AofFixtures.workload(r, 11, 3000);
        digest = r.call("DEBUG", "DIGEST");
        r.sendRaw(RespClient.encodeCommand("SHUTDOWN", "NOSAVE"));
        r.isClosedByPeer(Duration.ofSeconds(5));
        redis.awaitExit();
        AofFixtures.copyDir(redis.dir().resolve("appendonlydir"), vireoDir.resolve("appendonlydir"));
      }
      // 1 ms per command: the load takes a few seconds
      try (TestNode node = TestNode.start("--dir", vireoDir.toString(), "--appendonly", "yes", "--key-load-delay",
          "1000")) {
        RespClient v = node.client();
        assertEquals("-LOADING Redis is loading the dataset in memory\r\n", v.call("GET", "x"));
        assertEquals("1", InfoFields.get(v, "loading"));
        TestNode.await(node.node().loaded(), LOAD, "load the AOF");
        assertEquals("0", InfoFields.get(v, "loading"));
        assertEquals(digest, v.call("DEBUG", "DIGEST"));
      }
    } finally {
      TempDirs.deleteQuietly(vireoDir);
    }
  }

  /**
   * DEBUG LOADAOF with no AOF on disk: Redis 7.0.15 empties its dataset and exits (status 1, recorded here), where
   * Vireo answers an error and keeps its dataset.
   */
  @Test
  void debugLoadaofWithoutAnAof() {
    try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes");
        RespClient r = redis.client()) {
      r.call("SET", "k", "v");
      r.sendRaw(RespClient.encodeCommand("DEBUG", "LOADAOF"));
      assertTrue(r.isClosedByPeer(Duration.ofSeconds(5)));
      assertEquals(1, redis.awaitExit());
    }
    try (TestNode node = TestNode.start()) {
      RespClient v = node.client();
      v.call("SET", "k", "v");
      String reply = v.call("DEBUG", "LOADAOF");
      assertTrue(reply.startsWith("-ERR There is no append only file to load"), reply);
      assertEquals(":1\r\n", v.call("DBSIZE"));
    }
  }
}
