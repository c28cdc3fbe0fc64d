package dev.vireo.scripting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.testkit.FreePort;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Scripts and functions on a replica whose link is down with {@code replica-serve-stale-data no}, on a real Redis
 * 7.0.15 and on Vireo with the same expectations: only {@code allow-stale} scripts run (an EVAL without shebang is
 * refused with MASTERDOWN, a script that may write with READONLY first), and inside them only commands flagged
 * {@code stale}; {@code allow-oom} and {@code no-cluster} parse and change nothing here.
 */
class StaleReplicaScriptIT {
  private static final String LIB = "#!lua name=stalelib\n"
      + "redis.register_function('f_plain', function() return 1 end)\n"
      + "redis.register_function{function_name='f_stale', callback=function() return 2 end, "
      + "flags={'allow-stale', 'no-writes'}}\n"
      + "redis.register_function{function_name='f_stalew', callback=function() return 3 end, flags={'allow-stale'}}\n"
      + "redis.register_function{function_name='f_ro', callback=function() return 4 end, flags={'no-writes'}}\n"
      + "redis.register_function{function_name='f_sget', callback=function() return redis.call('get', 'k') end, "
      + "flags={'allow-stale', 'no-writes'}}";

  private static final String MASTERDOWN =
      "-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.\r\n";
  private static final String READONLY = "-READONLY You can't write against a read only replica.\r\n";

  /** Script bodies and what Redis 7.0.15 answers to EVAL and EVAL_RO of each on the stale replica. */
  private static final String[][] SCRIPTS = {
    {"return 1", MASTERDOWN},
    {"#!lua\nreturn 1", READONLY},
    {"#!lua flags=no-writes\nreturn 1", MASTERDOWN},
    {"#!lua flags=allow-oom,no-cluster,no-writes\nreturn 1", MASTERDOWN},
    {"#!lua flags=allow-stale\nreturn 1", READONLY},
    {"#!lua flags=allow-stale,no-writes\nreturn 1", ":1\r\n"},
    {"#!lua flags=allow-stale,no-writes,allow-oom,no-cluster\nreturn 5", ":5\r\n"},
    {"#!lua flags=allow-stale,no-writes\nreturn redis.call('info', 'server') ~= nil", ":1\r\n"},
    {"#!lua flags=allow-stale,no-writes\nreturn redis.call(\"get\",\"k\")",
        "-ERR Can not execute the command on a stale replica script: 7551d4b1e29515a0f7bc1d508091a611b9f36f26, "
            + "on @user_script:2.\r\n"},
    {"#!lua flags=allow-stale,no-writes\nreturn redis.call(\"ping\")",
        "-ERR Can not execute the command on a stale replica script: 0a00e9bbda3a17e89db9094a2d0503f2d8fb7349, "
            + "on @user_script:2.\r\n"},
    {"#!lua flags=allow-stale,no-writes\nreturn redis.pcall('get', 'k')",
        "-ERR Can not execute the command on a stale replica\r\n"},
  };

  private static final String[][] FUNCTIONS = {
    {"f_plain", READONLY},
    {"f_stale", ":2\r\n"},
    {"f_stalew", READONLY},
    {"f_ro", MASTERDOWN},
    {"f_sget", "-ERR Can not execute the command on a stale replica script: f_sget, on @user_function:6.\r\n"},
  };

  /** Loads the library, then turns the server into a replica of a port nobody listens on. */
  private static List<String> run(RespClient c) {
    List<String> replies = new ArrayList<>();
    assertEquals("$8\r\nstalelib\r\n", c.call("FUNCTION", "LOAD", LIB));
    assertEquals("+OK\r\n", c.call("SET", "k", "v"));
    assertEquals("$40\r\ne0e1f9fabfc9d4800c877a703b823ac0578ff8db\r\n", c.call("SCRIPT", "LOAD", "return 1"));
    assertEquals("+OK\r\n", c.call("CONFIG", "SET", "replica-serve-stale-data", "no"));
    assertEquals("+OK\r\n", c.call("REPLICAOF", "127.0.0.1", Integer.toString(FreePort.get())));
    // plain commands first: READONLY comes before MASTERDOWN, as in Redis's checks
    assertEquals(READONLY, c.call("SET", "k", "w"));
    replies.add(c.call("GET", "k"));
    replies.add(c.call("PING"));
    replies.add(c.call("INFO", "nosuchsection"));
    for (String[] s : SCRIPTS) {
      String eval = c.call("EVAL", s[0], "0");
      assertEquals(s[1], eval, s[0]);
      replies.add(eval);
      replies.add(c.call("EVAL_RO", s[0], "0"));
    }
    for (String[] f : FUNCTIONS) {
      String fcall = c.call("FCALL", f[0], "0");
      assertEquals(f[1], fcall, f[0]);
      replies.add(fcall);
      replies.add(c.call("FCALL_RO", f[0], "0"));
    }
    replies.add(c.call("EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0"));
    // serving stale data again: every script runs as on any replica
    replies.add(c.call("CONFIG", "SET", "replica-serve-stale-data", "yes"));
    replies.add(c.call("EVAL", "return redis.call('get', 'k')", "0"));
    replies.add(c.call("EVAL", "#!lua flags=allow-stale,no-writes\nreturn redis.call('get', 'k')", "0"));
    replies.add(c.call("FCALL", "f_sget", "0"));
    replies.add(c.call("REPLICAOF", "NO", "ONE"));
    return replies;
  }

  @Test
  void staleReplicaRunsOnlyAllowStaleScriptsAsRedis() {
    List<String> expected;
    try (RedisServerProcess redis = RedisServerProcess.start(); RespClient r = redis.client()) {
      expected = run(r);
    }
    try (TestNode node = TestNode.start(); RespClient v = node.client()) {
      assertEquals(expected, run(v));
    }
  }
}
