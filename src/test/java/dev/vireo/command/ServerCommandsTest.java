package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Server commands with exact replies as Redis 7.0 gives them. */
class ServerCommandsTest {
  private static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.start();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** The elements of a flat RESP2 array of bulk strings. */
  private static List<String> bulks(String reply) {
    String[] lines = reply.split("\r\n");
    assertTrue(lines[0].startsWith("*") || lines[0].startsWith("%"), reply);
    List<String> out = new ArrayList<>();
    for (int i = 1; i < lines.length; i += 2) {
      assertTrue(lines[i].startsWith("$"), reply);
      out.add(lines[i + 1]);
    }
    return out;
  }

  /** CONFIG GET pairs as "name=value", order-free (Redis returns them in its dictionary order). */
  private static Set<String> pairs(String reply) {
    List<String> b = bulks(reply);
    Set<String> s = new HashSet<>();
    for (int i = 0; i < b.size(); i += 2) {
      s.add(b.get(i) + "=" + b.get(i + 1));
    }
    return s;
  }

  @Test
  void dbsizeAndFlush() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      assertEquals(":0\r\n", r.call("DBSIZE"));
      assertEquals("+OK\r\n", r.call("SET", "k", "v"));
      assertEquals(":1\r\n", r.call("DBSIZE"));
      assertEquals("-ERR wrong number of arguments for 'dbsize' command\r\n", r.call("DBSIZE", "x"));
      assertEquals("-ERR syntax error\r\n", r.call("FLUSHDB", "foo"));
      assertEquals("-ERR syntax error\r\n", r.call("FLUSHALL", "ASYNC", "x"));
      assertEquals("-ERR syntax error\r\n", r.call("FLUSHALL", "foo"));
      assertEquals(":1\r\n", r.call("DBSIZE"));
      assertEquals("+OK\r\n", r.call("FLUSHDB", "ASYNC"));
      assertEquals(":0\r\n", r.call("DBSIZE"));
      r.call("SET", "k", "v");
      assertEquals("+OK\r\n", r.call("FLUSHDB", "SYNC"));
      assertEquals(":0\r\n", r.call("DBSIZE"));
      r.call("SET", "k", "v");
      r.call("SELECT", "1");
      r.call("SET", "k1", "v");
      assertEquals("+OK\r\n", r.call("FLUSHDB"));
      r.call("SELECT", "0");
      assertEquals(":1\r\n", r.call("DBSIZE"));
      r.call("SELECT", "1");
      r.call("SET", "k1", "v");
      assertEquals("+OK\r\n", r.call("FLUSHALL", "sync"));
      assertEquals(":0\r\n", r.call("DBSIZE"));
      r.call("SELECT", "0");
      assertEquals(":0\r\n", r.call("DBSIZE"));
      r.call("SET", "k", "v");
      assertEquals("+OK\r\n", r.call("FLUSHALL", "ASYNC"));
      assertEquals(":0\r\n", r.call("DBSIZE"));
    }
  }

  @Test
  void configGet() {
    try (RespClient r = node.client()) {
      assertEquals("*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n", r.call("CONFIG", "GET", "maxmemory"));
      assertEquals("*2\r\n$9\r\nMAXMEMORY\r\n$1\r\n0\r\n", r.call("CONFIG", "GET", "MAXMEMORY")); // as asked, as Redis
      assertEquals("*0\r\n", r.call("CONFIG", "GET", "nosuchparam"));
      assertEquals(Set.of("maxmemory=0", "timeout=0"), pairs(r.call("CONFIG", "GET", "maxmemory", "timeout")));
      assertEquals(Set.of("slowlog-max-len=128", "slowlog-log-slower-than=10000"),
          pairs(r.call("CONFIG", "GET", "slowlog-*")));
      assertEquals(Set.of("maxmemory=0"), pairs(r.call("CONFIG", "GET", "maxmemory", "maxmemor?")));
      assertTrue(pairs(r.call("CONFIG", "GET", "*")).contains("maxmemory=0"));
      assertEquals("-ERR wrong number of arguments for 'config|get' command\r\n", r.call("CONFIG", "GET"));
      assertEquals("-ERR wrong number of arguments for 'config' command\r\n", r.call("CONFIG"));
      assertEquals("-ERR unknown subcommand 'foo'. Try CONFIG HELP.\r\n", r.call("CONFIG", "foo"));
      r.call("HELLO", "3");
      assertEquals("%1\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n", r.call("CONFIG", "GET", "maxmemory"));
      assertEquals("%0\r\n", r.call("CONFIG", "GET", "nosuchparam"));
    }
  }

  @Test
  void configSet() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      assertEquals("-ERR wrong number of arguments for 'config|set' command\r\n", r.call("CONFIG", "SET"));
      assertEquals("-ERR wrong number of arguments for 'config|set' command\r\n",
          r.call("CONFIG", "SET", "maxmemory"));
      assertEquals("+OK\r\n", r.call("CONFIG", "SET", "maxmemory", "100", "timeout", "7"));
      assertEquals(Set.of("maxmemory=100", "timeout=7"), pairs(r.call("CONFIG", "GET", "maxmemory", "timeout")));
      assertEquals("-ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory "
          + "value\r\n", r.call("CONFIG", "SET", "maxmemory", "abc"));
      assertEquals("-ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'\r\n",
          r.call("CONFIG", "SET", "nosuch", "1"));
      assertEquals("-ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable "
          + "config\r\n", r.call("CONFIG", "SET", "daemonize", "yes"));
      assertEquals("-ERR CONFIG SET failed (possibly related to argument 'maxmemory') - duplicate parameter\r\n",
          r.call("CONFIG", "SET", "maxmemory", "1", "maxmemory", "2"));
      assertEquals("-ERR syntax error\r\n", r.call("CONFIG", "SET", "maxmemory", "1", "timeout"));
      assertEquals("+OK\r\n", r.call("CONFIG", "SET", "MaxMemory", "1mb"));
      assertEquals("*2\r\n$9\r\nmaxmemory\r\n$7\r\n1048576\r\n", r.call("CONFIG", "GET", "maxmemory"));
      assertEquals("+OK\r\n", r.call("CONFIG", "SET", "maxmemory", "0"));
    }
  }

  @Test
  void configResetstat() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("SET", "k", "v");
      assertTrue(r.call("INFO", "commandstats").contains("cmdstat_set:calls=1,"));
      assertEquals("+OK\r\n", r.call("CONFIG", "RESETSTAT"));
      String stats = r.call("INFO", "commandstats");
      assertTrue(!stats.contains("cmdstat_set:"), stats);
      assertEquals("-ERR wrong number of arguments for 'config|resetstat' command\r\n",
          r.call("CONFIG", "RESETSTAT", "x"));
    }
  }

  @Test
  void timeAndLastsave() {
    try (RespClient r = node.client()) {
      String time = r.call("TIME");
      assertTrue(time.matches("\\*2\r\n\\$10\r\n\\d{10}\r\n\\$\\d\r\n\\d{1,6}\r\n"), time);
      long secs = Long.parseLong(time.split("\r\n")[2]);
      assertTrue(Math.abs(secs - System.currentTimeMillis() / 1000) < 5, time);
      String usec = time.split("\r\n")[4];
      assertEquals(time.split("\r\n")[3], "$" + usec.length());
      assertEquals("-ERR wrong number of arguments for 'time' command\r\n", r.call("TIME", "x"));
      String lastsave = r.call("LASTSAVE");
      assertTrue(lastsave.matches(":\\d{10}\r\n"), lastsave);
      assertEquals("-ERR wrong number of arguments for 'lastsave' command\r\n", r.call("LASTSAVE", "x"));
    }
  }

  @Test
  void role() {
    try (RespClient r = node.client()) {
      assertEquals("*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n", r.call("ROLE"));
      assertEquals("-ERR wrong number of arguments for 'role' command\r\n", r.call("ROLE", "x"));
    }
  }

  @Test
  void slowlog() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      assertEquals("-ERR unknown subcommand 'foo'. Try SLOWLOG HELP.\r\n", r.call("SLOWLOG", "foo"));
      assertEquals("-ERR count should be greater than or equal to -1\r\n", r.call("SLOWLOG", "GET", "abc"));
      assertEquals("-ERR count should be greater than or equal to -1\r\n", r.call("SLOWLOG", "GET", "-5"));
      assertEquals("-ERR wrong number of arguments for 'slowlog|len' command\r\n", r.call("SLOWLOG", "LEN", "x"));
      assertEquals("+OK\r\n", r.call("CONFIG", "SET", "slowlog-log-slower-than", "0"));
      assertEquals("+OK\r\n", r.call("SLOWLOG", "RESET"));
      assertEquals("+OK\r\n", r.call("SET", "k", "v"));
      assertEquals(":2\r\n", r.call("SLOWLOG", "LEN"));
      String addr = "127.0.0.1:" + r.localPort();
      String one = r.call("SLOWLOG", "GET", "1");
      String pattern = "\\*1\r\n\\*6\r\n:(\\d+)\r\n:\\d{10}\r\n:\\d+\r\n\\*2\r\n\\$7\r\nSLOWLOG\r\n\\$3\r\nLEN\r\n"
          + "\\$" + addr.length() + "\r\n" + addr.replace(".", "\\.") + "\r\n\\$0\r\n\r\n";
      assertTrue(one.matches(pattern), one);
      long lenId = Long.parseLong(one.split("\r\n")[2].substring(1));
      assertEquals("*0\r\n", r.call("SLOWLOG", "GET", "0"));
      assertEquals("-ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP.\r\n",
          r.call("SLOWLOG", "GET", "1", "2"));
      r.call("CLIENT", "SETNAME", "slowname");
      String all = r.call("SLOWLOG", "GET", "-1");
      assertTrue(all.startsWith("*7\r\n"), all);
      assertTrue(all.contains(":" + (lenId - 1) + "\r\n:"), all);
      assertTrue(all.contains("\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n$" + addr.length() + "\r\n" + addr
          + "\r\n$0\r\n\r\n"), all);
      assertTrue(all.contains("\r\n*3\r\n$6\r\nCLIENT\r\n$7\r\nSETNAME\r\n$8\r\nslowname\r\n"), all);
      assertEquals("+OK\r\n", r.call("CONFIG", "SET", "slowlog-log-slower-than", "10000"));
      assertEquals("+OK\r\n", r.call("SLOWLOG", "RESET"));
      assertEquals(":0\r\n", r.call("SLOWLOG", "LEN"));
    }
  }

  @Test
  void monitorShowsOtherClientsCommands() {
    try (TestNode n = TestNode.start(); RespClient m = n.client(); RespClient c = n.client()) {
      assertEquals("+OK\r\n", m.call("MONITOR"));
      assertEquals("+OK\r\n", c.call("set", "k", "v \"x"));
      String prefix = "\\+\\d{10}\\.\\d{6} \\[";
      String addr = "127\\.0\\.0\\.1:" + c.localPort() + "\\] ";
      String line = m.readReply();
      assertTrue(line.matches(prefix + "0 " + addr + "\"set\" \"k\" \"v \\\\\"x\"\r\n"), line);
      c.sendRaw("SELECT 2\r\nGET \"a\\x01b\"\r\n");
      assertEquals("+OK\r\n", c.readReply());
      assertEquals("$-1\r\n", c.readReply());
      line = m.readReply();
      assertTrue(line.matches(prefix + "2 " + addr + "\"SELECT\" \"2\"\r\n"), line);
      line = m.readReply();
      assertTrue(line.matches(prefix + "2 " + addr + "\"GET\" \"a\\\\x01b\"\r\n"), line);
    }
  }

  @Test
  void monitorRedactsSecretsOnly() {
    try (TestNode n = TestNode.start(); RespClient m = n.client(); RespClient c = n.client()) {
      assertEquals("+OK\r\n", m.call("MONITOR"));
      String addr = "127\\.0\\.0\\.1:" + c.localPort() + "\\] ";
      String prefix = "\\+\\d{10}\\.\\d{6} \\[0 " + addr;
      c.sendRaw("AUTH default secret\r\nHELLO 2 AUTH default secret\r\nCONFIG SET maxmemory 0\r\nECHO last\r\n");
      for (int i = 0; i < 4; i++) {
        c.readReply();
      }
      String line = m.readReply();
      assertTrue(line.matches(prefix + "\"AUTH\" \"\\(redacted\\)\" \"\\(redacted\\)\"\r\n"), line);
      line = m.readReply();
      assertTrue(line.matches(prefix + "\"HELLO\" \"2\" \"AUTH\" \"\\(redacted\\)\" \"\\(redacted\\)\"\r\n"), line);
      line = m.readReply();
      assertTrue(line.matches(prefix + "\"ECHO\" \"last\"\r\n"), line);
    }
  }

  @Test
  void debugAndObject() {
    try (RespClient r = node.client()) {
      assertEquals("+OK\r\n", r.call("DEBUG", "SLEEP", "0"));
      assertEquals("+OK\r\n", r.call("DEBUG", "SET-ACTIVE-EXPIRE", "0"));
      assertEquals("+OK\r\n", r.call("DEBUG", "SET-ACTIVE-EXPIRE", "1"));
      assertEquals("-ERR no such key\r\n", r.call("DEBUG", "OBJECT", "dbg-nokey"));
      assertEquals("+OK\r\n", r.call("SET", "dbg", "v"));
      String obj = r.call("DEBUG", "OBJECT", "dbg");
      assertTrue(obj.matches("\\+Value at:0x[0-9a-f]+ refcount:1 encoding:embstr serializedlength:\\d+ lru:\\d+ "
          + "lru_seconds_idle:\\d+\r\n"), obj);
      assertEquals("$6\r\nembstr\r\n", r.call("OBJECT", "ENCODING", "dbg"));
      assertEquals("$-1\r\n", r.call("OBJECT", "ENCODING", "dbg-nokey"));
      assertEquals(":1\r\n", r.call("OBJECT", "REFCOUNT", "dbg"));
      assertEquals("-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that "
          + "when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n",
          r.call("OBJECT", "FREQ", "dbg"));
      assertEquals("-ERR unknown subcommand 'foo'. Try OBJECT HELP.\r\n", r.call("OBJECT", "foo"));
      String help = r.call("OBJECT", "HELP");
      assertTrue(help.endsWith("\r\n+HELP\r\n+    Prints this help.\r\n"), help);
    }
  }

  @Test
  void shutdownClosesTheNode() {
    TestNode n = TestNode.start();
    try (RespClient r = n.client(); RespClient other = n.client()) {
      assertEquals("-ERR syntax error\r\n", r.call("SHUTDOWN", "foo"));
      assertEquals("+PONG\r\n", other.call("PING"));
      r.sendRaw(RespClient.encodeCommand("SHUTDOWN", "NOSAVE"));
      assertTrue(r.isClosedByPeer(Duration.ofSeconds(10)));
      assertTrue(other.isClosedByPeer(Duration.ofSeconds(10)));
    } finally {
      try {
        n.close();
      } catch (RuntimeException alreadyStopped) {
        // the node stopped itself
      }
    }
  }
}
