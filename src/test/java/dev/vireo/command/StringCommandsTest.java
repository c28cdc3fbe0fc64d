package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.ReferenceServer;
import dev.vireo.testkit.RespClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exact reply bytes of the string commands, as Redis 7.0 writes them. With {@code -Dvireo.reference=redis} the
 * same assertions run against a real redis-server, which is how the expected bytes were checked.
 */
class StringCommandsTest {
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
  private static final String NOT_INT = "-ERR value is not an integer or out of range\r\n";
  private static final String NOT_FLOAT = "-ERR value is not a valid float\r\n";

  @Test
  void getAndSet() {
    is(NIL, "GET", "k");
    is(OK, "SET", "k", "v");
    is(bulk("v"), "GET", "k");
    is(OK, "SET", "k", "");
    is("$0\r\n\r\n", "GET", "k");
    is("-ERR wrong number of arguments for 'get' command\r\n", "GET");
    is("-ERR wrong number of arguments for 'set' command\r\n", "SET", "k");
  }

  @Test
  void setOptions() {
    is(NIL, "SET", "k", "v", "XX");
    is(OK, "SET", "k", "v", "NX");
    is(NIL, "SET", "k", "w", "NX");
    is(OK, "SET", "k", "w", "XX");
    is(bulk("w"), "SET", "k", "x", "GET");
    is(NIL, "SET", "new", "x", "GET");
    is(bulk("x"), "SET", "k", "y", "NX", "GET");
    is(bulk("x"), "GET", "k");
    is(NIL, "SET", "absent", "y", "XX", "GET");
    is(NIL, "GET", "absent");
    is(NIL, "SET", "nxget", "v", "NX", "GET");
    is(bulk("v"), "GET", "nxget");
    is(SYNTAX, "SET", "k", "v", "NX", "XX");
    is(SYNTAX, "SET", "k", "v", "XX", "NX");
    is(SYNTAX, "SET", "k", "v", "EX", "10", "PX", "100");
    is(SYNTAX, "SET", "k", "v", "EX", "10", "KEEPTTL");
    is(SYNTAX, "SET", "k", "v", "KEEPTTL", "PXAT", "10");
    is(SYNTAX, "SET", "k", "v", "EX");
    is(SYNTAX, "SET", "k", "v", "BOGUS");
    is(SYNTAX, "SET", "k", "v", "PERSIST");
    is("-ERR invalid expire time in 'set' command\r\n", "SET", "k", "v", "EX", "0");
    is("-ERR invalid expire time in 'set' command\r\n", "SET", "k", "v", "PX", "-1");
    is("-ERR invalid expire time in 'set' command\r\n", "SET", "k", "v", "EX", "9223372036854775807");
    is("-ERR invalid expire time in 'set' command\r\n", "SET", "k", "v", "PX", "9223372036854775807");
    is(NOT_INT, "SET", "k", "v", "EX", "1.5");
    is(NOT_INT, "SET", "k", "v", "EX", "10", "EX", "ten");
    is(OK, "SET", "k", "v", "ex", "100", "EX", "200");
    is(":200\r\n", "TTL", "k");
    is(OK, "SET", "k", "v2", "KEEPTTL", "KEEPTTL");
    is(":200\r\n", "TTL", "k");
    is(OK, "SET", "k", "v3");
    is(":-1\r\n", "TTL", "k");
    is(OK, "SET", "k", "v", "PXAT", "4000000000000");
    is(":4000000000000\r\n", "PEXPIRETIME", "k");
    is(OK, "SET", "k", "v", "EXAT", "4000000000");
    is(":4000000000\r\n", "EXPIRETIME", "k");
    is(OK, "SET", "k", "v", "PX", "100000");
    assertTrue(r.call("PTTL", "k").matches(":(99[0-9]{3}|100000)\r\n"));
    // An absolute time in the past stores nothing.
    is(OK, "SET", "k", "v", "EXAT", "1");
    is(NIL, "GET", "k");
    is(":0\r\n", "EXISTS", "k");
  }

