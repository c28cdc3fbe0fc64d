package dev.vireo.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.Replicas;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Streams and their consumer groups reach replicas intact, both ways: a Vireo master serving a real redis-server
 * 7.0 replica and a Vireo replica, and a real Redis master serving the same two. A scripted workload (IDs given,
 * {@code ms-*} and {@code *}, exact and approximate trims, XDEL of pending entries, XSETID, groups and consumers
 * created and removed, XREADGROUP with and without NOACK over several streams, XACK, XCLAIM and XAUTOCLAIM, a
 * blocked XREADGROUP served by another client's XADD, MULTI/EXEC and EVAL) and a seeded random one run on the
 * master; after {@code WAIT}, {@code DEBUG DIGEST} and, key by key, {@code DEBUG DIGEST-VALUE},
 * {@code XINFO STREAM key FULL}, {@code XINFO GROUPS}, {@code XINFO CONSUMERS}, {@code XPENDING} (summary and
 * extended) must be the same on the master and on each replica.
 *
 * <p>Times that legitimately differ are masked: a consumer's {@code seen-time} (set by the clock of whichever server
 * applies the command), the {@code idle} of XINFO CONSUMERS and the idle time of each extended XPENDING entry
 * (both measured at the moment of the call). Delivery times are not masked: they travel in XCLAIM's TIME.
 *
 * <p>A third test attaches a replica once the streams exist, so the streams travel in the full sync's RDB.
 */
class StreamReplicationIT {
  private static final String[] KEYS = {"s0", "s1", "s2", "s3", "blk", "tx", "ev"};
  private static final String[] GROUPS = {"g0", "g1", "g2"};
  private static final String[] CONSUMERS = {"c0", "c1", "c2", "c3"};
  private static final Pattern SEEN_TIME = Pattern.compile("(\\$9\r\nseen-time\r\n):[0-9]+");
  private static final Pattern IDLE = Pattern.compile("(\\$4\r\nidle\r\n):[0-9]+");
  private static final Pattern ENTRIES_READ =
      Pattern.compile("(\\$12\r\nentries-read\r\n)(:[0-9]+|\\$-1)(\r\n\\$3\r\nlag\r\n)(:[0-9]+|\\$-1)");
  /** An extended XPENDING entry: id, consumer, idle ms, deliveries; the idle ms is masked. */
  private static final Pattern PENDING_IDLE =
      Pattern.compile("(\\*4\r\n\\$[0-9]+\r\n[0-9]+-[0-9]+\r\n\\$[0-9]+\r\n[^\r]*\r\n):[0-9]+");

  @Test
  void aVireoMastersStreamsReachRedisAndVireoReplicas() {
    try (TestNode master = TestNode.start("--repl-diskless-sync-delay", "0", "--stream-node-max-entries", "3");
        RedisServerProcess redis = RedisServerProcess.start("--replicaof", "127.0.0.1",
            Integer.toString(master.port()), "--enable-debug-command", "yes", "--stream-node-max-entries", "3");
        TestNode replica = TestNode.start("--replicaof", "127.0.0.1 " + master.port(),
            "--stream-node-max-entries", "3");
        RespClient redisReplica = redis.client();
        RespClient vireoReplica = replica.client()) {
      awaitUp(redisReplica, "redis replica");
      awaitUp(vireoReplica, "vireo replica");
      RespClient control = master.client();
      workload(master.port());
      awaitReplicas(control, 2, redisReplica, vireoReplica);
      // a Vireo master propagates XREADGROUP as Redis 7.0.15 does (see below): its replicas, Redis's and Vireo's,
      // hold the same, and what the master holds but for entries-read and lag
      StringBuilder diff = new StringBuilder();
      compare("redis replica", state(redisReplica, false), "vireo replica", state(vireoReplica, false), diff);
      compare("vireo master", state(control, true), "redis replica", state(redisReplica, true), diff);
      compare("vireo master", state(control, true), "vireo replica", state(vireoReplica, true), diff);
      if (diff.length() > 0) fail("the replicas differ:" + diff);
      assertEquals(false, state(control, false).get("DEBUG DIGEST").startsWith("+0000000000"), "dataset empty");
    }
  }

