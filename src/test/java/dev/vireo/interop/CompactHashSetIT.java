package dev.vireo.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The edges of the packed hash listpack and intset layouts, against a real redis-server 7.0: conversion at the
 * default thresholds, values rewritten in place or re-packed, lengths needing more than one length byte, deletes
 * down to an empty key, intset widening, and a COPY changed independently of its source. Every reply is compared
 * byte for byte (the orders compared are the ones Redis defines: a listpack's insertion order, an intset's
 * ascending one), and DEBUG DIGEST-VALUE closes each case.
 */
@Timeout(120)
class CompactHashSetIT {
  private static RedisServerProcess redis;
  private static TestNode node;
  private static RespClient r;
  private static RespClient v;

  @BeforeAll
  static void start() {
    redis = RedisServerProcess.start("--enable-debug-command", "yes");
    node = TestNode.start();
    r = redis.client();
    v = node.client();
  }

  @AfterAll
  static void stop() {
    try {
      if (r != null) r.close();
      if (v != null) v.close();
      if (redis != null) redis.close();
    } finally {
      if (node != null) node.close();
    }
  }

  @BeforeEach
  void clean() {
    same("FLUSHALL");
    same("CONFIG", "SET", "hash-max-listpack-entries", "512");
    same("CONFIG", "SET", "hash-max-listpack-value", "64");
    same("CONFIG", "SET", "set-max-intset-entries", "512");
  }

  private static String same(String... cmd) {
    String expected = r.call(cmd);
    assertEquals(expected, v.call(cmd), String.join(" ", cmd));
    return expected;
  }

  private static void sameContents(String key) {
    same("TYPE", key);
    same("OBJECT", "ENCODING", key);
    String type = r.call("TYPE", key);
    if (type.contains("hash")) {
      same("HLEN", key);
      if (r.call("OBJECT", "ENCODING", key).contains("listpack")) same("HGETALL", key);
    } else if (type.contains("set")) {
      same("SCARD", key);
      if (r.call("OBJECT", "ENCODING", key).contains("intset")) same("SMEMBERS", key);
    }
    same("DEBUG", "DIGEST-VALUE", key);
  }

  private static String[] hset(String key, int from, int to, String fieldPrefix, String value) {
    List<String> args = new ArrayList<>(List.of("HSET", key));
    for (int i = from; i < to; i++) {
      args.add(fieldPrefix + i);
      args.add(value + i);
    }
    return args.toArray(new String[0]);
  }

  @Test
  void hashListpackConvertsAtTheEntryThreshold() {
    same(hset("h", 0, 511, "f", "v"));
    sameContents("h");
    same("HSET", "h", "f0", "w0"); // an update: still 511
    same("HSET", "h", "last", "x");
    sameContents("h"); // 512 entries: still a listpack
    same("HSET", "h", "one-more", "y");
    sameContents("h"); // 513: a hashtable
    same("HGET", "h", "f5");
    same("HMGET", "h", "f1", "nope", "last", "one-more");
    same("HDEL", "h", "one-more", "last", "f0");
    sameContents("h"); // never converted back
  }

  @Test
  void hashListpackConvertsForALongFieldOrValue() {
    String v64 = "a".repeat(64);
    String v65 = "b".repeat(65);
    same("HSET", "h1", "f", v64, "g", "1");
    sameContents("h1");
    same("HSET", "h1", "g", v65); // an update to a long value converts
    sameContents("h1");
    same("HSET", "h2", "f", "1");
    same("HSETNX", "h2", v65, "x"); // a long new field
    sameContents("h2");
    same("HSET", "h3", "f", "1");
    same("HINCRBYFLOAT", "h3", "f", "0.1"); // a value written by the server, re-packed longer
    same("HINCRBY", "h3", "n", "99999999999");
    same("HSTRLEN", "h3", "n");
    same("HSTRLEN", "h3", "missing");
    sameContents("h3");
  }

  @Test
  void hashValuesRewrittenInPlaceOrRepacked() {
    same("HSET", "h", "a", "111", "b", "222", "c", "333", "", "empty-field", "e", "");
    same("HSET", "h", "b", "xyz"); // same length: in place
    same("HSET", "h", "a", "1"); // shorter
    same("HSET", "h", "c", "3".repeat(60)); // longer
    same("HSET", "h", "e", "now set");
    same("HSET", "h", "", "");
    sameContents("h");
    same("HKEYS", "h");
    same("HVALS", "h");
    same("HEXISTS", "h", "");
    same("HEXISTS", "h", "zz");
    same("HRANDFIELD", "h", "100", "WITHVALUES");
    same("HSCAN", "h", "0", "MATCH", "*", "COUNT", "1");
  }

