package dev.vireo.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.Replicas;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replicas with {@code replica-read-only no}: a Vireo replica and a real redis-server replica of the same master
 * (a Vireo node or a redis-server) get the same commands and must give the same replies. Keys the replica's own
 * clients give a TTL are expired by the replica; keys of the master whose TTL passed read as absent but stay
 * (DBSIZE counts them) until the master's DEL, and a write command on one (INCR) deletes it first and starts over
 * without a TTL. The master's active expiry is off, so its DELs come only when the master itself looks a key up.
 * Then, read-only again, PFCOUNT refreshes an HLL's cached cardinality on the replica alone. The literal
 * expectations were recorded from redis-server 7.0.15; the redis replica proves them again in every run.
 */
class WritableReplicaIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static long offset(RespClient c, String field) {
    return Long.parseLong(InfoFields.get(c.call("INFO", "replication"), field));
  }

  private static void awaitCaughtUp(RespClient m, RespClient... replicas) {
    long target = offset(m, "master_repl_offset");
    for (RespClient r : replicas) {
      Poll.until(WAIT, "the replica at offset " + target, () -> offset(r, "slave_repl_offset") >= target);
    }
  }

  private static long stat(RespClient c, String field) {
    return Long.parseLong(InfoFields.get(c.call("INFO", "stats"), field));
  }

  /** Sends the command to both replicas, asserts they answer alike, and returns the answer. */
  private static String both(RespClient redis, RespClient vireo, String... cmd) {
    String want = redis.call(cmd);
    assertEquals(want, vireo.call(cmd), String.join(" ", cmd));
    return want;
  }

  @ParameterizedTest(name = "{0} master")
  @ValueSource(strings = {"redis", "vireo"})
  void writableReplicaExpiresOnlyItsOwnKeys(String masterKind) {
    try (AnyServer master = AnyServer.start(masterKind, "--enable-debug-command", "yes");
        AnyServer redisReplica = AnyServer.redis("--enable-debug-command", "yes", "--replica-read-only", "no");
        TestNode vireoReplica = TestNode.start("--replica-read-only", "no");
        RespClient m = master.client();
        RespClient rr = redisReplica.client();
        RespClient vr = vireoReplica.client()) {
      assertEquals("+OK\r\n", m.call("DEBUG", "SET-ACTIVE-EXPIRE", "0"));
      String port = Integer.toString(master.port());
      both(rr, vr, "REPLICAOF", "127.0.0.1", port);
      Replicas.awaitLinkUp(rr);
      Replicas.awaitLinkUp(vr);
      assertEquals("+OK\r\n", m.call("SET", "base", "x"));
      awaitCaughtUp(m, rr, vr);

      // a key written on the replica with a TTL: tracked, then expired by the replica's own cycle
      long redisExpired = stat(rr, "expired_keys");
      long vireoExpired = stat(vr, "expired_keys");
      assertEquals("+OK\r\n", both(rr, vr, "SET", "own", "v", "PX", "200"));
      assertEquals("+OK\r\n", both(rr, vr, "SET", "own-persistent", "v"));
      assertEquals(1, stat(rr, "slave_expires_tracked_keys"));
      assertEquals(1, stat(vr, "slave_expires_tracked_keys"));
      assertEquals(":3\r\n", both(rr, vr, "DBSIZE"));
      Poll.until(WAIT, "the redis replica to expire its key", () -> rr.call("DBSIZE").equals(":2\r\n"));
      Poll.until(WAIT, "the vireo replica to expire its key", () -> vr.call("DBSIZE").equals(":2\r\n"));
      assertEquals(0, stat(rr, "slave_expires_tracked_keys"));
      assertEquals(0, stat(vr, "slave_expires_tracked_keys"));
      assertEquals(redisExpired + 1, stat(rr, "expired_keys"));
      assertEquals(vireoExpired + 1, stat(vr, "expired_keys"));

      // keys of the master whose TTL passed: absent to reads, still counted, not expired by the replica
      long setAt = System.currentTimeMillis();
      assertEquals("+OK\r\n", m.call("SET", "mk", "v", "PX", "200"));
      assertEquals("+OK\r\n", m.call("SET", "cnt", "10", "PX", "200"));
      awaitCaughtUp(m, rr, vr);
      assertEquals(":4\r\n", both(rr, vr, "DBSIZE"));
      Poll.until(WAIT, "the TTLs to pass and several expiry cycles to run",
          () -> System.currentTimeMillis() > setAt + 700);
      assertEquals("$-1\r\n", both(rr, vr, "GET", "mk"));
      assertEquals(":0\r\n", both(rr, vr, "EXISTS", "mk"));
      assertEquals(":4\r\n", both(rr, vr, "DBSIZE"));
      assertEquals(0, stat(rr, "slave_expires_tracked_keys"));
      assertEquals(0, stat(vr, "slave_expires_tracked_keys"));

      // a write on such a key deletes it first: INCR starts from 0, without the TTL
      redisExpired = stat(rr, "expired_keys");
      vireoExpired = stat(vr, "expired_keys");
      assertEquals(":1\r\n", both(rr, vr, "INCR", "cnt"));
      assertEquals(":-1\r\n", both(rr, vr, "TTL", "cnt"));
      assertEquals(":4\r\n", both(rr, vr, "DBSIZE"));
      assertEquals(redisExpired + 1, stat(rr, "expired_keys"));
      assertEquals(vireoExpired + 1, stat(vr, "expired_keys"));

      // the master expires its keys when it looks them up: its DELs remove them, the new cnt included
      assertEquals("$-1\r\n", m.call("GET", "mk"));
      assertEquals("$-1\r\n", m.call("GET", "cnt"));
      awaitCaughtUp(m, rr, vr);
      assertEquals("$-1\r\n", both(rr, vr, "GET", "cnt"));
      assertEquals(":2\r\n", both(rr, vr, "DBSIZE"));

      // read-only again: writes are refused, but PFCOUNT refreshes the cached cardinality on the replica only
      both(rr, vr, "CONFIG", "SET", "replica-read-only", "yes");
      assertEquals(":1\r\n", m.call("PFADD", "h", "a", "b", "c", "d"));
      awaitCaughtUp(m, rr, vr);
      assertEquals("-READONLY You can't write against a read only replica.\r\n", both(rr, vr, "PFADD", "h2", "x"));
      String masterBytes = m.call("GET", "h");
      assertEquals(masterBytes, both(rr, vr, "GET", "h"));
      String digestBefore = both(rr, vr, "DEBUG", "DIGEST-VALUE", "h");
      assertEquals(":4\r\n", both(rr, vr, "PFCOUNT", "h"));
      String replicaBytes = both(rr, vr, "GET", "h");
      assertNotEquals(masterBytes, replicaBytes, "the replica's copy holds the cached cardinality");
      assertNotEquals(digestBefore, both(rr, vr, "DEBUG", "DIGEST-VALUE", "h"));
      assertEquals(masterBytes, m.call("GET", "h"), "the master's copy is left alone");
      assertTrue(replicaBytes.contains("HYLL"));
    }
  }
}
