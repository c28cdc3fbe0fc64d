package dev.vireo.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Matrix;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.Replicas;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.Signals;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keys a replica holds as logically expired. The replica process is stopped (SIGSTOP) while its master sets a key
 * with a short TTL and increments it, and resumed (SIGCONT) once the TTL has passed: the master's INCR still
 * applies to the existing value and keeps its TTL (the datasets' digests, which cover TTLs, stay equal), normal
 * clients of the replica see no key, DEBUG OBJECT still finds it, and it goes with the master's DEL. The master's
 * active expiry is off, so the DEL comes only when the master itself looks the key up. Each case runs with a real
 * redis-server as the replica too, which proves the expectations.
 */
class ReplicaExpiredKeysIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static long offset(RespClient c, String field) {
    return Long.parseLong(InfoFields.get(c.call("INFO", "replication"), field));
  }

  private static void awaitCaughtUp(RespClient m, RespClient r) {
    long target = offset(m, "master_repl_offset");
    Poll.until(WAIT, "the replica at offset " + target, () -> offset(r, "slave_repl_offset") >= target);
  }

  /** The reference pairing (Redis with Redis) runs under {@code -Dvireo.matrix=full}. */
  static Stream<Arguments> pairings() {
    return Matrix.rows("*redis, vireo", "*vireo, vireo", "redis, redis", "*vireo, redis");
  }

  @ParameterizedTest(name = "{0} master, {1} replica")
  @MethodSource("pairings")
  void masterWritesApplyToKeysExpiredOnTheReplica(String masterKind, String replicaKind) throws Exception {
    try (AnyServer master = AnyServer.start(masterKind, "--enable-debug-command", "yes");
        AnyServer replica = replicaKind.equals("redis") ? AnyServer.redis("--enable-debug-command", "yes")
            : AnyServer.jar("--enable-debug-command", "yes");
        RespClient m = master.client();
        RespClient r = replica.client()) {
      assertEquals("+OK\r\n", m.call("DEBUG", "SET-ACTIVE-EXPIRE", "0"));
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port())));
      Replicas.awaitLinkUp(r);
      assertEquals("+OK\r\n", m.call("SET", "other", "x"));
      awaitCaughtUp(m, r);

      Signals.send("STOP", replica.pid());
      long expiresAt;
      try {
        expiresAt = System.currentTimeMillis() + 500;
        assertEquals("+OK\r\n", m.call("SET", "k", "1", "PX", "500"));
        assertEquals(":2\r\n", m.call("INCR", "k"));
        Poll.until(WAIT, "the TTL to pass", () -> System.currentTimeMillis() > expiresAt + 300);
      } finally {
        Signals.send("CONT", replica.pid());
      }
      awaitCaughtUp(m, r);

      assertEquals(":0\r\n", r.call("EXISTS", "k"));
      assertEquals("$-1\r\n", r.call("GET", "k"));
      assertTrue(r.call("DEBUG", "OBJECT", "k").startsWith("+Value at:"), "DEBUG OBJECT finds the key");
      // the master still holds it too (no active expiry, nobody looked): same value, same TTL
      assertEquals(m.call("DEBUG", "DIGEST"), r.call("DEBUG", "DIGEST"));

      assertEquals("$-1\r\n", m.call("GET", "k")); // the master expires it now, and propagates a DEL
      awaitCaughtUp(m, r);
      assertEquals("-ERR no such key\r\n", r.call("DEBUG", "OBJECT", "k"));
      assertEquals(m.call("DEBUG", "DIGEST"), r.call("DEBUG", "DIGEST"));
    }
  }
}
