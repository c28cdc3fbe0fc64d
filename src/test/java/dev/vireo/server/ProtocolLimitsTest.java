package dev.vireo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Malformed frames over the network: the error reply Redis sends, then the connection is closed. */
class ProtocolLimitsTest {
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
  private static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.start();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static void assertErrorThenClosed(String input, String error) {
    try (RespClient r = node.client()) {
      r.sendRaw(input);
      assertEquals("-ERR Protocol error: " + error + "\r\n", r.readReply());
      assertTrue(r.isClosedByPeer(CLOSE_WAIT), "closed after " + error);
    }
  }

  @Test
  void malformedFramesAreAnsweredAndClosed() {
    assertErrorThenClosed("*abc\r\n", "invalid multibulk length");
    assertErrorThenClosed("*03\r\n$4\r\nPING\r\n", "invalid multibulk length");
    assertErrorThenClosed("*3000000000\r\n", "invalid multibulk length");
    assertErrorThenClosed("*1\r\n$-5\r\n", "invalid bulk length");
    assertErrorThenClosed("*1\r\n$abc\r\n", "invalid bulk length");
    assertErrorThenClosed("*1\r\n$536870913\r\n", "invalid bulk length");
    assertErrorThenClosed("*2\r\n:1\r\n", "expected '$', got ':'");
    assertErrorThenClosed("ECHO \"abc\r\n", "unbalanced quotes in request");
    assertErrorThenClosed("ECHO \"abc\"d\r\n", "unbalanced quotes in request");
  }

  @Test
  void tooLongLinesWithoutNewline() {
    char[] a = new char[70_000];
    Arrays.fill(a, 'a');
    assertErrorThenClosed(new String(a), "too big inline request");
    Arrays.fill(a, '1');
    a[0] = '*';
    assertErrorThenClosed(new String(a), "too big mbulk count string");
    String bulk = "*1\r\n$" + new String(a, 1, a.length - 1);
    assertErrorThenClosed(bulk, "too big bulk count string");
  }

  @Test
  void commandsBeforeTheErrorAreAnsweredFirst() {
    try (RespClient r = node.client()) {
      r.sendRaw("PING\r\n*1\r\n$4\r\nPING\r\nSET before err\r\n*1\r\n$-5\r\nSET after err\r\n");
      assertEquals("+PONG\r\n", r.readReply());
      assertEquals("+PONG\r\n", r.readReply());
      assertEquals("+OK\r\n", r.readReply());
      assertEquals("-ERR Protocol error: invalid bulk length\r\n", r.readReply());
      assertTrue(r.isClosedByPeer(CLOSE_WAIT));
    }
    try (RespClient r = node.client()) {
      assertEquals("$3\r\nerr\r\n", r.call("GET", "before"));
      assertEquals("$-1\r\n", r.call("GET", "after"));
    }
  }

  @Test
  void otherConnectionsAreUnaffected() {
    try (RespClient good = node.client(); RespClient bad = node.client()) {
      assertEquals("+PONG\r\n", good.call("PING"));
      bad.sendRaw("*2\r\n:1\r\n");
      assertEquals("-ERR Protocol error: expected '$', got ':'\r\n", bad.readReply());
      assertTrue(bad.isClosedByPeer(CLOSE_WAIT));
      assertEquals("+PONG\r\n", good.call("PING"));
      assertFalse(good.isClosedByPeer(Duration.ofMillis(200)));
    }
    try (RespClient fresh = node.client()) {
      assertEquals("+PONG\r\n", fresh.call("PING"));
    }
  }

  @Test
  void emptyAndNullMultibulkAreIgnored() {
    try (RespClient r = node.client()) {
      r.sendRaw("*0\r\n*-1\r\n\r\n\r\nPING\r\n");
      assertEquals("+PONG\r\n", r.readReply());
    }
  }

