package dev.vireo.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.Datasets;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SAVE, BGSAVE, save rules, loading at start, DEBUG RELOAD, SHUTDOWN SAVE, bad files; through the protocol. */
@Timeout(120)
class PersistenceTest {
  @TempDir
  Path dir;

  private TestNode start(String... extra) {
    String[] args = new String[extra.length + 2];
    args[0] = "--dir";
    args[1] = dir.toString();
    System.arraycopy(extra, 0, args, 2, extra.length);
    return TestNode.start(args);
  }

  @Test
  void saveAndLoadAtStartKeepEveryTypeTtlAndDatabase() throws Exception {
    String digest;
    String encodings;
    try (TestNode n = start(); RespClient r = n.client()) {
      Datasets.fillEveryType(r);
      digest = r.call("DEBUG", "DIGEST");
      encodings = r.call("OBJECT", "ENCODING", "bigset") + r.call("OBJECT", "ENCODING", "zset");
      assertTrue(r.call("INFO", "persistence").contains("rdb_changes_since_last_save:"));
      assertEquals("+OK\r\n", r.call("SAVE"));
      assertTrue(r.call("INFO", "persistence").contains("rdb_changes_since_last_save:0\r\n"));
    }
    assertTrue(Files.exists(dir.resolve("dump.rdb")));
    try (TestNode n = start(); RespClient r = n.client()) {
      n.node().loaded().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(digest, r.call("DEBUG", "DIGEST"));
      assertEquals(encodings, r.call("OBJECT", "ENCODING", "bigset") + r.call("OBJECT", "ENCODING", "zset"));
      long pttl = Long.parseLong(r.call("PTTL", "str").substring(1).trim());
      assertTrue(pttl > 900_000 && pttl <= 1_000_000, "TTL kept: " + pttl);
      String info = r.call("INFO", "persistence");
      assertTrue(info.contains("rdb_last_load_keys_loaded:39\r\n"), info);
    }
  }

  @Test
  void bgsaveWritesInTheBackgroundAndCountsChanges() throws Exception {
    try (TestNode n = start(); RespClient r = n.client()) {
      Datasets.fillEveryType(r);
      String lastsave = r.call("LASTSAVE");
      long savedAt = Long.parseLong(lastsave.substring(1).trim());
      while (System.currentTimeMillis() / 1000 <= savedAt) Thread.sleep(10); // LASTSAVE counts whole seconds
      assertEquals("+Background saving started\r\n", r.call("BGSAVE"));
      awaitInfo(r, "rdb_bgsave_in_progress:0");
      String info = r.call("INFO", "persistence");
      assertTrue(info.contains("rdb_saves:1\r\n"), info);
      assertTrue(info.contains("rdb_last_bgsave_status:ok\r\n"), info);
      assertTrue(info.contains("rdb_changes_since_last_save:0\r\n"), info);
      assertFalse(lastsave.equals(r.call("LASTSAVE")));
      // the snapshot stands for Redis's fork: timed and counted as one (redis-server 7.0.15 after one BGSAVE:
      // latest_fork_usec:588, total_forks:1; after CONFIG RESETSTAT both 0)
      String stats = r.call("INFO", "stats");
      assertTrue(stats.contains("\r\ntotal_forks:1\r\n"), stats);
      assertFalse(stats.contains("\r\nlatest_fork_usec:0\r\n"), stats);
      assertEquals("+OK\r\n", r.call("CONFIG", "RESETSTAT"));
      stats = r.call("INFO", "stats");
      assertTrue(stats.contains("\r\ntotal_forks:0\r\n") && stats.contains("\r\nlatest_fork_usec:0\r\n"), stats);
      r.call("SET", "after", "1");
      assertTrue(r.call("INFO", "persistence").contains("rdb_changes_since_last_save:1\r\n"));
      assertEquals("-ERR syntax error\r\n", r.call("BGSAVE", "NOW"));
      String digest = r.call("DEBUG", "DIGEST");
      assertEquals("+OK\r\n", r.call("DEBUG", "RELOAD"));
      assertEquals(digest, r.call("DEBUG", "DIGEST"));
    }
  }

  @Test
  void aSaveRuleTriggersABackgroundSave() throws Exception {
    try (TestNode n = start("--save", "1 3"); RespClient r = n.client()) {
      r.call("SET", "a", "1");
      r.call("SET", "b", "1");
      r.call("SET", "c", "1");
      awaitInfo(r, "rdb_saves:1");
      assertTrue(Files.exists(dir.resolve("dump.rdb")));
    }
  }

  @Test
  void snapshotIsConsistentAsOfTheBgsaveInstant() throws Exception {
    try (TestNode n = start(); RespClient r = n.client()) {
      r.call("DEBUG", "POPULATE", "200000", "k", "100");
      r.call("SET", "bits", "");
      r.call("SETBIT", "bits", "100", "1");
      String digest = r.call("DEBUG", "DIGEST");
      assertEquals("+Background saving started\r\n", r.call("BGSAVE"));
      // changes made while the file is written are not in it, in-place ones included
      r.call("SETBIT", "bits", "101", "1");
      r.call("SETRANGE", "k:1", "0", "changed");
      r.call("DEL", "k:2");
      r.call("SET", "new", "x");
      awaitInfo(r, "rdb_bgsave_in_progress:0");
    }
    try (TestNode n = start(); RespClient r = n.client()) {
      n.node().loaded().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertEquals("$-1\r\n", r.call("GET", "new"));
      assertEquals(":0\r\n", r.call("GETBIT", "bits", "101"));
      assertEquals(":1\r\n", r.call("EXISTS", "k:2"));
    }
  }

