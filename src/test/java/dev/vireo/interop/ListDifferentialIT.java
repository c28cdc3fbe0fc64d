package dev.vireo.interop;

import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The same seeded random list workload against Vireo and a real Redis 7.0.15; every reply must be byte-equal.
 * Blocking commands run inside MULTI/EXEC, where they answer at once.
 */
class ListDifferentialIT {
  private static final String[] KEYS = {"l1", "l2", "l3", "s1"};
  private static final String[] ELEMS = {"a", "b", "c", "d", "", "12", "xyz"};

  @Test
  void randomListWorkloadMatchesRedis() {
    // a fixed seed keeps CI deterministic; -Dvireo.diff.seed=N explores others
    long seed = Long.getLong("vireo.diff.seed", 20261124L);
    Random rnd = new Random(seed);
    try (RedisServerProcess redis = RedisServerProcess.start();
        TestNode node = TestNode.start();
        RespClient real = redis.client();
        RespClient ours = node.client()) {
      int steps = Integer.getInteger("vireo.diff.steps", 4000);
      for (int i = 0; i < steps; i++) {
        if (i == steps * 5 / 8) {
          String[] hello = {"HELLO", "3"};
          compare(seed, i, hello, real, ours);
        }
        List<String[]> batch = next(rnd);
        for (String[] cmd : batch) compare(seed, i, cmd, real, ours);
      }
    }
  }

