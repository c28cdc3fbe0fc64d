package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.testkit.ReferenceServer;
import dev.vireo.testkit.RespClient;
import java.io.ByteArrayOutputStream;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Key expiry: lazily on access, by the active cycle for keys nobody reads, and at once for a time in the past.
 * Waits are bounded polls, never fixed long sleeps. {@code -Dvireo.reference=redis} runs it against redis-server.
 */
class ExpiryTest {
  private ReferenceServer server;
  private RespClient r;

  @BeforeEach
  void start() {
    server = ReferenceServer.start();
    r = server.client();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private long expiredKeys() {
    String info = r.call("INFO", "stats");
    for (String line : info.split("\r\n")) {
      if (line.startsWith("expired_keys:")) return Long.parseLong(line.substring("expired_keys:".length()));
    }
    return fail("no expired_keys in INFO stats: " + info);
  }

  private static void poll(String what, long timeoutMillis, BooleanSupplier done) {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) fail("not within " + timeoutMillis + " ms: " + what);
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }

  @Test
  void lazyExpiryOnAccess() {
    // Without the active cycle, only a read can remove the key.
    assertEquals("+OK\r\n", r.call("DEBUG", "SET-ACTIVE-EXPIRE", "0"));
    assertEquals("+OK\r\n", r.call("SET", "k", "v", "PX", "50"));
    assertEquals("$1\r\nv\r\n", r.call("GET", "k"));
    long before = expiredKeys();
    sleepPast(80);
    assertEquals(":1\r\n", r.call("DBSIZE"));
    assertEquals("$-1\r\n", r.call("GET", "k"));
    assertEquals(":0\r\n", r.call("DBSIZE"));
    assertEquals(before + 1, expiredKeys());
  }

  private static boolean sleepPast(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return true;
  }

  @Test
  void activeCycleRemovesKeysNobodyReads() {
    // Pipelined, so that all the keys are written well within their 100 ms.
    ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
    for (int i = 0; i < 1000; i++) {
      pipeline.writeBytes(RespClient.encodeCommand("SET", "key:" + i, "v", "PX", "100"));
    }
    r.sendRaw(pipeline.toByteArray());
    for (int i = 0; i < 1000; i++) {
      assertEquals("+OK\r\n", r.readReply());
    }
    poll("DBSIZE reaches 0", 10_000, () -> r.call("DBSIZE").equals(":0\r\n"));
    assertEquals(1000, expiredKeys());
  }

  @Test
  void activeExpireCanBeSwitchedOff() {
    assertEquals("+OK\r\n", r.call("DEBUG", "SET-ACTIVE-EXPIRE", "0"));
    for (int i = 0; i < 100; i++) {
      assertEquals("+OK\r\n", r.call("SET", "key:" + i, "v", "PX", "20"));
    }
    // The keys are past their time but nobody reads them: DBSIZE still counts them.
    sleepPast(300);
    assertEquals(":100\r\n", r.call("DBSIZE"));
    assertEquals(0, expiredKeys());
    assertEquals("+OK\r\n", r.call("DEBUG", "SET-ACTIVE-EXPIRE", "1"));
    poll("DBSIZE reaches 0", 10_000, () -> r.call("DBSIZE").equals(":0\r\n"));
    assertEquals(100, expiredKeys());
  }

  @Test
  void randomkeySkipsAnyNumberOfExpiredKeys() {
    assertEquals("+OK\r\n", r.call("DEBUG", "SET-ACTIVE-EXPIRE", "0"));
    ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
    for (int i = 0; i < 2000; i++) {
      pipeline.writeBytes(RespClient.encodeCommand("SET", "key:" + i, "v", "PX", "1"));
    }
    r.sendRaw(pipeline.toByteArray());
    for (int i = 0; i < 2000; i++) {
      assertEquals("+OK\r\n", r.readReply());
    }
    assertEquals("+OK\r\n", r.call("SET", "live", "v"));
    sleepPast(20);
    assertEquals("$4\r\nlive\r\n", r.call("RANDOMKEY"));
    assertEquals("+OK\r\n", r.call("FLUSHALL"));
    assertEquals("$-1\r\n", r.call("RANDOMKEY"));
  }

  @Test
  void expireInThePastDeletesAtOnce() {
    assertEquals("+OK\r\n", r.call("DEBUG", "SET-ACTIVE-EXPIRE", "0"));
    assertEquals("+OK\r\n", r.call("MSET", "a", "1", "b", "2", "c", "3", "d", "4"));
    assertEquals(":1\r\n", r.call("EXPIRE", "a", "-10"));
    assertEquals(":1\r\n", r.call("PEXPIREAT", "b", "1"));
    assertEquals(":1\r\n", r.call("EXPIREAT", "c", "0"));
    assertEquals("$1\r\n4\r\n", r.call("GETEX", "d", "PXAT", "1"));
    assertEquals(":0\r\n", r.call("EXISTS", "a", "b", "c", "d"));
    assertEquals(":0\r\n", r.call("DBSIZE"));
    // Deleted by the command, not counted as expired.
    assertEquals(0, expiredKeys());
  }
}
