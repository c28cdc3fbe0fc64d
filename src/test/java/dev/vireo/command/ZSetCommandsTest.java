package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Exact replies of the sorted-set commands, each checked against redis-server 7.0.15. */
class ZSetCommandsTest {
  private static void check(RespClient r, String expected, String... cmd) {
    assertEquals(expected, r.call(cmd), () -> String.join(" ", cmd));
  }

  @Test
  void zaddOptions() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      check(r, ":2\r\n", "zadd", "k", "1", "a", "2", "b");
      check(r, ":1\r\n", "zadd", "k", "3", "a", "4", "c");
      check(r, ":2\r\n", "zadd", "k", "ch", "5", "a", "2", "b", "6", "d");
      check(r, ":1\r\n", "zadd", "k", "nx", "10", "a", "10", "e");
      check(r, ":0\r\n", "zadd", "k", "xx", "11", "a", "11", "f");
      check(r, ":1\r\n", "zadd", "k", "xx", "ch", "12", "a", "12", "f");
      check(r, ":0\r\n", "zadd", "k", "gt", "1", "a", "20", "b");
      check(r, ":1\r\n", "zadd", "k", "lt", "ch", "100", "a", "1", "b");
      check(r, ":1\r\n", "zadd", "k", "gt", "xx", "ch", "50", "c");
      check(r, "$4\r\n14.5\r\n", "zadd", "k", "incr", "2.5", "a");
      check(r, "$-1\r\n", "zadd", "k", "incr", "nx", "1", "a");
      check(r, "$-1\r\n", "zadd", "k", "incr", "xx", "1", "zz");
      check(r, "$-1\r\n", "zadd", "k", "incr", "gt", "-1", "a");
      check(r, "-ERR XX and NX options at the same time are not compatible\r\n", "zadd", "k", "xx", "nx", "1", "a");
      check(r, "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n", "zadd", "k", "gt", "lt", "1", "a");
      check(r, "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n", "zadd", "k", "nx", "gt", "1", "a");
      check(r, "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n", "zadd", "k", "nx", "lt", "1", "a");
      check(r, "-ERR INCR option supports a single increment-element pair\r\n", "zadd", "k", "incr", "1", "a", "2", "b");
      check(r, "-ERR wrong number of arguments for 'zadd' command\r\n", "zadd", "k", "1");
      check(r, "-ERR syntax error\r\n", "zadd", "k", "1", "a", "2");
      check(r, "-ERR value is not a valid float\r\n", "zadd", "k", "nan", "a");
      check(r, "-ERR value is not a valid float\r\n", "zadd", "k", "abc", "a");
      check(r, "-ERR value is not a valid float\r\n", "zadd", "k", "", "a");
      check(r, "-ERR value is not a valid float\r\n", "zadd", "k", " 1", "a");
      check(r, "-ERR value is not a valid float\r\n", "zadd", "k", "1e400", "a");
      check(r, ":3\r\n", "zadd", "k", "inf", "i", "-inf", "j", "+inf", "l");
      check(r, ":4\r\n", "zadd", "k", "0x10", "hex", "1e2", "ex", "2.", "dot", ".5", "half");
      check(r, "*24\r\n$1\r\nj\r\n$4\r\n-inf\r\n$4\r\nhalf\r\n$3\r\n0.5\r\n$1\r\nb\r\n$1\r\n1\r\n$3\r\ndot\r\n$1\r\n2\r\n$1\r\nd\r\n$1\r\n6\r\n$1\r\ne\r\n$2\r\n10\r\n$1\r\na\r\n$4\r\n14.5\r\n$3\r\nhex\r\n$2\r\n16\r\n$1\r\nc\r\n$2\r\n50\r\n$2\r\nex\r\n$3\r\n100\r\n$1\r\ni\r\n$3\r\ninf\r\n$1\r\nl\r\n$3\r\ninf\r\n", "zrange", "k", "0", "-1", "withscores");
      check(r, ":0\r\n", "zadd", "nokey", "xx", "1", "a");
      check(r, ":0\r\n", "exists", "nokey");
      check(r, "-ERR wrong number of arguments for 'zadd' command\r\n", "zadd", "k");
    }
  }

  @Test
  void zaddNanAndWrongType() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      check(r, ":1\r\n", "zadd", "k", "inf", "a");
      check(r, "-ERR resulting score is not a number (NaN)\r\n", "zincrby", "k", "-inf", "a");
      check(r, "-ERR resulting score is not a number (NaN)\r\n", "zadd", "k", "incr", "-inf", "a");
      check(r, "$3\r\ninf\r\n", "zscore", "k", "a");
      check(r, "+OK\r\n", "set", "s", "v");
      check(r, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "zadd", "s", "1", "a");
      check(r, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "zincrby", "s", "1", "a");
      check(r, "-ERR value is not a valid float\r\n", "zincrby", "k", "abc", "a");
      check(r, "-ERR wrong number of arguments for 'zincrby' command\r\n", "zincrby", "k", "1");
      check(r, "-ERR syntax error\r\n", "zincrby", "k", "nx", "a");
    }
  }

  @Test
  void scoresFormatting() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      check(r, ":10\r\n", "zadd", "k", "1.1", "a", "0.1", "b", "3.0000000000000001", "c", "1e20", "d", "123456789012345678", "e", "-0", "f", "1e-5", "g", "0.0001", "h", "100000000000000000", "i", "12345678901234567", "j");
      check(r, "*20\r\n$1\r\nf\r\n$1\r\n0\r\n$1\r\ng\r\n$22\r\n1.0000000000000001e-05\r\n$1\r\nh\r\n$6\r\n0.0001\r\n$1\r\nb\r\n$19\r\n0.10000000000000001\r\n$1\r\na\r\n$18\r\n1.1000000000000001\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nj\r\n$17\r\n12345678901234568\r\n$1\r\ni\r\n$5\r\n1e+17\r\n$1\r\ne\r\n$22\r\n1.2345678901234568e+17\r\n$1\r\nd\r\n$5\r\n1e+20\r\n", "zrange", "k", "0", "-1", "withscores");
      check(r, "$18\r\n1.1000000000000001\r\n", "zscore", "k", "a");
      check(r, "*4\r\n$18\r\n1.1000000000000001\r\n$19\r\n0.10000000000000001\r\n$-1\r\n$1\r\n3\r\n", "zmscore", "k", "a", "b", "nosuch", "c");
      check(r, "$19\r\n0.30000000000000004\r\n", "zincrby", "k", "0.2", "b");
      check(r, "$-1\r\n", "zscore", "nokey", "a");
      check(r, "*2\r\n$-1\r\n$-1\r\n", "zmscore", "nokey", "a", "b");
      check(r, "$-1\r\n", "zscore", "k", "nosuch");
      check(r, ":10\r\n", "zcard", "k");
      check(r, ":0\r\n", "zcard", "nokey");
    }
  }

  @Test
  void zrangeRank() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      check(r, ":5\r\n", "zadd", "k", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
      check(r, "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n", "zrange", "k", "0", "-1");
      check(r, "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n", "zrange", "k", "1", "2", "withscores");
      check(r, "*2\r\n$1\r\nd\r\n$1\r\ne\r\n", "zrange", "k", "-2", "-1");
      check(r, "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n", "zrange", "k", "-100", "100");
      check(r, "*0\r\n", "zrange", "k", "3", "1");
      check(r, "*0\r\n", "zrange", "k", "5", "10");
      check(r, "*5\r\n$1\r\ne\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n", "zrange", "k", "0", "-1", "rev");
      check(r, "*4\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n", "zrange", "k", "0", "1", "rev", "withscores");
      check(r, "*2\r\n$1\r\ne\r\n$1\r\nd\r\n", "zrevrange", "k", "0", "1");
      check(r, "*2\r\n$1\r\na\r\n$1\r\n1\r\n", "zrevrange", "k", "-1", "-1", "withscores");
      check(r, "-ERR syntax error\r\n", "zrevrange", "k", "0", "-1", "withscores", "extra");
      check(r, "-ERR value is not an integer or out of range\r\n", "zrange", "k", "a", "1");
      check(r, "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n", "zrange", "k", "0", "1", "limit", "0", "1");
      check(r, "-ERR syntax error\r\n", "zrange", "k", "0", "1", "rev", "rev");
      check(r, "*0\r\n", "zrange", "nokey", "0", "-1");
      check(r, "*10\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n", "zrange", "k", "0", "-1", "withscores", "withscores");
      check(r, "*0\r\n", "zrange", "k", "9223372036854775807", "-9223372036854775808");
    }
  }

  @Test
  void zrangeByScore() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      check(r, ":5\r\n", "zadd", "k", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
      check(r, "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n", "zrange", "k", "2", "4", "byscore");
      check(r, "*4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n", "zrange", "k", "(2", "4", "byscore", "withscores");
      check(r, "*2\r\n$1\r\nb\r\n$1\r\nc\r\n", "zrange", "k", "2", "(4", "byscore");
      check(r, "*2\r\n$1\r\nb\r\n$1\r\nc\r\n", "zrange", "k", "-inf", "+inf", "byscore", "limit", "1", "2");
      check(r, "*4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n", "zrange", "k", "-inf", "+inf", "byscore", "limit", "1", "-1");
      check(r, "*0\r\n", "zrange", "k", "-inf", "+inf", "byscore", "limit", "-1", "2");
      check(r, "*0\r\n", "zrange", "k", "-inf", "+inf", "byscore", "limit", "0", "0");
      check(r, "*3\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n", "zrange", "k", "4", "2", "byscore", "rev");
      check(r, "*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n3\r\n", "zrange", "k", "+inf", "-inf", "byscore", "rev", "limit", "1", "2", "withscores");
      check(r, "-ERR min or max is not a float\r\n", "zrange", "k", "x", "2", "byscore");
      check(r, "*2\r\n$1\r\na\r\n$1\r\nb\r\n", "zrange", "k", "(", "2", "byscore");
      check(r, "-ERR min or max is not a float\r\n", "zrange", "k", "1", "nan", "byscore");
      check(r, "-ERR syntax error\r\n", "zrange", "k", "1", "2", "byscore", "limit", "1");
      check(r, "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n", "zrangebyscore", "k", "2", "4");
      check(r, "*6\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n", "zrangebyscore", "k", "(1", "(5", "withscores");
      check(r, "*3\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n", "zrangebyscore", "k", "-inf", "inf", "limit", "2", "10");
      check(r, "-ERR syntax error\r\n", "zrangebyscore", "k", "-inf", "inf", "limit", "2");
      check(r, "-ERR syntax error\r\n", "zrangebyscore", "k", "-inf", "inf", "rev");
      check(r, "*0\r\n", "zrangebyscore", "k", "5", "1");
      check(r, "*3\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n", "zrevrangebyscore", "k", "4", "2");
      check(r, "*4\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n", "zrevrangebyscore", "k", "+inf", "-inf", "withscores", "limit", "0", "2");
      check(r, "*1\r\n$1\r\nc\r\n", "zrevrangebyscore", "k", "(4", "(2");
      check(r, "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", "zrangebyscore", "k", "", "3");
      check(r, "*2\r\n$1\r\nb\r\n$1\r\nc\r\n", "zrangebyscore", "k", " 2", "3");
      check(r, "*0\r\n", "zrangebyscore", "k", "1e400", "inf");
      check(r, "*2\r\n$1\r\nb\r\n$1\r\nc\r\n", "zrangebyscore", "k", "0x2", "3");
      check(r, "*0\r\n", "zrangebyscore", "nokey", "0", "1");
      check(r, ":3\r\n", "zcount", "k", "2", "4");
      check(r, ":1\r\n", "zcount", "k", "(2", "(4");
      check(r, ":5\r\n", "zcount", "k", "-inf", "+inf");
      check(r, ":0\r\n", "zcount", "k", "5", "1");
      check(r, "-ERR min or max is not a float\r\n", "zcount", "k", "x", "1");
      check(r, ":0\r\n", "zcount", "nokey", "0", "1");
    }
  }

  @Test
  void zrangeByLex() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      check(r, ":5\r\n", "zadd", "k", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e");
      check(r, "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n", "zrange", "k", "[b", "[d", "bylex");
      check(r, "*1\r\n$1\r\nc\r\n", "zrange", "k", "(b", "(d", "bylex");
      check(r, "*2\r\n$1\r\nb\r\n$1\r\nc\r\n", "zrange", "k", "-", "+", "bylex", "limit", "1", "2");
      check(r, "*3\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n", "zrange", "k", "[d", "[b", "bylex", "rev");
      check(r, "*2\r\n$1\r\ne\r\n$1\r\nd\r\n", "zrange", "k", "+", "-", "bylex", "rev", "limit", "0", "2");
      check(r, "-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n", "zrange", "k", "-", "+", "bylex", "withscores");
      check(r, "-ERR min or max not valid string range item\r\n", "zrange", "k", "a", "c", "bylex");
      check(r, "-ERR min or max is not a float\r\n", "zrange", "k", "[a", "+", "byscore");
      check(r, "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n", "zrangebylex", "k", "-", "+");
      check(r, "*4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n", "zrangebylex", "k", "[b", "+");
      check(r, "*2\r\n$1\r\na\r\n$1\r\nb\r\n", "zrangebylex", "k", "-", "(c");
      check(r, "*0\r\n", "zrangebylex", "k", "+", "-");
      check(r, "*0\r\n", "zrangebylex", "k", "-", "-");
      check(r, "*0\r\n", "zrangebylex", "k", "[c", "[b");
      check(r, "-ERR min or max not valid string range item\r\n", "zrangebylex", "k", "++", "-");
      check(r, "*1\r\n$1\r\nb\r\n", "zrangebylex", "k", "-", "+", "limit", "1", "1");
      check(r, "-ERR syntax error\r\n", "zrangebylex", "k", "-", "+", "rev");
      check(r, "*5\r\n$1\r\ne\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n", "zrevrangebylex", "k", "+", "-");
      check(r, "*2\r\n$1\r\nc\r\n$1\r\nb\r\n", "zrevrangebylex", "k", "[d", "(a", "limit", "1", "10");
      check(r, "*0\r\n", "zrevrangebylex", "k", "-", "+");
      check(r, "-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n", "zrangebylex", "k", "-", "+", "withscores");
      check(r, ":5\r\n", "zlexcount", "k", "-", "+");
      check(r, ":2\r\n", "zlexcount", "k", "[b", "(d");
      check(r, ":0\r\n", "zlexcount", "k", "(e", "+");
      check(r, "-ERR min or max not valid string range item\r\n", "zlexcount", "k", "x", "+");
      check(r, ":0\r\n", "zlexcount", "nokey", "-", "+");
    }
  }

  @Test
  void zrangestore() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      check(r, ":3\r\n", "zadd", "src", "1", "a", "2", "b", "3", "c");
      check(r, ":3\r\n", "zrangestore", "dst", "src", "0", "-1");
      check(r, "*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n", "zrange", "dst", "0", "-1", "withscores");
      check(r, "$8\r\nlistpack\r\n", "object", "encoding", "dst");
      check(r, ":2\r\n", "zrangestore", "dst", "src", "2", "+inf", "byscore");
      check(r, "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n", "zrange", "dst", "0", "-1", "withscores");
      check(r, ":2\r\n", "zrangestore", "dst", "src", "+", "[b", "bylex", "rev");
      check(r, "*2\r\n$1\r\nb\r\n$1\r\nc\r\n", "zrange", "dst", "0", "-1");
      check(r, ":0\r\n", "zrangestore", "dst", "src", "10", "20");
      check(r, ":0\r\n", "exists", "dst");
      check(r, "-ERR syntax error\r\n", "zrangestore", "dst", "src", "0", "-1", "withscores");
      check(r, ":0\r\n", "zrangestore", "dst", "nokey", "0", "-1");
      check(r, "+OK\r\n", "set", "str", "v");
      check(r, ":1\r\n", "zrangestore", "str", "src", "0", "0");
      check(r, "+zset\r\n", "type", "str");
      check(r, ":1\r\n", "zrangestore", "dst", "str", "0", "-1");
      check(r, "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n", "zrangestore", "dst", "src", "0", "-1", "limit", "0", "1");
    }
  }

  @Test
  void rankAndRemove() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      check(r, ":5\r\n", "zadd", "k", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
      check(r, ":0\r\n", "zrank", "k", "a");
      check(r, ":4\r\n", "zrank", "k", "e");
      check(r, ":4\r\n", "zrevrank", "k", "a");
      check(r, "$-1\r\n", "zrank", "k", "nosuch");
      check(r, "$-1\r\n", "zrank", "nokey", "a");
      check(r, ":2\r\n", "zrem", "k", "a", "nosuch", "b");
      check(r, ":0\r\n", "zrem", "k", "nosuch");
      check(r, ":3\r\n", "zcard", "k");
      check(r, ":3\r\n", "zrem", "k", "c", "d", "e");
      check(r, ":0\r\n", "exists", "k");
      check(r, ":0\r\n", "zrem", "nokey", "a");
      check(r, ":7\r\n", "zadd", "k", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f", "7", "g");
      check(r, ":2\r\n", "zremrangebyrank", "k", "0", "1");
      check(r, ":1\r\n", "zremrangebyrank", "k", "-1", "-1");
      check(r, ":0\r\n", "zremrangebyrank", "k", "10", "20");
      check(r, ":0\r\n", "zremrangebyrank", "k", "3", "1");
      check(r, "-ERR value is not an integer or out of range\r\n", "zremrangebyrank", "k", "a", "1");
      check(r, ":1\r\n", "zremrangebyscore", "k", "(3", "4");
      check(r, "-ERR min or max is not a float\r\n", "zremrangebyscore", "k", "x", "4");
      check(r, ":0\r\n", "zremrangebyscore", "k", "100", "200");
      check(r, "*3\r\n$1\r\nc\r\n$1\r\ne\r\n$1\r\nf\r\n", "zrange", "k", "0", "-1");
      check(r, ":3\r\n", "zremrangebyscore", "k", "-inf", "+inf");
      check(r, ":0\r\n", "exists", "k");
      check(r, ":4\r\n", "zadd", "k", "0", "a", "0", "b", "0", "c", "0", "d");
      check(r, ":2\r\n", "zremrangebylex", "k", "[b", "(d");
      check(r, "-ERR min or max not valid string range item\r\n", "zremrangebylex", "k", "a", "b");
      check(r, "*2\r\n$1\r\na\r\n$1\r\nd\r\n", "zrange", "k", "0", "-1");
      check(r, ":2\r\n", "zremrangebylex", "k", "-", "+");
      check(r, ":0\r\n", "exists", "k");
      check(r, ":0\r\n", "zremrangebyrank", "nokey", "0", "-1");
    }
  }

  @Test
  void pops() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      check(r, ":4\r\n", "zadd", "k", "1", "a", "2", "b", "3", "c", "4", "d");
      check(r, "*2\r\n$1\r\na\r\n$1\r\n1\r\n", "zpopmin", "k");
      check(r, "*2\r\n$1\r\nd\r\n$1\r\n4\r\n", "zpopmax", "k");
      check(r, "*0\r\n", "zpopmin", "k", "0");
      check(r, "-ERR value is out of range, must be positive\r\n", "zpopmin", "k", "-1");
      check(r, "-ERR value is out of range, must be positive\r\n", "zpopmin", "k", "x");
      check(r, "-ERR syntax error\r\n", "zpopmin", "k", "1", "2");
      check(r, ":2\r\n", "zadd", "k", "5", "e", "6", "f");
      check(r, "*4\r\n$1\r\nf\r\n$1\r\n6\r\n$1\r\ne\r\n$1\r\n5\r\n", "zpopmax", "k", "2");
      check(r, "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n", "zpopmin", "k", "10");
      check(r, ":0\r\n", "exists", "k");
      check(r, "*0\r\n", "zpopmin", "nokey");
      check(r, "*0\r\n", "zpopmin", "nokey", "3");
      check(r, "+OK\r\n", "set", "s", "v");
      check(r, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "zpopmin", "s");
      check(r, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "zpopmin", "s", "0");
    }
  }

  @Test
  void zmpop() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      check(r, ":3\r\n", "zadd", "a", "1", "x", "2", "y", "3", "z");
      check(r, ":1\r\n", "zadd", "b", "10", "p");
      check(r, "*2\r\n$1\r\na\r\n*1\r\n*2\r\n$1\r\nx\r\n$1\r\n1\r\n", "zmpop", "2", "nokey", "a", "min");
      check(r, "*2\r\n$1\r\na\r\n*2\r\n*2\r\n$1\r\nz\r\n$1\r\n3\r\n*2\r\n$1\r\ny\r\n$1\r\n2\r\n", "zmpop", "2", "a", "b", "max", "count", "10");
      check(r, "*2\r\n$1\r\nb\r\n*1\r\n*2\r\n$1\r\np\r\n$2\r\n10\r\n", "zmpop", "2", "a", "b", "min", "count", "5");
      check(r, ":0\r\n", "exists", "a", "b");
      check(r, "*-1\r\n", "zmpop", "1", "b", "min");
      check(r, "-ERR numkeys should be greater than 0\r\n", "zmpop", "0", "a", "min");
      check(r, "-ERR numkeys should be greater than 0\r\n", "zmpop", "-1", "a", "min");
      check(r, "-ERR numkeys should be greater than 0\r\n", "zmpop", "x", "a", "min");
      check(r, "-ERR wrong number of arguments for 'zmpop' command\r\n", "zmpop", "1", "a");
      check(r, "-ERR syntax error\r\n", "zmpop", "1", "a", "foo");
      check(r, "-ERR syntax error\r\n", "zmpop", "3", "a", "min");
      check(r, "-ERR count should be greater than 0\r\n", "zmpop", "1", "a", "min", "count", "0");
      check(r, "-ERR count should be greater than 0\r\n", "zmpop", "1", "a", "min", "count", "x");
      check(r, "-ERR syntax error\r\n", "zmpop", "1", "a", "min", "count", "1", "count", "1");
      check(r, "-ERR syntax error\r\n", "zmpop", "1", "a", "min", "extra");
      check(r, "+OK\r\n", "set", "s", "v");
      check(r, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "zmpop", "2", "s", "a", "min");
      check(r, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "zmpop", "2", "nokey", "s", "min");
    }
  }

  @Test
  void bzpopNonBlocking() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      check(r, ":2\r\n", "zadd", "a", "1", "x", "2", "y");
      check(r, "*3\r\n$1\r\na\r\n$1\r\nx\r\n$1\r\n1\r\n", "bzpopmin", "nokey", "a", "0");
      check(r, "*3\r\n$1\r\na\r\n$1\r\ny\r\n$1\r\n2\r\n", "bzpopmax", "a", "0");
      check(r, "-ERR timeout is negative\r\n", "bzpopmin", "a", "-1");
      check(r, "-ERR timeout is not a float or out of range\r\n", "bzpopmin", "a", "abc");
      check(r, "-ERR timeout is negative\r\n", "bzpopmin", "a", "inf");
      check(r, ":3\r\n", "zadd", "a", "1", "x", "2", "y", "3", "z");
      check(r, "*2\r\n$1\r\na\r\n*1\r\n*2\r\n$1\r\nx\r\n$1\r\n1\r\n", "bzmpop", "0", "1", "a", "min");
      check(r, "*2\r\n$1\r\na\r\n*2\r\n*2\r\n$1\r\ny\r\n$1\r\n2\r\n*2\r\n$1\r\nz\r\n$1\r\n3\r\n", "bzmpop", "0", "1", "a", "min", "count", "5");
      check(r, "*-1\r\n", "bzmpop", "0.01", "1", "a", "min");
      check(r, "*-1\r\n", "bzmpop", "0.01", "1", "a", "min");
      check(r, "-ERR timeout is negative\r\n", "bzmpop", "-1", "1", "a", "min");
      check(r, "-ERR numkeys should be greater than 0\r\n", "bzmpop", "0", "0", "a", "min");
      check(r, "+OK\r\n", "set", "s", "v");
      check(r, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "bzpopmin", "s", "0");
      check(r, ":1\r\n", "zadd", "a", "5", "z");
      check(r, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "bzpopmin", "nokey", "s", "a", "0");
      check(r, "*3\r\n$1\r\na\r\n$1\r\nz\r\n$1\r\n5\r\n", "bzpopmin", "a", "s", "0");
    }
  }

  @Test
  void setOps() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      check(r, ":3\r\n", "zadd", "a", "1", "x", "2", "y", "3", "z");
      check(r, ":3\r\n", "zadd", "b", "10", "y", "20", "z", "30", "w");
      check(r, "*4\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nz\r\n$1\r\nw\r\n", "zunion", "2", "a", "b");
      check(r, "*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n$1\r\nw\r\n$2\r\n30\r\n", "zunion", "2", "a", "b", "withscores");
      check(r, "*8\r\n$1\r\nx\r\n$1\r\n2\r\n$1\r\ny\r\n$2\r\n34\r\n$1\r\nz\r\n$2\r\n66\r\n$1\r\nw\r\n$2\r\n90\r\n", "zunion", "2", "a", "b", "weights", "2", "3", "withscores");
      check(r, "*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$1\r\n2\r\n$1\r\nz\r\n$1\r\n3\r\n$1\r\nw\r\n$2\r\n30\r\n", "zunion", "2", "a", "b", "aggregate", "min", "withscores");
      check(r, "*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n10\r\n$1\r\nz\r\n$2\r\n20\r\n$1\r\nw\r\n$2\r\n30\r\n", "zunion", "2", "a", "b", "aggregate", "max", "withscores");
      check(r, "*4\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n", "zinter", "2", "a", "b", "withscores");
      check(r, "*4\r\n$1\r\ny\r\n$1\r\n2\r\n$1\r\nz\r\n$1\r\n3\r\n", "zinter", "2", "a", "b", "weights", "1", "0", "aggregate", "sum", "withscores");
      check(r, "*2\r\n$1\r\nx\r\n$1\r\n1\r\n", "zdiff", "2", "a", "b", "withscores");
      check(r, "*1\r\n$1\r\nw\r\n", "zdiff", "2", "b", "a");
      check(r, "*6\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$1\r\n2\r\n$1\r\nz\r\n$1\r\n3\r\n", "zdiff", "1", "a", "withscores");
      check(r, "*6\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$1\r\n2\r\n$1\r\nz\r\n$1\r\n3\r\n", "zunion", "2", "a", "nokey", "withscores");
      check(r, "*0\r\n", "zinter", "2", "a", "nokey");
      check(r, ":4\r\n", "zunionstore", "d", "2", "a", "b", "weights", "1", "-1");
      check(r, "*8\r\n$1\r\nw\r\n$3\r\n-30\r\n$1\r\nz\r\n$3\r\n-17\r\n$1\r\ny\r\n$2\r\n-8\r\n$1\r\nx\r\n$1\r\n1\r\n", "zrange", "d", "0", "-1", "withscores");
      check(r, ":2\r\n", "zinterstore", "d", "2", "a", "b", "aggregate", "max");
      check(r, "*4\r\n$1\r\ny\r\n$2\r\n10\r\n$1\r\nz\r\n$2\r\n20\r\n", "zrange", "d", "0", "-1", "withscores");
      check(r, ":1\r\n", "zdiffstore", "d", "2", "a", "b");
      check(r, "*2\r\n$1\r\nx\r\n$1\r\n1\r\n", "zrange", "d", "0", "-1", "withscores");
      check(r, ":0\r\n", "zinterstore", "d", "2", "a", "nokey");
      check(r, ":0\r\n", "exists", "d");
      check(r, ":2\r\n", "zintercard", "2", "a", "b");
      check(r, ":1\r\n", "zintercard", "2", "a", "b", "limit", "1");
      check(r, ":2\r\n", "zintercard", "2", "a", "b", "limit", "0");
      check(r, "-ERR LIMIT can't be negative\r\n", "zintercard", "2", "a", "b", "limit", "-1");
      check(r, "-ERR at least 1 input key is needed for 'zintercard' command\r\n", "zintercard", "0", "a");
      check(r, "-ERR syntax error\r\n", "zintercard", "2", "a");
      check(r, "-ERR syntax error\r\n", "zintercard", "2", "a", "b", "withscores");
      check(r, "-ERR at least 1 input key is needed for 'zunion' command\r\n", "zunion", "0", "a");
      check(r, "-ERR at least 1 input key is needed for 'zunionstore' command\r\n", "zunionstore", "d", "0", "a");
      check(r, "-ERR at least 1 input key is needed for 'zunion' command\r\n", "zunion", "-1", "a");
      check(r, "-ERR value is not an integer or out of range\r\n", "zunion", "x", "a");
      check(r, "-ERR syntax error\r\n", "zunion", "3", "a", "b");
      check(r, "-ERR syntax error\r\n", "zunion", "2", "a", "b", "weights", "1");
      check(r, "-ERR weight value is not a float\r\n", "zunion", "2", "a", "b", "weights", "1", "x");
      check(r, "-ERR syntax error\r\n", "zunion", "2", "a", "b", "aggregate", "avg");
      check(r, "-ERR syntax error\r\n", "zunion", "2", "a", "b", "aggregate");
      check(r, "-ERR syntax error\r\n", "zdiff", "2", "a", "b", "weights", "1", "1");
      check(r, "-ERR syntax error\r\n", "zunionstore", "d", "2", "a", "b", "withscores");
      check(r, "+OK\r\n", "set", "s", "v");
      check(r, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "zunion", "2", "a", "s");
      check(r, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "zunion", "2", "a", "s", "weights", "x");
      check(r, ":1\r\n", "zadd", "inf1", "inf", "m");
      check(r, ":1\r\n", "zadd", "ninf", "-inf", "m");
      check(r, "*2\r\n$1\r\nm\r\n$1\r\n0\r\n", "zunion", "2", "inf1", "ninf", "withscores");
      check(r, "*2\r\n$1\r\nm\r\n$1\r\n0\r\n", "zinter", "2", "inf1", "ninf", "withscores");
      check(r, "*2\r\n$1\r\nm\r\n$1\r\n0\r\n", "zunion", "1", "inf1", "weights", "0", "withscores");
      check(r, "*2\r\n$1\r\nm\r\n$1\r\n0\r\n", "zinter", "2", "inf1", "inf1", "weights", "0", "1", "aggregate", "min", "withscores");
    }
  }

  @Test
  void zrandmember() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      check(r, ":1\r\n", "zadd", "k", "1", "a");
      check(r, "$1\r\na\r\n", "zrandmember", "k");
      check(r, "*1\r\n$1\r\na\r\n", "zrandmember", "k", "1");
      check(r, "*2\r\n$1\r\na\r\n$1\r\n1\r\n", "zrandmember", "k", "1", "withscores");
      check(r, "*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n1\r\n", "zrandmember", "k", "-3", "withscores");
      check(r, "*1\r\n$1\r\na\r\n", "zrandmember", "k", "5");
      check(r, "*0\r\n", "zrandmember", "k", "0");
      check(r, "*0\r\n", "zrandmember", "k", "0", "withscores");
      check(r, "$-1\r\n", "zrandmember", "nokey");
      check(r, "*0\r\n", "zrandmember", "nokey", "5");
      check(r, "-ERR value is not an integer or out of range\r\n", "zrandmember", "k", "x");
      check(r, "-ERR syntax error\r\n", "zrandmember", "k", "1", "foo");
      check(r, "-ERR syntax error\r\n", "zrandmember", "k", "1", "withscores", "x");
      check(r, "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n", "zrandmember", "k", "-9223372036854775808");
      check(r, "-ERR value is out of range\r\n", "zrandmember", "k", "9223372036854775807", "withscores");
      check(r, "-ERR value is out of range\r\n", "zrandmember", "k", "-9223372036854775807", "withscores");
      check(r, "+OK\r\n", "set", "s", "v");
      check(r, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "zrandmember", "s");
      check(r, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "zrandmember", "s", "1");
    }
  }

  @Test
  void zscan() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      check(r, ":3\r\n", "zadd", "k", "1", "a", "2", "b", "1.5", "c");
      check(r, "*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nc\r\n$3\r\n1.5\r\n$1\r\nb\r\n$1\r\n2\r\n", "zscan", "k", "0");
      check(r, "*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n", "zscan", "k", "0", "match", "a*", "count", "5");
      check(r, "-ERR syntax error\r\n", "zscan", "k", "0", "count", "0");
      check(r, "-ERR invalid cursor\r\n", "zscan", "k", "x");
      check(r, "*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nc\r\n$3\r\n1.5\r\n$1\r\nb\r\n$1\r\n2\r\n", "zscan", "k", "-1");
      check(r, "-ERR syntax error\r\n", "zscan", "k", "0", "match");
      check(r, "-ERR syntax error\r\n", "zscan", "k", "0", "foo", "bar");
      check(r, "*2\r\n$1\r\n0\r\n*0\r\n", "zscan", "nokey", "0");
      check(r, "+OK\r\n", "set", "s", "v");
      check(r, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "zscan", "s", "0");
    }
  }

  @Test
  void arity() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      check(r, "-ERR wrong number of arguments for 'zadd' command\r\n", "zadd", "k", "1");
      check(r, "-ERR wrong number of arguments for 'zscore' command\r\n", "zscore", "k");
      check(r, "-ERR wrong number of arguments for 'zrange' command\r\n", "zrange", "k", "0");
      check(r, "-ERR wrong number of arguments for 'zcard' command\r\n", "zcard");
      check(r, "-ERR wrong number of arguments for 'zpopmin' command\r\n", "zpopmin");
      check(r, "-ERR wrong number of arguments for 'bzpopmin' command\r\n", "bzpopmin", "k");
      check(r, "-ERR wrong number of arguments for 'zmpop' command\r\n", "zmpop", "1", "k");
      check(r, "-ERR wrong number of arguments for 'zunion' command\r\n", "zunion", "1");
      check(r, "-ERR wrong number of arguments for 'zrandmember' command\r\n", "zrandmember");
      check(r, "-ERR wrong number of arguments for 'zscan' command\r\n", "zscan", "k");
      check(r, "-ERR wrong number of arguments for 'zrangestore' command\r\n", "zrangestore", "d", "k", "0");
    }
  }

  @Test
  void zaddOptionsResp3() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("HELLO", "3");
      check(r, ":2\r\n", "zadd", "k", "1", "a", "2", "b");
      check(r, ":1\r\n", "zadd", "k", "3", "a", "4", "c");
      check(r, ":2\r\n", "zadd", "k", "ch", "5", "a", "2", "b", "6", "d");
      check(r, ":1\r\n", "zadd", "k", "nx", "10", "a", "10", "e");
      check(r, ":0\r\n", "zadd", "k", "xx", "11", "a", "11", "f");
      check(r, ":1\r\n", "zadd", "k", "xx", "ch", "12", "a", "12", "f");
      check(r, ":0\r\n", "zadd", "k", "gt", "1", "a", "20", "b");
      check(r, ":1\r\n", "zadd", "k", "lt", "ch", "100", "a", "1", "b");
      check(r, ":1\r\n", "zadd", "k", "gt", "xx", "ch", "50", "c");
      check(r, ",14.5\r\n", "zadd", "k", "incr", "2.5", "a");
      check(r, "_\r\n", "zadd", "k", "incr", "nx", "1", "a");
      check(r, "_\r\n", "zadd", "k", "incr", "xx", "1", "zz");
      check(r, "_\r\n", "zadd", "k", "incr", "gt", "-1", "a");
      check(r, "-ERR XX and NX options at the same time are not compatible\r\n", "zadd", "k", "xx", "nx", "1", "a");
      check(r, "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n", "zadd", "k", "gt", "lt", "1", "a");
      check(r, "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n", "zadd", "k", "nx", "gt", "1", "a");
      check(r, "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n", "zadd", "k", "nx", "lt", "1", "a");
      check(r, "-ERR INCR option supports a single increment-element pair\r\n", "zadd", "k", "incr", "1", "a", "2", "b");
      check(r, "-ERR wrong number of arguments for 'zadd' command\r\n", "zadd", "k", "1");
      check(r, "-ERR syntax error\r\n", "zadd", "k", "1", "a", "2");
      check(r, "-ERR value is not a valid float\r\n", "zadd", "k", "nan", "a");
      check(r, "-ERR value is not a valid float\r\n", "zadd", "k", "abc", "a");
      check(r, "-ERR value is not a valid float\r\n", "zadd", "k", "", "a");
      check(r, "-ERR value is not a valid float\r\n", "zadd", "k", " 1", "a");
      check(r, "-ERR value is not a valid float\r\n", "zadd", "k", "1e400", "a");
      check(r, ":3\r\n", "zadd", "k", "inf", "i", "-inf", "j", "+inf", "l");
      check(r, ":4\r\n", "zadd", "k", "0x10", "hex", "1e2", "ex", "2.", "dot", ".5", "half");
      check(r, "*12\r\n*2\r\n$1\r\nj\r\n,-inf\r\n*2\r\n$4\r\nhalf\r\n,0.5\r\n*2\r\n$1\r\nb\r\n,1\r\n*2\r\n$3\r\ndot\r\n,2\r\n*2\r\n$1\r\nd\r\n,6\r\n*2\r\n$1\r\ne\r\n,10\r\n*2\r\n$1\r\na\r\n,14.5\r\n*2\r\n$3\r\nhex\r\n,16\r\n*2\r\n$1\r\nc\r\n,50\r\n*2\r\n$2\r\nex\r\n,100\r\n*2\r\n$1\r\ni\r\n,inf\r\n*2\r\n$1\r\nl\r\n,inf\r\n", "zrange", "k", "0", "-1", "withscores");
      check(r, ":0\r\n", "zadd", "nokey", "xx", "1", "a");
      check(r, ":0\r\n", "exists", "nokey");
      check(r, "-ERR wrong number of arguments for 'zadd' command\r\n", "zadd", "k");
    }
  }

  @Test
  void scoresFormattingResp3() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("HELLO", "3");
      check(r, ":10\r\n", "zadd", "k", "1.1", "a", "0.1", "b", "3.0000000000000001", "c", "1e20", "d", "123456789012345678", "e", "-0", "f", "1e-5", "g", "0.0001", "h", "100000000000000000", "i", "12345678901234567", "j");
      check(r, "*10\r\n*2\r\n$1\r\nf\r\n,0\r\n*2\r\n$1\r\ng\r\n,1.0000000000000001e-05\r\n*2\r\n$1\r\nh\r\n,0.0001\r\n*2\r\n$1\r\nb\r\n,0.10000000000000001\r\n*2\r\n$1\r\na\r\n,1.1000000000000001\r\n*2\r\n$1\r\nc\r\n,3\r\n*2\r\n$1\r\nj\r\n,12345678901234568\r\n*2\r\n$1\r\ni\r\n,1e+17\r\n*2\r\n$1\r\ne\r\n,1.2345678901234568e+17\r\n*2\r\n$1\r\nd\r\n,1e+20\r\n", "zrange", "k", "0", "-1", "withscores");
      check(r, ",1.1000000000000001\r\n", "zscore", "k", "a");
      check(r, "*4\r\n,1.1000000000000001\r\n,0.10000000000000001\r\n_\r\n,3\r\n", "zmscore", "k", "a", "b", "nosuch", "c");
      check(r, ",0.30000000000000004\r\n", "zincrby", "k", "0.2", "b");
      check(r, "_\r\n", "zscore", "nokey", "a");
      check(r, "*2\r\n_\r\n_\r\n", "zmscore", "nokey", "a", "b");
      check(r, "_\r\n", "zscore", "k", "nosuch");
      check(r, ":10\r\n", "zcard", "k");
      check(r, ":0\r\n", "zcard", "nokey");
    }
  }

  @Test
  void zrangeRankResp3() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("HELLO", "3");
      check(r, ":5\r\n", "zadd", "k", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
      check(r, "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n", "zrange", "k", "0", "-1");
      check(r, "*2\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\nc\r\n,3\r\n", "zrange", "k", "1", "2", "withscores");
      check(r, "*2\r\n$1\r\nd\r\n$1\r\ne\r\n", "zrange", "k", "-2", "-1");
      check(r, "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n", "zrange", "k", "-100", "100");
      check(r, "*0\r\n", "zrange", "k", "3", "1");
      check(r, "*0\r\n", "zrange", "k", "5", "10");
      check(r, "*5\r\n$1\r\ne\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n", "zrange", "k", "0", "-1", "rev");
      check(r, "*2\r\n*2\r\n$1\r\ne\r\n,5\r\n*2\r\n$1\r\nd\r\n,4\r\n", "zrange", "k", "0", "1", "rev", "withscores");
      check(r, "*2\r\n$1\r\ne\r\n$1\r\nd\r\n", "zrevrange", "k", "0", "1");
      check(r, "*1\r\n*2\r\n$1\r\na\r\n,1\r\n", "zrevrange", "k", "-1", "-1", "withscores");
      check(r, "-ERR syntax error\r\n", "zrevrange", "k", "0", "-1", "withscores", "extra");
      check(r, "-ERR value is not an integer or out of range\r\n", "zrange", "k", "a", "1");
      check(r, "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n", "zrange", "k", "0", "1", "limit", "0", "1");
      check(r, "-ERR syntax error\r\n", "zrange", "k", "0", "1", "rev", "rev");
      check(r, "*0\r\n", "zrange", "nokey", "0", "-1");
      check(r, "*5\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\nc\r\n,3\r\n*2\r\n$1\r\nd\r\n,4\r\n*2\r\n$1\r\ne\r\n,5\r\n", "zrange", "k", "0", "-1", "withscores", "withscores");
      check(r, "*0\r\n", "zrange", "k", "9223372036854775807", "-9223372036854775808");
    }
  }

  @Test
  void zrangeByScoreResp3() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("HELLO", "3");
      check(r, ":5\r\n", "zadd", "k", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
      check(r, "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n", "zrange", "k", "2", "4", "byscore");
      check(r, "*2\r\n*2\r\n$1\r\nc\r\n,3\r\n*2\r\n$1\r\nd\r\n,4\r\n", "zrange", "k", "(2", "4", "byscore", "withscores");
      check(r, "*2\r\n$1\r\nb\r\n$1\r\nc\r\n", "zrange", "k", "2", "(4", "byscore");
      check(r, "*2\r\n$1\r\nb\r\n$1\r\nc\r\n", "zrange", "k", "-inf", "+inf", "byscore", "limit", "1", "2");
      check(r, "*4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n", "zrange", "k", "-inf", "+inf", "byscore", "limit", "1", "-1");
      check(r, "*0\r\n", "zrange", "k", "-inf", "+inf", "byscore", "limit", "-1", "2");
      check(r, "*0\r\n", "zrange", "k", "-inf", "+inf", "byscore", "limit", "0", "0");
      check(r, "*3\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n", "zrange", "k", "4", "2", "byscore", "rev");
      check(r, "*2\r\n*2\r\n$1\r\nd\r\n,4\r\n*2\r\n$1\r\nc\r\n,3\r\n", "zrange", "k", "+inf", "-inf", "byscore", "rev", "limit", "1", "2", "withscores");
      check(r, "-ERR min or max is not a float\r\n", "zrange", "k", "x", "2", "byscore");
      check(r, "*2\r\n$1\r\na\r\n$1\r\nb\r\n", "zrange", "k", "(", "2", "byscore");
      check(r, "-ERR min or max is not a float\r\n", "zrange", "k", "1", "nan", "byscore");
      check(r, "-ERR syntax error\r\n", "zrange", "k", "1", "2", "byscore", "limit", "1");
      check(r, "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n", "zrangebyscore", "k", "2", "4");
      check(r, "*3\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\nc\r\n,3\r\n*2\r\n$1\r\nd\r\n,4\r\n", "zrangebyscore", "k", "(1", "(5", "withscores");
      check(r, "*3\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n", "zrangebyscore", "k", "-inf", "inf", "limit", "2", "10");
      check(r, "-ERR syntax error\r\n", "zrangebyscore", "k", "-inf", "inf", "limit", "2");
      check(r, "-ERR syntax error\r\n", "zrangebyscore", "k", "-inf", "inf", "rev");
      check(r, "*0\r\n", "zrangebyscore", "k", "5", "1");
      check(r, "*3\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n", "zrevrangebyscore", "k", "4", "2");
      check(r, "*2\r\n*2\r\n$1\r\ne\r\n,5\r\n*2\r\n$1\r\nd\r\n,4\r\n", "zrevrangebyscore", "k", "+inf", "-inf", "withscores", "limit", "0", "2");
      check(r, "*1\r\n$1\r\nc\r\n", "zrevrangebyscore", "k", "(4", "(2");
      check(r, "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", "zrangebyscore", "k", "", "3");
      check(r, "*2\r\n$1\r\nb\r\n$1\r\nc\r\n", "zrangebyscore", "k", " 2", "3");
      check(r, "*0\r\n", "zrangebyscore", "k", "1e400", "inf");
      check(r, "*2\r\n$1\r\nb\r\n$1\r\nc\r\n", "zrangebyscore", "k", "0x2", "3");
      check(r, "*0\r\n", "zrangebyscore", "nokey", "0", "1");
      check(r, ":3\r\n", "zcount", "k", "2", "4");
      check(r, ":1\r\n", "zcount", "k", "(2", "(4");
      check(r, ":5\r\n", "zcount", "k", "-inf", "+inf");
      check(r, ":0\r\n", "zcount", "k", "5", "1");
      check(r, "-ERR min or max is not a float\r\n", "zcount", "k", "x", "1");
      check(r, ":0\r\n", "zcount", "nokey", "0", "1");
    }
  }

  @Test
  void popsResp3() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("HELLO", "3");
      check(r, ":4\r\n", "zadd", "k", "1", "a", "2", "b", "3", "c", "4", "d");
      check(r, "*2\r\n$1\r\na\r\n,1\r\n", "zpopmin", "k");
      check(r, "*2\r\n$1\r\nd\r\n,4\r\n", "zpopmax", "k");
      check(r, "*0\r\n", "zpopmin", "k", "0");
      check(r, "-ERR value is out of range, must be positive\r\n", "zpopmin", "k", "-1");
      check(r, "-ERR value is out of range, must be positive\r\n", "zpopmin", "k", "x");
      check(r, "-ERR syntax error\r\n", "zpopmin", "k", "1", "2");
      check(r, ":2\r\n", "zadd", "k", "5", "e", "6", "f");
      check(r, "*2\r\n*2\r\n$1\r\nf\r\n,6\r\n*2\r\n$1\r\ne\r\n,5\r\n", "zpopmax", "k", "2");
      check(r, "*2\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\nc\r\n,3\r\n", "zpopmin", "k", "10");
      check(r, ":0\r\n", "exists", "k");
      check(r, "*0\r\n", "zpopmin", "nokey");
      check(r, "*0\r\n", "zpopmin", "nokey", "3");
      check(r, "+OK\r\n", "set", "s", "v");
      check(r, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "zpopmin", "s");
      check(r, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "zpopmin", "s", "0");
    }
  }

  @Test
  void zmpopResp3() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("HELLO", "3");
      check(r, ":3\r\n", "zadd", "a", "1", "x", "2", "y", "3", "z");
      check(r, ":1\r\n", "zadd", "b", "10", "p");
      check(r, "*2\r\n$1\r\na\r\n*1\r\n*2\r\n$1\r\nx\r\n,1\r\n", "zmpop", "2", "nokey", "a", "min");
      check(r, "*2\r\n$1\r\na\r\n*2\r\n*2\r\n$1\r\nz\r\n,3\r\n*2\r\n$1\r\ny\r\n,2\r\n", "zmpop", "2", "a", "b", "max", "count", "10");
      check(r, "*2\r\n$1\r\nb\r\n*1\r\n*2\r\n$1\r\np\r\n,10\r\n", "zmpop", "2", "a", "b", "min", "count", "5");
      check(r, ":0\r\n", "exists", "a", "b");
      check(r, "_\r\n", "zmpop", "1", "b", "min");
      check(r, "-ERR numkeys should be greater than 0\r\n", "zmpop", "0", "a", "min");
      check(r, "-ERR numkeys should be greater than 0\r\n", "zmpop", "-1", "a", "min");
      check(r, "-ERR numkeys should be greater than 0\r\n", "zmpop", "x", "a", "min");
      check(r, "-ERR wrong number of arguments for 'zmpop' command\r\n", "zmpop", "1", "a");
      check(r, "-ERR syntax error\r\n", "zmpop", "1", "a", "foo");
      check(r, "-ERR syntax error\r\n", "zmpop", "3", "a", "min");
      check(r, "-ERR count should be greater than 0\r\n", "zmpop", "1", "a", "min", "count", "0");
      check(r, "-ERR count should be greater than 0\r\n", "zmpop", "1", "a", "min", "count", "x");
      check(r, "-ERR syntax error\r\n", "zmpop", "1", "a", "min", "count", "1", "count", "1");
      check(r, "-ERR syntax error\r\n", "zmpop", "1", "a", "min", "extra");
      check(r, "+OK\r\n", "set", "s", "v");
      check(r, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "zmpop", "2", "s", "a", "min");
      check(r, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "zmpop", "2", "nokey", "s", "min");
    }
  }

  @Test
  void bzpopNonBlockingResp3() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("HELLO", "3");
      check(r, ":2\r\n", "zadd", "a", "1", "x", "2", "y");
      check(r, "*3\r\n$1\r\na\r\n$1\r\nx\r\n,1\r\n", "bzpopmin", "nokey", "a", "0");
      check(r, "*3\r\n$1\r\na\r\n$1\r\ny\r\n,2\r\n", "bzpopmax", "a", "0");
      check(r, "-ERR timeout is negative\r\n", "bzpopmin", "a", "-1");
      check(r, "-ERR timeout is not a float or out of range\r\n", "bzpopmin", "a", "abc");
      check(r, "-ERR timeout is negative\r\n", "bzpopmin", "a", "inf");
      check(r, ":3\r\n", "zadd", "a", "1", "x", "2", "y", "3", "z");
      check(r, "*2\r\n$1\r\na\r\n*1\r\n*2\r\n$1\r\nx\r\n,1\r\n", "bzmpop", "0", "1", "a", "min");
      check(r, "*2\r\n$1\r\na\r\n*2\r\n*2\r\n$1\r\ny\r\n,2\r\n*2\r\n$1\r\nz\r\n,3\r\n", "bzmpop", "0", "1", "a", "min", "count", "5");
      check(r, "_\r\n", "bzmpop", "0.01", "1", "a", "min");
      check(r, "_\r\n", "bzmpop", "0.01", "1", "a", "min");
      check(r, "-ERR timeout is negative\r\n", "bzmpop", "-1", "1", "a", "min");
      check(r, "-ERR numkeys should be greater than 0\r\n", "bzmpop", "0", "0", "a", "min");
      check(r, "+OK\r\n", "set", "s", "v");
      check(r, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "bzpopmin", "s", "0");
      check(r, ":1\r\n", "zadd", "a", "5", "z");
      check(r, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "bzpopmin", "nokey", "s", "a", "0");
      check(r, "*3\r\n$1\r\na\r\n$1\r\nz\r\n,5\r\n", "bzpopmin", "a", "s", "0");
    }
  }

  @Test
  void setOpsResp3() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("HELLO", "3");
      check(r, ":3\r\n", "zadd", "a", "1", "x", "2", "y", "3", "z");
      check(r, ":3\r\n", "zadd", "b", "10", "y", "20", "z", "30", "w");
      check(r, "*4\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nz\r\n$1\r\nw\r\n", "zunion", "2", "a", "b");
      check(r, "*4\r\n*2\r\n$1\r\nx\r\n,1\r\n*2\r\n$1\r\ny\r\n,12\r\n*2\r\n$1\r\nz\r\n,23\r\n*2\r\n$1\r\nw\r\n,30\r\n", "zunion", "2", "a", "b", "withscores");
      check(r, "*4\r\n*2\r\n$1\r\nx\r\n,2\r\n*2\r\n$1\r\ny\r\n,34\r\n*2\r\n$1\r\nz\r\n,66\r\n*2\r\n$1\r\nw\r\n,90\r\n", "zunion", "2", "a", "b", "weights", "2", "3", "withscores");
      check(r, "*4\r\n*2\r\n$1\r\nx\r\n,1\r\n*2\r\n$1\r\ny\r\n,2\r\n*2\r\n$1\r\nz\r\n,3\r\n*2\r\n$1\r\nw\r\n,30\r\n", "zunion", "2", "a", "b", "aggregate", "min", "withscores");
      check(r, "*4\r\n*2\r\n$1\r\nx\r\n,1\r\n*2\r\n$1\r\ny\r\n,10\r\n*2\r\n$1\r\nz\r\n,20\r\n*2\r\n$1\r\nw\r\n,30\r\n", "zunion", "2", "a", "b", "aggregate", "max", "withscores");
      check(r, "*2\r\n*2\r\n$1\r\ny\r\n,12\r\n*2\r\n$1\r\nz\r\n,23\r\n", "zinter", "2", "a", "b", "withscores");
      check(r, "*2\r\n*2\r\n$1\r\ny\r\n,2\r\n*2\r\n$1\r\nz\r\n,3\r\n", "zinter", "2", "a", "b", "weights", "1", "0", "aggregate", "sum", "withscores");
      check(r, "*1\r\n*2\r\n$1\r\nx\r\n,1\r\n", "zdiff", "2", "a", "b", "withscores");
      check(r, "*1\r\n$1\r\nw\r\n", "zdiff", "2", "b", "a");
      check(r, "*3\r\n*2\r\n$1\r\nx\r\n,1\r\n*2\r\n$1\r\ny\r\n,2\r\n*2\r\n$1\r\nz\r\n,3\r\n", "zdiff", "1", "a", "withscores");
      check(r, "*3\r\n*2\r\n$1\r\nx\r\n,1\r\n*2\r\n$1\r\ny\r\n,2\r\n*2\r\n$1\r\nz\r\n,3\r\n", "zunion", "2", "a", "nokey", "withscores");
      check(r, "*0\r\n", "zinter", "2", "a", "nokey");
      check(r, ":4\r\n", "zunionstore", "d", "2", "a", "b", "weights", "1", "-1");
      check(r, "*4\r\n*2\r\n$1\r\nw\r\n,-30\r\n*2\r\n$1\r\nz\r\n,-17\r\n*2\r\n$1\r\ny\r\n,-8\r\n*2\r\n$1\r\nx\r\n,1\r\n", "zrange", "d", "0", "-1", "withscores");
      check(r, ":2\r\n", "zinterstore", "d", "2", "a", "b", "aggregate", "max");
      check(r, "*2\r\n*2\r\n$1\r\ny\r\n,10\r\n*2\r\n$1\r\nz\r\n,20\r\n", "zrange", "d", "0", "-1", "withscores");
      check(r, ":1\r\n", "zdiffstore", "d", "2", "a", "b");
      check(r, "*1\r\n*2\r\n$1\r\nx\r\n,1\r\n", "zrange", "d", "0", "-1", "withscores");
      check(r, ":0\r\n", "zinterstore", "d", "2", "a", "nokey");
      check(r, ":0\r\n", "exists", "d");
      check(r, ":2\r\n", "zintercard", "2", "a", "b");
      check(r, ":1\r\n", "zintercard", "2", "a", "b", "limit", "1");
      check(r, ":2\r\n", "zintercard", "2", "a", "b", "limit", "0");
      check(r, "-ERR LIMIT can't be negative\r\n", "zintercard", "2", "a", "b", "limit", "-1");
      check(r, "-ERR at least 1 input key is needed for 'zintercard' command\r\n", "zintercard", "0", "a");
      check(r, "-ERR syntax error\r\n", "zintercard", "2", "a");
      check(r, "-ERR syntax error\r\n", "zintercard", "2", "a", "b", "withscores");
      check(r, "-ERR at least 1 input key is needed for 'zunion' command\r\n", "zunion", "0", "a");
      check(r, "-ERR at least 1 input key is needed for 'zunionstore' command\r\n", "zunionstore", "d", "0", "a");
      check(r, "-ERR at least 1 input key is needed for 'zunion' command\r\n", "zunion", "-1", "a");
      check(r, "-ERR value is not an integer or out of range\r\n", "zunion", "x", "a");
      check(r, "-ERR syntax error\r\n", "zunion", "3", "a", "b");
      check(r, "-ERR syntax error\r\n", "zunion", "2", "a", "b", "weights", "1");
      check(r, "-ERR weight value is not a float\r\n", "zunion", "2", "a", "b", "weights", "1", "x");
      check(r, "-ERR syntax error\r\n", "zunion", "2", "a", "b", "aggregate", "avg");
      check(r, "-ERR syntax error\r\n", "zunion", "2", "a", "b", "aggregate");
      check(r, "-ERR syntax error\r\n", "zdiff", "2", "a", "b", "weights", "1", "1");
      check(r, "-ERR syntax error\r\n", "zunionstore", "d", "2", "a", "b", "withscores");
      check(r, "+OK\r\n", "set", "s", "v");
      check(r, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "zunion", "2", "a", "s");
      check(r, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "zunion", "2", "a", "s", "weights", "x");
      check(r, ":1\r\n", "zadd", "inf1", "inf", "m");
      check(r, ":1\r\n", "zadd", "ninf", "-inf", "m");
      check(r, "*1\r\n*2\r\n$1\r\nm\r\n,0\r\n", "zunion", "2", "inf1", "ninf", "withscores");
      check(r, "*1\r\n*2\r\n$1\r\nm\r\n,0\r\n", "zinter", "2", "inf1", "ninf", "withscores");
      check(r, "*1\r\n*2\r\n$1\r\nm\r\n,0\r\n", "zunion", "1", "inf1", "weights", "0", "withscores");
      check(r, "*1\r\n*2\r\n$1\r\nm\r\n,0\r\n", "zinter", "2", "inf1", "inf1", "weights", "0", "1", "aggregate", "min", "withscores");
    }
  }

  @Test
  void zrandmemberResp3() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("HELLO", "3");
      check(r, ":1\r\n", "zadd", "k", "1", "a");
      check(r, "$1\r\na\r\n", "zrandmember", "k");
      check(r, "*1\r\n$1\r\na\r\n", "zrandmember", "k", "1");
      check(r, "*1\r\n*2\r\n$1\r\na\r\n,1\r\n", "zrandmember", "k", "1", "withscores");
      check(r, "*3\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\na\r\n,1\r\n", "zrandmember", "k", "-3", "withscores");
      check(r, "*1\r\n$1\r\na\r\n", "zrandmember", "k", "5");
      check(r, "*0\r\n", "zrandmember", "k", "0");
      check(r, "*0\r\n", "zrandmember", "k", "0", "withscores");
      check(r, "_\r\n", "zrandmember", "nokey");
      check(r, "*0\r\n", "zrandmember", "nokey", "5");
      check(r, "-ERR value is not an integer or out of range\r\n", "zrandmember", "k", "x");
      check(r, "-ERR syntax error\r\n", "zrandmember", "k", "1", "foo");
      check(r, "-ERR syntax error\r\n", "zrandmember", "k", "1", "withscores", "x");
      check(r, "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n", "zrandmember", "k", "-9223372036854775808");
      check(r, "-ERR value is out of range\r\n", "zrandmember", "k", "9223372036854775807", "withscores");
      check(r, "-ERR value is out of range\r\n", "zrandmember", "k", "-9223372036854775807", "withscores");
      check(r, "+OK\r\n", "set", "s", "v");
      check(r, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "zrandmember", "s");
      check(r, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "zrandmember", "s", "1");
    }
  }


  @Test
  void encodingFollowsLimitsOneWay() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      check(r, "+OK\r\n", "CONFIG", "SET", "zset-max-listpack-entries", "2");
      check(r, ":2\r\n", "ZADD", "k", "1", "a", "2", "b");
      check(r, "$8\r\nlistpack\r\n", "OBJECT", "ENCODING", "k");
      check(r, ":1\r\n", "ZADD", "k", "3", "c");
      check(r, "$8\r\nskiplist\r\n", "OBJECT", "ENCODING", "k");
      check(r, ":2\r\n", "ZREM", "k", "c", "b");
      check(r, "$8\r\nskiplist\r\n", "OBJECT", "ENCODING", "k");
      check(r, "+OK\r\n", "CONFIG", "SET", "zset-max-listpack-entries", "128");
      check(r, "+OK\r\n", "CONFIG", "SET", "zset-max-listpack-value", "3");
      check(r, ":1\r\n", "ZADD", "j", "1", "abcd");
      check(r, "$8\r\nskiplist\r\n", "OBJECT", "ENCODING", "j");
      check(r, ":2\r\n", "ZADD", "h", "1", "abc", "2", "abcde");
      check(r, "$8\r\nskiplist\r\n", "OBJECT", "ENCODING", "h");
      check(r, ":2\r\n", "ZUNIONSTORE", "u", "1", "h");
      check(r, "$8\r\nskiplist\r\n", "OBJECT", "ENCODING", "u");
      check(r, ":1\r\n", "ZRANGESTORE", "u2", "h", "0", "0");
      check(r, "$8\r\nlistpack\r\n", "OBJECT", "ENCODING", "u2");
      check(r, "+zset\r\n", "TYPE", "u2");
    }
  }

  @Test
  void largeSetRanksAndFullScan() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      List<String> args = new ArrayList<>(List.of("ZADD", "big"));
      for (int i = 0; i < 1000; i++) {
        args.add(Integer.toString(i % 100));
        args.add("m" + i);
      }
      check(r, ":1000\r\n", args.toArray(new String[0]));
      check(r, "$8\r\nskiplist\r\n", "OBJECT", "ENCODING", "big");
      // score 0: m0, m100, ..., m900 in byte order; score 1 starts at rank 10
      check(r, ":0\r\n", "ZRANK", "big", "m0");
      check(r, ":1\r\n", "ZRANK", "big", "m100");
      check(r, ":10\r\n", "ZRANK", "big", "m1");
      check(r, ":989\r\n", "ZREVRANK", "big", "m1");
      check(r, "*2\r\n$2\r\nm1\r\n$1\r\n1\r\n", "ZRANGE", "big", "10", "10", "WITHSCORES");
      check(r, ":30\r\n", "ZCOUNT", "big", "(1", "4");
      Set<String> seen = new HashSet<>();
      String cursor = "0";
      do {
        String reply = r.call("ZSCAN", "big", cursor, "COUNT", "37");
        String[] lines = reply.split("\r\n");
        cursor = lines[2];
        for (int i = 5; i < lines.length; i += 4) seen.add(lines[i]);
      } while (!cursor.equals("0"));
      assertEquals(1000, seen.size());
      check(r, ":500\r\n", "ZREMRANGEBYRANK", "big", "0", "499");
      check(r, ":4\r\n", "ZRANK", "big", "m50");
      check(r, ":500\r\n", "ZCARD", "big");
    }
  }
}
