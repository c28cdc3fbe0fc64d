package dev.vireo.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.testkit.Datasets;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.Replicas;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica that saved its dataset and restarted continues from the replication id and offset recorded in the
 * RDB file: the master answers its PSYNC with {@code +CONTINUE} and streams only what it missed.
 */
@Timeout(120)
class ReplicaRestartIT {
  private static long stat(RespClient master, String name) {
    return Long.parseLong(InfoFields.get(master.call("INFO", "stats"), name));
  }

  @Test
  void restartedReplicaResumesWithPartialResync(@TempDir Path dir) throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes",
            "--repl-diskless-sync-delay", "0");
        RespClient m = redis.client()) {
      Datasets.fillEveryType(m);
      String offsetAtSave;
      String masterId;
      try (TestNode node = TestNode.start("--dir", dir.toString());
          RespClient r = node.client()) {
        assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(redis.port())));
        Replicas.awaitLinkUp(r);
        // the stream leaves db 1 selected: after the restart it must continue there without a new SELECT
        m.call("SELECT", "1");
        m.call("SET", "in-db1", "before");
        Replicas.awaitSameDigest(m, r);
        assertEquals("+OK\r\n", r.call("SAVE"));
        // the master took a new id when its backlog was created for this replica
        masterId = InfoFields.get(m.call("INFO", "replication"), "master_replid");
        offsetAtSave = InfoFields.get(r.call("INFO", "replication"), "slave_repl_offset");
        assertEquals(masterId, InfoFields.get(r.call("INFO", "replication"), "master_replid"));
      }
      long fullBefore = stat(m, "sync_full");
      long partialBefore = stat(m, "sync_partial_ok");

      // writes the stopped replica misses, in the db the stream had selected and in another one
      m.call("SET", "in-db1", "after");
      m.call("INCR", "counter1");
      m.call("SELECT", "0");
      for (int i = 0; i < 20; i++) m.call("SET", "missed:" + i, "v" + i);
      m.call("DEL", "missed:3");

      try (TestNode node = TestNode.start("--dir", dir.toString(),
              "--replicaof", "127.0.0.1 " + redis.port());
          RespClient r = node.client()) {
        node.node().loaded().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        Replicas.awaitLinkUp(r);
        Replicas.awaitSameDigest(m, r);
        Poll.until(Poll.WAIT, "sync_partial_ok " + (partialBefore + 1),
            () -> stat(m, "sync_partial_ok") == partialBefore + 1);
        assertEquals(fullBefore, stat(m, "sync_full"));
        assertEquals(masterId, InfoFields.get(r.call("INFO", "replication"), "master_replid"));
        Poll.equal(Poll.WAIT, "slave_repl_offset",
            InfoFields.get(m.call("INFO", "replication"), "master_repl_offset"),
            () -> InfoFields.get(r.call("INFO", "replication"), "slave_repl_offset"));
        r.call("SELECT", "1");
        assertEquals("$5\r\nafter\r\n", r.call("GET", "in-db1"));
        assertEquals(true, Long.parseLong(offsetAtSave) > 0);
      }
    }
  }
}
