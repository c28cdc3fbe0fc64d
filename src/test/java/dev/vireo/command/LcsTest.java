package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Replies compared byte for byte with those of Redis 7.0.15 for the same commands. */
class LcsTest {
  private static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.start();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void lcs() {
    try (RespClient r = node.client()) {
      r.call("FLUSHALL");
      assertEquals("+OK\r\n", r.call("MSET", "a", "ohmytext", "b", "mynewtext"));
      assertEquals("$6\r\nmytext\r\n", r.call("LCS", "a", "b"));
      assertEquals(":6\r\n", r.call("LCS", "a", "b", "LEN"));
      assertEquals(":6\r\n", r.call("LCS", "a", "b", "len"));
      assertEquals("*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n", r.call("LCS", "a", "b", "IDX"));
      assertEquals("*4\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n$3\r\nlen\r\n:6\r\n", r.call("LCS", "a", "b", "IDX", "MINMATCHLEN", "4"));
      assertEquals("*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n", r.call("LCS", "a", "b", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"));
      assertEquals("*4\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:6\r\n", r.call("LCS", "a", "b", "IDX", "WITHMATCHLEN"));
      assertEquals("*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n", r.call("LCS", "a", "b", "IDX", "MINMATCHLEN", "-5"));
      assertEquals("*4\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:5\r\n:8\r\n*2\r\n:4\r\n:7\r\n:4\r\n*3\r\n*2\r\n:0\r\n:1\r\n*2\r\n:2\r\n:3\r\n:2\r\n$3\r\nlen\r\n:6\r\n", r.call("LCS", "b", "a", "IDX", "WITHMATCHLEN"));
      assertEquals("$0\r\n\r\n", r.call("LCS", "a", "nokey"));
      assertEquals(":0\r\n", r.call("LCS", "a", "nokey", "LEN"));
      assertEquals("*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n", r.call("LCS", "a", "nokey", "IDX"));
      assertEquals("*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n", r.call("LCS", "n1", "n2", "IDX", "WITHMATCHLEN"));
      assertEquals("*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:0\r\n:7\r\n*2\r\n:0\r\n:7\r\n:8\r\n$3\r\nlen\r\n:8\r\n", r.call("LCS", "a", "a", "IDX", "WITHMATCHLEN"));
      assertEquals("$6\r\nmytext\r\n", r.call("LCS", "a", "b", "WITHMATCHLEN"));
      assertEquals("$6\r\nmytext\r\n", r.call("LCS", "a", "b", "MINMATCHLEN", "3"));
      assertEquals(":6\r\n", r.call("LCS", "a", "b", "LEN", "WITHMATCHLEN"));
      assertEquals("+OK\r\n", r.call("MSET", "x", "ABCBDAB", "y", "BDCABA"));
      assertEquals("$4\r\nBDAB\r\n", r.call("LCS", "x", "y"));
      assertEquals("$4\r\nBCBA\r\n", r.call("LCS", "y", "x"));
      assertEquals("*4\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:5\r\n:6\r\n*2\r\n:3\r\n:4\r\n:2\r\n*3\r\n*2\r\n:3\r\n:4\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:4\r\n", r.call("LCS", "x", "y", "IDX", "WITHMATCHLEN"));
      assertEquals("*4\r\n$7\r\nmatches\r\n*4\r\n*2\r\n*2\r\n:5\r\n:5\r\n*2\r\n:5\r\n:5\r\n*2\r\n*2\r\n:4\r\n:4\r\n*2\r\n:3\r\n:3\r\n*2\r\n*2\r\n:2\r\n:2\r\n*2\r\n:2\r\n:2\r\n*2\r\n*2\r\n:0\r\n:0\r\n*2\r\n:1\r\n:1\r\n$3\r\nlen\r\n:4\r\n", r.call("LCS", "y", "x", "IDX"));
      assertEquals("+OK\r\n", r.call("MSET", "p", "aaaa", "q", "aa"));
      assertEquals("*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:2\r\n", r.call("LCS", "p", "q", "IDX", "WITHMATCHLEN"));
      assertEquals("*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:0\r\n:1\r\n*2\r\n:2\r\n:3\r\n:2\r\n$3\r\nlen\r\n:2\r\n", r.call("LCS", "q", "p", "IDX", "WITHMATCHLEN"));
      assertEquals("+OK\r\n", r.call("MSET", "u", "abc", "v", "xyz"));
      assertEquals("$0\r\n\r\n", r.call("LCS", "u", "v"));
      assertEquals("*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n", r.call("LCS", "u", "v", "IDX"));
      assertEquals(":0\r\n", r.call("LCS", "u", "v", "LEN"));
      assertEquals("+OK\r\n", r.call("SET", "num", "12345"));
      assertEquals("+OK\r\n", r.call("SET", "num2", "2x4"));
      assertEquals("*4\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:3\r\n:3\r\n*2\r\n:2\r\n:2\r\n:1\r\n*3\r\n*2\r\n:1\r\n:1\r\n*2\r\n:0\r\n:0\r\n:1\r\n$3\r\nlen\r\n:2\r\n", r.call("LCS", "num", "num2", "IDX", "WITHMATCHLEN"));
    }
  }

  @Test
  void lcsErrors() {
    try (RespClient r = node.client()) {
      r.call("FLUSHALL");
      assertEquals("+OK\r\n", r.call("MSET", "a", "ohmytext", "b", "mynewtext"));
      assertEquals("-ERR If you want both the length and indexes, please just use IDX.\r\n", r.call("LCS", "a", "b", "LEN", "IDX"));
      assertEquals("-ERR If you want both the length and indexes, please just use IDX.\r\n", r.call("LCS", "a", "b", "IDX", "LEN"));
      assertEquals("-ERR syntax error\r\n", r.call("LCS", "a", "b", "FOO"));
      assertEquals("-ERR syntax error\r\n", r.call("LCS", "a", "b", "MINMATCHLEN"));
      assertEquals("-ERR value is not an integer or out of range\r\n", r.call("LCS", "a", "b", "MINMATCHLEN", "x"));
      assertEquals("-ERR value is not an integer or out of range\r\n", r.call("LCS", "a", "b", "IDX", "MINMATCHLEN", "1.5"));
      assertEquals("-ERR wrong number of arguments for 'lcs' command\r\n", r.call("LCS", "a"));
      assertEquals("-ERR syntax error\r\n", r.call("LCS", "a", "b", "LEN", "IDX", "FOO"));
      assertEquals("-ERR syntax error\r\n", r.call("LCS", "a", "b", "FOO", "LEN", "IDX"));
      r.call("DEL", "l");
      r.call("RPUSH", "l", "e");
      assertEquals("-ERR The specified keys must contain string values\r\n", r.call("LCS", "a", "l"));
      assertEquals("-ERR The specified keys must contain string values\r\n", r.call("LCS", "l", "a"));
      assertEquals("-ERR The specified keys must contain string values\r\n", r.call("LCS", "l", "nokey", "FOO"));
      assertEquals("-ERR The specified keys must contain string values\r\n", r.call("LCS", "nokey", "l", "LEN", "IDX"));
    }
  }

  @Test
  void lcsResp3() {
    try (RespClient r = node.client()) {
      r.call("FLUSHALL");
      r.call("HELLO", "3");
      assertEquals("+OK\r\n", r.call("MSET", "a", "ohmytext", "b", "mynewtext"));
      assertEquals("%2\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n", r.call("LCS", "a", "b", "IDX"));
      assertEquals("%2\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n", r.call("LCS", "a", "b", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"));
      assertEquals("%2\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n", r.call("LCS", "n1", "n2", "IDX"));
      assertEquals(":6\r\n", r.call("LCS", "a", "b", "LEN"));
      assertEquals("$6\r\nmytext\r\n", r.call("LCS", "a", "b"));
      assertEquals("$0\r\n\r\n", r.call("LCS", "n1", "n2"));
      assertEquals("*1\r\n_\r\n", r.call("BITFIELD", "a", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "8"));
    }
  }

}
