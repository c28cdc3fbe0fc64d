package dev.vireo.scripting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RespClient;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A script that outlives busy-reply-threshold, on a real Redis 7.0.15 and on Vireo's jar with the same
 * expectations: other clients get -BUSY (SCRIPT KILL and allow-busy commands still run), SCRIPT KILL stops a
 * script that has not written and its caller gets Redis's error, the caller's pipelined command then runs, a
 * script that has written is -UNKILLABLE, and SHUTDOWN NOSAVE still stops the server.
 */
class BusyScriptIT {
  private static final String BUSY =
      "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n";
  private static final String LOOP = "local i = 0 while true do i = i + 1 end";
  private static final String WRITE_THEN_LOOP = "redis.call('set', KEYS[1], 'v') while true do end";

  private static AnyServer start(String kind) {
    String[] args = {"--busy-reply-threshold", "50"};
    return kind.equals("jar") ? AnyServer.jar(args) : AnyServer.start(kind, args);
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis", "jar"})
  void busyScriptIsKilledAndTheServerAnswersAgain(String kind) {
    try (AnyServer server = start(kind); RespClient caller = server.client(); RespClient other = server.client()) {
      caller.readTimeout(Duration.ofSeconds(60));
      assertEquals("+OK\r\n", other.call("SET", "k", "before"));
      // the script, then a command pipelined behind it on the same connection
      caller.sendRaw(RespClient.encodeCommand("EVAL", LOOP, "0"));
      caller.sendRaw(RespClient.encodeCommand("GET", "k"));
      Poll.until(Poll.WAIT, "-BUSY for other clients", () -> other.call("PING").equals(BUSY));
      assertEquals(BUSY, other.call("GET", "k"));
      assertEquals(BUSY, other.call("EVAL", "return 1", "0"));
      assertEquals(BUSY, other.call("SHUTDOWN"));
      assertEquals("-ERR wrong number of arguments for 'get' command\r\n", other.call("GET"));
      // an unknown subcommand is answered as such, not -BUSY
      assertEquals("-ERR unknown subcommand 'NOPE'. Try SCRIPT HELP.\r\n", other.call("SCRIPT", "NOPE"));
      assertEquals("+OK\r\n", other.call("SCRIPT", "KILL"));
      assertEquals("-ERR Script killed by user with SCRIPT KILL... script: " + LuaRuntime.sha1hex(LOOP.getBytes())
          + ", on @user_script:1.\r\n", caller.readReply());
      assertEquals("$6\r\nbefore\r\n", caller.readReply());
      assertEquals("+PONG\r\n", other.call("PING"));
      assertEquals("-NOTBUSY No scripts in execution right now.\r\n", other.call("SCRIPT", "KILL"));
      String stats = other.call("INFO", "errorstats");
      assertTrue(stats.contains("errorstat_BUSY:count="), stats);
      // what was refused or ran meanwhile is in commandstats too (GET: two refused, the pipelined one ran)
      String commands = other.call("INFO", "commandstats");
      for (String line : new String[] {"cmdstat_get:calls=1,usec=\\d+,usec_per_call=[\\d.]+,rejected_calls=2,",
          "cmdstat_script\\|kill:calls=2,usec=\\d+,usec_per_call=[\\d.]+,rejected_calls=0,failed_calls=1",
          "cmdstat_ping:calls=\\d+,usec=\\d+,usec_per_call=[\\d.]+,rejected_calls=[1-9]"}) {
        assertTrue(Pattern.compile(line).matcher(commands).find(), line + " in " + commands);
      }
      assertTrue(Pattern.compile("cmdstat_shutdown:[^\r]*,failed_calls=1\r\n").matcher(commands).find(), commands);
      assertTrue(!commands.contains("cmdstat_script:"), "no line for the container: " + commands);
      if (kind.equals("jar")) { // Vireo's own counters (INFO stats, and so /metrics)
        String info = other.call("INFO", "stats");
        assertTrue(info.contains("busy_scripts:1\r\n") && info.contains("killed_scripts:1\r\n"), info);
      }
    }
  }

  /** A busy function: the FUNCTION variant of -BUSY, FUNCTION STATS shows it, FUNCTION KILL (not SCRIPT KILL). */
  @ParameterizedTest
  @ValueSource(strings = {"redis", "jar"})
  void busyFunctionIsKilledWithFunctionKill(String kind) {
    String busyFunction =
        "-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n";
    try (AnyServer server = start(kind); RespClient caller = server.client(); RespClient other = server.client()) {
      assertEquals("$4\r\nloop\r\n", other.call("FUNCTION", "LOAD", "#!lua name=loop\n"
          + "redis.register_function('spin', function() local i = 0 while true do i = i + 1 end end)"));
      caller.sendRaw(RespClient.encodeCommand("FCALL", "spin", "0"));
      Poll.until(Poll.WAIT, "-BUSY for other clients", () -> other.call("PING").equals(busyFunction));
      assertEquals(busyFunction, other.call("SCRIPT", "KILL"));
      assertTrue(other.call("FUNCTION", "STATS").startsWith("*4\r\n$14\r\nrunning_script\r\n*6\r\n$4\r\nname\r\n"
          + "$4\r\nspin\r\n$7\r\ncommand\r\n*3\r\n$5\r\nFCALL\r\n$4\r\nspin\r\n$1\r\n0\r\n$11\r\nduration_ms\r\n:"));
      assertEquals("+OK\r\n", other.call("FUNCTION", "KILL"));
      assertEquals("-ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2.\r\n",
          caller.readReply());
      assertEquals("+PONG\r\n", other.call("PING"));
    }
  }

  /**
   * WATCH, UNWATCH, MULTI and DISCARD are answered while the script runs (the GET after each is still -BUSY); the
   * watch set meanwhile holds once it ends. EXEC is refused and discards the transaction (EXECABORT, even without
   * MULTI, as Redis answers).
   */
  @ParameterizedTest
  @ValueSource(strings = {"redis", "jar"})
  void transactionCommandsAreAnsweredWhileBusy(String kind) {
    try (AnyServer server = start(kind); RespClient caller = server.client(); RespClient other = server.client();
        RespClient third = server.client()) {
      assertEquals("+OK\r\n", third.call("SET", "k", "1"));
      caller.sendRaw(RespClient.encodeCommand("EVAL", LOOP, "0"));
      Poll.until(Poll.WAIT, "-BUSY for other clients", () -> other.call("PING").equals(BUSY));
      assertEquals("+OK\r\n", other.call("WATCH", "k"));
      assertEquals(BUSY, other.call("GET", "k"));
      assertEquals("+OK\r\n", other.call("UNWATCH"));
      assertEquals("+OK\r\n", other.call("MULTI"));
      assertEquals(BUSY, other.call("GET", "k"));
      assertEquals("+OK\r\n", other.call("DISCARD"));
      assertEquals("-ERR DISCARD without MULTI\r\n", other.call("DISCARD"));
      assertEquals("-ERR WATCH inside MULTI is not allowed\r\n", pipelinedWatchInMulti(other));
      assertEquals("-EXECABORT Transaction discarded because of: " + BUSY.substring(1), other.call("EXEC"));
      assertEquals("+OK\r\n", other.call("MULTI"));
      assertEquals("-EXECABORT Transaction discarded because of: " + BUSY.substring(1), other.call("EXEC"));
      assertEquals("-ERR DISCARD without MULTI\r\n", other.call("DISCARD"));
      assertEquals("+OK\r\n", other.call("WATCH", "k"));
      assertEquals(BUSY, other.call("GET", "k"));
      assertEquals("+OK\r\n", third.call("SCRIPT", "KILL"));
      assertTrue(caller.readReply().startsWith("-ERR Script killed by user with SCRIPT KILL..."));
      // the watch taken while busy holds: a write after the script ends fails the transaction
      assertEquals("+OK\r\n", third.call("SET", "k", "2"));
      assertEquals("+OK\r\n", other.call("MULTI"));
      assertEquals("+QUEUED\r\n", other.call("GET", "k"));
      assertEquals("*-1\r\n", other.call("EXEC"));
    }
  }

  /** MULTI then WATCH (refused inside MULTI), then DISCARD; returns the WATCH reply. */
  private static String pipelinedWatchInMulti(RespClient c) {
    assertEquals("+OK\r\n", c.call("MULTI"));
    String watch = c.call("WATCH", "k");
    assertEquals("+OK\r\n", c.call("DISCARD"));
    return watch;
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis", "jar"})
  void scriptThatWroteIsUnkillableAndShutdownNosaveStopsTheServer(String kind) {
    try (AnyServer server = start(kind); RespClient caller = server.client(); RespClient other = server.client()) {
      caller.sendRaw(RespClient.encodeCommand("EVAL", WRITE_THEN_LOOP, "1", "k"));
      Poll.until(Poll.WAIT, "-BUSY for other clients", () -> other.call("PING").equals(BUSY));
      assertEquals("-UNKILLABLE Sorry the script already executed write commands against the dataset. You can "
          + "either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE "
          + "command.\r\n", other.call("SCRIPT", "KILL"));
      other.sendRaw(RespClient.encodeCommand("SHUTDOWN", "NOSAVE"));
      assertTrue(other.isClosedByPeer(Duration.ofSeconds(30)), "the server closes the connection as it exits");
      Poll.until(Poll.WAIT, "the server is gone", () -> !ProcessHandle.of(server.pid()).map(ProcessHandle::isAlive)
          .orElse(false));
    }
  }
}