  @Test
  void splitFramesAreReassembled() throws Exception {
    try (RespClient r = node.client()) {
      byte[] cmd = RespClient.encodeCommand("ECHO", "split-value");
      for (byte b : cmd) {
        r.sendRaw(new byte[] {b});
      }
      assertEquals("$11\r\nsplit-value\r\n", r.readReply());
    }
  }

  @Test
  void protoMaxBulkLenIsConfigurable() {
    try (TestNode n = TestNode.start(); RespClient admin = n.client()) {
      assertEquals("-ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - argument must be "
          + "between 1048576 and 9223372036854775807 inclusive\r\n",
          admin.call("CONFIG", "SET", "proto-max-bulk-len", "1000"));
      assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "proto-max-bulk-len", "1048576"));
      try (RespClient r = n.client()) {
        r.sendRaw("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048577\r\n");
        assertEquals("-ERR Protocol error: invalid bulk length\r\n", r.readReply());
        assertTrue(r.isClosedByPeer(CLOSE_WAIT));
      }
      try (RespClient r = n.client()) {
        char[] v = new char[1048576];
        Arrays.fill(v, 'v');
        assertEquals("+OK\r\n", r.call("SET", "k", new String(v)));
        assertEquals("*2\r\n$18\r\nproto-max-bulk-len\r\n$7\r\n1048576\r\n",
            r.call("CONFIG", "GET", "proto-max-bulk-len"));
      }
    }
  }

  @Test
  void protoMaxBulkLenAppliesToOpenConnections() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.readTimeout(Duration.ofSeconds(3));
      assertEquals("+OK\r\n", r.call("CONFIG", "SET", "proto-max-bulk-len", "1048576"));
      r.sendRaw("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048577\r\n");
      assertEquals("-ERR Protocol error: invalid bulk length\r\n", r.readReply());
      assertTrue(r.isClosedByPeer(CLOSE_WAIT));
    }
  }

  @Test
  void queryBufferLimitClosesTheClient() {
    try (TestNode n = TestNode.start(); RespClient admin = n.client(); RespClient r = n.client()) {
      assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "client-query-buffer-limit", "1048576"));
      // A bulk that will never complete, longer than the limit.
      r.sendRaw("*2\r\n$4\r\nECHO\r\n$5000000\r\n");
      byte[] chunk = new byte[64 * 1024];
      Arrays.fill(chunk, (byte) 'x');
      try {
        for (int i = 0; i < 24; i++) {
          r.sendRaw(chunk);
        }
      } catch (RuntimeException closedWhileSending) {
        // the node may close before all bytes are written
      }
      assertTrue(r.isClosedByPeer(CLOSE_WAIT));
      assertEquals("+PONG\r\n", admin.call("PING"));
    }
  }

  @Test
  void unauthenticatedClientsGetSmallLimits() {
    try (TestNode n = TestNode.start("--requirepass", "pw")) {
      try (RespClient r = n.client().readTimeout(Duration.ofSeconds(3))) {
        r.sendRaw("*20\r\n");
        assertEquals("-ERR Protocol error: unauthenticated multibulk length\r\n", r.readReply());
        assertTrue(r.isClosedByPeer(CLOSE_WAIT));
      }
      try (RespClient r = n.client().readTimeout(Duration.ofSeconds(3))) {
        r.sendRaw("*2\r\n$4\r\nAUTH\r\n$20000\r\n");
        assertEquals("-ERR Protocol error: unauthenticated bulk length\r\n", r.readReply());
        assertTrue(r.isClosedByPeer(CLOSE_WAIT));
      }
      try (RespClient r = n.client()) {
        assertEquals("+OK\r\n", r.call("AUTH", "pw"));
        r.sendRaw("*20\r\n");
        for (int i = 0; i < 20; i++) {
          r.sendRaw("$1\r\nx\r\n");
        }
        assertEquals("-ERR unknown command 'x', with args beginning with: 'x' 'x' 'x' 'x' 'x' 'x' 'x' 'x' 'x' "
            + "'x' 'x' 'x' 'x' 'x' 'x' 'x' 'x' 'x' 'x' \r\n", r.readReply());
      }
    }
  }
}
