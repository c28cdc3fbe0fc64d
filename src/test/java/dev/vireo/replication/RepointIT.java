package dev.vireo.replication;

import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.testkit.FreePort;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Matrix;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Five nodes re-pointed in a seeded random order under a write load, first as five real redis-server 7.0 processes,
 * then as five Vireo nodes and as a group of both kinds, with the same sequence; after every step each node's
 * sync counters ({@code sync_full}, {@code sync_partial_ok}, {@code sync_partial_err}: who served a full and who a
 * partial resynchronization), its role, offsets, {@code master_replid}/{@code master_replid2} (named by the order
 * they first appear) and {@code second_repl_offset} must be what Redis showed at the same step.
 *
 * <p>A step is one of: {@code REPLICAOF host port} to a node outside the node's own subtree (a master re-pointed
 * under another tree, a replica moved inside its tree or to another one, chains of any depth); {@code REPLICAOF NO
 * ONE} on a replica; or a restart of a replica that ran {@code CONFIG REWRITE}: stopped with SIGTERM (saving its
 * RDB), written to while it is down, started again from the same config file and directory, it continues with
 * {@code +CONTINUE} from the RDB's {@code repl-id}/{@code repl-offset}, also when its master, a replica too, was
 * promoted meanwhile and knows that id as its second one. Every re-pointed node runs {@code CONFIG REWRITE}, as
 * Sentinel does. A failover step promotes a replica and re-points its former master and siblings to it, one
 * {@code REPLICAOF} at a time. Writes go to whichever node is the top master (now and then to another master too),
 * between steps and while a restarted replica is down; the topology changes on a group whose stream is applied
 * everywhere, since otherwise which node is ahead of which, and so full against partial, depends on timing even in
 * Redis. Each tree ends every step with one digest; at the end the others join the top master's
 * tree and all five digests are equal, and equal to Redis's.
 *
 * <p>CI runs seeds 1 and 2 of 10 steps (1 to 3 under {@code -Dvireo.matrix=full}); {@code -Dvireo.repoint.seeds=50} runs seeds 1 to 50 ({@code =51-80} those),
 * {@code -Dvireo.repoint.seed=N} replays one, {@code -Dvireo.repoint.steps=N} sets the length, and
 * {@code -Dvireo.repoint.vireo=jar} runs Vireo's jar as processes (a real SIGTERM) instead of nodes in this JVM.
 */
@Timeout(value = 60, unit = TimeUnit.MINUTES)
class RepointIT {
  private static final int NODES = 5;
  private static final Duration WAIT = Duration.ofSeconds(30);

