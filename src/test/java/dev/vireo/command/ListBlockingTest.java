package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** BLPOP, BRPOP, BLMOVE, BRPOPLPUSH and BLMPOP: waiting, serving order, timeouts, cleanup. */
class ListBlockingTest {
  private static TestNode node;
  private RespClient admin;

  @BeforeAll
  static void start() {
    node = TestNode.start();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @BeforeEach
  void reset() {
    admin = node.client();
    admin.call("FLUSHALL");
    awaitBlocked(0);
  }

  @AfterEach
  void closeAdmin() {
    admin.close();
  }

  /** Waits (bounded) until the node counts exactly n blocked clients. */
  private void awaitBlocked(int n) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      if (node.node().server().blocking.blockedClients() == n) return;
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    fail("blocked clients never became " + n + ": " + node.node().server().blocking.blockedClients());
  }

  private static void send(RespClient c, String... args) {
    c.sendRaw(RespClient.encodeCommand(args));
  }

  @Test
  void waitersAreServedInTheOrderTheyBlocked() {
    try (RespClient a = node.client(); RespClient b = node.client()) {
      send(a, "BLPOP", "q", "0");
      awaitBlocked(1);
      send(b, "BLPOP", "q", "0");
      awaitBlocked(2);
      assertEquals(":2\r\n", admin.call("RPUSH", "q", "one", "two"));
      assertEquals("*2\r\n$1\r\nq\r\n$3\r\none\r\n", a.readReply());
      assertEquals("*2\r\n$1\r\nq\r\n$3\r\ntwo\r\n", b.readReply());
      awaitBlocked(0);
      assertEquals(":0\r\n", admin.call("EXISTS", "q"));
    }
  }

  @Test
  void onlyAsManyWaitersAsElementsAreServed() {
    try (RespClient a = node.client(); RespClient b = node.client()) {
      send(a, "BRPOP", "q", "0");
      awaitBlocked(1);
      send(b, "BRPOP", "q", "0");
      awaitBlocked(2);
      admin.call("LPUSH", "q", "x");
      assertEquals("*2\r\n$1\r\nq\r\n$1\r\nx\r\n", a.readReply());
      awaitBlocked(1);
      admin.call("LPUSH", "q", "y");
      assertEquals("*2\r\n$1\r\nq\r\n$1\r\ny\r\n", b.readReply());
      awaitBlocked(0);
    }
  }

