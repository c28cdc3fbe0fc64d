package dev.vireo.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RespClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The switches that make persistence slow on purpose, as Redis's operators and test tools use them:
 * {@code rdb-key-save-delay} (microseconds per key while a snapshot is encoded) keeps a BGSAVE visibly in progress,
 * and {@code key-load-delay} (per key while an RDB loads) keeps a replica's full resynchronization visibly loading.
 * The snapshot case runs against a real redis-server too, with the same expectations.
 */
class SlowPersistenceIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int KEYS = 1500;

  private static String persistence(RespClient c, String field) {
    return InfoFields.get(c.call("INFO", "persistence"), field);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "vireo"})
  void aSlowSnapshotShowsInProgress(String kind) {
    try (AnyServer s = AnyServer.start(kind, "--enable-debug-command", "yes", "--rdb-key-save-delay", "1000");
        RespClient c = s.client()) {
      assertEquals("+OK\r\n", c.call("DEBUG", "POPULATE", Integer.toString(KEYS)));
      assertEquals("+Background saving started\r\n", c.call("BGSAVE"));
      assertEquals("1", persistence(c, "rdb_bgsave_in_progress"), "a BGSAVE of 1.5 s is still running");
      assertEquals("-ERR Background save already in progress\r\n", c.call("BGSAVE"));
      Poll.equal(WAIT, "the BGSAVE to end", "0", () -> persistence(c, "rdb_bgsave_in_progress"));
      assertEquals("ok", persistence(c, "rdb_last_bgsave_status"));
    }
  }

  /**
   * Vireo only: a loading Redis replica answers no client until its load ends (checked by hand: INFO waited the
   * whole 1.9 s of a 1500-key load with {@code key-load-delay 1000}), where Vireo answers {@code -LOADING}.
   */
  @Test
  void aSlowLoadShowsLoading() {
    try (AnyServer master = AnyServer.redis( "--enable-debug-command", "yes", "--repl-diskless-sync", "no");
        AnyServer replica = AnyServer.node("--key-load-delay", "1000");
        RespClient m = master.client();
        RespClient r = replica.client()) {
      assertEquals("+OK\r\n", m.call("DEBUG", "POPULATE", Integer.toString(KEYS)));
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port())));
      Poll.until(WAIT, "the replica loading", () -> persistence(r, "loading").equals("1"));
      assertTrue(r.call("GET", "key:1").startsWith("-LOADING"), "clients get -LOADING meanwhile");
      Poll.equal(WAIT, "the link up", "up",
          () -> InfoFields.get(r.call("INFO", "replication"), "master_link_status"));
      assertEquals(":" + KEYS + "\r\n", r.call("DBSIZE"));
    }
  }
}
