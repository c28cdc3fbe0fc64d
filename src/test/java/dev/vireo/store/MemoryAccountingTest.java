package dev.vireo.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * used_memory is kept incrementally: every key's accounted bytes must equal what the memory model computes for it
 * from scratch, after any sequence of commands, through the real protocol. A seeded random stream of writes over
 * every type (in place, across encodings, in MULTI, in scripts, with moves between keys and databases) is run, then
 * each key is checked on the data loop. Also: the figure returns exactly to where it was once the data is gone, and
 * does not move with garbage collection.
 */
class MemoryAccountingTest {
  private static final long SEED = Long.getLong("vireo.seed", 20261202L);
  private static final int COMMANDS = Integer.getInteger("vireo.accounting.commands", 6000);

  @Test
  void everyKeyIsAccountedAsTheModelComputesIt() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      long empty = usedMemory(r);
      Random rnd = new Random(SEED);
      List<String> history = new ArrayList<>();
      for (int i = 0; i < COMMANDS; i++) {
        String[] cmd = randomCommand(rnd);
        history.add(String.join(" ", cmd));
        r.call(cmd);
        if (i % 500 == 499) check(n, history);
      }
      check(n, history);
      assertTrue(usedMemory(r) > empty, "the data costs memory");
      long before = usedMemory(r);
      r.call("MEMORY", "PURGE"); // a full collection
      assertEquals(before, usedMemory(r), "used_memory does not follow the garbage collector");
      r.call("FLUSHALL");
      assertEquals(empty, usedMemory(r), "used_memory comes back to where it started once the data is gone");
    }
  }

  @Test
  void encodingsCostWhatTheyCostInRedis() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("HSET", "small", "f1", "v1", "f2", "v2", "f3", "v3");
      r.call("CONFIG", "SET", "hash-max-listpack-entries", "0");
      r.call("HSET", "big", "f1", "v1", "f2", "v2", "f3", "v3");
      assertTrue(usage(r, "small") < usage(r, "big"), "a listpack hash is smaller than the same hashtable");
      r.call("SADD", "ints", "1", "2", "3");
      r.call("CONFIG", "SET", "set-max-intset-entries", "0");
      r.call("SADD", "table", "1", "2", "3");
      assertTrue(usage(r, "ints") < usage(r, "table"), "an intset is smaller than the same hashtable set");
      assertEquals("$-1\r\n", r.call("MEMORY", "USAGE", "missing"));
    }
  }

  private static long usage(RespClient r, String key) {
    String reply = r.call("MEMORY", "USAGE", key);
    assertTrue(reply.startsWith(":"), reply);
    return Long.parseLong(reply.substring(1).trim());
  }

  /** used_memory less the clients' buffers, which the test's own connection makes grow and shrink. */
  private static long usedMemory(RespClient r) {
    long used = -1;
    long clients = -1;
    for (String line : r.call("INFO", "memory").split("\r\n")) {
      if (line.startsWith("used_memory:")) used = Long.parseLong(line.substring("used_memory:".length()));
      if (line.startsWith("mem_clients_normal:")) {
        clients = Long.parseLong(line.substring("mem_clients_normal:".length()));
      }
    }
    if (used < 0 || clients < 0) throw new AssertionError("no used_memory or mem_clients_normal in INFO");
    return used - clients;
  }

  /** On the data loop: each entry's {@code mem} equals its cost now, and each database's sum is its keys'. */
  private static void check(TestNode n, List<String> history) {
    String problem = TestNode.await(n.node().onDataLoop(() -> {
      Keyspace ks = n.node().server().keyspace();
      for (int i = 0; i < ks.databases(); i++) {
        Db db = ks.db(i);
        long[] sum = {0};
        String[] bad = {null};
        db.forEach(e -> {
          sum[0] += e.mem;
          long cost = Db.cost(e);
          if (bad[0] == null && e.mem != cost) {
            bad[0] = "key " + new String(e.key) + " (" + Db.cost(e) + " now, " + e.mem + " accounted)";
          }
        });
        if (bad[0] != null) return "db " + i + ": " + bad[0];
        if (sum[0] != db.bytes) return "db " + i + " sums to " + sum[0] + " but accounts " + db.bytes;
      }
      return null;
    }), Duration.ofSeconds(30), "check the accounting");
    assertEquals(null, problem, () -> "after " + history.size() + " commands, the last ones: "
        + history.subList(Math.max(0, history.size() - 5), history.size()));
  }

  private static String key(Random rnd, String prefix) {
    return prefix + rnd.nextInt(6);
  }

  private static String value(Random rnd) {
    return switch (rnd.nextInt(5)) {
      case 0 -> Integer.toString(rnd.nextInt(1000) - 500);
      case 1 -> Long.toString(rnd.nextLong());
      case 2 -> "v" + rnd.nextInt(100);
      case 3 -> "x".repeat(40 + rnd.nextInt(10));
      default -> "long-" + "y".repeat(rnd.nextInt(200));
    };
  }

  private static String[] randomCommand(Random rnd) {
    String s = key(rnd, "s");
    String l = key(rnd, "l");
    String h = key(rnd, "h");
    String t = key(rnd, "t");
    String z = key(rnd, "z");
    String x = key(rnd, "x");
    String v = value(rnd);
    String m = Integer.toString(rnd.nextInt(40));
    return switch (rnd.nextInt(44)) {
      case 0 -> new String[] {"SET", s, v};
      case 1 -> new String[] {"APPEND", s, v};
      case 2 -> new String[] {"SETRANGE", s, Integer.toString(rnd.nextInt(60)), v};
      case 3 -> new String[] {"INCR", "n" + rnd.nextInt(3)};
      case 4 -> new String[] {"INCRBYFLOAT", "n" + rnd.nextInt(3), "1.5"};
      case 5 -> new String[] {"GETSET", s, v};
      case 6 -> new String[] {"SET", s, v, "EX", "100"};
      case 7 -> new String[] {"DEL", key(rnd, "slhtzx".charAt(rnd.nextInt(6)) + "")};
      case 8 -> new String[] {"RENAME", s, key(rnd, "s")};
      case 9 -> new String[] {"COPY", h, key(rnd, "h"), "REPLACE"};
      case 10 -> new String[] {"LPUSH", l, v, value(rnd)};
      case 11 -> new String[] {"RPUSH", l, v};
      case 12 -> new String[] {"LPOP", l};
      case 13 -> new String[] {"RPOP", l, "2"};
      case 14 -> new String[] {"LSET", l, "0", v};
      case 15 -> new String[] {"LINSERT", l, "BEFORE", v, value(rnd)};
      case 16 -> new String[] {"LTRIM", l, "1", "-2"};
      case 17 -> new String[] {"LMOVE", l, key(rnd, "l"), "LEFT", "RIGHT"};
      case 18 -> new String[] {"HSET", h, "f" + m, v};
      case 19 -> new String[] {"HDEL", h, "f" + m};
      case 20 -> new String[] {"HINCRBY", h, "c" + rnd.nextInt(3), "7"};
      case 21 -> new String[] {"HSET", h, "f" + m, "z".repeat(70)};
      case 22 -> new String[] {"SADD", t, m, v};
      case 23 -> new String[] {"SADD", t, m};
      case 24 -> new String[] {"SREM", t, m};
      case 25 -> new String[] {"SPOP", t};
      case 26 -> new String[] {"SMOVE", t, key(rnd, "t"), m};
      case 27 -> new String[] {"SUNIONSTORE", key(rnd, "t"), t, key(rnd, "t")};
      case 28 -> new String[] {"ZADD", z, Integer.toString(rnd.nextInt(100)), "m" + m};
      case 29 -> new String[] {"ZINCRBY", z, "2.5", "m" + m};
      case 30 -> new String[] {"ZREM", z, "m" + m};
      case 31 -> new String[] {"ZPOPMIN", z};
      case 32 -> new String[] {"ZADD", z, "1", "w" + "q".repeat(80) + m};
      case 33 -> new String[] {"ZUNIONSTORE", key(rnd, "z"), "2", z, key(rnd, "z")};
      case 34 -> new String[] {"XADD", x, "*", "f", v};
      case 35 -> new String[] {"XTRIM", x, "MAXLEN", Integer.toString(rnd.nextInt(20))};
      case 36 -> new String[] {"XGROUP", "CREATE", x, "g" + rnd.nextInt(2), "0", "MKSTREAM"};
      case 37 -> new String[] {"XREADGROUP", "GROUP", "g0", "c" + rnd.nextInt(3), "COUNT", "3", "STREAMS", x, ">"};
      case 38 -> new String[] {"PFADD", "hll" + rnd.nextInt(2), v, m};
      case 39 -> new String[] {"EXPIRE", key(rnd, "slhtzx".charAt(rnd.nextInt(6)) + ""), "100"};
      case 40 -> new String[] {"EVAL", "redis.call('RPUSH', KEYS[1], ARGV[1]); return redis.call('HSET', KEYS[2], "
          + "ARGV[1], ARGV[1])", "2", l, h, v};
      case 41 -> new String[] {"SORT", l, "ALPHA", "STORE", key(rnd, "l")};
      case 42 -> new String[] {"MOVE", s, "1"};
      default -> new String[] {"SETEX", s, "100", v};
    };
  }
}
