package dev.vireo.interop;

import static dev.vireo.testkit.Dumps.dump;
import static dev.vireo.testkit.Dumps.restore;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keys move between Vireo and a real Redis 7.0 through DUMP and RESTORE in both directions, with rdbcompression on
 * and off, and arrive with the same DEBUG DIGEST-VALUE and the OBJECT ENCODING a restore gives in Redis. Payloads travel as raw bytes.
 */
@Timeout(180)
class DumpRestoreInteropIT {
  private static final List<String> KEYS = List.of("str", "int", "negint", "bin", "longstr", "compressible", "list",
      "intset", "set", "zset", "hash", "biglist", "bigintset", "bigset", "bigzset", "bighash", "longlist",
      "longzset", "longhash", "hll");

  private static RedisServerProcess redis;
  private static TestNode node;

  @BeforeAll
  static void start() {
    redis = RedisServerProcess.start("--enable-debug-command", "yes");
    node = TestNode.start();
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
    if (redis != null) redis.close();
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void fill(RespClient c) {
    c.call("FLUSHALL");
    Random rnd = new Random(11);
    c.call("SET", "str", "hello world");
    c.call("SET", "int", "12345");
    c.call("SET", "negint", "-9223372036854775808");
    c.callBytes(b("SET"), b("bin"), new byte[] {0, (byte) 0xff, '\r', '\n', (byte) 0x80});
    StringBuilder noise = new StringBuilder();
    for (int i = 0; i < 3000; i++) noise.append((char) ('!' + rnd.nextInt(90)));
    c.call("SET", "longstr", noise.toString());
    c.call("SET", "compressible", "abcabcabd".repeat(400));
    c.call("RPUSH", "list", "a", "1", "-77", "b");
    c.call("SADD", "intset", "5", "-3", "100000", "9223372036854775807");
    c.call("SADD", "set", "x", "y", "1");
    c.call("ZADD", "zset", "0.1", "a", "-inf", "b", "inf", "c", "1e300", "d", "3", "e");
    c.call("HSET", "hash", "f", "v", "g", "12", "h", "");
    for (int i = 0; i < 700; i++) {
      String n = Integer.toString(rnd.nextInt(1_000_000) - 500_000);
      c.call("RPUSH", "biglist", n, "e" + n);
      c.call("SADD", "bigintset", n);
      c.call("SADD", "bigset", "m" + n);
      c.call("ZADD", "bigzset", Double.toString(rnd.nextGaussian()), "m" + n);
      c.call("HSET", "bighash", "f" + n, n);
    }
    String big = "q".repeat(100);
    c.call("RPUSH", "longlist", big, "short", big + "z");
    c.call("ZADD", "longzset", "1", big, "2", "s");
    c.call("HSET", "longhash", "f", big, "s", "t");
    c.call("PFADD", "hll", "a", "b", "c", "d");
  }

  /** Every key DUMPed on {@code from} RESTOREs on {@code to} with the same digest and encoding. */
  private static void transfer(RespClient from, RespClient to, String direction) {
    to.call("FLUSHALL");
    for (String k : KEYS) {
      byte[] payload = dump(from, k);
      assertEquals("+OK\r\n", restore(to, k, "0", payload), direction + " " + k);
      assertEquals(from.call("DEBUG", "DIGEST-VALUE", k), to.call("DEBUG", "DIGEST-VALUE", k), direction + " " + k);
      // The encoding a restore gives (an HLL built by PFADD is "raw", restored it is "embstr" in Redis too).
      assertEquals("+OK\r\n", restore(from, "restored:" + k, "0", payload), direction + " " + k);
      assertEquals(from.call("OBJECT", "ENCODING", "restored:" + k), to.call("OBJECT", "ENCODING", k),
          direction + " " + k);
      from.call("DEL", "restored:" + k);
      assertEquals(from.call("TYPE", k), to.call("TYPE", k), direction + " " + k);
    }
    assertEquals(from.call("DEBUG", "DIGEST"), to.call("DEBUG", "DIGEST"), direction);
  }

  @Test
  void everyTypeBothWaysWithAndWithoutCompression() {
    try (RespClient r = redis.client();
        RespClient v = node.client()) {
      for (String compression : List.of("yes", "no")) {
        assertEquals("+OK\r\n", r.call("CONFIG", "SET", "rdbcompression", compression));
        assertEquals("+OK\r\n", v.call("CONFIG", "SET", "rdbcompression", compression));
        fill(r);
        transfer(r, v, "redis->vireo rdbcompression " + compression);
        fill(v);
        transfer(v, r, "vireo->redis rdbcompression " + compression);
      }
      v.call("CONFIG", "SET", "rdbcompression", "yes");
      r.call("CONFIG", "SET", "rdbcompression", "yes");
    }
  }

  @Test
  void uncompressedPayloadsAreIdentical() {
    try (RespClient r = redis.client();
        RespClient v = node.client()) {
      r.call("CONFIG", "SET", "rdbcompression", "no");
      v.call("CONFIG", "SET", "rdbcompression", "no");
      try {
        fill(r);
        fill(v);
        for (String k : KEYS) {
          if (r.call("OBJECT", "ENCODING", k).contains("hashtable")) continue; // iteration order is the table's
          // A quicklist's split into nodes is the list model's own; its contents are compared by digest above.
          if (r.call("OBJECT", "ENCODING", k).contains("quicklist")) continue;
          // Known difference: a zset listpack holds non-integer scores as text, which Redis 7.0 writes with
          // %.17g ("0.10000000000000001") and the RDB writer here as Java prints them ("0.1", "1.0E300").
          // Both read back to the same doubles in either server (see the digests above), but the bytes differ.
          if (r.call("OBJECT", "ENCODING", k).contains("listpack") && r.call("TYPE", k).contains("zset")) continue;
          assertEquals(new String(r.callBytes(b("DUMP"), b(k)), StandardCharsets.ISO_8859_1),
              new String(v.callBytes(b("DUMP"), b(k)), StandardCharsets.ISO_8859_1), k);
        }
      } finally {
        r.call("CONFIG", "SET", "rdbcompression", "yes");
        v.call("CONFIG", "SET", "rdbcompression", "yes");
      }
    }
  }

  @Test
  void sameRepliesForOptionsTtlsAndBadPayloads() {
    try (RespClient r = redis.client();
        RespClient v = node.client()) {
      for (RespClient c : List.of(r, v)) {
        c.call("FLUSHALL");
        c.call("SET", "k", "v");
        c.call("SET", "gone", "v", "PX", "1");
      }
      byte[] p = dump(r, "k");
      byte[] flipped = p.clone();
      flipped[2] ^= 1;
      byte[] typeless = Arrays.copyOf(p, p.length);
      typeless[0] = 42;
      typeless = fixTrailer(typeless);
      byte[] truncated = fixTrailer(Arrays.copyOf(p, p.length - 1));
      byte[] future = p.clone();
      future[p.length - 10] = 11;
      future = fixTrailer(future);
      byte[] bodyless = fixTrailer(new byte[] {10, 0, 0, 0, 0, 0, 0, 0, 0, 0});
      byte[] emptySet = fixTrailer(new byte[] {2, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0});
      byte[] emptyList = fixTrailer(new byte[] {18, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0});
      byte[] emptyZset = fixTrailer(new byte[] {5, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0});
      byte[] emptyHash = fixTrailer(new byte[] {4, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0});
      sleepMillis(5);
      String at = Long.toString(System.currentTimeMillis() + 3_600_000);
      List<Object[]> cases = List.of(
          new Object[] {"n1", "0", p, new String[0]},
          new Object[] {"k", "0", p, new String[0]},
          new Object[] {"k", "0", new byte[0], new String[0]},
          new Object[] {"k", "x", p, new String[0]},
          new Object[] {"k", "-1", p, new String[] {"REPLACE"}},
          new Object[] {"k", "0", p, new String[] {"BOGUS"}},
          new Object[] {"n2", "0", p, new String[] {"IDLETIME"}},
          new Object[] {"n2", "0", p, new String[] {"IDLETIME", "-1"}},
          new Object[] {"n2", "0", p, new String[] {"IDLETIME", "x"}},
          new Object[] {"n2", "0", p, new String[] {"FREQ", "256"}},
          new Object[] {"n2", "0", p, new String[] {"FREQ", "-1"}},
          new Object[] {"n2", "0", p, new String[] {"FREQ", "1", "IDLETIME", "1"}},
          new Object[] {"n2", "0", p, new String[] {"IDLETIME", "1", "FREQ", "1"}},
          new Object[] {"n3", "0", p, new String[] {"IDLETIME", "5", "REPLACE", "ABSTTL"}},
          new Object[] {"n4", "0", p, new String[] {"FREQ", "0"}},
          new Object[] {"n5", "0", new byte[0], new String[0]},
          new Object[] {"n5", "0", b("abc"), new String[0]},
          new Object[] {"n5", "0", flipped, new String[0]},
          new Object[] {"n5", "0", typeless, new String[0]},
          new Object[] {"n5", "0", truncated, new String[0]},
          new Object[] {"n5", "0", future, new String[0]},
          new Object[] {"n5", "0", bodyless, new String[0]},
          new Object[] {"n5", "0", emptySet, new String[0]},
          new Object[] {"n5", "0", emptyList, new String[0]},
          new Object[] {"n5", "0", emptyZset, new String[0]},
          new Object[] {"n5", "0", emptyHash, new String[0]},
          new Object[] {"n6", "1", p, new String[] {"ABSTTL"}},
          new Object[] {"k", "1", p, new String[] {"ABSTTL", "REPLACE"}},
          new Object[] {"n7", at, p, new String[] {"ABSTTL"}},
          new Object[] {"n8", "0", p, new String[] {"absttl"}},
          new Object[] {"gone", "0", p, new String[0]});
      for (Object[] t : cases) {
        String[] opts = (String[]) t[3];
        String what = "RESTORE " + t[0] + " " + t[1] + " " + String.join(" ", opts);
        assertEquals(restore(r, (String) t[0], (String) t[1], (byte[]) t[2], opts),
            restore(v, (String) t[0], (String) t[1], (byte[]) t[2], opts), what);
      }
      for (String k : List.of("k", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "gone")) {
        assertEquals(r.call("EXISTS", k), v.call("EXISTS", k), k);
        assertEquals(r.call("PEXPIRETIME", k), v.call("PEXPIRETIME", k), k);
        assertEquals(r.call("DEBUG", "DIGEST-VALUE", k), v.call("DEBUG", "DIGEST-VALUE", k), k);
      }
      assertEquals(r.call("DUMP", "nothing"), v.call("DUMP", "nothing"));
      assertEquals(r.call("DUMP"), v.call("DUMP"));
      assertEquals(r.call("RESTORE", "k", "0"), v.call("RESTORE", "k", "0"));
      assertTrue(r.call("COMMAND", "INFO", "restore").contains("denyoom"));
      assertTrue(v.call("COMMAND", "INFO", "restore").contains("denyoom"));
    }
  }

  private static void sleepMillis(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Recomputes the CRC-64 (Jones, reflected) over everything before the last 8 bytes. */
  private static byte[] fixTrailer(byte[] p) {
    long poly = 0x95ac9329ac4bc9b5L;
    long crc = 0;
    int n = p.length - 8;
    for (int i = 0; i < n; i++) {
      crc ^= p[i] & 0xFF;
      for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >>> 1) ^ poly : crc >>> 1;
    }
    for (int i = 0; i < 8; i++) p[n + i] = (byte) (crc >>> (8 * i));
    return p;
  }
}
