package dev.vireo.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.bus.Addresses;
import dev.vireo.observability.SpanNames;
import dev.vireo.observability.metrics.Metrics;
import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.Replicas;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.Signals;
import dev.vireo.testkit.SpanCapture;
import dev.vireo.testkit.TestNode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code FAILOVER}, Redis 7.0's coordinated failover: a Vireo master handing over to a Vireo replica under a write
 * load (every write a {@code WAIT 1 0} acknowledged is on the new master), to a real Redis replica, and a real Redis
 * master handing over to a Vireo replica ({@code PSYNC ... FAILOVER}); the errors, TIMEOUT, FORCE and ABORT side by
 * side with a real redis-server 7.0 master, each with a real Redis replica that a SIGSTOP keeps from catching up;
 * the events, spans and meters of a failover and of its aborts; FORCE to a Vireo target that is behind.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class FailoverIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  /** DEBUG DIGEST compares the datasets; Redis 7.0 answers it only with this. */
  private static final String DEBUG = "--enable-debug-command";
  /** Full resynchronizations at once, on both kinds: each node here starts empty. */
  private static final String NO_DELAY = "--repl-diskless-sync-delay";

  @Test
  void vireoToVireoUnderWriteLoadKeepsEveryAcknowledgedWrite() throws Exception {
    try (SpanCapture spans = SpanCapture.install();
        TestNode master = TestNode.start(NO_DELAY, "0");
        TestNode replica = TestNode.start("--replicaof", "127.0.0.1 " + master.port(), NO_DELAY, "0")) {
      RespClient m = master.client();
      RespClient r = replica.client();
      Replicas.awaitLinkUp(r);
      awaitOnline(m);
      List<JsonObject> masterEvents = events(master.vertx());
      List<JsonObject> replicaEvents = events(replica.vertx());
      long fullBefore = Long.parseLong(InfoFields.get(r, "sync_full"));

      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int id = w;
        Thread t = new Thread(() -> write(master.port(), id, acknowledged, stop), "writer-" + w);
        t.start();
        writers.add(t);
      }
      Poll.until(WAIT, "writes acknowledged before the failover", () -> acknowledged.size() > 200);
      assertEquals("+OK\r\n", m.call("FAILOVER", "TO", "127.0.0.1", Integer.toString(replica.port())));
      Poll.until(WAIT, "the failover to end", () -> InfoFields.get(m, "master_failover_state").equals("no-failover"));
      Poll.until(WAIT, "the old master streaming from the new one",
          () -> "up".equals(InfoFields.get(m, "master_link_status")));
      stop.set(true);
      for (Thread t : writers) t.join(10_000);

      assertEquals("slave", InfoFields.get(m, "role"));
      assertEquals(Integer.toString(replica.port()), InfoFields.get(m, "master_port"));
      assertEquals("master", InfoFields.get(r, "role"));
      // the old master continued the history it handed over: a partial resynchronization, no full one
      assertEquals(Long.toString(fullBefore), InfoFields.get(r, "sync_full"));
      assertTrue(Long.parseLong(InfoFields.get(r, "sync_partial_ok")) >= 1, "partial resyncs on the new master");
      List<String> keys = new ArrayList<>(acknowledged);
      for (int i = 0; i < keys.size(); i += 500) {
        List<String> batch = keys.subList(i, Math.min(keys.size(), i + 500));
        List<String> args = new ArrayList<>(List.of("EXISTS"));
        args.addAll(batch);
        assertEquals(":" + batch.size() + "\r\n", r.call(args.toArray(new String[0])),
            "acknowledged writes missing on the new master");
      }
      assertEquals("+OK\r\n", r.call("SET", "after", "failover"));
      Replicas.awaitSameDigest(r, m);

      // the events, in order, on both sides
      Poll.until(WAIT, "the done event", () -> phases(masterEvents).contains("done"));
      assertEquals(List.of("started", "synced", "psync-failover", "role-switched", "resynced", "done"),
          phases(masterEvents));
      JsonObject started = masterEvents.get(0);
      assertEquals("master", started.getString("side"));
      assertEquals("waiting-for-sync", started.getString("state"));
      assertEquals("127.0.0.1:" + replica.port(), started.getString("target"));
      assertEquals("failover-in-progress", masterEvents.get(1).getString("state"));
      assertEquals("no-failover", masterEvents.get(3).getString("state"));
      assertTrue(masterEvents.get(2).getString("detail").endsWith(" FAILOVER"), masterEvents.get(2).encode());
      Poll.until(WAIT, "the promoted event", () -> phases(replicaEvents).contains("promoted"));
      assertEquals("target", replicaEvents.get(0).getString("side"));

      // one trace: the failover's span and its phases, and the target's promotion
      Poll.until(WAIT, "the failover span", () -> named(spans, SpanNames.FAILOVER).size() == 1
          && named(spans, SpanNames.FAILOVER_PROMOTE).size() == 1);
      SpanData root = named(spans, SpanNames.FAILOVER).get(0);
      for (String phase : List.of(SpanNames.FAILOVER_WAIT_SYNC, SpanNames.FAILOVER_PSYNC,
          SpanNames.FAILOVER_ROLE_SWITCH, SpanNames.FAILOVER_RESYNC)) {
        List<SpanData> s = named(spans, phase);
        assertEquals(1, s.size(), phase);
        assertEquals(root.getSpanId(), s.get(0).getParentSpanId(), phase + " is a child of " + SpanNames.FAILOVER);
        assertEquals(root.getTraceId(), s.get(0).getTraceId());
      }
      // the old master's link to the target, and the target's promotion, are in the failover's trace too
      List<SpanData> promote = named(spans, SpanNames.FAILOVER_PROMOTE);
      assertEquals(1, promote.size());
      assertEquals(root.getTraceId(), promote.get(0).getTraceId(), "the target's promotion joins the trace");
      SpanData psync = named(spans, SpanNames.FAILOVER_PSYNC).get(0);
      assertTrue(named(spans, SpanNames.SYNC).stream().anyMatch(x -> x.getParentSpanId().equals(psync.getSpanId())),
          "the link's attempt is a child of the psync phase");

      // the meters of the node that ran it
      PrometheusMeterRegistry registry = Metrics.registry(master.vertx());
      assertEquals(1.0, registry.get("vireo.failover").tag("outcome", "done").counter().count());
      assertEquals(0.0, registry.get("vireo.failover").tag("outcome", "aborted").counter().count());
      assertEquals(1, registry.get("vireo.failover.pause").timer().count());
      String scrape = registry.scrape();
      assertTrue(scrape.contains("vireo_failover_total{outcome=\"done\"} 1.0"), scrape);
      assertTrue(scrape.contains("vireo_failover_pause_seconds_count 1"), scrape);
    }
  }

  /**
   * The aborts of a Vireo master, seen in its events, spans and meters: the timeout passing while its Redis replica
   * is stopped, then the target refusing {@code PSYNC ... FAILOVER} (a Redis whose default user may not run PSYNC,
   * as in Redis's own failover test): the node is a master again, under a new replication id that its replica
   * continues, and the write held meanwhile goes through.
   */
  @Test
  void abortsAreVisibleAndRestoreTheMaster() {
    try (SpanCapture spans = SpanCapture.install();
        TestNode master = TestNode.start(NO_DELAY, "0");
        RedisServerProcess replica = RedisServerProcess.start("--replicaof", "127.0.0.1", "" + master.port(), DEBUG,
            "yes")) {
      RespClient m = master.client();
      RespClient r = replica.client();
      Replicas.awaitLinkUp(r);
      awaitOnline(m);
      List<JsonObject> events = events(master.vertx());
      String rp = Integer.toString(replica.port());
      Signals.send("STOP", replica.pid());
      try {
        m.call("SET", "a", "1");
        assertEquals("+OK\r\n", m.call("FAILOVER", "TO", "127.0.0.1", rp, "TIMEOUT", "200"));
        Poll.until(WAIT, "the timeout", () -> phases(events).contains("aborted"));
      } finally {
        Signals.send("CONT", replica.pid());
      }
      assertEquals(List.of("started", "aborted"), phases(events));
      assertEquals("Replica never caught up before timeout", events.get(1).getString("error"));
      assertEquals("master", InfoFields.get(m, "role"));
      Replicas.awaitSameDigest(m, r);

      events.clear();
      String replId = InfoFields.get(m, "master_replid");
      assertEquals("+OK\r\n", r.call("ACL", "SETUSER", "default", "-psync"));
      RespClient held = master.client();
      // in one write, so that the pause holds the SET: once the node follows the target, a write gets -READONLY at
      // once (Redis checks that before the pause)
      byte[] failover = RespClient.encodeCommand("FAILOVER", "TO", "127.0.0.1", rp);
      byte[] set = RespClient.encodeCommand("SET", "held", "1");
      byte[] both = new byte[failover.length + set.length];
      System.arraycopy(failover, 0, both, 0, failover.length);
      System.arraycopy(set, 0, both, failover.length, set.length);
      held.sendRaw(both);
      assertEquals("+OK\r\n", held.readReply());
      Poll.until(WAIT, "the refusal", () -> phases(events).contains("aborted"));
      assertEquals(List.of("started", "synced", "psync-failover", "aborted"), phases(events));
      assertEquals("Failover target rejected psync request", events.get(3).getString("error"));
      assertTrue(events.get(3).getString("detail").startsWith("-NOPERM"), events.get(3).encode());
      assertEquals("+OK\r\n", held.readReply());
      assertEquals("master", InfoFields.get(m, "role"));
      assertEquals("no-failover", InfoFields.get(m, "master_failover_state"));
      assertEquals(replId, InfoFields.get(m, "master_replid2"), "a new history that continues the old one");
      assertEquals("+OK\r\n", r.call("ACL", "SETUSER", "default", "+psync"));
      Replicas.awaitSameDigest(m, r);
      assertEquals("1", InfoFields.get(m, "sync_full"), "only the replica's first sync was full");

      List<SpanData> roots = named(spans, SpanNames.FAILOVER);
      assertEquals(2, roots.size());
      for (SpanData root : roots) assertEquals(StatusCode.ERROR, root.getStatus().getStatusCode());
      PrometheusMeterRegistry registry = Metrics.registry(master.vertx());
      Poll.until(WAIT, "the meters", () -> registry.get("vireo.failover").tag("outcome", "aborted").counter()
          .count() == 2.0);
      assertEquals(2, registry.get("vireo.failover.pause").timer().count());
      assertEquals(0.0, registry.get("vireo.failover").tag("outcome", "done").counter().count());
    }
  }

  /**
   * FORCE with a Vireo target that is behind (a CLIENT PAUSE WRITE on it holds its master's stream): at the timeout
   * the master hands over anyway; the target, which cannot continue from the master's offset, answers
   * {@code +FULLRESYNC}, which ends the failover too, and the old master takes the target's dataset, as with Redis.
   */
  @Test
  void forcedFailoverToATargetBehindEndsInAFullResync() {
    try (TestNode master = TestNode.start(NO_DELAY, "0");
        TestNode replica = TestNode.start("--replicaof", "127.0.0.1 " + master.port(), NO_DELAY, "0")) {
      RespClient m = master.client();
      RespClient r = replica.client();
      Replicas.awaitLinkUp(r);
      awaitOnline(m);
      List<JsonObject> events = events(master.vertx());
      m.call("SET", "before", "1");
      Replicas.awaitSameDigest(m, r);
      assertEquals("+OK\r\n", r.call("CLIENT", "PAUSE", "60000", "WRITE"));
      m.call("SET", "lost", "1"); // never applied by the target
      assertEquals("+OK\r\n", m.call("FAILOVER", "TO", "127.0.0.1", Integer.toString(replica.port()), "TIMEOUT",
          "200", "FORCE"));
      Poll.until(WAIT, "the failover to end", () -> phases(events).contains("done"));
      assertEquals(List.of("started", "forced", "psync-failover", "role-switched", "resynced", "done"),
          phases(events));
      assertTrue(events.get(3).getString("detail").startsWith("+FULLRESYNC"), events.get(3).encode());
      assertTrue(events.get(4).getString("detail").startsWith("full resynchronization"), events.get(4).encode());
      assertEquals("master", InfoFields.get(r, "role"));
      assertEquals("slave", InfoFields.get(m, "role"));
      assertEquals("+OK\r\n", r.call("CLIENT", "UNPAUSE"));
      assertEquals("$-1\r\n", r.call("GET", "lost"), "FORCE went on without the write the target never applied");
      assertEquals("$1\r\n1\r\n", m.call("GET", "before"));
      Replicas.awaitSameDigest(r, m);
      assertEquals(1.0, Metrics.registry(master.vertx()).get("vireo.failover").tag("outcome", "forced").counter()
          .count());
    }
  }

  /** SET then WAIT 1 0 until stopped; a key whose WAIT counted a replica is acknowledged. */
  private static void write(int port, int id, Set<String> acknowledged, AtomicBoolean stop) {
    try (RespClient c = new RespClient(port)) {
      for (int i = 0; !stop.get(); i++) {
        String key = "w" + id + ":" + i;
        if (!c.call("SET", key, "v" + i).equals("+OK\r\n")) return; // READONLY: the node is a replica now
        if (c.call("WAIT", "1", "0").startsWith(":1")) acknowledged.add(key);
        else return;
      }
    } catch (UncheckedIOException e) {
      // the node closed the connection of a client blocked in WAIT when it became a replica, as Redis does
    }
  }

  @Test
  void vireoMasterHandsOverToRedisReplicaAndRedisMasterToVireoReplica() {
    // a Vireo master, a real Redis replica: FAILOVER with no target picks it
    try (TestNode master = TestNode.start(NO_DELAY, "0");
        RedisServerProcess replica = RedisServerProcess.start("--replicaof", "127.0.0.1", "" + master.port(), DEBUG,
            "yes", NO_DELAY, "0")) {
      RespClient m = master.client();
      RespClient r = replica.client();
      Replicas.awaitLinkUp(r);
      awaitOnline(m);
      for (int i = 0; i < 100; i++) m.call("SET", "k" + i, "v" + i);
      assertEquals("+OK\r\n", m.call("FAILOVER"));
      Poll.until(WAIT, "Redis to become the master", () -> InfoFields.get(r, "role").equals("master"));
      Poll.until(WAIT, "the Vireo node to follow it", () -> "up".equals(InfoFields.get(m, "master_link_status")));
      assertEquals("no-failover", InfoFields.get(m, "master_failover_state"));
      assertEquals("0", InfoFields.get(r, "sync_full"), "Redis served no full resynchronization");
      assertEquals("1", InfoFields.get(r, "sync_partial_ok"));
      r.call("SET", "after", "x");
      Replicas.awaitSameDigest(r, m);
    }
    // a real Redis master, a Vireo replica: the Vireo node answers PSYNC ... FAILOVER by becoming the master
    try (RedisServerProcess master = RedisServerProcess.start(DEBUG, "yes", NO_DELAY, "0");
        TestNode replica = TestNode.start("--replicaof", "127.0.0.1 " + master.port(), NO_DELAY, "0")) {
      RespClient m = master.client();
      RespClient r = replica.client();
      Replicas.awaitLinkUp(r);
      awaitOnline(m);
      List<JsonObject> events = events(replica.vertx());
      // as a Redis 7.0.15 replica answers
      assertEquals("-ERR FAILOVER is not valid when server is a replica.\r\n",
          r.call("FAILOVER", "TO", "127.0.0.1", Integer.toString(master.port())));
      assertEquals("-ERR PSYNC FAILOVER replid must match my replid.\r\n",
          r.call("PSYNC", "0123456789012345678901234567890123456789", "5", "FAILOVER"));
      assertEquals("slave", InfoFields.get(r, "role"), "a refused PSYNC FAILOVER leaves the replica as it was");
      for (int i = 0; i < 100; i++) m.call("SET", "k" + i, "v" + i);
      assertEquals("+OK\r\n", m.call("FAILOVER", "TO", "127.0.0.1", Integer.toString(replica.port())));
      Poll.until(WAIT, "the failover to end", () -> InfoFields.get(m, "master_failover_state").equals("no-failover"));
      Poll.until(WAIT, "Redis to follow the Vireo node", () -> "up".equals(InfoFields.get(m, "master_link_status")));
      assertEquals("master", InfoFields.get(r, "role"));
      assertEquals("0", InfoFields.get(r, "sync_full"));
      assertEquals("1", InfoFields.get(r, "sync_partial_ok"));
      assertEquals("slave", InfoFields.get(m, "role"));
      Poll.until(WAIT, "the promoted event", () -> phases(events).contains("promoted"));
      r.call("SET", "after", "x");
      Replicas.awaitSameDigest(r, m);
    }
  }

  /**
   * The same sequence against a Redis master and a Vireo master, each with a real Redis replica: every reply, and
   * the state and role after each step, must be equal. Covers each error FAILOVER, REPLICAOF and PSYNC answer, ABORT,
   * TIMEOUT without FORCE (the replica, stopped, never catches up), and TIMEOUT with FORCE.
   */
  @Test
  void errorsTimeoutForceAndAbortAsRedis() {
    Map<String, List<String>> seen = new LinkedHashMap<>();
    for (String kind : List.of("redis", "vireo")) {
      try (AnyServer master = AnyServer.start(kind, DEBUG, "yes", NO_DELAY, "0");
          RedisServerProcess replica = RedisServerProcess.start("--replicaof", "127.0.0.1", "" + master.port(), DEBUG,
            "yes", NO_DELAY, "0");
          AnyServer lone = AnyServer.start(kind)) {
        seen.put(kind, script(master, replica, lone));
      }
    }
    assertEquals(seen.get("redis"), seen.get("vireo"));
  }

  private static List<String> script(AnyServer master, RedisServerProcess replica, AnyServer lone) {
    List<String> out = new ArrayList<>();
    RespClient m = master.client();
    RespClient r = replica.client();
    RespClient held = master.client();
    Replicas.awaitLinkUp(r);
    awaitOnline(m);
    String rp = Integer.toString(replica.port());
    String[][] refused = {
        {"FAILOVER", "ABORT"}, {"FAILOVER", "TIMEOUT", "0"}, {"FAILOVER", "TIMEOUT", "-1"},
        {"FAILOVER", "TIMEOUT", "abc"}, {"FAILOVER", "TO", "127.0.0.1", "abc"}, {"FAILOVER", "TO", "127.0.0.1"},
        {"FAILOVER", "FORCE"}, {"FAILOVER", "FORCE", "TIMEOUT", "100"}, {"FAILOVER", "TO", "127.0.0.1", rp, "FORCE"},
        {"FAILOVER", "TIMEOUT", "5", "TIMEOUT", "6"}, {"FAILOVER", "ABORT", "TIMEOUT", "5"}, {"FAILOVER", "foo"},
        {"FAILOVER", "TO", "127.0.0.1", "1"}, {"FAILOVER", "TO", "localhost", rp},
        {"FAILOVER", "TO", "127.0.0.1", rp, "FORCE", "FORCE"},
        {"PSYNC", "0123456789012345678901234567890123456789", "5", "FAILOVER"},
    };
    for (String[] cmd : refused) out.add(String.join(" ", cmd).replace(rp, "<replica>") + " -> " + m.call(cmd));
    out.add("lone: " + lone.client().call("FAILOVER"));
    out.add("lone PSYNC FAILOVER: " + lone.client().call("PSYNC", "?", "-1", "FAILOVER"));

    // the replica, stopped, never catches up: the master waits, writes held, until ABORT or the timeout
    Signals.send("STOP", replica.pid());
    try {
      out.add("set: " + m.call("SET", "case", "1"));
      out.add("long: " + m.call("FAILOVER", "TO", "127.0.0.1", rp, "TIMEOUT", "60000"));
      out.add("state: " + InfoFields.get(m, "master_failover_state"));
      out.add("again: " + m.call("FAILOVER"));
      out.add("replicaof: " + m.call("REPLICAOF", "127.0.0.1", "1"));
      out.add("replicaof no one: " + m.call("REPLICAOF", "NO", "ONE"));
      out.add("sync: " + m.call("PSYNC", "?", "-1"));
      out.add("read: " + m.call("GET", "case"));
      held.sendRaw(RespClient.encodeCommand("SET", "held", "1"));
      out.add("write answered during the wait: " + repliesWithin(held, 150));
      out.add("abort: " + m.call("FAILOVER", "ABORT"));
      out.add("held write after the abort: " + held.readReply());
      out.add("state: " + InfoFields.get(m, "master_failover_state"));

      // TIMEOUT without FORCE aborts
      out.add("timeout: " + m.call("FAILOVER", "TO", "127.0.0.1", rp, "TIMEOUT", "300"));
      held.sendRaw(RespClient.encodeCommand("SET", "held", "2"));
      Poll.until(WAIT, "the timeout", () -> InfoFields.get(m, "master_failover_state").equals("no-failover"));
      out.add("held write after the timeout: " + held.readReply());
      out.add("role: " + InfoFields.get(m, "role"));

      // FORCE: at the timeout the master hands over anyway, and waits for the target to answer
      out.add("force: " + m.call("FAILOVER", "TO", "127.0.0.1", rp, "TIMEOUT", "100", "FORCE"));
      Poll.until(WAIT, "the forced switch",
          () -> InfoFields.get(m, "master_failover_state").equals("failover-in-progress"));
      out.add("role while in progress: " + InfoFields.get(m, "role"));
    } finally {
      Signals.send("CONT", replica.pid());
    }
    Poll.until(WAIT, "the forced failover to end",
        () -> InfoFields.get(m, "master_failover_state").equals("no-failover"));
    Poll.until(WAIT, "the old master to follow", () -> "up".equals(InfoFields.get(m, "master_link_status")));
    out.add("roles: " + InfoFields.get(m, "role") + " " + InfoFields.get(r, "role"));
    out.add("held is now on a replica: " + held.call("SET", "x", "1"));
    Replicas.awaitSameDigest(r, m);
    return out;
  }

  /** The master counts its replica online (the replica's own link status may say up a little earlier). */
  private static void awaitOnline(RespClient master) {
    Poll.until(WAIT, "the replica online on the master",
        () -> master.call("INFO", "replication").contains("state=online"));
  }

  private static List<JsonObject> events(Vertx vertx) {
    List<JsonObject> seen = new CopyOnWriteArrayList<>();
    TestNode.await(vertx.eventBus().<JsonObject>consumer(Addresses.REPLICATION_FAILOVER, m -> seen.add(m.body()))
        .completion(), Duration.ofSeconds(5), "the event consumer");
    return seen;
  }

  private static List<String> phases(List<JsonObject> events) {
    return events.stream().map(e -> e.getString("phase")).collect(Collectors.toList());
  }

  private static List<SpanData> named(SpanCapture spans, String name) {
    return spans.exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name))
        .collect(Collectors.toList());
  }

  /** Whether a reply comes within {@code millis}: a held command gets none. */
  private static boolean repliesWithin(RespClient c, long millis) {
    Duration before = c.readTimeout();
    c.readTimeout(Duration.ofMillis(millis));
    try {
      c.readReply();
      return true;
    } catch (UncheckedIOException e) {
      return false;
    } finally {
      c.readTimeout(before);
    }
  }
}
