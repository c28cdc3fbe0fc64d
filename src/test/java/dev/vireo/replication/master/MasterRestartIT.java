package dev.vireo.replication.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.Datasets;
import dev.vireo.testkit.FreePort;
import dev.vireo.testkit.Replicas;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.Signals;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A master stopped with a save (SHUTDOWN, or SIGTERM with save rules) and started again on the same port and
 * {@code dir} comes back as Redis 7.0.15 does: a new {@code master_replid}, the id its replicas know as {@code
 * master_replid2} valid up to {@code second_repl_offset} = the file's offset + 1, and a backlog at once, so the
 * replica that waited meanwhile continues with {@code +CONTINUE <new id>} (sync_partial_ok 1, sync_full 0). Keys
 * whose TTL passed while the master was down are left out of the load ({@code rdb_last_load_keys_expired}) and
 * their DELs, each after the SELECT of its database, are the first bytes of the new backlog, so the replica drops
 * them too and still continues partially. Every case runs with a Redis master and a Vireo master (the jar, for
 * SHUTDOWN and signals), each with a Vireo and a Redis replica; the Redis-Redis runs prove the expectations.
 */
@Timeout(180)
class MasterRestartIT {
  /** How the master is stopped, and what it holds then. */
  enum Case {
    /** A replica attached and nothing written: the file records offset 0, and replicas still continue. */
    OFFSET_ZERO_SIGTERM(false, false, true),
    DATA_SHUTDOWN(true, false, false),
    DATA_SIGTERM(true, false, true),
    /** Two keys (db 0 and db 3) whose TTL passes while the master is down. */
    TTL_PASSED_SHUTDOWN(true, true, false);

    final boolean data;
    final boolean ttl;
    final boolean sigterm;

    Case(boolean data, boolean ttl, boolean sigterm) {
      this.data = data;
      this.ttl = ttl;
      this.sigterm = sigterm;
    }
  }

  private static final long TTL_MILLIS = 1500;

  /**
   * Each case with each pairing of master and replica kinds under {@code -Dvireo.matrix=full}. Otherwise (CI) each
   * case with a Vireo master, the replica's kind alternating.
   */
  static Stream<Arguments> cases() {
    String[][] pairings = {{"vireo", "vireo"}, {"vireo", "redis"}, {"redis", "vireo"}, {"redis", "redis"}};
    boolean full = "full".equals(System.getProperty("vireo.matrix"));
    List<Arguments> all = new ArrayList<>();
    for (Case c : Case.values()) {
      for (int i = 0; i < pairings.length; i++) {
        boolean ci = i == c.ordinal() % 2;
        if (full || ci) all.add(Arguments.of(c, pairings[i][0], pairings[i][1]));
      }
    }
    return all.stream();
  }

  /** The master on {@code port} and {@code dir}: save rules (so SIGTERM saves), no PINGs to move the offset. */
  private static AnyServer master(String kind, int port, Path dir) {
    String[] args = {"--port", Integer.toString(port), "--dir", dir.toString(), "--save", "3600 1",
        "--repl-diskless-sync-delay", "0", "--repl-ping-replica-period", "3600", "--enable-debug-command", "yes"};
    return kind.equals("redis") ? AnyServer.redis(args) : AnyServer.jar(args);
  }

  private static long keys(RespClient c) {
    long n = 0;
    for (String line : c.call("INFO", "keyspace").split("\r\n")) {
      if (line.startsWith("db")) n += Long.parseLong(line.replaceAll(".*keys=(\\d+),.*", "$1"));
    }
    return n;
  }

  private static long length(String... command) {
    return RespClient.encodeCommand(command).length;
  }

