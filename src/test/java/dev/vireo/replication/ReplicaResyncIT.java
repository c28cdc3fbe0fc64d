package dev.vireo.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.Datasets;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.Replicas;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** After a dropped link the replica reconnects at once and continues with a partial resynchronization. */
@Timeout(120)
class ReplicaResyncIT {
  private static long stat(RespClient master, String name) {
    return Long.parseLong(InfoFields.get(master.call("INFO", "stats"), name));
  }

  @Test
  void killedMasterLinkResumesWithPartialResync() {
    try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes",
            "--repl-diskless-sync-delay", "0");
        RespClient m = redis.client();
        TestNode node = TestNode.start();
        RespClient r = node.client()) {
      Datasets.fillEveryType(m);
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(redis.port())));
      Replicas.awaitLinkUp(r);
      Replicas.awaitSameDigest(m, r);
      long fullBefore = stat(m, "sync_full");
      long partialBefore = stat(m, "sync_partial_ok");
      assertEquals(1, fullBefore);

      for (int round = 1; round <= 3; round++) {
        assertEquals(":1\r\n", r.call("CLIENT", "KILL", "TYPE", "master"));
        for (int i = 0; i < 50; i++) m.call("SET", "during" + round + ":" + i, "v" + i);
        m.call("SELECT", "1");
        m.call("LPUSH", "list", "round" + round);
        m.call("SELECT", "0");
        Replicas.awaitLinkUp(r);
        Replicas.awaitSameDigest(m, r);
        final long want = partialBefore + round;
        Poll.until(Poll.WAIT, "sync_partial_ok " + want, () -> stat(m, "sync_partial_ok") == want);
      }
      assertEquals(fullBefore, stat(m, "sync_full"));
      assertEquals("$2\r\nv7\r\n", r.call("GET", "during3:7"));

      // the stream selected db 1 before the drop; after a partial resync it goes on in db 1 without a SELECT
      m.call("SELECT", "1");
      m.call("SET", "before-drop", "1");
      Replicas.awaitSameDigest(m, r);
      assertEquals(":1\r\n", r.call("CLIENT", "KILL", "TYPE", "master"));
      m.call("SET", "after-drop", "2");
      m.call("MULTI");
      m.call("INCR", "counter");
      m.call("INCR", "counter");
      m.call("EXEC");
      Replicas.awaitSameDigest(m, r);
      r.call("SELECT", "1");
      assertEquals("$1\r\n2\r\n", r.call("GET", "after-drop"));
      assertEquals("$1\r\n2\r\n", r.call("GET", "counter"));
      m.call("SELECT", "0");

      // the master drops the replica: the same
      assertTrue(m.call("CLIENT", "KILL", "TYPE", "replica").startsWith(":"));
      m.call("SET", "after-master-kill", "1");
      Replicas.awaitSameDigest(m, r);
      Replicas.awaitLinkUp(r);
      Poll.equal(Poll.WAIT, "slave_repl_offset",
          InfoFields.get(m.call("INFO", "replication"), "master_repl_offset"),
          () -> InfoFields.get(r.call("INFO", "replication"), "slave_repl_offset"));
      assertEquals(fullBefore, stat(m, "sync_full"));
    }
  }
}
