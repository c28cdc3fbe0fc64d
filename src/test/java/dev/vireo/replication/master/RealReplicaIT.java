package dev.vireo.replication.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.Datasets;
import dev.vireo.testkit.Matrix;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.Replicas;
import dev.vireo.testkit.RespClient;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real redis-server 7.0.15 as the replica of a master: it loads the RDB (disk-based or diskless), follows the
 * stream, ends up with the same dataset, resumes with a partial resynchronization after its link is cut from
 * either side, and is counted by WAIT. Every scenario runs against a Vireo master and against a real Redis master,
 * so what is expected of Vireo is what Redis does.
 */
@Timeout(120)
class RealReplicaIT {
  private static final String PARTIAL_OK = "Successful partial resynchronization with master";

  /** Vireo masters in CI; the Redis masters, the reference runs, under -Dvireo.matrix=full. */
  static Stream<Arguments> masters() {
    return Matrix.rows("*vireo,no", "*vireo,yes", "redis,no", "redis,yes");
  }

  @ParameterizedTest(name = "{0} master, repl-diskless-sync {1}")
  @MethodSource("masters")
  void loadsFollowsAndResumesPartially(String kind, String diskless) {
    try (Peer master = Peer.start(kind, "--repl-diskless-sync", diskless, "--repl-diskless-sync-delay", "0")) {
      RespClient m = master.client();
      RespClient m1 = master.client();
      m1.call("SELECT", "1");
      Datasets.fillEveryType(m);
      // enough data (~10 MB of RDB) that the transfer takes a moment: the writes below happen while it runs
      assertEquals("+OK\r\n", m.call("CONFIG", "SET", "rdbcompression", "no"));
      assertEquals("+OK\r\n", m.call("DEBUG", "POPULATE", "50000", "bulk", "200"));
      // and 20 us per key while it is encoded (1 s in all), so that it still does on a fast or a loaded machine
      assertEquals("+OK\r\n", m.call("CONFIG", "SET", "rdb-key-save-delay", "20"));
      try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes",
              "--replicaof", "127.0.0.1", Integer.toString(master.port()));
          RespClient r = redis.client()) {
        int writes = 0;
        int duringTransfer = 0;
        long deadline = System.nanoTime() + Repl.WAIT.toNanos();
        while (!"up".equals(Repl.info(r, "replication", "master_link_status"))) {
          assertTrue(System.nanoTime() < deadline, "the replica did not finish its sync in time");
          String slave0 = Repl.info(m, "replication", "slave0");
          m.call("SET", "during:" + writes, "v" + writes);
          m1.call("RPUSH", "during-list", "e" + writes);
          m1.call("PEXPIRE", "during-list", "5000000");
          if (slave0 != null && !slave0.contains("state=online")) duringTransfer++;
          writes++;
        }
        assertTrue(duringTransfer > 0, "no write happened while the snapshot was transferred");
        Replicas.awaitSameDigest(m, r);
        assertEquals("$" + ("v" + (writes - 1)).length() + "\r\nv" + (writes - 1) + "\r\n",
            r.call("GET", "during:" + (writes - 1)));

        // the stream: every type, TTLs, MULTI/EXEC, several databases
        streamEveryType(m, "after");
        Replicas.awaitSameDigest(m, r);
        assertEquals(":1\r\n", m.call("WAIT", "1", "5000"));
        Repl.awaitSameOffset(m, r);

        // INFO replication shows the replica with its listening port; its offset follows the master's
        assertEquals("1", Repl.info(m, "replication", "connected_slaves"));
        String slave0 = Repl.info(m, "replication", "slave0");
        assertNotNull(slave0);
        // (Redis computes the lag from a cached clock: it can show lag=-1 right after an ACK)
        assertTrue(Pattern.matches("ip=127\\.0\\.0\\.1,port=" + redis.port() + ",state=online,offset=\\d+,lag=-?\\d+",
            slave0), slave0);
        Repl.until("the replica's acknowledged offset in slave0", () -> {
          String info = m.call("INFO", "replication");
          return Repl.field(info, "slave0").contains(",offset=" + Repl.field(info, "master_repl_offset") + ",");
        });

        long full = Repl.infoLong(m, "stats", "sync_full");
        long partial = Repl.infoLong(m, "stats", "sync_partial_ok");
        assertEquals(1, full);
        assertEquals(0, partial);

        // the master drops the replica: it comes back and continues
        assertEquals(":1\r\n", m.call("CLIENT", "KILL", "TYPE", "replica"));
        streamEveryType(m, "gap1");
        Repl.until("a partial resynchronization in the replica's log", () -> count(redis.log(), PARTIAL_OK) == 1);
        Repl.until("sync_partial_ok 1", () -> Repl.infoLong(m, "stats", "sync_partial_ok") == 1);
        Replicas.awaitSameDigest(m, r);

        // the replica drops its master: the same
        assertEquals(":1\r\n", r.call("CLIENT", "KILL", "TYPE", "master"));
        streamEveryType(m, "gap2");
        Repl.until("a second partial resynchronization", () -> count(redis.log(), PARTIAL_OK) == 2);
        Repl.until("sync_partial_ok 2", () -> Repl.infoLong(m, "stats", "sync_partial_ok") == 2);
        Replicas.awaitSameDigest(m, r);
        assertEquals(1, Repl.infoLong(m, "stats", "sync_full"));
        assertEquals(0, Repl.infoLong(m, "stats", "sync_partial_err"));
        m.call("SET", "last", "1");
        assertEquals(":1\r\n", m.call("WAIT", "1", "5000"));
        assertEquals("$1\r\n1\r\n", r.call("GET", "last"));
        if (master.isVireo()) {
          master.awaitLog("Partial resynchronization request from 127.0.0.1:" + redis.port() + " accepted.");
        }
      }
    }
  }

  /**
   * repl-diskless-sync-delay at its default (5 s): the replica waits (a second replica that arrives meanwhile gets
   * a bare newline about once a second), then both load one snapshot, and the real one the same dataset.
   */
  @ParameterizedTest(name = "{0} master")
  @ValueSource(strings = {Peer.VIREO, Peer.REDIS})
  void disklessDelayAtItsDefault(String kind) {
    try (Peer master = Peer.start(kind, "--repl-diskless-sync", "yes")) {
      RespClient m = master.client();
      assertEquals("5", configValue(m, "repl-diskless-sync-delay"));
      Datasets.fillEveryType(m);
      try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes",
              "--replicaof", "127.0.0.1", Integer.toString(master.port()));
          RespClient r = redis.client();
          RawReplica raw = new RawReplica(master.port())) {
        Repl.until("the replica to be listed", () -> Repl.info(m, "replication", "slave0") != null);
        assertTrue(Repl.info(m, "replication", "slave0").contains(",state=wait_bgsave,"),
            Repl.info(m, "replication", "slave0"));
        assertEquals("down", Repl.info(r, "replication", "master_link_status"));
        m.call("SET", "while-waiting", "1");
        raw.handshake(4321, true);
        String fullResync = raw.psync("?", -1);
        assertTrue(raw.keepalives >= 1, "keepalives before " + fullResync + ": " + raw.keepalives);
        assertTrue(raw.readRdb().diskless());
        Replicas.awaitLinkUp(r);
        Replicas.awaitSameDigest(m, r);
        assertEquals("$1\r\n1\r\n", r.call("GET", "while-waiting"));
        // one snapshot for both: the same history and offset
        String[] w = fullResync.split(" ");
        assertTrue(redis.log().contains("Full resync from master: " + w[1] + ":" + w[2]), redis.log());
        assertEquals(1, count(master.log(), "Starting BGSAVE for SYNC with target: replicas sockets"));
        if (master.isVireo()) master.awaitLog("Delay next BGSAVE for diskless SYNC");
      }
    }
  }

  /** Writes of every type, with TTLs, into databases 0 to 2, one of them as MULTI/EXEC; leaves db 0 selected. */
  static void streamEveryType(RespClient m, String p) {
    for (int db = 0; db < 3; db++) {
      m.call("SELECT", Integer.toString(db));
      m.call("SET", p + ":str", "x" + db);
      m.call("SET", p + ":ttl", "y", "PX", "3000000");
      m.call("RPUSH", p + ":list", "a", "b", "c");
      m.call("LPOP", p + ":list");
      m.call("SADD", p + ":set", "a", "b", "1");
      m.call("SREM", p + ":set", "b");
      m.call("ZADD", p + ":zset", "1.5", "a", "2", "b");
      m.call("ZINCRBY", p + ":zset", "3", "a");
      m.call("HSET", p + ":hash", "f", "v", "g", "w");
      m.call("HINCRBY", p + ":hash", "n", "7");
      m.call("PEXPIRE", p + ":hash", "4000000");
      m.call("PFADD", p + ":hll", "a", "b");
      m.call("MULTI");
      m.call("INCR", p + ":counter");
      m.call("INCR", p + ":counter");
      m.call("DEL", p + ":str");
      m.call("EXEC");
    }
    m.call("SELECT", "0");
  }

  static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
    return n;
  }

  static String configValue(RespClient c, String name) {
    String reply = c.call("CONFIG", "GET", name);
    String[] parts = reply.split("\r\n");
    return parts[parts.length - 1];
  }
}