  /**
   * The other way round. Redis 7.0.15 does not carry a group's entries-read in the XCLAIMs that stand for an
   * XREADGROUP (only a NOACK read sends it, in XGROUP SETID), so its own replica holds {@code entries-read nil} and
   * another {@code lag} where the master counted them: the Vireo replica must hold exactly what the Redis replica
   * holds, and what the master holds but for those two fields.
   */
  @Test
  void aRedisMastersStreamsReachRedisAndVireoReplicas() {
    try (RedisServerProcess master = RedisServerProcess.start("--repl-diskless-sync-delay", "0",
            "--enable-debug-command", "yes", "--stream-node-max-entries", "3");
        RedisServerProcess redis = RedisServerProcess.start("--replicaof", "127.0.0.1",
            Integer.toString(master.port()), "--enable-debug-command", "yes", "--stream-node-max-entries", "3");
        TestNode replica = TestNode.start("--replicaof", "127.0.0.1 " + master.port(),
            "--stream-node-max-entries", "3");
        RespClient control = master.client();
        RespClient redisReplica = redis.client();
        RespClient vireoReplica = replica.client()) {
      awaitUp(redisReplica, "redis replica");
      awaitUp(vireoReplica, "vireo replica");
      workload(master.port());
      awaitReplicas(control, 2, redisReplica, vireoReplica);
      StringBuilder diff = new StringBuilder();
      compare("redis replica", state(redisReplica, false), "vireo replica", state(vireoReplica, false), diff);
      compare("redis master", state(control, true), "vireo replica", state(vireoReplica, true), diff);
      if (diff.length() > 0) fail("the vireo replica differs:" + diff);
    }
  }

  /** Replicas attached after the streams exist: the streams come in the RDB of the full sync, both ways. */
  @Test
  void replicasAttachedLaterGetTheStreamsFromTheFullSync() {
    StringBuilder failures = new StringBuilder();
    try (TestNode vireoMaster = TestNode.start("--repl-diskless-sync-delay", "0", "--stream-node-max-entries", "3");
        RedisServerProcess redisMaster = RedisServerProcess.start("--repl-diskless-sync-delay", "0",
            "--enable-debug-command", "yes", "--stream-node-max-entries", "3");
        RespClient vireoControl = vireoMaster.client();
        RespClient redisControl = redisMaster.client()) {
      workload(vireoMaster.port());
      workload(redisMaster.port());
      try (RedisServerProcess redis = RedisServerProcess.start("--replicaof", "127.0.0.1",
              Integer.toString(vireoMaster.port()), "--enable-debug-command", "yes");
          TestNode vireo = TestNode.start("--replicaof", "127.0.0.1 " + redisMaster.port());
          RespClient redisReplica = redis.client();
          RespClient vireoReplica = vireo.client()) {
        try {
          awaitUp(redisReplica, "redis replica of the vireo master");
          assertSame(vireoControl, 1, Map.of("redis replica of the vireo master", redisReplica));
        } catch (AssertionError e) {
          failures.append("\n[vireo master -> redis replica] ").append(e.getMessage())
              .append("\n  redis replica log tail: ").append(tail(redis.log(), 1500));
        }
        try {
          awaitUp(vireoReplica, "vireo replica of the redis master");
          assertSame(redisControl, 1, Map.of("vireo replica of the redis master", vireoReplica));
        } catch (AssertionError e) {
          failures.append("\n[redis master -> vireo replica] ").append(e.getMessage());
        }
      }
    }
    if (failures.length() > 0) fail("full sync of streams:" + failures);
  }

  // ------------------------------------------------------------------------------------ the workload