  @Test
  void setnxSetexPsetex() {
    is(":1\r\n", "SETNX", "k", "a");
    is(":0\r\n", "SETNX", "k", "b");
    is(bulk("a"), "GET", "k");
    is(OK, "SETEX", "k", "100", "v");
    is(":100\r\n", "TTL", "k");
    is(OK, "PSETEX", "p", "100000", "v");
    is(":100\r\n", "TTL", "p");
    is("-ERR invalid expire time in 'setex' command\r\n", "SETEX", "k", "0", "v");
    is("-ERR invalid expire time in 'setex' command\r\n", "SETEX", "k", "-1", "v");
    is("-ERR invalid expire time in 'psetex' command\r\n", "PSETEX", "k", "0", "v");
    is("-ERR invalid expire time in 'setex' command\r\n", "SETEX", "k", "9223372036854775807", "v");
    is(NOT_INT, "SETEX", "k", "1x", "v");
    is("-ERR wrong number of arguments for 'setex' command\r\n", "SETEX", "k", "10");
  }

  @Test
  void mgetMsetMsetnx() {
    is(OK, "MSET", "a", "1", "b", "2");
    is("*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n2\r\n", "MGET", "a", "missing", "b");
    is("-ERR wrong number of arguments for 'mset' command\r\n", "MSET", "a", "1", "b");
    is("-ERR wrong number of arguments for 'msetnx' command\r\n", "MSETNX", "a", "1", "b");
    is(":0\r\n", "MSETNX", "a", "x", "c", "3");
    is(NIL, "GET", "c");
    is(":1\r\n", "MSETNX", "c", "3", "d", "4");
    is(":1\r\n", "MSETNX", "e", "1", "e", "2");
    is(bulk("2"), "GET", "e");
    is(OK, "MSET", "a", "x", "a", "y");
    is(bulk("y"), "GET", "a");
  }

  @Test
  void getsetGetdelGetex() {
    is(NIL, "GETSET", "k", "a");
    is(bulk("a"), "GETSET", "k", "b");
    is(OK, "SET", "t", "v", "EX", "100");
    is(bulk("v"), "GETSET", "t", "w");
    is(":-1\r\n", "TTL", "t");
    is(bulk("b"), "GETDEL", "k");
    is(NIL, "GETDEL", "k");
    is(":0\r\n", "EXISTS", "k");

    is(NIL, "GETEX", "nokey", "EX", "notanumber");
    is(OK, "SET", "k", "v");
    is(bulk("v"), "GETEX", "k");
    is(bulk("v"), "GETEX", "k", "EX", "100");
    is(":100\r\n", "TTL", "k");
    is(bulk("v"), "GETEX", "k", "PERSIST");
    is(":-1\r\n", "TTL", "k");
    is(bulk("v"), "GETEX", "k", "PXAT", "4000000000000");
    is(":4000000000000\r\n", "PEXPIRETIME", "k");
    is(bulk("v"), "GETEX", "k", "EXAT", "4000000001");
    is(":4000000001\r\n", "EXPIRETIME", "k");
    is(SYNTAX, "GETEX", "k", "EX", "10", "PERSIST");
    is(SYNTAX, "GETEX", "k", "PERSIST", "EX", "10");
    is(SYNTAX, "GETEX", "k", "KEEPTTL");
    is(SYNTAX, "GETEX", "k", "EX");
    is(SYNTAX, "GETEX", "k", "NX");
    is(NOT_INT, "GETEX", "k", "EX", "x");
    is("-ERR invalid expire time in 'getex' command\r\n", "GETEX", "k", "EX", "0");
    is("-ERR invalid expire time in 'getex' command\r\n", "GETEX", "k", "PX", "-5");
    is(bulk("v"), "GETEX", "k", "EXAT", "1");
    is(":0\r\n", "EXISTS", "k");
  }

  @Test
  void appendStrlen() {
    is(":3\r\n", "APPEND", "k", "abc");
    is(":6\r\n", "APPEND", "k", "def");
    is(bulk("abcdef"), "GET", "k");
    is(":6\r\n", "STRLEN", "k");
    is(":0\r\n", "STRLEN", "nokey");
    is(":0\r\n", "APPEND", "empty", "");
    is(":1\r\n", "EXISTS", "empty");
    is(OK, "SET", "u", "\u00e9\u00e9");
    is(":4\r\n", "STRLEN", "u");
    is(OK, "SET", "n", "12");
    is(":4\r\n", "APPEND", "n", "34");
    is(bulk("1234"), "GET", "n");
  }

