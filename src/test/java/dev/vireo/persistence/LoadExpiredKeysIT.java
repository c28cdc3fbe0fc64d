package dev.vireo.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RespClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keys whose TTL has passed but that are still in the dataset (active expiry off, nobody looked them up) are written
 * by SAVE, as Redis writes them: a master loading the file leaves them out and counts them in {@code
 * rdb_last_load_keys_expired}; a node started as a replica keeps them (its master's DELs remove them) and counts
 * them as loaded. Every case runs against a real redis-server too, with the same expectations.
 */
@Timeout(120)
class LoadExpiredKeysIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static long persistence(RespClient c, String field) {
    return Long.parseLong(InfoFields.get(c.call("INFO", "persistence"), field));
  }

  private static void awaitPast(long millis) {
    Poll.until(WAIT, "the TTL to pass", () -> System.currentTimeMillis() > millis + 50);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "vireo"})
  void debugReloadCountsKeysPastTheirTtlAsExpired(String kind) {
    try (AnyServer s = AnyServer.start(kind, "--enable-debug-command", "yes"); RespClient c = s.client()) {
      assertEquals("+OK\r\n", c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0"));
      c.call("SET", "kept", "1");
      long expiresAt = System.currentTimeMillis() + 100;
      assertEquals("+OK\r\n", c.call("SET", "expired:0", "1", "PX", "100"));
      c.call("SELECT", "2");
      assertEquals("+OK\r\n", c.call("SET", "expired:2", "1", "PX", "100"));
      awaitPast(expiresAt);
      assertEquals(":1\r\n", c.call("DBSIZE"), "still there, as nobody looked it up");

      assertEquals("+OK\r\n", c.call("DEBUG", "RELOAD"));
      assertEquals(1, persistence(c, "rdb_last_load_keys_loaded"));
      assertEquals(2, persistence(c, "rdb_last_load_keys_expired"));
      assertEquals(":0\r\n", c.call("DBSIZE"));
      c.call("SELECT", "0");
      assertEquals(":1\r\n", c.call("DBSIZE"));

      // SAVE writes such a key as well: the next load finds it expired
      long again = System.currentTimeMillis() + 100;
      assertEquals("+OK\r\n", c.call("SET", "expired:again", "1", "PX", "100"));
      awaitPast(again);
      assertEquals("+OK\r\n", c.call("SAVE"));
      assertEquals("+OK\r\n", c.call("DEBUG", "RELOAD", "NOSAVE"));
      assertEquals(1, persistence(c, "rdb_last_load_keys_loaded"));
      assertEquals(1, persistence(c, "rdb_last_load_keys_expired"));
    }
  }

  @ParameterizedTest(name = "{0} replica")
  @ValueSource(strings = {"redis", "vireo"})
  void aReplicaStartedFromItsFileKeepsKeysPastTheirTtl(String kind, @TempDir Path dir) {
    try (AnyServer master = AnyServer.redis("--enable-debug-command", "yes", "--repl-diskless-sync-delay", "0");
        RespClient m = master.client()) {
      assertEquals("+OK\r\n", m.call("DEBUG", "SET-ACTIVE-EXPIRE", "0"));
      String[] args = {"--dir", dir.toString(), "--replicaof", "127.0.0.1 " + master.port(),
          "--enable-debug-command", "yes"};
      long expiresAt;
      try (AnyServer replica = AnyServer.start(kind, args); RespClient r = replica.client()) {
        Poll.equal(WAIT, "link up", "up", () -> InfoFields.get(r.call("INFO", "replication"), "master_link_status"));
        m.call("SET", "kept", "1");
        expiresAt = System.currentTimeMillis() + 300;
        assertEquals("+OK\r\n", m.call("SET", "expired", "1", "PX", "300"));
        String digest = m.call("DEBUG", "DIGEST");
        Poll.equal(WAIT, "the replica's digest", digest, () -> r.call("DEBUG", "DIGEST"));
        assertEquals("+OK\r\n", r.call("SAVE"));
      }
      awaitPast(expiresAt);
      try (AnyServer replica = AnyServer.start(kind, args); RespClient r = replica.client()) {
        Poll.equal(WAIT, "loading done", "0", () -> InfoFields.get(r.call("INFO", "persistence"), "loading"));
        assertEquals(2, persistence(r, "rdb_last_load_keys_loaded"));
        assertEquals(0, persistence(r, "rdb_last_load_keys_expired"));
        Poll.equal(WAIT, "link up", "up", () -> InfoFields.get(r.call("INFO", "replication"), "master_link_status"));
        assertEquals(":2\r\n", r.call("DBSIZE"), "kept until the master's DEL");
        assertEquals("$-1\r\n", m.call("GET", "expired")); // the master expires it now and sends the DEL
        String digest = m.call("DEBUG", "DIGEST");
        Poll.equal(WAIT, "the replica's digest", digest, () -> r.call("DEBUG", "DIGEST"));
        assertEquals(":1\r\n", r.call("DBSIZE"));
      }
    }
  }

  /** A full synchronization is a load too: the replica's INFO counts the keys of its master's RDB. */
  @ParameterizedTest(name = "{0} replica")
  @ValueSource(strings = {"redis", "vireo"})
  void aFullSyncCountsTheKeysItLoaded(String kind) {
    try (AnyServer master = AnyServer.redis("--enable-debug-command", "yes");
        AnyServer replica = AnyServer.start(kind);
        RespClient m = master.client();
        RespClient r = replica.client()) {
      assertEquals("+OK\r\n", m.call("DEBUG", "POPULATE", "7"));
      m.call("SET", "ttl", "v", "PX", "600000");
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port())));
      Poll.equal(Duration.ofSeconds(30), "the link up", "up",
          () -> InfoFields.get(r.call("INFO", "replication"), "master_link_status"));
      String info = r.call("INFO", "persistence");
      assertEquals("8", InfoFields.get(info, "rdb_last_load_keys_loaded"));
      assertEquals("0", InfoFields.get(info, "rdb_last_load_keys_expired"));
    }
  }
}
