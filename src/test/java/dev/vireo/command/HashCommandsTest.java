package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import org.junit.jupiter.api.Test;

/** Hash commands, reply bytes as redis-server 7.0.15 sends them. */
class HashCommandsTest {
  @Test
  void hsetAndHget() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      assertEquals(":2\r\n", r.call("HSET", "h", "a", "1", "b", "2"));
      assertEquals(":1\r\n", r.call("HSET", "h", "a", "10", "c", "3"));
      assertEquals("$2\r\n10\r\n", r.call("HGET", "h", "a"));
      assertEquals("$-1\r\n", r.call("HGET", "h", "zz"));
      assertEquals("$-1\r\n", r.call("HGET", "nokey", "a"));
      assertEquals("-ERR wrong number of arguments for 'hset' command\r\n", r.call("HSET", "h"));
      assertEquals("-ERR wrong number of arguments for 'hset' command\r\n", r.call("HSET", "h", "a"));
      assertEquals("-ERR wrong number of arguments for 'hset' command\r\n", r.call("HSET", "h", "a", "1", "b"));
      assertEquals("-ERR wrong number of arguments for 'hmset' command\r\n", r.call("HMSET", "h", "a", "1", "b"));
      assertEquals("+OK\r\n", r.call("HMSET", "h", "d", "4", "e", "5"));
      assertEquals("*10\r\n$1\r\na\r\n$2\r\n10\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n", r.call("HGETALL", "h"));
      assertEquals("*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n", r.call("HKEYS", "h"));
      assertEquals("*5\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n", r.call("HVALS", "h"));
      assertEquals(":5\r\n", r.call("HLEN", "h"));
      assertEquals(":0\r\n", r.call("HLEN", "nokey"));
      assertEquals("-ERR wrong number of arguments for 'hget' command\r\n", r.call("HGET", "h"));
      assertEquals("+hash\r\n", r.call("TYPE", "h"));
      assertEquals("$8\r\nlistpack\r\n", r.call("OBJECT", "ENCODING", "h"));
    }
  }

  @Test
  void hsetnx() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      assertEquals(":1\r\n", r.call("HSETNX", "h", "a", "1"));
      assertEquals(":0\r\n", r.call("HSETNX", "h", "a", "2"));
      assertEquals("$1\r\n1\r\n", r.call("HGET", "h", "a"));
      assertEquals(":1\r\n", r.call("HSETNX", "h", "b", ""));
      assertEquals(":0\r\n", r.call("HSTRLEN", "h", "b"));
      assertEquals("*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$0\r\n\r\n", r.call("HGETALL", "h"));
    }
  }

  @Test
  void hmgetAndHexists() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("HSET", "h", "a", "1", "b", "2");
      assertEquals("*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n2\r\n", r.call("HMGET", "h", "a", "zz", "b"));
      assertEquals("*2\r\n$-1\r\n$-1\r\n", r.call("HMGET", "nokey", "a", "b"));
      assertEquals(":1\r\n", r.call("HEXISTS", "h", "a"));
      assertEquals(":0\r\n", r.call("HEXISTS", "h", "zz"));
      assertEquals(":0\r\n", r.call("HEXISTS", "nokey", "a"));
      assertEquals(":1\r\n", r.call("HSTRLEN", "h", "a"));
      assertEquals(":0\r\n", r.call("HSTRLEN", "h", "zz"));
      assertEquals(":0\r\n", r.call("HSTRLEN", "nokey", "a"));
      assertEquals("-ERR wrong number of arguments for 'hmget' command\r\n", r.call("HMGET", "h"));
    }
  }

  @Test
  void hdelDeletesEmptyHash() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("HSET", "h", "a", "1", "b", "2", "c", "3");
      assertEquals(":1\r\n", r.call("HDEL", "h", "a", "zz", "a"));
      assertEquals(":2\r\n", r.call("HDEL", "h", "b", "c"));
      assertEquals(":0\r\n", r.call("EXISTS", "h"));
      assertEquals(":0\r\n", r.call("HDEL", "h", "a"));
      assertEquals(":0\r\n", r.call("HDEL", "nokey", "a"));
      assertEquals("-ERR wrong number of arguments for 'hdel' command\r\n", r.call("HDEL", "h"));
      assertEquals("*0\r\n", r.call("HKEYS", "nokey"));
      assertEquals("*0\r\n", r.call("HVALS", "nokey"));
      assertEquals("*0\r\n", r.call("HGETALL", "nokey"));
    }
  }

  @Test
  void listpackKeepsInsertionOrder() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      assertEquals(":4\r\n", r.call("HSET", "h", "z", "1", "y", "2", "x", "3", "w", "4"));
      assertEquals(":1\r\n", r.call("HDEL", "h", "y"));
      assertEquals(":1\r\n", r.call("HSET", "h", "y", "5", "z", "6"));
      assertEquals("*8\r\n$1\r\nz\r\n$1\r\n6\r\n$1\r\nx\r\n$1\r\n3\r\n$1\r\nw\r\n$1\r\n4\r\n$1\r\ny\r\n$1\r\n5\r\n", r.call("HGETALL", "h"));
      assertEquals("*4\r\n$1\r\nz\r\n$1\r\nx\r\n$1\r\nw\r\n$1\r\ny\r\n", r.call("HKEYS", "h"));
      assertEquals("*4\r\n$1\r\n6\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n", r.call("HVALS", "h"));
      assertEquals("*2\r\n$1\r\n0\r\n*8\r\n$1\r\nz\r\n$1\r\n6\r\n$1\r\nx\r\n$1\r\n3\r\n$1\r\nw\r\n$1\r\n4\r\n$1\r\ny\r\n$1\r\n5\r\n", r.call("HSCAN", "h", "0"));
      assertEquals("*2\r\n$1\r\n0\r\n*8\r\n$1\r\nz\r\n$1\r\n6\r\n$1\r\nx\r\n$1\r\n3\r\n$1\r\nw\r\n$1\r\n4\r\n$1\r\ny\r\n$1\r\n5\r\n", r.call("HSCAN", "h", "123", "COUNT", "1"));
      assertEquals("*2\r\n$1\r\n0\r\n*4\r\n$1\r\nx\r\n$1\r\n3\r\n$1\r\nw\r\n$1\r\n4\r\n", r.call("HSCAN", "h", "0", "MATCH", "[wx]"));
      assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", r.call("HSCAN", "h", "0", "MATCH", "nomatch", "COUNT", "5"));
    }
  }

  @Test
  void hincrby() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      assertEquals(":5\r\n", r.call("HINCRBY", "h", "a", "5"));
      assertEquals(":-2\r\n", r.call("HINCRBY", "h", "a", "-7"));
      assertEquals(":-2\r\n", r.call("HINCRBY", "h", "a", "0"));
      assertEquals("$2\r\n-2\r\n", r.call("HGET", "h", "a"));
      assertEquals("-ERR value is not an integer or out of range\r\n", r.call("HINCRBY", "h", "a", "x"));
      assertEquals("-ERR value is not an integer or out of range\r\n", r.call("HINCRBY", "h", "a", "1.5"));
      assertEquals(":9223372036854775805\r\n", r.call("HINCRBY", "h", "a", "9223372036854775807"));
      assertEquals(":4\r\n", r.call("HSET", "h", "big", "9223372036854775807", "s", "abc", "sp", " 1", "neg", "-9223372036854775808"));
      assertEquals("-ERR increment or decrement would overflow\r\n", r.call("HINCRBY", "h", "big", "1"));
      assertEquals("-ERR increment or decrement would overflow\r\n", r.call("HINCRBY", "h", "neg", "-1"));
      assertEquals(":-9223372036854775807\r\n", r.call("HINCRBY", "h", "neg", "1"));
      assertEquals("-ERR hash value is not an integer\r\n", r.call("HINCRBY", "h", "s", "1"));
      assertEquals("-ERR hash value is not an integer\r\n", r.call("HINCRBY", "h", "sp", "1"));
      assertEquals("-ERR value is not an integer or out of range\r\n", r.call("HINCRBY", "nokey", "a", "x"));
      assertEquals(":0\r\n", r.call("EXISTS", "nokey"));
      assertEquals("-ERR wrong number of arguments for 'hincrby' command\r\n", r.call("HINCRBY", "h"));
    }
  }

  @Test
  void hincrbyfloat() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      assertEquals("$3\r\n1.5\r\n", r.call("HINCRBYFLOAT", "h", "a", "1.5"));
      assertEquals("$3\r\n1.6\r\n", r.call("HINCRBYFLOAT", "h", "a", "0.1"));
      assertEquals("$1\r\n0\r\n", r.call("HINCRBYFLOAT", "h", "a", "-1.6"));
      assertEquals("$4\r\n3000\r\n", r.call("HINCRBYFLOAT", "h", "b", "3.0e3"));
      assertEquals("$19\r\n1.23456789012345679\r\n", r.call("HINCRBYFLOAT", "h", "c", "1.23456789012345678901234"));
      assertEquals("$4\r\n10.5\r\n", r.call("HINCRBYFLOAT", "h", "d", "10.50"));
      assertEquals("-ERR value is not a valid float\r\n", r.call("HINCRBYFLOAT", "h", "a", "x"));
      assertEquals("-ERR value is NaN or Infinity\r\n", r.call("HINCRBYFLOAT", "h", "a", "inf"));
      assertEquals("-ERR value is NaN or Infinity\r\n", r.call("HINCRBYFLOAT", "h", "a", "-inf"));
      assertEquals("-ERR value is not a valid float\r\n", r.call("HINCRBYFLOAT", "h", "a", "nan"));
      assertEquals(":3\r\n", r.call("HSET", "h", "s", "abc", "big", "9223372036854775807", "e", "1e4932"));
      assertEquals("-ERR hash value is not a float\r\n", r.call("HINCRBYFLOAT", "h", "s", "1"));
      assertEquals("$19\r\n9223372036854775807\r\n", r.call("HINCRBYFLOAT", "h", "big", "0.1"));
      assertEquals("-ERR increment would produce NaN or Infinity\r\n", r.call("HINCRBYFLOAT", "h", "e", "1e4932"));
      assertEquals("-ERR value is not a valid float\r\n", r.call("HINCRBYFLOAT", "nokey", "a", "x"));
      assertEquals(":0\r\n", r.call("EXISTS", "nokey"));
    }
  }

  @Test
  void encodingConversion() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("CONFIG", "SET", "hash-max-listpack-entries", "2");
      assertEquals(":2\r\n", r.call("HSET", "h", "a", "1", "b", "2"));
      assertEquals("$8\r\nlistpack\r\n", r.call("OBJECT", "ENCODING", "h"));
      assertEquals(":1\r\n", r.call("HSET", "h", "c", "3"));
      assertEquals("$9\r\nhashtable\r\n", r.call("OBJECT", "ENCODING", "h"));
      assertEquals(":2\r\n", r.call("HDEL", "h", "a", "b"));
      assertEquals("$9\r\nhashtable\r\n", r.call("OBJECT", "ENCODING", "h"));
      r.call("CONFIG", "SET", "hash-max-listpack-entries", "128");
      assertEquals(":1\r\n", r.call("HSET", "v", "a", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
      assertEquals("$9\r\nhashtable\r\n", r.call("OBJECT", "ENCODING", "v"));
      assertEquals(":1\r\n", r.call("HSET", "w", "a", "1"));
      assertEquals(":0\r\n", r.call("HSETNX", "w", "a", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
      assertEquals("$8\r\nlistpack\r\n", r.call("OBJECT", "ENCODING", "w"));
      assertEquals(":1\r\n", r.call("HSETNX", "w", "b", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
      assertEquals("$9\r\nhashtable\r\n", r.call("OBJECT", "ENCODING", "w"));
      assertEquals(":1\r\n", r.call("HSET", "x", "a", "1"));
      assertEquals(":1\r\n", r.call("HINCRBY", "x", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "1"));
      assertEquals("$9\r\nhashtable\r\n", r.call("OBJECT", "ENCODING", "x"));
      assertEquals(":1\r\n", r.call("HSET", "y", "a", "1"));
      assertEquals(":0\r\n", r.call("HSET", "y", "a", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
      assertEquals("$9\r\nhashtable\r\n", r.call("OBJECT", "ENCODING", "y"));
      assertEquals(":1\r\n", r.call("HSET", "z", "a", "1"));
      assertEquals(":1\r\n", r.call("HSET", "z", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "1"));
      assertEquals("$9\r\nhashtable\r\n", r.call("OBJECT", "ENCODING", "z"));
    }
  }

  @Test
  void wrongType() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("SET", "s", "x");
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("HSET", "s", "a", "1"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("HSETNX", "s", "a", "1"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("HGET", "s", "a"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("HMGET", "s", "a"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("HMSET", "s", "a", "1"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("HDEL", "s", "a"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("HLEN", "s"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("HSTRLEN", "s", "a"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("HEXISTS", "s", "a"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("HKEYS", "s"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("HVALS", "s"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("HGETALL", "s"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("HINCRBY", "s", "a", "1"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("HINCRBYFLOAT", "s", "a", "1"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("HRANDFIELD", "s"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("HRANDFIELD", "s", "1"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("HSCAN", "s", "0"));
      assertEquals("-ERR invalid cursor\r\n", r.call("HSCAN", "s", "x"));
    }
  }

  @Test
  void hrandfield() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("HSET", "h", "a", "1", "b", "2", "c", "3");
      assertEquals("$-1\r\n", r.call("HRANDFIELD", "nokey"));
      assertEquals("*0\r\n", r.call("HRANDFIELD", "nokey", "3"));
      assertEquals("*0\r\n", r.call("HRANDFIELD", "nokey", "3", "WITHVALUES"));
      assertEquals("*0\r\n", r.call("HRANDFIELD", "h", "0"));
      assertEquals("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", r.call("HRANDFIELD", "h", "3"));
      assertEquals("*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n", r.call("HRANDFIELD", "h", "5", "WITHVALUES"));
      assertEquals("*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n", r.call("HRANDFIELD", "h", "5", "withvalues"));
      assertEquals("-ERR value is not an integer or out of range\r\n", r.call("HRANDFIELD", "h", "x"));
      assertEquals("-ERR syntax error\r\n", r.call("HRANDFIELD", "h", "1", "WITHVALUE"));
      assertEquals("-ERR syntax error\r\n", r.call("HRANDFIELD", "h", "1", "WITHVALUES", "x"));
      assertEquals("-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n", r.call("HRANDFIELD", "h", "-9223372036854775808"));
      assertEquals("-ERR value is out of range\r\n", r.call("HRANDFIELD", "h", "-5000000000000000000", "WITHVALUES"));
      assertEquals("-ERR value is out of range\r\n", r.call("HRANDFIELD", "h", "5000000000000000000", "WITHVALUES"));
      r.call("HSET", "one", "f", "v");
      assertEquals("$1\r\nf\r\n", r.call("HRANDFIELD", "one"));
      assertEquals("*3\r\n$1\r\nf\r\n$1\r\nf\r\n$1\r\nf\r\n", r.call("HRANDFIELD", "one", "-3"));
      assertEquals("*4\r\n$1\r\nf\r\n$1\r\nv\r\n$1\r\nf\r\n$1\r\nv\r\n", r.call("HRANDFIELD", "one", "-2", "WITHVALUES"));
    }
  }

  @Test
  void hscanErrors() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("HSET", "h", "a", "1");
      assertEquals("-ERR invalid cursor\r\n", r.call("HSCAN", "h", "x"));
      assertEquals("*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n", r.call("HSCAN", "h", "-1"));
      assertEquals("*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n", r.call("HSCAN", "h", "+0"));
      assertEquals("-ERR invalid cursor\r\n", r.call("HSCAN", "h", " 0"));
      assertEquals("-ERR invalid cursor\r\n", r.call("HSCAN", "h", "18446744073709551616"));
      assertEquals("-ERR syntax error\r\n", r.call("HSCAN", "h", "0", "COUNT", "0"));
      assertEquals("-ERR value is not an integer or out of range\r\n", r.call("HSCAN", "h", "0", "COUNT", "x"));
      assertEquals("-ERR syntax error\r\n", r.call("HSCAN", "h", "0", "TYPE", "string"));
      assertEquals("-ERR syntax error\r\n", r.call("HSCAN", "h", "0", "MATCH"));
      assertEquals("-ERR syntax error\r\n", r.call("HSCAN", "h", "0", "FOO", "bar"));
      assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", r.call("HSCAN", "nokey", "0", "COUNT", "0"));
      assertEquals("-ERR invalid cursor\r\n", r.call("HSCAN", "nokey", "x"));
      assertEquals("-ERR wrong number of arguments for 'hscan' command\r\n", r.call("HSCAN", "h"));
    }
  }

  @Test
  void resp3Replies() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("HELLO", "3");
      r.call("HSET", "h", "a", "1", "b", "2");
      assertEquals("%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n", r.call("HGETALL", "h"));
      assertEquals("%0\r\n", r.call("HGETALL", "nokey"));
      assertEquals("*2\r\n$1\r\na\r\n$1\r\nb\r\n", r.call("HKEYS", "h"));
      assertEquals("*2\r\n$1\r\n1\r\n_\r\n", r.call("HMGET", "h", "a", "zz"));
      assertEquals("_\r\n", r.call("HGET", "h", "zz"));
      assertEquals("_\r\n", r.call("HRANDFIELD", "nokey"));
      assertEquals("*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n", r.call("HRANDFIELD", "h", "2", "WITHVALUES"));
      r.call("HSET", "one", "f", "v");
      assertEquals("*2\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n", r.call("HRANDFIELD", "one", "-2", "WITHVALUES"));
      assertEquals("*2\r\n$1\r\nf\r\n$1\r\nf\r\n", r.call("HRANDFIELD", "one", "-2"));
      assertEquals("*2\r\n$1\r\na\r\n$1\r\nb\r\n", r.call("HRANDFIELD", "h", "2"));
      assertEquals("*2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n", r.call("HSCAN", "h", "0"));
      assertEquals("$3\r\n2.5\r\n", r.call("HINCRBYFLOAT", "h", "c", "2.5"));
    }
  }

  @Test
  void hincrbyfloatAcceptsWhatStrtoldAccepts() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      assertEquals("$2\r\n16\r\n", r.call("HINCRBYFLOAT", "q", "a", "0x10"));
      assertEquals("$1\r\n8\r\n", r.call("HINCRBYFLOAT", "q", "b", "0x1p3"));
      assertEquals("$5\r\n-0.75\r\n", r.call("HINCRBYFLOAT", "q", "c", "-0X1.8P-1"));
      assertEquals("$3\r\n0.5\r\n", r.call("HINCRBYFLOAT", "q", "d", ".5"));
      assertEquals("$1\r\n1\r\n", r.call("HINCRBYFLOAT", "q", "e", "1."));
      assertEquals("$1\r\n2\r\n", r.call("HINCRBYFLOAT", "q", "f", "+2"));
      assertEquals("-ERR value is not a valid float\r\n", r.call("HINCRBYFLOAT", "q", "g", "0x"));
      assertEquals("-ERR value is not a valid float\r\n", r.call("HINCRBYFLOAT", "q", "h", "0x1p"));
      assertEquals("-ERR value is not a valid float\r\n", r.call("HINCRBYFLOAT", "q", "i", "0xg"));
      assertEquals("-ERR value is not a valid float\r\n", r.call("HINCRBYFLOAT", "q", "j", "1e"));
      assertEquals("-ERR value is not a valid float\r\n", r.call("HINCRBYFLOAT", "q", "j", " 1"));
      assertEquals(":1\r\n", r.call("HSET", "q", "k", "0x20"));
      assertEquals("$2\r\n33\r\n", r.call("HINCRBYFLOAT", "q", "k", "1"));
      assertEquals("$3\r\n0.5\r\n", r.call("HINCRBYFLOAT", "q", "l", "0x.8"));
      assertEquals("$1\r\n2\r\n", r.call("HINCRBYFLOAT", "q", "m", "0x1.p1"));
      assertEquals(":1\r\n", r.call("HSET", "q", "big", "1e308"));
      assertEquals("$309\r\n199999999999999999993371759311691291321120199694831134415594095989843469737676123744200253843777078640893494450108026446304269499187921167194841628860392837535918200039206381557326219209014213335878306791577877829121087126122536729803237260434173178506889763247582601711514636284849020905456510092687857156096\r\n", r.call("HINCRBYFLOAT", "q", "big", "1e308"));
    }
  }

  @Test
  void copyIsDeep() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("HSET", "h", "a", "1", "b", "2");
      assertEquals(":1\r\n", r.call("COPY", "h", "g"));
      assertEquals(":1\r\n", r.call("HSET", "g", "a", "9", "c", "3"));
      assertEquals("*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n", r.call("HGETALL", "h"));
      assertEquals("*6\r\n$1\r\na\r\n$1\r\n9\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n", r.call("HGETALL", "g"));
      assertEquals("$8\r\nlistpack\r\n", r.call("OBJECT", "ENCODING", "g"));
      r.call("HSET", "big", "a", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
      assertEquals(":1\r\n", r.call("COPY", "big", "big2"));
      assertEquals(":0\r\n", r.call("HSET", "big2", "a", "1"));
      assertEquals("$70\r\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n", r.call("HGET", "big", "a"));
      assertEquals("$9\r\nhashtable\r\n", r.call("OBJECT", "ENCODING", "big2"));
    }
  }

  @Test
  void scanIgnoresCursorOnListpack() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("HSET", "h", "a", "1");
      assertEquals("*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n", r.call("HSCAN", "h", "5"));
      assertEquals("*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n", r.call("HSCAN", "h", "18446744073709551615"));
      assertEquals("*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n", r.call("HSCAN", "h", "-18446744073709551615", "MATCH", "a"));
    }
  }
}
