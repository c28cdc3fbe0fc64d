package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Replies compared byte for byte with those of Redis 7.0.15 for the same commands. */
class BitCommandsTest {
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
  void setbitAndGetbit() {
    try (RespClient r = node.client()) {
      r.call("FLUSHALL");
      assertEquals(":0\r\n", r.call("SETBIT", "k", "7", "1"));
      assertEquals("$1\r\n\u0001\r\n", r.call("GET", "k"));
      assertEquals(":1\r\n", r.call("SETBIT", "k", "7", "1"));
      assertEquals(":1\r\n", r.call("SETBIT", "k", "7", "0"));
      assertEquals(":0\r\n", r.call("GETBIT", "k", "7"));
      assertEquals(":0\r\n", r.call("SETBIT", "k", "0", "1"));
      assertEquals(":1\r\n", r.call("GETBIT", "k", "0"));
      assertEquals(":0\r\n", r.call("GETBIT", "k", "1"));
      assertEquals(":0\r\n", r.call("GETBIT", "k", "100"));
      assertEquals(":0\r\n", r.call("GETBIT", "nokey", "5"));
      assertEquals(":0\r\n", r.call("SETBIT", "k", "20", "1"));
      assertEquals(":3\r\n", r.call("STRLEN", "k"));
      assertEquals("$3\r\n\u0080\u0000\u0008\r\n", r.call("GET", "k"));
      assertEquals("$3\r\nraw\r\n", r.call("OBJECT", "ENCODING", "k"));
      assertEquals(":0\r\n", r.call("SETBIT", "n", "1", "1"));
      assertEquals(":0\r\n", r.call("SETBIT", "n", "2", "1"));
      assertEquals("$1\r\n`\r\n", r.call("GET", "n"));
      assertEquals(":0\r\n", r.call("SETBIT", "n", "63", "1"));
      assertEquals(":8\r\n", r.call("STRLEN", "n"));
      assertEquals("+OK\r\n", r.call("SET", "s", "1"));
      assertEquals("$3\r\nint\r\n", r.call("OBJECT", "ENCODING", "s"));
      assertEquals(":1\r\n", r.call("SETBIT", "s", "7", "0"));
      assertEquals("$1\r\n0\r\n", r.call("GET", "s"));
      assertEquals("$3\r\nraw\r\n", r.call("OBJECT", "ENCODING", "s"));
      assertEquals(":0\r\n", r.call("SETBIT", "t", "0", "1"));
      assertEquals("+OK\r\n", r.call("SET", "t", "a"));
      assertEquals(":1\r\n", r.call("EXPIRE", "t", "100"));
      assertEquals(":1\r\n", r.call("SETBIT", "t", "1", "1"));
      assertEquals(":100\r\n", r.call("TTL", "t"));
    }
  }

  @Test
  void setbitErrors() {
    try (RespClient r = node.client()) {
      r.call("FLUSHALL");
      assertEquals("-ERR bit offset is not an integer or out of range\r\n", r.call("SETBIT", "k", "-1", "1"));
      assertEquals(":0\r\n", r.call("SETBIT", "k", "4294967295", "1"));
      assertEquals(":536870912\r\n", r.call("STRLEN", "k"));
      assertEquals("-ERR bit offset is not an integer or out of range\r\n", r.call("SETBIT", "k", "4294967296", "1"));
      assertEquals("-ERR bit offset is not an integer or out of range\r\n", r.call("SETBIT", "k", "abc", "1"));
      assertEquals("-ERR bit offset is not an integer or out of range\r\n", r.call("SETBIT", "k", "1.5", "1"));
      assertEquals("-ERR bit is not an integer or out of range\r\n", r.call("SETBIT", "k", "0", "2"));
      assertEquals("-ERR bit is not an integer or out of range\r\n", r.call("SETBIT", "k", "0", "-1"));
      assertEquals("-ERR bit is not an integer or out of range\r\n", r.call("SETBIT", "k", "0", "x"));
      assertEquals("-ERR bit offset is not an integer or out of range\r\n", r.call("SETBIT", "k", "x", "x"));
      assertEquals("-ERR bit offset is not an integer or out of range\r\n", r.call("SETBIT", "k", "+1", "1"));
      assertEquals("-ERR bit offset is not an integer or out of range\r\n", r.call("SETBIT", "k", "01", "1"));
      assertEquals(":1\r\n", r.call("EXISTS", "k"));
      assertEquals("-ERR wrong number of arguments for 'setbit' command\r\n", r.call("SETBIT", "k"));
      assertEquals("-ERR bit offset is not an integer or out of range\r\n", r.call("GETBIT", "k", "-1"));
      assertEquals(":1\r\n", r.call("GETBIT", "k", "4294967295"));
      assertEquals("-ERR bit offset is not an integer or out of range\r\n", r.call("GETBIT", "k", "4294967296"));
      assertEquals("-ERR bit offset is not an integer or out of range\r\n", r.call("GETBIT", "k", "x"));
      assertEquals("-ERR wrong number of arguments for 'getbit' command\r\n", r.call("GETBIT", "k"));
      r.call("DEL", "l");
      r.call("RPUSH", "l", "e");
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("SETBIT", "l", "0", "1"));
      assertEquals("-ERR bit offset is not an integer or out of range\r\n", r.call("SETBIT", "l", "x", "1"));
      assertEquals("-ERR bit is not an integer or out of range\r\n", r.call("SETBIT", "l", "0", "5"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("GETBIT", "l", "0"));
      assertEquals("-ERR bit offset is not an integer or out of range\r\n", r.call("GETBIT", "l", "x"));
    }
  }

