package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** CLIENT UNBLOCK releases a blocked client as on timeout, or with an error; bytes recorded from Redis 7.0.15. */
@Timeout(30)
class ClientUnblockTest {
  @Test
  void unblockAsTimeoutOrError() throws Exception {
    try (TestNode n = TestNode.start(); RespClient a = n.client(); RespClient b = n.client()) {
      String id = a.call("CLIENT", "ID").substring(1).trim();
      assertEquals(":0\r\n", b.call("CLIENT", "UNBLOCK", id), "not blocked yet");

      a.sendRaw(RespClient.encodeCommand("BLPOP", "fresh1", "0"));
      awaitBlocked(b, 1);
      assertEquals(":1\r\n", b.call("CLIENT", "UNBLOCK", id, "ERROR"));
      assertEquals("-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n", a.readReply());

      a.sendRaw(RespClient.encodeCommand("BLMOVE", "fresh1", "d", "LEFT", "LEFT", "0"));
      awaitBlocked(b, 1);
      assertEquals(":1\r\n", b.call("CLIENT", "UNBLOCK", id, "TIMEOUT"));
      assertEquals("*-1\r\n", a.readReply());
      awaitBlocked(b, 0);
      assertEquals("+PONG\r\n", a.call("PING"), "the released client goes on");

      assertEquals("-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n", b.call("CLIENT", "UNBLOCK", id, "FOO"));
      assertEquals("-ERR value is not an integer or out of range\r\n", b.call("CLIENT", "UNBLOCK", "abc"));
    }
  }

  private static void awaitBlocked(RespClient r, int n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (r.call("INFO", "clients").contains("blocked_clients:" + n + "\r\n")) return;
      Thread.sleep(5);
    }
    assertTrue(false, "blocked_clients never became " + n);
  }
}