  /** A database from PARALLEL_SNAPSHOT_KEYS keys is walked by two threads; the file still holds every key. */
  @Test
  void aLargeDatabaseIsSavedWholeByTwoWalks() throws Exception {
    int keys = Persistence.PARALLEL_SNAPSHOT_KEYS + 30_000;
    String digest;
    String keyspace;
    try (TestNode n = start(); RespClient r = n.client()) {
      r.call("DEBUG", "POPULATE", Integer.toString(keys), "k", "20");
      Datasets.fillEveryType(r);
      for (int i = 0; i < keys; i += 7) r.call("PEXPIRE", "k:" + i, "3600000");
      r.call("SELECT", "3");
      r.call("DEBUG", "POPULATE", Integer.toString(keys), "j", "5");
      Datasets.fillEveryType(r);
      digest = r.call("DEBUG", "DIGEST");
      keyspace = r.call("INFO", "keyspace").replaceAll(",avg_ttl=\\d+", "");
      assertEquals("+Background saving started\r\n", r.call("BGSAVE"));
      awaitInfo(r, "rdb_bgsave_in_progress:0");
      assertTrue(r.call("INFO", "persistence").contains("rdb_last_bgsave_status:ok\r\n"));
    }
    try (TestNode n = start(); RespClient r = n.client()) {
      n.node().loaded().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertEquals(digest, r.call("DEBUG", "DIGEST"));
      assertEquals(keyspace, r.call("INFO", "keyspace").replaceAll(",avg_ttl=\\d+", ""));
    }
  }

  @Test
  void shutdownSaveWritesTheFileAndNosaveDoesNot() throws Exception {
    try (TestNode n = start(); RespClient r = n.client()) {
      r.call("SET", "k", "v");
      r.sendRaw(RespClient.encodeCommand("SHUTDOWN", "NOSAVE"));
      assertTrue(r.isClosedByPeer(Duration.ofSeconds(10)));
    }
    assertFalse(Files.exists(dir.resolve("dump.rdb")));
    try (TestNode n = start(); RespClient r = n.client()) {
      r.call("SET", "k", "v");
      r.sendRaw(RespClient.encodeCommand("SHUTDOWN", "SAVE"));
      assertTrue(r.isClosedByPeer(Duration.ofSeconds(10)));
    }
    assertTrue(Files.exists(dir.resolve("dump.rdb")));
  }

  @Test
  void aCorruptOrTruncatedFileIsRefused() throws Exception {
    try (TestNode n = start(); RespClient r = n.client()) {
      Datasets.fillEveryType(r);
      r.call("SAVE");
    }
    byte[] file = Files.readAllBytes(dir.resolve("dump.rdb"));
    Files.write(dir.resolve("dump.rdb"), Arrays.copyOf(file, file.length / 2));
    try (TestNode n = start(); RespClient r = n.client()) {
      Exception e = assertThrows(Exception.class,
          () -> n.node().loaded().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
      assertTrue(String.valueOf(e.getMessage()).length() > 0);
      assertEquals(":0\r\n", r.call("DBSIZE"), "nothing half-loaded is served");
    }
    file[file.length - 3] ^= 0x55; // the checksum
    Files.write(dir.resolve("dump.rdb"), file);
    try (TestNode n = start()) {
      Exception e = assertThrows(Exception.class,
          () -> n.node().loaded().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
      assertTrue(String.valueOf(e.getMessage()).toLowerCase().contains("checksum")
          || String.valueOf(e.getCause()).toLowerCase().contains("checksum"), String.valueOf(e));
    }
  }

  @Test
  void clientsGetLoadingWhileTheFileLoads() throws Exception {
    try (TestNode n = start(); RespClient r = n.client()) {
      r.call("DEBUG", "POPULATE", "1000000", "k", "10");
      r.call("SET", "probe", "here");
      assertEquals("+OK\r\n", r.call("SAVE"));
    }
    try (TestNode n = start(); RespClient r = n.client()) {
      int loadingReplies = 0;
      String reply;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      do {
        reply = r.call("GET", "probe");
        if (reply.equals("-LOADING Redis is loading the dataset in memory\r\n")) loadingReplies++;
        else assertEquals("$4\r\nhere\r\n", reply, "only LOADING or the loaded value");
      } while (!reply.startsWith("$") && System.nanoTime() < deadline);
      assertEquals("$4\r\nhere\r\n", reply);
      assertTrue(loadingReplies > 0, "a million keys take long enough to load to be seen loading");
      assertTrue(r.call("INFO", "persistence").contains("loading:0\r\n"));
      assertEquals(":1000001\r\n", r.call("DBSIZE"));
    }
  }

  static void awaitInfo(RespClient r, String field) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (r.call("INFO", "persistence").contains(field + "\r\n")) return;
      Thread.sleep(20);
    }
    throw new AssertionError("INFO never showed " + field + ": " + r.call("INFO", "persistence"));
  }
}
