package dev.vireo.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * DEBUG DIGEST and DIGEST-VALUE give the same answers on Vireo and on a real Redis 7.0 holding the same data, for
 * every type, small and large encodings, TTLs and several databases: the cheapest proof that two nodes are equal.
 */
@Timeout(120)
class DigestInteropIT {
  @Test
  void sameDataSameDigests() {
    try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes");
        TestNode node = TestNode.start();
        RespClient r = redis.client();
        RespClient v = node.client()) {
      Random rnd = new Random(7);
      for (int db = 0; db < 3; db++) {
        both(r, v, "SELECT", Integer.toString(db));
        both(r, v, "SET", "str", "hello" + db);
        both(r, v, "SET", "int", Integer.toString(12345 + db));
        both(r, v, "RPUSH", "list", "a", "b", "c");
        both(r, v, "SADD", "intset", "3", "1", "2");
        both(r, v, "SADD", "set", "x", "y", "1");
        both(r, v, "ZADD", "zset", "0.1", "a", "1.5", "b", "3", "c", "-inf", "d", "inf", "e");
        both(r, v, "HSET", "hash", "f", "v", "g", "w");
        for (int i = 0; i < 700; i++) {
          String n = Integer.toString(rnd.nextInt(100000));
          both(r, v, "RPUSH", "biglist", n);
          both(r, v, "SADD", "bigset", "m" + n);
          both(r, v, "ZADD", "bigzset", Double.toString(rnd.nextGaussian()), "m" + n);
          both(r, v, "HSET", "bighash", "f" + n, n);
        }
        both(r, v, "PEXPIRE", "set", "1000000");
        both(r, v, "PEXPIRE", "bigzset", "1000000");
        both(r, v, "PFADD", "hll", "a", "b", "c");
        for (String k : List.of("str", "int", "list", "intset", "set", "zset", "hash", "biglist", "bigset", "bigzset",
            "bighash", "hll", "missing")) {
          assertEquals(r.call("DEBUG", "DIGEST-VALUE", k), v.call("DEBUG", "DIGEST-VALUE", k), k + " in db " + db);
        }
      }
      assertEquals(r.call("DEBUG", "DIGEST"), v.call("DEBUG", "DIGEST"));
      both(r, v, "DEL", "bighash");
      assertEquals(r.call("DEBUG", "DIGEST"), v.call("DEBUG", "DIGEST"));
    }
  }

  private static void both(RespClient r, RespClient v, String... cmd) {
    assertEquals(r.call(cmd), v.call(cmd), String.join(" ", cmd));
  }
}
