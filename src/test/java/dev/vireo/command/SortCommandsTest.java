package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SORT and SORT_RO, replies compared byte for byte with Redis 7.0.15 for the same data, loaded with RPUSH, SADD,
 * ZADD (scores 1..n, so rank order is the order given) and HSET.
 */
class SortCommandsTest {
  private static TestNode node;

  /** A list, set or sorted set to load: its elements in their natural order. */
  record Seq(String type, String... items) {}

  /** A sorted set given in rank order. */
  static Seq zset(String... items) {
    return new Seq("zset", items);
  }

  /** A hash: field, value, field, value... */
  record Hash(String... fieldsAndValues) {}

  @BeforeAll
  static void start() {
    node = TestNode.start();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @BeforeEach
  void flush() {
    try (RespClient r = node.client()) {
      r.call("FLUSHALL");
    }
  }

  /** Replaces the key with the given value, through the commands a client would use. */
  static void put(RespClient r, String key, Object value) {
    r.call("DEL", key);
    List<String> cmd = new ArrayList<>();
    if (value instanceof Hash h) {
      cmd.addAll(List.of("HSET", key));
      cmd.addAll(List.of(h.fieldsAndValues()));
    } else {
      Seq q = (Seq) value;
      if (q.items().length == 0) return;
      switch (q.type()) {
        case "list" -> cmd.addAll(List.of("RPUSH", key));
        case "set" -> cmd.addAll(List.of("SADD", key));
        case "zset" -> cmd.addAll(List.of("ZADD", key));
        default -> throw new IllegalArgumentException(q.type());
      }
      for (int i = 0; i < q.items().length; i++) {
        if (q.type().equals("zset")) cmd.add(Integer.toString(i + 1));
        cmd.add(q.items()[i]);
      }
    }
    String reply = r.call(cmd.toArray(new String[0]));
    if (reply.startsWith("-")) throw new IllegalStateException(cmd + ": " + reply);
  }

  private static void put(String key, Object value) {
    try (RespClient r = node.client()) {
      put(r, key, value);
    }
  }

  private static String bulks(String... items) {
    StringBuilder sb = new StringBuilder("*" + items.length + "\r\n");
    for (String s : items) {
      if (s == null) sb.append("$-1\r\n");
      else sb.append('$').append(s.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(s).append("\r\n");
    }
    return sb.toString();
  }

  private static final String NOT_DOUBLE = "-ERR One or more scores can't be converted into double\r\n";

  @Test
  void numericAlphaAndLimit() {
    put("l", new Seq("list", "3", "1", "2", "10", "-5", "1.5"));
    try (RespClient r = node.client()) {
      assertEquals(bulks("-5", "1", "1.5", "2", "3", "10"), r.call("SORT", "l"));
      assertEquals(bulks("-5", "1", "1.5", "2", "3", "10"), r.call("sort_ro", "l"));
      assertEquals(bulks("-5", "1", "1.5", "2", "3", "10"), r.call("SORT", "l", "ASC"));
      assertEquals(bulks("10", "3", "2", "1.5", "1", "-5"), r.call("SORT", "l", "DESC"));
      assertEquals(bulks("-5", "1", "1.5", "10", "2", "3"), r.call("SORT", "l", "ALPHA"));
      assertEquals(bulks("3", "2", "10", "1.5", "1", "-5"), r.call("SORT", "l", "alpha", "desc"));
      assertEquals(bulks("1", "1.5"), r.call("SORT", "l", "LIMIT", "1", "2"));
      assertEquals(bulks("-5", "1"), r.call("SORT", "l", "LIMIT", "-1", "2"));
      assertEquals(bulks("1.5", "2", "3", "10"), r.call("SORT", "l", "LIMIT", "2", "-1"));
      assertEquals("*0\r\n", r.call("SORT", "l", "LIMIT", "10", "5"));
      assertEquals("*0\r\n", r.call("SORT", "l", "LIMIT", "0", "0"));
      assertEquals(bulks("10"), r.call("SORT", "l", "LIMIT", "5", "1"));
      assertEquals("*0\r\n", r.call("SORT", "l", "LIMIT", "6", "1"));
      assertEquals(bulks("1.5", "2", "3", "10"), r.call("SORT", "l", "LIMIT", "2", "9223372036854775807"));
      assertEquals("*0\r\n", r.call("SORT", "l", "LIMIT", "9223372036854775807", "9223372036854775807"));
      assertEquals(bulks("-5", "1", "1.5", "2", "3", "10"), r.call("SORT", "l", "GET", "#"));
    }
  }

  @Test
  void byNosortKeepsNaturalOrder() {
    put("l", new Seq("list", "3", "1", "2", "10", "-5", "1.5"));
    put("z", new Seq("zset", "b", "c", "a"));
    try (RespClient r = node.client()) {
      assertEquals(bulks("3", "1", "2", "10", "-5", "1.5"), r.call("SORT", "l", "BY", "nosort"));
      assertEquals(bulks("1.5", "-5", "10", "2", "1", "3"), r.call("SORT", "l", "BY", "nosort", "DESC"));
      assertEquals(bulks("1", "2"), r.call("SORT", "l", "BY", "nosort", "LIMIT", "1", "2"));
      assertEquals(bulks("-5", "10"), r.call("SORT", "l", "BY", "nosort", "DESC", "LIMIT", "1", "2"));
      assertEquals(bulks("1", "3"), r.call("SORT", "l", "BY", "nosort", "DESC", "LIMIT", "4", "10"));
      assertEquals(bulks("b", "c", "a"), r.call("SORT", "z", "BY", "nosort"));
      assertEquals(bulks("a", "c", "b"), r.call("SORT", "z", "BY", "nosort", "DESC"));
      assertEquals(bulks("c"), r.call("SORT", "z", "BY", "nosort", "DESC", "LIMIT", "1", "1"));
      assertEquals(bulks("c", "b", "a"), r.call("SORT", "z", "ALPHA", "DESC"));
      assertEquals(NOT_DOUBLE, r.call("SORT", "z"));
    }
  }

  @Test
  void byAndGetPatternsOnStrings() {
    put("l", new Seq("list", "3", "1", "2", "10", "-5", "1.5"));
    try (RespClient r = node.client()) {
      r.call("MSET", "w_3", "30", "w_1", "100", "w_2", "-1", "w_10", "5");
      assertEquals(bulks("2", "-5", "1.5", "10", "3", "1"), r.call("SORT", "l", "BY", "w_*"));
      assertEquals(bulks("1", "3", "10", "1.5", "-5", "2"), r.call("SORT", "l", "BY", "w_*", "DESC"));
      assertEquals(bulks("-5", "1.5", "2", "1", "3", "10"), r.call("SORT", "l", "BY", "w_*", "ALPHA"));
      assertEquals(bulks("2", "-1", null, "-5", null, null, "1.5", null, null, "10", "5", null, "3", "30", null,
          "1", "100", null), r.call("SORT", "l", "BY", "w_*", "GET", "#", "GET", "w_*", "GET", "nostar"));
      assertEquals(bulks(null, null, null, null, null, null), r.call("SORT", "l", "BY", "w_*->", "GET", "w_*->"));
      assertEquals("*0\r\n", r.call("SORT", "missing", "BY", "w_*", "GET", "w_*"));
    }
  }

  @Test
  void sortConvertsSortedSetsToSkiplist() {
    put("z", zset("a", "b"));
    put("z3", zset("a"));
    try (RespClient r = node.client()) {
      assertEquals("$8\r\nlistpack\r\n", r.call("OBJECT", "ENCODING", "z"));
      assertEquals(bulks("a", "b"), r.call("SORT_RO", "z", "BY", "nosort"));
      assertEquals("$8\r\nskiplist\r\n", r.call("OBJECT", "ENCODING", "z"));
      assertEquals("*0\r\n", r.call("SORT", "z3", "LIMIT", "0", "0", "ALPHA"));
      assertEquals("$8\r\nskiplist\r\n", r.call("OBJECT", "ENCODING", "z3"));
    }
  }

  @Test
  void repeatedOptions() {
    put("l", new Seq("list", "3", "1", "2"));
    try (RespClient r = node.client()) {
      r.call("MSET", "w_3", "1", "w_1", "3", "w_2", "2");
      assertEquals(bulks("3", "1", "2"), r.call("SORT", "l", "BY", "nosort", "BY", "w_*"));
      assertEquals(bulks("3", "1", "2"), r.call("SORT", "l", "BY", "w_*", "BY", "nosort"));
      assertEquals(bulks("2"), r.call("SORT", "l", "BY", "w_*", "BY", "w_*", "LIMIT", "0", "1", "LIMIT", "1", "1"));
      assertEquals(":6\r\n", r.call("SORT", "l", "GET", "#", "GET", "#", "STORE", "d", "STORE", "e"));
      assertEquals(":0\r\n", r.call("EXISTS", "d"));
      assertEquals(bulks("1", "1", "2", "2", "3", "3"), r.call("SORT", "e", "BY", "nosort"));
      assertEquals(bulks("3", "2", "1"), r.call("SORT", "l", "ALPHA", "ASC", "DESC"));
      assertEquals(bulks("1", "2", "3"), r.call("SORT", "l", "DESC", "ASC"));
    }
  }

  @Test
  void hashFieldPatterns() {
    put("hl", new Seq("list", "a", "b", "c"));
    put("hb", new Hash("f", "7"));
    put("ha", new Hash("f", "9", "g", "x"));
    try (RespClient r = node.client()) {
      assertEquals(bulks("c", "b", "a"), r.call("SORT", "hl", "BY", "h*->f"));
      assertEquals(bulks(null, null, "c", null, "7", "b", "x", "9", "a"),
          r.call("SORT", "hl", "BY", "h*->f", "GET", "h*->g", "GET", "h*->f", "GET", "#"));
      assertEquals(":3\r\n", r.call("SORT", "hl", "BY", "h*->f", "GET", "h*->g", "STORE", "d2"));
      assertEquals(bulks("", "", "x"), r.call("SORT", "d2", "BY", "nosort"));
      r.call("SET", "hc", "1");
      assertEquals(bulks(null, "1", "7", null, "9", null),
          r.call("SORT", "hl", "BY", "h*->f", "GET", "h*->f", "GET", "h*"));
      r.call("HELLO", "3");
      assertEquals("*3\r\n_\r\n_\r\n$1\r\nx\r\n", r.call("SORT", "hl", "BY", "h*->f", "GET", "h*->g"));
    }
  }

  @Test
  void store() {
    put("l", new Seq("list", "3", "1", "2", "10", "-5", "1.5"));
    put("s", new Seq("set", "b", "a", "c", "3", "1"));
    try (RespClient r = node.client()) {
      r.call("MSET", "w_3", "30", "w_1", "100", "w_2", "-1", "w_10", "5");
      r.call("SET", "d", "old");
      r.call("EXPIRE", "d", "100");
      assertEquals(":6\r\n", r.call("SORT", "l", "STORE", "d"));
      assertEquals("+list\r\n", r.call("TYPE", "d"));
      assertEquals(":-1\r\n", r.call("TTL", "d"));
      assertEquals(bulks("-5", "1", "1.5", "2", "3", "10"), r.call("SORT", "d", "BY", "nosort"));
      assertEquals(":6\r\n", r.call("SORT", "l", "GET", "w_*", "STORE", "d"));
      assertEquals(bulks("", "100", "", "-1", "30", "5"), r.call("SORT", "d", "BY", "nosort"));
      assertEquals(":0\r\n", r.call("SORT", "l", "LIMIT", "0", "0", "STORE", "d"));
      assertEquals(":0\r\n", r.call("EXISTS", "d"));
      r.call("SET", "d", "x");
      assertEquals(":0\r\n", r.call("SORT", "missing", "STORE", "d"));
      assertEquals(":0\r\n", r.call("EXISTS", "d"));
      // A set has no order of its own: stored BY nosort results are sorted ALPHA.
      assertEquals(":5\r\n", r.call("SORT", "s", "BY", "nosort", "STORE", "d"));
      assertEquals(bulks("1", "3", "a", "b", "c"), r.call("SORT", "d", "BY", "nosort"));
      assertEquals(NOT_DOUBLE, r.call("SORT", "s"));
      assertEquals(NOT_DOUBLE, r.call("SORT", "s", "DESC", "LIMIT", "1", "2"));
      assertEquals(NOT_DOUBLE, r.call("SORT", "s", "STORE", "d"));
      assertEquals(":1\r\n", r.call("EXISTS", "d")); // an error leaves the destination alone
    }
  }

  @Test
  void numbersParseLikeStrtod() {
    put("a", new Seq("list", "5", "inf", "-inf", " 7", "0x10", ""));
    put("h", new Seq("list", "5.", ".5", "-.5e1", "+3", "5.e1", "  -2", "1E2"));
    put("j", new Seq("list", "0x1p3", "0x.8", "0X1P-1", "0x1A"));
    put("k", new Seq("list", "infinity", "-Infinity", "2"));
    put("n", new Seq("list", "2.2250738585072014e-308", "0e-400", "0.0000"));
    try (RespClient r = node.client()) {
      assertEquals(bulks("-inf", "", "5", " 7", "0x10", "inf"), r.call("SORT", "a"));
      assertEquals(bulks("-.5e1", "  -2", ".5", "+3", "5.", "5.e1", "1E2"), r.call("SORT", "h"));
      assertEquals(bulks("0X1P-1", "0x.8", "0x1p3", "0x1A"), r.call("SORT", "j"));
      assertEquals(bulks("-Infinity", "2", "infinity"), r.call("SORT", "k"));
      assertEquals(bulks("0.0000", "0e-400", "2.2250738585072014e-308"), r.call("SORT", "n"));
      for (String bad : new String[] {"1e400", "1e-310", "1e-400", "4e-320", "5 ", "nan", "0x", "1e", "1e+", "0x1p",
          "+", ".", "-", " ", "1e5x", "abc"}) {
        put("b", new Seq("list", "1", bad));
        assertEquals(NOT_DOUBLE, r.call("SORT", "b"), bad);
        assertEquals(bulks("1", bad), r.call("SORT", "b", "BY", "nosort"), bad);
      }
    }
  }

  @Test
  void errors() {
    put("l", new Seq("list", "3", "1"));
    put("h", new Hash("f", "1"));
    try (RespClient r = node.client()) {
      r.call("SET", "str", "x");
      String syntax = "-ERR syntax error\r\n";
      assertEquals(syntax, r.call("SORT", "l", "LIMIT"));
      assertEquals(syntax, r.call("SORT", "l", "LIMIT", "1"));
      assertEquals("-ERR value is not an integer or out of range\r\n", r.call("SORT", "l", "LIMIT", "a", "1"));
      assertEquals(syntax, r.call("SORT", "l", "foo"));
      assertEquals(syntax, r.call("SORT", "l", "STORE"));
      assertEquals(syntax, r.call("SORT", "l", "BY"));
      assertEquals(syntax, r.call("SORT", "l", "GET"));
      assertEquals(syntax, r.call("SORT_RO", "l", "STORE", "d"));
      assertEquals("*0\r\n", r.call("SORT", "missing"));
      assertEquals("*0\r\n", r.call("SORT_RO", "missing", "LIMIT", "0", "1"));
      assertEquals(":0\r\n", r.call("SORT", "missing", "STORE", "d"));
      String wrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
      assertEquals(wrongType, r.call("SORT", "str"));
      assertEquals(wrongType, r.call("SORT", "h"));
      assertEquals(wrongType, r.call("SORT_RO", "str"));
      assertEquals("-ERR value is not an integer or out of range\r\n", r.call("SORT", "str", "LIMIT", "a", "b"));
      assertEquals(syntax, r.call("SORT", "str", "foo"));
      assertEquals("-ERR wrong number of arguments for 'sort' command\r\n", r.call("SORT"));
      assertEquals("-ERR wrong number of arguments for 'sort_ro' command\r\n", r.call("SORT_RO"));
    }
  }
}