  @Test
  void getrangeAndSubstr() {
    is(OK, "SET", "k", "Hello World");
    is(bulk("Hell"), "GETRANGE", "k", "0", "3");
    is(bulk("rld"), "GETRANGE", "k", "-3", "-1");
    is(bulk("Hello World"), "GETRANGE", "k", "0", "-1");
    is(bulk("Hello World"), "GETRANGE", "k", "-100", "100");
    is(bulk("H"), "GETRANGE", "k", "-100", "-11");
    is(bulk("H"), "GETRANGE", "k", "-100", "-12");
    is("$0\r\n\r\n", "GETRANGE", "k", "5", "3");
    is("$0\r\n\r\n", "GETRANGE", "k", "-1", "-5");
    is(bulk("d"), "GETRANGE", "k", "10", "10");
    is("$0\r\n\r\n", "GETRANGE", "k", "11", "20");
    is(bulk("d"), "GETRANGE", "k", "-1", "100");
    is(bulk("World"), "SUBSTR", "k", "6", "-1");
    is(bulk("H"), "GETRANGE", "k", "0", "-9223372036854775808");
    is("$0\r\n\r\n", "GETRANGE", "missing", "0", "-1");
    is(NOT_INT, "GETRANGE", "k", "a", "1");
    is(NOT_INT, "GETRANGE", "k", "0", "9223372036854775808");
    is(OK, "SET", "e", "");
    is("$0\r\n\r\n", "GETRANGE", "e", "0", "-1");
    is("$0\r\n\r\n", "GETRANGE", "e", "-1", "0");
  }

  @Test
  void setrange() {
    is(":8\r\n", "SETRANGE", "k", "5", "abc");
    is(bulk("\0\0\0\0\0abc"), "GET", "k");
    is(":8\r\n", "SETRANGE", "k", "0", "XY");
    is(bulk("XY\0\0\0abc"), "GET", "k");
    is(":8\r\n", "SETRANGE", "k", "3", "");
    is(":0\r\n", "SETRANGE", "missing", "10", "");
    is(":0\r\n", "EXISTS", "missing");
    is("-ERR offset is out of range\r\n", "SETRANGE", "k", "-1", "x");
    is(NOT_INT, "SETRANGE", "k", "x", "x");
    is("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n", "SETRANGE", "k", "536870912", "x");
    is("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n", "SETRANGE", "k",
        "9223372036854775807", "xy");
    is(":0\r\n", "SETRANGE", "big", "536870912", "");
    is(":0\r\n", "EXISTS", "big");
  }

  @Test
  void incrDecr() {
    is(":1\r\n", "INCR", "n");
    is(":0\r\n", "DECR", "n");
    is(":10\r\n", "INCRBY", "n", "10");
    is(":-5\r\n", "DECRBY", "n", "15");
    is(bulk("-5"), "GET", "n");
    is(OK, "SET", "n", "9223372036854775807");
    is("-ERR increment or decrement would overflow\r\n", "INCR", "n");
    is(OK, "SET", "n", "-9223372036854775808");
    is("-ERR increment or decrement would overflow\r\n", "DECR", "n");
    is("-ERR increment or decrement would overflow\r\n", "INCRBY", "n", "-1");
    is(":-1\r\n", "INCRBY", "n", "9223372036854775807");
    is("-ERR decrement would overflow\r\n", "DECRBY", "n", "-9223372036854775808");
    for (String bad : new String[] {" 1", "1 ", "01", "+1", "1.0", "", "abc", "9223372036854775808", "0x1"}) {
      is(OK, "SET", "s", bad);
      is(NOT_INT, "INCR", "s");
      is(NOT_INT, "INCRBY", "n", bad);
    }
    is(OK, "SET", "z", "-0");
    is(NOT_INT, "INCR", "z");
  }

