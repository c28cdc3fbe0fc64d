package dev.vireo.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * AOF rewrites as Redis 7.0 runs them, each case run on a real redis-server and on Vireo with what each showed
 * compared: BGREWRITEAOF next to BGSAVE (scheduled, refused, scheduled the other way), the automatic rewrite on
 * growth, {@code CONFIG SET appendonly yes|no} at run time (the base written before {@code aof_enabled:1}; the file
 * still at its size once it is off; the directory loading in redis-server), and the AOF fields of INFO persistence.
 */
@Timeout(300)
class AofRewriteIT {
  private static final int KEYS = 1500;

  private static String info(RespClient c, String field) {
    return AofDirs.persistence(c, field);
  }

  private static Path aofDir(RespClient c) {
    String reply = c.call("CONFIG", "GET", "dir");
    String[] lines = reply.split("\r\n");
    return Path.of(lines[lines.length - 1]).resolve("appendonlydir");
  }

  /** Replies to BGREWRITEAOF and BGSAVE while the other runs; what INFO says meanwhile. */
  private static List<String> rewriteNextToBgsave(String kind) {
    List<String> seen = new ArrayList<>();
    try (AnyServer s = AnyServer.start(kind, "--appendonly", "yes", "--enable-debug-command", "yes");
        RespClient c = s.client()) {
      AofDirs.awaitRewrites(c, 0);
      long r0 = AofDirs.rewrites(c);
      seen.add(c.call("DEBUG", "POPULATE", Integer.toString(KEYS)));
      // 1500 keys at 1 ms each: a snapshot (and a rewrite's RDB preamble) takes 1.5 s
      seen.add(c.call("CONFIG", "SET", "rdb-key-save-delay", "1000"));
      seen.add("BGSAVE " + c.call("BGSAVE"));
      seen.add("BGREWRITEAOF " + c.call("BGREWRITEAOF"));
      seen.add("BGREWRITEAOF again " + c.call("BGREWRITEAOF"));
      seen.add("aof_rewrite_scheduled " + info(c, "aof_rewrite_scheduled"));
      seen.add("aof_rewrite_in_progress " + info(c, "aof_rewrite_in_progress"));
      seen.add("rdb_bgsave_in_progress " + info(c, "rdb_bgsave_in_progress"));
      AofDirs.awaitRewrites(c, r0 + 1);
      seen.add("aof_last_bgrewrite_status " + info(c, "aof_last_bgrewrite_status"));
      Poll.equal(AofDirs.WAIT, "the BGSAVE to end", "0", () -> info(c, "rdb_bgsave_in_progress"));
      long saves = Long.parseLong(info(c, "rdb_saves"));

      seen.add("BGREWRITEAOF alone " + c.call("BGREWRITEAOF"));
      seen.add("aof_rewrite_in_progress " + info(c, "aof_rewrite_in_progress"));
      seen.add("BGSAVE meanwhile " + c.call("BGSAVE"));
      seen.add("BGSAVE SCHEDULE meanwhile " + c.call("BGSAVE", "SCHEDULE"));
      seen.add("BGREWRITEAOF meanwhile " + c.call("BGREWRITEAOF"));
      seen.add("rdb_bgsave_in_progress " + info(c, "rdb_bgsave_in_progress"));
      AofDirs.awaitRewrites(c, r0 + 2);
      // the scheduled BGSAVE runs once the rewrite is over
      Poll.until(AofDirs.WAIT, "the scheduled BGSAVE to run and end", () -> {
        String p = c.call("INFO", "persistence");
        return Long.parseLong(InfoFields.get(p, "rdb_saves")) > saves
            && InfoFields.get(p, "rdb_bgsave_in_progress").equals("0");
      }, () -> c.call("INFO", "persistence"));
      seen.add("rdb_last_bgsave_status " + info(c, "rdb_last_bgsave_status"));
      seen.add("aof_rewrites " + (AofDirs.rewrites(c) - r0));
      seen.add("files " + AofDirs.names(aofDir(c)).stream().filter(n -> n.startsWith("appendonly")).toList());
      c.call("CONFIG", "SET", "rdb-key-save-delay", "0");
    }
    return seen;
  }

  @Test
  void bgrewriteaofNextToBgsaveAnswersAsRedis() {
    List<String> redis = rewriteNextToBgsave("redis");
    // what redis-server 7.0.15 answered, to make sure the reference itself ran the cases meant
    assertEquals("BGREWRITEAOF +Background append only file rewriting scheduled\r\n", redis.get(3));
    assertEquals("BGREWRITEAOF alone +Background append only file rewriting started\r\n", redis.get(9));
    assertEquals("BGSAVE SCHEDULE meanwhile +Background saving scheduled\r\n", redis.get(12));
    assertEquals("BGREWRITEAOF meanwhile -ERR Background append only file rewriting already in progress\r\n",
        redis.get(13));
    assertEquals(String.join("\n", redis), String.join("\n", rewriteNextToBgsave("vireo")));
  }

