package dev.vireo.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.FreePort;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Matrix;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RespClient;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What Redis Sentinel reads from INFO (sentinel.c, sentinelRefreshInstanceInfo), across kinds of master and
 * replica: the master's {@code slaveN:ip=,port=,state=,offset=,lag=} lines, built from the replica's {@code REPLCONF
 * listening-port} and {@code ip-address} ({@code replica-announce-port} and {@code -ip}); the replica's
 * {@code role}, {@code master_host}, {@code master_port}, {@code master_link_status}, {@code slave_priority}
 * ({@code replica-priority}), {@code slave_repl_offset}, {@code replica_announced}, in Redis's order; a 40-character
 * {@code run_id}; and {@code master_link_down_since_seconds} around REPLICAOF, as Redis 7.0.15 counts it: leaving a
 * live link starts the count, a link already down keeps its start, REPLICAOF NO ONE clears it (-1).
 */
@Timeout(60)
class SentinelInfoFieldsIT {
  /** The replica's INFO replication field names, as a Redis 7.0.15 replica with its link up lists them. */
  private static final List<String> REPLICA_FIELDS = List.of("role", "master_host", "master_port",
      "master_link_status", "master_last_io_seconds_ago", "master_sync_in_progress", "slave_read_repl_offset",
      "slave_repl_offset", "slave_priority", "slave_read_only", "replica_announced", "connected_slaves",
      "master_failover_state", "master_replid", "master_replid2", "master_repl_offset", "second_repl_offset",
      "repl_backlog_active", "repl_backlog_size", "repl_backlog_first_byte_offset", "repl_backlog_histlen");

  static Stream<Arguments> kinds() {
    return Matrix.rows("*vireo, vireo", "*vireo, redis", "*redis, vireo", "*redis, redis");
  }

  @ParameterizedTest(name = "master {0}, replica {1}")
  @MethodSource("kinds")
  void sentinelReadsWhatItNeeds(String masterKind, String replicaKind) {
    try (AnyServer m = AnyServer.start(masterKind, "--repl-diskless-sync-delay", "0");
        AnyServer r = AnyServer.start(replicaKind, "--replica-priority", "7", "--replica-announce-ip", "10.0.0.7",
            "--replica-announce-port", "4242", "--replica-announced", "no");
        RespClient mc = m.client();
        RespClient rc = r.client()) {
      String master = Integer.toString(m.port());
      assertEquals("+OK\r\n", rc.call("REPLICAOF", "127.0.0.1", master));
      Poll.until(Poll.WAIT, "link up", () -> "up".equals(InfoFields.get(rc, "master_link_status")),
          () -> rc.call("INFO", "replication"));

      // the master lists the replica where it says it can be reached
      Poll.until(Poll.WAIT, "slave0 online", () -> {
        String line = InfoFields.get(mc.call("INFO", "replication"), "slave0");
        return line != null && line.matches("ip=10\\.0\\.0\\.7,port=4242,state=online,offset=\\d+,lag=\\d+");
      }, () -> mc.call("INFO", "replication"));

      String info = rc.call("INFO", "replication");
      assertEquals(REPLICA_FIELDS, names(info), info);
      assertEquals("slave", InfoFields.get(info, "role"));
      assertEquals("127.0.0.1", InfoFields.get(info, "master_host"));
      assertEquals(master, InfoFields.get(info, "master_port"));
      assertEquals("7", InfoFields.get(info, "slave_priority"));
      assertEquals("0", InfoFields.get(info, "replica_announced"));
      assertTrue(InfoFields.get(info, "slave_repl_offset").matches("\\d+"), info);
      assertNull(InfoFields.get(info, "master_link_down_since_seconds"), info);
      assertTrue(InfoFields.get(rc.call("INFO", "server"), "run_id").matches("[0-9a-f]{40}"));

      // leaving a live link for a master that does not answer: down since now
      assertEquals("+OK\r\n", rc.call("REPLICAOF", "127.0.0.1", Integer.toString(FreePort.get())));
      assertDownSince(rc, "\\d+");
      // leaving a link already down: the same start
      assertEquals("+OK\r\n", rc.call("REPLICAOF", "127.0.0.1", Integer.toString(FreePort.get())));
      assertDownSince(rc, "\\d+");
      // from a master: never up
      assertEquals("+OK\r\n", rc.call("REPLICAOF", "NO", "ONE"));
      assertEquals("+OK\r\n", rc.call("REPLICAOF", "127.0.0.1", Integer.toString(FreePort.get())));
      assertDownSince(rc, "-1");
    }
  }

  private static void assertDownSince(RespClient rc, String pattern) {
    String info = rc.call("INFO", "replication");
    assertEquals("down", InfoFields.get(info, "master_link_status"), info);
    String since = InfoFields.get(info, "master_link_down_since_seconds");
    assertTrue(since != null && since.matches(pattern), info);
  }

  private static List<String> names(String info) {
    List<String> names = new ArrayList<>();
    for (String line : info.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#") && !line.startsWith("$")) names.add(line.substring(0, colon));
    }
    return names;
  }
}