  /** The scripted part, then the seeded random part, on the master at {@code port}. */
  private static void workload(int port) {
    try (RespClient c = new RespClient(port);
        RespClient blocked = new RespClient(port);
        RespClient blocked2 = new RespClient(port)) {
      for (int i = 1; i <= 12; i++) ok(c, "XADD", "s0", i + "-*", "f", "v" + i, "n", Integer.toString(i));
      ok(c, "XADD", "s0", "MAXLEN", "~", "8", "13-0", "f", "v13");
      ok(c, "XADD", "s0", "MINID", "~", "5", "LIMIT", "10", "14-0", "f", "v14");
      ok(c, "XGROUP", "CREATE", "s0", "g0", "0");
      ok(c, "XGROUP", "CREATE", "s0", "g1", "$");
      ok(c, "XGROUP", "CREATE", "s1", "g0", "$", "MKSTREAM", "ENTRIESREAD", "0");
      ok(c, "XGROUP", "CREATE", "s1", "g1", "0", "ENTRIESREAD", "0");
      ok(c, "XREADGROUP", "GROUP", "g0", "c0", "COUNT", "3", "STREAMS", "s0", ">");
      ok(c, "XREADGROUP", "GROUP", "g0", "c1", "COUNT", "2", "STREAMS", "s0", ">");
      for (int i = 1; i <= 5; i++) ok(c, "XADD", "s1", i + "-*", "a", Integer.toString(i));
      ok(c, "XADD", "s0", "15-0", "f", "v15");
      ok(c, "XREADGROUP", "GROUP", "g1", "c2", "NOACK", "STREAMS", "s0", "s1", ">", ">");
      ok(c, "XREADGROUP", "GROUP", "g0", "c2", "COUNT", "2", "STREAMS", "s0", "s1", ">", ">");
      ok(c, "XACK", "s0", "g0", "7-0", "99-0");
      ok(c, "XDEL", "s0", "9-0");
      ok(c, "XCLAIM", "s0", "g0", "c3", "0", "8-0", "9-0", "10-0");
      ok(c, "XCLAIM", "s0", "g0", "c3", "0", "11-0", "IDLE", "60000", "RETRYCOUNT", "5", "JUSTID");
      ok(c, "XCLAIM", "s0", "g0", "c0", "0", "15-0", "FORCE", "TIME", "1000000000000", "LASTID", "15-0");
      ok(c, "XDEL", "s1", "2-0");
      ok(c, "XAUTOCLAIM", "s1", "g0", "c1", "0", "0-0", "COUNT", "5");
      ok(c, "XTRIM", "s0", "MAXLEN", "~", "4");
      ok(c, "XADD", "s2", "5-5", "x", "y");
      ok(c, "XSETID", "s2", "100-0", "ENTRIESADDED", "10", "MAXDELETEDID", "50-0");
      ok(c, "XGROUP", "CREATE", "s2", "g0", "0", "ENTRIESREAD", "3");
      ok(c, "XGROUP", "SETID", "s2", "g0", "0", "ENTRIESREAD", "2");
      ok(c, "XGROUP", "CREATECONSUMER", "s2", "g0", "c0");
      ok(c, "XGROUP", "CREATECONSUMER", "s2", "g0", "c1");
      ok(c, "XGROUP", "DELCONSUMER", "s2", "g0", "c1");
      ok(c, "XGROUP", "CREATE", "s2", "g1", "$");
      ok(c, "XGROUP", "DESTROY", "s2", "g1");

      // a blocked reader served by another client's XADD, one with NOACK and a new consumer
      ok(c, "XGROUP", "CREATE", "blk", "g0", "$", "MKSTREAM");
      ok(c, "XGROUP", "CREATE", "blk", "g1", "$");
      int before = blockedClients(c);
      blocked.sendRaw(RespClient.encodeCommand("XREADGROUP", "GROUP", "g0", "c0", "BLOCK", "0", "STREAMS", "blk",
          ">"));
      blocked2.sendRaw(RespClient.encodeCommand("XREADGROUP", "GROUP", "g1", "c9", "NOACK", "BLOCK", "0", "STREAMS",
          "blk", ">"));
      Poll.until(Duration.ofSeconds(10), "two blocked readers", () -> blockedClients(c) == before + 2);
      ok(c, "XADD", "blk", "*", "f", "v");
      blocked.readReply();
      blocked2.readReply();

      ok(c, "MULTI");
      ok(c, "XADD", "tx", "1-*", "f", "v");
      ok(c, "XADD", "tx", "MAXLEN", "~", "1", "2-*", "f", "v");
      ok(c, "XGROUP", "CREATE", "tx", "g0", "0");
      ok(c, "XREADGROUP", "GROUP", "g0", "c0", "STREAMS", "tx", ">");
      ok(c, "XADD", "tx", "3-0", "f", "v");
      ok(c, "XREADGROUP", "GROUP", "g0", "c1", "NOACK", "STREAMS", "tx", ">");
      ok(c, "XACK", "tx", "g0", "1-0");
      ok(c, "EXEC");

      ok(c, "EVAL", "redis.call('XADD', KEYS[1], '1-*', 'f', 'v') redis.call('XADD', KEYS[1], '*', 'f', 'w') "
          + "redis.call('XGROUP', 'CREATE', KEYS[1], 'g0', '0') "
          + "redis.call('XREADGROUP', 'GROUP', 'g0', 'c0', 'COUNT', '1', 'STREAMS', KEYS[1], '>') "
          + "redis.call('XAUTOCLAIM', KEYS[1], 'g0', 'c1', '0', '0') "
          + "return redis.call('XTRIM', KEYS[1], 'MAXLEN', '~', '0')", "1", "ev");

      random(c, new Random(20261202L), 400);
    }
  }

