package dev.vireo.observability.metrics;

import dev.vireo.util.InfoText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.observability.metrics.RedisInfoMetrics.InfoSeries;
import dev.vireo.observability.metrics.RedisInfoMetrics.Kind;
import dev.vireo.observability.metrics.RedisInfoMetrics.Series;
import dev.vireo.observability.metrics.RedisInfoMetrics.Snapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The INFO text to series mapping, over INFO texts taken from real Redis 7.0.15 servers: a master with two online
 * replicas ({@code slave0}, {@code slave1}) and one of those replicas. The files are {@code redis-cli INFO
 * everything} output, CRLF line ends included.
 */
class RedisInfoMetricsTest {
  private static final long NOW = 1_800_000_000_000L;

  private static String resource(String name) throws IOException {
    try (InputStream in = RedisInfoMetricsTest.class.getResourceAsStream(name)) {
      assertNotNull(in, name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Snapshot masterSnapshot() throws IOException {
    return RedisInfoMetrics.from(InfoText.parse(resource("redis-7.0.15-master-info-everything.txt")), NOW);
  }

  private static Series one(Snapshot s, String name, Map<String, String> labels) {
    List<Series> found = s.series().stream()
        .filter(x -> x.name().equals(name) && x.labels().equals(labels)).toList();
    assertEquals(1, found.size(), name + labels + " in " + s.series());
    return found.get(0);
  }

  private static boolean has(Snapshot s, String name) {
    return s.series().stream().anyMatch(x -> x.name().equals(name));
  }

  private static Map<String, String> slave(String port) {
    return Map.of("slave_ip", "127.0.0.1", "slave_port", port, "slave_state", "online");
  }

  @Test
  void slaveLinesOfARealMasterBecomeOffsetAndLagPerReplica() throws IOException {
    Snapshot s = masterSnapshot();
    // slave0:ip=127.0.0.1,port=27112,state=online,offset=171,lag=0 (and slave1 on 27113)
    for (String port : List.of("27112", "27113")) {
      Series offset = one(s, "redis_connected_slave_offset_bytes", slave(port));
      assertEquals(171.0, offset.value());
      assertEquals(Kind.GAUGE, offset.kind());
      assertEquals(0.0, one(s, "redis_connected_slave_lag_seconds", slave(port)).value());
      Map<String, String> replica = Map.of("replica", "127.0.0.1:" + port);
      assertEquals(0.0, one(s, "vireo_replica_lag_bytes", replica).value(), "master_repl_offset is 171 too");
      assertEquals(0.0, one(s, "vireo_replica_ack_lag_milliseconds", replica).value());
    }
    assertEquals(2, s.series().stream().filter(x -> x.name().equals("redis_connected_slave_offset_bytes")).count());
    assertEquals(2.0, one(s, "redis_connected_slaves", Map.of()).value());
    assertEquals(171.0, one(s, "redis_master_repl_offset", Map.of()).value());
    assertEquals(2.0, one(s, "redis_replica_resyncs_full", Map.of()).value(), "sync_full:2");
    assertEquals(0.0, one(s, "redis_replica_partial_resync_accepted", Map.of()).value());
  }

  @Test
  void aMasterHasNoReplicaSideSeries() throws IOException {
    Snapshot s = masterSnapshot();
    for (String name : List.of("redis_master_link_up", "redis_master_last_io_seconds_ago",
        "redis_master_sync_in_progress", "redis_slave_repl_offset", "vireo_replication_sync_progress_ratio")) {
      assertFalse(has(s, name), name);
    }
    assertEquals(List.of("redis_instance"), s.infos().stream().map(InfoSeries::baseName).toList());
  }

  @Test
  void instanceInfoCarriesRoleVersionAndIdentity() throws IOException {
    InfoSeries info = masterSnapshot().infos().get(0);
    assertEquals(List.of("role", "redis_version", "redis_build_id", "redis_mode", "os", "maxmemory_policy",
        "tcp_port", "run_id", "process_id", "master_replid"), List.copyOf(info.labels().keySet()));
    assertEquals("master", info.labels().get("role"));
    assertEquals("7.0.15", info.labels().get("redis_version"));
    assertEquals("standalone", info.labels().get("redis_mode"));
    assertEquals("27111", info.labels().get("tcp_port"));
    assertEquals("0376799be497022161b180ccd45f7c2817a24c87", info.labels().get("master_replid"));
  }

  @Test
  void commandStatsKeyspaceAndCounters() throws IOException {
    Snapshot s = masterSnapshot();
    // cmdstat_psync:calls=2,usec=85,usec_per_call=42.50,rejected_calls=0,failed_calls=0
    Series calls = one(s, "redis_commands_total", Map.of("cmd", "psync"));
    assertEquals(2.0, calls.value());
    assertEquals(Kind.COUNTER, calls.kind());
    assertEquals(85e-6, one(s, "redis_commands_duration_seconds_total", Map.of("cmd", "psync")).value(), 1e-12);
    assertEquals(23.0, one(s, "redis_commands_total", Map.of("cmd", "replconf")).value());
    assertFalse(s.series().stream().anyMatch(x -> x.labels().getOrDefault("cmd", "").startsWith("cmdstat")));
    // db0:keys=3,expires=1,avg_ttl=91998
    assertEquals(3.0, one(s, "redis_db_keys", Map.of("db", "db0")).value());
    assertEquals(1.0, one(s, "redis_db_keys_expiring", Map.of("db", "db0")).value());
    assertEquals(91.998, one(s, "redis_db_avg_ttl_seconds", Map.of("db", "db0")).value(), 1e-9);
    assertEquals(1.0, one(s, "redis_up", Map.of()).value());
    assertEquals(Kind.COUNTER, one(s, "redis_commands_processed_total", Map.of()).kind());
    assertEquals(Kind.COUNTER, one(s, "redis_keyspace_hits_total", Map.of()).kind());
    assertEquals(Kind.COUNTER, one(s, "redis_net_input_bytes_total", Map.of()).kind());
    assertEquals(Kind.GAUGE, one(s, "redis_memory_used_bytes", Map.of()).kind());
    assertEquals(1.0, one(s, "redis_rdb_last_bgsave_status", Map.of()).value(), "ok counts as 1");
    double uptime = one(s, "redis_uptime_in_seconds", Map.of()).value();
    assertEquals(NOW / 1000 - uptime, one(s, "redis_start_time_seconds", Map.of()).value());
  }

  @Test
  void aRealReplicaCarriesItsMasterAsLabels() throws IOException {
    Snapshot s = RedisInfoMetrics.from(InfoText.parse(resource("redis-7.0.15-replica-info-everything.txt")), NOW);
    Map<String, String> master = Map.of("master_host", "127.0.0.1", "master_port", "27111");
    assertEquals(1.0, one(s, "redis_master_link_up", master).value());
    assertEquals(0.0, one(s, "redis_master_sync_in_progress", master).value());
    assertEquals(171.0, one(s, "redis_slave_repl_offset", master).value());
    assertTrue(has(s, "redis_master_last_io_seconds_ago"));
    assertEquals(1.0, one(s, "vireo_replication_sync_progress_ratio", Map.of()).value(), "the link is up");
    InfoSeries slaveInfo = s.infos().stream().filter(i -> i.baseName().equals("redis_slave")).findFirst()
        .orElseThrow();
    assertEquals(Map.of("master_host", "127.0.0.1", "master_port", "27111", "read_only", "1"), slaveInfo.labels());
    assertFalse(has(s, "redis_connected_slave_offset_bytes"));
  }

  @Test
  void aFullSyncInProgressReportsItsShareReceived() {
    String info = "# Replication\r\nrole:slave\r\nmaster_host:10.0.0.5\r\nmaster_port:6379\r\n"
        + "master_link_status:down\r\nmaster_last_io_seconds_ago:-1\r\nmaster_sync_in_progress:1\r\n"
        + "slave_read_repl_offset:0\r\nslave_repl_offset:0\r\nmaster_sync_total_bytes:4000\r\n"
        + "master_sync_read_bytes:1000\r\nmaster_sync_left_bytes:3000\r\nmaster_sync_perc:25.00\r\n";
    Snapshot s = RedisInfoMetrics.from(InfoText.parse(info), NOW);
    assertEquals(0.25, one(s, "vireo_replication_sync_progress_ratio", Map.of()).value());
    assertEquals(1000.0, one(s, "vireo_replication_sync_read_bytes", Map.of()).value());
    assertEquals(4000.0, one(s, "vireo_replication_sync_total_bytes", Map.of()).value());
    Map<String, String> master = Map.of("master_host", "10.0.0.5", "master_port", "6379");
    assertEquals(0.0, one(s, "redis_master_link_up", master).value());
    assertEquals(1.0, one(s, "redis_master_sync_in_progress", master).value());
  }

  @Test
  void slaveLinesWithoutLagOrMalformedAreHandled() {
    String info = "# Replication\nrole:master\nconnected_slaves:3\n"
        + "slave0:ip=10.1.1.1,port=6380,state=online,offset=90\n" // before Redis 3.0: no lag
        + "slave1:garbage\n"
        + "slave2:ip=10.1.1.2,port=6381,state=wait_bgsave,offset=x,lag=1\n"
        + "slave_read_only:1\n"
        + "master_repl_offset:100\n";
    Snapshot s = RedisInfoMetrics.from(InfoText.parse(info), NOW);
    Map<String, String> labels = Map.of("slave_ip", "10.1.1.1", "slave_port", "6380", "slave_state", "online");
    assertEquals(90.0, one(s, "redis_connected_slave_offset_bytes", labels).value());
    assertFalse(has(s, "redis_connected_slave_lag_seconds"));
    assertEquals(10.0, one(s, "vireo_replica_lag_bytes", Map.of("replica", "10.1.1.1:6380")).value());
    assertFalse(has(s, "vireo_replica_ack_lag_milliseconds"));
    assertEquals(1, s.series().stream().filter(x -> x.name().equals("redis_connected_slave_offset_bytes")).count());
    assertFalse(has(s, "redis_slave_read_only"), "slave_read_only is not a slaveN line and not exported");
  }

  @Test
  void theLagInMillisecondsIsInfosSecondsTimesAThousand() {
    String info = "# Replication\r\nrole:master\r\nconnected_slaves:1\r\n"
        + "slave0:ip=127.0.0.1,port=7001,state=online,offset=50,lag=3\r\nmaster_repl_offset:80\r\n";
    Snapshot s = RedisInfoMetrics.from(InfoText.parse(info), NOW);
    assertEquals(3000.0, one(s, "vireo_replica_ack_lag_milliseconds", Map.of("replica", "127.0.0.1:7001")).value());
    assertEquals(30.0, one(s, "vireo_replica_lag_bytes", Map.of("replica", "127.0.0.1:7001")).value());
    assertEquals(3.0, one(s, "redis_connected_slave_lag_seconds", Map.of("slave_ip", "127.0.0.1",
        "slave_port", "7001", "slave_state", "online")).value());
  }

  @Test
  void pairsAndNumbers() {
    assertEquals(Map.of("a", "1", "b", "x=y"), InfoText.pairs("a=1,b=x=y"));
    assertNull(InfoText.pairs("a=1,b"));
    assertEquals(1.0, InfoText.number("up"));
    assertEquals(0.0, InfoText.number("err"));
    assertEquals(-1.0, InfoText.number("-1"));
    assertNull(InfoText.number("7.0.15"));
    assertNull(InfoText.number(null));
  }
}
