package dev.vireo.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Keyspace notifications against a real Redis 7.0.15: the same seeded random workload over every command family
 * (strings, bitmaps, HyperLogLog, generic key commands, lists, hashes, sets, sorted sets, streams and consumer
 * groups, inside MULTI/EXEC and Lua scripts too) runs on both servers under several {@code notify-keyspace-events}
 * settings, and after each command the messages a {@code PSUBSCRIBE __key*} client received must be byte-equal,
 * in order. Expiry is checked apart: lazy expiry (active expiry off) in order, active expiry as the set of keys.
 * Blocked clients served by a push, replicas applying their master's stream, and CONFIG SET/GET of the flags too.
 */
class KeyspaceEventsDifferentialIT {
  private static final String[] SETTINGS = {"KEA", "AKEnm", "Kl", "Ex", "Eg$", "KEtn", "Ezshm"};
  private static final String PONG = "*2\r\n$4\r\npong\r\n$0\r\n\r\n";

  /** One server seen through a command connection and a subscriber on every keyspace channel. */
  private static final class Side implements AutoCloseable {
    final String name;
    final RespClient cmd;
    final RespClient sub;

    Side(String name, Supplier<RespClient> clients) {
      this.name = name;
      this.cmd = clients.get();
      this.sub = clients.get();
      sub.call("PSUBSCRIBE", "__key*");
    }

    /** Every message published since the last call: a PING through the subscriber marks the end. */
    List<String> drain() {
      sub.sendRaw(RespClient.encodeCommand("PING"));
      List<String> out = new ArrayList<>();
      while (true) {
        String r = sub.readReply();
        if (r.equals(PONG)) return out;
        out.add(r);
      }
    }

    @Override
    public void close() {
      cmd.close();
      sub.close();
    }
  }

