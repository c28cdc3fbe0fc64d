package dev.vireo.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.testkit.FreePort;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Matrix;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.SentinelProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real Redis Sentinels (7.0) watching a Vireo master, a Vireo replica and a Redis replica, each Vireo node a process
 * of its own: they discover the replicas from the master's INFO and each other over {@code __sentinel__:hello} on
 * every node; when the master is SIGKILLed they promote the replica with the best {@code replica-priority} (the
 * Vireo one) and re-point the other, each with a MULTI / SLAVEOF / CONFIG REWRITE / CLIENT KILL / EXEC block sent
 * under CONFIG's renamed name; every write acknowledged by {@code WAIT} survives. The old master, restarted, is
 * turned into a replica of the new one, and {@code SENTINEL FAILOVER} then moves the master to the best replica by
 * priority (the Redis node), every other node following it.
 */
@Timeout(120)
class SentinelIT {
  private static final int KEYS = 100;
  private static final Duration FAILOVER = Duration.ofSeconds(20);
  /** How long the sentinels must agree before a failover counts as over. */
  private static final Duration SETTLE = Duration.ofMillis(2500);
  private static final Pattern FLAGS = Pattern.compile("\\$5\r\nflags\r\n\\$\\d+\r\n([^\r]*)\r\n");
  private static final Pattern HELLO = Pattern.compile("\\*3\r\n\\$7\r\nmessage\r\n\\$18\r\n__sentinel__:hello\r\n"
      + "\\$\\d+\r\n127\\.0\\.0\\.1,(\\d+),[0-9a-f]{40},\\d+,mymaster,127\\.0\\.0\\.1,(\\d+),\\d+\r\n");
  /** Every node and sentinel calls CONFIG by another name: Sentinel must send it so. */
  private static final String RENAME = "rename-command config xconfig";

  /** Kinds of the master, of the replica promoted first and of the other one; Redis only as the reference. */
  static Stream<Arguments> groups() {
    return Matrix.rows("*jar, jar, redis", "redis, redis, redis");
  }

  @ParameterizedTest(name = "master {0}, replicas {1} and {2}")
  @MethodSource("groups")
  void sentinelsFailOverAndBack(String masterKind, String firstKind, String otherKind, @TempDir Path tmp)
      throws Exception {
    int pm = FreePort.get();
    int p1 = FreePort.get();
    int p2 = FreePort.get();
    String[] common = {RENAME, "repl-diskless-sync-delay 0"};
    List<SentinelProcess> sentinels = new ArrayList<>();
    try (GroupMember master = GroupMember.start(masterKind, pm, dir(tmp, "m"), common);
        GroupMember first = GroupMember.start(firstKind, p1, dir(tmp, "a"), RENAME, "repl-diskless-sync-delay 0",
            "replicaof 127.0.0.1 " + pm, "replica-priority 10");
        GroupMember other = GroupMember.start(otherKind, p2, dir(tmp, "b"), RENAME, "repl-diskless-sync-delay 0",
            "replicaof 127.0.0.1 " + pm, "replica-priority 50");
        AutoCloseable stopSentinels = () -> sentinels.forEach(SentinelProcess::close)) {
      try {
        failOverAndBack(master, first, other, sentinels);
      } catch (AssertionError | RuntimeException e) {
        StringBuilder logs = new StringBuilder();
        for (SentinelProcess s : sentinels) {
          logs.append("\n--- sentinel ").append(s.port()).append('\n').append(s.log());
        }
        throw new AssertionError(e.getMessage() + logs, e);
      }
    }
  }

