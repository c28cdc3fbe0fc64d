package dev.vireo.memory;

import static dev.vireo.memory.MemorySides.integer;
import static dev.vireo.memory.MemorySides.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RespClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OBJECT FREQ and OBJECT IDLETIME against a real redis-server 7.0.15: the errors under each of the eight policies,
 * which commands count as an access (GET, SET over a key, TOUCH) and which do not (OBJECT, EXISTS, TYPE, TTL), the
 * LFU counter of a new key (5) and of a copy, its deterministic growth with {@code lfu-log-factor 0} (capped at
 * 255) and its logarithmic growth with the default factor, RESTORE ... FREQ|IDLETIME and their errors, and idle
 * time that grows with the clock.
 */
class ObjectFreqIdleIT {
  private static final String[] POLICIES = {"noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random",
    "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"};

  /** Runs each command on both servers; the replies must be byte-equal. */
  private static final class Both implements AutoCloseable {
    final AnyServer redisServer;
    final AnyServer oursServer;
    final RespClient redis;
    final RespClient ours;
    final List<String> log = new ArrayList<>();

    Both() {
      redisServer = MemorySides.start("redis");
      try {
        oursServer = MemorySides.start(MemorySides.ours());
      } catch (RuntimeException | Error e) {
        redisServer.close();
        throw e;
      }
      redis = redisServer.client();
      ours = oursServer.client();
    }

    String same(String... cmd) {
      String expected = redis.call(cmd);
      String actual = ours.call(cmd);
      log.add(String.join(" ", cmd) + " -> " + show(expected));
      if (!expected.equals(actual)) {
        fail(String.join(" ", cmd) + "\nredis: " + show(expected) + "\nvireo: " + show(actual) + "\nafter: " + log);
      }
      return expected;
    }

    /** The same command on both; each integer reply must lie in [min, max]. */
    void within(long min, long max, String... cmd) {
      for (RespClient c : List.of(redis, ours)) {
        String reply = c.call(cmd);
        long v = integer(reply);
        assertTrue(v >= min && v <= max, (c == redis ? "redis" : "vireo") + ": " + String.join(" ", cmd) + " = " + v
            + ", expected within [" + min + ", " + max + "]");
      }
    }

    String[] restoreCommand(String key, String... options) {
      byte[] dump = redis.callBytes(bytes("DUMP"), bytes("dump:src"));
      String text = new String(dump, StandardCharsets.ISO_8859_1);
      int start = text.indexOf("\r\n") + 2;
      String payload = text.substring(start, text.length() - 2);
      String[] cmd = new String[4 + options.length];
      cmd[0] = "RESTORE";
      cmd[1] = key;
      cmd[2] = "0";
      cmd[3] = payload;
      System.arraycopy(options, 0, cmd, 4, options.length);
      return cmd;
    }

