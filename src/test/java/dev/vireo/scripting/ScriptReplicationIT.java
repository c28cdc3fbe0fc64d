package dev.vireo.scripting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.CliReplica;
import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RespClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scripts replicate their effects as Redis 7.0 does. The stream a master sends for a set of scripts (one write,
 * several writes, none, redis.set_repl, SELECT, rewritten commands) is the same from Vireo as from a real Redis,
 * read with {@code redis-cli --replica}; and a seeded script workload leaves a Vireo replica of a Redis master,
 * and a Redis replica of a Vireo master, with the master's DEBUG DIGEST. Replicas run read-only scripts.
 */
class ScriptReplicationIT {
  private static final String[] DEBUG = {"--enable-debug-command", "yes"};

  @ParameterizedTest(name = "{0} master")
  @ValueSource(strings = {"redis", "vireo"})
  void scriptEffectsReachTheStreamAsRedisSendsThem(String kind) throws Exception {
    try (AnyServer master = AnyServer.start(kind, "--repl-diskless-sync-delay", "0");
        RespClient m = master.client()) {
      try (CliReplica cli = CliReplica.attach(master.port())) {
        List<String> seen = cli.seen();
        cli.awaitLine("SYNC done");
        Poll.until(Poll.WAIT, "the replica to be online", () -> m.call("INFO", "replication").contains("state=online"));
        m.call("EVAL", "redis.call('set', KEYS[1], 'one')", "1", "a");
        m.call("EVAL", "redis.call('set', KEYS[1], 'x') redis.call('incr', 'n') return 1", "1", "b");
        m.call("EVAL", "return redis.call('get','a')", "0");
        m.call("EVAL_RO", "return redis.call('get','a')", "0");
        m.call("EVAL", "redis.set_repl(redis.REPL_NONE) redis.call('set','hidden',1) "
            + "redis.set_repl(redis.REPL_ALL) redis.call('set','shown',1)", "0");
        m.call("EVAL", "redis.call('select', 3) redis.call('set','indb3',1)", "0");
        m.call("SET", "plain", "1");
        m.call("EVAL", "redis.call('set','e','1','EX','100')", "0");
        m.call("EVAL", "redis.call('incrbyfloat','f','1.5')", "0");
        m.call("EVAL", "redis.call('rpush','l','a') redis.call('lpush','l','b') error('after two writes')", "0");
        m.call("EVAL", "redis.call('del','nothing-here')", "0");
        m.call("SET", "last", "1");
        int from = seen.size();
        cli.awaitLine("\"SET\",\"last\",\"1\"");
        List<String> stream = new ArrayList<>();
        for (String l : seen.subList(from, seen.size())) {
          if (!l.equalsIgnoreCase("\"ping\"") && !l.startsWith("sending")) {
            stream.add(l.replaceAll("\"PXAT\",\"\\d+\"", "\"PXAT\",\"<t>\""));
          }
        }
        assertEquals(List.of("\"set\",\"a\",\"one\"", "\"MULTI\"", "\"set\",\"b\",\"x\"", "\"incr\",\"n\"",
            "\"EXEC\"", "\"set\",\"shown\",\"1\"", "\"SELECT\",\"3\"", "\"set\",\"indb3\",\"1\"", "\"SELECT\",\"0\"",
            "\"SET\",\"plain\",\"1\"", "\"SET\",\"e\",\"1\",\"PXAT\",\"<t>\"", "\"SET\",\"f\",\"1.5\",\"KEEPTTL\"",
            "\"MULTI\"", "\"rpush\",\"l\",\"a\"", "\"lpush\",\"l\",\"b\"", "\"EXEC\"", "\"SET\",\"last\",\"1\""),
            stream, "all lines: " + seen);
      }
    }
  }

  @Test
  void vireoReplicaOfRedisMasterEndsWithItsDigest() {
    try (AnyServer master = AnyServer.start("redis", DEBUG); AnyServer replica = AnyServer.start("vireo", DEBUG)) {
      follow(master, replica);
    }
  }

