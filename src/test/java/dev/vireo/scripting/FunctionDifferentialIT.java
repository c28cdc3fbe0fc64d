package dev.vireo.scripting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.persistence.rdb.DumpPayload;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Functions (FUNCTION LOAD / DELETE / FLUSH / LIST / STATS / KILL / HELP, FCALL, FCALL_RO) on a real Redis 7.0.15
 * and on Vireo, in RESP2 and RESP3: every reply byte-equal. Libraries are listed one at a time (Redis lists them in
 * its hash table's order).
 */
class FunctionDifferentialIT {
  private static final String LIB1 = "#!lua name=lib1\n"
      + "local function helper(k) return redis.call('get', k) end\n"
      + "redis.register_function('get1', function(keys, args) return helper(keys[1]) end)\n"
      + "redis.register_function{function_name='set1', callback=function(keys, args) "
      + "return redis.call('set', keys[1], args[1]) end}\n"
      + "redis.register_function{function_name='ro1', callback=function(keys, args) return #keys + #args end, "
      + "flags={'no-writes'}, description='count'}\n"
      + "redis.register_function('boom', function(keys, args) error('boom') end)\n"
      + "redis.register_function('werr', function(keys, args) return redis.call('set', keys[1]) end)\n"
      + "redis.register_function{function_name='rw', callback=function(keys) return redis.call('set', keys[1], 1) end,"
      + " flags={'no-writes', 'allow-oom'}}";

  static List<String[]> corpus() {
    List<String[]> c = new ArrayList<>();
    c.add(new String[] {"FUNCTION", "FLUSH"});
    c.add(new String[] {"FUNCTION", "LOAD", LIB1});
    c.add(new String[] {"FUNCTION", "LOAD", LIB1});
    c.add(new String[] {"FUNCTION", "LOAD", "REPLACE", LIB1});
    c.add(new String[] {"FUNCTION", "LOAD", "FOO", LIB1});
    c.add(new String[] {"FCALL", "set1", "1", "a", "b"});
    c.add(new String[] {"FCALL", "get1", "1", "a"});
    c.add(new String[] {"FCALL_RO", "ro1", "1", "a", "b", "c"});
    c.add(new String[] {"FCALL_RO", "set1", "1", "a", "b"});
    c.add(new String[] {"FCALL", "ro1", "0"});
    c.add(new String[] {"FCALL", "rw", "1", "x"});
    c.add(new String[] {"FCALL", "boom", "0"});
    c.add(new String[] {"FCALL", "werr", "1", "x"});
    c.add(new String[] {"FCALL", "nosuch", "0"});
    c.add(new String[] {"FCALL", "ro1", "x"});
    c.add(new String[] {"FCALL", "ro1", "5", "a"});
    c.add(new String[] {"FCALL", "ro1", "-1"});
    c.add(new String[] {"FCALL", "ro1"});
    // Redis lists a library's functions in its hash table's order: the listed library has one function
    c.add(new String[] {"FUNCTION", "LOAD", "#!lua name=one\nredis.register_function{function_name='only', "
        + "callback=function() return 1 end, flags={'no-writes', 'allow-stale'}, description='the only one'}"});
    c.add(new String[] {"FUNCTION", "LIST", "LIBRARYNAME", "one"});
    c.add(new String[] {"FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "on*"});
    c.add(new String[] {"FUNCTION", "LIST", "LIBRARYNAME", "lib"});
    c.add(new String[] {"FUNCTION", "DELETE", "one"});
    c.add(new String[] {"FUNCTION", "LIST", "LIBRARYNAME"});
    c.add(new String[] {"FUNCTION", "LIST", "WITHCODE", "WITHCODE"});
    c.add(new String[] {"FUNCTION", "LIST", "foo"});
    c.add(new String[] {"FUNCTION", "STATS"});
    c.add(new String[] {"FUNCTION", "KILL"});
    c.add(new String[] {"FUNCTION", "HELP"});
    c.add(new String[] {"FUNCTION", "DELETE", "nosuch"});
    c.add(new String[] {"FUNCTION", "RESTORE", "garbage"});
    c.add(new String[] {"FUNCTION", "RESTORE", "garbage", "BAD"});
    c.add(new String[] {"FUNCTION", "DUMP", "x"});
    for (String bad : new String[] {
      "return 1", "#!lua\nreturn 1", "#!lua name=x\nreturn 1",
      "#!lua name=y\nredis.register_function('get1', function() return 1 end)", "#!lua name=z foo=bar\nreturn 1",
      "#!js name=z\nreturn 1", "#!lua name=z\nredis.call('ping')", "#!lua name=z\nreturn redis.setresp(3)",
      "#!lua name=a-b\nreturn 1", "#!lua name=e1\nreturn +", "#!lua name=e2\nredis.register_function()",
      "#!lua name=e3\nredis.register_function('x')", "#!lua name=e4\nredis.register_function('x', 1)",
      "#!lua name=e5\nredis.register_function{function_name='x'}",
      "#!lua name=e6\nredis.register_function{callback=function() end}",
      "#!lua name=e7\nredis.register_function{function_name='x', callback=function() end, flags={'bad'}}",
      "#!lua name=e8\nredis.register_function{function_name='x', callback=function() end, foo=1}",
      "#!lua name=e10\nredis.register_function{function_name='x', callback=function() end, flags=1}",
      "#!lua name=e13\nredis.register_function('y', function() end) redis.register_function('y', function() end)",
      "#!lua name=e14\nredis.register_function('a b', function() return 1 end)",
      "#!lua name=e15\nredis.register_function(1, function() return 1 end)",
      "#!lua name=e16\nredis.register_function('q', function() return 1 end) error('after')",
      "#!lua name=e17\nlocal s = string", "#!lua name=e18\nredis.register_function('q', function() return 1 end) "
          + "redis.call('ping')",
    }) {
      c.add(new String[] {"FUNCTION", "LOAD", bad});
      c.add(new String[] {"FUNCTION", "STATS"});
    }
    c.add(new String[] {"FUNCTION", "DELETE", "lib1"});
    c.add(new String[] {"FUNCTION", "DELETE", "e15"});
    c.add(new String[] {"FCALL", "get1", "1", "a"});
    c.add(new String[] {"FUNCTION", "LOAD", "#!lua name=lib2\nlocal v = redis.REDIS_VERSION\n"
        + "redis.register_function('ver', function() return v end)\n"
        + "redis.register_function('g', function(k, a) return {k, a, redis.setresp(3), redis.call('hgetall', k[1])} end)"});
    c.add(new String[] {"FCALL", "ver", "0"});
    c.add(new String[] {"HSET", "h", "f", "v"});
    c.add(new String[] {"FCALL", "g", "1", "h", "arg"});
    c.add(new String[] {"FUNCTION", "FLUSH", "bad"});
    c.add(new String[] {"FUNCTION", "FLUSH", "ASYNC"});
    c.add(new String[] {"FUNCTION", "LIST"});
    c.add(new String[] {"COMMAND", "INFO", "fcall", "fcall_ro", "function|load", "function|stats", "function|kill"});
    return c;
  }

  private static final String LIB_A = "#!lua name=liba\nredis.register_function{function_name='fa', "
      + "callback=function(keys, args) return 'a' .. (args[1] or '') end, flags={'no-writes'}, description='A'}";
  private static final String LIB_B = "#!lua name=libb\nredis.register_function('fb', function(keys) "
      + "return redis.call('incr', keys[1]) end)";

  /** What a node holds of the two libraries, one library at a time (the listing order is Redis's hash order). */
  private static List<String> libraries(RespClient c) {
    return List.of(c.call("FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "liba"),
        c.call("FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "libb"), c.call("FCALL_RO", "fa", "0", "x"),
        c.call("FUNCTION", "STATS"));
  }

  /** Libraries are FUNCTION2 records of the RDB: Redis loads Vireo's file and Vireo loads Redis's. */
  @Test
  void librariesTravelInTheRdbBothWays(@TempDir Path dir) throws Exception {
    List<String> expected;
    try (RedisServerProcess redis = RedisServerProcess.start("--dir", dir.toString(), "--dbfilename", "redis.rdb");
        RespClient r = redis.client()) {
      r.call("FUNCTION", "LOAD", LIB_A);
      r.call("FUNCTION", "LOAD", LIB_B);
      expected = libraries(r);
      assertEquals("+OK\r\n", r.call("SAVE"));
    }
    try (TestNode n = TestNode.start("--dir", dir.toString(), "--dbfilename", "redis.rdb");
        RespClient v = n.client()) {
      n.node().loaded().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertEquals(expected, libraries(v));
      v.call("CONFIG", "SET", "dbfilename", "vireo.rdb");
      assertEquals("+OK\r\n", v.call("SAVE"));
    }
    try (RedisServerProcess redis = RedisServerProcess.start("--dir", dir.toString(), "--dbfilename", "vireo.rdb");
        RespClient r = redis.client()) {
      assertEquals(expected, libraries(r));
    }
  }

  /** FUNCTION DUMP payloads restore on the other server; RESTORE's policies and errors as Redis's. */
  @Test
  void dumpPayloadsMoveBothWays() {
    try (RedisServerProcess redis = RedisServerProcess.start();
        TestNode node = TestNode.start();
        RespClient r = redis.client();
        RespClient v = node.client()) {
      r.call("FUNCTION", "LOAD", LIB_A);
      r.call("FUNCTION", "LOAD", LIB_B);
      List<String> expected = libraries(r);
      byte[] fromRedis = payload(r.callBytes(b("FUNCTION"), b("DUMP")));
      assertEquals("+OK\r\n", call(v, b("FUNCTION"), b("RESTORE"), fromRedis));
      assertEquals(expected, libraries(v));
      byte[] fromVireo = payload(v.callBytes(b("FUNCTION"), b("DUMP")));
      for (RespClient c : new RespClient[] {r, v}) {
        // which of the two colliding libraries is named depends on the order the server reads them in
        assertTrue(call(c, b("FUNCTION"), b("RESTORE"), fromVireo).matches("-ERR Library lib[ab] already exists\r\n"));
        assertTrue(call(c, b("FUNCTION"), b("RESTORE"), fromVireo, b("APPEND"))
            .matches("-ERR Library lib[ab] already exists\r\n"));
        assertEquals("-ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.\r\n",
            call(c, b("FUNCTION"), b("RESTORE"), fromVireo, b("BAD")));
        assertEquals("-ERR DUMP payload version or checksum are wrong\r\n",
            call(c, b("FUNCTION"), b("RESTORE"), b("garbage")));
        assertEquals("+OK\r\n", call(c, b("FUNCTION"), b("RESTORE"), fromVireo, b("REPLACE")));
        assertEquals("+OK\r\n", call(c, b("FUNCTION"), b("FLUSH")));
        assertEquals("+OK\r\n", call(c, b("FUNCTION"), b("RESTORE"), fromVireo, b("FLUSH")));
        assertEquals(expected, libraries(c));
      }
      v.call("FUNCTION", "FLUSH");
      r.call("FUNCTION", "FLUSH");
      assertEquals(r.call("FUNCTION", "DUMP"), v.call("FUNCTION", "DUMP"));
    }
  }

  private static final String OLD_A = "#!lua name=liba\nredis.register_function('fa', function() return 'old a' end)";
  private static final String NEW_A = "#!lua name=liba\nredis.register_function('fa', function() return 'new a' end)";
  private static final String LIB_C = "#!lua name=libc\nredis.register_function('fb', function() return 'c' end)";
  private static final String NEW_B = "#!lua name=libb\nredis.register_function('fb', function() return 'b' end)";

  /** Everything a client sees of the libraries liba, libb, libc, libd and spin. */
  private static List<String> state(RespClient c) {
    List<String> s = new ArrayList<>();
    for (String lib : new String[] {"liba", "libb", "libc", "libd", "spin"}) {
      s.add(c.call("FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", lib));
    }
    s.add(c.call("FCALL", "fa", "0"));
    s.add(c.call("FCALL", "fb", "0"));
    s.add(c.call("FUNCTION", "STATS"));
    return s;
  }

  private static byte[] payload(String... codes) {
    List<byte[]> list = new ArrayList<>();
    for (String code : codes) list.add(b(code));
    return DumpPayload.encodeFunctions(list, false);
  }

  /**
   * FUNCTION RESTORE is atomic as in Redis 7.0: a payload that fails at its second library (a conflict, a compile
   * error, a duplicate, a load timeout) leaves the libraries exactly as they were, under every policy.
   */
  private static List<String> restoreCases(RespClient c) {
    List<String> replies = new ArrayList<>();
    byte[][] failing = {
      payload(NEW_A, NEW_B), payload(NEW_A, "#!lua name=libd\nreturn +"), payload(NEW_A, NEW_A),
      payload(NEW_A, "#!lua name=libd\nredis.register_function('fa', function() return 1 end)"),
      payload(NEW_A, "#!lua name=libd\nredis.register_function('fx', function() return 1 end) error('late')"),
    };
    for (byte[] p : failing) {
      for (String policy : new String[] {"APPEND", "REPLACE", "FLUSH"}) {
        c.call("FUNCTION", "FLUSH");
        c.call("FUNCTION", "LOAD", OLD_A);
        c.call("FUNCTION", "LOAD", LIB_C);
        List<String> before = state(c);
        String reply = call(c, b("FUNCTION"), b("RESTORE"), p, b(policy));
        replies.add(policy + " " + reply);
        if (!reply.startsWith("+OK")) assertEquals(before, state(c), policy + " " + reply);
        replies.addAll(state(c));
      }
    }
    c.call("FUNCTION", "FLUSH");
    c.call("FUNCTION", "LOAD", OLD_A);
    c.call("FUNCTION", "LOAD", LIB_C);
    replies.add(call(c, b("FUNCTION"), b("RESTORE"), payload(NEW_A), b("REPLACE")));
    replies.addAll(state(c));
    replies.add(call(c, b("FUNCTION"), b("RESTORE"), payload(NEW_A, NEW_B), b("FLUSH")));
    replies.addAll(state(c));
    return replies;
  }

  @Test
  void restoreIsAtomicAsRedis() {
    List<String> expected;
    try (RedisServerProcess redis = RedisServerProcess.start(); RespClient r = redis.client()) {
      expected = restoreCases(r);
    }
    assertTrue(expected.contains("REPLACE -ERR Function fb already exists\r\n"), String.join("\n", expected));
    try (TestNode node = TestNode.start(); RespClient v = node.client()) {
      assertEquals(expected, restoreCases(v));
    }
  }

  /** A library whose code runs past 500 ms at load time is stopped, with Redis 7.0's error, and not loaded. */
  @Test
  void loadTimeoutAsRedis() {
    try (RedisServerProcess redis = RedisServerProcess.start();
        TestNode node = TestNode.start();
        RespClient r = redis.client();
        RespClient v = node.client()) {
      for (RespClient c : new RespClient[] {r, v}) {
        assertEquals("-ERR Error registering functions: ERR FUNCTION LOAD timeout\r\n",
            c.call("FUNCTION", "LOAD", "#!lua name=spin\nwhile true do end"));
        assertEquals("-ERR Error registering functions: ERR FUNCTION LOAD timeout\r\n",
            c.call("FUNCTION", "LOAD", "#!lua name=spin\nredis.register_function('s', function() return 1 end)\n"
                + "local i = 0 while true do i = i + 1 end"));
        assertEquals("*0\r\n", c.call("FUNCTION", "LIST", "LIBRARYNAME", "spin"));
        assertEquals("$4\r\nspin\r\n",
            c.call("FUNCTION", "LOAD", "#!lua name=spin\nredis.register_function('s', function() return 1 end)"));
        assertEquals(":1\r\n", c.call("FCALL", "s", "0"));
      }
      // Redis 7.0.15 applies the load timeout to FUNCTION LOAD only: its RESTORE of such a library never returns.
      // Vireo stops it there too and restores nothing.
      v.call("FUNCTION", "FLUSH");
      v.call("FUNCTION", "LOAD", OLD_A);
      List<String> before = state(v);
      assertEquals("-ERR Error registering functions: ERR FUNCTION LOAD timeout\r\n", call(v, b("FUNCTION"),
          b("RESTORE"), payload(NEW_A, "#!lua name=spin\nwhile true do end"), b("REPLACE")));
      assertEquals(before, state(v));
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String call(RespClient c, byte[]... args) {
    return new String(c.callBytes(args), StandardCharsets.ISO_8859_1);
  }

  /** The bytes of a bulk string reply. */
  private static byte[] payload(byte[] reply) {
    int crlf = 0;
    while (reply[crlf] != '\r') crlf++;
    int len = Integer.parseInt(new String(reply, 1, crlf - 1, StandardCharsets.US_ASCII));
    return Arrays.copyOfRange(reply, crlf + 2, crlf + 2 + len);
  }

  @Test
  void corpusMatchesRedisInResp2AndResp3() {
    List<String> failures = new ArrayList<>();
    try (RedisServerProcess redis = RedisServerProcess.start();
        TestNode node = TestNode.start();
        RespClient real = redis.client();
        RespClient ours = node.client()) {
      for (int proto : new int[] {2, 3}) {
        real.call("HELLO", Integer.toString(proto));
        ours.call("HELLO", Integer.toString(proto));
        real.call("FLUSHALL");
        ours.call("FLUSHALL");
        for (String[] cmd : corpus()) {
          String expected = real.call(cmd);
          String actual = ours.call(cmd);
          if (!expected.equals(actual)) {
            failures.add("RESP" + proto + " " + ScriptDifferentialIT.show(String.join(" | ", cmd)) + "\n  redis: "
                + ScriptDifferentialIT.show(expected) + "\n  vireo: " + ScriptDifferentialIT.show(actual));
          }
        }
      }
    }
    if (!failures.isEmpty()) fail(failures.size() + " differences:\n" + String.join("\n", failures));
  }
}
