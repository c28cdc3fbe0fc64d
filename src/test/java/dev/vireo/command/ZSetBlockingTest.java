package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import org.junit.jupiter.api.Test;

/** BZPOPMIN, BZPOPMAX and BZMPOP: waking on ZADD, timeouts, order of waiters, MULTI (replies as in Redis 7.0.15). */
class ZSetBlockingTest {
  @Test
  void bzpopminWakesOnZadd() {
    try (TestNode n = TestNode.start(); RespClient a = n.client(); RespClient b = n.client()) {
      a.sendRaw(RespClient.encodeCommand("BZPOPMIN", "k1", "k2", "0"));
      waitBlocked(b, 1);
      assertEquals(":2\r\n", b.call("ZADD", "k2", "1", "a", "2", "b"));
      assertEquals("*3\r\n$2\r\nk2\r\n$1\r\na\r\n$1\r\n1\r\n", a.readReply());
      assertEquals("*2\r\n$1\r\nb\r\n$1\r\n2\r\n", b.call("ZRANGE", "k2", "0", "-1", "WITHSCORES"));
    }
  }

  @Test
  void bzpopmaxResp3AndFifo() {
    try (TestNode n = TestNode.start(); RespClient a = n.client(); RespClient c2 = n.client();
        RespClient b = n.client()) {
      a.call("HELLO", "3");
      a.sendRaw(RespClient.encodeCommand("BZPOPMAX", "k", "0"));
      waitBlocked(b, 1);
      c2.sendRaw(RespClient.encodeCommand("BZPOPMAX", "k", "0"));
      waitBlocked(b, 2);
      assertEquals(":2\r\n", b.call("ZADD", "k", "1", "a", "2", "b"));
      assertEquals("*3\r\n$1\r\nk\r\n$1\r\nb\r\n,2\r\n", a.readReply());
      assertEquals("*3\r\n$1\r\nk\r\n$1\r\na\r\n$1\r\n1\r\n", c2.readReply());
      assertEquals(":0\r\n", b.call("EXISTS", "k"));
    }
  }

  @Test
  void bzmpopWakesWithCount() {
    try (TestNode n = TestNode.start(); RespClient a = n.client(); RespClient b = n.client()) {
      a.sendRaw(RespClient.encodeCommand("BZMPOP", "0", "1", "k", "MAX", "COUNT", "5"));
      waitBlocked(b, 1);
      assertEquals(":3\r\n", b.call("ZADD", "k", "1", "a", "2", "b", "3", "c"));
      assertEquals("*2\r\n$1\r\nk\r\n*3\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$1\r\na\r\n"
          + "$1\r\n1\r\n", a.readReply());
    }
  }

  @Test
  void timeoutRepliesNullArray() {
    try (TestNode n = TestNode.start(); RespClient a = n.client()) {
      long t0 = System.nanoTime();
      assertEquals("*-1\r\n", a.call("BZPOPMIN", "k", "0.1"));
      assertTrue(System.nanoTime() - t0 >= 90_000_000L);
      assertEquals("*-1\r\n", a.call("BZMPOP", "0.05", "1", "k", "MIN"));
      a.call("HELLO", "3");
      assertEquals("_\r\n", a.call("BZPOPMAX", "k", "0.05"));
    }
  }

  @Test
  void insideMultiDoesNotBlock() {
    try (TestNode n = TestNode.start(); RespClient a = n.client()) {
      assertEquals("+OK\r\n", a.call("MULTI"));
      assertEquals("+QUEUED\r\n", a.call("BZPOPMIN", "k", "0"));
      assertEquals("+QUEUED\r\n", a.call("BZMPOP", "0", "1", "k", "MIN"));
      assertEquals("*2\r\n*-1\r\n*-1\r\n", a.call("EXEC"));
    }
  }

  @Test
  void wrongTypeCreatedWhileBlockedKeepsWaiting() {
    try (TestNode n = TestNode.start(); RespClient a = n.client(); RespClient b = n.client()) {
      a.sendRaw(RespClient.encodeCommand("BZPOPMIN", "k", "0"));
      waitBlocked(b, 1);
      assertEquals("+OK\r\n", b.call("SET", "k", "v"));
      assertEquals(":1\r\n", b.call("DEL", "k"));
      assertEquals(":1\r\n", b.call("ZADD", "k", "5", "m"));
      assertEquals("*3\r\n$1\r\nk\r\n$1\r\nm\r\n$1\r\n5\r\n", a.readReply());
    }
  }

  /** Gives the blocking command time to arrive (blocked_clients is not a reliable signal for every build). */
  private static void waitBlocked(RespClient r, int n) {
    r.call("PING");
    try {
      Thread.sleep(150);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