  @Test
  void incrbyfloat() {
    is(OK, "SET", "f", "10.5");
    is(bulk("10.6"), "INCRBYFLOAT", "f", "0.1");
    // Long double arithmetic, printed with 17 decimals: 10.6 is not exact in binary.
    is(bulk("5010.60000000000000009"), "INCRBYFLOAT", "f", "5.0e3");
    is(OK, "SET", "f", "10");
    is(bulk("5010"), "INCRBYFLOAT", "f", "5.0e3");
    is(bulk("0.00001"), "INCRBYFLOAT", "new", "1e-5");
    is(bulk("3"), "INCRBYFLOAT", "x", "3");
    is(bulk("1.5"), "INCRBYFLOAT", "h", "0x1.8p0");
    is(bulk("-250"), "INCRBYFLOAT", "e", "-2.5E2");
    is(bulk("0.5"), "INCRBYFLOAT", "dot", ".5");
    is(NOT_FLOAT, "INCRBYFLOAT", "f", "abc");
    is(NOT_FLOAT, "INCRBYFLOAT", "f", " 1");
    is(NOT_FLOAT, "INCRBYFLOAT", "f", "");
    is(NOT_FLOAT, "INCRBYFLOAT", "f", "nan");
    is(NOT_FLOAT, "INCRBYFLOAT", "f", "1e5000");
    is("-ERR increment would produce NaN or Infinity\r\n", "INCRBYFLOAT", "f", "inf");
    is("-ERR increment would produce NaN or Infinity\r\n", "INCRBYFLOAT", "f", "-Infinity");
    is(OK, "SET", "s", "hello");
    is(NOT_FLOAT, "INCRBYFLOAT", "s", "1");
    is(OK, "SET", "i", "inf");
    is(NOT_FLOAT, "INCRBYFLOAT", "i", "x");
    is("-ERR increment would produce NaN or Infinity\r\n", "INCRBYFLOAT", "i", "1");
    is(OK, "SET", "big", "1e4932");
    is("-ERR increment would produce NaN or Infinity\r\n", "INCRBYFLOAT", "big", "1e4932");
    is(bulk("embstr"), "OBJECT", "ENCODING", "x");
  }

  @Test
  void objectEncodingAndRefcount() {
    is(OK, "SET", "i", "12345");
    is(bulk("int"), "OBJECT", "ENCODING", "i");
    is(OK, "SET", "i", "-9223372036854775808");
    is(bulk("int"), "OBJECT", "ENCODING", "i");
    is(OK, "SET", "i", "01");
    is(bulk("embstr"), "OBJECT", "ENCODING", "i");
    is(OK, "SET", "s", "x".repeat(44));
    is(bulk("embstr"), "OBJECT", "ENCODING", "s");
    is(OK, "SET", "s", "x".repeat(45));
    is(bulk("raw"), "OBJECT", "ENCODING", "s");
    is(OK, "SET", "s", "ab");
    is(":3\r\n", "APPEND", "s", "c");
    is(bulk("raw"), "OBJECT", "ENCODING", "s");
    is(":1\r\n", "INCR", "c");
    is(bulk("int"), "OBJECT", "ENCODING", "c");
    is(NIL, "OBJECT", "ENCODING", "missing");
    is(OK, "SET", "small", "100");
    is(":2147483647\r\n", "OBJECT", "REFCOUNT", "small");
    is(OK, "SET", "large", "10000");
    is(":1\r\n", "OBJECT", "REFCOUNT", "large");
    is(":1\r\n", "OBJECT", "REFCOUNT", "s");
    is(NIL, "OBJECT", "REFCOUNT", "missing");
    is(bulk("2"), "INCRBYFLOAT", "fl", "2");
    is(":1\r\n", "OBJECT", "REFCOUNT", "fl");
    is(bulk("embstr"), "OBJECT", "ENCODING", "fl");
    // COPY duplicates a shared integer into an object of its own.
    is(":1\r\n", "COPY", "small", "copied");
    is(":1\r\n", "OBJECT", "REFCOUNT", "copied");
    is(bulk("int"), "OBJECT", "ENCODING", "copied");
  }
}
