package dev.vireo.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Replication through an ACL user that has only the rights Redis documents for a replica ({@code +psync +replconf
 * +ping}), with {@code masteruser} / {@code masterauth}, in both directions with a real redis-server 7.0: a Vireo
 * replica of a Redis master, and a Redis replica of a Vireo master. The default user of each master has a password
 * the replica does not know, so only the replication user can get it through.
 */
@Timeout(60)
class AclReplicationInteropIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String[] USER = {"--user", "replica-user", "on", ">rpw", "+psync", "+replconf", "+ping"};

  private static String[] with(String[] head, String... tail) {
    String[] all = new String[head.length + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }

  @Test
  void vireoReplicaOfRedisMasterAuthenticatesAsTheReplicationUser() {
    try (RedisServerProcess master = RedisServerProcess.start(with(USER, "--requirepass", "secret",
            "--repl-diskless-sync-delay", "0"));
        TestNode replica = TestNode.start("--masteruser", "replica-user", "--masterauth", "rpw",
            "--replicaof", "127.0.0.1 " + master.port());
        RespClient m = new RespClient(master.port());
        RespClient r = replica.client()) {
      assertEquals("+OK\r\n", m.call("AUTH", "secret"));
      assertEquals("+OK\r\n", m.call("SET", "k", "from-redis"));
      Poll.equal(WAIT, "the key replicated to Vireo", "$10\r\nfrom-redis\r\n", () -> r.call("GET", "k"));
      assertEquals("+OK\r\n", m.call("SET", "k2", "streamed"));
      Poll.equal(WAIT, "the stream applied on Vireo", "$8\r\nstreamed\r\n", () -> r.call("GET", "k2"));
      // on the master the replica's link runs as the replication user
      String replicaLine = "";
      for (String line : m.call("CLIENT", "LIST", "TYPE", "replica").split("\n")) {
        if (line.contains("flags=S")) replicaLine = line;
      }
      assertTrue(replicaLine.contains(" user=replica-user "), replicaLine);
    }
  }

  @Test
  void redisReplicaOfVireoMasterAuthenticatesAsTheReplicationUser() {
    try (TestNode master = TestNode.start(with(USER, "--requirepass", "secret", "--repl-diskless-sync-delay", "0"));
        RespClient m = master.client()) {
      assertEquals("+OK\r\n", m.call("AUTH", "secret"));
      assertEquals("+OK\r\n", m.call("SET", "k", "from-vireo"));
      try (RedisServerProcess replica = RedisServerProcess.start("--masteruser", "replica-user", "--masterauth", "rpw",
              "--replicaof", "127.0.0.1", String.valueOf(master.port()));
          RespClient r = new RespClient(replica.port())) {
        Poll.equal(WAIT, "the Redis replica's link", "up",
            () -> InfoFields.get(r.call("INFO", "replication"), "master_link_status"));
        assertEquals("$10\r\nfrom-vireo\r\n", r.call("GET", "k"));
        assertEquals("+OK\r\n", m.call("SET", "k2", "streamed"));
        Poll.equal(WAIT, "the stream applied on Redis", "$8\r\nstreamed\r\n", () -> r.call("GET", "k2"));
        String replicaLine = "";
        for (String line : m.call("CLIENT", "LIST").split("\n")) {
          if (line.contains("cmd=replconf") || line.contains("cmd=psync") || line.contains("flags=S")) {
            replicaLine = line;
          }
        }
        assertTrue(replicaLine.contains(" user=replica-user "), replicaLine);
        // the replication user may do nothing else: its own connection is refused a write
        try (RespClient other = new RespClient(master.port())) {
          assertEquals("+OK\r\n", other.call("AUTH", "replica-user", "rpw"));
          assertEquals("-NOPERM this user has no permissions to run the 'set' command\r\n",
              other.call("SET", "x", "y"));
        }
      }
    }
  }
}
