package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SUBSCRIBE/PSUBSCRIBE/PUBLISH/PUBSUB; expected bytes recorded from Redis 7.0.15. */
@Timeout(30)
class PubSubCommandsTest {
  static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.start();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void subscribersReceiveMessagesAndPatternMessages() {
    try (RespClient a = node.client(); RespClient b = node.client()) {
      assertEquals("*3\r\n$9\r\nsubscribe\r\n$2\r\nc1\r\n:1\r\n", a.call("SUBSCRIBE", "c1", "c2"));
      assertEquals("*3\r\n$9\r\nsubscribe\r\n$2\r\nc2\r\n:2\r\n", a.readReply());
      assertEquals("*3\r\n$10\r\npsubscribe\r\n$2\r\nc*\r\n:3\r\n", a.call("PSUBSCRIBE", "c*"));
      assertEquals("-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET "
          + "are allowed in this context\r\n", a.call("GET", "x"));
      assertEquals("*2\r\n$4\r\npong\r\n$0\r\n\r\n", a.call("PING"));
      assertEquals("*2\r\n$4\r\npong\r\n$2\r\nhi\r\n", a.call("PING", "hi"));

      assertEquals(":2\r\n", b.call("PUBLISH", "c1", "hello"));
      assertEquals("*3\r\n$7\r\nmessage\r\n$2\r\nc1\r\n$5\r\nhello\r\n", a.readReply());
      assertEquals("*4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nc1\r\n$5\r\nhello\r\n", a.readReply());
      assertEquals(":0\r\n", b.call("PUBLISH", "nobody", "x"));

      assertEquals("*4\r\n$2\r\nc1\r\n:1\r\n$2\r\nzz\r\n:0\r\n", b.call("PUBSUB", "NUMSUB", "c1", "zz"));
      assertEquals(":1\r\n", b.call("PUBSUB", "NUMPAT"));
      String channels = b.call("PUBSUB", "CHANNELS");
      assertTrue(Set.of("*2\r\n$2\r\nc1\r\n$2\r\nc2\r\n", "*2\r\n$2\r\nc2\r\n$2\r\nc1\r\n").contains(channels),
          channels);
      assertEquals("*1\r\n$2\r\nc2\r\n", b.call("PUBSUB", "CHANNELS", "*2"));

      // unsubscribing from everything: one confirmation per channel, then a null channel when none are left
      String first = a.call("UNSUBSCRIBE");
      String second = a.readReply();
      assertTrue(first.endsWith(":2\r\n") && second.endsWith(":1\r\n"), first + second);
      assertEquals("*3\r\n$12\r\npunsubscribe\r\n$2\r\nc*\r\n:0\r\n", a.call("PUNSUBSCRIBE"));
      assertEquals("*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n", a.call("UNSUBSCRIBE"));
      assertEquals("$-1\r\n", a.call("GET", "x"), "back to normal mode");
      assertEquals(":0\r\n", b.call("PUBLISH", "c1", "x"));
    }
  }

  @Test
  void resp3SubscribersGetPushFramesAndMayRunCommands() {
    try (RespClient c = node.client(); RespClient b = node.client()) {
      c.call("HELLO", "3");
      assertEquals(">3\r\n$9\r\nsubscribe\r\n$2\r\nr3\r\n:1\r\n", c.call("SUBSCRIBE", "r3"));
      assertEquals("_\r\n", c.call("GET", "x"));
      assertEquals(":1\r\n", b.call("PUBLISH", "r3", "m"));
      assertEquals(">3\r\n$7\r\nmessage\r\n$2\r\nr3\r\n$1\r\nm\r\n", c.readReply());
    }
  }

  @Test
  void disconnectedSubscribersAreForgotten() throws Exception {
    try (RespClient b = node.client()) {
      try (RespClient a = node.client()) {
        a.call("SUBSCRIBE", "gone");
        assertEquals(":1\r\n", b.call("PUBLISH", "gone", "x"));
      }
      long deadline = System.nanoTime() + 5_000_000_000L;
      String n = b.call("PUBLISH", "gone", "x");
      while (!n.equals(":0\r\n") && System.nanoTime() < deadline) {
        Thread.sleep(10);
        n = b.call("PUBLISH", "gone", "x");
      }
      assertEquals(":0\r\n", n);
      assertTrue(b.call("CLIENT", "LIST").contains("sub=0"));
    }
  }
}
