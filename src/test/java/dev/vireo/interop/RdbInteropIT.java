package dev.vireo.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.Datasets;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RDB files move both ways between Vireo and a real Redis 7.0: what one saves the other loads with every key,
 * type, value and TTL; DEBUG DIGEST (computed alike on both) proves the datasets equal.
 */
@Timeout(180)
class RdbInteropIT {
  private static final List<String> KEYS = List.of("str", "num", "long", "list", "intset", "set", "zset", "hash",
      "biglist", "bigset", "bigzset", "bighash", "hll");

  @Test
  void redisLoadsWhatVireoSaves(@TempDir Path dir) throws Exception {
    String digest;
    try (TestNode n = TestNode.start("--dir", dir.toString(), "--dbfilename", "vireo.rdb");
        RespClient v = n.client()) {
      Datasets.fillEveryType(v);
      digest = v.call("DEBUG", "DIGEST");
      assertEquals("+OK\r\n", v.call("SAVE"));
    }
    assertTrue(Files.size(dir.resolve("vireo.rdb")) > 0);
    try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes", "--dir",
        dir.toString(), "--dbfilename", "vireo.rdb"); RespClient r = redis.client()) {
      assertEquals(digest, r.call("DEBUG", "DIGEST"));
      assertEquals(":13\r\n", r.call("DBSIZE"));
      long pttl = Long.parseLong(r.call("PTTL", "str").substring(1).trim());
      assertTrue(pttl > 900_000 && pttl <= 1_000_000, "TTL kept: " + pttl);
    }
  }

  @Test
  void vireoLoadsWhatRedisSaves(@TempDir Path dir) throws Exception {
    String digest;
    String[] values = new String[KEYS.size()];
    try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes", "--dir",
        dir.toString(), "--dbfilename", "redis.rdb"); RespClient r = redis.client()) {
      Datasets.fillEveryType(r);
      digest = r.call("DEBUG", "DIGEST");
      for (int i = 0; i < KEYS.size(); i++) values[i] = r.call("DEBUG", "DIGEST-VALUE", KEYS.get(i));
      assertEquals("+OK\r\n", r.call("SAVE"));
    }
    try (TestNode n = TestNode.start("--dir", dir.toString(), "--dbfilename", "redis.rdb");
        RespClient v = n.client()) {
      n.node().loaded().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      for (int i = 0; i < KEYS.size(); i++) {
        assertEquals(values[i], v.call("DEBUG", "DIGEST-VALUE", KEYS.get(i)), KEYS.get(i));
      }
      assertEquals(digest, v.call("DEBUG", "DIGEST"));
      assertEquals("$8\r\nlistpack\r\n", v.call("OBJECT", "ENCODING", "hash"));
      assertEquals("$9\r\nhashtable\r\n", v.call("OBJECT", "ENCODING", "bigset"));
    }
  }
}
