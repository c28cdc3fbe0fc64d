package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Replies compared byte for byte with those of Redis 7.0.15 for the same commands. */
class BitLimitsTest {
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
  void offsetsFollowProtoMaxBulkLen() {
    try (RespClient r = node.client()) {
      r.call("FLUSHALL");
      assertEquals("+OK\r\n", r.call("CONFIG", "SET", "proto-max-bulk-len", "1mb"));
      assertEquals("-ERR bit offset is not an integer or out of range\r\n", r.call("SETBIT", "k", "8388608", "1"));
      assertEquals("-ERR bit offset is not an integer or out of range\r\n", r.call("GETBIT", "k", "8388608"));
      assertEquals(":0\r\n", r.call("EXISTS", "k"));
      assertEquals(":0\r\n", r.call("SETBIT", "k", "8388607", "1"));
      assertEquals(":1048576\r\n", r.call("STRLEN", "k"));
      assertEquals(":1\r\n", r.call("GETBIT", "k", "8388607"));
      assertEquals(":1\r\n", r.call("BITCOUNT", "k"));
      assertEquals(":8388607\r\n", r.call("BITPOS", "k", "1"));
      assertEquals(":8388600\r\n", r.call("BITPOS", "k", "0", "-1"));
      assertEquals(":8388607\r\n", r.call("BITPOS", "k", "1", "-1", "-1", "BIT"));
      assertEquals(":1\r\n", r.call("BITCOUNT", "k", "-8", "-1", "BIT"));
      assertEquals("-ERR bit offset is not an integer or out of range\r\n", r.call("BITFIELD", "k", "GET", "u8", "#1048576"));
      assertEquals("*2\r\n:1\r\n:1\r\n", r.call("BITFIELD", "k", "GET", "u8", "#1048575", "GET", "i64", "#131071"));
      assertEquals("*1\r\n:128\r\n", r.call("BITFIELD", "k", "SET", "u8", "8388607", "255"));
      assertEquals(":1048577\r\n", r.call("STRLEN", "k"));
      assertEquals("-ERR bit offset is not an integer or out of range\r\n", r.call("BITFIELD", "k", "GET", "u16", "8388600", "GET", "u8", "8388608"));
      assertEquals("*1\r\n:-72057594037927937\r\n", r.call("BITFIELD", "k", "INCRBY", "i64", "8388607", "-1"));
      assertEquals(":1048584\r\n", r.call("STRLEN", "k"));
      assertEquals(":1048584\r\n", r.call("BITOP", "NOT", "n", "k"));
      assertEquals(":8388609\r\n", r.call("BITCOUNT", "n"));
      assertEquals(":1048584\r\n", r.call("STRLEN", "n"));
      assertEquals("+OK\r\n", r.call("CONFIG", "SET", "proto-max-bulk-len", "536870912"));
    }
  }

  @Test
  void binaryValues() {
    try (RespClient r = node.client()) {
      r.call("FLUSHALL");
      assertEquals("+OK\r\n", r.call("SET", "a", "\u00f1and\u00fa\u0000x"));
      assertEquals("+OK\r\n", r.call("SET", "b", "nandu\u0000\u00f1"));
      assertEquals("$4\r\nand\u0000\r\n", r.call("LCS", "a", "b"));
      assertEquals("*4\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:7\r\n:7\r\n*2\r\n:5\r\n:5\r\n:1\r\n*3\r\n*2\r\n:2\r\n:4\r\n*2\r\n:1\r\n:3\r\n:3\r\n$3\r\nlen\r\n:4\r\n", r.call("LCS", "a", "b", "IDX", "WITHMATCHLEN"));
      assertEquals(":32\r\n", r.call("BITCOUNT", "a"));
      assertEquals(":9\r\n", r.call("BITOP", "XOR", "d", "a", "b"));
      assertEquals("$9\r\n\u00ad\u00d0\u000f\n\u0011\u00c3y\u00b1x\r\n", r.call("GET", "d"));
      assertEquals(":9\r\n", r.call("BITOP", "NOT", "d", "a"));
      assertEquals("$9\r\n<N\u009e\u0091\u009b<E\u00ff\u0087\r\n", r.call("GET", "d"));
      assertEquals(":0\r\n", r.call("BITPOS", "d", "0"));
      assertEquals("*2\r\n:60\r\n:60\r\n", r.call("BITFIELD", "d", "GET", "i8", "0", "GET", "u8", "0"));
    }
  }

}
