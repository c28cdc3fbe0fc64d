package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** COMMAND and its subcommands, with Redis 7.0's reply shapes and error texts. */
class CommandCommandsTest {
  private static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.start();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static final String GET_INFO_HEAD = "*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
      + "*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n";
  private static final String GET_INFO_TAIL = "$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n"
      + "*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n"
      + "$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n";

  @Test
  void count() {
    try (RespClient r = node.client()) {
      String count = r.call("COMMAND", "COUNT");
      assertTrue(count.matches(":\\d+\r\n"), count);
      assertTrue(Integer.parseInt(count.substring(1, count.length() - 2)) > 20, count);
      assertEquals("-ERR wrong number of arguments for 'command|count' command\r\n",
          r.call("COMMAND", "COUNT", "x"));
      String all = r.call("COMMAND");
      assertTrue(all.startsWith("*" + count.substring(1)), all.substring(0, 20));
    }
  }

  @Test
  void info() {
    try (RespClient r = node.client()) {
      assertEquals("*1\r\n$-1\r\n", r.call("COMMAND", "INFO", "nosuchcmd"));
      String get = r.call("COMMAND", "INFO", "get");
      assertTrue(get.startsWith("*1\r\n" + GET_INFO_HEAD), get);
      assertTrue(get.endsWith(GET_INFO_TAIL), get);
      String echo = r.call("COMMAND", "INFO", "echo", "nosuch");
      assertEquals("*2\r\n*10\r\n$4\r\necho\r\n:2\r\n*3\r\n+loading\r\n+stale\r\n+fast\r\n:0\r\n:0\r\n:0\r\n*2\r\n"
          + "+@fast\r\n+@connection\r\n*0\r\n*0\r\n*0\r\n$-1\r\n", echo);
      String ping = r.call("COMMAND", "INFO", "PING");
      assertTrue(ping.startsWith("*1\r\n*10\r\n$4\r\nping\r\n:-1\r\n*1\r\n+fast\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@fast\r\n"
          + "+@connection\r\n"), ping);
      String sub = r.call("COMMAND", "INFO", "client|id");
      assertTrue(sub.startsWith("*1\r\n*10\r\n$9\r\nclient|id\r\n:2\r\n"), sub);
      r.call("HELLO", "3");
      assertEquals("*1\r\n_\r\n", r.call("COMMAND", "INFO", "nosuchcmd"));
    }
  }

  @Test
  void getkeys() {
    try (RespClient r = node.client()) {
      assertEquals("*1\r\n$1\r\nk\r\n", r.call("COMMAND", "GETKEYS", "get", "k"));
      assertEquals("*1\r\n$1\r\nk\r\n", r.call("COMMAND", "GETKEYS", "set", "k", "v"));
      assertEquals("*2\r\n$1\r\na\r\n$1\r\nb\r\n", r.call("COMMAND", "GETKEYS", "mset", "a", "1", "b", "2"));
      assertEquals("-ERR wrong number of arguments for 'command|getkeys' command\r\n",
          r.call("COMMAND", "GETKEYS"));
      assertEquals("-ERR wrong number of arguments for 'command|getkeys' command\r\n",
          r.call("COMMAND", "GETKEYS", "get"));
      assertEquals("-ERR wrong number of arguments for 'command|getkeys' command\r\n",
          r.call("COMMAND", "GETKEYS", "ping"));
      assertEquals("-ERR The command has no key arguments\r\n", r.call("COMMAND", "GETKEYS", "ping", "x"));
      assertEquals("-ERR Invalid command specified\r\n", r.call("COMMAND", "GETKEYS", "nosuch", "k"));
      assertEquals("-ERR Invalid number of arguments specified for command\r\n",
          r.call("COMMAND", "GETKEYS", "get", "a", "b"));
    }
  }

  @Test
  void getkeysAndFlags() {
    try (RespClient r = node.client()) {
      assertEquals("*1\r\n*2\r\n$1\r\nk\r\n*3\r\n+RW\r\n+access\r\n+update\r\n",
          r.call("COMMAND", "GETKEYSANDFLAGS", "set", "k", "v", "get"));
      assertEquals("*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+OW\r\n+update\r\n",
          r.call("COMMAND", "GETKEYSANDFLAGS", "set", "k", "v"));
      assertEquals("*3\r\n*2\r\n$1\r\nd\r\n*2\r\n+OW\r\n+update\r\n*2\r\n$1\r\na\r\n*2\r\n+RO\r\n+access\r\n"
          + "*2\r\n$1\r\nb\r\n*2\r\n+RO\r\n+access\r\n",
          r.call("COMMAND", "GETKEYSANDFLAGS", "zunionstore", "d", "2", "a", "b"));
      assertEquals("-ERR Invalid arguments specified for command\r\n",
          r.call("COMMAND", "GETKEYS", "zunionstore", "d", "0", "a"));
      assertEquals("-ERR The command has no key arguments\r\n", r.call("COMMAND", "GETKEYS", "object", "help"));
      r.call("HELLO", "3");
      assertEquals("*1\r\n*2\r\n$1\r\nk\r\n~2\r\n+OW\r\n+update\r\n",
          r.call("COMMAND", "GETKEYSANDFLAGS", "set", "k", "v"));
    }
  }

  @Test
  void docs() {
    try (RespClient r = node.client()) {
      assertEquals("*0\r\n", r.call("COMMAND", "DOCS", "nosuch"));
      String echo = r.call("COMMAND", "DOCS", "echo");
      assertTrue(echo.startsWith("*2\r\n$4\r\necho\r\n*"), echo);
      assertTrue(echo.contains("\r\n$7\r\nsummary\r\n$"), echo);
      assertTrue(echo.contains("\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$10\r\nconnection\r\n"), echo);
      r.call("HELLO", "3");
      String resp3 = r.call("COMMAND", "DOCS", "echo");
      assertTrue(resp3.startsWith("%1\r\n$4\r\necho\r\n%"), resp3);
    }
  }

  @Test
  void list() {
    try (RespClient r = node.client()) {
      assertEquals("*1\r\n$4\r\necho\r\n", r.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "ech*"));
      String conn = r.call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "connection");
      for (String c : new String[] {"ping", "echo", "quit", "auth", "hello", "select", "reset", "client|id"}) {
        assertTrue(conn.contains("\r\n$" + c.length() + "\r\n" + c + "\r\n"), c + " in " + conn);
      }
      assertTrue(!conn.contains("\r\n$3\r\nget\r\n"), conn);
      assertEquals("*0\r\n", r.call("COMMAND", "LIST", "FILTERBY", "MODULE", "x"));
      assertEquals("-ERR syntax error\r\n", r.call("COMMAND", "LIST", "FILTERBY", "foo", "bar"));
      assertEquals("-ERR syntax error\r\n", r.call("COMMAND", "LIST", "foo"));
      String all = r.call("COMMAND", "LIST");
      assertTrue(all.contains("\r\n$3\r\nget\r\n") && all.contains("\r\n$11\r\nclient|list\r\n"), all);
    }
  }

  @Test
  void errorsAndHelp() {
    try (RespClient r = node.client()) {
      assertEquals("-ERR unknown subcommand 'foo'. Try COMMAND HELP.\r\n", r.call("COMMAND", "foo"));
      String help = r.call("COMMAND", "HELP");
      assertTrue(help.contains("\r\n+COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"), help);
      assertTrue(help.endsWith("\r\n+HELP\r\n+    Prints this help.\r\n"), help);
    }
  }
}
