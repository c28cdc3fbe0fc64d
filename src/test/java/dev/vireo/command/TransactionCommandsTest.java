package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** MULTI/EXEC/DISCARD/WATCH/UNWATCH; expected bytes recorded from Redis 7.0.15. */
@Timeout(30)
class TransactionCommandsTest {
  static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.start();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @BeforeEach
  void flush() {
    try (RespClient r = node.client()) {
      r.call("FLUSHALL");
    }
  }

  @Test
  void queuedCommandsRunTogetherAndRuntimeErrorsStayInTheReplyArray() {
    try (RespClient r = node.client()) {
      assertEquals("+OK\r\n", r.call("MULTI"));
      assertEquals("+QUEUED\r\n", r.call("SET", "k", "1"));
      assertEquals("+QUEUED\r\n", r.call("INCR", "k"));
      assertEquals("+QUEUED\r\n", r.call("INCRBY", "k", "x"));
      assertEquals("*3\r\n+OK\r\n:2\r\n-ERR value is not an integer or out of range\r\n", r.call("EXEC"));
      assertEquals("$1\r\n2\r\n", r.call("GET", "k"));
    }
  }

  @Test
  void queueTimeErrorsAbortTheTransaction() {
    try (RespClient r = node.client()) {
      assertEquals("+OK\r\n", r.call("MULTI"));
      assertEquals("+QUEUED\r\n", r.call("SET", "k", "v"));
      assertEquals("-ERR unknown command 'NOSUCH', with args beginning with: \r\n", r.call("NOSUCH"));
      assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", r.call("EXEC"));
      assertEquals("$-1\r\n", r.call("GET", "k"));

      assertEquals("+OK\r\n", r.call("MULTI"));
      assertEquals("-ERR wrong number of arguments for 'get' command\r\n", r.call("GET"));
      assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", r.call("EXEC"));
    }
  }

  @Test
  void controlErrors() {
    try (RespClient r = node.client()) {
      assertEquals("-ERR EXEC without MULTI\r\n", r.call("EXEC"));
      assertEquals("-ERR DISCARD without MULTI\r\n", r.call("DISCARD"));
      assertEquals("+OK\r\n", r.call("MULTI"));
      assertEquals("-ERR MULTI calls can not be nested\r\n", r.call("MULTI"));
      assertEquals("-ERR WATCH inside MULTI is not allowed\r\n", r.call("WATCH", "x"));
      assertEquals("+QUEUED\r\n", r.call("SET", "d", "1"));
      assertEquals("+OK\r\n", r.call("DISCARD"));
      assertEquals("$-1\r\n", r.call("GET", "d"));
      assertEquals("+OK\r\n", r.call("UNWATCH"));
    }
  }

  @Test
  void watchedKeyWrittenByAnotherClientFailsExec() {
    try (RespClient a = node.client(); RespClient b = node.client()) {
      assertEquals("+OK\r\n", a.call("WATCH", "w"));
      assertEquals("+OK\r\n", a.call("MULTI"));
      assertEquals("+QUEUED\r\n", a.call("PING"));
      assertEquals("+OK\r\n", b.call("SET", "w", "1"));
      assertEquals("*-1\r\n", a.call("EXEC"));

      // the watch is gone after EXEC: a new transaction runs
      assertEquals("+OK\r\n", a.call("MULTI"));
      assertEquals("+QUEUED\r\n", a.call("PING"));
      assertEquals("*1\r\n+PONG\r\n", a.call("EXEC"));
    }
  }

  @Test
  void writesToOtherKeysDoNotFailExec() {
    try (RespClient a = node.client(); RespClient b = node.client()) {
      assertEquals("+OK\r\n", a.call("WATCH", "w"));
      assertEquals("+OK\r\n", b.call("SET", "other", "1"));
      assertEquals("+OK\r\n", a.call("MULTI"));
      assertEquals("+QUEUED\r\n", a.call("PING"));
      assertEquals("*1\r\n+PONG\r\n", a.call("EXEC"));
    }
  }

  @Test
  void inPlaceChangesFlushAndExpiryAllCountAsWrites() {
    try (RespClient a = node.client(); RespClient b = node.client()) {
      b.call("SET", "n", "1");
      a.call("WATCH", "n");
      b.call("INCR", "n"); // changes the value in place
      a.call("MULTI");
      a.call("PING");
      assertEquals("*-1\r\n", a.call("EXEC"));

      b.call("SET", "f", "1");
      a.call("WATCH", "f");
      b.call("FLUSHALL");
      a.call("MULTI");
      a.call("PING");
      assertEquals("*-1\r\n", a.call("EXEC"));

      b.call("SET", "e", "1", "PX", "30");
      a.call("WATCH", "e");
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (b.call("PTTL", "e").startsWith(":") && !b.call("PTTL", "e").equals(":-2\r\n")
          && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      a.call("MULTI");
      a.call("PING");
      assertEquals("*-1\r\n", a.call("EXEC"), "a watched key that expired fails the transaction");
    }
  }

  @Test
  void failedIncrementDoesNotTouchTheWatchedKey() {
    try (RespClient a = node.client(); RespClient b = node.client()) {
      b.call("SET", "s", "notanumber");
      a.call("WATCH", "s");
      assertEquals("-ERR value is not an integer or out of range\r\n", b.call("INCR", "s"));
      a.call("MULTI");
      a.call("GET", "s");
      assertEquals("*1\r\n$10\r\nnotanumber\r\n", a.call("EXEC"));
    }
  }

  @Test
  void subscribeCanBeQueuedAndResetDiscards() {
    try (RespClient r = node.client()) {
      r.call("MULTI");
      r.call("SUBSCRIBE", "q");
      assertEquals("*1\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\nq\r\n:1\r\n", r.call("EXEC"));
      assertEquals("+RESET\r\n", r.call("RESET"));
      r.call("MULTI");
      r.call("SET", "z", "1");
      assertEquals("+RESET\r\n", r.call("RESET"));
      assertEquals("-ERR EXEC without MULTI\r\n", r.call("EXEC"));
      assertEquals("$-1\r\n", r.call("GET", "z"));
    }
  }

  @Test
  void resp3NullForAFailedWatch() {
    try (RespClient a = node.client(); RespClient b = node.client()) {
      a.call("HELLO", "3");
      a.call("WATCH", "w3");
      b.call("SET", "w3", "x");
      a.call("MULTI");
      a.call("PING");
      assertEquals("_\r\n", a.call("EXEC"));
    }
  }
}
