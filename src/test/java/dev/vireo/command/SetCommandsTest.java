package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import org.junit.jupiter.api.Test;

/** Set commands, reply bytes as redis-server 7.0.15 sends them. */
class SetCommandsTest {
  @Test
  void saddAndMembership() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      assertEquals(":3\r\n", r.call("SADD", "s", "3", "1", "2"));
      assertEquals(":1\r\n", r.call("SADD", "s", "2", "4"));
      assertEquals(":4\r\n", r.call("SCARD", "s"));
      assertEquals(":0\r\n", r.call("SCARD", "nokey"));
      assertEquals(":1\r\n", r.call("SISMEMBER", "s", "1"));
      assertEquals(":0\r\n", r.call("SISMEMBER", "s", "9"));
      assertEquals(":0\r\n", r.call("SISMEMBER", "s", "x"));
      assertEquals(":0\r\n", r.call("SISMEMBER", "nokey", "1"));
      assertEquals("*3\r\n:1\r\n:0\r\n:1\r\n", r.call("SMISMEMBER", "s", "1", "x", "4"));
      assertEquals("*2\r\n:0\r\n:0\r\n", r.call("SMISMEMBER", "nokey", "a", "b"));
      assertEquals("*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n", r.call("SMEMBERS", "s"));
      assertEquals("*0\r\n", r.call("SMEMBERS", "nokey"));
      assertEquals("$6\r\nintset\r\n", r.call("OBJECT", "ENCODING", "s"));
      assertEquals("+set\r\n", r.call("TYPE", "s"));
      assertEquals("-ERR wrong number of arguments for 'sadd' command\r\n", r.call("SADD", "s"));
      assertEquals("-ERR wrong number of arguments for 'smismember' command\r\n", r.call("SMISMEMBER", "s"));
    }
  }

  @Test
  void intsetSortsMembers() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      assertEquals(":6\r\n", r.call("SADD", "s", "10", "-5", "9223372036854775807", "-9223372036854775808", "0", "7"));
      assertEquals("*6\r\n$20\r\n-9223372036854775808\r\n$2\r\n-5\r\n$1\r\n0\r\n$1\r\n7\r\n$2\r\n10\r\n$19\r\n9223372036854775807\r\n", r.call("SMEMBERS", "s"));
      assertEquals("*2\r\n$1\r\n0\r\n*6\r\n$20\r\n-9223372036854775808\r\n$2\r\n-5\r\n$1\r\n0\r\n$1\r\n7\r\n$2\r\n10\r\n$19\r\n9223372036854775807\r\n", r.call("SSCAN", "s", "0"));
      assertEquals("*2\r\n$1\r\n0\r\n*1\r\n$2\r\n10\r\n", r.call("SSCAN", "s", "99", "MATCH", "1*", "COUNT", "1"));
      assertEquals("*2\r\n$1\r\n0\r\n*2\r\n$20\r\n-9223372036854775808\r\n$2\r\n-5\r\n", r.call("SSCAN", "s", "0", "MATCH", "-*"));
      assertEquals("$6\r\nintset\r\n", r.call("OBJECT", "ENCODING", "s"));
    }
  }

  @Test
  void intsetConversion() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      assertEquals(":1\r\n", r.call("SADD", "a", "01"));
      assertEquals("$9\r\nhashtable\r\n", r.call("OBJECT", "ENCODING", "a"));
      assertEquals(":1\r\n", r.call("SADD", "b", "-0"));
      assertEquals("$9\r\nhashtable\r\n", r.call("OBJECT", "ENCODING", "b"));
      assertEquals(":1\r\n", r.call("SADD", "c", "9223372036854775808"));
      assertEquals("$9\r\nhashtable\r\n", r.call("OBJECT", "ENCODING", "c"));
      assertEquals(":1\r\n", r.call("SADD", "d", "+1"));
      assertEquals("$9\r\nhashtable\r\n", r.call("OBJECT", "ENCODING", "d"));
      assertEquals(":2\r\n", r.call("SADD", "e", "1", "2"));
      assertEquals(":1\r\n", r.call("SADD", "e", "x"));
      assertEquals("$9\r\nhashtable\r\n", r.call("OBJECT", "ENCODING", "e"));
      assertEquals(":1\r\n", r.call("SREM", "e", "x"));
      assertEquals("$9\r\nhashtable\r\n", r.call("OBJECT", "ENCODING", "e"));
      r.call("CONFIG", "SET", "set-max-intset-entries", "2");
      assertEquals(":2\r\n", r.call("SADD", "f", "1", "2"));
      assertEquals("$6\r\nintset\r\n", r.call("OBJECT", "ENCODING", "f"));
      assertEquals(":1\r\n", r.call("SADD", "f", "3"));
      assertEquals("$9\r\nhashtable\r\n", r.call("OBJECT", "ENCODING", "f"));
      assertEquals(":2\r\n", r.call("SREM", "f", "3", "2"));
      assertEquals("$9\r\nhashtable\r\n", r.call("OBJECT", "ENCODING", "f"));
    }
  }

  @Test
  void sremDeletesEmptySet() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("SADD", "s", "a", "b", "1");
      assertEquals(":1\r\n", r.call("SREM", "s", "a", "zz"));
      assertEquals(":2\r\n", r.call("SREM", "s", "b", "1", "a"));
      assertEquals(":0\r\n", r.call("EXISTS", "s"));
      assertEquals(":0\r\n", r.call("SREM", "nokey", "a"));
      r.call("SADD", "t", "1", "2");
      assertEquals(":1\r\n", r.call("SREM", "t", "2", "x"));
      assertEquals(":1\r\n", r.call("SREM", "t", "1", "2"));
      assertEquals(":0\r\n", r.call("EXISTS", "t"));
    }
  }

  @Test
  void wrongType() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("SET", "k", "v");
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("SADD", "k", "a"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("SREM", "k", "a"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("SCARD", "k"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("SISMEMBER", "k", "a"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("SMISMEMBER", "k", "a"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("SMEMBERS", "k"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("SRANDMEMBER", "k"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("SRANDMEMBER", "k", "2"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("SPOP", "k"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("SPOP", "k", "0"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("SPOP", "k", "2"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("SMOVE", "k", "nokey", "a"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("SINTER", "k"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("SINTER", "nokey", "k"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("SUNION", "nokey", "k"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("SDIFF", "nokey", "k"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("SINTERSTORE", "d", "nokey", "k"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("SUNIONSTORE", "d", "k"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("SDIFFSTORE", "d", "nokey", "k"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("SINTERCARD", "2", "nokey", "k"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("SSCAN", "k", "0"));
      r.call("SADD", "s", "a");
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("SMOVE", "s", "k", "a"));
      assertEquals(":0\r\n", r.call("SMOVE", "nokey", "k", "a"));
      assertEquals(":1\r\n", r.call("SISMEMBER", "s", "a"));
    }
  }

  @Test
  void spop() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("SADD", "s", "1", "2", "3");
      assertEquals("$-1\r\n", r.call("SPOP", "nokey"));
      assertEquals("*0\r\n", r.call("SPOP", "nokey", "2"));
      assertEquals("*0\r\n", r.call("SPOP", "s", "0"));
      assertEquals("-ERR value is out of range, must be positive\r\n", r.call("SPOP", "s", "-1"));
      assertEquals("-ERR value is out of range, must be positive\r\n", r.call("SPOP", "s", "x"));
      assertEquals("-ERR syntax error\r\n", r.call("SPOP", "s", "1", "2"));
      assertEquals("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", r.call("SPOP", "s", "5"));
      assertEquals(":0\r\n", r.call("EXISTS", "s"));
      r.call("SADD", "t", "only");
      assertEquals("$4\r\nonly\r\n", r.call("SPOP", "t"));
      assertEquals(":0\r\n", r.call("EXISTS", "t"));
      r.call("SADD", "u", "8", "7");
      assertEquals("*2\r\n$1\r\n7\r\n$1\r\n8\r\n", r.call("SPOP", "u", "2"));
      assertEquals(":0\r\n", r.call("EXISTS", "u"));
    }
  }

  @Test
  void srandmember() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("SADD", "s", "3", "1", "2");
      assertEquals("$-1\r\n", r.call("SRANDMEMBER", "nokey"));
      assertEquals("*0\r\n", r.call("SRANDMEMBER", "nokey", "5"));
      assertEquals("*0\r\n", r.call("SRANDMEMBER", "nokey", "-5"));
      assertEquals("*0\r\n", r.call("SRANDMEMBER", "s", "0"));
      assertEquals("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", r.call("SRANDMEMBER", "s", "3"));
      assertEquals("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", r.call("SRANDMEMBER", "s", "10"));
      assertEquals("-ERR value is not an integer or out of range\r\n", r.call("SRANDMEMBER", "s", "x"));
      assertEquals("-ERR syntax error\r\n", r.call("SRANDMEMBER", "s", "1", "2"));
      assertEquals("-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n", r.call("SRANDMEMBER", "s", "-9223372036854775808"));
      r.call("SADD", "one", "z");
      assertEquals("*3\r\n$1\r\nz\r\n$1\r\nz\r\n$1\r\nz\r\n", r.call("SRANDMEMBER", "one", "-3"));
      assertEquals("$1\r\nz\r\n", r.call("SRANDMEMBER", "one"));
      assertEquals(":3\r\n", r.call("SCARD", "s"));
    }
  }

  @Test
  void smove() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("SADD", "a", "1", "2");
      r.call("SADD", "b", "x");
      assertEquals(":1\r\n", r.call("SMOVE", "a", "b", "1"));
      assertEquals(":0\r\n", r.call("SMOVE", "a", "b", "9"));
      assertEquals(":0\r\n", r.call("SMOVE", "nokey", "b", "1"));
      assertEquals(":1\r\n", r.call("SMOVE", "a", "a", "2"));
      assertEquals(":0\r\n", r.call("SMOVE", "a", "a", "9"));
      assertEquals(":1\r\n", r.call("SMOVE", "a", "c", "2"));
      assertEquals(":0\r\n", r.call("EXISTS", "a"));
      assertEquals("*1\r\n$1\r\n2\r\n", r.call("SMEMBERS", "c"));
      assertEquals("$6\r\nintset\r\n", r.call("OBJECT", "ENCODING", "c"));
      assertEquals(":1\r\n", r.call("SMOVE", "b", "d", "x"));
      assertEquals("$9\r\nhashtable\r\n", r.call("OBJECT", "ENCODING", "d"));
      assertEquals(":1\r\n", r.call("SMOVE", "c", "b", "2"));
      assertEquals(":2\r\n", r.call("SCARD", "b"));
    }
  }

  @Test
  void setAlgebraOnIntsets() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("SADD", "a", "5", "1", "3", "2");
      r.call("SADD", "b", "3", "4", "5", "6");
      r.call("SADD", "c", "5", "3");
      assertEquals("*2\r\n$1\r\n3\r\n$1\r\n5\r\n", r.call("SINTER", "a", "b"));
      assertEquals("*2\r\n$1\r\n3\r\n$1\r\n5\r\n", r.call("SINTER", "a", "b", "c"));
      assertEquals("*0\r\n", r.call("SINTER", "a", "nokey"));
      assertEquals("*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n5\r\n", r.call("SINTER", "a"));
      assertEquals("*6\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n$1\r\n6\r\n", r.call("SUNION", "a", "b"));
      assertEquals("*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n5\r\n", r.call("SUNION", "a", "nokey"));
      assertEquals("*0\r\n", r.call("SUNION", "nokey"));
      assertEquals("*2\r\n$1\r\n1\r\n$1\r\n2\r\n", r.call("SDIFF", "a", "b"));
      assertEquals("*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n5\r\n", r.call("SDIFF", "a", "nokey"));
      assertEquals("*0\r\n", r.call("SDIFF", "nokey", "a"));
      assertEquals("*0\r\n", r.call("SDIFF", "a", "a"));
      assertEquals(":2\r\n", r.call("SINTERSTORE", "d", "a", "b"));
      assertEquals("*2\r\n$1\r\n3\r\n$1\r\n5\r\n", r.call("SMEMBERS", "d"));
      assertEquals("$6\r\nintset\r\n", r.call("OBJECT", "ENCODING", "d"));
      assertEquals(":6\r\n", r.call("SUNIONSTORE", "d", "a", "b"));
      assertEquals("*6\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n$1\r\n6\r\n", r.call("SMEMBERS", "d"));
      assertEquals(":2\r\n", r.call("SDIFFSTORE", "d", "a", "b", "c"));
      assertEquals("*2\r\n$1\r\n1\r\n$1\r\n2\r\n", r.call("SMEMBERS", "d"));
      assertEquals(":0\r\n", r.call("SINTERSTORE", "d", "a", "nokey"));
      assertEquals(":0\r\n", r.call("EXISTS", "d"));
      r.call("SET", "str", "v");
      assertEquals(":4\r\n", r.call("SUNIONSTORE", "str", "a"));
      assertEquals("+set\r\n", r.call("TYPE", "str"));
      assertEquals(":0\r\n", r.call("SDIFFSTORE", "d", "a", "a"));
      assertEquals(":0\r\n", r.call("EXISTS", "d"));
      r.call("SADD", "w", "word");
      assertEquals(":5\r\n", r.call("SUNIONSTORE", "e", "a", "w"));
      assertEquals("$9\r\nhashtable\r\n", r.call("OBJECT", "ENCODING", "e"));
      assertEquals(":5\r\n", r.call("SCARD", "e"));
      assertEquals(":1\r\n", r.call("SINTERSTORE", "e", "w"));
      assertEquals("*1\r\n$4\r\nword\r\n", r.call("SMEMBERS", "e"));
      assertEquals("-ERR wrong number of arguments for 'sinter' command\r\n", r.call("SINTER"));
      assertEquals("-ERR wrong number of arguments for 'sinterstore' command\r\n", r.call("SINTERSTORE", "d"));
    }
  }

  @Test
  void sintercard() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("SADD", "a", "1", "2", "3", "4");
      r.call("SADD", "b", "2", "3", "4", "5");
      assertEquals(":3\r\n", r.call("SINTERCARD", "2", "a", "b"));
      assertEquals(":2\r\n", r.call("SINTERCARD", "2", "a", "b", "LIMIT", "2"));
      assertEquals(":3\r\n", r.call("SINTERCARD", "2", "a", "b", "LIMIT", "0"));
      assertEquals(":3\r\n", r.call("SINTERCARD", "2", "a", "b", "LIMIT", "10"));
      assertEquals(":4\r\n", r.call("SINTERCARD", "1", "a"));
      assertEquals(":0\r\n", r.call("SINTERCARD", "2", "a", "nokey"));
      assertEquals("-ERR numkeys should be greater than 0\r\n", r.call("SINTERCARD", "0", "a"));
      assertEquals("-ERR numkeys should be greater than 0\r\n", r.call("SINTERCARD", "-1", "a"));
      assertEquals("-ERR numkeys should be greater than 0\r\n", r.call("SINTERCARD", "x", "a"));
      assertEquals("-ERR Number of keys can't be greater than number of args\r\n", r.call("SINTERCARD", "3", "a", "b"));
      assertEquals("-ERR LIMIT can't be negative\r\n", r.call("SINTERCARD", "1", "a", "LIMIT", "-1"));
      assertEquals("-ERR LIMIT can't be negative\r\n", r.call("SINTERCARD", "1", "a", "LIMIT", "x"));
      assertEquals("-ERR syntax error\r\n", r.call("SINTERCARD", "1", "a", "LIMIT"));
      assertEquals("-ERR syntax error\r\n", r.call("SINTERCARD", "1", "a", "FOO", "1"));
      assertEquals("-ERR syntax error\r\n", r.call("SINTERCARD", "1", "a", "b"));
      assertEquals("-ERR wrong number of arguments for 'sintercard' command\r\n", r.call("SINTERCARD", "1"));
    }
  }

  @Test
  void sscanErrors() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("SADD", "s", "1");
      assertEquals("-ERR invalid cursor\r\n", r.call("SSCAN", "s", "x"));
      assertEquals("-ERR syntax error\r\n", r.call("SSCAN", "s", "0", "COUNT", "0"));
      assertEquals("-ERR syntax error\r\n", r.call("SSCAN", "s", "0", "TYPE", "string"));
      assertEquals("-ERR syntax error\r\n", r.call("SSCAN", "s", "0", "MATCH"));
      assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", r.call("SSCAN", "nokey", "0", "COUNT", "0"));
      assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", r.call("SSCAN", "nokey", "0"));
      assertEquals("-ERR wrong number of arguments for 'sscan' command\r\n", r.call("SSCAN", "s"));
    }
  }

  @Test
  void resp3Replies() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("HELLO", "3");
      r.call("SADD", "s", "2", "1");
      assertEquals("~2\r\n$1\r\n1\r\n$1\r\n2\r\n", r.call("SMEMBERS", "s"));
      assertEquals("~0\r\n", r.call("SMEMBERS", "nokey"));
      assertEquals("~2\r\n$1\r\n1\r\n$1\r\n2\r\n", r.call("SINTER", "s", "s"));
      assertEquals("~2\r\n$1\r\n1\r\n$1\r\n2\r\n", r.call("SUNION", "s", "nokey"));
      assertEquals("~2\r\n$1\r\n1\r\n$1\r\n2\r\n", r.call("SDIFF", "s", "nokey"));
      assertEquals("_\r\n", r.call("SPOP", "nokey"));
      assertEquals("~0\r\n", r.call("SPOP", "nokey", "1"));
      assertEquals("_\r\n", r.call("SRANDMEMBER", "nokey"));
      assertEquals("*0\r\n", r.call("SRANDMEMBER", "nokey", "2"));
      assertEquals("*2\r\n$1\r\n1\r\n$1\r\n2\r\n", r.call("SRANDMEMBER", "s", "5"));
      assertEquals("*2\r\n:1\r\n:0\r\n", r.call("SMISMEMBER", "s", "1", "3"));
      assertEquals("*2\r\n$1\r\n0\r\n*2\r\n$1\r\n1\r\n$1\r\n2\r\n", r.call("SSCAN", "s", "0"));
      assertEquals("~2\r\n$1\r\n1\r\n$1\r\n2\r\n", r.call("SPOP", "s", "5"));
    }
  }

  @Test
  void copyAndRenameKeepContents() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("SADD", "s", "3", "1", "2");
      assertEquals(":1\r\n", r.call("COPY", "s", "t"));
      assertEquals(":2\r\n", r.call("SADD", "t", "4", "x"));
      assertEquals("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", r.call("SMEMBERS", "s"));
      assertEquals(":5\r\n", r.call("SCARD", "t"));
      assertEquals("$6\r\nintset\r\n", r.call("OBJECT", "ENCODING", "s"));
      assertEquals("$9\r\nhashtable\r\n", r.call("OBJECT", "ENCODING", "t"));
      assertEquals("+OK\r\n", r.call("RENAME", "s", "u"));
      assertEquals("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", r.call("SMEMBERS", "u"));
      assertEquals("+set\r\n", r.call("TYPE", "u"));
    }
  }

  @Test
  void storeOverwritesAndClearsTtl() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("SADD", "a", "1", "2");
      r.call("SET", "d", "x");
      r.call("EXPIRE", "d", "100");
      assertEquals(":2\r\n", r.call("SUNIONSTORE", "d", "a"));
      assertEquals(":-1\r\n", r.call("TTL", "d"));
      assertEquals("+set\r\n", r.call("TYPE", "d"));
      assertEquals("*2\r\n$1\r\n1\r\n$1\r\n2\r\n", r.call("SMEMBERS", "d"));
    }
  }

  @Test
  void hashtableIntsConvertBackNever() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("CONFIG", "SET", "set-max-intset-entries", "3");
      assertEquals(":4\r\n", r.call("SADD", "s", "1", "2", "3", "4"));
      assertEquals(":1\r\n", r.call("SREM", "s", "4"));
      assertEquals("$9\r\nhashtable\r\n", r.call("OBJECT", "ENCODING", "s"));
      assertEquals(":3\r\n", r.call("SINTERSTORE", "d", "s", "s"));
      assertEquals("$6\r\nintset\r\n", r.call("OBJECT", "ENCODING", "d"));
      assertEquals("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", r.call("SMEMBERS", "d"));
    }
  }

  @Test
  void errorPrecedence() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("SET", "str", "v");
      assertEquals("-ERR LIMIT can't be negative\r\n", r.call("SINTERCARD", "1", "str", "LIMIT", "x"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("SINTERCARD", "2", "nokey", "str"));
      assertEquals(":0\r\n", r.call("SMOVE", "nokey", "str", "a"));
      r.call("SADD", "s1", "a");
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("SMOVE", "s1", "str", "b"));
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", r.call("SMOVE", "s1", "str", "a"));
      assertEquals(":1\r\n", r.call("SISMEMBER", "s1", "a"));
      assertEquals(":0\r\n", r.call("SINTERSTORE", "str", "nokey"));
      assertEquals(":0\r\n", r.call("EXISTS", "str"));
      r.call("SET", "str", "v");
      assertEquals(":0\r\n", r.call("SDIFFSTORE", "str", "nokey"));
      assertEquals(":0\r\n", r.call("EXISTS", "str"));
    }
  }
}