  static Stream<Long> seeds() {
    String one = System.getProperty("vireo.repoint.seed");
    if (one != null) return Stream.of(Long.parseLong(one));
    String seeds = System.getProperty("vireo.repoint.seeds", Matrix.full() ? "3" : "2");
    int dash = seeds.indexOf('-');
    return dash < 0 ? LongStream.rangeClosed(1, Long.parseLong(seeds)).boxed()
        : LongStream.rangeClosed(Long.parseLong(seeds.substring(0, dash)), Long.parseLong(seeds.substring(dash + 1)))
            .boxed();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void vireoGroupsResyncAsRedisDoes(long seed) {
    try {
      runSeed(seed);
    } catch (RuntimeException e) {
      // a failure the runs did not word themselves (a connection refused, a node that did not start)
      throw new AssertionError("seed " + seed + " (replay with -Dvireo.repoint.seed=" + seed + "): " + e, e);
    }
  }

  private static void runSeed(long seed) {
    int steps = Integer.getInteger("vireo.repoint.steps", 10);
    String vireo = System.getProperty("vireo.repoint.vireo", "vireo");
    List<String> reference = new Run(seed, steps, kinds("redis", "redis")).run();
    compare(seed, "all Vireo", reference, new Run(seed, steps, kinds(vireo, vireo)).run());
    // both kinds in one group, Redis where the seed says
    String[] mixed = seed % 2 == 0 ? kinds("redis", vireo) : kinds(vireo, "redis");
    compare(seed, "mixed " + Arrays.toString(mixed), reference, new Run(seed, steps, mixed).run());
  }

  private static String[] kinds(String even, String odd) {
    String[] k = new String[NODES];
    for (int i = 0; i < NODES; i++) k[i] = i % 2 == 0 ? even : odd;
    return k;
  }

  private static void compare(long seed, String what, List<String> reference, List<String> seen) {
    for (int i = 0; i < Math.max(reference.size(), seen.size()); i++) {
      String want = i < reference.size() ? reference.get(i) : "(nothing)";
      String got = i < seen.size() ? seen.get(i) : "(nothing)";
      if (!want.equals(got)) {
        fail("seed " + seed + " (replay with -Dvireo.repoint.seed=" + seed + "): " + what + " parts from Redis at step "
            + i + "\n--- redis:\n" + want + "\n--- " + what + ":\n" + got + "\n--- steps before:\n"
            + String.join("\n", reference.subList(0, i)));
      }
    }
  }

  /** One run of the seed's sequence on a group of the given kinds; returns what each step showed. */
  private static final class Run {
    private final long seed;
    private final int steps;
    private final String[] kinds;
    private final Random rnd;
    /** The model: each node's master (-1 for a master), and the node the writer writes to. */
    private final int[] parent = new int[NODES];
    private int top;
    private final GroupMember[] members = new GroupMember[NODES];
    private final RespClient[] clients = new RespClient[NODES];
    private final long[][] counters = new long[NODES][];
    private final Map<String, String> idNames = new HashMap<>();
    private final List<String> trace = new ArrayList<>();
    private int writes;

    Run(long seed, int steps, String[] kinds) {
      this.seed = seed;
      this.steps = steps;
      this.kinds = kinds;
      this.rnd = new Random(seed);
    }

    List<String> run() {
      List<Path> dirs = new ArrayList<>();
      try {
        for (int i = 0; i < NODES; i++) {
          Path dir = Files.createTempDirectory("vireo-repoint");
          dirs.add(dir);
          // no PING in the streams, so that offsets read on different nodes compare
          members[i] = GroupMember.start(kinds[i], FreePort.get(), dir, "repl-diskless-sync-delay 0",
              "repl-ping-replica-period 3600");
          clients[i] = members[i].client();
          parent[i] = -1;
          counters[i] = counters(i);
        }
        top = 0;
        write(top, 40);
        // a first tree: every node under one of the nodes before it
        for (int i = 1; i < NODES; i++) repoint(i, rnd.nextInt(i));
        for (int s = 0; s < steps; s++) {
          randomStep();
          // now and then no writes: a node re-pointed next may still continue a history its new master has as
          // its second id
          if (rnd.nextInt(3) != 0) write(top, 10 + rnd.nextInt(40));
          List<Integer> roots = roots();
          if (roots.size() > 1 && rnd.nextInt(4) == 0) {
            int other = roots.get(rnd.nextInt(roots.size()));
            if (other != top) write(other, 1 + rnd.nextInt(10));
          }
          settle(false);
        }
        // the other masters join the top's tree: one dataset everywhere
        for (int r : roots()) {
          if (r != top) repoint(r, top);
        }
        String digest = clients[top].call("DEBUG", "DIGEST");
        for (int i = 0; i < NODES; i++) {
          String d = clients[i].call("DEBUG", "DIGEST");
          if (!d.equals(digest)) {
            fail(where() + "node " + i + " ends with digest " + d.trim() + ", the top master " + top + " with "
                + digest.trim());
          }
        }
        trace.add("end: digest " + digest.trim() + ", " + writes + " writes");
        System.out.println("seed " + seed + ", nodes " + Arrays.toString(kinds) + ":\n" + String.join("\n", trace));
        return trace;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        for (RespClient c : clients) {
          if (c != null) c.close();
        }
        for (GroupMember m : members) {
          if (m != null) m.close();
        }
        dirs.forEach(TempDirs::deleteQuietly);
      }
    }

    private String where() {
      return "seed " + seed + " (replay with -Dvireo.repoint.seed=" + seed + "), nodes " + Arrays.toString(kinds)
          + ", step " + trace.size() + ": ";
    }

    /** A target for {@code REPLICAOF} from {@code node}: outside its subtree, not its master already. */
    private int pick(int node) {
      List<Integer> targets = new ArrayList<>();
      for (int t = 0; t < NODES; t++) {
        if (t != node && t != parent[node] && !inSubtree(t, node)) targets.add(t);
      }
      return targets.isEmpty() ? -1 : targets.get(rnd.nextInt(targets.size()));
    }

    private boolean inSubtree(int n, int of) {
      for (int x = n; x != -1; x = parent[x]) {
        if (x == of) return true;
      }
      return false;
    }

    private int root(int n) {
      int x = n;
      while (parent[x] != -1) x = parent[x];
      return x;
    }

    private List<Integer> roots() {
      List<Integer> r = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        if (parent[i] == -1) r.add(i);
      }
      return r;
    }

    private List<Integer> replicas() {
      List<Integer> r = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        if (parent[i] != -1) r.add(i);
      }
      return r;
    }

