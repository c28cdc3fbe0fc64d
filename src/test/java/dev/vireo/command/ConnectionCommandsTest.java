package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PING, ECHO, QUIT, SELECT, AUTH, HELLO, RESET and pipelining, compared byte for byte with Redis 7.0. */
class ConnectionCommandsTest {
  private static final String NOAUTH_HELLO = "-NOAUTH HELLO must be called with the client already authenticated, "
      + "otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
      + "protocol version at the same time\r\n";
  private static final String WRONGPASS = "-WRONGPASS invalid username-password pair or user is disabled.\r\n";

  private static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.start();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static long id(RespClient r) {
    String reply = r.call("CLIENT", "ID");
    return Long.parseLong(reply.substring(1, reply.length() - 2));
  }

  private static String helloMap(String header, int proto, long id) {
    return header + "\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:" + proto
        + "\r\n$2\r\nid\r\n:" + id + "\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n"
        + "$7\r\nmodules\r\n*0\r\n";
  }

  @Test
  void ping() {
    try (RespClient r = node.client()) {
      assertEquals("+PONG\r\n", r.call("PING"));
      assertEquals("$5\r\nhello\r\n", r.call("PING", "hello"));
      assertEquals("$0\r\n\r\n", r.call("PING", ""));
      assertEquals("-ERR wrong number of arguments for 'ping' command\r\n", r.call("PING", "a", "b"));
      assertEquals("+PONG\r\n", r.call("ping"));
    }
  }

  @Test
  void echo() {
    try (RespClient r = node.client()) {
      assertEquals("$3\r\nabc\r\n", r.call("ECHO", "abc"));
      assertEquals("$0\r\n\r\n", r.call("ECHO", ""));
      assertEquals("-ERR wrong number of arguments for 'echo' command\r\n", r.call("ECHO"));
      assertEquals("-ERR wrong number of arguments for 'echo' command\r\n", r.call("ECHO", "x", "y"));
      byte[] binary = {0, (byte) 0xff, '\r', '\n'};
      assertEquals("$4\r\n\u0000\u00ff\r\n\r\n",
          new String(r.callBytes("ECHO".getBytes(), binary), StandardCharsets.ISO_8859_1));
    }
  }

  @Test
  void quitRepliesThenCloses() {
    try (RespClient r = node.client()) {
      assertEquals("+OK\r\n", r.call("QUIT"));
      assertTrue(r.isClosedByPeer(Duration.ofSeconds(5)));
    }
  }

  @Test
  void quitInPipelineStopsLaterCommands() {
    try (RespClient r = node.client()) {
      r.sendRaw("PING\r\nQUIT\r\nSET quitlater 1\r\n");
      assertEquals("+PONG\r\n", r.readReply());
      assertEquals("+OK\r\n", r.readReply());
      assertTrue(r.isClosedByPeer(Duration.ofSeconds(5)));
    }
    try (RespClient r = node.client()) {
      assertEquals("$-1\r\n", r.call("GET", "quitlater"));
    }
  }

  @Test
  void select() {
    try (RespClient r = node.client()) {
      assertEquals("-ERR DB index is out of range\r\n", r.call("SELECT", "16"));
      assertEquals("-ERR DB index is out of range\r\n", r.call("SELECT", "-1"));
      assertEquals("-ERR value is not an integer or out of range\r\n", r.call("SELECT", "abc"));
      assertEquals("-ERR value is not an integer or out of range\r\n", r.call("SELECT", "1.5"));
      assertEquals("-ERR wrong number of arguments for 'select' command\r\n", r.call("SELECT"));
      assertEquals("+OK\r\n", r.call("SELECT", "15"));
      assertEquals("+OK\r\n", r.call("SET", "selk", "in15"));
      assertEquals("+OK\r\n", r.call("SELECT", "0"));
      assertEquals("$-1\r\n", r.call("GET", "selk"));
      assertEquals("+OK\r\n", r.call("SELECT", "15"));
      assertEquals("$4\r\nin15\r\n", r.call("GET", "selk"));
      assertEquals(":1\r\n", r.call("DEL", "selk"));
    }
  }

  @Test
  void authWithoutPasswordConfigured() {
    try (RespClient r = node.client()) {
      assertEquals("-ERR AUTH <password> called without any password configured for the default user. "
          + "Are you sure your configuration is correct?\r\n", r.call("AUTH", "pw"));
      assertEquals("+OK\r\n", r.call("AUTH", "default", "anything"));
      assertEquals(WRONGPASS, r.call("AUTH", "otheruser", "pw"));
      assertEquals("-ERR syntax error\r\n", r.call("AUTH", "a", "b", "c"));
      assertEquals("-ERR wrong number of arguments for 'auth' command\r\n", r.call("AUTH"));
    }
  }

  @Test
  void authWithPassword() {
    try (TestNode n = TestNode.start("--requirepass", "pw"); RespClient r = n.client()) {
      assertEquals("-NOAUTH Authentication required.\r\n", r.call("GET", "k"));
      assertEquals("-NOAUTH Authentication required.\r\n", r.call("PING"));
      assertEquals(NOAUTH_HELLO, r.call("HELLO", "3"));
      assertEquals(NOAUTH_HELLO, r.call("HELLO"));
      assertEquals(WRONGPASS, r.call("HELLO", "3", "AUTH", "default", "wrong"));
      assertEquals(WRONGPASS, r.call("AUTH", "wrong"));
      assertEquals(WRONGPASS, r.call("AUTH", "otheruser", "pw"));
      assertEquals("-ERR syntax error\r\n", r.call("AUTH", "a", "b", "c"));
      assertEquals("+OK\r\n", r.call("AUTH", "pw"));
      assertEquals("$-1\r\n", r.call("GET", "k"));
      assertEquals("+RESET\r\n", r.call("RESET"));
      assertEquals("-NOAUTH Authentication required.\r\n", r.call("GET", "k"));
      assertEquals("+OK\r\n", r.call("AUTH", "default", "pw"));
      assertEquals("+PONG\r\n", r.call("PING"));
    }
  }

