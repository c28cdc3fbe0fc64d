package dev.vireo.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.TestNode;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ObjectOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lettuce 6.8 with its default options. On connect it sends {@code HELLO 3} (with {@code AUTH default <password>}
 * when configured; an {@code ERR unknown command} would make it fall back to RESP2 with {@code AUTH} and
 * {@code PING}), then {@code CLIENT SETINFO lib-name Lettuce} and {@code CLIENT SETINFO lib-ver <version>}.
 */
@Timeout(60)
class LettuceTest {
  private static final String PASSWORD = "lettuce-pass";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private TestNode node;
  private RedisClient client;

  @AfterEach
  void stop() {
    if (client != null) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(5));
    }
    if (node != null) {
      node.close();
    }
  }

  private RedisClient client(String password) {
    RedisURI.Builder uri = RedisURI.builder().withHost("127.0.0.1").withPort(node.port()).withTimeout(TIMEOUT);
    if (password != null) {
      uri.withPassword(password.toCharArray());
    }
    client = RedisClient.create(uri.build());
    return client;
  }

  @Test
  void syncCommands() {
    node = TestNode.start();
    try (StatefulRedisConnection<String, String> connection = client(null).connect()) {
      RedisCommands<String, String> redis = connection.sync();
      assertEquals("PONG", redis.ping());
      assertEquals("OK", redis.set("name", "vireo"));
      assertEquals("vireo", redis.get("name"));
      assertNull(redis.get("missing"));
      assertEquals(1L, redis.incr("counter"));
      assertEquals("OK", redis.mset(Map.of("a", "1", "b", "2")));
      List<KeyValue<String, String>> values = redis.mget("a", "b", "nope");
      assertEquals(List.of(KeyValue.just("a", "1"), KeyValue.just("b", "2"), KeyValue.empty("nope")), values);
      assertEquals(-1L, redis.ttl("a"));
      assertTrue(redis.expire("a", 100));
      assertFalse(redis.expire("nope", 100));
      long ttl = redis.ttl("a");
      assertTrue(ttl > 90 && ttl <= 100, "ttl " + ttl);
      assertEquals(2L, redis.exists("a", "b", "nope"));
      assertEquals(2L, redis.del("a", "b", "nope"));
      assertEquals(2L, redis.dbsize());
      RedisCommandExecutionException e = assertThrows(RedisCommandExecutionException.class, () -> redis.incr("name"));
      assertEquals("ERR value is not an integer or out of range", e.getMessage());
    }
  }

  @Test
  void asyncCommands() {
    node = TestNode.start();
    try (StatefulRedisConnection<String, String> connection = client(null).connect()) {
      RedisAsyncCommands<String, String> redis = connection.async();
      List<RedisFuture<?>> futures = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        futures.add(redis.set("k" + i, "v" + i));
        futures.add(redis.incr("hits"));
      }
      assertTrue(LettuceFutures.awaitAll(TIMEOUT, futures.toArray(new RedisFuture[0])));
      for (int i = 0; i < 100; i++) {
        assertEquals("OK", done(futures.get(2 * i)));
        assertEquals(i + 1L, done(futures.get(2 * i + 1)));
      }
      RedisFuture<String> get = redis.get("k99");
      RedisFuture<Boolean> expire = redis.expire("k99", 50);
      RedisFuture<Long> ttl = redis.ttl("k99");
      RedisFuture<Long> del = redis.del("k0", "k1");
      RedisFuture<List<KeyValue<String, String>>> mget = redis.mget("k2", "k0");
      assertTrue(LettuceFutures.awaitAll(TIMEOUT, get, expire, ttl, del, mget));
      assertEquals("v99", done(get));
      assertTrue(done(expire));
      assertTrue(done(ttl) > 40, "ttl " + done(ttl));
      assertEquals(2L, done(del));
      assertEquals(List.of(KeyValue.just("k2", "v2"), KeyValue.empty("k0")), done(mget));
    }
  }

  @Test
  void resp3IsNegotiatedAndMapsDecode() {
    node = TestNode.start();
    try (StatefulRedisConnection<String, String> connection = client(null).connect()) {
      RedisCommands<String, String> redis = connection.sync();
      String info = redis.clientInfo();
      assertTrue(info.contains("resp=3"), info);
      assertEquals(Map.of("port", Integer.toString(node.port())), redis.configGet("port"));
      Object hello = redis.dispatch(CommandType.HELLO, new ObjectOutput<>(StringCodec.UTF8),
          new CommandArgs<>(StringCodec.UTF8).add(3));
      Map<?, ?> map = assertInstanceOf(Map.class, hello, () -> "HELLO 3 reply " + hello);
      assertEquals(3L, map.get("proto"));
      assertEquals("standalone", map.get("mode"));
      assertInstanceOf(List.class, map.get("modules"));
    }
  }

  @Test
  void withPassword() {
    node = TestNode.start("--requirepass", PASSWORD);
    try (StatefulRedisConnection<String, String> connection = client(PASSWORD).connect()) {
      RedisCommands<String, String> redis = connection.sync();
      assertEquals("OK", redis.set("k", "v"));
      assertEquals("v", redis.get("k"));
      assertEquals(1L, redis.incr("n"));
      assertTrue(redis.clientInfo().contains("resp=3"));
    }
  }

  @Test
  void withoutOrWithWrongPasswordTheConnectionIsRefused() {
    node = TestNode.start("--requirepass", PASSWORD);
    RedisException none = assertThrows(RedisException.class, () -> {
      try (StatefulRedisConnection<String, String> connection = client(null).connect()) {
        connection.sync().get("k");
      }
    });
    assertTrue(messages(none).contains("NOAUTH"), messages(none));
    client.shutdown(Duration.ZERO, Duration.ofSeconds(5));
    RedisException wrong = assertThrows(RedisException.class, () -> {
      try (StatefulRedisConnection<String, String> connection = client("wrong").connect()) {
        connection.sync().get("k");
      }
    });
    assertTrue(messages(wrong).contains("WRONGPASS"), messages(wrong));
  }

  private static <T> T done(RedisFuture<T> future) {
    return future.toCompletableFuture().join();
  }

  private static String messages(Throwable t) {
    StringBuilder s = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      s.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append(" / ");
    }
    return s.toString();
  }
}