  /**
   * Lists packed into many small nodes (list-max-listpack-size changed on the way, elements up to twice a node's
   * byte limit): pushes, pops, inserts, sets, removals, trims, moves and copies answer as Redis does, and the
   * lists' contents and DEBUG DIGEST stay equal; a copy changes apart from its source.
   */
  @Test
  void packedNodesMatchRedis() {
    long seed = Long.getLong("vireo.diff.seed", 20261203L);
    Random r = new Random(seed);
    String[] keys = {"p1", "p2", "p3"};
    String[] fills = {"2", "-1", "1", "-2", "5"};
    int[] lengths = {60, 127, 128, 200, 5000, 9000, 17000};
    try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes");
        TestNode node = TestNode.start();
        RespClient real = redis.client();
        RespClient ours = node.client()) {
      int steps = Integer.getInteger("vireo.diff.steps", 4000) / 2;
      for (int i = 0; i < steps; i++) {
        String k = keys[r.nextInt(keys.length)];
        Supplier<String> elem = () -> r.nextInt(12) == 0
            ? String.valueOf((char) ('a' + r.nextInt(2))).repeat(lengths[r.nextInt(lengths.length)])
            : Integer.toString(r.nextInt(8));
        List<String[]> cmds = new ArrayList<>();
        switch (r.nextInt(16)) {
          case 0 -> cmds.add(new String[] {"CONFIG", "SET", "list-max-listpack-size", fills[r.nextInt(fills.length)]});
          case 1, 2, 3 -> {
            List<String> a = new ArrayList<>(List.of(r.nextBoolean() ? "LPUSH" : "RPUSH", k));
            int n = 1 + r.nextInt(40);
            for (int j = 0; j < n; j++) a.add(elem.get());
            cmds.add(a.toArray(new String[0]));
          }
          case 4 -> cmds.add(new String[] {r.nextBoolean() ? "LPOP" : "RPOP", k, Integer.toString(r.nextInt(30))});
          case 5 -> cmds.add(new String[] {"LINSERT", k, r.nextBoolean() ? "BEFORE" : "AFTER", elem.get(), elem.get()});
          case 6 -> cmds.add(new String[] {"LSET", k, Integer.toString(r.nextInt(80) - 40), elem.get()});
          case 7 -> cmds.add(new String[] {"LREM", k, Integer.toString(r.nextInt(7) - 3), elem.get()});
          case 8 -> cmds.add(new String[] {"LTRIM", k, Integer.toString(r.nextInt(10) - 2),
              Integer.toString(r.nextInt(200) - 20)});
          case 9 -> cmds.add(new String[] {"LPOS", k, elem.get(), "RANK", Integer.toString(r.nextInt(7) - 3 | 1),
              "COUNT", Integer.toString(r.nextInt(4)), "MAXLEN", Integer.toString(r.nextInt(60))});
          case 10 -> cmds.add(new String[] {"LINDEX", k, Integer.toString(r.nextInt(120) - 60)});
          case 11 -> cmds.add(new String[] {"LRANGE", k, Integer.toString(r.nextInt(100) - 50),
              Integer.toString(r.nextInt(100) - 50)});
          case 12 -> cmds.add(new String[] {"LMOVE", k, keys[r.nextInt(keys.length)],
              r.nextBoolean() ? "LEFT" : "RIGHT", r.nextBoolean() ? "LEFT" : "RIGHT"});
          case 13 -> {
            String to = keys[r.nextInt(keys.length)];
            cmds.add(new String[] {"COPY", k, to, "REPLACE"});
            cmds.add(new String[] {"RPUSH", to, elem.get()});
            cmds.add(new String[] {"LSET", to, "0", elem.get()});
            cmds.add(new String[] {"LRANGE", k, "0", "-1"});
          }
          case 14 -> cmds.add(new String[] {"DEBUG", "DIGEST-VALUE", k});
          default -> cmds.add(new String[] {"OBJECT", "ENCODING", k});
        }
        for (String[] cmd : cmds) compare(seed, i, cmd, real, ours);
        if (i % 100 == 99) {
          for (String key : keys) compare(seed, i, new String[] {"LRANGE", key, "0", "-1"}, real, ours);
          compare(seed, i, new String[] {"DEBUG", "DIGEST"}, real, ours);
        }
      }
    }
  }

  private static void compare(long seed, int step, String[] cmd, RespClient real, RespClient ours) {
    String expected = real.call(cmd);
    String actual = ours.call(cmd);
    if (cmd[0].equals("HELLO")) return; // server identification differs by design
    if (!expected.equals(actual)) {
      fail("seed " + seed + " step " + step + " command " + String.join(" ", cmd) + "\nredis: "
          + show(expected) + "\nvireo: "
          + show(actual));
    }
  }

  /**
   * Waiters on several keys served by pushes, with a BLMOVE feeding another waiter: the replies of every client
   * must equal Redis's.
   */
  @Test
  void blockedClientsAreServedLikeRedis() {
    try (RedisServerProcess redis = RedisServerProcess.start(); TestNode node = TestNode.start()) {
      List<String> expected = scenario(redis::client, () -> {
        try (RespClient c = redis.client()) {
          String info = c.call("INFO", "clients");
          int at = info.indexOf("blocked_clients:") + "blocked_clients:".length();
          return Integer.parseInt(info.substring(at, info.indexOf('\r', at)));
        }
      });
      List<String> actual = scenario(node::client, () -> node.node().server().blocking.blockedClients());
      if (!expected.equals(actual)) fail("redis: " + show(expected.toString()) + "\nvireo: " + show(actual.toString()));
    }
  }

  private static List<String> scenario(Supplier<RespClient> clients,
      IntSupplier blocked) {
    String[][] waits = {
      {"BLPOP", "k1", "k2", "0"},
      {"BLMOVE", "k2", "k3", "RIGHT", "LEFT", "0"},
      {"BRPOP", "k3", "0"},
      {"BLMPOP", "0", "2", "k1", "k3", "LEFT", "COUNT", "2"},
      {"BRPOPLPUSH", "k4", "k1", "0"},
    };
    List<String> replies = new ArrayList<>();
    List<RespClient> waiting = new ArrayList<>();
    try (RespClient admin = clients.get()) {
      for (String[] w : waits) {
        RespClient c = clients.get();
        waiting.add(c);
        c.sendRaw(RespClient.encodeCommand(w));
        awaitCount(blocked, waiting.size());
      }
      replies.add(admin.call("RPUSH", "k2", "a", "b", "c"));
      for (int i = 0; i < 3; i++) replies.add(waiting.get(i).readReply());
      awaitCount(blocked, 2);
      replies.add(admin.call("RPUSH", "k4", "x", "y", "z"));
      replies.add(waiting.get(4).readReply());
      replies.add(waiting.get(3).readReply());
      awaitCount(blocked, 0);
      for (String k : new String[] {"k1", "k2", "k3", "k4"}) replies.add(admin.call("LRANGE", k, "0", "-1"));
    } finally {
      for (RespClient c : waiting) c.close();
    }
    return replies;
  }

  private static void awaitCount(IntSupplier blocked, int n) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (blocked.getAsInt() != n) {
      if (System.nanoTime() > deadline) fail("blocked clients never became " + n);
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static String show(String reply) {
    return reply.replace("\r", "\\r").replace("\n", "\\n");
  }

  private static String key(Random r) {
    return KEYS[r.nextInt(KEYS.length)];
  }

  private static String elem(Random r) {
    return ELEMS[r.nextInt(ELEMS.length)];
  }

  private static String rank(Random r) {
    String s = index(r);
    return s.equals(Long.toString(Long.MIN_VALUE)) ? "-1" : s;
  }

  private static String index(Random r) {
    switch (r.nextInt(12)) {
      case 0:
        return "abc";
      case 1:
        return Long.toString(Long.MAX_VALUE);
      case 2:
        return Long.toString(Long.MIN_VALUE);
      case 3:
        return "-100";
      default:
        return Integer.toString(r.nextInt(15) - 7);
    }
  }

  private static String count(Random r) {
    switch (r.nextInt(10)) {
      case 0:
        return "-1";
      case 1:
        return "x";
      case 2:
        return "0";
      case 3:
        return "1000";
      default:
        return Integer.toString(r.nextInt(4) + 1);
    }
  }

  private static String side(Random r) {
    int n = r.nextInt(9);
    return n == 0 ? "middle" : n < 5 ? "LEFT" : "right";
  }

  private static List<String[]> next(Random r) {
    List<String[]> out = new ArrayList<>();
    String[] c;
    switch (r.nextInt(28)) {
      case 0, 1, 2 -> {
        List<String> a = new ArrayList<>(List.of(r.nextBoolean() ? "LPUSH" : "RPUSH", key(r)));
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) a.add(elem(r));
        c = a.toArray(new String[0]);
      }
      case 3 -> c = new String[] {r.nextBoolean() ? "LPUSHX" : "RPUSHX", key(r), elem(r), elem(r)};
      case 4 -> c = new String[] {r.nextBoolean() ? "LPOP" : "RPOP", key(r)};
      case 5 -> c = new String[] {r.nextBoolean() ? "LPOP" : "RPOP", key(r), count(r)};
      case 6, 7 -> c = new String[] {"LRANGE", key(r), index(r), index(r)};
      case 8 -> c = new String[] {"LINDEX", key(r), index(r)};
      case 9 -> c = new String[] {"LSET", key(r), index(r), elem(r)};
      case 10 -> c = new String[] {"LINSERT", key(r), r.nextInt(5) == 0 ? "ON" : r.nextBoolean() ? "BEFORE" : "after",
          elem(r), elem(r)};
      case 11 -> c = new String[] {"LLEN", key(r)};
      case 12 -> c = new String[] {"LREM", key(r), index(r), elem(r)};
      case 13 -> c = new String[] {"LTRIM", key(r), index(r), index(r)};
      case 14, 15 -> {
        List<String> a = new ArrayList<>(List.of("LPOS", key(r), elem(r)));
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          switch (r.nextInt(5)) {
            // RANK LLONG_MIN is left out: 7.0's answer comes from negating it (an overflow), later versions
            // refuse it, and Vireo answers as for the first match from the tail.
            case 0 -> a.addAll(List.of("RANK", r.nextInt(6) == 0 ? "0" : rank(r)));
            case 1 -> a.addAll(List.of("COUNT", count(r)));
            case 2 -> a.addAll(List.of("MAXLEN", count(r)));
            case 3 -> a.add("RANK");
            default -> a.add("BOGUS");
          }
        }
        c = a.toArray(new String[0]);
      }
      case 16 -> c = new String[] {"LMOVE", key(r), key(r), side(r), side(r)};
      case 17 -> c = new String[] {"RPOPLPUSH", key(r), key(r)};
      case 18 -> {
        List<String> a = new ArrayList<>(List.of("LMPOP"));
        int n = r.nextInt(4);
        a.add(r.nextInt(8) == 0 ? "x" : Integer.toString(r.nextInt(8) == 0 ? n + 2 : n));
        for (int i = 0; i < n; i++) a.add(key(r));
        a.add(side(r));
        if (r.nextBoolean()) a.addAll(List.of("COUNT", count(r)));
        if (r.nextInt(8) == 0) a.add("COUNT");
        c = a.toArray(new String[0]);
      }
      case 19, 20 -> {
        // The first key gets an element first, so the command never waits (or fails on a string at once);
        // inside MULTI it answers at once anyway.
        String k1 = key(r);
        String[] b = switch (r.nextInt(5)) {
          case 0 -> new String[] {"BLPOP", k1, key(r), "0"};
          case 1 -> new String[] {"BRPOP", k1, r.nextInt(5) == 0 ? "-1" : "0.5"};
          case 2 -> new String[] {"BLMOVE", k1, key(r), side(r), side(r), "0"};
          case 3 -> new String[] {"BRPOPLPUSH", k1, key(r), r.nextInt(5) == 0 ? "x" : "1"};
          default -> new String[] {"BLMPOP", "0", "2", k1, key(r), side(r), "COUNT", count(r)};
        };
        boolean tx = r.nextBoolean();
        if (tx) out.add(new String[] {"MULTI"});
        if (!tx || r.nextBoolean()) out.add(new String[] {"RPUSH", k1, elem(r)});
        out.add(b);
        if (tx) out.add(new String[] {"EXEC"});
        return out;
      }
      case 21 -> {
        out.add(new String[] {"DEL", "s1"}); // SET over a list is the strings family's concern
        c = new String[] {"SET", "s1", elem(r)};
      }
      case 22 -> c = new String[] {"DEL", key(r)};
      case 23 -> c = new String[] {"TYPE", key(r)};
      case 24 -> c = new String[] {"OBJECT", "ENCODING", key(r)};
      case 25 -> c = new String[] {"GET", key(r)};
      case 26 -> c = new String[] {r.nextBoolean() ? "LPOP" : "LMOVE", key(r), "1", "2"};
      default -> c = new String[] {"LRANGE", key(r), "0", "-1"};
    }
    out.add(c);
    return out;
  }
}