  @ParameterizedTest(name = "{0}: {1} master, {2} replica")
  @MethodSource("cases")
  void restartedMasterKeepsItsReplicasPartial(Case c, String masterKind, String replicaKind, @TempDir Path dir) {
    int port = FreePort.get();
    try (AnyServer replica = replicaKind.equals("redis") ? AnyServer.redis("--enable-debug-command", "yes")
            : AnyServer.node();
        RespClient r = replica.client()) {
      String oldId;
      long keysAtStop;
      long expiresAt = 0;
      try (AnyServer master = master(masterKind, port, dir); RespClient m = master.client()) {
        assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(port)));
        Replicas.awaitLinkUp(r);
        if (c.data) {
          Datasets.fillEveryType(m);
          m.call("SELECT", "3");
          m.call("SET", "keep:3", "x"); // the stream is left in db 3
        }
        if (c.ttl) {
          expiresAt = System.currentTimeMillis() + TTL_MILLIS;
          m.call("SELECT", "0");
          assertEquals("+OK\r\n", m.call("SET", "gone:0", "v", "PX", Long.toString(TTL_MILLIS)));
          m.call("SELECT", "3");
          assertEquals("+OK\r\n", m.call("SET", "gone:3", "v", "PX", Long.toString(TTL_MILLIS)));
        }
        Repl.awaitSameOffset(m, r);
        if (!c.data) assertEquals(0, Repl.infoLong(m, "replication", "master_repl_offset"));
        oldId = Repl.info(m, "replication", "master_replid");
        keysAtStop = keys(m);
        if (c.sigterm) {
          Signals.send("TERM", master.pid());
        } else {
          m.sendRaw(RespClient.encodeCommand("SHUTDOWN"));
          assertTrue(m.isClosedByPeer(Duration.ofSeconds(20)), "SHUTDOWN closes the connection");
        }
        assertEquals(0, master.awaitExit());
      }
      Repl.equal("the replica's link down", "down", () -> Repl.info(r, "replication", "master_link_status"));
      long offsetAtStop = Repl.infoLong(r, "replication", "master_repl_offset");
      if (!c.data) assertEquals(0, offsetAtStop);
      if (c.ttl) {
        long deadline = expiresAt + 100;
        Repl.until(Duration.ofSeconds(10), "the TTL to pass", () -> System.currentTimeMillis() > deadline);
      }

