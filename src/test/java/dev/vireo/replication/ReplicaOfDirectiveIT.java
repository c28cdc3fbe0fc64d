package dev.vireo.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.FreePort;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * REPLICAOF changes the {@code replicaof} directive, as in Redis: CONFIG GET shows the master
 * followed, and CONFIG REWRITE writes it, so a node restarted from its rewritten file follows the same master
 * (RepointIT restarts such replicas); REPLICAOF NO ONE clears it. Same bytes from Redis and Vireo.
 */
@Timeout(60)
class ReplicaOfDirectiveIT {
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "vireo"})
  void replicaofCommandUpdatesTheDirective(String kind) {
    int nobody = FreePort.get(); // no master answers there: the link stays down, which changes nothing here
    String hostPort = "127.0.0.1 " + nobody;
    try (AnyServer s = AnyServer.start(kind); RespClient c = s.client()) {
      assertEquals("*2\r\n$9\r\nreplicaof\r\n$0\r\n\r\n", c.call("CONFIG", "GET", "replicaof"));
      assertEquals("+OK\r\n", c.call("REPLICAOF", "127.0.0.1", Integer.toString(nobody)));
      assertEquals("*2\r\n$9\r\nreplicaof\r\n$" + hostPort.length() + "\r\n" + hostPort + "\r\n",
          c.call("CONFIG", "GET", "replicaof"));
      assertEquals("+OK\r\n", c.call("REPLICAOF", "NO", "ONE"));
      assertEquals("*2\r\n$9\r\nreplicaof\r\n$0\r\n\r\n", c.call("CONFIG", "GET", "replicaof"));
    }
  }

  /**
   * What Sentinel relies on after it re-points a node (SLAVEOF, then CONFIG REWRITE): restarted from its rewritten
   * file, the node follows the same master; after SLAVEOF NO ONE and a rewrite, it starts as a master.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "vireo"})
  void aRewrittenReplicaofSurvivesARestart(String kind, @TempDir Path dir) {
    int nobody = FreePort.get();
    String hostPort = "127.0.0.1 " + nobody;
    try (GroupMember node = GroupMember.start(kind, FreePort.get(), dir)) {
      try (RespClient c = node.client()) {
        assertEquals("+OK\r\n", c.call("SLAVEOF", "127.0.0.1", Integer.toString(nobody)));
        assertEquals("+OK\r\n", c.call("CONFIG", "REWRITE"));
      }
      node.stop();
      node.start();
      try (RespClient c = node.client()) {
        assertEquals("*2\r\n$9\r\nreplicaof\r\n$" + hostPort.length() + "\r\n" + hostPort + "\r\n",
            c.call("CONFIG", "GET", "replicaof"));
        String info = c.call("INFO", "replication");
        assertEquals("slave", InfoFields.get(info, "role"), info);
        assertEquals(Integer.toString(nobody), InfoFields.get(info, "master_port"), info);
        assertEquals("+OK\r\n", c.call("SLAVEOF", "NO", "ONE"));
        assertEquals("+OK\r\n", c.call("CONFIG", "REWRITE"));
      }
      node.stop();
      node.start();
      try (RespClient c = node.client()) {
        assertEquals("*2\r\n$9\r\nreplicaof\r\n$0\r\n\r\n", c.call("CONFIG", "GET", "replicaof"));
        assertEquals("master", InfoFields.get(c.call("INFO", "replication"), "role"));
      }
    }
  }

  /**
   * A node started with {@code replicaof} is a replica from the start, while its dataset still loads (its link
   * connects afterwards): INFO says {@code role:slave} and ROLE {@code connect}, as Redis 7.0.15 answers, so a
   * Sentinel asking a restarted node meanwhile does not take it for a master.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "vireo"})
  void aReplicaIsOneWhileItsDatasetLoads(String kind, @TempDir Path dir) throws Exception {
    int nobody = FreePort.get();
    try (AnyServer s = AnyServer.start(kind, "--dir", dir.toString(), "--enable-debug-command", "yes");
        RespClient c = s.client()) {
      assertEquals("+OK\r\n", c.call("DEBUG", "POPULATE", "20000"));
      assertEquals("+OK\r\n", c.call("SAVE"));
    }
    String[] args = {"--dir", dir.toString(), "--key-load-delay", "200", "--replicaof", "127.0.0.1 " + nobody};
    // Redis answers while it loads only every loading-process-events-interval-bytes (2 MB by default)
    try (AutoCloseable s = kind.equals("redis") ? RedisServerProcess.startLoading(concat(args,
            "--loading-process-events-interval-bytes", "1024")) : TestNode.start(args);
        RespClient c = s instanceof TestNode n ? n.client() : ((RedisServerProcess) s).client()) {
      assertEquals("1", InfoFields.get(c.call("INFO", "persistence"), "loading"), "still loading");
      String info = c.call("INFO", "replication");
      assertEquals("slave", InfoFields.get(info, "role"), info);
      assertEquals("down", InfoFields.get(info, "master_link_status"), info);
      assertEquals("*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:" + nobody + "\r\n$7\r\nconnect\r\n:-1\r\n",
          c.call("ROLE"));
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
