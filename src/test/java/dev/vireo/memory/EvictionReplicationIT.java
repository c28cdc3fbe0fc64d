package dev.vireo.memory;

import static dev.vireo.memory.MemorySides.infoLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.CliReplica;
import dev.vireo.testkit.Matrix;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.Replicas;
import dev.vireo.testkit.RespClient;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Evictions and replication, as in Redis 7.0.15: a master evicting under {@code allkeys-lru} sends one DEL per
 * evicted key ({@code UNLINK} with {@code lazyfree-lazy-eviction yes}) to its replicas, which stay equal to it
 * (DEBUG DIGEST) with a real Redis and a Vireo replica attached at once; a replica with a smaller {@code maxmemory}
 * keeps the master's whole dataset while {@code replica-ignore-maxmemory} is yes (the default) and evicts on its
 * own once it is no.
 */
@Timeout(120)
class EvictionReplicationIT {
  private static final int BUDGET = 1 << 20;
  private static final String VALUE = "v".repeat(500);

  /** Vireo master with both settings of lazy eviction, and a Redis master with Vireo replicas. */
  static Stream<Arguments> masters() {
    List<Arguments> all = new ArrayList<>();
    all.add(Arguments.of(MemorySides.ours(), false));
    all.add(Arguments.of(MemorySides.ours(), true));
    all.add(Arguments.of("redis", false));
    if (Matrix.full()) all.add(Arguments.of("redis", true));
    return all.stream();
  }

