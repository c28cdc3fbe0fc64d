package dev.vireo.observability.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.bus.Addresses;
import dev.vireo.testkit.Http;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /metrics} of live nodes over real HTTP: redis_exporter's series from INFO, Vireo's replication meters
 * driven by real handshakes against a real Redis 7.0 master, Vert.x's own meters, no password needed or shown.
 */
@Timeout(120)
class MetricsEndpointIT {
  static final Duration WAIT = Duration.ofSeconds(20);

  static double count(Scrape s, String timer, Map<String, String> labels) {
    return s.value(timer + "_count", labels).orElseThrow(() -> new AssertionError(timer + labels + " missing"));
  }

  @Test
  void prometheusTextWithRedisExporterVertxAndVireoSeries() {
    try (TestNode n = Http.node(); RespClient c = n.client()) {
      for (int i = 0; i < 3; i++) c.call("SET", "k" + i, "v");
      c.call("SELECT", "3");
      c.call("SET", "other", "v");
      c.call("EXPIRE", "other", "1000");
      c.call("GET", "other");
      c.call("CONFIG", "GET", "port");

      Scrape s = Scrape.of(n.httpPort());
      assertEquals(200, s.status());
      assertTrue(s.contentType().startsWith("text/plain; version=0.0.4"), s.contentType());
      assertEquals(Optional.of(1.0), s.value("redis_up"));
      assertEquals(Optional.of(3.0), s.value("redis_db_keys", Map.of("db", "db0")));
      assertEquals(Optional.of(1.0), s.value("redis_db_keys", Map.of("db", "db3")));
      assertEquals(Optional.of(1.0), s.value("redis_db_keys_expiring", Map.of("db", "db3")));
      assertEquals(Optional.of(0.0), s.value("redis_db_keys_expiring", Map.of("db", "db0")));
      assertEquals(Optional.of(4.0), s.value("redis_commands_total", Map.of("cmd", "set")));
      assertEquals(Optional.of(1.0), s.value("redis_commands_total", Map.of("cmd", "config|get")));
      assertEquals(Optional.of(1.0), s.value("redis_keyspace_hits_total"));
      assertEquals(Optional.of(1.0), s.value("redis_connected_clients"), "the test's one connection");
      assertTrue(s.value("redis_commands_processed_total").orElseThrow() >= 7);
      assertTrue(s.body().contains("\n# TYPE redis_commands_total counter\n"), "counters typed as such");
      assertTrue(s.body().contains("\n# TYPE redis_connected_clients gauge\n"));
      assertEquals(Optional.of(1.0), s.value("redis_instance_info",
          Map.of("role", "master", "redis_version", "7.0.15", "tcp_port", Integer.toString(n.port()))));
      assertTrue(s.names().contains("redis_uptime_in_seconds"));
      assertTrue(s.names().contains("redis_memory_used_bytes"));
      assertTrue(s.names().contains("redis_net_input_bytes_total"));
      assertEquals(Optional.of(0.0), s.value("redis_connected_slaves"));
      assertFalse(s.names().contains("redis_master_link_up"), "a master has no link to a master");
      assertEquals(Optional.of(1.0), s.value("vireo_replication_state", Map.of("state", "NONE")));
      for (String step : ReplicationMeters.HANDSHAKE_STEPS) {
        assertEquals(0.0, count(s, "vireo_replication_handshake_step_seconds", Map.of("step", step)));
      }

      // Vert.x's own meters share the registry: the first scrape is counted by the next one
      Scrape next = Scrape.of(n.httpPort());
      assertTrue(next.names().stream().anyMatch(name -> name.startsWith("vertx_http_server_")), next.names()::toString);
      assertTrue(next.value("vertx_eventbus_handlers").orElseThrow() > 0);

      // a database emptied leaves no stale series behind
      c.call("FLUSHALL");
      Scrape after = Scrape.of(n.httpPort());
      assertFalse(after.names().contains("redis_db_keys"), after.body());
      assertEquals(Optional.of(1.0), after.value("redis_commands_total", Map.of("cmd", "flushall")));
    }
  }

  @Test
  void noPasswordIsAskedForNorShown() {
    String requirepass = "metrics-requirepass-7f3a";
    String masterauth = "metrics-masterauth-91c2";
    try (TestNode n = Http.node("--requirepass", requirepass, "--masterauth", masterauth);
        RespClient c = n.client()) {
      assertTrue(c.call("PING").startsWith("-NOAUTH"), "the RESP port wants the password");
      c.call("AUTH", requirepass);
      c.call("SET", "k", "v");
      Scrape s = Scrape.of(n.httpPort());
      assertEquals(200, s.status(), "no credentials sent, none needed");
      assertEquals(Optional.of(1.0), s.value("redis_db_keys", Map.of("db", "db0")));
      assertFalse(s.body().contains(requirepass), "requirepass never appears");
      assertFalse(s.body().contains(masterauth), "masterauth never appears");
    }
  }