  @Test
  void randomWorkloadPublishesWhatRedisPublishes() {
    long seed = Long.getLong("vireo.diff.seed", 20261202L);
    int steps = Integer.getInteger("vireo.diff.steps", 700);
    try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes");
        TestNode node = TestNode.start();
        Side real = new Side("redis", redis::client);
        Side ours = new Side("vireo", node::client)) {
      byte[] payload = dumpPayload(real.cmd);
      // keys set to expire in the past (SET ... PXAT 1) expire when next touched, at the same step on both servers
      for (Side s : List.of(real, ours)) assertEquals("+OK\r\n", s.cmd.call("DEBUG", "SET-ACTIVE-EXPIRE", "0"));
      int[] published = new int[SETTINGS.length];
      for (int si = 0; si < SETTINGS.length; si++) {
        String setting = SETTINGS[si];
        Random rnd = new Random(seed ^ setting.hashCode());
        for (Side s : List.of(real, ours)) {
          s.cmd.call("FLUSHALL");
          assertEquals("+OK\r\n", s.cmd.call("CONFIG", "SET", "notify-keyspace-events", setting));
          s.drain();
        }
        Workload w = new Workload(rnd, payload);
        for (int i = 0; i < steps; i++) {
          List<byte[][]> batch = w.next();
          boolean random = batch.stream().anyMatch(w::ignoreReply); // EXEC's reply holds SPOP's
          for (byte[][] cmd : batch) {
            String expected = call(real.cmd, cmd);
            String actual = call(ours.cmd, cmd);
            String what = "setting " + setting + " seed " + seed + " step " + i + " command " + show(cmd);
            if (!random && !expected.equals(actual)) {
              fail(what + "\nredis: " + show(expected) + "\nvireo: " + show(actual));
            }
          }
          List<String> want = real.drain();
          List<String> got = ours.drain();
          published[si] += want.size();
          if (!want.equals(got)) {
            StringBuilder cmds = new StringBuilder();
            for (byte[][] cmd : batch) cmds.append(show(cmd)).append("; ");
            fail("setting " + setting + " seed " + seed + " step " + i + " commands " + cmds + "\nredis: "
                + show(want.toString()) + "\nvireo: " + show(got.toString()));
          }
        }
        assertTrue(published[si] > 0, "Redis published only " + published[si] + " messages for " + setting);
      }
    }
  }

  /** Lazy expiry with the active cycle off: {@code expired} then {@code keymiss} or the write's events, in order. */
  @Test
  void lazyExpiryMatchesRedis() {
    try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes");
        TestNode node = TestNode.start();
        Side real = new Side("redis", redis::client);
        Side ours = new Side("vireo", node::client)) {
      String[][] setup = {
        {"DEBUG", "SET-ACTIVE-EXPIRE", "0"},
        {"CONFIG", "SET", "notify-keyspace-events", "AKEnm"},
        {"SET", "a", "1", "PX", "20"},
        {"RPUSH", "b", "x", "y"},
        {"PEXPIRE", "b", "20"},
        {"HSET", "c", "f", "v"},
        {"PEXPIRE", "c", "20"},
        {"SET", "d", "1", "PX", "20"},
        {"ZADD", "e", "1", "m"},
        {"PEXPIRE", "e", "20"},
        {"SET", "f", "1", "PX", "20"},
      };
      for (Side s : List.of(real, ours)) {
        for (String[] c : setup) s.cmd.call(c);
      }
      Poll.sleep(100);
      String[][] after = {
        {"GET", "a"}, {"LPUSH", "b", "z"}, {"HGET", "c", "f"}, {"EXISTS", "d"}, {"ZADD", "e", "2", "n"},
        {"INCR", "f"}, {"DBSIZE"},
      };
      assertEquals(30, compareInOrder(real, ours, after), "messages Redis 7.0.15 published");
    }
  }

  /** Keys loaded from an RDB (DEBUG RELOAD) are not announced as new; the writes around the reload are. */
  @Test
  void reloadPublishesNoNewEvents() {
    try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes");
        TestNode node = TestNode.start();
        Side real = new Side("redis", redis::client);
        Side ours = new Side("vireo", node::client)) {
      String[][] cmds = {
        {"CONFIG", "SET", "notify-keyspace-events", "KEAn"},
        {"SET", "a", "1"}, {"RPUSH", "b", "x"}, {"DEBUG", "RELOAD"}, {"SET", "c", "1"}, {"DEL", "a"},
      };
      assertEquals(14, compareInOrder(real, ours, cmds), "messages Redis 7.0.15 published");
    }
  }

  /** The active expiry cycle: which keys expire is compared, not the order (it samples at random). */
  @Test
  void activeExpiryMatchesRedis() {
    try (RedisServerProcess redis = RedisServerProcess.start();
        TestNode node = TestNode.start();
        Side real = new Side("redis", redis::client);
        Side ours = new Side("vireo", node::client)) {
      List<List<String>> seen = new ArrayList<>();
      for (Side s : List.of(real, ours)) {
        s.cmd.call("CONFIG", "SET", "notify-keyspace-events", "Ex");
        for (int i = 0; i < 30; i++) {
          s.cmd.call("SET", "k" + i, "v", "PX", Integer.toString(20 + i * 5));
          s.cmd.call("RPUSH", "l" + i, "v");
          s.cmd.call("PEXPIRE", "l" + i, Integer.toString(20 + i * 5));
        }
        s.cmd.call("SET", "keep", "v", "EX", "1000");
        Poll.until(Poll.WAIT, s.name + " expiring every key", () -> s.cmd.call("DBSIZE").equals(":1\r\n"));
        List<String> events = s.drain();
        events.sort(null);
        seen.add(events);
      }
      assertEquals(60, seen.get(0).size(), "Redis's expired events");
      assertEquals(seen.get(0), seen.get(1));
    }
  }

  /** Clients blocked on lists, sorted sets and streams, served by another client's writes. */
  @Test
  void servedBlockedClientsMatchRedis() {
    try (RedisServerProcess redis = RedisServerProcess.start(); TestNode node = TestNode.start()) {
      List<String> want = blockedScenario(redis::client);
      List<String> got = blockedScenario(node::client);
      assertTrue(want.stream().filter(m -> m.contains("pmessage")).count() >= 12, "Redis's messages: " + want);
      if (!want.equals(got)) fail("redis: " + show(want.toString()) + "\nvireo: " + show(got.toString()));
    }
  }

  private static List<String> blockedScenario(Supplier<RespClient> clients) {
    String[][] waits = {
      {"BLPOP", "bl1", "0"},
      {"BLMOVE", "bl2", "bl3", "RIGHT", "LEFT", "0"},
      {"BZPOPMIN", "bz1", "0"},
      {"BLMPOP", "0", "1", "bl4", "LEFT", "COUNT", "5"},
      {"XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS", "bx1", ">"},
      {"BZMPOP", "0", "1", "bz2", "MAX", "COUNT", "1"},
    };
    List<String> out = new ArrayList<>();
    List<RespClient> waiting = new ArrayList<>();
    try (Side s = new Side("server", clients)) {
      s.cmd.call("CONFIG", "SET", "notify-keyspace-events", "AKEn");
      s.cmd.call("XGROUP", "CREATE", "bx1", "g", "$", "MKSTREAM");
      s.drain();
      for (String[] w : waits) {
        RespClient c = clients.get();
        waiting.add(c);
        c.sendRaw(RespClient.encodeCommand(w));
        int n = waiting.size();
        Poll.until(Poll.WAIT, "blocked clients " + n,
            () -> InfoFields.get(s.cmd.call("INFO", "clients"), "blocked_clients").equals(Integer.toString(n)));
      }
      String[][] writes = {
        {"RPUSH", "bl1", "a"},
        {"RPUSH", "bl2", "b", "c"},
        {"ZADD", "bz1", "1", "m"},
        {"RPUSH", "bl4", "x", "y"},
        {"XADD", "bx1", "5-1", "f", "v"},
        {"ZADD", "bz2", "1", "p", "2", "q"},
      };
      for (int i = 0; i < writes.length; i++) {
        out.add(s.cmd.call(writes[i]));
        out.add(waiting.get(i).readReply());
        out.addAll(s.drain());
      }
    } finally {
      for (RespClient c : waiting) c.close();
    }
    return out;
  }

  /** CONFIG SET then CONFIG GET of the flags: Redis's canonical order, A for every type class. */
  @Test
  void configRoundTripMatchesRedis() {
    String[] values = {"KEA", "AKEnm", "An", "nA", "Kl", "Ex", "Eg$", "g", "KEnm", "mnEK", "KEdt", "g$lshzxetd",
        "g$lshzxetdn", "", "x", "AAK", "Q", "KEA ", "e"};
    try (RedisServerProcess redis = RedisServerProcess.start(); TestNode node = TestNode.start();
        RespClient real = redis.client(); RespClient ours = node.client()) {
      for (String v : values) {
        assertEquals(real.call("CONFIG", "SET", "notify-keyspace-events", v),
            ours.call("CONFIG", "SET", "notify-keyspace-events", v), "CONFIG SET " + v);
        assertEquals(real.call("CONFIG", "GET", "notify-keyspace-events"),
            ours.call("CONFIG", "GET", "notify-keyspace-events"), "CONFIG GET after " + v);
      }
      // "An" shows as "A" but still publishes "new"
      try (Side s = new Side("vireo", node::client)) {
        s.cmd.call("CONFIG", "SET", "notify-keyspace-events", "AnE");
        s.cmd.call("SET", "fresh", "1");
        List<String> got = s.drain();
        try (Side r = new Side("redis", redis::client)) {
          r.cmd.call("CONFIG", "SET", "notify-keyspace-events", "AnE");
          r.cmd.call("SET", "fresh", "1");
          assertEquals(r.drain(), got);
        }
      }
    }
  }

  /**
   * A replica publishes the events of the stream it applies: a Vireo replica of a Vireo master and of a Redis
   * master, against a Redis replica of a Redis master given the same workload.
   */
  @Test
  void replicasPublishWhatARedisReplicaPublishes() {
    long seed = Long.getLong("vireo.diff.seed", 20261202L);
    int steps = Integer.getInteger("vireo.diff.replsteps", 300);
    try (RedisServerProcess redisMaster = RedisServerProcess.start("--enable-debug-command", "yes");
        RedisServerProcess redisReplica = RedisServerProcess.start();
        TestNode ourMaster = TestNode.start();
        TestNode ourReplica = TestNode.start();
        TestNode replicaOfRedis = TestNode.start();
        RespClient rm = redisMaster.client();
        RespClient om = ourMaster.client()) {
      byte[] payload = dumpPayload(rm);
      // the masters expire past-due keys when touched, so both send their DELs at the same point of the stream
      rm.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
      om.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
      String rp = Integer.toString(redisMaster.port());
      redisReplica.client().call("REPLICAOF", "127.0.0.1", rp);
      replicaOfRedis.client().call("REPLICAOF", "127.0.0.1", rp);
      ourReplica.client().call("REPLICAOF", "127.0.0.1", Integer.toString(ourMaster.port()));
      try (Side r = new Side("redis replica", redisReplica::client);
          Side o = new Side("vireo replica", ourReplica::client);
          Side x = new Side("vireo replica of redis", replicaOfRedis::client)) {
        for (Side s : List.of(r, o, x)) {
          awaitLinkUp(s.cmd);
          s.cmd.call("CONFIG", "SET", "notify-keyspace-events", "AKEn");
        }
        Workload w = new Workload(new Random(seed), payload);
        for (int i = 0; i < steps; i++) {
          for (byte[][] cmd : w.next()) {
            call(rm, cmd);
            call(om, cmd);
          }
        }
        awaitCaughtUp(rm, r.cmd);
        awaitCaughtUp(rm, x.cmd);
        awaitCaughtUp(om, o.cmd);
        List<String> want = r.drain();
        if (want.size() < steps) fail("the Redis replica published only " + want.size() + " messages");
        assertSame("vireo replica of vireo master", want, o.drain());
        assertSame("vireo replica of redis master", want, x.drain());
      }
    }
  }

  private static void assertSame(String what, List<String> want, List<String> got) {
    for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
      if (!want.get(i).equals(got.get(i))) {
        fail(what + ": message " + i + " differs\nredis: "
            + show(want.subList(Math.max(0, i - 3), Math.min(want.size(), i + 4)).toString()) + "\nvireo: "
            + show(got.subList(Math.max(0, i - 3), Math.min(got.size(), i + 4)).toString()));
      }
    }
    assertEquals(want.size(), got.size(), what + ": message count");
  }

  private static void awaitLinkUp(RespClient replica) {
    Poll.equal(Poll.WAIT, "master_link_status", "up",
        () -> InfoFields.get(replica.call("INFO", "replication"), "master_link_status"));
  }

  private static void awaitCaughtUp(RespClient master, RespClient replica) {
    String offset = InfoFields.get(master.call("INFO", "replication"), "master_repl_offset");
    Poll.equal(Poll.WAIT, "the replica's offset", offset,
        () -> InfoFields.get(replica.call("INFO", "replication"), "master_repl_offset"));
  }

  /** Runs each command on both sides, comparing replies and messages; returns the number of messages. */
  private static int compareInOrder(Side real, Side ours, String[][] cmds) {
    real.drain();
    ours.drain();
    int n = 0;
    for (String[] c : cmds) {
      assertEquals(real.cmd.call(c), ours.cmd.call(c), String.join(" ", c));
      List<String> want = real.drain();
      List<String> got = ours.drain();
      if (!want.equals(got)) {
        fail(String.join(" ", c) + "\nredis: " + show(want.toString()) + "\nvireo: " + show(got.toString()));
      }
      n += want.size();
    }
    return n;
  }

  /** A DUMP payload made by Redis (a small list), for RESTORE in the workload. */
  private static byte[] dumpPayload(RespClient redis) {
    redis.call("RPUSH", "dumped", "a", "b", "c");
    byte[] reply = redis.callBytes("DUMP".getBytes(StandardCharsets.US_ASCII),
        "dumped".getBytes(StandardCharsets.US_ASCII));
    redis.call("DEL", "dumped");
    int crlf = 0;
    while (reply[crlf] != '\r') crlf++;
    int len = Integer.parseInt(new String(reply, 1, crlf - 1, StandardCharsets.US_ASCII));
    return Arrays.copyOfRange(reply, crlf + 2, crlf + 2 + len);
  }

  private static String call(RespClient c, byte[][] cmd) {
    return new String(c.callBytes(cmd), StandardCharsets.ISO_8859_1);
  }

  private static String show(byte[][] cmd) {
    StringBuilder b = new StringBuilder();
    for (byte[] a : cmd) {
      if (b.length() > 0) b.append(' ');
      b.append(a.length > 40 ? "<" + a.length + " bytes>" : new String(a, StandardCharsets.ISO_8859_1));
    }
    return b.toString();
  }

  private static String show(String reply) {
    return reply.replace("\r", "\\r").replace("\n", "\\n");
  }

  /** The random command stream: a few keys per type, so that commands meet, empty and recreate each other's keys. */
  private static final class Workload {
    private static final String[] STRINGS = {"s1", "s2", "s3"};
    private static final String[] LISTS = {"l1", "l2"};
    private static final String[] HASHES = {"h1", "h2"};
    private static final String[] SETS = {"t1", "t2", "t3"};
    private static final String[] ZSETS = {"z1", "z2", "z3"};
    private static final String[] STREAMS = {"x1", "x2"};
    private static final String[] ANY = {"s1", "l1", "h1", "t1", "z1", "x1", "none"};
    private static final String[] VALUES = {"a", "b", "c", "7", "-3", "1.5", ""};

    private final Random r;
    private final byte[] payload;
    private long streamMs = 1;

    Workload(Random r, byte[] payload) {
      this.r = r;
      this.payload = payload;
    }

    /**
     * Replies listing a hash-table set follow Redis's randomly seeded hash order, random picks differ, TTLs depend
     * on when each server ran the command, DUMP and XINFO carry encoding details: those replies are not compared
     * (their events are; SPOP's count pops every member, so its effect is the same on both).
     */
    boolean ignoreReply(byte[][] cmd) {
      int at = new String(cmd[0], StandardCharsets.US_ASCII).equalsIgnoreCase("EVAL") ? 3 : 0;
      String n = new String(cmd[at], StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
      return n.equals("SPOP") || n.equals("SMEMBERS") || n.equals("SUNION") || n.equals("TTL") || n.equals("PTTL")
          || n.equals("EXPIRETIME") || n.equals("DUMP") || n.endsWith("RANDFIELD") || n.endsWith("RANDMEMBER")
          || n.equals("XINFO") || n.equals("SINTER");
    }

    List<byte[][]> next() {
      int wrap = r.nextInt(20);
      if (wrap == 0) {
        List<byte[][]> out = new ArrayList<>();
        out.add(b("MULTI"));
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) out.add(command());
        out.add(b("EXEC"));
        return out;
      }
      if (wrap == 1) {
        byte[][] c = command();
        byte[][] e = new byte[c.length + 3][];
        e[0] = s("EVAL");
        e[1] = s("return redis.pcall(unpack(ARGV))");
        e[2] = s("0");
        System.arraycopy(c, 0, e, 3, c.length);
        return List.<byte[][]>of(e);
      }
      return List.<byte[][]>of(command());
    }

    private byte[][] command() {
      switch (r.nextInt(8)) {
        case 0:
          return string();
        case 1:
          return generic();
        case 2:
          return list();
        case 3:
          return hash();
        case 4:
          return set();
        case 5:
          return zset();
        case 6:
          return stream();
        default:
          return bitsAndHll();
      }
    }

    private String pick(String[] keys) {
      return r.nextInt(10) == 0 ? ANY[r.nextInt(ANY.length)] : keys[r.nextInt(keys.length)];
    }

    private String v() {
      return VALUES[r.nextInt(VALUES.length)];
    }

    private String n(int bound) {
      return Integer.toString(r.nextInt(bound));
    }

    private byte[][] string() {
      String k = pick(STRINGS);
      switch (r.nextInt(26)) {
        case 24: return b("SET", pick(STRINGS), v(), "PXAT", "1");
        case 25: return b("MSET", k, v(), "s9", v()); // s9 is only ever set
        case 22: return b("SET", k, v(), "PXAT", "1");
        case 23: return b("PSETEX", k, "1000000", v());
        case 0: return b("SET", k, v());
        case 1: return b("SET", k, v(), "EX", "1000");
        case 2: return b("SET", k, v(), "NX");
        case 3: return b("SET", k, v(), "XX", "GET");
        case 4: return b("SET", k, v(), "KEEPTTL");
        case 5: return b("SETNX", k, v());
        case 6: return b("SETEX", k, "1000", v());
        case 7: return b("MSET", k, v(), pick(STRINGS), v());
        case 8: return b("MSETNX", k, v(), pick(STRINGS), v());
        case 9: return b("GETSET", k, v());
        case 10: return b("GETDEL", k);
        case 11: return b("GETEX", k, "EX", "1000");
        case 12: return b("GETEX", k, "PERSIST");
        case 13: return b("GETEX", k, "PXAT", "1");
        case 14: return b("APPEND", k, v());
        case 15: return b("SETRANGE", k, n(4), r.nextBoolean() ? "" : v());
        case 16: return b("INCR", k);
        case 17: return b("DECRBY", k, n(5));
        case 18: return b("INCRBYFLOAT", k, "0.5");
        case 19: return b("GET", k);
        case 20: return b("MGET", k, pick(STRINGS));
        default: return b("STRLEN", k);
      }
    }

    private byte[][] bitsAndHll() {
      String k = pick(STRINGS);
      switch (r.nextInt(9)) {
        case 0: return b("SETBIT", k, n(20), n(2));
        case 1: return b("GETBIT", k, n(20));
        case 2: return b("BITFIELD", k, "SET", "u8", n(16), n(256));
        case 3: return r.nextBoolean() ? b("BITFIELD", k, "GET", "u8", "0") : b("BITCOUNT", k);
        case 4: return b("BITOP", "OR", k, pick(STRINGS), pick(STRINGS));
        case 5: return b("BITOP", "AND", k, "none");
        case 6: return b("PFADD", "hll" + n(2), v(), v());
        case 7: return b("PFMERGE", "hll" + n(3), "hll" + n(2));
        default: return b("PFCOUNT", "hll" + n(2));
      }
    }

    private byte[][] generic() {
      String k = ANY[r.nextInt(ANY.length)];
      String k2 = ANY[r.nextInt(ANY.length)];
      switch (r.nextInt(40)) {
        case 32: return b("DUMP", k);
        case 33: return b("HRANDFIELD", k, "2");
        case 34: return b("SRANDMEMBER", k, "2");
        case 35: return b("ZRANDMEMBER", k, "2");
        case 36: return b("XINFO", "STREAM", k);
        case 37: return b("SUBSTR", k, "0", "1"); // not RANDOMKEY: which expired key it meets is random
        case 38: return b("SINTER", k, k2);
        case 39: return b("ZSCORE", k, "m1");
        case 20: return b("TOUCH", k, k2);
        case 21: return b("OBJECT", "ENCODING", k);
        case 22: return b("PTTL", k);
        case 23: return b("EXPIRETIME", k);
        case 24: return r.nextBoolean() ? b("SORT_RO", "l1", "ALPHA", "GET", "#", "GET", "h*->f1")
            : b("SORT", "l2", "BY", "nosort", "GET", "s*", "STORE", k2);
        case 25: return b("GETRANGE", k, "0", "2");
        case 26: return b("LCS", k, k2);
        case 27: return b("SMEMBERS", k);
        case 28: return b("SUNION", k, k2);
        case 29: return b("ZRANGEBYSCORE", k, "-inf", "+inf");
        case 30: return b("XPENDING", k, "g1");
        case 31: return b("XREVRANGE", k, "+", "-");
        case 0: return b("DEL", k, k2);
        case 1: return b("UNLINK", k);
        case 2: return b("EXISTS", k, k2);
        case 3: return b("TYPE", k);
        case 4: return b("EXPIRE", k, "1000");
        case 5: return b("EXPIRE", k, "2000", r.nextBoolean() ? "GT" : "NX");
        case 6: return b("PEXPIREAT", k, "1");
        case 7: return b("EXPIRE", k, "-1");
        case 8: return b("PERSIST", k);
        case 9: return b("TTL", k);
        case 10: return b("RENAME", k, k2);
        case 11: return b("RENAMENX", k, k2);
        case 12: return b("COPY", k, k2, "REPLACE");
        case 13: return b("COPY", k, k2, "DB", "1");
        case 14: return b("MOVE", k, "1");
        case 15: return b("SORT", "l1", "ALPHA", "STORE", k2);
        case 16: return b("SORT", "t1", "STORE", k2);
        case 17: return b(s("RESTORE"), s(k), s("0"), payload, s("REPLACE"));
        case 18: return b(s("RESTORE"), s(k), s("1"), payload, s("REPLACE"), s("ABSTTL"));
        default: return b(s("RESTORE"), s(k), s("100000"), payload);
      }
    }

    private byte[][] list() {
      String k = pick(LISTS);
      String k2 = pick(LISTS);
      switch (r.nextInt(22)) {
        case 0: return b("LPUSH", k, v(), v());
        case 1: return b("RPUSH", k, v());
        case 2: return b("LPUSHX", k, v());
        case 3: return b("RPUSHX", k, v());
        case 4: return b("LPOP", k);
        case 5: return b("RPOP", k, n(3));
        case 6: return b("LINSERT", k, "BEFORE", v(), v());
        case 7: return b("LSET", k, n(3), v());
        case 8: return b("LREM", k, n(3), v());
        case 9: return b("LTRIM", k, n(3), n(3));
        case 10: return b("LMOVE", k, k2, "LEFT", "RIGHT");
        case 11: return b("RPOPLPUSH", k, k2);
        case 12: return b("LMPOP", "2", k, k2, "RIGHT", "COUNT", n(3));
        case 13: return b("BLPOP", k, k2, "0.01");
        case 14: return b("BRPOPLPUSH", k, k2, "0.01");
        case 15: return b("LRANGE", k, "0", "-1");
        case 16: return b("LINDEX", k, "0");
        case 17: return b("LLEN", k);
        case 18: return b("LPOS", k, v());
        case 19: return b("BLMOVE", k, k2, "RIGHT", "LEFT", "0.01");
        case 20: return b("LPUSH", k, v(), v(), v(), v());
        default: return b("RPUSH", k, v(), v());
      }
    }

    private byte[][] hash() {
      String k = pick(HASHES);
      String f = "f" + n(4);
      switch (r.nextInt(12)) {
        case 0: return b("HSET", k, f, v(), "f" + n(4), v());
        case 1: return b("HMSET", k, f, v());
        case 2: return b("HSETNX", k, f, v());
        case 3: return b("HINCRBY", k, f, n(5));
        case 4: return b("HINCRBYFLOAT", k, f, "1.5");
        case 5: return b("HDEL", k, f, "f" + n(4));
        case 6: return b("HGET", k, f);
        case 7: return b("HMGET", k, f, "f0");
        case 8: return r.nextBoolean() ? b("HLEN", k) : b("HSTRLEN", k, f);
        case 9: return b("HEXISTS", k, f);
        case 10: return b("HGETALL", k);
        default: return b("HSET", k, f, v());
      }
    }

    private byte[][] set() {
      String k = pick(SETS);
      String k2 = pick(SETS);
      switch (r.nextInt(14)) {
        case 0: return b("SADD", k, v(), v());
        case 1: return b("SREM", k, v(), v());
        case 2: return b("SPOP", k, "100");
        case 3: return b("SMOVE", k, k2, v());
        case 4: return b("SINTERSTORE", k, k2, pick(SETS));
        case 5: return b("SUNIONSTORE", k, k2, pick(SETS));
        case 6: return b("SDIFFSTORE", k, k2, pick(SETS));
        case 7: return b("SISMEMBER", k, v());
        case 8: return b("SCARD", k);
        case 9: return b("SMISMEMBER", k, v(), v());
        case 10: return b("SINTERCARD", "2", k, k2);
        case 11: return b("SPOP", k, "0");
        default: return b("SADD", k, v(), v(), v());
      }
    }

    private byte[][] zset() {
      String k = pick(ZSETS);
      String k2 = pick(ZSETS);
      String m = "m" + n(5);
      switch (r.nextInt(24)) {
        case 0: return b("ZADD", k, n(10), m, n(10), "m" + n(5));
        case 1: return b("ZADD", k, "NX", n(10), m);
        case 2: return b("ZADD", k, "XX", "CH", n(10), m);
        case 3: return b("ZADD", k, "GT", n(10), m);
        case 4: return b("ZADD", k, "INCR", n(3), m);
        case 5: return b("ZINCRBY", k, n(3), m);
        case 6: return b("ZREM", k, m, "m" + n(5));
        case 7: return b("ZREMRANGEBYSCORE", k, n(5), n(10));
        case 8: return b("ZREMRANGEBYRANK", k, "0", n(2));
        case 9: return b("ZREMRANGEBYLEX", k, "[m" + n(5), "+");
        case 10: return b("ZPOPMIN", k);
        case 11: return b("ZPOPMAX", k, n(3));
        case 12: return b("ZMPOP", "2", k, k2, "MIN", "COUNT", n(3));
        case 13: return b("BZPOPMAX", k, k2, "0.01");
        case 14: return b("ZUNIONSTORE", k, "2", k2, pick(ZSETS));
        case 15: return b("ZINTERSTORE", k, "2", k2, pick(ZSETS));
        case 16: return b("ZDIFFSTORE", k, "2", k2, pick(ZSETS));
        case 17: return b("ZRANGESTORE", k, k2, "0", n(3));
        case 18: return b("ZRANGE", k, "0", "-1", "WITHSCORES");
        case 19: return b("ZSCORE", k, m);
        case 20: return r.nextBoolean() ? b("ZCARD", k) : b("ZMSCORE", k, m, "m0");
        case 21: return b("ZRANK", k, m);
        case 22: return b("BZMPOP", "0.01", "1", k, "MAX");
        default: return b("ZADD", k, n(10), m, n(10), "m" + n(5), n(10), "m" + n(5));
      }
    }

    private byte[][] stream() {
      String k = pick(STREAMS);
      String id = (streamMs++) + "-1";
      switch (r.nextInt(20)) {
        case 0: return b("XADD", k, id, "f", v());
        case 1: return b("XADD", k, "MAXLEN", "3", id, "f", v());
        case 2: return b("XADD", k, "NOMKSTREAM", id, "f", v());
        case 3: return b("XTRIM", k, "MAXLEN", n(3));
        case 4: return b("XDEL", k, (streamMs - 1 - r.nextInt(5)) + "-1");
        case 5: return b("XGROUP", "CREATE", k, "g" + n(2), "0", "MKSTREAM");
        case 6: return b("XGROUP", "CREATE", k, "g" + n(2), "$");
        case 7: return b("XGROUP", "CREATECONSUMER", k, "g" + n(2), "c" + n(3));
        case 8: return b("XGROUP", "DELCONSUMER", k, "g" + n(2), "c" + n(3));
        case 9: return b("XGROUP", "DESTROY", k, "g" + n(2));
        case 10: return b("XGROUP", "SETID", k, "g" + n(2), "0");
        case 11: return b("XSETID", k, (streamMs + 1) + "-1");
        case 12: return b("XREADGROUP", "GROUP", "g" + n(2), "c" + n(3), "COUNT", "2", "STREAMS", k, ">");
        case 13: return b("XCLAIM", k, "g" + n(2), "c" + n(3), "0", (streamMs - 1 - r.nextInt(6)) + "-1", "JUSTID");
        case 14: return b("XAUTOCLAIM", k, "g" + n(2), "c" + n(3), "0", "0", "COUNT", "2", "JUSTID");
        case 15: return b("XACK", k, "g" + n(2), (streamMs - 1 - r.nextInt(6)) + "-1");
        case 16: return r.nextBoolean() ? b("XLEN", k) : b("XREAD", "COUNT", "2", "STREAMS", k, "0");
        case 17: return b("XRANGE", k, "-", "+");
        case 18: return b("XADD", k, id, "f", v(), "g", v());
        default: return b("XADD", k, id, "f", v());
      }
    }

    private static byte[] s(String x) {
      return x.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[][] b(String... args) {
      byte[][] out = new byte[args.length][];
      for (int i = 0; i < args.length; i++) out[i] = s(args[i]);
      return out;
    }

    private static byte[][] b(byte[]... args) {
      return args;
    }
  }
}