  @ParameterizedTest(name = "{0} master, lazyfree-lazy-eviction {1}")
  @MethodSource("masters")
  void evictionsReachReplicasAsDeletes(String masterKind, boolean lazy) {
    try (AnyServer master = MemorySides.start(masterKind, "--repl-diskless-sync-delay", "0", "--repl-backlog-size",
            "16kb", "--maxmemory-policy", "allkeys-lru", "--lazyfree-lazy-eviction", lazy ? "yes" : "no");
        AnyServer redisReplica = MemorySides.start("redis", "--repl-backlog-size", "16kb");
        AnyServer oursReplica = MemorySides.start(MemorySides.ours(), "--repl-backlog-size", "16kb");
        RespClient m = master.client();
        RespClient r1 = redisReplica.client();
        RespClient r2 = oursReplica.client()) {
      for (RespClient r : List.of(r1, r2)) {
        assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port())));
        Replicas.awaitLinkUp(r);
      }
      try (CliReplica stream = CliReplica.attach(master.port())) {
        stream.awaitLine("SYNC done");
        warmUp(m);
        long base = infoLong(m, "memory", "used_memory");
        assertEquals("+OK\r\n", m.call("CONFIG", "SET", "maxmemory", Long.toString(base + BUDGET)));
        long written = fill(m, "c:", 3);
        String expected = lazy ? "\"UNLINK\",\"c:" : "\"DEL\",\"c:";
        String other = lazy ? "\"DEL\",\"c:" : "\"UNLINK\",\"c:";
        // an eviction that ran out of its time slice goes on from a timer: wait until the stream has them all
        long evicted = -1;
        long deletes = -2;
        for (int i = 0; i < 50 && evicted != deletes; i++) {
          if (i > 0) Poll.sleep(50);
          evicted = infoLong(m, "stats", "evicted_keys");
          assertEquals("+OK\r\n", m.call("SET", "end", Integer.toString(i)));
          stream.awaitLine("\"SET\",\"end\",\"" + i + "\"");
          deletes = stream.seen().stream().filter(l -> l.startsWith(expected)).count();
        }
        assertTrue(evicted > 0, "evicted " + evicted + " of " + written);
        assertEquals(evicted, deletes, "one " + expected + "...\" per evicted key");
        assertEquals(0, stream.seen().stream().filter(l -> l.startsWith(other)).count());
      }
      // no more evictions (any command, DEBUG DIGEST too, may evict while above the limit), then the same data
      assertEquals("+OK\r\n", m.call("CONFIG", "SET", "maxmemory", "0"));
      for (RespClient r : List.of(r1, r2)) {
        Replicas.awaitSameDigest(m, r);
        assertEquals(m.call("DBSIZE"), r.call("DBSIZE"));
        assertEquals(0, infoLong(r, "stats", "evicted_keys"), "a replica deletes only what its master deletes");
      }
    }
  }

  /** A replica of each kind, its master of the other kind (Redis's own pairing when proving the expectations). */
  static Stream<Arguments> replicas() {
    String ours = MemorySides.ours();
    return Stream.of(Arguments.of(ours, "redis"), Arguments.of("redis", ours));
  }

  @ParameterizedTest(name = "{0} replica of a {1} master")
  @MethodSource("replicas")
  void replicaIgnoresItsMaxmemoryUnlessToldNot(String replicaKind, String masterKind) {
    try (AnyServer master = MemorySides.start(masterKind, "--repl-diskless-sync-delay", "0", "--repl-backlog-size",
            "16kb");
        AnyServer replica = MemorySides.start(replicaKind, "--maxmemory-policy", "allkeys-lru", "--repl-backlog-size",
            "16kb");
        RespClient m = master.client();
        RespClient r = replica.client()) {
      assertEquals("*2\r\n$24\r\nreplica-ignore-maxmemory\r\n$3\r\nyes\r\n",
          r.call("CONFIG", "GET", "replica-ignore-maxmemory"));
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port())));
      Replicas.awaitLinkUp(r);
      warmUp(m);
      Replicas.awaitSameDigest(m, r);
      long base = infoLong(r, "memory", "used_memory");
      assertEquals("+OK\r\n", r.call("CONFIG", "SET", "maxmemory", Long.toString(base + BUDGET / 2)));
      long written = fill(m, "a:", BUDGET * 2L / VALUE.length());
      Replicas.awaitSameDigest(m, r);
      assertEquals(":" + written + "\r\n", r.call("DBSIZE"));
      assertEquals(0, infoLong(r, "stats", "evicted_keys"), "replica-ignore-maxmemory yes: nothing evicted");
      assertTrue(infoLong(r, "memory", "used_memory") > base + BUDGET / 2, "above its maxmemory");

      assertEquals("+OK\r\n", r.call("CONFIG", "SET", "replica-ignore-maxmemory", "no"));
      // the replica evicts as it applies its master's writes
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (infoLong(r, "stats", "evicted_keys") == 0 && System.nanoTime() < deadline) {
        m.call("SET", "after", "1");
        Poll.sleep(20);
      }
      assertTrue(infoLong(r, "stats", "evicted_keys") > 0, "replica-ignore-maxmemory no: the replica evicts");
      Poll.until(Poll.WAIT, "the replica back under its maxmemory",
          () -> infoLong(r, "memory", "used_memory") <= base + BUDGET / 2 + BUDGET / 10,
          () -> r.call("INFO", "memory"));
      assertTrue(MemorySides.integer(r.call("DBSIZE")) < MemorySides.integer(m.call("DBSIZE")));
    }
  }

  /**
   * Fills the replication backlog (16 KB here: it is counted in {@code used_memory}, and Redis allocates it as
   * writes come) with keys deleted again, so that {@code used_memory} measured next is a base the backlog no longer
   * moves.
   */
  private static void warmUp(RespClient m) {
    List<String[]> batch = new ArrayList<>();
    for (int i = 0; i < 200; i++) batch.add(new String[] {"SET", "warm:" + i, VALUE});
    for (int i = 0; i < 200; i++) batch.add(new String[] {"DEL", "warm:" + i});
    MemorySides.pipeline(m, batch);
  }

  /**
   * Writes {@code prefix}N keys in pipelined batches: with {@code rounds} at most 10, until {@code rounds} times as
   * many keys as were written when the first eviction happened; otherwise exactly {@code rounds} keys.
   */
  private static long fill(RespClient c, String prefix, long rounds) {
    long written = 0;
    long first = -1;
    long limit = rounds <= 10 ? 20L * BUDGET / VALUE.length() : rounds;
    while (written < limit) {
      List<String[]> batch = new ArrayList<>();
      for (int i = 0; i < 100 && written + i < limit; i++) {
        batch.add(new String[] {"SET", prefix + (written + i), VALUE});
      }
      for (String reply : MemorySides.pipeline(c, batch)) assertEquals("+OK\r\n", reply);
      written += batch.size();
      if (rounds <= 10) {
        if (first < 0 && infoLong(c, "stats", "evicted_keys") > 0) first = written;
        if (first >= 0 && written >= rounds * first) return written;
      }
    }
    if (rounds <= 10) throw new AssertionError("no eviction after " + written + " keys");
    return written;
  }
}