    @Override
    public void close() {
      redis.close();
      ours.close();
      redisServer.close();
      oursServer.close();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** RESTORE sends the payload as Latin-1 bytes, not as UTF-8. */
  private static String restoreBoth(Both b, String key, String... options) {
    String[] cmd = b.restoreCommand(key, options);
    byte[][] raw = new byte[cmd.length][];
    for (int i = 0; i < cmd.length; i++) raw[i] = bytes(cmd[i]);
    String expected = new String(b.redis.callBytes(raw), StandardCharsets.ISO_8859_1);
    String actual = new String(b.ours.callBytes(raw), StandardCharsets.ISO_8859_1);
    String shown = "RESTORE " + key + " 0 <payload> " + String.join(" ", options);
    b.log.add(shown + " -> " + show(expected));
    if (!expected.equals(actual)) fail(shown + "\nredis: " + show(expected) + "\nvireo: " + show(actual));
    return expected;
  }

  @Test
  void errorsUnderEachPolicyAreRedis() {
    try (Both b = new Both()) {
      b.same("SET", "k", "v");
      for (String policy : POLICIES) {
        b.same("CONFIG", "SET", "maxmemory-policy", policy);
        String freq = b.same("OBJECT", "FREQ", "k");
        String idle = b.same("OBJECT", "IDLETIME", "k");
        boolean lfu = policy.endsWith("-lfu");
        // exactly one of the two is tracked, whichever the policy
        assertEquals(lfu, freq.startsWith(":"), policy + " FREQ " + show(freq));
        assertEquals(!lfu, idle.startsWith(":"), policy + " IDLETIME " + show(idle));
        // a missing key answers nil before the policy is looked at
        b.same("OBJECT", "FREQ", "missing");
        b.same("OBJECT", "IDLETIME", "missing");
      }
      b.same("OBJECT", "FREQ");
      b.same("OBJECT", "FREQ", "k", "extra");
      b.same("OBJECT", "IDLETIME");
    }
  }

  @Test
  void lfuCounterIsDeterministicWithLogFactorZero() {
    try (Both b = new Both()) {
      b.same("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
      b.same("CONFIG", "SET", "lfu-log-factor", "0");
      b.same("CONFIG", "SET", "lfu-decay-time", "0"); // no decay at a minute's turn
      b.same("SET", "a", "v");
      assertEquals(":5\r\n", b.same("OBJECT", "FREQ", "a"), "a new key starts at LFU_INIT_VAL");
      for (int i = 0; i < 20; i++) b.same("GET", "a");
      assertEquals(":25\r\n", b.same("OBJECT", "FREQ", "a"));
      b.same("SET", "a", "w"); // the lookup before the overwrite counts, and the overwrite keeps the counter
      b.same("OBJECT", "FREQ", "a");
      b.same("TOUCH", "a");
      b.same("OBJECT", "FREQ", "a");
      // none of these is an access
      b.same("EXISTS", "a");
      b.same("TYPE", "a");
      b.same("TTL", "a");
      b.same("OBJECT", "ENCODING", "a");
      b.same("OBJECT", "FREQ", "a");
      b.same("STRLEN", "a");
      b.same("APPEND", "a", "x");
      b.same("OBJECT", "FREQ", "a");
      b.same("OBJECT", "IDLETIME", "a");
      // each type, read and written (integers above 10000: smaller ones may be Redis's shared objects)
      String[][] steps = {
        {"HSET", "h", "f", "v"}, {"HGET", "h", "f"}, {"HSET", "h", "g", "w"}, {"HLEN", "h"},
        {"RPUSH", "l", "x", "y"}, {"LRANGE", "l", "0", "-1"}, {"LPOP", "l"},
        {"SADD", "s", "m"}, {"SISMEMBER", "s", "m"}, {"SCARD", "s"},
        {"ZADD", "z", "1", "m"}, {"ZSCORE", "z", "m"}, {"ZINCRBY", "z", "1", "m"},
        {"XADD", "x", "1-1", "f", "v"}, {"XLEN", "x"}, {"XRANGE", "x", "-", "+"},
        {"SET", "n", "100000"}, {"INCR", "n"}, {"INCR", "n"}, {"GETRANGE", "a", "0", "1"}, {"MGET", "a", "h", "n"},
      };
      for (String[] step : steps) {
        b.same(step);
        b.same("OBJECT", "FREQ", step[1]);
      }
      // a renamed or moved key keeps its object; a copy is a new one
      b.same("RENAME", "a", "b");
      b.same("OBJECT", "FREQ", "b");
      b.same("COPY", "b", "c");
      b.same("OBJECT", "FREQ", "b");
      assertEquals(":5\r\n", b.same("OBJECT", "FREQ", "c"));
      b.same("MOVE", "b", "1");
      b.same("SELECT", "1");
      b.same("OBJECT", "FREQ", "b");
      b.same("SELECT", "0");
      // the counter saturates at 255
      List<String[]> gets = new ArrayList<>();
      for (int i = 0; i < 300; i++) gets.add(new String[] {"GET", "c"});
      assertEquals(MemorySides.pipeline(b.redis, gets), MemorySides.pipeline(b.ours, gets));
      assertEquals(":255\r\n", b.same("OBJECT", "FREQ", "c"));
    }
  }

  @Test
  void lfuCounterGrowsLogarithmicallyWithTheDefaultFactor() {
    try (Both b = new Both()) {
      b.same("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
      b.same("CONFIG", "GET", "lfu-log-factor");
      b.same("CONFIG", "SET", "lfu-decay-time", "0");
      b.same("SET", "a", "v");
      b.same("GET", "a");
      // from 5 the first increment is certain, the next ones have probability 1/(10 * (counter - 5) + 1)
      assertEquals(":6\r\n", b.same("OBJECT", "FREQ", "a"));
      List<String[]> gets = new ArrayList<>();
      for (int i = 0; i < 1000; i++) gets.add(new String[] {"GET", "a"});
      MemorySides.pipeline(b.redis, gets);
      MemorySides.pipeline(b.ours, gets);
      // about 5 + sqrt(2 * 1000 / 10) = 19 expected; 40 would take over 7000 accesses on average
      b.within(10, 40, "OBJECT", "FREQ", "a");
    }
  }

  @Test
  void restoreSetsFrequencyOrIdleTimeAfterThePolicy() {
    try (Both b = new Both()) {
      b.same("SET", "dump:src", "payload-value");
      // the errors come before the policy is looked at
      for (String[] opts : new String[][] {{"FREQ", "256"}, {"FREQ", "-1"}, {"FREQ", "x"}, {"IDLETIME", "-1"},
          {"IDLETIME", "x"}, {"IDLETIME", "1", "FREQ", "2"}, {"FREQ", "1", "IDLETIME", "2"}, {"FREQ"},
          {"IDLETIME"}, {"IDLETIME", "1", "IDLETIME", "2"}}) {
        restoreBoth(b, "bad", opts);
      }
      b.same("EXISTS", "bad");

      b.same("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
      b.same("CONFIG", "SET", "lfu-log-factor", "0");
      b.same("CONFIG", "SET", "lfu-decay-time", "0");
      assertEquals("+OK\r\n", restoreBoth(b, "f100", "FREQ", "100"));
      assertEquals(":100\r\n", b.same("OBJECT", "FREQ", "f100"));
      b.same("GET", "f100");
      assertEquals(":101\r\n", b.same("OBJECT", "FREQ", "f100"));
      restoreBoth(b, "f255", "FREQ", "255");
      b.same("GET", "f255");
      assertEquals(":255\r\n", b.same("OBJECT", "FREQ", "f255"));
      restoreBoth(b, "f0", "FREQ", "0");
      b.same("OBJECT", "FREQ", "f0");
      restoreBoth(b, "idle", "IDLETIME", "1000"); // ignored under LFU: a fresh counter
      b.same("OBJECT", "FREQ", "idle");
      restoreBoth(b, "f100", "REPLACE", "FREQ", "7");
      b.same("OBJECT", "FREQ", "f100");

      b.same("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
      restoreBoth(b, "i1000", "IDLETIME", "1000");
      b.within(1000, 1002, "OBJECT", "IDLETIME", "i1000");
      // OBJECT, EXISTS, TYPE and TTL leave the access time alone
      b.same("OBJECT", "ENCODING", "i1000");
      b.same("EXISTS", "i1000");
      b.same("TYPE", "i1000");
      b.same("TTL", "i1000");
      b.within(1000, 1002, "OBJECT", "IDLETIME", "i1000");
      b.same("TOUCH", "i1000", "nothere");
      b.within(0, 1, "OBJECT", "IDLETIME", "i1000");
      restoreBoth(b, "i500", "IDLETIME", "500");
      b.within(500, 502, "OBJECT", "IDLETIME", "i500");
      b.same("GET", "i500");
      b.within(0, 1, "OBJECT", "IDLETIME", "i500");
      restoreBoth(b, "i0", "FREQ", "200"); // ignored under LRU
      b.within(0, 1, "OBJECT", "IDLETIME", "i0");
      restoreBoth(b, "i500", "REPLACE", "IDLETIME", "500");
      b.within(500, 502, "OBJECT", "IDLETIME", "i500");
      b.same("OBJECT", "FREQ", "i500");
    }
  }

  @Test
  void idleTimeGrowsAndSwitchingPoliciesKeepsKeysReadable() {
    try (Both b = new Both()) {
      b.same("SET", "old", "v");
      b.same("SET", "touched", "v");
      b.within(0, 1, "OBJECT", "IDLETIME", "old");
      long start = System.nanoTime();
      Poll.sleep(1100);
      b.same("GET", "touched");
      Poll.sleep(1100);
      long seconds = (System.nanoTime() - start) / 1_000_000_000L;
      b.within(seconds - 1, seconds + 1, "OBJECT", "IDLETIME", "old");
      b.within(0, 2, "OBJECT", "IDLETIME", "touched");

      // switched at runtime: an old key's LRU bits read as an LFU counter (any value); a new key starts at 5
      b.same("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
      b.within(0, 255, "OBJECT", "FREQ", "old");
      b.same("OBJECT", "IDLETIME", "old");
      b.same("SET", "new", "v");
      assertEquals(":5\r\n", b.same("OBJECT", "FREQ", "new"));
      b.same("CONFIG", "SET", "maxmemory-policy", "volatile-lru");
      b.same("OBJECT", "FREQ", "new");
      b.within(0, Integer.MAX_VALUE, "OBJECT", "IDLETIME", "new");
    }
  }
}