      try (AnyServer master = master(masterKind, port, dir); RespClient m = master.client()) {
        Repl.equal("loading done", "0", () -> Repl.info(m, "persistence", "loading"));
        long expired = c.ttl ? 2 : 0;
        // the DELs of the keys that expired while the master was down, as they go to the backlog
        long delBytes = c.ttl ? length("SELECT", "0") + length("DEL", "gone:0") + length("SELECT", "3")
            + length("DEL", "gone:3") : 0;
        String info = m.call("INFO", "replication");
        String newId = Repl.field(info, "master_replid");
        assertNotEquals(oldId, newId, "a new replication id");
        assertEquals(oldId, Repl.field(info, "master_replid2"), info);
        assertEquals(Long.toString(offsetAtStop + 1), Repl.field(info, "second_repl_offset"), info);
        assertEquals(Long.toString(offsetAtStop + delBytes), Repl.field(info, "master_repl_offset"), info);
        assertEquals("1", Repl.field(info, "repl_backlog_active"), info);
        assertEquals(Long.toString(offsetAtStop + 1), Repl.field(info, "repl_backlog_first_byte_offset"), info);
        assertEquals(Long.toString(delBytes), Repl.field(info, "repl_backlog_histlen"), info);
        assertEquals(keysAtStop - expired, Repl.infoLong(m, "persistence", "rdb_last_load_keys_loaded"));
        assertEquals(expired, Repl.infoLong(m, "persistence", "rdb_last_load_keys_expired"));

        // the replica continues partially, and learns the new id with the old one as its second
        Repl.equal("the replica on the new id", newId, () -> Repl.info(r, "replication", "master_replid"));
        Replicas.awaitLinkUp(r);
        Repl.awaitSameOffset(m, r);
        assertEquals(1, Repl.infoLong(m, "stats", "sync_partial_ok"));
        assertEquals(0, Repl.infoLong(m, "stats", "sync_full"));
        assertEquals(0, Repl.infoLong(m, "stats", "sync_partial_err"));
        assertEquals(oldId, Repl.info(r, "replication", "master_replid2"));
        assertEquals(offsetAtStop + 1, Repl.infoLong(r, "replication", "second_repl_offset"));
        assertEquals(offsetAtStop + delBytes, Repl.infoLong(r, "replication", "master_repl_offset"));
        if (c.ttl) {
          r.call("SELECT", "3");
          assertEquals("-ERR no such key\r\n", r.call("DEBUG", "OBJECT", "gone:3"), "the DEL reached the replica");
          r.call("SELECT", "0");
          assertEquals("-ERR no such key\r\n", r.call("DEBUG", "OBJECT", "gone:0"));
        }

        // what a replica of the old history is sent: +CONTINUE with the new id, then exactly those DELs
        try (RawReplica raw = new RawReplica(port)) {
          raw.handshake(FreePort.get(), true);
          assertEquals("+CONTINUE " + newId, raw.psync(oldId, offsetAtStop + 1));
          if (c.ttl) {
            assertEquals(List.of("SELECT", "0"), raw.command());
            assertEquals(List.of("DEL", "gone:0"), raw.command());
            assertEquals(List.of("SELECT", "3"), raw.command());
            assertEquals(List.of("DEL", "gone:3"), raw.command());
          }
        }

        // and the stream goes on
        assertEquals("+OK\r\n", m.call("SET", "after-restart", "1"));
        Repl.awaitSameOffset(m, r);
        Replicas.awaitSameDigest(m, r);
        assertEquals(0, Repl.infoLong(m, "stats", "sync_full"));
      }
    }
  }

  /**
   * A master that never had a replica records no {@code repl-stream-db}, so its file has no history anyone could
   * continue: it comes back with a fresh id, no second id and no backlog, though its offset counts the DELs of the
   * keys that expired while it was down (Redis 7.0.15 feeds them, then frees the backlog). Its first replica gets
   * a full resynchronization at that offset.
   */
  @ParameterizedTest(name = "{0} master")
  @ValueSource(strings = {"redis", "vireo"})
  void masterWithoutReplicasComesBackWithoutHistory(String masterKind, @TempDir Path dir) {
    int port = FreePort.get();
    long expiresAt;
    String oldId;
    try (AnyServer master = master(masterKind, port, dir); RespClient m = master.client()) {
      m.call("SET", "kept", "1");
      expiresAt = System.currentTimeMillis() + 300;
      assertEquals("+OK\r\n", m.call("SET", "gone:0", "v", "PX", "300"));
      assertEquals("0", Repl.info(m, "replication", "repl_backlog_active"));
      oldId = Repl.info(m, "replication", "master_replid");
      m.sendRaw(RespClient.encodeCommand("SHUTDOWN"));
      assertTrue(m.isClosedByPeer(Duration.ofSeconds(20)), "SHUTDOWN closes the connection");
      assertEquals(0, master.awaitExit());
    }
    Repl.until(Duration.ofSeconds(10), "the TTL to pass", () -> System.currentTimeMillis() > expiresAt + 100);
    try (AnyServer master = master(masterKind, port, dir); RespClient m = master.client();
        AnyServer replica = AnyServer.node(); RespClient r = replica.client()) {
      Repl.equal("loading done", "0", () -> Repl.info(m, "persistence", "loading"));
      long delBytes = length("SELECT", "0") + length("DEL", "gone:0");
      String info = m.call("INFO", "replication");
      assertNotEquals(oldId, Repl.field(info, "master_replid"));
      assertEquals("0000000000000000000000000000000000000000", Repl.field(info, "master_replid2"), info);
      assertEquals("-1", Repl.field(info, "second_repl_offset"), info);
      assertEquals(Long.toString(delBytes), Repl.field(info, "master_repl_offset"), info);
      assertEquals("0", Repl.field(info, "repl_backlog_active"), info);
      assertEquals(1, Repl.infoLong(m, "persistence", "rdb_last_load_keys_loaded"));
      assertEquals(1, Repl.infoLong(m, "persistence", "rdb_last_load_keys_expired"));

      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(port)));
      Replicas.awaitLinkUp(r);
      Repl.awaitSameOffset(m, r);
      assertEquals(1, Repl.infoLong(m, "stats", "sync_full"));
      assertEquals(delBytes, Repl.infoLong(r, "replication", "master_repl_offset"));
      Replicas.awaitSameDigest(m, r);
    }
  }
}
