package dev.vireo.memory;

import static dev.vireo.memory.MemorySides.countExisting;
import static dev.vireo.memory.MemorySides.infoLong;
import static dev.vireo.memory.MemorySides.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RespClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Eviction under each of the eight {@code maxmemory-policy} values, the same load on a real redis-server 7.0.15 and
 * on Vireo, checked for the properties Redis guarantees rather than for key sets (sampling is random): {@code
 * maxmemory} is set relative to the server's own {@code used_memory} after a warm-up, so absolute byte counts do not
 * matter. The load is 100 keys without TTL, 100 hot keys with a long TTL read after every batch, and cold keys with
 * TTLs growing with their index, written until three times as many keys as first fitted.
 */
@Timeout(120)
class EvictionPolicyIT {
  private static final int BUDGET = 1 << 20;
  private static final int PERSISTENT = 100;
  private static final int HOT = 100;
  private static final int BATCH = 100;
  private static final String VALUE = "v".repeat(500);
  private static final String OOM = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";

  /** What one server did under the load. */
  record Outcome(String kind, String policy, long firstEvictionAt, long written, long evicted, long keys,
      long persistentLeft,
      long hotLeft, long coldLeft, long coldEarlyLeft, long coldLateLeft, long usedOverBase, boolean oom,
      Map<String, Object> volatileOom) {
    @Override
    public String toString() {
      return kind + " " + policy + ": first eviction after " + firstEvictionAt + " cold keys, " + written
          + " written, evicted " + evicted + ", left: persistent " + persistentLeft + "/" + PERSISTENT + ", hot "
          + hotLeft + "/" + HOT + ", cold " + coldLeft + " (first third " + coldEarlyLeft + ", last third "
          + coldLateLeft + "), used_memory - base " + usedOverBase + " of " + BUDGET + (oom ? ", -OOM" : "")
          + (volatileOom == null ? "" : ", persistent writes until -OOM: " + volatileOom);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru",
    "volatile-lfu", "volatile-random", "volatile-ttl"})
  void policyKeepsRedisGuarantees(String policy) {
    List<Outcome> outcomes = new ArrayList<>();
    for (String kind : MemorySides.kinds()) {
      long t0 = System.nanoTime();
      Outcome o = run(kind, policy);
      outcomes.add(o);
      System.out.println(o + " (" + (System.nanoTime() - t0) / 1_000_000 + " ms)");
      check(o);
    }
    // the same accounting order of magnitude: about as many keys fit before the first eviction
    Outcome redis = outcomes.get(0);
    Outcome ours = outcomes.get(1);
    if (!policy.equals("noeviction")) {
      assertTrue(ours.firstEvictionAt() * 3 >= redis.firstEvictionAt() && ours.firstEvictionAt()
          <= redis.firstEvictionAt() * 3, "keys that fit in " + BUDGET + " bytes, within a factor of 3 of Redis's:\n"
          + outcomes);
    }
  }

  private static void check(Outcome o) {
    String seen = o.toString();
    boolean volatileOnly = o.policy().startsWith("volatile-");
    if (o.policy().equals("noeviction")) {
      assertTrue(o.oom(), "writes refused once full: " + seen);
      assertEquals(0, o.evicted(), seen);
      assertEquals(PERSISTENT, o.persistentLeft(), seen);
      assertEquals(HOT, o.hotLeft(), seen);
      assertEquals(o.written(), o.coldLeft(), "every accepted key is kept: " + seen);
      assertEquals(PERSISTENT + HOT + o.written(), o.keys(), seen);
      return;
    }
    assertTrue(!o.oom(), "no -OOM while evictable keys remain: " + seen);
    assertTrue(o.evicted() > 0, seen);
    assertEquals(PERSISTENT + HOT + o.written() - o.evicted(), o.keys(), "evicted_keys counts every key gone: " + seen);
    assertTrue(o.usedOverBase() <= BUDGET + BUDGET / 10, "used_memory stays near maxmemory: " + seen);
    assertTrue(o.usedOverBase() >= BUDGET / 2, "eviction stops near maxmemory: " + seen);
    if (volatileOnly) {
      assertEquals(PERSISTENT, o.persistentLeft(), "keys without TTL are never evicted: " + seen);
    } else {
      assertTrue(o.persistentLeft() < PERSISTENT, "keys without TTL are evicted too: " + seen);
    }
    switch (o.policy().substring(o.policy().indexOf('-') + 1)) {
      case "lru", "lfu" -> assertTrue(o.hotLeft() >= HOT * 9 / 10, "the hot set stays: " + seen);
      case "random" -> assertTrue(o.hotLeft() < HOT, "reading keys does not protect them: " + seen);
      case "ttl" -> {
        assertTrue(o.hotLeft() >= HOT * 9 / 10, "the longest TTLs stay: " + seen);
        assertTrue(o.coldEarlyLeft() * 4 < o.coldLateLeft(), "the nearest TTLs go first: " + seen);
      }
      default -> throw new AssertionError(o.policy());
    }
    if (volatileOnly) {
      Map<String, Object> v = o.volatileOom();
      assertEquals(true, v.get("oom"), "-OOM once only keys without TTL remain: " + seen);
      assertEquals(0L, v.get("volatileLeft"), "every key with a TTL was evicted first: " + seen);
      assertEquals(v.get("accepted"), v.get("persistentLeft"), "no key without TTL evicted: " + seen);
      assertEquals((long) PERSISTENT, v.get("persistentOld"), "no key without TTL evicted: " + seen);
      assertEquals("+OK\r\n", v.get("afterDel"), "a write fits again once DEL freed memory: " + seen);
    }
  }

