package dev.vireo.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The edges of the small sorted-set encoding, each reply compared with a real redis-server 7.0 under default
 * limits (128 entries, 64 bytes): scores at every width the packed form stores them in, conversion exactly at the
 * limits, walks in both directions, deletes down to an empty (gone) key, and copies that change independently.
 * After each step the encoding, DEBUG DIGEST-VALUE and DUMP/RESTORE both ways must agree too.
 */
@Timeout(120)
class ZSetEncodingIT {
  static final String[] SCORES = {"0", "-0", "1", "-1", "127", "128", "-128", "-129", "32767", "32768", "-32768",
      "-32769", "1.5", "0.1", "-2.25", "16777216", "16777217", "3.4028234663852886e38", "3.4028235677973366e38",
      "1e300", "-1e-300", "4.9e-324", "1e-45", "inf", "-inf", "0.30000000000000004", "9007199254740993",
      "123456789012345678", "1e20", "2147483648"};

  RespClient r;
  RespClient v;

  @Test
  void packedEdgesMatchRedis() {
    try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes");
        TestNode node = TestNode.start();
        RespClient rc = redis.client();
        RespClient vc = node.client()) {
      r = rc;
      v = vc;
      scoreWidths();
      conversionAtLimits();
      walksAndRangeDeletes();
      copies();
    }
  }

  private void scoreWidths() {
    List<String> add = new ArrayList<>(List.of("ZADD", "w"));
    for (int i = 0; i < SCORES.length; i++) {
      add.add(SCORES[i]);
      add.add("m" + i);
    }
    both(add.toArray(new String[0]));
    check("w");
    for (int i = 0; i < SCORES.length; i++) {
      both("ZSCORE", "w", "m" + i);
      both("ZRANK", "w", "m" + i);
    }
    both("ZSCAN", "w", "0", "COUNT", "100");
    both("ZRANGEBYSCORE", "w", "(127", "32768", "WITHSCORES");
    both("ZREVRANGEBYSCORE", "w", "inf", "(-inf", "WITHSCORES", "LIMIT", "2", "5");
    // Moving members between widths, in place and across neighbours.
    for (int i = 0; i < SCORES.length; i++) {
      both("ZINCRBY", "w", SCORES[(i * 7) % SCORES.length].replace("inf", "1"), "m" + i);
    }
    check("w");
    both("ZADD", "w", "GT", "CH", "200", "m3", "-5", "m4", "40000", "m5");
    check("w");
  }

  private void conversionAtLimits() {
    for (int i = 0; i < 128; i++) both("ZADD", "n", Integer.toString(i % 9), "e" + i);
    check("n");
    both("ZADD", "n", "1.25", "e128");
    check("n");
    both("ZADD", "len", "1", "x".repeat(64), "2", "y");
    check("len");
    both("ZADD", "len", "3", "z".repeat(65));
    check("len");
    // One command that crosses the entry limit midway, and a store that keeps a small result small.
    List<String> many = new ArrayList<>(List.of("ZADD", "many"));
    for (int i = 0; i < 140; i++) {
      many.add(Double.toString(i * 0.5));
      many.add("k" + i);
    }
    both(many.toArray(new String[0]));
    check("many");
    both("ZRANGESTORE", "small", "many", "0", "127");
    check("small");
    both("ZUNIONSTORE", "u", "2", "w", "len");
    check("u");
  }

  private void walksAndRangeDeletes() {
    for (int i = 0; i < 20; i++) both("ZADD", "lex", "0", Character.toString('a' + i) + (i % 3));
    both("ZREVRANGEBYLEX", "lex", "[p", "(c", "LIMIT", "1", "4");
    both("ZRANGEBYLEX", "lex", "(b", "+");
    both("ZLEXCOUNT", "lex", "[d", "[k");
    both("ZREMRANGEBYLEX", "lex", "[e", "(h");
    check("lex");
    both("ZREVRANGE", "n", "3", "40", "WITHSCORES");
    both("ZREVRANGE", "w", "0", "-1", "WITHSCORES");
    both("ZREMRANGEBYSCORE", "w", "(0", "1e20");
    check("w");
    both("ZREMRANGEBYRANK", "w", "1", "2");
    check("w");
    both("ZPOPMAX", "w", "2");
    both("ZPOPMIN", "w");
    check("w");
    both("ZREMRANGEBYRANK", "w", "0", "-1");
    both("EXISTS", "w");
    both("ZADD", "gone", "1", "a", "2", "b");
    both("ZREM", "gone", "b", "a", "c");
    both("EXISTS", "gone");
    both("ZADD", "gone", "5", "c");
    both("ZPOPMIN", "gone", "3");
    both("EXISTS", "gone");
  }

  private void copies() {
    both("ZADD", "src", "1", "a", "2", "b", "3", "c");
    both("COPY", "src", "dst");
    both("ZADD", "dst", "10", "a", "4", "d");
    both("ZREM", "src", "b");
    check("src");
    check("dst");
    both("COPY", "n", "n2");
    both("ZREM", "n2", "e1", "e2");
    check("n");
    check("n2");
    both("RENAME", "dst", "moved");
    both("ZADD", "moved", "0.5", "z");
    check("moved");
    both("EXISTS", "dst");
  }

  private void check(String key) {
    both("OBJECT", "ENCODING", key);
    both("ZCARD", key);
    both("ZRANGE", key, "0", "-1", "WITHSCORES");
    both("DEBUG", "DIGEST-VALUE", key);
    // Each side's DUMP restores on the other into the same value.
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    byte[] copy = (key + ":restored").getBytes(StandardCharsets.UTF_8);
    for (RespClient[] pair : new RespClient[][] {{v, r}, {r, v}}) {
      byte[] dump = bulk(pair[0].callBytes("DUMP".getBytes(StandardCharsets.UTF_8), k));
      assertEquals("+OK\r\n", new String(pair[1].callBytes("RESTORE".getBytes(StandardCharsets.UTF_8), copy,
          "0".getBytes(StandardCharsets.UTF_8), dump, "REPLACE".getBytes(StandardCharsets.UTF_8)),
          StandardCharsets.ISO_8859_1), "RESTORE of " + key);
    }
    both("OBJECT", "ENCODING", key + ":restored");
    both("DEBUG", "DIGEST-VALUE", key + ":restored");
    assertEquals(r.call("DEBUG", "DIGEST-VALUE", key), r.call("DEBUG", "DIGEST-VALUE", key + ":restored"), key);
  }

  /** The payload of a raw bulk-string reply. */
  private static byte[] bulk(byte[] reply) {
    int crlf = 0;
    while (reply[crlf] != '\r') crlf++;
    return Arrays.copyOfRange(reply, crlf + 2, reply.length - 2);
  }

  private void both(String... cmd) {
    assertEquals(r.call(cmd), v.call(cmd), String.join(" ", cmd));
  }
}
