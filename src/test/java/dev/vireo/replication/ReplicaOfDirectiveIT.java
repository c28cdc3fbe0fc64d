package dev.vireo.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.FreePort;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RespClient;
import java.nio.file.Path;
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
        // Vireo follows the master once its dataset is loaded (until then INFO says master, where Redis says slave)
        Poll.until(Poll.WAIT, "following " + nobody + " again", () -> {
          String info = c.call("INFO", "replication");
          return "slave".equals(InfoFields.get(info, "role"))
              && Integer.toString(nobody).equals(InfoFields.get(info, "master_port"));
        }, () -> c.call("INFO", "replication"));
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
}
