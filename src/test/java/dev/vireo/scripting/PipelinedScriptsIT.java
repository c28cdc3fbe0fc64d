package dev.vireo.scripting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.CliReplica;
import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RespClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pipelined bursts of scripts (which Vireo runs in one handover to its script thread) answer and replicate as
 * one command after the other in Redis: two clients send bursts of EVAL, EVALSHA, FCALL and their read-only
 * variants mixed with MULTI/EXEC, WATCH, plain writes and failing scripts. The replies of every client and the
 * replication stream (read with {@code redis-cli --replica}) are the same from Vireo as from a real Redis 7.0,
 * run side by side.
 */
class PipelinedScriptsIT {
  private static final String INCR = "return redis.call('incr', KEYS[1])";
  private static final String INCR_SHA = LuaRuntime.sha1hex(INCR.getBytes(StandardCharsets.UTF_8));
  private static final String TWO_WRITES = "redis.call('set', KEYS[1], ARGV[1]) return redis.call('incr', KEYS[2])";
  private static final String LIB = "#!lua name=plib\n"
      + "redis.register_function('padd', function(keys, args) return redis.call('rpush', keys[1], args[1]) end)\n"
      + "redis.register_function{function_name='plen', callback=function(keys) return redis.call('llen', keys[1]) "
      + "end, flags={'no-writes'}}";

  /** Client A's first burst: scripts back to back, a write in between, errors, a transaction, a new script twice. */
  private static final String[][] BURST_A = {
    {"EVALSHA", INCR_SHA, "1", "n"},
    {"EVAL", TWO_WRITES, "2", "w", "n", "a1"},
    {"EVALSHA", INCR_SHA, "1", "n"},
    {"EVAL", "return redis.call('get', KEYS[1]) .. '/' .. ARGV[1]", "1", "w", "fresh"},
    {"EVAL", "return redis.call('get', KEYS[1]) .. '/' .. ARGV[1]", "1", "w", "again"},
    {"EVALSHA", "0000000000000000000000000000000000000000", "0"},
    {"EVAL", "return 1", "-1"},
    {"FCALL", "padd", "1", "list", "x"},
    {"FCALL_RO", "plen", "1", "list"},
    {"EVAL", "redis.call('rpush', KEYS[1], 'a') error('after a write')", "1", "list"},
    {"SET", "plain", "1"},
    {"EVAL_RO", "return redis.call('get', KEYS[1])", "1", "plain"},
    {"EVAL_RO", "return redis.call('set', KEYS[1], 2)", "1", "plain"},
    {"EVAL", "redis.call('select', 3) return redis.call('set', KEYS[1], 'db3')", "1", "s3"},
    {"MULTI"},
    {"EVALSHA", INCR_SHA, "1", "n"},
    {"EVAL", TWO_WRITES, "2", "w", "m", "in-multi"},
    {"EXEC"},
    {"EVAL", "redis.set_repl(redis.REPL_NONE) redis.call('set', 'hidden', 1) redis.set_repl(redis.REPL_ALL) "
        + "return redis.call('incr', KEYS[1])", "1", "n"},
    {"EVALSHA", INCR_SHA, "1", "n"},
    {"GET", "n"},
  };

  /** Client B, watching w before A's burst: its transaction fails; its own script touches its next watch. */
  private static final String[][] BURST_B = {
    {"MULTI"},
    {"GET", "w"},
    {"EXEC"},
    {"EVALSHA", INCR_SHA, "1", "b"},
    {"WATCH", "b"},
    {"EVALSHA", INCR_SHA, "1", "b"},
    {"EVAL", TWO_WRITES, "2", "bw", "b", "x"},
    {"MULTI"},
    {"INCR", "b"},
    {"EXEC"},
    {"WATCH", "c"},
    {"EVAL", "return redis.call('get', KEYS[1])", "1", "c"},
    {"MULTI"},
    {"INCR", "c"},
    {"EXEC"},
    {"DEL", "plain"},
    {"EVALSHA", INCR_SHA, "1", "b"},
  };

  @Test
  void burstsFromTwoClientsAnswerAndReplicateAsInRedis() throws Exception {
    Outcome redis = run("redis");
    Outcome vireo = run("vireo");
    assertEquals(redis.repliesA, vireo.repliesA, "client A's replies");
    assertEquals(redis.repliesB, vireo.repliesB, "client B's replies");
    assertEquals(redis.concurrent, vireo.concurrent, "replies of the concurrent bursts");
    assertTrue(redis.stream.contains("\"MULTI\"") && redis.stream.size() > 20, "Redis's stream: " + redis.stream);
    assertEquals(redis.stream, vireo.stream, "replication stream");
    assertEquals(redis.digest, vireo.digest, "DEBUG DIGEST");
  }