  /** The AOF grown past auto-aof-rewrite-min-size and by auto-aof-rewrite-percentage: a rewrite starts alone. */
  private static List<String> automaticRewrite(String kind) {
    List<String> seen = new ArrayList<>();
    try (AnyServer s = AnyServer.start(kind, "--appendonly", "yes", "--auto-aof-rewrite-percentage", "100",
        "--auto-aof-rewrite-min-size", "65536");
        RespClient c = s.client()) {
      AofDirs.awaitRewrites(c, 0);
      long r0 = AofDirs.rewrites(c);
      seen.add("files " + AofDirs.names(aofDir(c)));
      // one MSET of 1000 keys, 100 bytes each that do not compress: the AOF grows past the minimum at once
      Random random = new Random(7);
      List<String> mset = new ArrayList<>(List.of("MSET"));
      for (int i = 0; i < 1000; i++) {
        byte[] value = new byte[50];
        random.nextBytes(value);
        mset.add("key:" + i);
        mset.add(HexFormat.of().formatHex(value));
      }
      seen.add(c.call(mset.toArray(String[]::new)));
      Poll.until(AofDirs.WAIT, "an automatic rewrite", () -> AofDirs.rewrites(c) > r0,
          () -> c.call("INFO", "persistence"));
      AofDirs.awaitRewrites(c, r0 + 1);
      seen.add("aof_rewrites " + (AofDirs.rewrites(c) - r0));
      seen.add("files " + AofDirs.names(aofDir(c)));
      long base = Long.parseLong(info(c, "aof_base_size"));
      seen.add("aof_base_size > 100000: " + (base > 100_000));
      seen.add("aof_current_size >= aof_base_size " + (Long.parseLong(info(c, "aof_current_size")) >= base));
    }
    return seen;
  }

  @Test
  void anAofThatGrewIsRewrittenAutomatically() {
    List<String> redis = automaticRewrite("redis");
    assertEquals("aof_rewrites 1", redis.get(2));
    assertEquals(String.join("\n", redis), String.join("\n", automaticRewrite("vireo")));
  }

  /**
   * {@code CONFIG SET appendonly yes} on a node with data: a base is written and only then {@code aof_enabled:1};
   * later writes are appended; {@code appendonly no} stops the appending. The directory loads in redis-server
   * with the digest the node had when the AOF was switched off.
   */
  private static List<String> appendonlyAtRunTime(String kind) throws Exception {
    List<String> seen = new ArrayList<>();
    Path dir = Files.createTempDirectory("vireo-aof");
    try {
      String digest;
      String[] args = {"--dir", dir.toString(), "--enable-debug-command", "yes"};
      try (AnyServer s = kind.equals("redis") ? AnyServer.redis(args) : AnyServer.jar(args);
          RespClient c = s.client()) {
        c.call("DEBUG", "POPULATE", "2000");
        c.call("RPUSH", "list", "a", "b");
        c.call("ZADD", "z", "-inf", "m", "+inf", "n");
        c.call("SET", "ttl", "v", "EX", "5000");
        seen.add("aof_enabled before " + info(c, "aof_enabled"));
        seen.add("CONFIG SET " + c.call("CONFIG", "SET", "appendonly", "yes"));
        // Redis 7.0 reports aof_enabled:1 from here on (aof_state is no longer off), while the base is written
        seen.add("aof_enabled at once " + info(c, "aof_enabled"));
        AofDirs.awaitRewrites(c, 1);
        Path aof = dir.resolve("appendonlydir");
        seen.add("files once enabled " + AofDirs.names(aof));
        seen.add("aof_rewrites " + info(c, "aof_rewrites"));
        seen.add("aof_rewrite_in_progress " + info(c, "aof_rewrite_in_progress"));
        c.call("SET", "after", "1");
        c.call("SADD", "set", "x", "y");
        c.call("SELECT", "5");
        c.call("HSET", "h", "f", "v");
        c.call("SELECT", "0");
        digest = c.call("DEBUG", "DIGEST");
        Path incr = aof.resolve("appendonly.aof.1.incr.aof");
        seen.add("incr holds the writes " + AofDirs.read(incr).contains("after"));
        seen.add("CONFIG SET off " + c.call("CONFIG", "SET", "appendonly", "no"));
        seen.add("aof_enabled after " + info(c, "aof_enabled"));
        long size = AofDirs.size(incr);
        for (int i = 0; i < 100; i++) c.call("SET", "notkept:" + i, "v");
        Poll.sleep(1200); // past an everysec flush
        seen.add("incr grew after appendonly no " + (AofDirs.size(incr) - size));
        seen.add("files once disabled " + AofDirs.names(aof));
      }
      try (RedisServerProcess loaded = RedisServerProcess.start("--dir", dir.toString(), "--appendonly", "yes",
          "--enable-debug-command", "yes");
          RespClient c = loaded.client()) {
        assertEquals(digest, c.call("DEBUG", "DIGEST"), kind + ": " + loaded.log());
        assertEquals(":1\r\n", c.call("EXISTS", "after"), kind);
        assertEquals(":0\r\n", c.call("EXISTS", "notkept:0"), kind);
      }
    } finally {
      TempDirs.deleteQuietly(dir);
    }
    return seen;
  }