  @Test
  void bitcount() {
    try (RespClient r = node.client()) {
      r.call("FLUSHALL");
      assertEquals(":0\r\n", r.call("BITCOUNT", "nokey"));
      assertEquals(":0\r\n", r.call("BITCOUNT", "nokey", "0", "x"));
      assertEquals(":0\r\n", r.call("BITCOUNT", "nokey", "1"));
      assertEquals("+OK\r\n", r.call("SET", "k", "foobar"));
      assertEquals(":26\r\n", r.call("BITCOUNT", "k"));
      assertEquals(":4\r\n", r.call("BITCOUNT", "k", "0", "0"));
      assertEquals(":6\r\n", r.call("BITCOUNT", "k", "1", "1"));
      assertEquals(":6\r\n", r.call("BITCOUNT", "k", "1", "1", "BYTE"));
      assertEquals(":17\r\n", r.call("BITCOUNT", "k", "5", "30", "BIT"));
      assertEquals(":17\r\n", r.call("BITCOUNT", "k", "5", "30", "bit"));
      assertEquals(":4\r\n", r.call("BITCOUNT", "k", "-1", "-1"));
      assertEquals(":7\r\n", r.call("BITCOUNT", "k", "-2", "-1"));
      assertEquals(":0\r\n", r.call("BITCOUNT", "k", "-1", "-2"));
      assertEquals(":26\r\n", r.call("BITCOUNT", "k", "-100", "100"));
      assertEquals(":0\r\n", r.call("BITCOUNT", "k", "3", "1"));
      assertEquals(":0\r\n", r.call("BITCOUNT", "k", "10", "20"));
      assertEquals(":26\r\n", r.call("BITCOUNT", "k", "0", "-1", "BIT"));
      assertEquals(":1\r\n", r.call("BITCOUNT", "k", "-3", "-1", "BIT"));
      assertEquals(":1\r\n", r.call("BITCOUNT", "k", "1", "1", "BIT"));
      assertEquals(":0\r\n", r.call("BITCOUNT", "k", "0", "0", "BIT"));
      assertEquals(":0\r\n", r.call("BITCOUNT", "k", "47", "1000", "BIT"));
      assertEquals(":0\r\n", r.call("BITCOUNT", "k", "-5", "-8", "BIT"));
      assertEquals(":1\r\n", r.call("BITCOUNT", "k", "7", "9", "BIT"));
      assertEquals("-ERR syntax error\r\n", r.call("BITCOUNT", "k", "1"));
      assertEquals("-ERR syntax error\r\n", r.call("BITCOUNT", "k", "1", "2", "3"));
      assertEquals("-ERR syntax error\r\n", r.call("BITCOUNT", "k", "1", "2", "BIT", "x"));
      assertEquals("-ERR value is not an integer or out of range\r\n", r.call("BITCOUNT", "k", "x", "1"));
      assertEquals("-ERR value is not an integer or out of range\r\n", r.call("BITCOUNT", "k", "1", "x"));
      assertEquals(":0\r\n", r.call("BITCOUNT", "k", "9223372036854775807", "-9223372036854775808"));
      assertEquals(":26\r\n", r.call("BITCOUNT", "k", "-9223372036854775808", "9223372036854775807", "BIT"));
      assertEquals("+OK\r\n", r.call("SET", "e", ""));
      assertEquals(":0\r\n", r.call("BITCOUNT", "e"));
      assertEquals(":0\r\n", r.call("BITCOUNT", "e", "0", "-1"));
      assertEquals(":0\r\n", r.call("BITCOUNT", "e", "0", "-1", "BIT"));
      r.call("DEL", "l");
      r.call("RPUSH", "l", "e");
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("BITCOUNT", "l"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("BITCOUNT", "l", "0", "x"));
    }
  }

