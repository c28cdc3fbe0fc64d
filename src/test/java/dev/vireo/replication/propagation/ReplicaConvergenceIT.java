package dev.vireo.replication.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Replicas that only apply the stream end up with the master's dataset. A Vireo master serves a real redis-server
 * 7.0 replica and a Vireo replica; a seeded random stream of writes over every type (relative and absolute TTLs,
 * keys that expire, random and blocking pops, blocked clients served later by other clients, MULTI/EXEC, several
 * databases, RESTORE of DUMPed values) runs on the master; then every key whose TTL passed is looked up on the
 * master (which deletes it and tells the replicas), {@code WAIT} holds until both replicas have everything, and
 * {@code DEBUG DIGEST} must be the same on all three, and so must every key's {@code PEXPIRETIME}. The same
 * stream on a real Redis master checks the other direction: a Vireo replica applies what Redis sends.
 *
 * <p>The main stream is seeded; blocked clients run on their own threads (seeded too), so where their pops fall
 * between the main stream's commands varies from run to run. Run another sequence with
 * {@code -Dvireo.diff.seed=N}; {@code -Dvireo.diff.steps=N} sets its length.
 */
class ReplicaConvergenceIT {
  private static final int DBS = 3;
  private static final String[] STRINGS = {"s0", "s1", "s2", "s3", "n0", "n1", "f0"};
  private static final String[] LISTS = {"l0", "l1", "l2", "l3"};
  private static final String[] HASHES = {"h0", "h1", "h2"};
  private static final String[] SETS = {"S0", "S1", "S2", "S3"};
  private static final String[] ZSETS = {"z0", "z1", "z2", "z3"};
  private static final String[] HLLS = {"p0", "p1", "p2"};
  private static final String[] ALL = concat(STRINGS, LISTS, HASHES, SETS, ZSETS, HLLS, new String[] {"x", "y"});
  private static final String[] MEMBERS = {"a", "b", "c", "d", "e", "1", "2", "10", "-3", "zz"};

  @Test
  void replicasOfAVireoMasterConverge() throws Exception {
    try (TestNode master = TestNode.start("--repl-diskless-sync-delay", "0");
        RedisServerProcess redis = RedisServerProcess.start("--replicaof", "127.0.0.1",
            Integer.toString(master.port()), "--enable-debug-command", "yes");
        TestNode replica = TestNode.start("--replicaof", "127.0.0.1 " + master.port());
        RespClient redisReplica = redis.client();
        RespClient vireoReplica = replica.client()) {
      converge(master.port(), redisReplica, vireoReplica);
    }
  }

  /** The other way round: a Vireo replica applies a real Redis master's stream (beside a Redis replica). */
  @Test
  void aVireoReplicaOfARedisMasterConverges() throws Exception {
    // hz 100: Redis checks the short timeouts of blocked clients more often, so the run is shorter
    try (RedisServerProcess master = RedisServerProcess.start("--repl-diskless-sync-delay", "0", "--hz", "100",
            "--enable-debug-command", "yes");
        RedisServerProcess redis = RedisServerProcess.start("--replicaof", "127.0.0.1",
            Integer.toString(master.port()), "--enable-debug-command", "yes");
        TestNode replica = TestNode.start("--replicaof", "127.0.0.1 " + master.port());
        RespClient redisReplica = redis.client();
        RespClient vireoReplica = replica.client()) {
      converge(master.port(), redisReplica, vireoReplica);
    }
  }