  @Test
  void redisUpIsZeroWhileTheDataLoopDoesNotAnswer() {
    try (TestNode n = Http.node(); RespClient c = n.client(); RespClient sleeper = n.client()) {
      c.call("SET", "k", "v");
      assertEquals(Optional.of(1.0), Scrape.of(n.httpPort()).value("redis_up"));
      sleeper.sendRaw(RespClient.encodeCommand("DEBUG", "SLEEP", "5"));
      Poll.sleep(300);
      Scrape blocked = Scrape.of(n.httpPort());
      assertEquals(200, blocked.status());
      assertEquals(Optional.of(0.0), blocked.value("redis_up"));
      assertFalse(blocked.names().contains("redis_db_keys"), "no stale INFO series while the node is down");
      assertFalse(blocked.names().contains("redis_instance_info"));
      assertTrue(blocked.names().contains("vireo_replication_state"), "Vireo's own meters stay");
      assertEquals("+OK\r\n", sleeper.readReply());
      assertEquals(Optional.of(1.0), Scrape.of(n.httpPort()).value("redis_up"));
    }
  }

  @Test
  void aReplicaOfARealRedisMasterShowsTheLinkAndEachHandshakeStep() {
    String password = "master-pass-2b81";
    try (RedisServerProcess redis = RedisServerProcess.start("--requirepass", password,
            "--repl-diskless-sync-delay", "0");
        RespClient m = redis.client();
        TestNode n = Http.node("--masterauth", password);
        RespClient r = n.client()) {
      m.call("SET", "a", "1");
      String port = Integer.toString(redis.port());
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", port));
      Poll.until(WAIT, "the link up", () -> "up".equals(InfoFields.get(r, "master_link_status")));

      Map<String, String> master = Map.of("master_host", "127.0.0.1", "master_port", port);
      Scrape s = Scrape.until(n.httpPort(), "the full sync recorded",
          x -> x.value("vireo_replication_sync_seconds_count", Map.of("kind", "full")).orElse(0.0) == 1);
      assertEquals(Optional.of(1.0), s.value("redis_master_link_up", master));
      assertEquals(Optional.of(0.0), s.value("redis_master_sync_in_progress", master));
      assertTrue(s.value("redis_master_last_io_seconds_ago", master).orElseThrow() >= 0);
      assertEquals(Double.valueOf(InfoFields.get(r, "slave_repl_offset")),
          s.value("redis_slave_repl_offset", master).orElseThrow(), 200, "near the replica's own offset");
      assertEquals(Optional.of(1.0), s.value("redis_instance_info", Map.of("role", "slave")));
      assertEquals(Optional.of(1.0), s.value("redis_slave_info", Map.of("master_host", "127.0.0.1",
          "master_port", port, "read_only", "1")));
      assertEquals(Optional.of(1.0), s.value("redis_db_keys", Map.of("db", "db0")));
      assertEquals(Optional.of(1.0), s.value("vireo_replication_state", Map.of("state", "CONNECTED")));
      assertEquals(Optional.of(1.0), s.value("vireo_replication_sync_progress_ratio"));
      for (String step : List.of("connect", "ping", "auth", "replconf", "psync")) {
        assertEquals(1.0, count(s, "vireo_replication_handshake_step_seconds", Map.of("step", step)), step);
      }
      assertEquals(Optional.of(1.0), s.value("vireo_replication_handshake_step_seconds_bucket",
          Map.of("step", "psync", "le", "+Inf")));
      assertEquals(1.0, count(s, "vireo_replication_full_sync_seconds", Map.of()));
      assertEquals(0.0, count(s, "vireo_replication_sync_seconds", Map.of("kind", "partial")));
      assertFalse(s.body().contains(password));

      // the master drops the link: the replica reconnects and continues where it was
      m.call("SET", "b", "2");
      assertTrue(m.call("CLIENT", "KILL", "TYPE", "replica").startsWith(":1"));
      Scrape again = Scrape.until(n.httpPort(), "a partial resync",
          x -> x.value("vireo_replication_sync_seconds_count", Map.of("kind", "partial")).orElse(0.0) == 1);
      assertEquals(Optional.of(1.0), again.value("vireo_replication_sync_failures_total", Map.of("step", "link")));
      assertEquals(2.0, count(again, "vireo_replication_handshake_step_seconds", Map.of("step", "psync")));
      assertEquals(1.0, count(again, "vireo_replication_full_sync_seconds", Map.of()), "no second full sync");
    }
  }