  private static void failOverAndBack(GroupMember master, GroupMember first, GroupMember other,
      List<SentinelProcess> sentinels) {
    int pm = master.port;
    int p1 = first.port;
    int p2 = other.port;
    awaitLinked(first, pm);
    awaitLinked(other, pm);
    for (int i = 0; i < 3; i++) {
      SentinelProcess s = SentinelProcess.start(pm, 2, "sentinel rename-command mymaster CONFIG XCONFIG");
      // a role change acted on after 2 s instead of 8, INFO every second; no TILT on a busy machine
      s.debug("info-period", "1000", "publish-period", "500", "tilt-trigger", "10000");
      sentinels.add(s);
    }

    // discovery: the replicas from the master's INFO (then their own INFO), the other sentinels from hellos
    for (SentinelProcess s : sentinels) {
      Poll.until(Poll.WAIT, "sentinel " + s.port() + " seeing both replicas and two sentinels", () -> {
        String replicas = s.call("SENTINEL", "REPLICAS", "mymaster");
        return replicas.contains("127.0.0.1:" + p1 + "\r\n") && replicas.contains("127.0.0.1:" + p2 + "\r\n")
            && s.call("SENTINEL", "SENTINELS", "mymaster").startsWith("*2\r\n")
            && replicaField(replicas, p1, "slave-priority").equals("10")
            && replicaField(replicas, p2, "slave-priority").equals("50");
      }, () -> s.call("SENTINEL", "REPLICAS", "mymaster") + s.log());
      String replicas = s.call("SENTINEL", "REPLICAS", "mymaster");
      for (int port : new int[] {p1, p2}) {
        assertEquals("ok", replicaField(replicas, port, "master-link-status"), replicas);
        assertEquals("127.0.0.1", replicaField(replicas, port, "master-host"), replicas);
        assertEquals(Integer.toString(pm), replicaField(replicas, port, "master-port"), replicas);
        assertEquals(40, replicaField(replicas, port, "runid").length(), replicas);
        assertEquals("slave", replicaField(replicas, port, "flags"), replicas);
      }
    }
    for (GroupMember node : List.of(master, first, other)) awaitHellos(node, sentinels, pm);

    try (RespClient c = master.client()) {
      for (int i = 0; i < KEYS; i++) assertEquals("+OK\r\n", c.call("SET", "k" + i, "v" + i));
      assertEquals(":2\r\n", c.call("WAIT", "2", "5000"));
    }

    // the crash: the sentinels promote the first replica (priority 10 beats 50) and re-point the other
    Map<Integer, GroupMember> nodes = Map.of(pm, master, p1, first, p2, other);
    Map<Integer, Integer> priorities = Map.of(pm, 100, p1, 10, p2, 50);
    master.kill();
    awaitSwitch(sentinels, pm, p1);
    int current = awaitSettled(sentinels);
    GroupMember now = nodes.get(current);
    Poll.equal(FAILOVER, "role of the promoted replica", "master", () -> field(now, "role"));
    for (GroupMember node : List.of(first, other)) {
      if (node != now) awaitLinked(node, current);
      assertAllKeys(node);
    }
    // each block ran whole: CONFIG REWRITE (sent as XCONFIG) dropped or rewrote the replicaof line
    assertFalse(now.configText().contains("replicaof"), now.configText());
    for (GroupMember node : List.of(first, other)) {
      if (node != now) assertTrue(node.configText().contains("replicaof 127.0.0.1 " + current), node.configText());
    }

    // the old master comes back as a master with no data; the sentinels make it a replica of the new one
    master.start();
    awaitLinked(master, current);
    assertTrue(master.configText().contains("replicaof 127.0.0.1 " + current), master.configText());
    Poll.equal(FAILOVER, "keys on the rejoined master", ":" + KEYS + "\r\n", () -> call(master, "DBSIZE"));

    // a manual failover to the best replica by priority (the other one, 50, beats the old master, 100)
    int from = current;
    int best = nodes.keySet().stream().filter(port -> port != from).min(Comparator.comparing(priorities::get))
        .orElseThrow();
    assertEquals("+OK\r\n", sentinels.get(0).call("SENTINEL", "FAILOVER", "mymaster"));
    awaitSwitch(sentinels, from, best);
    current = awaitSettled(sentinels);
    GroupMember last = nodes.get(current);
    for (GroupMember node : nodes.values()) {
      if (node == last) continue;
      awaitLinked(node, current);
      assertTrue(node.configText().contains("replicaof 127.0.0.1 " + current), node.configText());
    }
    try (RespClient c = last.client()) {
      assertEquals("+OK\r\n", c.call("SET", "after", "failover"));
      assertEquals(":2\r\n", c.call("WAIT", "2", "5000"));
    }
    for (GroupMember node : nodes.values()) {
      assertEquals("$8\r\nfailover\r\n", call(node, "GET", "after"));
      assertAllKeys(node, KEYS + 1);
    }
  }

