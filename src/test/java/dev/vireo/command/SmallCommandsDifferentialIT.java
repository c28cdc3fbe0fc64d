package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LATENCY HISTOGRAM / GRAPH, INFO latencystats, LOLWUT, PFSELFTEST, SCRIPT DEBUG and MODULE against a real
 * redis-server 7.0: byte-equal replies where they are deterministic; where timing or randomness decides (latency
 * values, the art's random squares and towers) the replies are compared with those values masked, or by shape.
 */
class SmallCommandsDifferentialIT {
  private static RedisServerProcess redis;
  private static TestNode node;
  private static RespClient r;
  private static RespClient v;

  @BeforeAll
  static void start() {
    redis = RedisServerProcess.start("--enable-debug-command", "yes");
    node = TestNode.start("--enable-debug-command", "yes");
    r = redis.client();
    v = node.client();
  }

  @AfterAll
  static void stop() {
    if (r != null) r.close();
    if (redis != null) redis.close();
    if (node != null) node.close();
  }

  /** Both servers' reply to the same command, asserted byte-equal; returns Vireo's. */
  private static String same(String... cmd) {
    String expected = r.call(cmd);
    String actual = v.call(cmd);
    assertEquals(expected, actual, String.join(" ", cmd));
    return actual;
  }

  private static void both(String... cmd) {
    r.call(cmd);
    v.call(cmd);
  }

  /** A text reply with Vireo's version line in Redis's words, so the art around it compares byte for byte. */
  private static String asRedis(String reply) {
    if (!reply.startsWith("$") && !reply.startsWith("=")) return reply;
    String body = body(reply).replace(LolwutCommand.VERSION_LINE, "Redis ver. 7.0.15");
    return reply.charAt(0) + Integer.toString(body.length()) + "\r\n" + body + "\r\n";
  }

  /** The text of a bulk or verbatim reply (raw bytes as Latin-1 characters). */
  private static String body(String reply) {
    return reply.substring(reply.indexOf("\r\n") + 2, reply.length() - 2);
  }

  @Test
  void commandInfoAndHelpAsRedis() {
    for (String c : new String[] {"lolwut", "pfselftest", "module|list", "module|load", "module|loadex",
        "module|unload", "module|help", "latency|histogram", "latency|graph", "latency|latest", "latency|history",
        "latency|reset", "latency|doctor", "latency|help"}) {
      same("COMMAND", "INFO", c);
    }
    same("LATENCY", "HELP");
    same("MODULE", "HELP");
    same("MODULE", "LIST");
    same("MODULE", "NOPE");
    same("MODULE");
    same("MODULE", "UNLOAD");
    same("LATENCY", "HISTOGRAM", "nosuch", "get|x", "config|get|x");
  }

  @Test
  void latencyHistogramShapes() {
    // the keys Redis can answer with: each power of two from 1024 ns, its highest equivalent value at 2 digits, in us
    Set<String> levels = new HashSet<>();
    for (int k = 0; k <= 20; k++) levels.add(Long.toString(((1024L << k) + ((1024L << k) >> 7) - 1) / 1000));
    for (String proto : new String[] {"2", "3"}) {
      both("HELLO", proto);
      both("CONFIG", "RESETSTAT");
      both("SET", "k", "v");
      both("OBJECT", "HELP");
      both("CONFIG", "GET", "maxmemory");
      String expected = r.call("LATENCY", "HISTOGRAM", "set", "object", "nosuch", "config|get");
      String actual = v.call("LATENCY", "HISTOGRAM", "set", "object", "nosuch", "config|get");
      assertEquals(maskBuckets(expected, levels), maskBuckets(actual, levels), actual);
      same("LATENCY", "HISTOGRAM", "nosuch");
    }
    both("HELLO", "2");
    both("CONFIG", "SET", "latency-tracking", "no");
    both("CONFIG", "RESETSTAT");
    both("SET", "k", "v");
    same("LATENCY", "HISTOGRAM");
    same("INFO", "latencystats");
    both("CONFIG", "SET", "latency-tracking", "yes");
  }

  /** Replaces each single-call bucket key, which timing decides, after checking it is one Redis can answer. */
  private static String maskBuckets(String reply, Set<String> levels) {
    Matcher m = Pattern.compile("histogram_usec\r\n([*%])(\\d+)\r\n:(\\d+)\r\n:1\r\n").matcher(reply);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      assertTrue(levels.contains(m.group(3)), "bucket " + m.group(3) + " in " + reply);
      m.appendReplacement(sb, "histogram_usec\r\n" + m.group(1) + m.group(2) + "\r\n:BUCKET\r\n:1\r\n");
    }
    m.appendTail(sb);
    return sb.toString();
  }

  @Test
  void infoLatencystatsFollowsThePercentilesConfig() {
    for (String percentiles : new String[] {"50 99.5 0 100 12.25", ""}) {
      both("CONFIG", "SET", "latency-tracking-info-percentiles", percentiles);
      both("CONFIG", "RESETSTAT");
      both("GET", "k");
      assertEquals(getLine(r.call("INFO", "latencystats")), getLine(v.call("INFO", "latencystats")));
    }
    both("CONFIG", "SET", "latency-tracking-info-percentiles", "50 99 99.9");
  }

  private static String getLine(String info) {
    Matcher m = Pattern.compile("latency_percentiles_usec_get:[^\r]*\r\n").matcher(info);
    assertTrue(m.find(), info);
    return m.group().replaceAll("=\\d+\\.\\d{3}", "=N");
  }

  @Test
  void latencyGraphAsRedis() {
    same("LATENCY", "GRAPH", "command"); // also warms the path up: a first call may pass the threshold
    both("CONFIG", "SET", "latency-monitor-threshold", "1");
    both("LATENCY", "RESET");
    both("DEBUG", "SLEEP", "0.01");
    // the milliseconds and the seconds-ago label are timing's; the layout must be Redis's
    String expected = r.call("LATENCY", "GRAPH", "command").replaceAll("\\d+", "N");
    String actual = v.call("LATENCY", "GRAPH", "command").replaceAll("\\d+", "N");
    assertEquals(expected, actual);
    assertTrue(actual.contains("command - high N ms, low N ms (all time high N ms)\n" + "-".repeat(80) + "\n"),
        actual);
    same("LATENCY", "GRAPH", "nosuch");
    same("LATENCY", "GRAPH");
    both("HELLO", "3");
    assertTrue(v.call("LATENCY", "GRAPH", "command").matches("(?s)=\\d+\r\ntxt:command - high .*"));
    both("HELLO", "2");
    both("LATENCY", "RESET");
    both("CONFIG", "SET", "latency-monitor-threshold", "0");
  }

  @Test
  void lolwutAsRedis() {
    // without randomness (no third row of squares, or another version) the art is byte-equal
    for (String[] cmd : new String[][] {{"LOLWUT"}, {"LOLWUT", "VERSION", "7"}, {"LOLWUT", "VERSION"},
        {"LOLWUT", "10", "20"}, {"LOLWUT", "VERSION", "5", "40", "5", "2"}, {"LOLWUT", "VERSION", "5", "1", "1", "1"},
        {"LOLWUT", "VERSION", "5", "0", "-3", "0"}, {"LOLWUT", "VERSION", "5", "3", "8", "2"},
        {"LOLWUT", "VERSION", "4294967301", "20", "3", "2"}, {"LOLWUT", "VERSION", "x"},
        {"LOLWUT", "VERSION", "5", "10", "x"}, {"LOLWUT", "VERSION", "6", "5", "x"}}) {
      assertEquals(r.call(cmd), asRedis(v.call(cmd)), String.join(" ", cmd));
    }
    assertTrue(v.call("LOLWUT").contains("Vireo ver. "));

    // Schotter: the first two rows of squares stand still, the rest are random
    String[] expected = utf8(body(r.call("LOLWUT", "VERSION", "5"))).split("\n", -1);
    String[] actual = utf8(body(asRedis(v.call("LOLWUT", "VERSION", "5")))).split("\n", -1);
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < actual.length; i++) {
      if (i < 7 || i >= actual.length - 3) {
        assertEquals(expected[i], actual[i], "line " + i);
      } else {
        assertEquals(expected[i].length(), actual[i].length(), "line " + i);
      }
    }

    // the skyline: 20 rows of 80 gray cells, then the dedication
    for (String reply : new String[] {r.call("LOLWUT", "VERSION", "6"), asRedis(v.call("LOLWUT", "VERSION", "6"))}) {
      String[] lines = body(reply).split("\n", -1);
      assertEquals(23, lines.length, reply);
      for (int i = 0; i < 20; i++) {
        assertTrue(lines[i].matches("(\033\\[0;(30;40|90;100|37;47|97;107)m \033\\[0m){80}"), lines[i]);
      }
      assertEquals("Dedicated to the 8 bit game developers of past and present.", lines[20]);
      assertEquals("Original 8 bit image from Plaguemon by hikikomori. Redis ver. 7.0.15", lines[21]);
    }
    both("HELLO", "3");
    assertEquals(r.call("LOLWUT"), asRedis(v.call("LOLWUT")));
    both("HELLO", "2");
  }

  private static String utf8(String latin1) {
    return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }

  @Test
  void pfselftestPasses() {
    same("PFSELFTEST");
    same("PFSELFTEST", "x");
  }

  @Test
  void scriptDebugAsRedisExceptTheDebugger() {
    same("SCRIPT", "DEBUG", "NO");
    same("SCRIPT", "DEBUG", "foo");
    same("SCRIPT", "DEBUG");
    // refused while earlier replies are pending: in a pipeline and inside EXEC
    String pipeline = "PING\r\nSCRIPT DEBUG no\r\nMULTI\r\nSCRIPT DEBUG NO\r\nSCRIPT DEBUG yes\r\nEXEC\r\n";
    r.sendRaw(pipeline);
    v.sendRaw(pipeline);
    for (int i = 0; i < 6; i++) assertEquals(r.readReply(), v.readReply(), "reply " + i);
    // Redis enters its Lua debugger; Vireo has none and says so
    assertEquals("+OK\r\n", r.call("SCRIPT", "DEBUG", "YES"));
    assertEquals("-ERR the Lua debugger (LDB) is not available in this server\r\n", v.call("SCRIPT", "DEBUG", "YES"));
    assertEquals("-ERR the Lua debugger (LDB) is not available in this server\r\n", v.call("SCRIPT", "DEBUG", "SYNC"));
    r.call("SCRIPT", "DEBUG", "NO");
  }

  @Test
  void moduleCommandsAsRedis() {
    // refused unless enable-module-command allows them
    same("MODULE", "LOAD", "/nonexistent/module.so");
    same("MODULE", "LOADEX", "/nonexistent/module.so", "CONFIG", "a", "b", "ARGS", "x");
    same("MODULE", "UNLOAD", "nosuch");
    try (RedisServerProcess redis2 = RedisServerProcess.start("--enable-module-command", "yes");
        TestNode node2 = TestNode.start("--enable-module-command", "yes");
        RespClient r2 = redis2.client();
        RespClient v2 = node2.client()) {
      for (String[] cmd : new String[][] {{"MODULE", "LOAD", "/nonexistent/module.so"},
          {"MODULE", "LOAD", "/nonexistent/module.so", "a", "b"}, {"MODULE", "LOADEX", "/nonexistent/module.so"},
          {"MODULE", "LOADEX", "/nonexistent/module.so", "CONFIG", "a"}, {"MODULE", "UNLOAD", "nosuch"},
          {"MODULE", "LIST"}, {"MODULE", "LIST", "x"}}) {
        assertEquals(r2.call(cmd), v2.call(cmd), String.join(" ", cmd));
      }
    }
  }
}
