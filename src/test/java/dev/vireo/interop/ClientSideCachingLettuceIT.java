package dev.vireo.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.Poll;
import dev.vireo.testkit.Replicas;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lettuce's client-side caching ({@link ClientSideCaching} over a map, RESP3 tracking on its connection): a cached
 * value leaves the local cache when another client writes the key, and, with the cache on a replica, when the
 * replica applies its master's write.
 */
@Timeout(60)
class ClientSideCachingLettuceIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** Reads {@code key} through the cache, then has {@code write} change it, and waits for the invalidation. */
  private static void cachedThenInvalidated(int port, Runnable write, Runnable applied) {
    RedisClient client = RedisClient.create(
        RedisURI.builder().withHost("127.0.0.1").withPort(port).withTimeout(TIMEOUT).build());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      Map<String, String> cache = new ConcurrentHashMap<>();
      List<String> invalidated = new CopyOnWriteArrayList<>();
      CacheFrontend<String, String> frontend =
          ClientSideCaching.enable(CacheAccessor.forMap(cache), connection, TrackingArgs.Builder.enabled());
      ((ClientSideCaching<String, String>) frontend).addInvalidationListener(invalidated::add);
      assertEquals("v1", frontend.get("k"));
      assertEquals("v1", cache.get("k"), "the value is cached after the first read");
      assertEquals("v1", frontend.get("k"));
      write.run();
      applied.run();
      Poll.until(Poll.WAIT, "the cached key to be invalidated", () -> !cache.containsKey("k"));
      assertTrue(invalidated.contains("k"), invalidated.toString());
      assertEquals("v2", frontend.get("k"));
      assertEquals("v2", cache.get("k"));
      frontend.close();
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(5));
    }
  }

  @Test
  void writeFromAnotherClientInvalidates() {
    try (TestNode node = TestNode.start(); RespClient writer = node.client()) {
      writer.call("SET", "k", "v1");
      cachedThenInvalidated(node.port(), () -> writer.call("SET", "k", "v2"), () -> { });
    }
  }

  @Test
  void writeAppliedByAReplicaInvalidates() {
    try (TestNode master = TestNode.start("--repl-diskless-sync-delay", "0");
        TestNode replica = TestNode.start("--replicaof", "127.0.0.1 " + master.port());
        RespClient writer = master.client();
        RespClient replicaAdmin = replica.client()) {
      Replicas.awaitLinkUp(replicaAdmin);
      writer.call("SET", "k", "v1");
      Replicas.awaitApplied(writer, replicaAdmin);
      cachedThenInvalidated(replica.port(), () -> writer.call("SET", "k", "v2"),
          () -> Replicas.awaitApplied(writer, replicaAdmin));
    }
  }
}