  private static Outcome run(String kind, String policy) {
    try (AnyServer server = MemorySides.start(kind); RespClient c = server.client()) {
      assertEquals("+OK\r\n", c.call("CONFIG", "SET", "maxmemory-policy", policy));
      c.call("SET", "warm", VALUE);
      c.call("DEL", "warm");
      long base = infoLong(c, "memory", "used_memory");
      assertEquals("+OK\r\n", c.call("CONFIG", "SET", "maxmemory", Long.toString(base + BUDGET)));

      List<String[]> writes = new ArrayList<>();
      boolean lru = policy.endsWith("-lru");
      // the LRU clock ticks in seconds, and the load takes less than one: under LRU the keys that are not read are
      // restored with an idle time instead (the persistent ones the oldest), so they are older than the hot set
      byte[] payload = lru ? payload(c) : null;
      for (int i = 0; i < PERSISTENT; i++) {
        writes.add(lru ? restore("p:" + i, 0, payload, 2000) : new String[] {"SET", "p:" + i, VALUE});
      }
      for (int i = 0; i < HOT; i++) writes.add(new String[] {"SET", "h:" + i, VALUE, "EX", "100000"});
      for (String r : MemorySides.pipeline(c, writes)) assertEquals("+OK\r\n", r, kind + " " + policy);
      for (int i = 0; i < 20; i++) readHot(c);

      long written = 0;
      long firstEviction = -1;
      boolean oom = false;
      long limit = 20L * BUDGET / VALUE.length();
      while (true) {
        List<String[]> batch = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
          long n = written + i;
          batch.add(lru ? restore("c:" + n, (10_000 + n) * 1000, payload, 1000)
              : new String[] {"SET", "c:" + n, VALUE, "EX", Long.toString(10_000 + n)});
        }
        List<String> replies = MemorySides.pipeline(c, batch);
        int accepted = 0;
        for (String r : replies) {
          if (r.equals("+OK\r\n")) {
            accepted++;
          } else if (r.equals(OOM)) {
            oom = true;
          } else {
            throw new AssertionError(kind + " " + policy + ": " + show(r));
          }
        }
        // the keys are numbered: count only a whole batch, or the accepted prefix before the first -OOM
        written += accepted;
        if (oom) break;
        readHot(c);
        long evicted = infoLong(c, "stats", "evicted_keys");
        if (evicted > 0 && firstEviction < 0) firstEviction = written;
        if (firstEviction >= 0 && written >= 3 * firstEviction) break;
        if (written > limit) {
          throw new AssertionError(kind + " " + policy + ": neither eviction nor -OOM after " + written + " keys");
        }
      }
      long used = infoLong(c, "memory", "used_memory");
      int third = (int) (written / 3);
      long persistentLeft = countExisting(c, "p:", 0, PERSISTENT);
      long hotLeft = countExisting(c, "h:", 0, HOT);
      long coldLeft = countExisting(c, "c:", 0, (int) written);
      long early = countExisting(c, "c:", 0, third);
      long late = countExisting(c, "c:", (int) written - third, (int) written);
      // the total in one step: the counting commands' own buffers may have evicted a few more keys meanwhile
      long keys;
      long evicted;
      if (oom) { // MULTI itself is refused above maxmemory; nothing is evicted either
        keys = MemorySides.integer(c.call("DBSIZE"));
        evicted = infoLong(c, "stats", "evicted_keys");
      } else {
        c.call("MULTI");
        c.call("DBSIZE");
        c.call("INFO", "stats");
        List<?> both = (List<?>) MemorySides.parse(c.call("EXEC"));
        keys = (Long) both.get(0);
        evicted = Long.parseLong(InfoFields.get((String) both.get(1), "evicted_keys"));
      }
      Map<String, Object> volatileOom = policy.startsWith("volatile-") ? fillUntilOom(c, written) : null;
      return new Outcome(kind, policy, firstEviction, written, evicted, keys, persistentLeft, hotLeft, coldLeft, early,
          late, used - base, oom, volatileOom);
    }
  }

  /**
   * Under a volatile policy, counts what the fill left, then writes keys without TTL until {@code -OOM}: by then
   * every key with a TTL must have been evicted and none without.
   */
  private static Map<String, Object> fillUntilOom(RespClient c, long written) {
    Map<String, Object> m = new LinkedHashMap<>();
    long accepted = 0;
    boolean oom = false;
    long limit = 20L * BUDGET / VALUE.length();
    while (!oom && accepted < limit) {
      List<String[]> batch = new ArrayList<>();
      for (int i = 0; i < BATCH; i++) batch.add(new String[] {"SET", "q:" + (accepted + i), VALUE});
      int ok = 0;
      for (String r : MemorySides.pipeline(c, batch)) {
        if (r.equals(OOM)) {
          oom = true;
        } else if (!oom && r.equals("+OK\r\n")) {
          ok++;
        } else {
          throw new AssertionError("after the first -OOM of a batch: " + show(r));
        }
      }
      accepted += ok;
    }
    m.put("oom", oom);
    m.put("accepted", accepted);
    m.put("volatileLeft", (long) countExisting(c, "h:", 0, HOT) + countExisting(c, "c:", 0, (int) written));
    m.put("persistentLeft", (long) countExisting(c, "q:", 0, (int) accepted));
    m.put("persistentOld", (long) countExisting(c, "p:", 0, PERSISTENT));
    String[] del = new String[201];
    del[0] = "DEL";
    for (int i = 0; i < 200; i++) del[i + 1] = "q:" + i;
    c.call(del);
    m.put("afterDel", c.call("SET", "after", "v"));
    return m;
  }

  /** The DUMP of {@code VALUE} on this server. */
  private static byte[] payload(RespClient c) {
    c.call("SET", "dump:src", VALUE);
    String reply = new String(c.callBytes(bytes("DUMP"), bytes("dump:src")), StandardCharsets.ISO_8859_1);
    c.call("DEL", "dump:src");
    return bytes(reply.substring(reply.indexOf("\r\n") + 2, reply.length() - 2));
  }

  private static String[] restore(String key, long ttlMillis, byte[] payload, int idleSeconds) {
    return new String[] {"RESTORE", key, Long.toString(ttlMillis), new String(payload, StandardCharsets.ISO_8859_1),
      "IDLETIME", Integer.toString(idleSeconds)};
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void readHot(RespClient c) {
    List<String[]> reads = new ArrayList<>();
    for (int i = 0; i < HOT; i++) reads.add(new String[] {"GET", "h:" + i});
    MemorySides.pipeline(c, reads);
  }

  /** CONFIG SET maxmemory below what is used evicts down to the new limit, as the next commands run. */
  @org.junit.jupiter.api.Test
  void loweringMaxmemoryEvictsDownToIt() {
    for (String kind : MemorySides.kinds()) {
      try (AnyServer server = MemorySides.start(kind); RespClient c = server.client()) {
        c.call("SET", "warm", VALUE);
        c.call("DEL", "warm");
        long base = infoLong(c, "memory", "used_memory");
        List<String[]> writes = new ArrayList<>();
        for (int i = 0; i < 4000; i++) writes.add(new String[] {"SET", "k:" + i, VALUE});
        for (int from = 0; from < writes.size(); from += 500) MemorySides.pipeline(c, writes.subList(from, from + 500));
        long used = infoLong(c, "memory", "used_memory");
        long limit = base + (used - base) / 2;
        assertEquals("+OK\r\n", c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-random"));
        assertEquals("+OK\r\n", c.call("CONFIG", "SET", "maxmemory", Long.toString(limit)));
        // near it: the command asking allocates a little after the eviction that ran before it
        long slack = (used - base) / 20;
        Poll.until(Poll.WAIT, kind + ": used_memory down to the lowered maxmemory",
            () -> infoLong(c, "memory", "used_memory") <= limit + slack, () -> c.call("INFO", "memory"));
        long evicted = infoLong(c, "stats", "evicted_keys");
        long keys = MemorySides.integer(c.call("DBSIZE"));
        assertEquals(4000 - evicted, keys, kind);
        // about half the keys go; eviction stops once under the limit
        assertTrue(keys > 1000 && keys < 3000, kind + ": " + keys + " keys left, evicted " + evicted);
      }
    }
  }
}