  private static void converge(int masterPort, RespClient redisReplica, RespClient vireoReplica) throws Exception {
    long seed = Long.getLong("vireo.diff.seed", 20261125L);
    int steps = Integer.getInteger("vireo.diff.steps", 4000);
    List<RespClient> opened = new ArrayList<>();
    try {
      Links.awaitUp(redisReplica, "redis replica");
      Links.awaitUp(vireoReplica, "vireo replica");
      RespClient control = open(opened, masterPort);
      List<RespClient> writers = List.of(open(opened, masterPort), open(opened, masterPort), open(opened, masterPort));
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> blockerFailure = new AtomicReference<>();
      List<Thread> blockers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        RespClient b = open(opened, masterPort);
        Random r = new Random(seed * 31 + i);
        Thread t = new Thread(() -> {
          try {
            while (!stop.get()) {
              if (r.nextInt(3) == 0) b.call("SELECT", Integer.toString(r.nextInt(DBS)));
              b.call(blockingCommand(r));
            }
          } catch (Throwable e) {
            blockerFailure.compareAndSet(null, e);
          }
        }, "blocker-" + i);
        t.setDaemon(true);
        t.start();
        blockers.add(t);
      }

      Random rnd = new Random(seed);
      List<String> recent = new ArrayList<>();
      for (int step = 0; step < steps; step++) {
        RespClient w = writers.get(rnd.nextInt(writers.size()));
        if (rnd.nextInt(40) == 0) {
          w.call("SELECT", Integer.toString(rnd.nextInt(DBS)));
          continue;
        }
        if (rnd.nextInt(25) == 0) {
          List<String[]> tx = new ArrayList<>();
          int n = 1 + rnd.nextInt(4);
          w.call("MULTI");
          for (int i = 0; i < n; i++) {
            String[] cmd = command(rnd, w);
            if (cmd[0].equals("SELECT") || cmd[0].equals("RESTORE")) continue;
            tx.add(cmd);
            call(w, cmd);
          }
          w.call("EXEC");
          remember(recent, "MULTI " + tx.stream().map(ReplicaConvergenceIT::show).toList() + " EXEC");
          continue;
        }
        String[] cmd = command(rnd, w);
        remember(recent, show(cmd));
        call(w, cmd);
      }
      stop.set(true);
      for (Thread t : blockers) t.join(5_000);
      if (blockerFailure.get() != null) throw new AssertionError("a blocked client failed", blockerFailure.get());

      // Keys whose TTL passed go now, on the master, which sends their DELs; long TTLs cannot pass during the check.
      Thread.sleep(450);
      for (int db = 0; db < DBS; db++) {
        control.call("SELECT", Integer.toString(db));
        String[] exists = new String[ALL.length + 1];
        exists[0] = "EXISTS";
        System.arraycopy(ALL, 0, exists, 1, ALL.length);
        control.call(exists);
      }
      String acked = control.call("WAIT", "2", "10000");

      String want = control.call("DEBUG", "DIGEST");
      System.out.println("seed " + seed + ", " + steps + " steps; master keyspace: "
          + oneLine(control.call("INFO", "keyspace")) + "; expired_keys "
          + oneLine(control.call("INFO", "stats").replaceAll("(?s).*expired_keys:([0-9]+).*", "$1")));
      String fromRedis = redisReplica.call("DEBUG", "DIGEST");
      String fromVireo = vireoReplica.call("DEBUG", "DIGEST");
      String keys = keyReport(control, redisReplica, vireoReplica);
      if (!acked.equals(":2\r\n") || !want.equals(fromRedis) || !want.equals(fromVireo) || !keys.isEmpty()) {
        fail("seed " + seed + ": replicas diverged (rerun with -Dvireo.diff.seed=" + seed + ")\n  WAIT 2 answered "
            + acked.trim() + "\n  master digest "
            + want.trim() + "\n  redis replica " + fromRedis.trim() + "\n  vireo replica " + fromVireo.trim()
            + "\n  keys that differ:" + keys + "\n  last commands:\n    " + String.join("\n    ", recent));
      }
      assertEquals(false, want.startsWith("+0000000000"), "the dataset is not empty: " + want);
    } finally {
      opened.forEach(RespClient::close);
    }
  }

  private static RespClient open(List<RespClient> opened, int port) {
    RespClient c = new RespClient(port);
    opened.add(c);
    return c;
  }

  /** Keys whose value digest or expire time differs between the master and a replica. */
  private static String keyReport(RespClient master, RespClient redis, RespClient vireo) {
    StringBuilder sb = new StringBuilder();
    for (int db = 0; db < DBS; db++) {
      String sel = Integer.toString(db);
      master.call("SELECT", sel);
      redis.call("SELECT", sel);
      vireo.call("SELECT", sel);
      for (String k : ALL) {
        String m = master.call("DEBUG", "DIGEST-VALUE", k) + master.call("PEXPIRETIME", k);
        String r = redis.call("DEBUG", "DIGEST-VALUE", k) + redis.call("PEXPIRETIME", k);
        String v = vireo.call("DEBUG", "DIGEST-VALUE", k) + vireo.call("PEXPIRETIME", k);
        if (!m.equals(r) || !m.equals(v)) {
          sb.append("\n    db ").append(db).append(" key ").append(k).append(": master ").append(oneLine(m))
              .append(" redis ").append(oneLine(r)).append(" vireo ").append(oneLine(v));
        }
      }
    }
    return sb.toString();
  }

  // ------------------------------------------------------------------------------------ the generator

  private static String[] blockingCommand(Random r) {
    String t = timeout(r);
    return switch (r.nextInt(8)) {
      case 0 -> new String[] {"BLPOP", pick(r, LISTS), pick(r, LISTS), t};
      case 1 -> new String[] {"BRPOP", pick(r, LISTS), t};
      case 2 -> new String[] {"BLMOVE", pick(r, LISTS), pick(r, LISTS), side(r), side(r), t};
      case 3 -> new String[] {"BRPOPLPUSH", pick(r, LISTS), pick(r, LISTS), t};
      case 4 -> new String[] {"BLMPOP", t, "2", pick(r, LISTS), pick(r, LISTS), side(r), "COUNT",
          Integer.toString(1 + r.nextInt(3))};
      case 5 -> new String[] {"BZPOPMIN", pick(r, ZSETS), pick(r, ZSETS), t};
      case 6 -> new String[] {"BZPOPMAX", pick(r, ZSETS), t};
      default -> new String[] {"BZMPOP", t, "1", pick(r, ZSETS), r.nextBoolean() ? "MIN" : "MAX", "COUNT",
          Integer.toString(1 + r.nextInt(3))};
    };
  }

  private static String timeout(Random r) {
    return new String[] {"0.05", "0.1", "0.2", "0.3"}[r.nextInt(4)];
  }

  /** One random command; {@code w} serves the commands that need a value from the master first (RESTORE). */
  private static String[] command(Random r, RespClient w) {
    String k = pick(r, ALL);
    String k2 = pick(r, ALL);
    String m = pick(r, MEMBERS);
    return switch (r.nextInt(21)) {
      case 0, 1 -> stringCommand(r);
      case 2, 3 -> expireCommand(r, k);
      case 4, 5 -> listCommand(r);
      case 6 -> hashCommand(r);
      case 7, 8 -> setCommand(r);
      case 9, 10 -> zsetCommand(r);
      case 11 -> switch (r.nextInt(4)) {
        case 0 -> new String[] {"PFADD", pick(r, HLLS), m, pick(r, MEMBERS)};
        case 1 -> new String[] {"PFCOUNT", pick(r, HLLS)};
        case 2 -> new String[] {"PFMERGE", pick(r, HLLS), pick(r, HLLS)};
        default -> new String[] {"PFCOUNT", pick(r, HLLS), pick(r, HLLS)};
      };
      case 12 -> switch (r.nextInt(8)) {
        case 0 -> new String[] {"DEL", k, k2};
        case 1 -> new String[] {"UNLINK", k};
        case 2 -> new String[] {"RENAME", k, k2};
        case 3 -> new String[] {"RENAMENX", k, k2};
        case 4 -> new String[] {"MOVE", k, Integer.toString(r.nextInt(DBS))};
        case 5 -> r.nextBoolean() ? new String[] {"COPY", k, k2, "REPLACE"}
            : new String[] {"COPY", k, k2, "DB", Integer.toString(r.nextInt(DBS))};
        case 6 -> new String[] {"SORT", pick(r, LISTS), "ALPHA", "STORE", pick(r, LISTS)};
        default -> new String[] {"PUBLISH", "ch", m};
      };
      case 13 -> restoreCommand(r, w, k, k2);
      case 14 -> switch (r.nextInt(12)) {
        case 0 -> new String[] {"SWAPDB", Integer.toString(r.nextInt(DBS)), Integer.toString(r.nextInt(DBS))};
        case 1 -> new String[] {"FLUSHDB"};
        default -> new String[] {"SET", k, m};
      };
      case 15 -> new String[] {"SETBIT", pick(r, STRINGS), Integer.toString(r.nextInt(40)),
          Integer.toString(r.nextInt(2))};
      case 16 -> new String[] {"BITFIELD", pick(r, STRINGS), "SET", "u8", Integer.toString(8 * r.nextInt(4)),
          Integer.toString(r.nextInt(300)), "INCRBY", "i5", "3", Integer.toString(r.nextInt(40) - 20)};
      case 17 -> new String[] {"BITOP", r.nextBoolean() ? "OR" : "XOR", pick(r, STRINGS), pick(r, STRINGS),
          pick(r, STRINGS)};
      case 18 -> bulkCommand(r);
      default -> switch (r.nextInt(5)) {
        // reads: a key whose TTL passed is deleted when looked up
        case 0 -> new String[] {"GET", k};
        case 1 -> new String[] {"EXISTS", k, k2};
        case 2 -> new String[] {"TTL", k};
        case 3 -> new String[] {"TYPE", k};
        default -> new String[] {"LLEN", pick(r, LISTS)};
      };
    };
  }

  /** Many elements at once: values grow past the compact encodings, an HLL turns dense. */
  private static String[] bulkCommand(Random r) {
    int n = 40 + r.nextInt(100);
    int kind = r.nextInt(5);
    String[] head = switch (kind) {
      case 0 -> new String[] {"PFADD", pick(r, HLLS)};
      case 1 -> new String[] {"ZADD", pick(r, ZSETS)};
      case 2 -> new String[] {"SADD", pick(r, SETS)};
      case 3 -> new String[] {"RPUSH", pick(r, LISTS)};
      default -> new String[] {"HSET", pick(r, HASHES)};
    };
    List<String> cmd = new ArrayList<>(List.of(head));
    for (int i = 0; i < n; i++) {
      String e = (r.nextBoolean() ? "" : "m") + r.nextInt(5000);
      if (kind == 1) cmd.add(Integer.toString(r.nextInt(100)));
      cmd.add(e);
      if (kind == 4) cmd.add(Integer.toString(i));
    }
    return cmd.toArray(new String[0]);
  }

  private static String[] stringCommand(Random r) {
    String k = pick(r, STRINGS);
    String v = r.nextBoolean() ? Integer.toString(r.nextInt(100) - 20) : pick(r, MEMBERS);
    return switch (r.nextInt(16)) {
      case 0 -> withOptions(r, new String[] {"SET", k, v}, ttlOption(r), r.nextInt(4) == 0 ? "NX" : null,
          r.nextInt(4) == 0 ? "XX" : null, r.nextInt(3) == 0 ? "GET" : null);
      case 1 -> new String[] {"SET", k, v, "KEEPTTL"};
      case 2 -> new String[] {"SETEX", k, Integer.toString(r.nextBoolean() ? 1000 + r.nextInt(1000) : 1), v};
      case 3 -> new String[] {"PSETEX", k, ttlMillis(r), v};
      case 4 -> withOptions(r, new String[] {"GETEX", k}, r.nextInt(4) == 0 ? "PERSIST" : ttlOption(r));
      case 5 -> new String[] {"INCR", k};
      case 6 -> new String[] {"INCRBY", k, Integer.toString(r.nextInt(7) - 3)};
      case 7 -> new String[] {"INCRBYFLOAT", k, new String[] {"0.1", "1.5", "-2.25", "1e2", "0", "3"}[r.nextInt(6)]};
      case 8 -> new String[] {"APPEND", k, v};
      case 9 -> new String[] {"SETRANGE", k, Integer.toString(r.nextInt(6)), r.nextBoolean() ? v : ""};
      case 10 -> new String[] {"GETSET", k, v};
      case 11 -> new String[] {"GETDEL", k};
      case 12 -> new String[] {"MSET", k, v, pick(r, STRINGS), "x"};
      case 13 -> new String[] {"MSETNX", k, v, pick(r, STRINGS), "y"};
      case 14 -> new String[] {"SETNX", k, v};
      default -> new String[] {"DECRBY", k, Integer.toString(r.nextInt(5))};
    };
  }

  private static String[] expireCommand(Random r, String k) {
    String flag = r.nextInt(3) == 0 ? new String[] {"NX", "XX", "GT", "LT"}[r.nextInt(4)] : null;
    long now = System.currentTimeMillis();
    String[] cmd = switch (r.nextInt(7)) {
      case 0 -> new String[] {"EXPIRE", k, r.nextInt(4) == 0 ? "-1" : Integer.toString(1000 + r.nextInt(1000))};
      case 1 -> new String[] {"PEXPIRE", k, ttlMillis(r)};
      case 2 -> new String[] {"EXPIREAT", k, Long.toString(r.nextBoolean() ? now / 1000 + 5000 : 100)};
      case 3 -> new String[] {"PEXPIREAT", k, Long.toString(r.nextBoolean() ? now + 1_000_000 : now - 5)};
      case 4 -> new String[] {"PERSIST", k};
      case 5 -> new String[] {"PEXPIRE", k, Integer.toString(1 + r.nextInt(300))};
      default -> new String[] {"PEXPIRE", k, "-5"};
    };
    return cmd[0].equals("PERSIST") ? cmd : withOptions(r, cmd, flag);
  }

  private static String[] listCommand(Random r) {
    String k = pick(r, LISTS);
    String k2 = pick(r, LISTS);
    String m = pick(r, MEMBERS);
    return switch (r.nextInt(16)) {
      case 0, 1 -> new String[] {"RPUSH", k, m, pick(r, MEMBERS)};
      case 2 -> new String[] {"LPUSH", k, m};
      case 3 -> new String[] {"LPUSHX", k, m};
      case 4 -> r.nextBoolean() ? new String[] {"LPOP", k} : new String[] {"RPOP", k, Integer.toString(r.nextInt(3))};
      case 5 -> new String[] {"LMOVE", k, k2, side(r), side(r)};
      case 6 -> new String[] {"RPOPLPUSH", k, k2};
      case 7 -> new String[] {"LMPOP", "2", k, k2, side(r), "COUNT", Integer.toString(1 + r.nextInt(3))};
      case 8 -> new String[] {"BLPOP", k, k2, "0.01"};
      case 9 -> new String[] {"BLMOVE", k, k2, side(r), side(r), "0.01"};
      case 10 -> new String[] {"BLMPOP", "0.01", "1", k, side(r)};
      case 11 -> new String[] {"LSET", k, Integer.toString(r.nextInt(3) - 1), m};
      case 12 -> new String[] {"LINSERT", k, r.nextBoolean() ? "BEFORE" : "AFTER", pick(r, MEMBERS), m};
      case 13 -> new String[] {"LREM", k, Integer.toString(r.nextInt(3) - 1), m};
      case 14 -> new String[] {"LTRIM", k, Integer.toString(r.nextInt(3)), Integer.toString(r.nextInt(6) - 2)};
      default -> new String[] {"BRPOPLPUSH", k, k2, "0.01"};
    };
  }

  private static String[] hashCommand(Random r) {
    String k = pick(r, HASHES);
    String f = pick(r, MEMBERS);
    return switch (r.nextInt(6)) {
      case 0, 1 -> new String[] {"HSET", k, f, Integer.toString(r.nextInt(50)), pick(r, MEMBERS), "v"};
      case 2 -> new String[] {"HSETNX", k, f, "w"};
      case 3 -> new String[] {"HDEL", k, f, pick(r, MEMBERS)};
      case 4 -> new String[] {"HINCRBY", k, f, Integer.toString(r.nextInt(9) - 4)};
      default -> new String[] {"HINCRBYFLOAT", k, f, new String[] {"0.5", "-1.25", "1e1", "0"}[r.nextInt(4)]};
    };
  }

  private static String[] setCommand(Random r) {
    String k = pick(r, SETS);
    String k2 = pick(r, SETS);
    String m = pick(r, MEMBERS);
    return switch (r.nextInt(8)) {
      case 0, 1 -> new String[] {"SADD", k, m, pick(r, MEMBERS), pick(r, MEMBERS)};
      case 2 -> new String[] {"SREM", k, m};
      case 3 -> new String[] {"SPOP", k};
      case 4 -> new String[] {"SPOP", k, Integer.toString(r.nextInt(5))};
      case 5 -> new String[] {"SMOVE", k, k2, m};
      case 6 -> new String[] {r.nextBoolean() ? "SUNIONSTORE" : "SINTERSTORE", k, k2, pick(r, SETS)};
      default -> new String[] {"SDIFFSTORE", k, k2, pick(r, SETS)};
    };
  }

  private static String[] zsetCommand(Random r) {
    String k = pick(r, ZSETS);
    String k2 = pick(r, ZSETS);
    String m = pick(r, MEMBERS);
    String score = new String[] {"1", "2", "2.5", "-1", "0", "10"}[r.nextInt(6)];
    return switch (r.nextInt(12)) {
      case 0, 1 -> new String[] {"ZADD", k, score, m, pick(r, new String[] {"1", "3"}), pick(r, MEMBERS)};
      case 2 -> withOptions(r, new String[] {"ZADD", k}, new String[] {"NX", "XX", "GT", "LT", "CH"}[r.nextInt(5)],
          "INCR", score, m);
      case 3 -> new String[] {"ZINCRBY", k, score, m};
      case 4 -> new String[] {"ZREM", k, m};
      case 5 -> new String[] {r.nextBoolean() ? "ZPOPMIN" : "ZPOPMAX", k, Integer.toString(r.nextInt(3))};
      case 6 -> new String[] {"ZMPOP", "2", k, k2, r.nextBoolean() ? "MIN" : "MAX"};
      case 7 -> new String[] {"BZPOPMIN", k, "0.01"};
      case 8 -> new String[] {"BZMPOP", "0.01", "1", k, "MAX", "COUNT", "2"};
      case 9 -> new String[] {"ZRANGESTORE", k, k2, "0", Integer.toString(r.nextInt(4) - 1)};
      case 10 -> new String[] {r.nextBoolean() ? "ZUNIONSTORE" : "ZINTERSTORE", k, "2", k2, pick(r, ZSETS)};
      default -> new String[] {"ZREMRANGEBYSCORE", k, "-inf", score};
    };
  }

  /** RESTORE of a value DUMPed from the master (when {@code k} holds one), with a relative or absolute TTL. */
  private static String[] restoreCommand(Random r, RespClient w, String k, String k2) {
    String dump = w.call("DUMP", k);
    if (!dump.startsWith("$") || dump.startsWith("$-1")) return new String[] {"EXISTS", k};
    String payload = dump.substring(dump.indexOf("\r\n") + 2, dump.length() - 2);
    long now = System.currentTimeMillis();
    return switch (r.nextInt(4)) {
      case 0 -> new String[] {"RESTORE", k2, "0", payload, "REPLACE"};
      case 1 -> new String[] {"RESTORE", k2, ttlMillis(r), payload, "REPLACE"};
      case 2 -> new String[] {"RESTORE", k2, Long.toString(now + 2_000_000), payload, "ABSTTL", "REPLACE"};
      default -> new String[] {"RESTORE", k2, Long.toString(now - 10), payload, "ABSTTL", "REPLACE"};
    };
  }

  /** An expire option for SET/GETEX: short enough to pass during the run or long enough never to. */
  private static String ttlOption(Random r) {
    long now = System.currentTimeMillis();
    return switch (r.nextInt(6)) {
      case 0 -> "EX " + (1000 + r.nextInt(1000));
      case 1 -> "PX " + ttlMillis(r);
      case 2 -> "EXAT " + (now / 1000 + 5000);
      case 3 -> "PXAT " + (r.nextBoolean() ? now + 1_000_000 : 1);
      default -> null;
    };
  }

  private static String ttlMillis(Random r) {
    return Integer.toString(r.nextBoolean() ? 1 + r.nextInt(300) : 2_000_000 + r.nextInt(1000));
  }

  private static String side(Random r) {
    return r.nextBoolean() ? "LEFT" : "RIGHT";
  }

  /** The command with each non-null option appended (an option may hold a space-separated value). */
  private static String[] withOptions(Random r, String[] cmd, String... options) {
    List<String> out = new ArrayList<>(List.of(cmd));
    for (String o : options) if (o != null) out.addAll(List.of(o.split(" ")));
    return out.toArray(new String[0]);
  }

  private static String pick(Random r, String[] from) {
    return from[r.nextInt(from.length)];
  }

  private static String[] concat(String[]... parts) {
    List<String> all = new ArrayList<>();
    for (String[] p : parts) all.addAll(List.of(p));
    return all.toArray(new String[0]);
  }

  private static void remember(List<String> recent, String cmd) {
    if (recent.size() == 40) recent.remove(0);
    recent.add(cmd);
  }

  private static String show(String[] cmd) {
    StringBuilder sb = new StringBuilder();
    for (String a : cmd) {
      if (sb.length() > 0) sb.append(' ');
      sb.append(a.length() > 40 ? "<" + a.length() + " bytes>" : oneLine(a));
    }
    return sb.toString();
  }

  private static String oneLine(String s) {
    return s.replace("\r\n", " ").trim();
  }

  /** Sends arguments byte for byte as ISO-8859-1, the way replies were decoded (a DUMP payload goes back intact). */
  private static String call(RespClient w, String[] cmd) {
    byte[][] args = new byte[cmd.length][];
    for (int i = 0; i < cmd.length; i++) args[i] = cmd[i].getBytes(StandardCharsets.ISO_8859_1);
    return new String(w.callBytes(args), StandardCharsets.ISO_8859_1);
  }
}