  @Test
  void aWrongMasterauthCountsAsAFailureOfTheAuthStep() {
    try (RedisServerProcess redis = RedisServerProcess.start("--requirepass", "the-right-one");
        TestNode n = Http.node("--masterauth", "a-wrong-one");
        RespClient r = n.client()) {
      r.call("REPLICAOF", "127.0.0.1", Integer.toString(redis.port()));
      Scrape s = Scrape.until(n.httpPort(), "an auth failure", x -> x.value("vireo_replication_sync_failures_total",
          Map.of("step", "auth")).orElse(0.0) >= 1);
      assertEquals(Optional.of(0.0), s.value("vireo_replication_sync_failures_total", Map.of("step", "connect")));
      assertEquals(0.0, count(s, "vireo_replication_handshake_step_seconds", Map.of("step", "auth")),
          "a failed step is counted as a failure, not as a duration");
      assertEquals(Optional.of(0.0), s.value("vireo_replication_sync_progress_ratio"), "not in sync");
      assertFalse(s.body().contains("a-wrong-one"));
    }
  }

  /**
   * The master-side meters read the documented {@code vireo.replication.replicas} events. This feeds the node's
   * event bus events of that shape; the test below covers the same with a real replica once a Vireo master
   * serves replicas.
   */
  @Test
  void servedSyncMetersFollowTheMastersReplicaEvents() {
    try (TestNode n = Http.node()) {
      var bus = n.vertx().eventBus();
      JsonObject base = new JsonObject().put("replica", "127.0.0.1:7001").put("client_id", 9);
      bus.publish(Addresses.REPLICATION_REPLICAS, base.copy().put("event", "fullresync").put("offset", 0));
      bus.publish(Addresses.REPLICATION_REPLICAS, base.copy().put("event", "snapshot").put("bytes", 1200));
      bus.publish(Addresses.REPLICATION_REPLICAS, base.copy().put("event", "rdb_sent").put("bytes", 1234));
      bus.publish(Addresses.REPLICATION_REPLICAS, base.copy().put("event", "online").put("state", "online"));
      bus.publish(Addresses.REPLICATION_REPLICAS, base.copy().put("event", "continue").put("bytes", 56));
      Scrape s = Scrape.until(n.httpPort(), "the served sync meters",
          x -> x.value("vireo_replication_served_partial_sync_backlog_bytes_count").orElse(0.0) == 1);
      assertEquals(Optional.of(1.0), s.value("vireo_replication_served_full_sync_rdb_bytes_count"));
      assertEquals(Optional.of(1234.0), s.value("vireo_replication_served_full_sync_rdb_bytes_sum"));
      assertEquals(Optional.of(1.0), s.value("vireo_replication_served_full_sync_seconds_count"));
      assertEquals(Optional.of(56.0), s.value("vireo_replication_served_partial_sync_backlog_bytes_sum"));
    }
  }

  @Test
  void aVireoMasterShowsEachReplicasOffsetAndLagAndTheSyncsItServed() {
    try (ChainedNodes chain = ChainedNodes.start()) {
      for (TestNode[] pair : new TestNode[][] {{chain.master, chain.replica1}, {chain.replica1, chain.replica2}}) {
        TestNode upstream = pair[0];
        String replicaPort = Integer.toString(pair[1].port());
        Map<String, String> labels = Map.of("slave_ip", "127.0.0.1", "slave_port", replicaPort,
            "slave_state", "online");
        Scrape s = Scrape.until(upstream.httpPort(), "the replica online in INFO",
            x -> x.value("redis_connected_slave_offset_bytes", labels).isPresent()
                && x.value("vireo_replication_served_full_sync_seconds_count").orElse(0.0) >= 1);
        assertEquals(Optional.of(1.0), s.value("redis_connected_slaves"));
        assertTrue(s.value("redis_connected_slave_lag_seconds", labels).isPresent());
        Map<String, String> replicaLabel = Map.of("replica", "127.0.0.1:" + replicaPort);
        assertTrue(s.value("vireo_replica_lag_bytes", replicaLabel).orElseThrow() >= 0);
        assertTrue(s.value("vireo_replica_ack_lag_milliseconds", replicaLabel).orElseThrow() >= 0);
        assertTrue(s.value("redis_replica_resyncs_full").orElseThrow() >= 1);
        assertTrue(s.value("vireo_replication_served_full_sync_rdb_bytes_count").orElseThrow() >= 1);
        assertTrue(s.value("vireo_replication_served_full_sync_rdb_bytes_sum").orElseThrow() > 9,
            "an RDB has at least its header");
      }
      // the middle node is both: a replica of the master and the master of the last one
      Scrape middle = Scrape.of(chain.replica1.httpPort());
      assertEquals(Optional.of(1.0), middle.value("redis_instance_info", Map.of("role", "slave")));
      assertEquals(Optional.of(1.0), middle.value("redis_master_link_up",
          Map.of("master_port", Integer.toString(chain.master.port()))));
      assertEquals(1.0, count(middle, "vireo_replication_full_sync_seconds", Map.of()));
    }
  }
}