  /** Waits until a sentinel reports the switch from {@code from} to {@code to} (the leader's choice). */
  private static void awaitSwitch(List<SentinelProcess> sentinels, int from, int to) {
    String line = "+switch-master mymaster 127.0.0.1 " + from + " 127.0.0.1 " + to + "\n";
    Poll.until(FAILOVER, line.trim(), () -> sentinels.stream().anyMatch(s -> s.log().contains(line)));
  }

  /**
   * Waits until every sentinel names the same master, flagged plain {@code master} (no failover, not down), for
   * {@link #SETTLE}; returns its port. On a loaded machine a sentinel may judge the master it just promoted down
   * (its first PING unanswered within down-after), and the others' stale down flags make that objective at once:
   * a second failover follows, with Redis nodes as well. The test then goes on from whichever master the
   * sentinels settled on.
   */
  private static int awaitSettled(List<SentinelProcess> sentinels) {
    long[] since = {0};
    int[] agreed = {-1};
    Poll.until(FAILOVER, "the sentinels agreeing on one master for " + SETTLE.toMillis() + " ms", () -> {
      Set<Integer> ports = new HashSet<>();
      boolean plain = true;
      for (SentinelProcess s : sentinels) {
        ports.add(s.masterPort());
        Matcher m = FLAGS.matcher(s.call("SENTINEL", "MASTER", "mymaster"));
        plain &= m.find() && m.group(1).equals("master");
      }
      int port = ports.size() == 1 ? ports.iterator().next() : -1;
      if (!plain || port < 0 || port != agreed[0]) {
        agreed[0] = plain ? port : -1;
        since[0] = System.nanoTime();
        return false;
      }
      return System.nanoTime() - since[0] >= SETTLE.toNanos();
    });
    return agreed[0];
  }

  /**
   * A replica with {@code replica-announced no} is listed in its master's INFO, so Sentinel connects to it and reads
   * its INFO, but leaves it out of {@code SENTINEL REPLICAS}.
   */
  @Test
  void anUnannouncedReplicaIsHiddenFromSentinelReplicas(@TempDir Path tmp) throws Exception {
    int pm = FreePort.get();
    int shown = FreePort.get();
    int hidden = FreePort.get();
    try (GroupMember master = GroupMember.start("vireo", pm, dir(tmp, "m"), "repl-diskless-sync-delay 0");
        GroupMember a = GroupMember.start("vireo", shown, dir(tmp, "a"), "replicaof 127.0.0.1 " + pm);
        GroupMember b = GroupMember.start("vireo", hidden, dir(tmp, "b"), "replicaof 127.0.0.1 " + pm,
            "replica-announced no");
        SentinelProcess s = SentinelProcess.start(pm, 1)) {
      s.debug("info-period", "1000");
      awaitLinked(a, pm);
      awaitLinked(b, pm);
      // the sentinel has read both replicas' own INFO (its cache holds them), the hidden one's included
      Poll.until(Poll.WAIT, "both replicas' INFO cached", () -> {
        String cache = s.call("SENTINEL", "INFO-CACHE", "mymaster");
        return cache.contains("replica_announced:0") && cache.contains("replica_announced:1");
      }, () -> s.call("SENTINEL", "INFO-CACHE", "mymaster"));
      String replicas = s.call("SENTINEL", "REPLICAS", "mymaster");
      assertTrue(replicas.startsWith("*1\r\n"), replicas);
      assertTrue(replicas.contains("127.0.0.1:" + shown + "\r\n"), replicas);
      assertFalse(replicas.contains("127.0.0.1:" + hidden + "\r\n"), replicas);
    }
  }

  /**
   * A master busy in a script answers the sentinel's PINGs with {@code -BUSY}; once it is subjectively down the
   * sentinel sends {@code SCRIPT KILL}, under SCRIPT's renamed name, and the script ends as Redis ends it.
   */
  @Test
  void aSentinelKillsTheScriptThatKeepsAMasterBusy(@TempDir Path tmp) throws Exception {
    int pm = FreePort.get();
    try (GroupMember master = GroupMember.start("vireo", pm, dir(tmp, "m"), "rename-command script xscript",
            "busy-reply-threshold 100");
        // quorum 2 of one sentinel: subjectively down, never objectively, so no failover is attempted
        SentinelProcess s = SentinelProcess.start(pm, 2, "sentinel rename-command mymaster SCRIPT XSCRIPT");
        RespClient busy = master.client().readTimeout(Duration.ofSeconds(20))) {
      Poll.until(Poll.WAIT, "sentinel connected", () -> s.call("SENTINEL", "INFO-CACHE", "mymaster")
          .contains("role:master"), () -> s.call("SENTINEL", "MASTER", "mymaster"));
      busy.sendRaw(RespClient.encodeCommand("EVAL", "while true do end", "0"));
      assertTrue(busy.readReply().startsWith("-ERR Script killed by user with SCRIPT KILL... script: "));
      assertEquals("+PONG\r\n", call(master, "PING"));
      // the sentinel's PINGs were refused meanwhile; only it knows SCRIPT's new name
      assertTrue(call(master, "INFO", "errorstats").contains("errorstat_BUSY:count="),
          call(master, "INFO", "errorstats"));
      assertTrue(s.log().contains("+sdown master mymaster 127.0.0.1 " + pm), s.log());
    }
  }