  /** Seeded random stream and group commands over a few keys (errors are fine: they are not propagated). */
  private static void random(RespClient c, Random r, int steps) {
    int[] next = new int[4];
    for (int step = 0; step < steps; step++) {
      int k = r.nextInt(4);
      String key = KEYS[k];
      String g = pick(r, GROUPS);
      String cons = pick(r, CONSUMERS);
      String id = (1 + r.nextInt(Math.max(1, next[k] + 20))) + "-0";
      String[] cmd = switch (r.nextInt(16)) {
        case 0, 1, 2 -> new String[] {"XADD", key, (next[k] += 1 + r.nextInt(3)) + "-*", "f", "v" + step};
        case 3 -> new String[] {"XADD", key, "MAXLEN", "~", Integer.toString(r.nextInt(10)),
            (next[k] += 1) + "-*", "f", "t"};
        case 4 -> new String[] {"XADD", key, "MINID", r.nextBoolean() ? "~" : "=", id, (next[k] += 1) + "-*", "f",
            "m"};
        case 5 -> new String[] {"XDEL", key, id, (1 + r.nextInt(next[k] + 20)) + "-0"};
        case 6 -> new String[] {"XTRIM", key, "MAXLEN", r.nextBoolean() ? "~" : "=", Integer.toString(r.nextInt(12))};
        case 7 -> new String[] {"XGROUP", "CREATE", key, g, r.nextBoolean() ? "0" : "$", "MKSTREAM"};
        case 8, 9 -> r.nextBoolean()
            ? new String[] {"XREADGROUP", "GROUP", g, cons, "COUNT", Integer.toString(1 + r.nextInt(3)), "STREAMS",
                key, ">"}
            : new String[] {"XREADGROUP", "GROUP", g, cons, "NOACK", "COUNT", "2", "STREAMS", key, ">"};
        case 10 -> new String[] {"XACK", key, g, id, (1 + r.nextInt(next[k] + 20)) + "-0"};
        case 11 -> new String[] {"XCLAIM", key, g, cons, "0", id, r.nextBoolean() ? "JUSTID" : "FORCE"};
        case 12 -> new String[] {"XAUTOCLAIM", key, g, cons, "0", "0-0", "COUNT", Integer.toString(1 + r.nextInt(4))};
        case 13 -> new String[] {"XGROUP", "SETID", key, g, r.nextBoolean() ? "$" : id};
        case 14 -> new String[] {"XGROUP", r.nextBoolean() ? "CREATECONSUMER" : "DELCONSUMER", key, g, cons};
        default -> r.nextInt(4) == 0 ? new String[] {"XGROUP", "DESTROY", key, g}
            : new String[] {"XCLAIM", key, g, cons, "0", id, "RETRYCOUNT", "3", "LASTID", id};
      };
      c.call(cmd);
    }
  }

  // ------------------------------------------------------------------------------------ the comparison

  /** WAITs for {@code replicas} acks, then compares the master's streams with each replica's. */
  private static void assertSame(RespClient master, int replicas, Map<String, RespClient> others) {
    awaitReplicas(master, replicas, others.values().toArray(RespClient[]::new));
    Map<String, String> want = state(master, false);
    StringBuilder diff = new StringBuilder();
    for (Map.Entry<String, RespClient> e : new LinkedHashMap<>(others).entrySet()) {
      compare("master", want, e.getKey(), state(e.getValue(), false), diff);
    }
    if (diff.length() > 0) fail("replicas differ from the master:" + diff);
    assertEquals(false, want.get("DEBUG DIGEST").startsWith("+0000000000"), "the dataset is not empty");
  }

  /**
   * Waits until {@code clients} have applied everything written so far, and checks that the master counts
   * {@code replicas} of them. WAIT alone would not do: it waits for the offset of the calling client's own last
   * write, and the control client wrote nothing (the workload wrote on its own connections).
   */
  private static void awaitReplicas(RespClient master, int replicas, RespClient... clients) {
    Replicas.awaitApplied(master, clients);
    assertEquals(":" + replicas + "\r\n", master.call("WAIT", Integer.toString(replicas), "10000"), "WAIT");
  }