  /**
   * A script past busy-reply-threshold in the middle of a burst: other clients get -BUSY, SCRIPT KILL stops it,
   * and the caller gets the replies of the whole burst in order (the scripts before and after it, a command
   * refused meanwhile, a plain command behind it). The same expectations hold for Redis and Vireo.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "vireo"})
  void busyScriptInABurst(String kind) {
    String loop = "local i = 0 while true do i = i + 1 end";
    String killed = "-ERR Script killed by user with SCRIPT KILL... script: "
        + LuaRuntime.sha1hex(loop.getBytes(StandardCharsets.UTF_8)) + ", on @user_script:1.\r\n";
    String busy = "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n";
    try (AnyServer server = AnyServer.start(kind, "--busy-reply-threshold", "50");
        RespClient caller = server.client(); RespClient other = server.client()) {
      caller.readTimeout(Duration.ofSeconds(60));
      assertEquals("$40\r\n" + INCR_SHA + "\r\n", other.call("SCRIPT", "LOAD", INCR));
      String[][] first = {
        {"EVALSHA", INCR_SHA, "1", "n"},
        {"EVAL", loop, "0"},
        {"EVALSHA", INCR_SHA, "1", "n"},
        {"EVALSHA", "0000000000000000000000000000000000000000", "0"},
        {"GET", "n"},
        {"EVAL_RO", "return redis.call('get', KEYS[1])", "1", "n"},
      };
      caller.sendRaw(encode(first));
      Poll.until(Poll.WAIT, "-BUSY for other clients", () -> other.call("PING").equals(busy));
      assertEquals(busy, other.call("INCR", "n"));
      assertEquals("+OK\r\n", other.call("SCRIPT", "KILL"));
      List<String> replies = new ArrayList<>();
      for (int i = 0; i < first.length; i++) replies.add(caller.readReply());
      assertEquals(List.of(":1\r\n", killed, ":2\r\n", "-NOSCRIPT No matching script. Please use EVAL.\r\n",
          "$1\r\n2\r\n", "$1\r\n2\r\n"), replies);
      String[][] second = {
        {"EVALSHA", INCR_SHA, "1", "n"},
        {"EVAL", loop, "0"},
        {"SET", "after", "loop"},
        {"EVALSHA", INCR_SHA, "1", "n"},
        {"EVAL", "return redis.call('get', KEYS[1])", "1", "after"},
      };
      caller.sendRaw(encode(second));
      Poll.until(Poll.WAIT, "-BUSY for other clients", () -> other.call("PING").equals(busy));
      assertEquals("+OK\r\n", other.call("SCRIPT", "KILL"));
      replies.clear();
      for (int i = 0; i < second.length; i++) replies.add(caller.readReply());
      assertEquals(List.of(":3\r\n", killed, "+OK\r\n", ":4\r\n", "$4\r\nloop\r\n"), replies);
      assertEquals("+PONG\r\n", other.call("PING"));
    }
  }

  private record Outcome(List<String> repliesA, List<String> repliesB, List<String> concurrent,
      List<String> stream, String digest) {}

  private static Outcome run(String kind) throws Exception {
    try (AnyServer server = AnyServer.start(kind, "--enable-debug-command", "yes");
        RespClient a = server.client(); RespClient b = server.client()) {
      try (CliReplica cli = CliReplica.attach(server.port())) {
        List<String> seen = cli.seen();
        cli.awaitLine("SYNC done");
        Poll.until(Poll.WAIT, "the replica to be online",
            () -> a.call("INFO", "replication").contains("state=online"));
        assertEquals("$40\r\n" + INCR_SHA + "\r\n", a.call("SCRIPT", "LOAD", INCR));
        assertEquals("$4\r\nplib\r\n", a.call("FUNCTION", "LOAD", LIB));
        assertEquals("+OK\r\n", b.call("WATCH", "w"));
        List<String> repliesA = burst(a, BURST_A);
        List<String> repliesB = burst(b, BURST_B);
        // both at once, on keys of their own: each client's replies are as if alone
        String[][] incrs = new String[40][];
        String[][] pushes = new String[40][];
        for (int i = 0; i < incrs.length; i++) {
          incrs[i] = i % 7 == 3 ? new String[] {"INCR", "ca"} : new String[] {"EVALSHA", INCR_SHA, "1", "ca"};
          pushes[i] = i % 5 == 2 ? new String[] {"RPUSH", "cb", "p" + i}
              : new String[] {"FCALL", "padd", "1", "cb", "f" + i};
        }
        a.sendRaw(encode(incrs));
        b.sendRaw(encode(pushes));
        List<String> concurrent = new ArrayList<>();
        for (int i = 0; i < incrs.length; i++) concurrent.add(a.readReply());
        for (int i = 0; i < pushes.length; i++) concurrent.add(b.readReply());
        a.call("SET", "last", "1");
        cli.awaitLine("\"SET\",\"last\",\"1\"");
        List<String> stream = new ArrayList<>();
        boolean synced = false;
        for (String l : seen) {
          if (l.startsWith("SYNC done")) {
            synced = true;
          } else if (synced && !l.equalsIgnoreCase("\"ping\"") && !l.startsWith("sending")) {
            stream.add(l);
          }
        }
        // the concurrent bursts interleave as the reads happen to come: compare their part as a sequence per key
        List<String> ordered = new ArrayList<>();
        List<String> byA = new ArrayList<>();
        List<String> byB = new ArrayList<>();
        for (String l : stream) {
          if (l.contains("\"ca\"")) byA.add(l);
          else if (l.contains("\"cb\"")) byB.add(l);
          else ordered.add(l);
        }
        ordered.add("-- ca: " + byA);
        ordered.add("-- cb: " + byB);
        return new Outcome(repliesA, repliesB, concurrent, ordered, a.call("DEBUG", "DIGEST"));
      }
    }
  }

  /** Sends every command in one write, then reads a reply for each. */
  private static List<String> burst(RespClient c, String[][] commands) {
    c.sendRaw(encode(commands));
    List<String> replies = new ArrayList<>();
    for (int i = 0; i < commands.length; i++) replies.add(c.readReply());
    return replies;
  }

  private static byte[] encode(String[][] commands) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String[] cmd : commands) out.writeBytes(RespClient.encodeCommand(cmd));
    return out.toByteArray();
  }

}
