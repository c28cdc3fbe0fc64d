package dev.vireo.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Behaviours clients and Redis's own tools rely on, compared byte for byte with a real redis-server: CLIENT REPLY
 * transitions in pipelines, error replies echoing arguments with CR, LF, NUL and non-UTF-8 bytes, DEBUG
 * subcommands in RESP2 and RESP3, error statistics, CONFIG GET client-output-buffer-limit and FLUSHALL's dirty
 * counter.
 */
class ClientQuirksDifferentialIT {
  private static RedisServerProcess redis;
  private static TestNode node;

  @BeforeAll
  static void start() {
    redis = RedisServerProcess.start("--enable-debug-command", "yes");
    node = TestNode.start("--enable-debug-command", "yes");
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
    if (redis != null) redis.close();
  }

  private static byte[][] cmd(String... args) {
    byte[][] b = new byte[args.length][];
    for (int i = 0; i < args.length; i++) b[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
    return b;
  }

  /**
   * Sends the commands as one pipeline on a fresh connection to each server, then a PING marker, and requires
   * the same bytes before the marker's reply (so commands without a reply are covered too).
   */
  private static String samePipeline(byte[][]... commands) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[][] c : commands) out.writeBytes(RespClient.encodeCommand(c));
    out.writeBytes(RespClient.encodeCommand(cmd("CLIENT", "REPLY", "ON")));
    out.writeBytes(RespClient.encodeCommand(cmd("ECHO", "end-of-pipeline")));
    String expected = pipeline(redis.client(), out.toByteArray());
    String actual = pipeline(node.client(), out.toByteArray());
    if (!expected.equals(actual)) {
      fail("pipeline " + show(commands) + "\nredis: " + escape(expected) + "\nvireo: " + escape(actual));
    }
    return expected;
  }

  private static String pipeline(RespClient client, byte[] bytes) {
    try (RespClient c = client.readTimeout(Duration.ofSeconds(5))) {
      c.sendRaw(bytes);
      StringBuilder sb = new StringBuilder();
      while (true) {
        String r = c.readReply();
        if (r.equals("$15\r\nend-of-pipeline\r\n")) return sb.toString();
        sb.append(r);
      }
    }
  }

  private static String show(byte[][]... commands) {
    List<String> parts = new ArrayList<>();
    for (byte[][] c : commands) {
      List<String> args = new ArrayList<>();
      for (byte[] a : c) args.add(new String(a, StandardCharsets.ISO_8859_1));
      parts.add(String.join(" ", args));
    }
    return escape(String.join(" | ", parts));
  }

  private static String escape(String s) {
    StringBuilder sb = new StringBuilder();
    for (char ch : s.toCharArray()) {
      if (ch >= 32 && ch < 127) sb.append(ch);
      else sb.append(String.format("\\x%02x", (int) ch));
    }
    return sb.toString();
  }

  @Test
  void clientReplyTransitionsInPipelines() {
    byte[][] on = cmd("CLIENT", "REPLY", "ON");
    byte[][] off = cmd("CLIENT", "REPLY", "OFF");
    byte[][] skip = cmd("CLIENT", "REPLY", "SKIP");
    // SKIP then ON: Redis answers the ON (the bug this guards)
    assertEquals("+OK\r\n$1\r\nb\r\n+OK\r\n", samePipeline(skip, on, cmd("ECHO", "b")));
    samePipeline(off, cmd("ECHO", "a"), on, cmd("ECHO", "b"));
    samePipeline(skip, off, cmd("ECHO", "a"), on, cmd("ECHO", "b"));
    samePipeline(skip, skip, cmd("ECHO", "a"), cmd("ECHO", "b"));
    samePipeline(off, skip, cmd("ECHO", "a"), on, cmd("ECHO", "b"));
    samePipeline(skip, cmd("RESET"), cmd("ECHO", "b"));
    samePipeline(off, cmd("RESET"), cmd("ECHO", "b"));
    samePipeline(skip, cmd("NOSUCH"), cmd("ECHO", "b"));
    samePipeline(skip, cmd("GET"), cmd("ECHO", "b"));
    samePipeline(skip, cmd("SET", "k", "v"), cmd("GET", "k"), off, cmd("GET", "k"), skip, on, cmd("GET", "k"));
    samePipeline(cmd("CLIENT", "REPLY", "SKIP", "x"), cmd("CLIENT", "REPLY", "BAD"), cmd("ECHO", "b"));
    samePipeline(cmd("MULTI"), skip, cmd("ECHO", "a"), cmd("EXEC"), cmd("ECHO", "b"), cmd("ECHO", "c"));
  }

  /** A command that blocked under SKIP or OFF gets no reply when released, as in Redis (served, timed out, UNBLOCK). */
  @Test
  void blockedUnderSkipOrOffGetsNoReply() {
    for (String mode : List.of("SKIP", "OFF")) {
      for (String release : List.of("push", "timeout", "unblock", "unblock-error")) {
        String expected = released(redis.client(), redis.client(), mode, release);
        assertEquals(expected, released(node.client(), node.client(), mode, release), mode + " " + release);
        assertEquals("+OK\r\n$4\r\ndone\r\n", expected, mode + " " + release);
      }
    }
  }

  private static String released(RespClient blocked, RespClient other, String mode, String release) {
    try (RespClient b = blocked; RespClient o = other) {
      o.call("DEL", "blocking-list");
      String id = b.call("CLIENT", "ID").substring(1).trim();
      b.sendRaw(RespClient.encodeCommand(cmd("CLIENT", "REPLY", mode)));
      b.sendRaw(RespClient.encodeCommand(cmd("BLPOP", "blocking-list", release.equals("timeout") ? "0.05" : "0")));
      if (!release.equals("timeout")) {
        Poll.until(Duration.ofSeconds(5), "client blocked",
            () -> o.call("CLIENT", "LIST", "ID", id).contains("cmd=blpop"));
      }
      switch (release) {
        case "push" -> o.call("RPUSH", "blocking-list", "x");
        case "unblock" -> o.call("CLIENT", "UNBLOCK", id);
        case "unblock-error" -> o.call("CLIENT", "UNBLOCK", id, "ERROR");
        default -> Poll.until(Duration.ofSeconds(5), "BLPOP timed out",
            () -> !o.call("CLIENT", "LIST", "ID", id).contains("flags=b"));
      }
      b.sendRaw(RespClient.encodeCommand(cmd("CLIENT", "REPLY", "ON")));
      b.sendRaw(RespClient.encodeCommand(cmd("ECHO", "done")));
      return b.readReply() + b.readReply();
    }
  }

  @Test
  void echoedArgumentsInErrorsAreSanitizedAsRedis() {
    String x140 = "x".repeat(140);
    String y100 = "y".repeat(100);
    samePipeline(
        cmd("NOSUCH\r\nx", "a\r\nb", "c\u0001d"),
        cmd("NOSUCH\u0000x", "a\u0000b"),
        cmd("NO\u00ffSUCH", "\u00fe", "\u00c3\u00a9"),
        cmd(x140, y100, "z".repeat(100)),
        cmd("ab", y100, "z".repeat(100), "c"),
        cmd("CONFIG", "NOSUCH\r\nx"),
        cmd("CONFIG", "\u00ff\u0000x"),
        cmd("OBJECT", "ENC\nX", "k"),
        cmd("CLIENT", "x\u0000y"),
        cmd("SCRIPT", "x\u0000\r\ny"),
        cmd("XGROUP", "x\u0000y"),
        cmd("GET\r\n", "x"),
        cmd("CLIENT", "PAUSE", "1", "2", "\u0000\r\n"),
        cmd("DEBUG", "nosuch\r\nx", "y"),
        cmd("DEBUG", "ERROR", "-x\r\ny"),
        cmd("PFDEBUG", "x\r\ny", "k"),
        cmd("DEL", "echo-st", "echo-hll"),
        cmd("XADD", "echo-st", "1-1", "a", "b"),
        cmd("XGROUP", "CREATE", "echo-st", "g", "$"),
        cmd("XCLAIM", "echo-st", "g", "c", "0", "1-1", "BAD\u0000x\r\n\u00ff"),
        cmd("XREADGROUP", "GROUP", "nog\u0000x", "c", "STREAMS", "echo-st\r\n\u00ff", ">"),
        cmd("XACK", "echo-st", "g\u0000\u00ffz", "1-1"),
        cmd("PFADD", "echo-hll", "a"),
        cmd("PFDEBUG", "x\u0000y\u00ff\r\n", "echo-hll"),
        cmd("HELLO", "3", "BAD\u0000\r\n\u00ff"),
        cmd("SCRIPT", "FLUSH", "x\u0000\u00ffy"),
        cmd("CLIENT", "LIST", "TYPE", "FOO"),
        cmd("CLIENT", "KILL", "TYPE", "x\u0000y\r\n"));
  }

  @Test
  void debugProtocolInResp2AndResp3() {
    String[] types = {"string", "integer", "double", "bignum", "null", "array", "set", "map", "attrib", "push",
        "verbatim", "true", "false", "nosuch", "STRING"};
    List<byte[][]> resp2 = new ArrayList<>();
    List<byte[][]> resp3 = new ArrayList<>();
    resp3.add(cmd("HELLO", "3"));
    for (String t : types) {
      resp2.add(cmd("DEBUG", "PROTOCOL", t));
      resp3.add(cmd("DEBUG", "PROTOCOL", t));
    }
    resp2.add(cmd("DEBUG", "PROTOCOL"));
    samePipeline(resp2.toArray(new byte[0][][]));
    // HELLO's own reply carries the connection id, which differs: compare what follows it
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[][] c : resp3) out.writeBytes(RespClient.encodeCommand(c));
    assertEquals(resp3Replies(redis.client(), out.toByteArray(), resp3.size()),
        resp3Replies(node.client(), out.toByteArray(), resp3.size()));
  }

  private static List<String> resp3Replies(RespClient client, byte[] bytes, int n) {
    try (RespClient c = client) {
      c.sendRaw(bytes);
      List<String> replies = new ArrayList<>();
      for (int i = 0; i < n; i++) replies.add(c.readReply());
      return replies.subList(1, n);
    }
  }

  @Test
  void debugSubcommandsToolsUse() {
    samePipeline(
        cmd("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0"),
        cmd("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1k"),
        cmd("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "4095mb"),
        cmd("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "4096mb"),
        cmd("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "-1"),
        cmd("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "abc"),
        cmd("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0"),
        cmd("DEBUG", "STRINGMATCH-LEN"),
        cmd("DEBUG", "SLEEP", "0"),
        cmd("DEBUG", "SLEEP", "x"),
        cmd("DEBUG", "SLEEP", "0.001"),
        cmd("DEBUG", "SLEEP"),
        cmd("DEBUG", "CHANGE-REPL-ID"),
        cmd("DEBUG", "CHANGE-REPL-ID", "x"),
        cmd("DEBUG", "REPLICATE", "SET", "r", "1"),
        cmd("DEBUG", "REPLICATE"),
        cmd("EXISTS", "r"),
        cmd("DEBUG", "ERROR", "foo bar"),
        cmd("DEBUG", "LOG", "hello"),
        cmd("DEBUG", "nosuch"),
        cmd("DEBUG"));
  }

  @Test
  void errorStatsAndFailedCalls() {
    samePipeline(cmd("CONFIG", "RESETSTAT"), cmd("SET", "s", "x"), cmd("LPUSH", "s", "x"), cmd("INCR", "s"),
        cmd("NOSUCH"), cmd("GET"), cmd("DEBUG", "ERROR", "MYERR boom"), cmd("CONFIG", "NOSUCH"),
        cmd("MULTI"), cmd("INCR", "s"), cmd("GET"), cmd("EXEC"), cmd("MULTI"), cmd("INCR", "s"), cmd("EXEC"),
        cmd("EVAL", "return redis.call('incr','s')", "0"), cmd("EVAL", "error('boom')", "0"),
        cmd("EVAL", "return redis.pcall('incr','s')", "0"), cmd("EVAL", "return redis.error_reply('MY err')", "0"),
        cmd("EVAL", "return {err='X'}", "0"), cmd("EVAL", "return {1, {err='NESTED y'}}", "0"),
        cmd("PFADD", "s", "a"), cmd("SELECT", "99"), cmd("INFO", "errorstats"));
    for (String command : List.of("lpush", "incr", "get", "set", "eval", "exec", "config", "config|resetstat")) {
      String line = statLine(redis.client(), command);
      assertEquals(line.replaceAll("usec=\\d+,usec_per_call=[\\d.]+", ""),
          statLine(node.client(), command).replaceAll("usec=\\d+,usec_per_call=[\\d.]+", ""), command);
    }
  }

  private static String statLine(RespClient client, String command) {
    try (RespClient c = client) {
      for (String line : c.call("INFO", "commandstats").split("\r\n")) {
        if (line.startsWith("cmdstat_" + command + ":")) return line;
      }
      return "";
    }
  }

  @Test
  void outputBufferLimitClassesAndFlushallDirtyCounter() {
    samePipeline(cmd("CONFIG", "GET", "client-output-buffer-limit"),
        cmd("CONFIG", "SET", "client-output-buffer-limit", "replica 1mb 2mb 3"),
        cmd("CONFIG", "GET", "client-output-buffer-limit"),
        cmd("CONFIG", "SET", "client-output-buffer-limit", "slave 256mb 64mb 60"),
        cmd("CONFIG", "GET", "client-output-buffer-limit"));
    List<String> expected = changesAroundFlushall(redis.client());
    assertEquals(expected, changesAroundFlushall(node.client()));
    assertTrue(expected.get(1).equals("0"), "FLUSHALL with save points saves: " + expected);
  }

  /** rdb_changes_since_last_save before and after FLUSHALL with a save point, then without one. */
  private static List<String> changesAroundFlushall(RespClient client) {
    try (RespClient c = client) {
      List<String> seen = new ArrayList<>();
      c.call("CONFIG", "SET", "save", "3600 1");
      c.call("FLUSHALL");
      c.call("SET", "a", "b");
      c.call("SET", "c", "d");
      seen.add(changes(c));
      c.call("FLUSHALL");
      seen.add(changes(c));
      c.call("CONFIG", "SET", "save", "");
      c.call("SET", "a", "b");
      c.call("FLUSHALL");
      seen.add(changes(c));
      return seen;
    }
  }

  private static String changes(RespClient c) {
    return Arrays.stream(c.call("INFO", "persistence").split("\r\n"))
        .filter(l -> l.startsWith("rdb_changes_since_last_save:")).findFirst().orElse("").split(":")[1];
  }
}
