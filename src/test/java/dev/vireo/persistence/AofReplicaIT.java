package dev.vireo.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.Replicas;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TempDirs;
import dev.vireo.testkit.VireoJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Vireo replica with {@code appendonly yes}, of a real Redis 7.0 master and of a Vireo master: after the full
 * sync its AOF starts over from a base holding the master's dataset, as a Redis replica's does; the master's later
 * writes are appended to the new incremental file; after SHUTDOWN NOSAVE the directory loads in a real
 * redis-server with the master's digest.
 */
@Timeout(300)
class AofReplicaIT {
  @ParameterizedTest(name = "master: {0}")
  @ValueSource(strings = {"redis", "vireo"})
  void aReplicasAofHoldsItsMastersDataset(String masterKind) throws Exception {
    Path dir = Files.createTempDirectory("vireo-aof-replica");
    try (AnyServer master = AnyServer.start(masterKind, "--enable-debug-command", "yes",
        "--repl-diskless-sync-delay", "0");
        RespClient m = master.client()) {
      m.call("DEBUG", "POPULATE", "1000");
      m.call("RPUSH", "list", "a", "b", "c");
      m.call("ZADD", "z", "-inf", "low", "+inf", "high", "2.5", "mid");
      m.call("HSET", "h", "f", "v");
      m.call("SET", "ttl", "v", "EX", "5000");
      m.call("XADD", "st", "1-1", "f", "v");
      m.call("XGROUP", "CREATE", "st", "g", "0");
      m.call("SELECT", "2");
      m.call("SADD", "set", "x", "y");
      m.call("SELECT", "0");

      String masterDigest;
      Path aof = dir.resolve("appendonlydir");
      try (VireoJar replica = VireoJar.start(Map.of(), "--dir", dir.toString(), "--appendonly", "yes",
          "--enable-debug-command", "yes");
          RespClient r = replica.client()) {
        AofDirs.awaitRewrites(r, 0);
        long r0 = AofDirs.rewrites(r);
        List<String> before = AofDirs.names(aof);
        assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port())));
        Replicas.awaitLinkUp(r);
        Replicas.awaitSameDigest(m, r);
        // the AOF starts over from the synced dataset: a new base, the files from before it gone
        AofDirs.awaitRewrites(r, r0 + 1);
        List<String> afterSync = AofDirs.names(aof);
        String manifest = AofDirs.manifest(aof);
        String base = manifest.lines().filter(l -> l.endsWith("type b")).findFirst().orElseThrow().split(" ")[1];
        assertTrue(AofDirs.size(aof.resolve(base)) > 10_000, base + " holds the 1000 keys: " + manifest);
        for (String f : before) {
          if (!f.endsWith(".manifest")) assertFalse(afterSync.contains(f), f + " is gone after the sync's rewrite");
        }

        m.call("SET", "later", "written-after-the-sync");
        m.call("INCR", "counter");
        m.call("SELECT", "3");
        m.call("SADD", "late-set", "p", "q");
        m.call("SELECT", "0");
        m.call("EXPIRE", "list", "9000");
        m.call("DEL", "key:1");
        Replicas.awaitSameDigest(m, r);
        masterDigest = m.call("DEBUG", "DIGEST");
        String incr = manifest.lines().filter(l -> l.endsWith("type i")).reduce((a, b) -> b).orElseThrow()
            .split(" ")[1];
        String incrText = AofDirs.read(aof.resolve(incr));
        assertTrue(incrText.contains("written-after-the-sync"), incr + ": " + incrText);
        // as a Redis replica's: the master's PINGs and REPLCONF GETACKs are not writes and stay out of the AOF
        assertFalse(incrText.contains("PING"), incrText);
        assertFalse(incrText.toUpperCase().contains("REPLCONF"), incrText);
        assertEquals(0, replica.shutdown(), replica.output());
      }
      try (RedisServerProcess loaded = RedisServerProcess.start("--dir", dir.toString(), "--appendonly", "yes",
          "--enable-debug-command", "yes");
          RespClient c = loaded.client()) {
        assertEquals(masterDigest, c.call("DEBUG", "DIGEST"), loaded.log());
      }
    } finally {
      TempDirs.deleteQuietly(dir);
    }
  }
}
