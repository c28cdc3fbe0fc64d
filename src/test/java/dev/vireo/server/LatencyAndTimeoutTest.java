package dev.vireo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LatencyAndTimeoutTest {

  @Test
  void latencyMonitorRecordsSlowCommandsOnlyAboveTheThreshold() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      assertEquals("*0\r\n", r.call("LATENCY", "LATEST"));
      r.call("DEBUG", "SLEEP", "0.05");
      assertEquals("*0\r\n", r.call("LATENCY", "LATEST"), "threshold 0 disables the monitor");

      assertEquals("+OK\r\n", r.call("CONFIG", "SET", "latency-monitor-threshold", "20"));
      r.call("DEBUG", "SLEEP", "0.05");
      String latest = r.call("LATENCY", "LATEST");
      assertTrue(latest.startsWith("*1\r\n*4\r\n$7\r\ncommand\r\n:"), latest);
      String history = r.call("LATENCY", "HISTORY", "command");
      assertTrue(history.startsWith("*1\r\n*2\r\n:"), history);
      assertTrue(r.call("LATENCY", "DOCTOR").contains("command: 1 latency spikes"));
      assertEquals("*0\r\n", r.call("LATENCY", "HISTORY", "no-such-event"));
      assertEquals(":1\r\n", r.call("LATENCY", "RESET"));
      assertEquals("*0\r\n", r.call("LATENCY", "LATEST"));
      assertEquals("-ERR unknown subcommand 'NOPE'. Try LATENCY HELP.\r\n", r.call("LATENCY", "NOPE"));
    }
  }

  @Test
  void idleClientsAreClosedAfterTimeoutButActiveOnesStay() {
    try (TestNode n = TestNode.start("--timeout", "1"); RespClient idle = n.client(); RespClient busy = n.client()) {
      assertEquals("+PONG\r\n", idle.call("PING"));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      boolean closed = false;
      while (!closed && System.nanoTime() < deadline) {
        assertEquals("+PONG\r\n", busy.call("PING"));
        closed = idle.isClosedByPeer(Duration.ofMillis(200));
      }
      assertTrue(closed, "the idle client was not closed");
      assertEquals("+PONG\r\n", busy.call("PING"));
      assertFalse(busy.isClosedByPeer(Duration.ofMillis(50)));
    }
  }
}