  /** Appends to {@code diff} each reply that differs: where it starts to differ, then both replies whole. */
  private static void compare(String refName, Map<String, String> ref, String name, Map<String, String> got,
      StringBuilder diff) {
    if (!ref.get("DBSIZE").equals(got.get("DBSIZE"))) {
      diff.append("\n  ").append(refName).append(" holds ").append(show(ref.get("DBSIZE"))).append(" keys, digest ")
          .append(show(ref.get("DEBUG DIGEST"))).append("; ").append(name).append(" holds ")
          .append(show(got.get("DBSIZE"))).append(" keys, digest ").append(show(got.get("DEBUG DIGEST")));
      return;
    }
    for (String what : ref.keySet()) {
      String a = ref.get(what);
      String b = got.get(what);
      if (a.equals(b)) continue;
      int i = 0;
      while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) i++;
      int from = Math.max(0, i - 60);
      diff.append("\n  ").append(what).append(": ").append(refName).append(" vs ").append(name)
          .append("\n    differs at: ").append(refName).append(" `").append(show(cut(a, from, i + 60)))
          .append("`\n                ").append(name).append(" `").append(show(cut(b, from, i + 60)))
          .append("`\n    ").append(refName).append(": ").append(show(a))
          .append("\n    ").append(name).append(": ").append(show(b));
    }
  }

  private static String cut(String s, int from, int to) {
    return s.substring(Math.min(from, s.length()), Math.min(to, s.length()));
  }

  /**
   * What is compared, by the command that read it; times that legitimately differ are masked, and with
   * {@code maskEntriesRead} each group's entries-read and lag too.
   */
  private static Map<String, String> state(RespClient c, boolean maskEntriesRead) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("DEBUG DIGEST", c.call("DEBUG", "DIGEST"));
    s.put("DBSIZE", c.call("DBSIZE"));
    for (String k : KEYS) {
      s.put("DEBUG DIGEST-VALUE " + k, c.call("DEBUG", "DIGEST-VALUE", k));
      s.put("XINFO STREAM " + k + " FULL", mask(c.call("XINFO", "STREAM", k, "FULL", "COUNT", "0"), maskEntriesRead));
      s.put("XINFO GROUPS " + k, mask(c.call("XINFO", "GROUPS", k), maskEntriesRead));
      for (String g : GROUPS) {
        s.put("XINFO CONSUMERS " + k + " " + g, mask(c.call("XINFO", "CONSUMERS", k, g), false));
        s.put("XPENDING " + k + " " + g, c.call("XPENDING", k, g));
        s.put("XPENDING " + k + " " + g + " - + 1000", mask(c.call("XPENDING", k, g, "-", "+", "1000"), false));
      }
    }
    return s;
  }

  private static String mask(String reply, boolean maskEntriesRead) {
    String r = SEEN_TIME.matcher(reply).replaceAll("$1:<seen-time>");
    if (maskEntriesRead) r = ENTRIES_READ.matcher(r).replaceAll("$1<entries-read>$3<lag>");
    r = IDLE.matcher(r).replaceAll("$1:<idle>");
    return PENDING_IDLE.matcher(r).replaceAll("$1:<idle>");
  }

  private static String show(String reply) {
    if (reply == null) return "(none)";
    return reply.replace("\r\n", " ").trim();
  }

  private static void ok(RespClient c, String... cmd) {
    String reply = c.call(cmd);
    if (reply.startsWith("-")) throw new AssertionError(String.join(" ", cmd) + " answered " + reply.trim());
  }

  private static int blockedClients(RespClient c) {
    String v = InfoFields.get(c.call("INFO", "clients"), "blocked_clients");
    return v == null ? -1 : Integer.parseInt(v);
  }

  private static void awaitUp(RespClient replica, String what) {
    Poll.until(Duration.ofSeconds(20), what + " linked to the master",
        () -> "up".equals(InfoFields.get(replica.call("INFO", "replication"), "master_link_status")));
  }

  private static String pick(Random r, String[] from) {
    return from[r.nextInt(from.length)];
  }

  private static String tail(String s, int n) {
    return s.length() <= n ? s : s.substring(s.length() - n);
  }
}