  @Test
  void helloAuthAndSetname() {
    try (TestNode n = TestNode.start("--requirepass", "pw"); RespClient r = n.client()) {
      String reply = r.call("HELLO", "3", "AUTH", "default", "pw", "SETNAME", "myname");
      assertEquals(helloMap("%7", 3, id(r)), reply);
      assertEquals("$6\r\nmyname\r\n", r.call("CLIENT", "GETNAME"));
      assertEquals("_\r\n", r.call("GET", "nokey"));
    }
  }

  @Test
  void helloProtocols() {
    try (RespClient r = node.client()) {
      long id = id(r);
      assertEquals("$-1\r\n", r.call("GET", "nokey"));
      assertEquals(helloMap("%7", 3, id), r.call("HELLO", "3"));
      assertEquals("_\r\n", r.call("GET", "nokey"));
      assertEquals(helloMap("%7", 3, id), r.call("HELLO"));
      assertEquals(helloMap("*14", 2, id), r.call("HELLO", "2"));
      assertEquals("$-1\r\n", r.call("GET", "nokey"));
      assertEquals(helloMap("*14", 2, id), r.call("HELLO"));
      assertEquals("-NOPROTO unsupported protocol version\r\n", r.call("HELLO", "4"));
      assertEquals("-NOPROTO unsupported protocol version\r\n", r.call("HELLO", "1"));
      assertEquals("-ERR Protocol version is not an integer or out of range\r\n", r.call("HELLO", "abc"));
      assertEquals("-ERR Syntax error in HELLO option 'FOO'\r\n", r.call("HELLO", "3", "FOO"));
      assertEquals("-ERR Syntax error in HELLO option 'AUTH'\r\n", r.call("HELLO", "3", "AUTH", "default"));
      assertEquals("-ERR Client names cannot contain spaces, newlines or special characters.\r\n",
          r.call("HELLO", "3", "SETNAME", "a b"));
      assertEquals(WRONGPASS, r.call("HELLO", "2", "AUTH", "other", "pw"));
      assertEquals("$-1\r\n", r.call("GET", "nokey"));
      assertEquals(helloMap("*14", 2, id), r.call("HELLO", "2", "AUTH", "default", "whatever"));
    }
  }

  @Test
  void resetRestoresDefaults() {
    try (RespClient r = node.client()) {
      r.call("HELLO", "3");
      assertEquals("+OK\r\n", r.call("SELECT", "3"));
      assertEquals("+OK\r\n", r.call("CLIENT", "SETNAME", "before"));
      assertEquals("+RESET\r\n", r.call("RESET"));
      assertEquals("$-1\r\n", r.call("GET", "nokey"));
      assertEquals("$-1\r\n", r.call("CLIENT", "GETNAME"));
      assertTrue(r.call("CLIENT", "INFO").contains(" db=0 "));
      assertEquals("-ERR wrong number of arguments for 'reset' command\r\n", r.call("RESET", "x"));
    }
  }

  @Test
  void pipelineOfManyCommandsInOneWrite() {
    try (RespClient r = node.client()) {
      StringBuilder b = new StringBuilder();
      int n = 2000;
      b.append("DEL pipe\r\n");
      for (int i = 0; i < n; i++) {
        if (i % 2 == 0) {
          b.append("INCR pipe\r\n");
        } else {
          b.append("*2\r\n$4\r\nINCR\r\n$4\r\npipe\r\n");
        }
      }
      b.append("ECHO done\r\n");
      r.sendRaw(b.toString());
      assertTrue(r.readReply().startsWith(":"));
      for (int i = 1; i <= n; i++) {
        assertEquals(":" + i + "\r\n", r.readReply());
      }
      assertEquals("$4\r\ndone\r\n", r.readReply());
    }
  }

  @Test
  void unknownCommandsAndArity() {
    try (RespClient r = node.client()) {
      assertEquals("-ERR unknown command 'foo', with args beginning with: \r\n", r.call("foo"));
      assertEquals("-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n", r.call("foo", "a", "b"));
      assertEquals("-ERR unknown command '', with args beginning with: 'a' \r\n", r.call("", "a"));
      String x200 = "x".repeat(200);
      assertEquals("-ERR unknown command 'foo', with args beginning with: '" + "x".repeat(128) + "' \r\n",
          r.call("foo", x200));
      assertEquals("-ERR wrong number of arguments for 'get' command\r\n", r.call("GET"));
      assertEquals("-ERR wrong number of arguments for 'client|setname' command\r\n", r.call("CLIENT", "SETNAME"));
      assertEquals("+OK\r\n", r.call("QUIT", "x", "y"));
    }
  }

  @Test
  void inlineCommandsOverTheNetwork() {
    try (RespClient r = node.client()) {
      r.sendRaw("ECHO \"a\\x41\\n\"\r\nECHO 'a\\'b'\r\n\r\nPING\n");
      assertEquals("$3\r\naA\n\r\n", r.readReply());
      assertEquals("$3\r\na'b\r\n", r.readReply());
      assertEquals("+PONG\r\n", r.readReply());
    }
  }

  @Test
  void resp3NullVersusResp2Null() {
    try (RespClient r = node.client()) {
      assertEquals("$-1\r\n", r.call("GET", "nokey"));
      r.call("HELLO", "3");
      assertEquals("_\r\n", r.call("GET", "nokey"));
      r.call("HELLO", "2");
      assertEquals("$-1\r\n", r.call("GET", "nokey"));
    }
  }
}
