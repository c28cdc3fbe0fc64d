package dev.vireo.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.AnyServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RMapCache;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * Redisson, an application library built on Lua scripts (its locks and expiring maps are EVAL/EVALSHA), runs its
 * own operations unchanged against Vireo, with the same outcomes as against a real Redis 7.0.15.
 */
class RedissonScriptsIT {
  private static RedissonClient connect(AnyServer server) {
    Config config = new Config();
    config.useSingleServer().setAddress("redis://127.0.0.1:" + server.port()).setConnectionMinimumIdleSize(1)
        .setConnectionPoolSize(2).setSubscriptionConnectionMinimumIdleSize(1)
        .setSubscriptionConnectionPoolSize(1);
    return Redisson.create(config);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "vireo"})
  void lockWorks(String kind) throws Exception {
    try (AnyServer server = AnyServer.start(kind)) {
      RedissonClient redisson = connect(server);
      try {
        RLock lock = redisson.getLock("lock");
        lock.lock(30, TimeUnit.SECONDS);
        assertTrue(lock.isLocked());
        assertTrue(lock.isHeldByCurrentThread());
        lock.lock(30, TimeUnit.SECONDS); // reentrant: a hash counter in the script
        assertEquals(2, lock.getHoldCount());
        // another thread cannot take it
        assertFalse(CompletableFuture.supplyAsync(() -> {
          try {
            return lock.tryLock(0, 30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        }).get(30, TimeUnit.SECONDS));
        lock.unlock();
        lock.unlock();
        assertFalse(lock.isLocked());
        assertTrue(CompletableFuture.supplyAsync(() -> {
          try {
            boolean got = lock.tryLock(0, 30, TimeUnit.SECONDS);
            if (got) lock.unlock();
            return got;
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        }).get(30, TimeUnit.SECONDS));
      } finally {
        redisson.shutdown();
      }
    }
  }

  /** RMapCache's scripts use {@code struct}, one of the libraries of {@code dev.vireo.scripting.lib}. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "vireo"})
  void mapCacheWorks(String kind) {
    try (AnyServer server = AnyServer.start(kind)) {
      RedissonClient redisson = connect(server);
      try {
        RMapCache<String, String> map = redisson.getMapCache("cache", StringCodec.INSTANCE);
        assertNull(map.put("a", "1", 1, TimeUnit.HOURS));
        assertEquals("1", map.put("a", "2", 1, TimeUnit.HOURS));
        map.put("b", "3");
        assertEquals("2", map.get("a"));
        assertEquals(2, map.size());
        assertTrue(map.remainTimeToLive("a") > 0);
        assertEquals("3", map.remove("b"));
        assertEquals(1, map.size());
      } finally {
        redisson.shutdown();
      }
    }
  }
}
