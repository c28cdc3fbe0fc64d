package dev.vireo.replication.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RespClient;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A full synchronization made slow on purpose ({@code rdb-key-save-delay}), watched from both sides, with a
 * redis-server and a Vireo node as the master and as the replica: every expectation here was first seen on Redis
 * 7.0.15. While the master encodes the RDB for its replica, its INFO shows the RDB child ({@code
 * rdb_bgsave_in_progress:1}, the keys to save), SAVE and BGSAVE are refused as while any RDB child runs, the replica
 * waits in {@code wait_bgsave}, and the replica's ROLE says {@code sync}. {@code repl-diskless-sync-max-replicas}
 * starts a diskless transfer as soon as that many replicas wait, however long the delay.
 */
@Timeout(120)
class SlowSyncIT {
  private static final int KEYS = 1500;

  static Stream<Arguments> pairs() {
    return Stream.of("redis", "vireo").flatMap(m -> Stream.of("redis", "vireo")
        .flatMap(r -> Stream.of("yes", "no").map(d -> Arguments.of(m, r, d))));
  }

  private static String field(RespClient c, String section, String name) {
    return InfoFields.get(c.call("INFO", section), name);
  }

  private static String roleOf(int masterPort, String state, long offset) {
    return "*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:" + masterPort + "\r\n$" + state.length() + "\r\n" + state
        + "\r\n:" + offset + "\r\n";
  }

  @ParameterizedTest(name = "{0} master, {1} replica, diskless {2}")
  @MethodSource("pairs")
  void aSlowSnapshotIsVisibleOnBothSides(String masterKind, String replicaKind, String diskless) {
    try (AnyServer master = AnyServer.start(masterKind, "--enable-debug-command", "yes", "--rdb-key-save-delay",
            "1000", "--repl-diskless-sync", diskless, "--repl-diskless-sync-delay", "0");
        AnyServer replica = AnyServer.start(replicaKind);
        RespClient m = master.client();
        RespClient r = replica.client()) {
      assertEquals("+OK\r\n", m.call("DEBUG", "POPULATE", Integer.toString(KEYS)));
      assertEquals("0", field(m, "persistence", "rdb_bgsave_in_progress"));
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port())));
      Poll.until(Poll.WAIT, "the master encoding the RDB for its replica",
          () -> field(m, "persistence", "rdb_bgsave_in_progress").equals("1"));
      // 1500 keys at 1 ms each: the encoding lasts 1.5 s, long after these checks
      assertEquals(Integer.toString(KEYS), field(m, "persistence", "current_save_keys_total"));
      assertTrue(field(m, "replication", "slave0").contains(",state=wait_bgsave,"),
          () -> field(m, "replication", "slave0"));
      // the replica reads the master's +FULLRESYNC a moment after the master starts its encoding
      Poll.equal(Poll.WAIT, "the replica in sync", roleOf(master.port(), "sync", -1), () -> r.call("ROLE"));
      assertEquals("1", field(r, "replication", "master_sync_in_progress"));
      assertEquals("-ERR Background save already in progress\r\n", m.call("BGSAVE"));
      assertEquals("-ERR Background save already in progress\r\n", m.call("BGSAVE", "SCHEDULE"));
      assertEquals("-ERR Background save already in progress\r\n", m.call("SAVE"));

      Poll.equal(Poll.WAIT, "the link up", "up", () -> field(r, "replication", "master_link_status"));
      Poll.equal(Poll.WAIT, "the RDB child gone", "0", () -> field(m, "persistence", "rdb_bgsave_in_progress"));
      assertEquals("ok", field(m, "persistence", "rdb_last_bgsave_status"));
      assertEquals(":" + KEYS + "\r\n", r.call("DBSIZE"));
      assertTrue(r.call("ROLE").contains("$9\r\nconnected\r\n"), "ROLE says connected once the link is up");
    }
  }

  @ParameterizedTest(name = "{0} master")
  @ValueSource(strings = {"redis", "vireo"})
  void enoughWaitingReplicasStartTheTransferBeforeTheDelay(String masterKind) {
    try (AnyServer master = AnyServer.start(masterKind, "--repl-diskless-sync", "yes",
            "--repl-diskless-sync-delay", "600", "--repl-diskless-sync-max-replicas", "2");
        AnyServer first = AnyServer.node();
        AnyServer second = AnyServer.node();
        RespClient m = master.client();
        RespClient r1 = first.client();
        RespClient r2 = second.client()) {
      m.call("SET", "k", "v");
      assertEquals("+OK\r\n", r1.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port())));
      Poll.until(Poll.WAIT, "the first replica waiting",
          () -> field(m, "replication", "slave0") != null
              && field(m, "replication", "slave0").contains(",state=wait_bgsave,"));
      // one replica of two: the 600 s delay holds the transfer back
      Poll.sleep(500);
      assertEquals("0", field(m, "persistence", "rdb_bgsave_in_progress"));
      assertEquals("down", field(r1, "replication", "master_link_status"));

      assertEquals("+OK\r\n", r2.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port())));
      Poll.equal(Poll.WAIT, "the first link up", "up", () -> field(r1, "replication", "master_link_status"));
      Poll.equal(Poll.WAIT, "the second link up", "up", () -> field(r2, "replication", "master_link_status"));
      assertEquals("$1\r\nv\r\n", r1.call("GET", "k"));
      assertEquals("$1\r\nv\r\n", r2.call("GET", "k"));
    }
  }
}
