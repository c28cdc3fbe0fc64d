package dev.vireo.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.FreePort;
import dev.vireo.testkit.RespClient;
import org.junit.jupiter.api.Timeout;
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
}