  @Test
  void appendonlySwitchedAtRunTime() throws Exception {
    List<String> redis = appendonlyAtRunTime("redis");
    assertEquals("files once enabled [appendonly.aof.1.base.rdb, appendonly.aof.1.incr.aof, appendonly.aof.manifest]",
        redis.get(3));
    assertEquals(String.join("\n", redis), String.join("\n", appendonlyAtRunTime("vireo")));
  }

  /**
   * {@code CONFIG SET appendonly no} while a rewrite runs: Redis stops the rewrite and leaves the directory as it
   * was, the incremental file opened for the rewrite included, so a write made meanwhile is still in the AOF.
   */
  private static List<String> appendonlyOffDuringRewrite(String kind) throws Exception {
    List<String> seen = new ArrayList<>();
    Path dir = Files.createTempDirectory("vireo-aof");
    try {
      String[] args = {"--dir", dir.toString(), "--appendonly", "yes", "--enable-debug-command", "yes"};
      try (AnyServer s = kind.equals("redis") ? AnyServer.redis(args) : AnyServer.jar(args);
          RespClient c = s.client()) {
        AofDirs.awaitRewrites(c, 0);
        c.call("SET", "before", "1");
        c.call("DEBUG", "POPULATE", Integer.toString(KEYS));
        c.call("CONFIG", "SET", "rdb-key-save-delay", "1000"); // a 1.5 s rewrite
        seen.add(c.call("BGREWRITEAOF"));
        seen.add(c.call("SET", "during", "1"));
        seen.add(c.call("CONFIG", "SET", "appendonly", "no"));
        seen.add("aof_enabled " + info(c, "aof_enabled"));
        Poll.equal(AofDirs.WAIT, "no rewrite running", "0", () -> info(c, "aof_rewrite_in_progress"));
        Poll.sleep(500);
        // Redis kills its rewrite child and unlinks the temp file at once; Vireo's abandoned rewrite deletes it
        // when its writer ends
        Poll.until(AofDirs.WAIT, "the rewrite's temp file gone", () -> AofDirs.names(dir.resolve("appendonlydir"))
            .stream().noneMatch(n -> n.startsWith("temp-")));
        seen.add("files " + AofDirs.names(dir.resolve("appendonlydir")));
        c.call("CONFIG", "SET", "rdb-key-save-delay", "0");
      }
      try (RedisServerProcess loaded = RedisServerProcess.start("--dir", dir.toString(), "--appendonly", "yes");
          RespClient c = loaded.client()) {
        seen.add("loaded: before " + c.call("EXISTS", "before") + "during " + c.call("EXISTS", "during"));
      }
    } finally {
      TempDirs.deleteQuietly(dir);
    }
    return seen;
  }

  @Test
  void appendonlyOffDuringARewriteKeepsTheAof() throws Exception {
    List<String> redis = appendonlyOffDuringRewrite("redis");
    assertEquals("loaded: before :1\r\nduring :1\r\n", redis.get(redis.size() - 1));
    assertEquals(String.join("\n", redis), String.join("\n", appendonlyOffDuringRewrite("vireo")));
  }

  /** INFO persistence: the field names in order, and the values of a fresh node with appendonly yes and no. */
  private static List<String> persistenceFields(String kind, String appendonly) {
    List<String> seen = new ArrayList<>();
    try (AnyServer s = AnyServer.start(kind, "--appendonly", appendonly); RespClient c = s.client()) {
      AofDirs.awaitRewrites(c, 0);
      if (appendonly.equals("yes")) Poll.equal(AofDirs.WAIT, "aof_enabled", "1", () -> info(c, "aof_enabled"));
      String infoText = c.call("INFO", "persistence");
      seen.add("names " + AofDirs.fieldNames(infoText));
      for (String f : List.of("aof_enabled", "aof_rewrite_in_progress", "aof_rewrite_scheduled",
          "aof_last_rewrite_time_sec", "aof_current_rewrite_time_sec", "aof_last_bgrewrite_status", "aof_rewrites",
          "aof_rewrites_consecutive_failures", "aof_last_write_status", "aof_last_cow_size", "aof_pending_rewrite",
          "aof_buffer_length", "aof_pending_bio_fsync", "aof_delayed_fsync")) {
        seen.add(f + " " + InfoFields.get(infoText, f));
      }
      // Redis creates the first base at start-up without counting it as a rewrite, and reports sizes of 0 for it
      seen.add("aof_base_size " + InfoFields.get(infoText, "aof_base_size"));
      seen.add("aof_current_size " + InfoFields.get(infoText, "aof_current_size"));
      seen.add("files " + AofDirs.names(aofDir(c)));
    }
    return seen;
  }

  @Test
  void infoPersistenceAofFieldsAsRedis() {
    for (String appendonly : List.of("yes", "no")) {
      List<String> redis = persistenceFields("redis", appendonly);
      assertTrue(redis.get(0).contains("aof_enabled"), redis.get(0));
      assertEquals(String.join("\n", redis), String.join("\n", persistenceFields("vireo", appendonly)),
          "appendonly " + appendonly);
    }
  }
}
