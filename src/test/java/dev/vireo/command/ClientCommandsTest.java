package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CLIENT subcommands, compared with Redis 7.0 (SETINFO and NO-TOUCH as Redis 7.2). */
class ClientCommandsTest {
  private static final List<String> LIST_FIELDS = List.of("id", "addr", "laddr", "fd", "name", "age", "idle",
      "flags", "db", "sub", "psub", "ssub", "multi", "qbuf", "qbuf-free", "argv-mem", "multi-mem", "rbs", "rbp",
      "obl", "oll", "omem", "tot-mem", "events", "cmd", "user", "redir", "resp");
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
    assertTrue(reply.matches(":\\d+\r\n"), reply);
    return Long.parseLong(reply.substring(1, reply.length() - 2));
  }

  /** The text of a bulk reply. */
  private static String bulk(String reply) {
    if (reply.startsWith("=")) {
      int eol = reply.indexOf("\r\n");
      assertEquals("txt:", reply.substring(eol + 2, eol + 6), reply);
      assertEquals(reply.length(), eol + 2 + Integer.parseInt(reply.substring(1, eol)) + 2, reply);
      return reply.substring(eol + 6, reply.length() - 2);
    }
    assertTrue(reply.startsWith("$"), reply);
    int eol = reply.indexOf("\r\n");
    int len = Integer.parseInt(reply.substring(1, eol));
    assertEquals(reply.length(), eol + 2 + len + 2, "bulk length of " + reply);
    return reply.substring(eol + 2, eol + 2 + len);
  }

  private static String field(String line, String name) {
    for (String kv : line.trim().split(" ")) {
      if (kv.startsWith(name + "=")) {
        return kv.substring(name.length() + 1);
      }
    }
    return null;
  }

  /** As in Redis, a MONITOR client is of type normal (flags=O), not a replica. */
  @Test
  void aMonitorIsANormalClient() {
    try (RespClient m = node.client(); RespClient r = node.client()) {
      long im = id(m);
      assertEquals("+OK\r\n", m.call("MONITOR"));
      String normal = bulk(r.call("CLIENT", "LIST", "TYPE", "normal"));
      assertTrue(normal.contains("id=" + im + " ") && normal.contains("flags=O"), normal);
      assertFalse(bulk(r.call("CLIENT", "LIST", "TYPE", "replica")).contains("id=" + im + " "));
    }
  }

  @Test
  void idIsStableAndUnique() {
    try (RespClient a = node.client(); RespClient b = node.client()) {
      long ia = id(a);
      assertEquals(ia, id(a));
      assertTrue(id(b) != ia);
      assertEquals("-ERR wrong number of arguments for 'client|id' command\r\n", a.call("CLIENT", "ID", "x"));
    }
  }

  @Test
  void setnameAndGetname() {
    try (RespClient r = node.client()) {
      assertEquals("$-1\r\n", r.call("CLIENT", "GETNAME"));
      assertEquals("-ERR Client names cannot contain spaces, newlines or special characters.\r\n",
          r.call("CLIENT", "SETNAME", "a b"));
      assertEquals("-ERR Client names cannot contain spaces, newlines or special characters.\r\n",
          r.call("CLIENT", "SETNAME", "a\nb"));
      assertEquals("-ERR Client names cannot contain spaces, newlines or special characters.\r\n",
          r.call("CLIENT", "SETNAME", "a\u00e9"));
      assertEquals("-ERR Client names cannot contain spaces, newlines or special characters.\r\n",
          r.call("CLIENT", "SETNAME", "a\u007f"));
      assertEquals("+OK\r\n", r.call("CLIENT", "SETNAME", "~!"));
      assertEquals("-ERR wrong number of arguments for 'client|setname' command\r\n",
          r.call("CLIENT", "SETNAME", "a", "b"));
      assertEquals("+OK\r\n", r.call("CLIENT", "SETNAME", "a"));
      assertEquals("$1\r\na\r\n", r.call("CLIENT", "GETNAME"));
      assertEquals("a", field(bulk(r.call("CLIENT", "INFO")), "name"));
      assertEquals("+OK\r\n", r.call("CLIENT", "SETNAME", ""));
      assertEquals("$-1\r\n", r.call("CLIENT", "GETNAME"));
    }
  }

  @Test
  void listAndInfoFields() {
    try (RespClient r = node.client(); RespClient other = node.client()) {
      other.call("CLIENT", "SETNAME", "other");
      long id = id(r);
      String info = bulk(r.call("CLIENT", "INFO"));
      assertTrue(info.endsWith("\n"), info);
      for (String f : LIST_FIELDS) {
        assertTrue(field(info, f) != null, "field " + f + " in " + info);
      }
      assertEquals(String.valueOf(id), field(info, "id"));
      assertEquals("127.0.0.1:" + r.localPort(), field(info, "addr"));
      assertEquals("127.0.0.1:" + node.port(), field(info, "laddr"));
      assertEquals("N", field(info, "flags"));
      assertEquals("0", field(info, "db"));
      assertEquals("-1", field(info, "multi"));
      assertEquals("client|info", field(info, "cmd"));
      assertEquals("default", field(info, "user"));
      assertEquals("2", field(info, "resp"));
      assertTrue(info.startsWith("id=" + id + " addr="), info);

      String list = bulk(r.call("CLIENT", "LIST"));
      String[] lines = list.split("\n");
      assertTrue(lines.length >= 2, list);
      boolean sawSelf = false;
      boolean sawOther = false;
      for (String line : lines) {
        if (field(line, "id").equals(String.valueOf(id))) {
          sawSelf = true;
          assertEquals("client|list", field(line, "cmd"));
        }
        if ("other".equals(field(line, "name"))) {
          sawOther = true;
        }
      }
      assertTrue(sawSelf && sawOther, list);

      String only = bulk(r.call("CLIENT", "LIST", "ID", String.valueOf(id)));
      assertEquals(1, only.split("\n").length);
      assertEquals("$0\r\n\r\n", r.call("CLIENT", "LIST", "ID", "999999"));
      assertEquals("$0\r\n\r\n", r.call("CLIENT", "LIST", "ID", "0"));
      assertEquals("$0\r\n\r\n", r.call("CLIENT", "LIST", "ID", "-1"));
      assertEquals("-ERR Invalid client ID\r\n", r.call("CLIENT", "LIST", "ID", String.valueOf(id), "abc"));
      assertEquals("-ERR Invalid client ID\r\n", r.call("CLIENT", "LIST", "ID", "abc"));
      assertTrue(bulk(r.call("CLIENT", "LIST", "TYPE", "normal")).contains("id=" + id + " "));
      assertEquals("$0\r\n\r\n", r.call("CLIENT", "LIST", "TYPE", "pubsub"));
      assertEquals("$0\r\n\r\n", r.call("CLIENT", "LIST", "TYPE", "master"));
      assertEquals("-ERR Unknown client type 'foo'\r\n", r.call("CLIENT", "LIST", "TYPE", "foo"));
      r.call("HELLO", "3");
      String resp3 = r.call("CLIENT", "INFO");
      assertTrue(resp3.startsWith("=") && resp3.contains("\r\ntxt:id=" + id + " "), resp3);
      assertEquals("3", field(bulk(resp3), "resp"));
    }
  }

  @Test
  void killOldAddressForm() {
    try (RespClient r = node.client(); RespClient victim = node.client()) {
      assertEquals("+PONG\r\n", victim.call("PING"));
      assertEquals("-ERR No such client\r\n", r.call("CLIENT", "KILL", "1.2.3.4:5"));
      assertEquals("+OK\r\n", r.call("CLIENT", "KILL", "127.0.0.1:" + victim.localPort()));
      assertTrue(victim.isClosedByPeer(Duration.ofSeconds(5)));
      assertEquals("+PONG\r\n", r.call("PING"));
    }
  }

  @Test
  void killFilters() {
    try (RespClient r = node.client(); RespClient victim = node.client()) {
      long vid = id(victim);
      assertEquals(":0\r\n", r.call("CLIENT", "KILL", "ID", "999999"));
      assertEquals("-ERR client-id should be greater than 0\r\n", r.call("CLIENT", "KILL", "ID", "abc"));
      assertEquals("-ERR client-id should be greater than 0\r\n", r.call("CLIENT", "KILL", "ID", "0"));
      assertEquals("-ERR Unknown client type 'foo'\r\n", r.call("CLIENT", "KILL", "TYPE", "foo"));
      assertEquals("-ERR syntax error\r\n", r.call("CLIENT", "KILL", "SKIPME", "maybe"));
      assertEquals("-ERR syntax error\r\n", r.call("CLIENT", "KILL", "foo", "bar"));
      assertEquals(":0\r\n", r.call("CLIENT", "KILL", "ADDR", "1.2.3.4:5"));
      assertEquals(":0\r\n", r.call("CLIENT", "KILL", "LADDR", "1.2.3.4:5"));
      assertEquals("-ERR No such user 'nobody'\r\n", r.call("CLIENT", "KILL", "USER", "nobody"));
      assertEquals(":0\r\n", r.call("CLIENT", "KILL", "TYPE", "master"));
      assertEquals(":0\r\n", r.call("CLIENT", "KILL", "TYPE", "pubsub"));
      assertEquals("-ERR wrong number of arguments for 'client|kill' command\r\n", r.call("CLIENT", "KILL"));
      assertEquals(":1\r\n", r.call("CLIENT", "KILL", "ID", String.valueOf(vid)));
      assertTrue(victim.isClosedByPeer(Duration.ofSeconds(5)));
    }
    try (RespClient r = node.client(); RespClient victim = node.client()) {
      assertEquals("+PONG\r\n", victim.call("PING"));
      assertEquals(":1\r\n", r.call("CLIENT", "KILL", "ADDR", "127.0.0.1:" + victim.localPort(), "SKIPME", "yes"));
      assertTrue(victim.isClosedByPeer(Duration.ofSeconds(5)));
    }
  }

  @Test
  void killTypeSkipsSelfUnlessAsked() {
    try (TestNode n = TestNode.start(); RespClient r = n.client(); RespClient v1 = n.client();
        RespClient v2 = n.client()) {
      v1.call("PING");
      v2.call("PING");
      assertEquals(":2\r\n", r.call("CLIENT", "KILL", "TYPE", "normal"));
      assertTrue(v1.isClosedByPeer(Duration.ofSeconds(5)));
      assertTrue(v2.isClosedByPeer(Duration.ofSeconds(5)));
      assertEquals("+PONG\r\n", r.call("PING"));
      assertEquals(":1\r\n", r.call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "no"));
      assertTrue(r.isClosedByPeer(Duration.ofSeconds(5)));
    }
  }

  @Test
  void replyOnOffSkip() {
    try (RespClient r = node.client()) {
      r.sendRaw(RespClient.encodeCommand("CLIENT", "REPLY", "SKIP"));
      r.sendRaw(RespClient.encodeCommand("PING", "x"));
      r.sendRaw(RespClient.encodeCommand("PING", "y"));
      assertEquals("$1\r\ny\r\n", r.readReply());
      r.sendRaw(RespClient.encodeCommand("CLIENT", "REPLY", "OFF"));
      r.sendRaw(RespClient.encodeCommand("CLIENT", "REPLY", "SKIP"));
      r.sendRaw(RespClient.encodeCommand("PING", "z"));
      r.sendRaw(RespClient.encodeCommand("GET", "k", "extra"));
      r.sendRaw(RespClient.encodeCommand("CLIENT", "REPLY", "ON"));
      assertEquals("+OK\r\n", r.readReply());
      assertEquals("$1\r\nw\r\n", r.call("PING", "w"));
      assertEquals("-ERR syntax error\r\n", r.call("CLIENT", "REPLY", "foo"));
    }
  }

  @Test
  void replyOffInOnePipeline() {
    try (RespClient r = node.client()) {
      r.sendRaw("CLIENT REPLY OFF\r\nSET rk 1\r\nINCR rk\r\nCLIENT REPLY ON\r\nGET rk\r\n");
      assertEquals("+OK\r\n", r.readReply());
      assertEquals("$1\r\n2\r\n", r.readReply());
    }
  }

  @Test
  void setinfo() {
    try (RespClient r = node.client()) {
      assertEquals("+OK\r\n", r.call("CLIENT", "SETINFO", "lib-name", "redis-py"));
      assertEquals("+OK\r\n", r.call("CLIENT", "SETINFO", "LIB-VER", "1.0"));
      assertEquals("-ERR lib-name cannot contain spaces, newlines or special characters.\r\n",
          r.call("CLIENT", "SETINFO", "lib-name", "a b"));
      assertEquals("-ERR Unrecognized option 'foo'\r\n", r.call("CLIENT", "SETINFO", "foo", "x"));
      assertEquals("-ERR wrong number of arguments for 'client|setinfo' command\r\n",
          r.call("CLIENT", "SETINFO", "lib-name"));
      String info = bulk(r.call("CLIENT", "INFO"));
      assertEquals("redis-py", field(info, "lib-name"));
      assertEquals("1.0", field(info, "lib-ver"));
    }
  }

  @Test
  void noEvict() {
    try (RespClient r = node.client()) {
      assertEquals("-ERR syntax error\r\n", r.call("CLIENT", "NO-EVICT", "maybe"));
      assertEquals("+OK\r\n", r.call("CLIENT", "NO-EVICT", "on"));
      assertEquals("e", field(bulk(r.call("CLIENT", "INFO")), "flags"));
      assertEquals("+RESET\r\n", r.call("RESET")); // Redis 7.0 keeps no-evict across RESET
      assertEquals("e", field(bulk(r.call("CLIENT", "INFO")), "flags"));
      assertEquals("+OK\r\n", r.call("CLIENT", "NO-EVICT", "OFF"));
      assertEquals("N", field(bulk(r.call("CLIENT", "INFO")), "flags"));
    }
  }

  @Test
  void getredirHelpAndErrors() {
    try (RespClient r = node.client()) {
      assertEquals(":-1\r\n", r.call("CLIENT", "GETREDIR"));
      assertEquals("-ERR wrong number of arguments for 'client' command\r\n", r.call("CLIENT"));
      assertEquals("-ERR unknown subcommand 'foo'. Try CLIENT HELP.\r\n", r.call("CLIENT", "foo"));
      String help = r.call("CLIENT", "HELP");
      assertTrue(help.startsWith("*"), help);
      assertTrue(help.contains("\r\n+CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
          + "+"), help);
      assertTrue(help.contains("\r\n+GETNAME\r\n+    Return the name of the current connection.\r\n"), help);
      assertTrue(help.contains("\r\n+KILL <ip:port>\r\n+    Kill connection made from <ip:port>.\r\n"), help);
      assertTrue(help.endsWith("\r\n+HELP\r\n+    Prints this help.\r\n"), help);
      int lines = help.split("\r\n").length - 1;
      assertEquals("*" + lines, help.substring(0, help.indexOf("\r\n")));
      assertFalse(help.contains("\r\n-"));
    }
  }
}