  @Test
  void redisReplicaOfVireoMasterEndsWithItsDigest() {
    try (AnyServer master = AnyServer.start("vireo", DEBUG); AnyServer replica = AnyServer.start("redis", DEBUG)) {
      follow(master, replica);
    }
  }

  /**
   * A replica busy with a long read-only script answers -BUSY and keeps the master's stream until the script
   * ends (SCRIPT KILL here); then it applies it and ends with the master's digest. Redis and Vireo replicas alike.
   */
  @ParameterizedTest(name = "{0} replica")
  @ValueSource(strings = {"redis", "vireo"})
  void busyReplicaAppliesTheStreamAfterTheScript(String kind) {
    String busy = "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n";
    try (AnyServer master = AnyServer.start("redis", DEBUG);
        AnyServer replica = AnyServer.start(kind, "--enable-debug-command", "yes", "--busy-reply-threshold", "50");
        RespClient m = master.client(); RespClient r = replica.client(); RespClient caller = replica.client()) {
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port())));
      Poll.until(Poll.WAIT, "the replica's link to be up", () -> r.call("INFO", "replication")
          .contains("master_link_status:up"));
      caller.sendRaw(RespClient.encodeCommand("EVAL_RO", "local i = 0 while true do i = i + 1 end", "0"));
      Poll.until(Poll.WAIT, "-BUSY on the replica", () -> r.call("PING").equals(busy));
      for (int i = 0; i < 20; i++) m.call("INCR", "n");
      m.call("SET", "during", "busy");
      assertEquals(busy, r.call("GET", "during"));
      assertEquals("+OK\r\n", r.call("SCRIPT", "KILL"));
      assertTrue(caller.readReply().startsWith("-ERR Script killed by user with SCRIPT KILL..."));
      String offset = field(m.call("INFO", "replication"), "master_repl_offset");
      Poll.until(Poll.WAIT, "the replica to reach offset " + offset,
          () -> offset.equals(field(r.call("INFO", "replication"), "slave_repl_offset")));
      assertEquals("$4\r\nbusy\r\n", r.call("GET", "during"));
      assertEquals(":20\r\n", r.call("EVAL_RO", "return tonumber(redis.call('get', KEYS[1]))", "1", "n"));
      assertEquals(m.call("DEBUG", "DIGEST"), r.call("DEBUG", "DIGEST"));
    }
  }

  private static void follow(AnyServer master, AnyServer replica) {
    try (RespClient m = master.client(); RespClient r = replica.client()) {
      m.call("SET", "before", "sync");
      // one library reaches the replica in the RDB, the other in the stream
      assertEquals("$4\r\nliba\r\n", m.call("FUNCTION", "LOAD", "#!lua name=liba\n"
          + "redis.register_function('fa', function(keys, args) return redis.call('incr', keys[1]) end)"));
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port())));
      Poll.until(Poll.WAIT, "the replica's link to be up", () -> r.call("INFO", "replication")
          .contains("master_link_status:up"));
      assertEquals("$4\r\nlibb\r\n", m.call("FUNCTION", "LOAD", "#!lua name=libb\n"
          + "redis.register_function('fb', function(keys, args) return redis.call('rpush', keys[1], args[1]) end)"));
      workload(m, new Random(Long.getLong("vireo.diff.seed", 20261202L)), 300);
      for (int i = 0; i < 10; i++) {
        m.call("FCALL", "fa", "1", "fcount");
        m.call("FCALL", "fb", "1", "flist", "v" + i);
      }
      // read-only scripts run on the replica; writes are refused as in Redis
      assertEquals("$4\r\nsync\r\n", r.call("EVAL_RO", "return redis.call('get', KEYS[1])", "1", "before"));
      assertEquals("$4\r\nsync\r\n", r.call("EVAL", "return redis.call('get', KEYS[1])", "1", "before"));
      assertTrue(r.call("EVAL", "return redis.call('set', KEYS[1], 'x')", "1", "before")
          .startsWith("-READONLY You can't write against a read only replica. script: "));
      assertEquals("-READONLY You can't write against a read only replica.\r\n",
          r.call("EVAL", "#!lua\nreturn 1", "0"));
      String offset = field(m.call("INFO", "replication"), "master_repl_offset");
      Poll.until(Poll.WAIT, "the replica to reach offset " + offset,
          () -> offset.equals(field(r.call("INFO", "replication"), "slave_repl_offset")));
      assertEquals(m.call("DEBUG", "DIGEST"), r.call("DEBUG", "DIGEST"));
      for (String lib : new String[] {"liba", "libb"}) {
        assertEquals(m.call("FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", lib),
            r.call("FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", lib));
      }
      assertEquals("$2\r\n10\r\n", r.call("GET", "fcount"));
      // a function that may write is refused on a read-only replica, as a write
      assertEquals("-READONLY You can't write against a read only replica.\r\n", r.call("FCALL", "fa", "1", "x"));
      assertTrue(!m.call("DEBUG", "DIGEST").equals("+0000000000000000000000000000000000000000\r\n"));
    }
  }

  /** Seeded scripts over a few keys: several writes, conditional writes, reads, errors after writes. */
  static void workload(RespClient m, Random rnd, int n) {
    String[] scripts = {
      "redis.call('set', KEYS[1], ARGV[1]) return redis.call('incr', KEYS[2])",
      "if redis.call('exists', KEYS[1]) == 1 then return redis.call('append', KEYS[1], ARGV[1]) end return 0",
      "redis.call('rpush', KEYS[3], ARGV[1], ARGV[2]) redis.call('ltrim', KEYS[3], 0, 5) return 1",
      "redis.call('hset', KEYS[4], ARGV[1], ARGV[2]) redis.call('hincrby', KEYS[4], 'n', 1) return 1",
      "redis.call('zadd', KEYS[5], tonumber(ARGV[3]) or 0, ARGV[1]) return redis.call('zcard', KEYS[5])",
      "redis.call('sadd', KEYS[6], ARGV[1]) if redis.call('scard', KEYS[6]) > 3 then redis.call('spop', KEYS[6]) end",
      "return redis.call('get', KEYS[1])",
      "redis.call('incrbyfloat', KEYS[7], ARGV[3]) return 1",
      "redis.call('set', KEYS[8], ARGV[1], 'EX', 1000) return 1",
      "redis.call('del', KEYS[1]) error('after a write')",
      "local v = redis.call('lpop', KEYS[3]) if v then redis.call('sadd', KEYS[6], v) end return v",
      "redis.call('select', 2) redis.call('set', KEYS[1], ARGV[2]) return 1",
      "redis.call('expire', KEYS[2], 5000) return redis.call('ttl', KEYS[2])",
      "local t = redis.call('hgetall', KEYS[4]) return #t",
      "redis.call('getdel', KEYS[8]) return 1",
    };
    String[] keys = {"s", "n", "l", "h", "z", "st", "f", "e"};
    for (int i = 0; i < n; i++) {
      String body = scripts[rnd.nextInt(scripts.length)];
      String[] cmd = new String[3 + keys.length + 3];
      cmd[0] = rnd.nextInt(4) == 0 ? "EVALSHA" : "EVAL";
      cmd[1] = cmd[0].equals("EVAL") ? body : LuaRuntime.sha1hex(body.getBytes(StandardCharsets.UTF_8));
      cmd[2] = Integer.toString(keys.length);
      System.arraycopy(keys, 0, cmd, 3, keys.length);
      cmd[3 + keys.length] = "v" + rnd.nextInt(10);
      cmd[4 + keys.length] = "w" + rnd.nextInt(10);
      cmd[5 + keys.length] = Double.toString(rnd.nextInt(100) / 4.0);
      String reply = m.call(cmd);
      if (reply.startsWith("-NOSCRIPT")) {
        cmd[0] = "EVAL";
        cmd[1] = body;
        m.call(cmd);
      }
    }
  }

  private static String field(String info, String name) {
    for (String line : info.split("\r\n")) {
      if (line.startsWith(name + ":")) return line.substring(name.length() + 1);
    }
    return null;
  }

}