  private static Path dir(Path tmp, String name) throws Exception {
    return Files.createDirectories(tmp.resolve(name));
  }

  /** One field of one replica in a {@code SENTINEL REPLICAS} reply, or "" when not there. */
  static String replicaField(String replicas, int port, String name) {
    int at = replicas.indexOf("127.0.0.1:" + port + "\r\n");
    if (at < 0) return "";
    int next = replicas.indexOf("$4\r\nname\r\n", at);
    String one = next < 0 ? replicas.substring(at) : replicas.substring(at, next);
    Matcher m = Pattern.compile("\\$\\d+\r\n" + Pattern.quote(name) + "\r\n\\$\\d+\r\n([^\r]*)\r\n").matcher(one);
    return m.find() ? m.group(1) : "";
  }

  /** Every sentinel's hello arrives on {@code node}'s {@code __sentinel__:hello} channel, naming the master. */
  private static void awaitHellos(GroupMember node, List<SentinelProcess> sentinels, int masterPort) {
    Set<String> want = new HashSet<>();
    for (SentinelProcess s : sentinels) want.add(Integer.toString(s.port()));
    Set<String> seen = new HashSet<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    try (RespClient c = node.client().readTimeout(Duration.ofSeconds(10))) {
      assertEquals("*3\r\n$9\r\nsubscribe\r\n$18\r\n__sentinel__:hello\r\n:1\r\n",
          c.call("SUBSCRIBE", "__sentinel__:hello"));
      while (!seen.containsAll(want)) {
        if (System.nanoTime() > deadline) fail("hellos on " + node.port + ": saw " + seen + ", want " + want);
        String message = c.readReply();
        Matcher m = HELLO.matcher(message);
        assertTrue(m.matches(), message);
        assertEquals(Integer.toString(masterPort), m.group(2), message);
        seen.add(m.group(1));
      }
    }
  }

  /** Waits until {@code node} replicates from {@code masterPort} with its link up. */
  private static void awaitLinked(GroupMember node, int masterPort) {
    Poll.until(FAILOVER, node.kind + " on " + node.port + " linked to " + masterPort, () -> {
      String info = info(node);
      return "slave".equals(InfoFields.get(info, "role"))
          && Integer.toString(masterPort).equals(InfoFields.get(info, "master_port"))
          && "up".equals(InfoFields.get(info, "master_link_status"));
    }, () -> info(node));
  }

  private static void assertAllKeys(GroupMember node) {
    assertAllKeys(node, KEYS);
  }

  /** The {@link #KEYS} keys written before the crash, of {@code dbsize} keys in all. */
  private static void assertAllKeys(GroupMember node, int dbsize) {
    Poll.equal(FAILOVER, "keys on " + node.port, ":" + dbsize + "\r\n", () -> call(node, "DBSIZE"));
    try (RespClient c = node.client()) {
      for (int i = 0; i < KEYS; i++) {
        String v = "v" + i;
        assertEquals("$" + v.length() + "\r\n" + v + "\r\n", c.call("GET", "k" + i));
      }
    }
  }

  private static String field(GroupMember node, String name) {
    return InfoFields.get(info(node), name);
  }

  private static String info(GroupMember node) {
    return call(node, "INFO", "replication");
  }

  /** One command on a new connection; "" while the node does not answer (restarting, or its clients killed). */
  private static String call(GroupMember node, String... args) {
    try (RespClient c = node.client().readTimeout(Duration.ofSeconds(5))) {
      return c.call(args);
    } catch (RuntimeException e) {
      return "";
    }
  }
}
