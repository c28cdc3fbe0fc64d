package dev.vireo.interop;

import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sends the same seeded random PFADD/PFCOUNT/PFMERGE sequence (with GET/SET/DEL/TYPE around it) to Vireo and to a
 * real redis-server and requires byte-equal replies: GET of an HLL key compares the stored representation itself.
 */
class HllDifferentialIT {

  @ParameterizedTest
  @CsvSource({"1, 3000, 3000", "2, 3000, 3000", "3, 200, 2500", "4, 40, 3000", "5, 1000, 2000"})
  void sameRepliesAsRedis(long seed, int sparseMax, int commands) {
    try (RedisServerProcess redis = RedisServerProcess.start();
        TestNode node = TestNode.start();
        RespClient r = redis.client();
        RespClient v = node.client()) {
      String cfg = Integer.toString(sparseMax);
      same(seed, -1, r, v, b("CONFIG"), b("SET"), b("hll-sparse-max-bytes"), b(cfg));
      Random rnd = new Random(seed);
      for (int i = 0; i < commands; i++) {
        byte[][] cmd = next(rnd, r);
        same(seed, i, r, v, cmd);
      }
      if (!sawDense) fail("seed " + seed + " never produced a dense HLL");
      // Final state of every key, bytes included.
      for (int k = 0; k < KEYS; k++) {
        same(seed, commands, r, v, b("GET"), key(k));
        same(seed, commands, r, v, b("PFCOUNT"), key(k));
        same(seed, commands, r, v, b("GET"), key(k));
      }
    }
  }

  /** Large cardinalities, where the estimator's correction terms matter, must give the same counts too. */
  @Test
  void largeCardinalities() {
    try (RedisServerProcess redis = RedisServerProcess.start();
        TestNode node = TestNode.start();
        RespClient r = redis.client();
        RespClient v = node.client()) {
      Random rnd = new Random(42);
      int step = 0;
      for (int batch = 0; batch < 60; batch++) {
        byte[][] cmd = new byte[2 + 5000][];
        cmd[0] = b("PFADD");
        cmd[1] = b(batch % 3 == 0 ? "other" : "big");
        for (int i = 2; i < cmd.length; i++) cmd[i] = b(Long.toString(rnd.nextLong() % (1L << (10 + batch / 3))));
        same(42, step++, r, v, cmd);
        same(42, step++, r, v, b("PFCOUNT"), b("big"));
        same(42, step++, r, v, b("PFCOUNT"), b("big"), b("other"));
      }
      same(42, step++, r, v, b("PFMERGE"), b("merged"), b("big"), b("other"));
      same(42, step++, r, v, b("GET"), b("merged"));
      same(42, step, r, v, b("PFCOUNT"), b("merged"));
    }
  }

