package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.ReferenceServer;
import dev.vireo.testkit.RespClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exact reply bytes of the generic key commands, as Redis 7.0 writes them. With {@code -Dvireo.reference=redis}
 * the same assertions run against a real redis-server, which is how the expected bytes were checked.
 */
class KeyCommandsTest {
  private static ReferenceServer server;
  private static RespClient r;

  @BeforeAll
  static void start() {
    server = ReferenceServer.start();
    r = server.client();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @BeforeEach
  void flush() {
    assertEquals("+OK\r\n", r.call("FLUSHALL"));
    assertEquals("+OK\r\n", r.call("SELECT", "0"));
  }

  private static void is(String expected, String... cmd) {
    assertEquals(expected, r.call(cmd), () -> String.join(" ", cmd));
  }

  private static String bulk(String s) {
    return "$" + s.length() + "\r\n" + s + "\r\n";
  }

  private static final String NIL = "$-1\r\n";
  private static final String OK = "+OK\r\n";
  private static final String SYNTAX = "-ERR syntax error\r\n";

  @Test
  void delUnlinkExistsType() {
    is(OK, "MSET", "a", "1", "b", "2", "c", "3");
    is(":3\r\n", "EXISTS", "a", "a", "b");
    is(":0\r\n", "EXISTS", "x");
    is(":2\r\n", "DEL", "a", "a", "b", "x");
    is(":1\r\n", "UNLINK", "c", "c");
    is(":0\r\n", "DEL", "a");
    is(OK, "SET", "s", "v");
    is("+string\r\n", "TYPE", "s");
    is("+none\r\n", "TYPE", "x");
    is("-ERR wrong number of arguments for 'del' command\r\n", "DEL");
    is(":2\r\n", "TOUCH", "s", "s", "x");
  }

  @Test
  void keysGlobs() {
    is(OK, "MSET", "hello", "1", "hallo", "1", "hxllo", "1", "hllo", "1", "heeeello", "1", "h[a]llo", "1");
    assertKeys("*", "hello", "hallo", "hxllo", "hllo", "heeeello", "h[a]llo");
    assertKeys("h?llo", "hello", "hallo", "hxllo");
    assertKeys("h*llo", "hello", "hallo", "hxllo", "hllo", "heeeello", "h[a]llo");
    assertKeys("h[ae]llo", "hello", "hallo");
    assertKeys("h[^e]llo", "hallo", "hxllo");
    assertKeys("h[a-b]llo", "hallo");
    assertKeys("h\\[a\\]llo", "h[a]llo");
    assertKeys("nomatch");
    is("*0\r\n", "KEYS", "zzz*");
  }

  private static void assertKeys(String pattern, String... expected) {
    List<String> want = new ArrayList<>(List.of(expected));
    want.sort(null);
    List<String> got = bulks(r.call("KEYS", pattern));
    got.sort(null);
    assertEquals(want, got, "KEYS " + pattern);
  }

  /** The bulk strings of a reply, in order, at any nesting (a SCAN reply gives the cursor, then the keys). */
  static List<String> bulks(String reply) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < reply.length()) {
      int lineEnd = reply.indexOf("\r\n", i);
      if (reply.charAt(i) == '*') {
        i = lineEnd + 2;
        continue;
      }
      int len = Integer.parseInt(reply.substring(i + 1, lineEnd));
      out.add(reply.substring(lineEnd + 2, lineEnd + 2 + len));
      i = lineEnd + 2 + len + 2;
    }
    return out;
  }

  @Test
  void scanErrorsAndOptions() {
    is("-ERR invalid cursor\r\n", "SCAN", "x");
    is("-ERR invalid cursor\r\n", "SCAN", " 1");
    is("-ERR invalid cursor\r\n", "SCAN", "18446744073709551616");
    is(SYNTAX, "SCAN", "0", "COUNT", "0");
    is(SYNTAX, "SCAN", "0", "COUNT", "-1");
    is("-ERR value is not an integer or out of range\r\n", "SCAN", "0", "COUNT", "x");
    is(SYNTAX, "SCAN", "0", "MATCH");
    is(SYNTAX, "SCAN", "0", "BOGUS", "1");
    is("*2\r\n$1\r\n0\r\n*0\r\n", "SCAN", "0");
    is(OK, "SET", "only", "v");
    is("*2\r\n$1\r\n0\r\n*1\r\n$4\r\nonly\r\n", "SCAN", "0");
    is("*2\r\n$1\r\n0\r\n*0\r\n", "SCAN", "0", "MATCH", "x*");
    is("*2\r\n$1\r\n0\r\n*1\r\n$4\r\nonly\r\n", "SCAN", "0", "TYPE", "string");
    is("*2\r\n$1\r\n0\r\n*0\r\n", "SCAN", "0", "TYPE", "list");
  }

  @Test
  void scanFullIterationReturnsEveryKey() {
    int n = 500;
    List<String> mset = new ArrayList<>(List.of("MSET"));
    for (int i = 0; i < n; i++) {
      mset.add("key:" + i);
      mset.add("v");
    }
    is(OK, mset.toArray(String[]::new));
    Set<String> seen = new HashSet<>();
    Set<String> matched = new HashSet<>();
    String cursor = "0";
    int calls = 0;
    do {
      List<String> step = bulks(r.call("SCAN", cursor, "COUNT", "7"));
      cursor = step.get(0);
      seen.addAll(step.subList(1, step.size()));
      assertTrue(++calls < 10_000, "SCAN does not terminate");
    } while (!cursor.equals("0"));
    assertEquals(n, seen.size());
    cursor = "0";
    do {
      List<String> step = bulks(r.call("SCAN", cursor, "MATCH", "key:1*", "COUNT", "50"));
      cursor = step.get(0);
      matched.addAll(step.subList(1, step.size()));
    } while (!cursor.equals("0"));
    assertEquals(111, matched.size()); // 1, 10-19, 100-199
  }

  @Test
  void introspectionLeavesTheIdleTimeAlone() throws InterruptedException {
    is(OK, "SET", "k", "v");
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (r.call("OBJECT", "IDLETIME", "k").equals(":0\r\n")) {
      assertTrue(System.nanoTime() < deadline, "OBJECT IDLETIME stays 0");
      Thread.sleep(50);
    }
    is(":1\r\n", "EXISTS", "k");
    is("+string\r\n", "TYPE", "k");
    is(":-1\r\n", "TTL", "k");
    is(bulk("embstr"), "OBJECT", "ENCODING", "k");
    assertTrue(!r.call("OBJECT", "IDLETIME", "k").equals(":0\r\n"), "looking reset the idle time");
    is(bulk("v"), "GET", "k");
    // A read resets it (1 only if the clock's second turned in between).
    assertTrue(r.call("OBJECT", "IDLETIME", "k").matches(":[01]\r\n"));
  }

  @Test
  void randomkey() {
    is(NIL, "RANDOMKEY");
    is(OK, "SET", "one", "1");
    is(bulk("one"), "RANDOMKEY");
  }

  @Test
  void renameAndRenamenx() {
    is("-ERR no such key\r\n", "RENAME", "missing", "x");
    is("-ERR no such key\r\n", "RENAMENX", "missing", "x");
    is("-ERR no such key\r\n", "RENAME", "missing", "missing");
    is(OK, "SET", "a", "1");
    is(OK, "RENAME", "a", "a");
    is(":0\r\n", "RENAMENX", "a", "a");
    is(OK, "SET", "t", "v", "EX", "100");
    is(OK, "RENAME", "t", "moved");
    is(":100\r\n", "TTL", "moved");
    is(":-2\r\n", "TTL", "t");
    is(OK, "RENAME", "a", "moved");
    is(":-1\r\n", "TTL", "moved");
    is(bulk("1"), "GET", "moved");
    is(OK, "SET", "b", "2");
    is(":0\r\n", "RENAMENX", "b", "moved");
    is(":1\r\n", "RENAMENX", "b", "c");
    is(":0\r\n", "EXISTS", "b");
  }

  @Test
  void move() {
    is("-ERR source and destination objects are the same\r\n", "MOVE", "k", "0");
    is("-ERR DB index is out of range\r\n", "MOVE", "k", "16");
    is("-ERR DB index is out of range\r\n", "MOVE", "k", "-1");
    is("-ERR value is not an integer or out of range\r\n", "MOVE", "k", "x");
    is(":0\r\n", "MOVE", "k", "1");
    is(OK, "SET", "k", "v", "EX", "100");
    is(":1\r\n", "MOVE", "k", "1");
    is(":0\r\n", "EXISTS", "k");
    is(OK, "SELECT", "1");
    is(bulk("v"), "GET", "k");
    is(":100\r\n", "TTL", "k");
    is(OK, "SELECT", "0");
    is(OK, "SET", "k", "other");
    is(":0\r\n", "MOVE", "k", "1");
  }

  @Test
  void copy() {
    is(":0\r\n", "COPY", "missing", "dst");
    is(OK, "SET", "src", "v", "PX", "100000000");
    is(":1\r\n", "COPY", "src", "dst");
    is(bulk("v"), "GET", "dst");
    assertTrue(r.call("TTL", "dst").matches(":(9999[0-9]|100000)\r\n"));
    is(":0\r\n", "COPY", "src", "dst");
    is(OK, "SET", "src", "w");
    is(":1\r\n", "COPY", "src", "dst", "REPLACE");
    is(bulk("w"), "GET", "dst");
    is(":-1\r\n", "TTL", "dst");
    is(":1\r\n", "COPY", "src", "dst", "DB", "2");
    is("-ERR source and destination objects are the same\r\n", "COPY", "src", "src");
    is(":1\r\n", "COPY", "src", "src", "DB", "3");
    is("-ERR DB index is out of range\r\n", "COPY", "src", "x", "DB", "16");
    is(SYNTAX, "COPY", "src", "x", "BOGUS");
    is(SYNTAX, "COPY", "src", "x", "DB");
    is(OK, "SELECT", "2");
    is(bulk("w"), "GET", "dst");
  }

  @Test
  void swapdb() {
    is(OK, "SET", "k", "zero");
    is(OK, "SWAPDB", "0", "1");
    is(NIL, "GET", "k");
    is(OK, "SELECT", "1");
    is(bulk("zero"), "GET", "k");
    is(OK, "SWAPDB", "1", "1");
    is("-ERR invalid first DB index\r\n", "SWAPDB", "x", "1");
    is("-ERR invalid second DB index\r\n", "SWAPDB", "1", "y");
    is("-ERR DB index is out of range\r\n", "SWAPDB", "0", "16");
    is("-ERR DB index is out of range\r\n", "SWAPDB", "-1", "0");
  }

  @Test
  void expireFamily() {
    is(":0\r\n", "EXPIRE", "missing", "100");
    is(OK, "SET", "k", "v");
    is(":-1\r\n", "TTL", "k");
    is(":-1\r\n", "PTTL", "k");
    is(":-1\r\n", "EXPIRETIME", "k");
    is(":-1\r\n", "PEXPIRETIME", "k");
    is(":-2\r\n", "TTL", "missing");
    is(":-2\r\n", "PTTL", "missing");
    is(":-2\r\n", "EXPIRETIME", "missing");
    is(":-2\r\n", "PEXPIRETIME", "missing");
    is(":0\r\n", "EXPIRE", "k", "100", "XX");
    is(":0\r\n", "EXPIRE", "k", "100", "GT");
    is(":1\r\n", "EXPIRE", "k", "100", "LT");
    is(":0\r\n", "EXPIRE", "k", "200", "NX");
    is(":0\r\n", "EXPIRE", "k", "200", "LT");
    is(":1\r\n", "EXPIRE", "k", "200", "GT");
    is(":200\r\n", "TTL", "k");
    is(":1\r\n", "EXPIRE", "k", "50", "XX", "LT");
    is(":50\r\n", "TTL", "k");
    is(":1\r\n", "PEXPIREAT", "k", "4000000000000");
    is(":4000000000\r\n", "EXPIRETIME", "k");
    is(":4000000000000\r\n", "PEXPIRETIME", "k");
    is(":1\r\n", "EXPIREAT", "k", "4000000001");
    is(":4000000001000\r\n", "PEXPIRETIME", "k");
    is(":1\r\n", "PERSIST", "k");
    is(":0\r\n", "PERSIST", "k");
    is(":0\r\n", "PERSIST", "missing");
    is(":-1\r\n", "TTL", "k");
    is("-ERR NX and XX, GT or LT options at the same time are not compatible\r\n", "EXPIRE", "k", "1", "NX",
        "XX");
    is("-ERR NX and XX, GT or LT options at the same time are not compatible\r\n", "EXPIRE", "k", "1", "NX",
        "GT");
    is("-ERR GT and LT options at the same time are not compatible\r\n", "EXPIRE", "k", "1", "GT", "LT");
    is("-ERR Unsupported option xyz\r\n", "EXPIRE", "k", "1", "xyz");
    is("-ERR Unsupported option xyz\r\n", "EXPIRE", "k", "notanumber", "xyz");
    is("-ERR value is not an integer or out of range\r\n", "EXPIRE", "k", "1.5");
    is("-ERR invalid expire time in 'expire' command\r\n", "EXPIRE", "k", "9223372036854775807");
    is("-ERR invalid expire time in 'pexpire' command\r\n", "PEXPIRE", "k", "9223372036854775807");
    is("-ERR invalid expire time in 'expireat' command\r\n", "EXPIREAT", "k", "9223372036854775807");
    is(":1\r\n", "PEXPIREAT", "k", "9223372036854775807");
    is(":9223372036854775807\r\n", "PEXPIRETIME", "k");
    is(":1\r\n", "PERSIST", "k");
    // A time in the past deletes the key at once, and a negative relative time is in the past.
    is(":1\r\n", "EXPIRE", "k", "-1");
    is(":0\r\n", "EXISTS", "k");
    is(OK, "SET", "k", "v");
    is(":1\r\n", "EXPIREAT", "k", "1");
    is(":-2\r\n", "TTL", "k");
    is(OK, "SET", "k", "v");
    is(":0\r\n", "EXPIRE", "k", "-1", "GT");
    is(":1\r\n", "EXPIRE", "k", "-1", "LT");
    is(":0\r\n", "EXISTS", "k");
  }
}
