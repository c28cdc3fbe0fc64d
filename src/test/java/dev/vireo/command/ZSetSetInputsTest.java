package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Plain sets as inputs of ZUNION/ZINTER/ZDIFF (every member scores 1); replies recorded from Redis 7.0.15. */
@Timeout(30)
class ZSetSetInputsTest {
  @Test
  void setsCountAsSortedSetsWithScoreOne() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("SADD", "s", "a", "b", "3");
      r.call("ZADD", "z", "2", "a", "5", "x");
      assertEquals("*8\r\n$1\r\n3\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n3\r\n$1\r\nx\r\n$1\r\n5\r\n",
          r.call("ZUNION", "2", "s", "z", "WITHSCORES"));
      assertEquals("*1\r\n$1\r\na\r\n", r.call("ZINTER", "2", "s", "z", "WEIGHTS", "2", "3"));
      assertEquals("*2\r\n$1\r\n3\r\n$1\r\nb\r\n", r.call("ZDIFF", "2", "s", "z"));
      assertEquals(":3\r\n", r.call("ZUNIONSTORE", "dst", "1", "s", "AGGREGATE", "MAX"));
      assertEquals("$1\r\n1\r\n", r.call("ZSCORE", "dst", "b"));
    }
  }
}