  @Test
  void hashLengthsPastOneLengthByte() {
    same("CONFIG", "SET", "hash-max-listpack-value", "20000");
    String f200 = "f".repeat(200);
    String v300 = "v".repeat(300);
    String v17000 = "w".repeat(17000);
    same("HSET", "h", f200, v300, "short", "s", "f".repeat(127), "v".repeat(128));
    same("HSET", "h", "big", v17000);
    sameContents("h");
    same("HGET", "h", f200);
    same("HSTRLEN", "h", "big");
    same("HSET", "h", f200, "now short");
    same("HDEL", "h", "short");
    sameContents("h");
    same("HSET", "h", "short", v300);
    sameContents("h");
  }

  @Test
  void hashDeletesDownToEmpty() {
    same(hset("h", 0, 6, "f", "v"));
    same("HDEL", "h", "f3"); // the middle
    same("HDEL", "h", "f0"); // the first
    same("HDEL", "h", "f5"); // the last
    sameContents("h");
    same("HDEL", "h", "f1", "f2", "nope", "f4");
    same("EXISTS", "h");
    same(hset("big", 0, 600, "f", "v"));
    for (int i = 0; i < 600; i += 150) same(hset("big", i, i + 150, "f", "w"));
    List<String> del = new ArrayList<>(List.of("HDEL", "big"));
    for (int i = 0; i < 599; i++) del.add("f" + i);
    same(del.toArray(new String[0]));
    sameContents("big"); // one field left of a shrunk table
    same("HGETALL", "big");
    same("HDEL", "big", "f599");
    same("EXISTS", "big");
  }

  @Test
  void copiesChangeIndependently() {
    same("HSET", "h", "a", "1", "b", "22");
    same(hset("ht", 0, 600, "f", "v"));
    same("SADD", "is", "1", "2", "3");
    same("SADD", "st", "x", "y", "z");
    for (String k : new String[] {"h", "ht", "is", "st"}) same("COPY", k, k + "-copy");
    same("HSET", "h-copy", "a", "9"); // in place in the copy
    same("HSET", "h", "b", "33");
    same("HSET", "ht-copy", "f1", "changed", "new", "x");
    same("HDEL", "ht", "f2");
    same("SADD", "is-copy", "100000");
    same("SREM", "is", "2");
    same("SADD", "st-copy", "w");
    same("SREM", "st", "x");
    for (String k : new String[] {"h", "ht", "is", "st"}) {
      sameContents(k);
      sameContents(k + "-copy");
    }
    same("HGET", "ht", "f1");
    same("HGET", "ht-copy", "f1");
  }

  @Test
  void intsetWidensAndConvertsAsRedis() {
    same("SADD", "s", "5", "-3", "100");
    same("SMEMBERS", "s");
    same("SADD", "s", "70000"); // 4 bytes, the largest: last
    same("SADD", "s", "-5000000000"); // 8 bytes, the smallest: first
    same("SADD", "s", "9223372036854775807", "-9223372036854775808", "0", "32767", "-32768", "2147483648");
    sameContents("s");
    same("SISMEMBER", "s", "70000");
    same("SISMEMBER", "s", "70001");
    same("SMISMEMBER", "s", "-5000000000", "5", "6", "x", "007");
    same("SREM", "s", "-5000000000", "9223372036854775807", "5");
    sameContents("s");
    same("SADD", "narrow", "1", "2");
    same("SISMEMBER", "narrow", "100000"); // wider than the set: absent
    same("SREM", "narrow", "10000000000");
    same("SADD", "narrow", "007"); // not canonical: a hashtable
    sameContents("narrow");
    same("SREM", "s", "-3", "100", "70000", "-9223372036854775808", "0", "32767", "-32768", "2147483648");
    same("EXISTS", "s");
  }

  @Test
  void intsetConvertsAtTheEntryThreshold() {
    List<String> args = new ArrayList<>(List.of("SADD", "s"));
    for (int i = 0; i < 512; i++) args.add(Integer.toString(i * 7 - 1000));
    same(args.toArray(new String[0]));
    sameContents("s"); // 512: an intset
    same("SADD", "s", "-1000"); // present
    same("SADD", "s", "1");
    sameContents("s"); // 513: a hashtable
    same("SREM", "s", "1", "-1000", "nope");
    sameContents("s");
  }
}