    private void randomStep() {
      int dice = rnd.nextInt(100);
      List<Integer> replicas = replicas();
      if (dice < 20 && !replicas.isEmpty()) {
        int node = replicas.get(rnd.nextInt(replicas.size()));
        int burst = 5 + rnd.nextInt(30);
        int master = parent[node];
        // now and then its master, a replica too, is promoted while it is down, and written to: the restarted node
        // asks for the history its RDB recorded, which its master now knows as its second id
        boolean promoted = parent[master] != -1 && rnd.nextBoolean();
        step("restart " + node + " (a replica of " + master + ") with " + burst + " writes while it is down"
            + (promoted ? ", to its master, promoted meanwhile" : ""), () -> restart(node, burst, promoted));
      } else if (dice < 40 && !replicas.isEmpty()) {
        promote(replicas.get(rnd.nextInt(replicas.size())));
      } else if (dice < 55 && !replicas.isEmpty()) {
        // a failover as Sentinel makes it: a replica promoted, then its former master's other replicas and the
        // former master itself re-pointed to it, each continuing from the promoted node's second id
        int node = replicas.get(rnd.nextInt(replicas.size()));
        int old = parent[node];
        promote(node);
        for (int i = 0; i < NODES; i++) {
          if (parent[i] == old && i != node) repoint(i, node);
        }
        repoint(old, node);
      } else {
        int node;
        int target;
        do {
          node = rnd.nextInt(NODES);
          target = pick(node);
        } while (target == -1);
        repoint(node, target);
      }
    }

    private void promote(int node) {
      step("REPLICAOF NO ONE on " + node + " (a replica of " + parent[node] + ")", () -> {
        expectOk(node, clients[node].call("REPLICAOF", "NO", "ONE"));
        expectOk(node, clients[node].call("CONFIG", "REWRITE"));
        parent[node] = -1;
      });
    }

    private void repoint(int node, int target) {
      step("REPLICAOF " + node + " -> " + target + (parent[node] == -1 ? " (a master)" : " (a replica of "
          + parent[node] + ")"), () -> applyRepoint(node, target));
    }

    private void applyRepoint(int node, int target) {
      expectOk(node, clients[node].call("REPLICAOF", "127.0.0.1", Integer.toString(members[target].port)));
      expectOk(node, clients[node].call("CONFIG", "REWRITE"));
      boolean wasTop = node == top;
      parent[node] = target;
      if (wasTop) top = root(target);
    }