  /**
   * Corrupted HLLs: seeded random byte edits (registers, opcodes, truncation, appended bytes) of sparse and dense
   * values written with SET, SETRANGE and APPEND, then every PF command on them: Redis's replies, INVALIDOBJ
   * included, and never an internal error.
   */
  @Test
  void corruptedValues() {
    try (RedisServerProcess redis = RedisServerProcess.start();
        TestNode node = TestNode.start();
        RespClient r = redis.client();
        RespClient v = node.client()) {
      Random rnd = new Random(7);
      int step = 0;
      for (int round = 0; round < 400; round++) {
        boolean dense = round % 4 == 0;
        same(7, step++, r, v, b("DEL"), b("c"), b("other"));
        int n = dense ? 3000 : 1 + rnd.nextInt(60);
        byte[][] add = new byte[2 + n][];
        add[0] = b("PFADD");
        add[1] = b("c");
        for (int i = 0; i < n; i++) add[2 + i] = b("e" + rnd.nextInt(1_000_000));
        same(7, step++, r, v, add);
        same(7, step++, r, v, b("PFADD"), b("other"), b("x" + round));
        byte[] value = bulkBody(r.callBytes(b("GET"), b("c")));
        int edits = 1 + rnd.nextInt(3);
        for (int e = 0; e < edits; e++) {
          int kind = rnd.nextInt(10);
          if (kind < 6) {
            // bytes after the 16-byte header: registers or opcodes
            int at = 16 + rnd.nextInt(Math.max(1, value.length - 16));
            byte[] bytes = new byte[1 + rnd.nextInt(kind == 0 ? 4 : 1)];
            rnd.nextBytes(bytes);
            same(7, step++, r, v, b("SETRANGE"), b("c"), b(Integer.toString(at)), bytes);
          } else if (kind < 8) {
            byte[] bytes = new byte[1 + rnd.nextInt(3)];
            rnd.nextBytes(bytes);
            same(7, step++, r, v, b("APPEND"), b("c"), bytes);
          } else if (kind < 9) {
            value = bulkBody(r.callBytes(b("GET"), b("c")));
            int len = 16 + rnd.nextInt(Math.max(1, value.length - 15));
            same(7, step++, r, v, b("SET"), b("c"), Arrays.copyOf(value, len));
          } else {
            // the corrupted value as a DUMP payload of Redis's, restored on both
            byte[] dump = bulkBody(r.callBytes(b("DUMP"), b("c")));
            same(7, step++, r, v, b("RESTORE"), b("c"), b("0"), dump, b("REPLACE"));
          }
        }
        switch (rnd.nextInt(6)) {
          case 0 -> same(7, step++, r, v, b("PFADD"), b("c"), b("y" + rnd.nextInt(1000)), b("z" + round));
          case 1 -> same(7, step++, r, v, b("PFCOUNT"), b("c"), b("other"));
          case 2 -> same(7, step++, r, v, b("PFMERGE"), b("other"), b("c"));
          case 3 -> same(7, step++, r, v, b("PFMERGE"), b("c"), b("other"));
          case 4 -> same(7, step++, r, v, b("PFDEBUG"), b(rnd.nextBoolean() ? "ENCODING" : "TODENSE"), b("c"));
          default -> same(7, step++, r, v, b("PFCOUNT"), b("c"));
        }
        same(7, step++, r, v, b("PFCOUNT"), b("c"));
        same(7, step++, r, v, b("GET"), b("c"));
        same(7, step++, r, v, b("GET"), b("other"));
      }
    }
  }

  /** Corruptions the fuzz once found: a sparse value ending in half an XZERO, and a run past the last register. */
  @Test
  void knownCorruptions() {
    String[] values = {"48594c4c01000000000000000000008045d78c432380619a84d765",
        "48594c4c0100000000000000000000807fff8040"};
    try (RedisServerProcess redis = RedisServerProcess.start();
        TestNode node = TestNode.start();
        RespClient r = redis.client();
        RespClient v = node.client()) {
      int step = 0;
      for (String hex : values) {
        byte[] value = HexFormat.of().parseHex(hex);
        for (byte[][] cmd : new byte[][][] {{b("SET"), b("c"), value}, {b("PFADD"), b("c"), b("zz500")},
            {b("GET"), b("c")}, {b("SET"), b("c"), value}, {b("PFCOUNT"), b("c")}, {b("PFMERGE"), b("d"), b("c")},
            {b("PFDEBUG"), b("TODENSE"), b("c")}, {b("GET"), b("c")}}) {
          same(0, step++, r, v, cmd);
        }
      }
    }
  }

  private static final int KEYS = 5;
  private boolean sawDense;

  private static byte[] key(int k) {
    return b("h" + k);
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] element(Random rnd) {
    switch (rnd.nextInt(6)) {
      case 0:
        byte[] raw = new byte[rnd.nextInt(20)];
        rnd.nextBytes(raw);
        return raw;
      case 1:
        return b(Integer.toString(rnd.nextInt(100)));
      default:
        return b("e" + rnd.nextInt(20000));
    }
  }