  @Test
  void bitpos() {
    try (RespClient r = node.client()) {
      r.call("FLUSHALL");
      assertEquals(":-1\r\n", r.call("BITPOS", "nokey", "1"));
      assertEquals(":0\r\n", r.call("BITPOS", "nokey", "0"));
      assertEquals(":0\r\n", r.call("BITPOS", "nokey", "0", "5", "x"));
      assertEquals("-ERR The bit argument must be 1 or 0.\r\n", r.call("BITPOS", "nokey", "2"));
      assertEquals("-ERR value is not an integer or out of range\r\n", r.call("BITPOS", "nokey", "x"));
      assertEquals("*1\r\n:0\r\n", r.call("BITFIELD", "k", "SET", "u24", "0", "16773120"));
      assertEquals(":12\r\n", r.call("BITPOS", "k", "0"));
      assertEquals(":0\r\n", r.call("BITPOS", "k", "1"));
      assertEquals(":-1\r\n", r.call("BITPOS", "k", "1", "2"));
      assertEquals(":-1\r\n", r.call("BITPOS", "k", "1", "2", "-1"));
      assertEquals(":12\r\n", r.call("BITPOS", "k", "0", "0"));
      assertEquals(":12\r\n", r.call("BITPOS", "k", "0", "1"));
      assertEquals(":-1\r\n", r.call("BITPOS", "k", "0", "0", "0"));
      assertEquals(":12\r\n", r.call("BITPOS", "k", "0", "0", "1"));
      assertEquals(":0\r\n", r.call("BITPOS", "k", "1", "0", "-1", "BIT"));
      assertEquals("-ERR value is not an integer or out of range\r\n", r.call("BITPOS", "k", "0", "3", "BIT"));
      assertEquals(":12\r\n", r.call("BITPOS", "k", "0", "7", "12", "BIT"));
      assertEquals(":-1\r\n", r.call("BITPOS", "k", "1", "12", "20", "BIT"));
      assertEquals(":20\r\n", r.call("BITPOS", "k", "0", "-4", "-1", "BIT"));
      assertEquals(":-1\r\n", r.call("BITPOS", "k", "1", "-1"));
      assertEquals(":-1\r\n", r.call("BITPOS", "k", "1", "5", "2"));
      assertEquals(":-1\r\n", r.call("BITPOS", "k", "0", "100"));
      assertEquals(":12\r\n", r.call("BITPOS", "k", "0", "-100"));
      assertEquals(":0\r\n", r.call("BITPOS", "k", "1", "-100", "100"));
      assertEquals("-ERR value is not an integer or out of range\r\n", r.call("BITPOS", "k", "1", "x"));
      assertEquals("-ERR value is not an integer or out of range\r\n", r.call("BITPOS", "k", "1", "0", "x"));
      assertEquals("-ERR syntax error\r\n", r.call("BITPOS", "k", "1", "0", "1", "BITS"));
      assertEquals("-ERR syntax error\r\n", r.call("BITPOS", "k", "1", "0", "1", "BIT", "x"));
      assertEquals("-ERR The bit argument must be 1 or 0.\r\n", r.call("BITPOS", "k", "2"));
      assertEquals("-ERR The bit argument must be 1 or 0.\r\n", r.call("BITPOS", "k", "-1"));
      assertEquals("*1\r\n:0\r\n", r.call("BITFIELD", "f", "SET", "u16", "0", "65535"));
      assertEquals(":16\r\n", r.call("BITPOS", "f", "0"));
      assertEquals(":16\r\n", r.call("BITPOS", "f", "0", "1"));
      assertEquals(":-1\r\n", r.call("BITPOS", "f", "0", "0", "1"));
      assertEquals(":-1\r\n", r.call("BITPOS", "f", "0", "0", "-1"));
      assertEquals("-ERR value is not an integer or out of range\r\n", r.call("BITPOS", "f", "0", "3", "BIT"));
      assertEquals(":-1\r\n", r.call("BITPOS", "f", "0", "3", "15", "BIT"));
      assertEquals("-ERR value is not an integer or out of range\r\n", r.call("BITPOS", "f", "0", "3", "BYTE"));
      assertEquals(":-1\r\n", r.call("BITPOS", "f", "1", "1", "0"));
      assertEquals("*1\r\n:0\r\n", r.call("BITFIELD", "z", "SET", "u16", "0", "0"));
      assertEquals(":-1\r\n", r.call("BITPOS", "z", "1"));
      assertEquals(":0\r\n", r.call("BITPOS", "z", "0"));
      assertEquals(":-1\r\n", r.call("BITPOS", "z", "1", "0", "-1", "BIT"));
      assertEquals("-ERR value is not an integer or out of range\r\n", r.call("BITPOS", "z", "0", "9", "BIT"));
      assertEquals("+OK\r\n", r.call("SET", "e", ""));
      assertEquals(":-1\r\n", r.call("BITPOS", "e", "0"));
      assertEquals(":-1\r\n", r.call("BITPOS", "e", "1"));
      assertEquals(":-1\r\n", r.call("BITPOS", "e", "0", "0"));
      assertEquals(":-1\r\n", r.call("BITPOS", "e", "0", "0", "-1"));
      assertEquals(":-1\r\n", r.call("BITPOS", "e", "0", "0", "-1", "BIT"));
      r.call("DEL", "l");
      r.call("RPUSH", "l", "e");
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("BITPOS", "l", "1"));
      assertEquals("-ERR The bit argument must be 1 or 0.\r\n", r.call("BITPOS", "l", "3"));
    }
  }

  @Test
  void bitop() {
    try (RespClient r = node.client()) {
      r.call("FLUSHALL");
      assertEquals("+OK\r\n", r.call("SET", "a", "foobar"));
      assertEquals("+OK\r\n", r.call("SET", "b", "abcdef"));
      assertEquals("+OK\r\n", r.call("SET", "c", "ab"));
      assertEquals(":6\r\n", r.call("BITOP", "AND", "d", "a", "b"));
      assertEquals("$6\r\n`bc`ab\r\n", r.call("GET", "d"));
      assertEquals(":6\r\n", r.call("BITOP", "or", "d", "a", "b"));
      assertEquals("$6\r\ngoofev\r\n", r.call("GET", "d"));
      assertEquals(":6\r\n", r.call("BITOP", "XoR", "d", "a", "b"));
      assertEquals("$6\r\n\u0007\r\u000c\u0006\u0004\u0014\r\n", r.call("GET", "d"));
      assertEquals(":6\r\n", r.call("BITOP", "AND", "d", "a", "c"));
      assertEquals("$6\r\n`b\u0000\u0000\u0000\u0000\r\n", r.call("GET", "d"));
      assertEquals(":6\r\n", r.call("BITOP", "OR", "d", "c", "a"));
      assertEquals("$6\r\ngoobar\r\n", r.call("GET", "d"));
      assertEquals(":2\r\n", r.call("BITOP", "XOR", "d", "c", "nokey"));
      assertEquals("$2\r\nab\r\n", r.call("GET", "d"));
      assertEquals(":2\r\n", r.call("BITOP", "AND", "d", "c", "nokey"));
      assertEquals("$2\r\n\u0000\u0000\r\n", r.call("GET", "d"));
      assertEquals(":2\r\n", r.call("BITOP", "NOT", "d", "c"));
      assertEquals("$2\r\n\u009e\u009d\r\n", r.call("GET", "d"));
      assertEquals("$3\r\nraw\r\n", r.call("OBJECT", "ENCODING", "d"));
      assertEquals(":6\r\n", r.call("BITOP", "AND", "d", "a"));
      assertEquals("$6\r\nfoobar\r\n", r.call("GET", "d"));
      assertEquals(":6\r\n", r.call("BITOP", "AND", "d", "a", "a", "b", "c"));
      assertEquals("$6\r\n`b\u0000\u0000\u0000\u0000\r\n", r.call("GET", "d"));
      assertEquals("+OK\r\n", r.call("SET", "ttl", "x"));
      assertEquals(":1\r\n", r.call("EXPIRE", "ttl", "100"));
      assertEquals(":6\r\n", r.call("BITOP", "OR", "ttl", "a"));
      assertEquals(":-1\r\n", r.call("TTL", "ttl"));
      assertEquals(":0\r\n", r.call("BITOP", "NOT", "d", "nokey"));
      assertEquals(":0\r\n", r.call("EXISTS", "d"));
      assertEquals(":0\r\n", r.call("BITOP", "OR", "d", "x1", "x2"));
      assertEquals("-ERR BITOP NOT must be called with a single source key.\r\n", r.call("BITOP", "NOT", "d", "a", "b"));
      assertEquals("-ERR wrong number of arguments for 'bitop' command\r\n", r.call("BITOP", "NOT", "d"));
      assertEquals("-ERR syntax error\r\n", r.call("BITOP", "NAND", "d", "a"));
      assertEquals("-ERR wrong number of arguments for 'bitop' command\r\n", r.call("BITOP", "AND", "d"));
      assertEquals("+OK\r\n", r.call("SET", "e", ""));
      assertEquals("+OK\r\n", r.call("SET", "d", "keep"));
      assertEquals(":0\r\n", r.call("BITOP", "AND", "d", "e", "e"));
      assertEquals(":0\r\n", r.call("EXISTS", "d"));
      r.call("DEL", "l");
      r.call("RPUSH", "l", "e");
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("BITOP", "AND", "d", "a", "l"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("BITOP", "NOT", "d", "l"));
      assertEquals(":6\r\n", r.call("BITOP", "OR", "l", "a"));
      assertEquals("$6\r\nfoobar\r\n", r.call("GET", "l"));
      r.call("DEL", "l2");
      r.call("RPUSH", "l2", "e");
      assertEquals(":0\r\n", r.call("BITOP", "OR", "l2", "nokey"));
      assertEquals(":0\r\n", r.call("EXISTS", "l2"));
    }
  }

  @Test
  void bitfield() {
    try (RespClient r = node.client()) {
      r.call("FLUSHALL");
      assertEquals("*0\r\n", r.call("BITFIELD", "k"));
      assertEquals("*1\r\n:0\r\n", r.call("BITFIELD", "k", "GET", "u8", "0"));
      assertEquals(":0\r\n", r.call("EXISTS", "k"));
      assertEquals("*3\r\n:0\r\n:6\r\n:4\r\n", r.call("BITFIELD", "k", "SET", "i8", "0", "100", "GET", "u4", "0", "GET", "i4", "4"));
      assertEquals("$1\r\nd\r\n", r.call("GET", "k"));
      assertEquals("*4\r\n:0\r\n:255\r\n:-1\r\n:25855\r\n", r.call("BITFIELD", "k", "SET", "u8", "#1", "255", "GET", "u8", "8", "GET", "i8", "#1", "GET", "u16", "0"));
      assertEquals("*1\r\n:-56\r\n", r.call("BITFIELD", "k", "INCRBY", "i8", "0", "100"));
      assertEquals("*1\r\n:44\r\n", r.call("BITFIELD", "k", "OVERFLOW", "SAT", "INCRBY", "i8", "0", "100"));
      assertEquals("*2\r\n:45\r\n:45\r\n", r.call("BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "i8", "0", "1", "GET", "i8", "0"));
      assertEquals("*3\r\n:46\r\n:-128\r\n:127\r\n", r.call("BITFIELD", "k", "INCRBY", "i8", "0", "1", "OVERFLOW", "SAT", "INCRBY", "i8", "0", "-1000", "OVERFLOW", "WRAP", "INCRBY", "i8", "0", "-1"));
      assertEquals("*1\r\n:0\r\n", r.call("BITFIELD", "k", "OVERFLOW", "wrap", "INCRBY", "u8", "8", "1"));
      assertEquals("*2\r\n:255\r\n:0\r\n", r.call("BITFIELD", "k", "OVERFLOW", "sat", "INCRBY", "u8", "8", "300", "INCRBY", "u8", "8", "-300"));
      assertEquals("*3\r\n:1\r\n:0\r\n:0\r\n", r.call("BITFIELD", "k", "OVERFLOW", "fail", "INCRBY", "u8", "8", "1", "INCRBY", "u8", "8", "-1", "GET", "u8", "8"));
      assertEquals("*5\r\n:0\r\n:0\r\n:255\r\n$-1\r\n:2130771967\r\n", r.call("BITFIELD", "k", "SET", "u8", "16", "-1", "OVERFLOW", "SAT", "SET", "u8", "24", "-1", "SET", "u8", "24", "300", "OVERFLOW", "FAIL", "SET", "u8", "24", "256", "GET", "u32", "0"));
      assertEquals("*5\r\n:0\r\n:-128\r\n:127\r\n:-128\r\n$-1\r\n", r.call("BITFIELD", "k", "SET", "i8", "32", "128", "OVERFLOW", "SAT", "SET", "i8", "32", "128", "SET", "i8", "32", "-129", "SET", "i8", "32", "-9223372036854775808", "OVERFLOW", "FAIL", "SET", "i8", "32", "200"));
      assertEquals("*5\r\n:9151595915629297664\r\n:-1\r\n:9223372036854775807\r\n:9223372036854775807\r\n:0\r\n", r.call("BITFIELD", "k", "SET", "i64", "0", "-1", "GET", "i64", "0", "GET", "u63", "0", "GET", "u63", "1", "INCRBY", "i64", "0", "1"));
      assertEquals("*4\r\n:0\r\n:9223372036854775807\r\n:-1\r\n:-9223372036854775808\r\n", r.call("BITFIELD", "k", "OVERFLOW", "SAT", "SET", "i64", "0", "9223372036854775807", "INCRBY", "i64", "0", "1", "INCRBY", "i64", "0", "-9223372036854775808", "INCRBY", "i64", "0", "-9223372036854775808"));
      assertEquals("*3\r\n:-9223372036854775808\r\n:-9223372036854775808\r\n$-1\r\n", r.call("BITFIELD", "k", "OVERFLOW", "WRAP", "SET", "i64", "0", "9223372036854775807", "INCRBY", "i64", "0", "1", "OVERFLOW", "FAIL", "INCRBY", "i64", "0", "-1"));
      assertEquals("*3\r\n:4611686018427387904\r\n:9223372036854775807\r\n:0\r\n", r.call("BITFIELD", "k", "SET", "u63", "0", "9223372036854775807", "OVERFLOW", "SAT", "INCRBY", "u63", "0", "5", "INCRBY", "u63", "0", "-9223372036854775808"));
      assertEquals("*6\r\n:0\r\n:0\r\n:-1\r\n:1\r\n:0\r\n:0\r\n", r.call("BITFIELD", "k", "SET", "u1", "3", "1", "SET", "i1", "4", "-1", "GET", "i1", "3", "GET", "u1", "4", "INCRBY", "i1", "3", "1", "INCRBY", "u1", "4", "1"));
      assertEquals("*4\r\n:0\r\n:7\r\n:7\r\n:224\r\n", r.call("BITFIELD", "k", "SET", "i5", "1001", "7", "GET", "i5", "1001", "GET", "u5", "1001", "GET", "u13", "998"));
      assertEquals(":126\r\n", r.call("STRLEN", "k"));
      assertEquals("*1\r\n:0\r\n", r.call("BITFIELD", "k", "GET", "u8", "100000"));
      assertEquals(":126\r\n", r.call("STRLEN", "k"));
      assertEquals("*1\r\n:0\r\n", r.call("BITFIELD", "k", "SET", "u8", "#2000", "1"));
      assertEquals(":2001\r\n", r.call("STRLEN", "k"));
      assertEquals("*2\r\n:1\r\n:3\r\n", r.call("BITFIELD", "x", "INCRBY", "u2", "100", "1", "OVERFLOW", "SAT", "incrby", "u2", "102", "4"));
      assertEquals("$13\r\n\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0007\r\n", r.call("GET", "x"));
      assertEquals(":13\r\n", r.call("STRLEN", "x"));
      assertEquals("*1\r\n$-1\r\n", r.call("BITFIELD", "y", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "8"));
      assertEquals(":1\r\n", r.call("EXISTS", "y"));
      assertEquals("$1\r\n\u0000\r\n", r.call("GET", "y"));
      assertEquals("+OK\r\n", r.call("SET", "s", "123"));
      assertEquals("$3\r\nint\r\n", r.call("OBJECT", "ENCODING", "s"));
      assertEquals("*1\r\n:49\r\n", r.call("BITFIELD", "s", "GET", "u8", "0"));
      assertEquals("$3\r\nint\r\n", r.call("OBJECT", "ENCODING", "s"));
      assertEquals("*1\r\n:49\r\n", r.call("BITFIELD", "s", "SET", "u8", "0", "49"));
      assertEquals("$3\r\nraw\r\n", r.call("OBJECT", "ENCODING", "s"));
    }
  }

  @Test
  void bitfieldErrors() {
    try (RespClient r = node.client()) {
      r.call("FLUSHALL");
      assertEquals("-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n", r.call("BITFIELD", "k", "GET", "u64", "0"));
      assertEquals("-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n", r.call("BITFIELD", "k", "GET", "i65", "0"));
      assertEquals("-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n", r.call("BITFIELD", "k", "GET", "i0", "0"));
      assertEquals("-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n", r.call("BITFIELD", "k", "GET", "x8", "0"));
      assertEquals("-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n", r.call("BITFIELD", "k", "GET", "u", "0"));
      assertEquals("-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n", r.call("BITFIELD", "k", "GET", "i", "0"));
      assertEquals("-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n", r.call("BITFIELD", "k", "GET", "U8", "0"));
      assertEquals("-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n", r.call("BITFIELD", "k", "GET", "I08", "0"));
      assertEquals("-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n", r.call("BITFIELD", "k", "GET", "u-1", "0"));
      assertEquals("-ERR bit offset is not an integer or out of range\r\n", r.call("BITFIELD", "k", "GET", "u8", "-1"));
      assertEquals("-ERR bit offset is not an integer or out of range\r\n", r.call("BITFIELD", "k", "GET", "u8", "x"));
      assertEquals("-ERR bit offset is not an integer or out of range\r\n", r.call("BITFIELD", "k", "GET", "u8", "#-1"));
      assertEquals("-ERR bit offset is not an integer or out of range\r\n", r.call("BITFIELD", "k", "GET", "u8", "#x"));
      assertEquals("-ERR bit offset is not an integer or out of range\r\n", r.call("BITFIELD", "k", "GET", "u8", "#"));
      assertEquals("*1\r\n:0\r\n", r.call("BITFIELD", "k", "GET", "u8", "4294967295"));
      assertEquals("-ERR bit offset is not an integer or out of range\r\n", r.call("BITFIELD", "k", "GET", "u8", "4294967296"));
      assertEquals("*1\r\n:0\r\n", r.call("BITFIELD", "k", "GET", "u8", "#536870911"));
      assertEquals("-ERR bit offset is not an integer or out of range\r\n", r.call("BITFIELD", "k", "GET", "u8", "#536870912"));
      assertEquals("-ERR bit offset is not an integer or out of range\r\n", r.call("BITFIELD", "k", "GET", "u8", "#9223372036854775807"));
      assertEquals("-ERR bit offset is not an integer or out of range\r\n", r.call("BITFIELD", "k", "GET", "u8", "##1"));
      assertEquals("-ERR syntax error\r\n", r.call("BITFIELD", "k", "SET", "u8", "0"));
      assertEquals("-ERR value is not an integer or out of range\r\n", r.call("BITFIELD", "k", "SET", "u8", "0", "x"));
      assertEquals("-ERR value is not an integer or out of range\r\n", r.call("BITFIELD", "k", "INCRBY", "u8", "0", "1.5"));
      assertEquals("-ERR syntax error\r\n", r.call("BITFIELD", "k", "GET", "u8"));
      assertEquals("-ERR syntax error\r\n", r.call("BITFIELD", "k", "FOO", "u8", "0"));
      assertEquals("-ERR Invalid OVERFLOW type specified\r\n", r.call("BITFIELD", "k", "OVERFLOW", "BAD"));
      assertEquals("-ERR syntax error\r\n", r.call("BITFIELD", "k", "OVERFLOW"));
      assertEquals("*0\r\n", r.call("BITFIELD", "k", "OVERFLOW", "SAT"));
      assertEquals("-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n", r.call("BITFIELD", "k", "GET", "u8", "0", "SET", "u8", "0", "1", "GET", "u99", "0"));
      assertEquals(":0\r\n", r.call("EXISTS", "k"));
      assertEquals("-ERR bit offset is not an integer or out of range\r\n", r.call("BITFIELD", "k", "SET", "u8", "x", "1", "OVERFLOW", "BAD"));
      assertEquals("-ERR Invalid OVERFLOW type specified\r\n", r.call("BITFIELD", "k", "OVERFLOW", "BAD", "SET", "u8", "x", "1"));
      assertEquals("-ERR wrong number of arguments for 'bitfield' command\r\n", r.call("BITFIELD"));
      r.call("DEL", "l");
      r.call("RPUSH", "l", "e");
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("BITFIELD", "l", "GET", "u8", "0"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("BITFIELD", "l", "SET", "u8", "0", "1"));
      assertEquals("-ERR bit offset is not an integer or out of range\r\n", r.call("BITFIELD", "l", "SET", "u8", "x", "1"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("BITFIELD", "l"));
    }
  }

  @Test
  void bitfieldRo() {
    try (RespClient r = node.client()) {
      r.call("FLUSHALL");
      assertEquals("*1\r\n:0\r\n", r.call("BITFIELD", "k", "SET", "u16", "0", "65281"));
      assertEquals("*4\r\n:255\r\n:-1\r\n:1\r\n:-255\r\n", r.call("BITFIELD_RO", "k", "GET", "u8", "0", "GET", "i8", "0", "GET", "u4", "#3", "get", "i16", "0"));
      assertEquals("*0\r\n", r.call("BITFIELD_RO", "k"));
      assertEquals("*1\r\n:0\r\n", r.call("BITFIELD_RO", "nokey", "GET", "i8", "0"));
      assertEquals(":0\r\n", r.call("EXISTS", "nokey"));
      assertEquals("-ERR BITFIELD_RO only supports the GET subcommand\r\n", r.call("BITFIELD_RO", "k", "SET", "u8", "0", "1"));
      assertEquals("-ERR BITFIELD_RO only supports the GET subcommand\r\n", r.call("BITFIELD_RO", "k", "INCRBY", "u8", "0", "1"));
      assertEquals("*0\r\n", r.call("BITFIELD_RO", "k", "OVERFLOW", "SAT"));
      assertEquals("*1\r\n:255\r\n", r.call("BITFIELD_RO", "k", "OVERFLOW", "SAT", "GET", "u8", "0"));
      assertEquals("-ERR syntax error\r\n", r.call("BITFIELD_RO", "k", "SET", "u8", "0"));
      assertEquals("-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n", r.call("BITFIELD_RO", "k", "SET", "u99", "0", "1"));
      assertEquals("-ERR bit offset is not an integer or out of range\r\n", r.call("BITFIELD_RO", "k", "SET", "u8", "x", "1"));
      assertEquals("-ERR value is not an integer or out of range\r\n", r.call("BITFIELD_RO", "k", "SET", "u8", "0", "x"));
      assertEquals("-ERR syntax error\r\n", r.call("BITFIELD_RO", "k", "GET", "u8"));
      assertEquals("$2\r\n\u00ff\u0001\r\n", r.call("GET", "k"));
      r.call("DEL", "l");
      r.call("RPUSH", "l", "e");
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("BITFIELD_RO", "l", "GET", "u8", "0"));
      assertEquals("-ERR BITFIELD_RO only supports the GET subcommand\r\n", r.call("BITFIELD_RO", "l", "SET", "u8", "0", "1"));
    }
  }

}