    private void restart(int node, int burst, boolean promoteMaster) {
      expectOk(node, clients[node].call("CONFIG", "REWRITE"));
      clients[node].close();
      members[node].stop();
      int target = top;
      if (promoteMaster) {
        target = parent[node];
        expectOk(target, clients[target].call("REPLICAOF", "NO", "ONE"));
        expectOk(target, clients[target].call("CONFIG", "REWRITE"));
        parent[target] = -1;
      }
      // the writer goes on while the replica is down and while it comes back
      AtomicReference<Throwable> failed = new AtomicReference<>();
      List<String[]> commands = commands(burst);
      int writeTo = target;
      Thread writer = new Thread(() -> {
        try (RespClient w = members[writeTo].client()) {
          for (String[] c : commands) w.call(c);
        } catch (Throwable e) {
          failed.set(e);
        }
      }, "repoint-writer");
      writer.start();
      members[node].start();
      clients[node] = members[node].client();
      counters[node] = new long[3]; // a new process counts from zero
      try {
        writer.join(WAIT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      if (writer.isAlive() || failed.get() != null) {
        throw new AssertionError(where() + "the writer failed", failed.get());
      }
      writes += commands.size();
    }

    private void expectOk(int node, String reply) {
      if (!reply.startsWith("+OK")) fail(where() + "node " + node + " answered " + reply.trim());
    }

    /**
     * Runs one change of topology on a settled group and records what every node shows once the group has settled
     * again: role and master, the sync counters' increase, offsets and ids.
     */
    private void step(String what, Runnable change) {
      settle(false);
      change.run();
      settle(true);
      StringBuilder sb = new StringBuilder(what);
      for (int i = 0; i < NODES; i++) {
        String info = clients[i].call("INFO", "everything");
        long[] now = counters(info);
        sb.append("\n  ").append(i).append(": ")
            .append(parent[i] == -1 ? "master" : "replica of " + parent[i])
            .append(", full +").append(now[0] - counters[i][0])
            .append(", partial +").append(now[1] - counters[i][1])
            .append(", refused +").append(now[2] - counters[i][2])
            .append(", offset ").append(InfoFields.get(info, "master_repl_offset"))
            .append(", replid ").append(name(InfoFields.get(info, "master_replid")))
            .append(", replid2 ").append(name(InfoFields.get(info, "master_replid2")))
            .append(" until ").append(InfoFields.get(info, "second_repl_offset"));
        counters[i] = now;
      }
      trace.add(sb.toString());
    }

    /** Ids are random: each is named by the order it first appeared in. */
    private String name(String id) {
      if (id == null) return "(none)";
      if (id.equals(ReplicationIds.NO_ID)) return "-";
      return idNames.computeIfAbsent(id, k -> "#" + (idNames.size() + 1));
    }

    private long[] counters(int node) {
      return counters(clients[node].call("INFO", "everything"));
    }

    private static long[] counters(String info) {
      return new long[] {Long.parseLong(InfoFields.get(info, "sync_full")),
          Long.parseLong(InfoFields.get(info, "sync_partial_ok")),
          Long.parseLong(InfoFields.get(info, "sync_partial_err"))};
    }

    /**
     * Waits until every node has the role and master of the model, every link is up, and every tree shares its
     * root's id, offset and digest; with {@code quiet}, also until no sync counter moves between two looks.
     */
    private void settle(boolean quiet) {
      String[] last = new String[1];
      Poll.until(WAIT, "the group to settle", () -> {
        String why = unsettled();
        last[0] = why;
        return why == null;
      }, () -> where() + last[0]);
      if (!quiet) return;
      long[][] before = new long[NODES][];
      for (int i = 0; i < NODES; i++) before[i] = counters(i);
      while (true) {
        Poll.sleep(250);
        long[][] after = new long[NODES][];
        boolean same = true;
        for (int i = 0; i < NODES; i++) {
          after[i] = counters(i);
          same &= Arrays.equals(before[i], after[i]);
        }
        String why = unsettled();
        if (same && why == null) return;
        before = after;
        if (why != null) {
          Poll.until(WAIT, "the group to settle", () -> {
            String w = unsettled();
            last[0] = w;
            return w == null;
          }, () -> where() + last[0]);
        }
      }
    }

    /** What is not settled yet, or null. */
    private String unsettled() {
      String[] infos = new String[NODES];
      for (int i = 0; i < NODES; i++) {
        try {
          infos[i] = clients[i].call("INFO", "replication");
        } catch (RuntimeException e) {
          return "node " + i + ": " + e.getMessage();
        }
        if (infos[i].startsWith("-")) return "node " + i + ": " + infos[i].trim();
      }
      for (int i = 0; i < NODES; i++) {
        String role = InfoFields.get(infos[i], "role");
        if (parent[i] == -1) {
          if (!"master".equals(role)) return "node " + i + " is " + role;
          continue;
        }
        if (!"slave".equals(role)) return "node " + i + " is " + role;
        if (!Integer.toString(members[parent[i]].port).equals(InfoFields.get(infos[i], "master_port"))) {
          return "node " + i + " follows " + InfoFields.get(infos[i], "master_port");
        }
        if (!"up".equals(InfoFields.get(infos[i], "master_link_status"))) return "node " + i + "'s link is down";
        if (!"0".equals(InfoFields.get(infos[i], "master_sync_in_progress"))) return "node " + i + " syncs";
        int r = root(i);
        for (String f : new String[] {"master_replid", "master_repl_offset"}) {
          if (!InfoFields.get(infos[r], f).equals(InfoFields.get(infos[i], f))) {
            return "node " + i + " has " + f + " " + InfoFields.get(infos[i], f) + ", its root " + r + " "
                + InfoFields.get(infos[r], f);
          }
        }
      }
      for (int i = 0; i < NODES; i++) {
        if (parent[i] == -1) continue;
        String want = clients[root(i)].call("DEBUG", "DIGEST");
        String got = clients[i].call("DEBUG", "DIGEST");
        if (!want.equals(got)) return "node " + i + " has digest " + got.trim() + ", its root " + want.trim();
      }
      return null;
    }

    private void write(int node, int n) {
      List<String[]> commands = commands(n);
      try (RespClient w = members[node].client()) {
        for (String[] c : commands) {
          String reply = w.call(c);
          if (reply.startsWith("-")) fail(where() + Arrays.toString(c) + " on " + node + ": " + reply.trim());
        }
      }
      writes += n;
    }

    /** A seeded burst of writes over a few types and two databases. */
    private List<String[]> commands(int n) {
      List<String[]> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String k = Integer.toString(rnd.nextInt(12));
        String v = "v" + rnd.nextInt(1000);
        out.add(switch (rnd.nextInt(9)) {
          case 0 -> new String[] {"SELECT", Integer.toString(rnd.nextInt(2))};
          case 1 -> new String[] {"SET", "s" + k, v};
          case 2 -> new String[] {"INCR", "n" + k};
          case 3 -> new String[] {"RPUSH", "l" + k, v};
          case 4 -> new String[] {"HSET", "h" + k, "f" + rnd.nextInt(5), v};
          case 5 -> new String[] {"SADD", "S" + k, v};
          case 6 -> new String[] {"ZADD", "z" + k, Integer.toString(rnd.nextInt(100)), v};
          case 7 -> new String[] {"APPEND", "s" + k, v};
          default -> new String[] {"DEL", "s" + k, "l" + k};
        });
      }
      return out;
    }
  }
}
