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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A Vireo node becomes the replica of a real Redis master: full sync, the command stream, read-only, promotion. */
@Timeout(120)
class ReplicaSyncIT {
  @ParameterizedTest
  @ValueSource(strings = {"yes", "no"})
  void fullSyncThenStreamThenPromotion(String diskless) {
    try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes",
            "--repl-diskless-sync-delay", "0");
        RespClient m = redis.client();
        TestNode node = TestNode.start();
        RespClient r = node.client()) {
      assertEquals("+OK\r\n", m.call("CONFIG", "SET", "repl-diskless-sync", diskless));
      Datasets.fillEveryType(m);
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(redis.port())));
      assertEquals("+OK Already connected to specified master\r\n",
          r.call("REPLICAOF", "127.0.0.1", Integer.toString(redis.port())));
      Replicas.awaitLinkUp(r);
      Replicas.awaitSameDigest(m, r);

      String info = r.call("INFO", "replication");
      assertTrue(info.startsWith("$"), info);
      assertTrue(info.contains("\r\nrole:slave\r\nmaster_host:127.0.0.1\r\nmaster_port:" + redis.port()
          + "\r\nmaster_link_status:up\r\n"), info);
      assertEquals(InfoFields.get(m.call("INFO", "replication"), "master_replid"),
          InfoFields.get(info, "master_replid"));
      assertTrue(r.call("ROLE").startsWith("*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:" + redis.port()
          + "\r\n$9\r\nconnected\r\n:"), r.call("ROLE"));
      assertTrue(r.call("CLIENT", "LIST").contains("flags=M "), r.call("CLIENT", "LIST"));

      m.call("SET", "k", "v");
      m.call("LPUSH", "newlist", "x", "y");
      m.call("HSET", "hash", "h", "1");
      m.call("EXPIRE", "k", "1000");
      m.call("DEL", "set");
      m.call("SELECT", "2");
      m.call("SET", "in2", "two");
      m.call("DEL", "biglist");
      m.call("SELECT", "0");
      Replicas.awaitSameDigest(m, r);
      assertEquals("$1\r\nv\r\n", r.call("GET", "k"));
      r.call("SELECT", "2");
      assertEquals("$3\r\ntwo\r\n", r.call("GET", "in2"));

      // the offsets agree once the stream is applied
      Poll.equal(Poll.WAIT, "slave_repl_offset", InfoFields.get(m.call("INFO", "replication"), "master_repl_offset"),
          () -> InfoFields.get(r.call("INFO", "replication"), "slave_repl_offset"));

      assertEquals("-READONLY You can't write against a read only replica.\r\n", r.call("SET", "w", "1"));

      assertEquals("+OK\r\n", r.call("REPLICAOF", "NO", "ONE"));
      assertEquals("$3\r\ntwo\r\n", r.call("GET", "in2"));
      assertEquals("+OK\r\n", r.call("SET", "w", "1"));
      String after = r.call("INFO", "replication");
      assertTrue(after.contains("\r\nrole:master\r\n"), after);
      assertEquals(InfoFields.get(info, "master_replid"), InfoFields.get(after, "master_replid2"));
    }
  }

  @Test
  void replicaofDirectiveAtStartup() {
    try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes",
            "--repl-diskless-sync-delay", "0");
        RespClient m = redis.client()) {
      Datasets.fillEveryType(m);
      try (TestNode node = TestNode.start("--replicaof", "127.0.0.1", Integer.toString(redis.port()));
          RespClient r = node.client()) {
        Replicas.awaitLinkUp(r);
        Replicas.awaitSameDigest(m, r);
        m.call("INCR", "num");
        Replicas.awaitSameDigest(m, r);
      }
    }
  }

  @Test
  void expiredKeysAreHiddenButDeletedOnlyByTheMaster() {
    try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes",
            "--repl-diskless-sync-delay", "0");
        RespClient m = redis.client();
        TestNode node = TestNode.start();
        RespClient r = node.client()) {
      assertEquals("+OK\r\n", m.call("DEBUG", "SET-ACTIVE-EXPIRE", "0"));
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(redis.port())));
      Replicas.awaitLinkUp(r);
      m.call("SET", "short", "v", "PX", "200");
      Replicas.awaitSameDigest(m, r);
      Poll.sleep(400);
      assertEquals("$-1\r\n", r.call("GET", "short"));
      assertEquals(":1\r\n", r.call("DBSIZE"));
      assertEquals("$-1\r\n", m.call("GET", "short")); // the master expires it and sends DEL
      Poll.equal(Poll.WAIT, "DBSIZE on the replica", ":0\r\n", () -> r.call("DBSIZE"));
    }
  }

  @Test
  void staleDataRefusedWhileTheLinkIsDownWhenAskedTo() {
    try (TestNode node = TestNode.start("--replica-serve-stale-data", "no", "--repl-timeout", "5");
        RespClient r = node.client()) {
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", "1"));
      assertEquals("-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.\r\n",
          r.call("GET", "x"));
      String info = r.call("INFO", "replication");
      assertEquals("down", InfoFields.get(info, "master_link_status"), info);
      assertEquals("-1", InfoFields.get(info, "master_link_down_since_seconds"), info);
      assertEquals("+OK\r\n", r.call("REPLICAOF", "NO", "ONE"));
      assertEquals("$-1\r\n", r.call("GET", "x"));
    }
  }
}