  @Test
  void timeoutRepliesNullAfterTheDelay() {
    try (RespClient a = node.client()) {
      long t0 = System.nanoTime();
      assertEquals("*-1\r\n", a.call("BLPOP", "q", "0.1"));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms >= 90 && ms < 3000, "timed out after " + ms + " ms");
      assertEquals("*-1\r\n", a.call("BLMOVE", "q", "d", "LEFT", "RIGHT", "0.05"));
      assertEquals("*-1\r\n", a.call("BRPOPLPUSH", "q", "d", "0.05"));
      assertEquals("*-1\r\n", a.call("BLMPOP", "0.05", "1", "q", "LEFT"));
      a.call("HELLO", "3");
      assertEquals("_\r\n", a.call("BRPOP", "q", "0.05"));
      assertEquals("_\r\n", a.call("BLMOVE", "q", "d", "LEFT", "RIGHT", "0.05"));
      awaitBlocked(0);
    }
  }

  @Test
  void pipelinedCommandRunsAfterTheClientIsServed() {
    try (RespClient a = node.client()) {
      a.sendRaw(concat(RespClient.encodeCommand("BLPOP", "q", "0"), RespClient.encodeCommand("LLEN", "q"),
          RespClient.encodeCommand("PING")));
      awaitBlocked(1);
      admin.call("RPUSH", "q", "a", "b", "c");
      assertEquals("*2\r\n$1\r\nq\r\n$1\r\na\r\n", a.readReply());
      assertEquals(":2\r\n", a.readReply());
      assertEquals("+PONG\r\n", a.readReply());
    }
  }

  @Test
  void severalKeysPickTheFirstNonEmpty() {
    admin.call("RPUSH", "k2", "x", "y");
    admin.call("RPUSH", "k3", "z");
    assertEquals("*2\r\n$2\r\nk2\r\n$1\r\ny\r\n", admin.call("BRPOP", "k1", "k2", "k3", "0"));
    assertEquals("*2\r\n$2\r\nk2\r\n$1\r\nx\r\n", admin.call("BLPOP", "k1", "k2", "k3", "0"));
    assertEquals("*2\r\n$2\r\nk3\r\n$1\r\nz\r\n", admin.call("BLPOP", "k1", "k2", "k3", "0"));
    admin.call("SET", "s", "v");
    assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
        admin.call("BLPOP", "k1", "s", "0"));
    try (RespClient a = node.client()) {
      send(a, "BLPOP", "k1", "k2", "0");
      awaitBlocked(1);
      admin.call("RPUSH", "k2", "late");
      assertEquals("*2\r\n$2\r\nk2\r\n$4\r\nlate\r\n", a.readReply());
    }
  }

  @Test
  void disconnectedWaiterIsForgotten() {
    RespClient a = node.client();
    send(a, "BLPOP", "q", "0");
    awaitBlocked(1);
    a.close();
    awaitBlocked(0);
    assertTrue(admin.call("INFO", "clients").contains("blocked_clients:0\r\n"));
    assertEquals(":1\r\n", admin.call("RPUSH", "q", "kept"));
    assertEquals(":1\r\n", admin.call("LLEN", "q"));
  }

  @Test
  void blmoveChainsIntoAnotherWaiter() {
    try (RespClient a = node.client(); RespClient b = node.client()) {
      send(a, "BLMOVE", "src", "dst", "LEFT", "RIGHT", "0");
      awaitBlocked(1);
      send(b, "BLPOP", "dst", "0");
      awaitBlocked(2);
      admin.call("RPUSH", "src", "x");
      assertEquals("$1\r\nx\r\n", a.readReply());
      assertEquals("*2\r\n$3\r\ndst\r\n$1\r\nx\r\n", b.readReply());
      awaitBlocked(0);
      assertEquals(":0\r\n", admin.call("EXISTS", "src", "dst"));
    }
  }

  @Test
  void brpoplpushAndBlmpopServedByAPush() {
    try (RespClient a = node.client(); RespClient b = node.client()) {
      send(a, "BRPOPLPUSH", "src", "dst", "0");
      awaitBlocked(1);
      admin.call("RPUSH", "src", "1", "2");
      assertEquals("$1\r\n2\r\n", a.readReply());
      assertEquals("*1\r\n$1\r\n2\r\n", admin.call("LRANGE", "dst", "0", "-1"));
      send(b, "BLMPOP", "0", "2", "m1", "m2", "RIGHT", "COUNT", "2");
      awaitBlocked(1);
      admin.call("LPUSH", "m2", "a", "b", "c");
      assertEquals("*2\r\n$2\r\nm2\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n", b.readReply());
    }
  }

  @Test
  void blockingMoveToWrongTypeFailsWhenServed() {
    admin.call("SET", "dst", "v");
    try (RespClient a = node.client()) {
      send(a, "BLMOVE", "src", "dst", "LEFT", "LEFT", "0");
      awaitBlocked(1);
      admin.call("RPUSH", "src", "x");
      assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", a.readReply());
      assertEquals(":1\r\n", admin.call("LLEN", "src"));
    }
  }

  @Test
  void timeoutArgumentErrors() {
    assertEquals("-ERR timeout is negative\r\n", admin.call("BLPOP", "q", "-1"));
    assertEquals("-ERR timeout is not a float or out of range\r\n", admin.call("BLPOP", "q", "abc"));
    assertEquals("-ERR timeout is negative\r\n", admin.call("BLPOP", "q", "1e999"));
    assertEquals("-ERR timeout is negative\r\n", admin.call("BRPOP", "q", "-inf"));
    assertEquals("-ERR timeout is not a float or out of range\r\n", admin.call("BRPOP", "q", " 1"));
    assertEquals("-ERR timeout is not a float or out of range\r\n", admin.call("BLMPOP", "abc", "1", "a", "LEFT"));
    assertEquals("-ERR numkeys should be greater than 0\r\n", admin.call("BLMPOP", "0", "0", "a", "LEFT"));
    assertEquals("-ERR syntax error\r\n", admin.call("BLMOVE", "a", "b", "UP", "LEFT", "0"));
    assertEquals("-ERR wrong number of arguments for 'blpop' command\r\n", admin.call("BLPOP", "q"));
    awaitBlocked(0);
  }

  @Test
  void insideMultiNothingBlocks() {
    assertEquals("+OK\r\n", admin.call("MULTI"));
    admin.call("BLPOP", "q", "0");
    admin.call("BLMOVE", "q", "d", "LEFT", "LEFT", "0");
    admin.call("BRPOPLPUSH", "q", "d", "0");
    admin.call("BLMPOP", "0", "1", "q", "LEFT");
    assertEquals("*4\r\n*-1\r\n$-1\r\n$-1\r\n*-1\r\n", admin.call("EXEC"));
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) n += p.length;
    byte[] r = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, r, o, p.length);
      o += p.length;
    }
    return r;
  }
}
