package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** DEBUG subcommands and the enable-debug-command gate; digests and texts recorded from Redis 7.0.15. */
@Timeout(30)
class DebugCommandsTest {
  static final String ZERO = "0".repeat(40);

  @Test
  void debugIsRefusedUnlessEnabled() {
    try (TestNode n = TestNode.start("--enable-debug-command", "no"); RespClient r = n.client()) {
      assertEquals("-ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you "
          + "can run it from a local connection, otherwise you need to set this option in the configuration file, "
          + "and then restart the server.\r\n", r.call("DEBUG", "DIGEST"));
    }
    try (TestNode n = TestNode.start("--enable-debug-command", "local"); RespClient r = n.client()) {
      assertEquals("+" + ZERO + "\r\n", r.call("DEBUG", "DIGEST"), "loopback counts as local");
    }
  }

  @Test
  void digestsEqualRedisForTheSameData() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      assertEquals("+" + ZERO + "\r\n", r.call("DEBUG", "DIGEST"));
      r.call("SET", "a", "1");
      assertEquals("+943d800368fb9c0e951138f1bc0e313ac769d91f\r\n", r.call("DEBUG", "DIGEST"));
      assertEquals("*2\r\n+b4fc66738120fba0b5aa500ab5c2bf89cea1c5da\r\n+" + ZERO + "\r\n",
          r.call("DEBUG", "DIGEST-VALUE", "a", "b"));
      r.call("SET", "b", "hello", "PX", "100000");
      assertEquals("+669dc7955c0119edb82e7cfeb40ea4a28f89f902\r\n", r.call("DEBUG", "DIGEST"));
      assertEquals("*1\r\n+d037c4eb8a8b36b602fbced4000daeab0714c1e3\r\n", r.call("DEBUG", "DIGEST-VALUE", "b"));
    }
  }

  @Test
  void populateCreatesMissingKeysOnly() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      r.call("SET", "key:1", "mine");
      assertEquals("+OK\r\n", r.call("DEBUG", "POPULATE", "3"));
      assertEquals("*3\r\n$7\r\nvalue:0\r\n$4\r\nmine\r\n$7\r\nvalue:2\r\n", r.call("MGET", "key:0", "key:1", "key:2"));
      assertEquals("+OK\r\n", r.call("DEBUG", "POPULATE", "2", "p", "10"));
      assertEquals("$10\r\nvalue:1\0\0\0\r\n", r.call("GET", "p:1"));
      assertEquals("-ERR value is out of range, must be positive\r\n", r.call("DEBUG", "POPULATE", "-1"));
      assertEquals("-ERR value is out of range, must be positive\r\n", r.call("DEBUG", "POPULATE", "x"));
      assertEquals(":5\r\n", r.call("DBSIZE"));
    }
  }

  @Test
  void otherSubcommandsAndErrors() {
    try (TestNode n = TestNode.start(); RespClient r = n.client()) {
      String before = r.call("INFO", "replication");
      assertEquals("+OK\r\n", r.call("DEBUG", "CHANGE-REPL-ID"));
      String after = r.call("INFO", "replication");
      String id1 = before.replaceAll("(?s).*master_replid:([0-9a-f]{40}).*", "$1");
      String id2 = after.replaceAll("(?s).*master_replid:([0-9a-f]{40}).*", "$1");
      assertEquals(40, id2.length());
      Assertions.assertNotEquals(id1, id2);
      assertEquals("+OK\r\n", r.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "100"));
      assertEquals("-ERR unknown subcommand or wrong number of arguments for 'nosuch'. Try DEBUG HELP.\r\n",
          r.call("DEBUG", "nosuch"));
      assertEquals("+OK\r\n", r.call("FUNCTION", "FLUSH"));
      assertEquals("+OK\r\n", r.call("SCRIPT", "FLUSH", "ASYNC"));
      assertEquals("-ERR SCRIPT FLUSH only support SYNC|ASYNC option\r\n", r.call("SCRIPT", "FLUSH", "x"));
      assertEquals("-ERR FUNCTION FLUSH only supports SYNC|ASYNC option\r\n", r.call("FUNCTION", "FLUSH", "x"));
      assertEquals("-ERR unknown subcommand 'nosuch'. Try SCRIPT HELP.\r\n", r.call("SCRIPT", "nosuch"));
    }
  }
}
