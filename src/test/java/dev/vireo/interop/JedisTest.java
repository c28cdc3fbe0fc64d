package dev.vireo.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.TestNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Jedis 6 against a node. On connect Jedis pipelines {@code CLIENT SETINFO LIB-NAME jedis} and
 * {@code CLIENT SETINFO LIB-VER <version>}, preceded by {@code AUTH <password>} (RESP2) or
 * {@code HELLO 3 AUTH default <password>} (RESP3) when configured.
 */
@Timeout(60)
class JedisTest {
  private static final String PASSWORD = "jedis-pass";
  private static final int TIMEOUT_MILLIS = 5000;

  private TestNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  private HostAndPort address() {
    return new HostAndPort("127.0.0.1", node.port());
  }

  private static DefaultJedisClientConfig.Builder config() {
    return DefaultJedisClientConfig.builder().timeoutMillis(TIMEOUT_MILLIS);
  }

  @Test
  void stringAndKeyCommands() {
    node = TestNode.start();
    try (Jedis jedis = new Jedis(address(), config().build())) {
      exerciseStringsAndKeys(jedis);
    }
  }

  @Test
  void stringAndKeyCommandsOverResp3() {
    node = TestNode.start();
    try (Jedis jedis = new Jedis(address(), config().protocol(RedisProtocol.RESP3).build())) {
      exerciseStringsAndKeys(jedis);
      assertTrue(jedis.clientInfo().contains("resp=3"), jedis.clientInfo());
    }
  }

  private static void exerciseStringsAndKeys(Jedis jedis) {
    assertEquals("PONG", jedis.ping());
    assertEquals("hi", jedis.echo("hi"));
    assertEquals("OK", jedis.set("name", "vireo"));
    assertEquals("vireo", jedis.get("name"));
    assertNull(jedis.get("missing"));
    assertEquals(1, jedis.incr("counter"));
    assertEquals(11, jedis.incrBy("counter", 10));
    assertEquals("OK", jedis.mset("a", "1", "b", "2"));
    assertEquals(Arrays.asList("1", "2", null), jedis.mget("a", "b", "nope"));
    assertEquals(-1, jedis.ttl("a"));
    assertEquals(1, jedis.expire("a", 100));
    long ttl = jedis.ttl("a");
    assertTrue(ttl > 90 && ttl <= 100, "ttl " + ttl);
    assertEquals(-2, jedis.ttl("nope"));
    assertEquals(2, jedis.exists("a", "b", "nope"));
    assertTrue(jedis.exists("name"));
    assertEquals(2, jedis.del("a", "b", "nope"));
    assertFalse(jedis.exists("a"));
    assertEquals(2, jedis.dbSize());
    assertEquals("OK", jedis.flushDB());
    assertEquals(0, jedis.dbSize());
    JedisDataException wrong = assertThrows(JedisDataException.class, () -> {
      jedis.set("text", "abc");
      jedis.incr("text");
    });
    assertEquals("ERR value is not an integer or out of range", wrong.getMessage());
  }

  @Test
  void pipelineOfAThousandCommands() {
    node = TestNode.start();
    try (Jedis jedis = new Jedis(address(), config().build())) {
      Pipeline pipeline = jedis.pipelined();
      List<Response<Long>> increments = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        pipeline.set("k" + i, "v" + i);
        increments.add(pipeline.incr("hits"));
      }
      List<Object> all = pipeline.syncAndReturnAll();
      assertEquals(1000, all.size());
      for (int i = 0; i < 500; i++) {
        assertEquals("OK", all.get(2 * i));
        assertEquals(i + 1L, increments.get(i).get());
      }
      assertEquals("v499", jedis.get("k499"));
      assertEquals(501, jedis.dbSize());
    }
  }

  @Test
  void pooledClientWithPassword() {
    node = TestNode.start("--requirepass", PASSWORD);
    try (JedisPooled pooled = new JedisPooled(address(), config().password(PASSWORD).build())) {
      assertEquals("OK", pooled.set("k", "v"));
      assertEquals("v", pooled.get("k"));
      assertEquals(1, pooled.incr("n"));
      assertEquals(1, pooled.del("k"));
    }
  }

  @Test
  void passwordOverResp3() {
    node = TestNode.start("--requirepass", PASSWORD);
    JedisClientConfig resp3 = config().password(PASSWORD).protocol(RedisProtocol.RESP3).build();
    try (Jedis jedis = new Jedis(address(), resp3)) {
      assertEquals("PONG", jedis.ping());
      assertEquals("OK", jedis.set("k", "v"));
      assertEquals("v", jedis.get("k"));
    }
  }

  @Test
  void withoutPasswordCommandsAreRefused() {
    node = TestNode.start("--requirepass", PASSWORD);
    try (Jedis jedis = new Jedis(address(), config().build())) {
      JedisDataException e = assertThrows(JedisDataException.class, () -> jedis.get("k"));
      assertEquals("NOAUTH Authentication required.", e.getMessage());
      assertEquals("OK", jedis.auth(PASSWORD));
      assertEquals("PONG", jedis.ping());
    }
  }

  @Test
  void wrongPasswordIsRejected() {
    node = TestNode.start("--requirepass", PASSWORD);
    JedisDataException e = assertThrows(JedisDataException.class, () -> {
      try (Jedis jedis = new Jedis(address(), config().password("wrong").build())) {
        jedis.ping();
      }
    });
    assertTrue(e.getMessage().startsWith("WRONGPASS"), e.getMessage());
  }
}