  private static byte[][] next(Random rnd, RespClient redis) {
    List<byte[]> c = new ArrayList<>();
    int k = rnd.nextInt(KEYS);
    int op = rnd.nextInt(100);
    if (op < 45) {
      c.add(b(rnd.nextBoolean() ? "PFADD" : "pfadd"));
      c.add(key(k));
      int n = rnd.nextInt(8) == 0 ? rnd.nextInt(1500) : rnd.nextInt(6);
      for (int i = 0; i < n; i++) c.add(element(rnd));
    } else if (op < 60) {
      c.add(b("PFCOUNT"));
      int n = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(3) : 1;
      if (rnd.nextInt(50) == 0) n = 0;
      for (int i = 0; i < n; i++) c.add(key(rnd.nextInt(KEYS + 1)));
    } else if (op < 70) {
      c.add(b("PFMERGE"));
      if (rnd.nextInt(50) != 0) c.add(key(k));
      int n = rnd.nextInt(4);
      for (int i = 0; i < n; i++) c.add(key(rnd.nextInt(KEYS + 1)));
    } else if (op < 82) {
      c.add(b("GET"));
      c.add(key(k));
    } else if (op < 84) {
      c.add(b("PFDEBUG"));
      String[] subs = {"DECODE", "ENCODING", "decode", "TODENSE", "GETREG", "nosuch"};
      int s = rnd.nextInt(30) == 0 ? 3 + rnd.nextInt(3) : rnd.nextInt(3);
      c.add(b(subs[s]));
      c.add(key(rnd.nextInt(KEYS + 1)));
      if (rnd.nextInt(40) == 0) c.add(b("extra"));
    } else if (op < 86) {
      if (rnd.nextBoolean()) {
        c.add(b("TYPE"));
      } else {
        c.add(b("OBJECT"));
        c.add(b("ENCODING"));
      }
      c.add(key(k));
    } else if (op < 90) {
      c.add(b("DEL"));
      c.add(key(k));
    } else if (op < 94) {
      // Copy one HLL's exact bytes to another key, as RESTORE or a replica would.
      byte[] reply = redis.callBytes(b("GET"), key(rnd.nextInt(KEYS)));
      byte[] value = bulkBody(reply);
      c.add(b("SET"));
      c.add(key(k));
      c.add(value == null ? b("") : value);
    } else if (op < 97) {
      c.add(b("SET"));
      c.add(key(k));
      String[] junk = {"x", "HYLL", "HYLL\u0001\0\0\0\0\0\0\0\0\0\0\0", "123", "HYLL\0\0\0\0\0\0\0\0\0\0\0\0\u007f\u00ff"};
      c.add(b(junk[rnd.nextInt(junk.length)]));
    } else {
      c.add(b("PFADD"));
    }
    return c.toArray(new byte[0][]);
  }

  private static byte[] bulkBody(byte[] reply) {
    if (reply[0] != '$' || reply[1] == '-') return null;
    int crlf = 1;
    while (reply[crlf] != '\r') crlf++;
    int len = Integer.parseInt(new String(reply, 1, crlf - 1, StandardCharsets.US_ASCII));
    return Arrays.copyOfRange(reply, crlf + 2, crlf + 2 + len);
  }

  private void same(long seed, int step, RespClient r, RespClient v, byte[]... cmd) {
    byte[] expected = r.callBytes(cmd);
    byte[] actual = v.callBytes(cmd);
    if (expected.length > 12304 && expected[0] == '$') sawDense = true;
    if (!Arrays.equals(expected, actual)) {
      fail("seed " + seed + " step " + step + " command " + show(cmd) + "\nredis: " + show(expected)
          + "\nvireo: " + show(actual));
    }
  }

  private static String show(byte[]... parts) {
    StringBuilder sb = new StringBuilder();
    for (byte[] p : parts) {
      if (sb.length() > 0) sb.append(' ');
      for (byte x : p) {
        int u = x & 0xff;
        if (u >= 32 && u < 127 && u != '\\') sb.append((char) u);
        else sb.append(String.format("\\x%02x", u));
      }
      if (sb.length() > 3000) {
        sb.append("...");
        break;
      }
    }
    return sb.toString();
  }
}
