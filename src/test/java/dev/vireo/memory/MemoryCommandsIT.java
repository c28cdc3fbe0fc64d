package dev.vireo.memory;

import static dev.vireo.memory.MemorySides.integer;
import static dev.vireo.memory.MemorySides.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.RespClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * MEMORY USAGE / STATS / DOCTOR / MALLOC-STATS / PURGE / HELP against a real redis-server 7.0.15: exact replies for
 * help, errors and missing keys; the same MEMORY STATS field names; reply types where the content is the allocator's;
 * and MEMORY USAGE sizes that order encodings as Redis does (a listpack below a hashtable, an intset below a
 * hashtable) and stay within a factor of 2 of Redis's for the same value.
 */
class MemoryCommandsIT {
  private static String same(RespClient redis, RespClient ours, String... cmd) {
    String expected = redis.call(cmd);
    String actual = ours.call(cmd);
    if (!expected.equals(actual)) {
      fail(String.join(" ", cmd) + "\nredis: " + show(expected) + "\nvireo: " + show(actual));
    }
    return expected;
  }

  @Test
  void helpErrorsAndMissingKeysAreRedis() {
    try (AnyServer redisServer = MemorySides.start("redis");
        AnyServer oursServer = MemorySides.start(MemorySides.ours());
        RespClient redis = redisServer.client();
        RespClient ours = oursServer.client()) {
      same(redis, ours, "SET", "k", "v");
      String[][] cases = {
        {"MEMORY", "HELP"}, {"MEMORY", "help"}, {"MEMORY"}, {"MEMORY", "FOO"}, {"MEMORY", "USAGE"},
        {"MEMORY", "USAGE", "missing"}, {"MEMORY", "USAGE", "missing", "SAMPLES", "5"},
        {"MEMORY", "USAGE", "missing", "SAMPLES", "x"}, {"MEMORY", "USAGE", "k", "SAMPLES"},
        {"MEMORY", "USAGE", "k", "SAMPLES", "x"}, {"MEMORY", "USAGE", "k", "SAMPLES", "-1"},
        {"MEMORY", "USAGE", "k", "SAMPLES", "99999999999999999999"}, {"MEMORY", "USAGE", "k", "FOO"},
        {"MEMORY", "USAGE", "k", "SAMPLES", "1", "FOO"}, {"MEMORY", "STATS", "x"}, {"MEMORY", "DOCTOR", "x"},
        {"MEMORY", "PURGE", "x"}, {"MEMORY", "MALLOC-STATS", "x"}, {"MEMORY", "HELP", "x"}, {"MEMORY", "PURGE"},
        {"MEMORY", "purge"},
      };
      for (String[] cmd : cases) same(redis, ours, cmd);
      // the size itself is the server's, but its type is not, with or without SAMPLES (0: every element)
      for (String[] cmd : new String[][] {{"MEMORY", "USAGE", "k"}, {"MEMORY", "USAGE", "k", "SAMPLES", "0"},
          {"MEMORY", "USAGE", "k", "SAMPLES", "5", "SAMPLES", "3"}}) {
        assertTrue(integer(redis.call(cmd)) > 0);
        assertTrue(integer(ours.call(cmd)) > 0, String.join(" ", cmd));
      }
      for (String sub : new String[] {"DOCTOR", "MALLOC-STATS"}) {
        String r = redis.call("MEMORY", sub);
        String o = ours.call("MEMORY", sub);
        assertEquals(r.charAt(0), o.charAt(0), "MEMORY " + sub + " reply type; redis: " + show(r) + "\nvireo: "
            + show(o));
      }
    }
  }

  /** MEMORY STATS as an ordered map; a nested {@code db.N} map becomes {@code db.N.field} entries. */
  private static Map<String, Character> statsTypes(RespClient c) {
    String raw = c.call("MEMORY", "STATS");
    assertEquals('*', raw.charAt(0), show(raw));
    List<?> items = (List<?>) MemorySides.parse(raw);
    Map<String, Character> types = new LinkedHashMap<>();
    for (int i = 0; i + 1 < items.size(); i += 2) {
      String name = (String) items.get(i);
      Object value = items.get(i + 1);
      if (value instanceof List<?> nested) {
        for (int j = 0; j + 1 < nested.size(); j += 2) {
          types.put(name + "." + nested.get(j), typeOf(nested.get(j + 1)));
        }
      } else {
        types.put(name, typeOf(value));
      }
    }
    return types;
  }

  private static char typeOf(Object v) {
    return v instanceof Long ? ':' : v instanceof String s && isDouble(s) ? 'd' : '$';
  }

  private static boolean isDouble(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  @Test
  void statsHaveRedisFieldNames() {
    try (AnyServer redisServer = MemorySides.start("redis");
        AnyServer oursServer = MemorySides.start(MemorySides.ours());
        RespClient redis = redisServer.client();
        RespClient ours = oursServer.client()) {
      assertEquals(statsTypes(redis), statsTypes(ours), "empty: field names, order and types (d: a double)");
      // keys in db 0 and db 3, some with a TTL
      for (String db : new String[] {"0", "3"}) {
        same(redis, ours, "SELECT", db);
        same(redis, ours, "SET", "a", "v");
        same(redis, ours, "SET", "b", "v", "EX", "100");
        same(redis, ours, "RPUSH", "l", "x", "y");
      }
      Map<String, Character> expected = statsTypes(redis);
      assertTrue(expected.containsKey("db.3.overhead.hashtable.expires"), expected.toString());
      assertEquals(expected, statsTypes(ours), "with data: field names, order and types (d: a double)");
      for (RespClient c : List.of(redis, ours)) {
        List<?> items = (List<?>) MemorySides.parse(c.call("MEMORY", "STATS"));
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < items.size(); i += 2) m.put((String) items.get(i), items.get(i + 1));
        assertEquals(6L, m.get("keys.count"), (c == redis ? "redis " : "vireo ") + m);
        long total = (Long) m.get("total.allocated");
        assertTrue(total > 0 && total <= (Long) m.get("peak.allocated"), m.toString());
      }
    }
  }

  /** A value built on both servers, and its MEMORY USAGE ... SAMPLES 0 on each. */
  private record Usage(String what, String encoding, long redis, long ours) {}

  @Test
  void usageOrdersEncodingsAndStaysNearRedis() {
    try (AnyServer redisServer = MemorySides.start("redis");
        AnyServer oursServer = MemorySides.start(MemorySides.ours());
        RespClient redis = redisServer.client();
        RespClient ours = oursServer.client()) {
      List<Usage> usages = new ArrayList<>();
      List<String[]> build = new ArrayList<>();
      build.add(new String[] {"SET", "s10", "x".repeat(10)});
      build.add(new String[] {"SET", "s100", "x".repeat(100)});
      build.add(new String[] {"SET", "s10k", "x".repeat(10_000)});
      build.add(new String[] {"SET", "int", "123456789"});
      List<String> hash = new ArrayList<>(List.of("HSET", "hash-lp"));
      List<String> list = new ArrayList<>(List.of("RPUSH", "list"));
      List<String> bigList = new ArrayList<>(List.of("RPUSH", "list-big"));
      List<String> ints = new ArrayList<>(List.of("SADD", "set-int"));
      List<String> strs = new ArrayList<>(List.of("SADD", "set-ht"));
      List<String> zset = new ArrayList<>(List.of("ZADD", "zset-lp"));
      List<String> bigZset = new ArrayList<>(List.of("ZADD", "zset-sl"));
      for (int i = 0; i < 50; i++) {
        hash.addAll(List.of("field" + i, "value" + i));
        list.add("element" + i);
        ints.add(Integer.toString(i * 7));
        strs.add("member" + i);
        zset.addAll(List.of(Integer.toString(i), "member" + i));
      }
      for (int i = 0; i < 1000; i++) {
        bigList.add("element-of-a-long-list-" + i);
        bigZset.addAll(List.of(Integer.toString(i), "member" + i));
      }
      for (List<String> cmd : List.of(hash, list, bigList, ints, strs, zset, bigZset)) {
        build.add(cmd.toArray(String[]::new));
      }
      for (int i = 0; i < 20; i++) build.add(new String[] {"XADD", "stream", (i + 1) + "-0", "field", "value" + i});
      build.add(new String[] {"CONFIG", "SET", "hash-max-listpack-entries", "0"});
      build.add(new String[] {"CONFIG", "SET", "set-max-intset-entries", "0"});
      List<String> hashHt = new ArrayList<>(hash);
      hashHt.set(1, "hash-ht");
      List<String> intsHt = new ArrayList<>(ints);
      intsHt.set(1, "set-int-ht");
      build.add(hashHt.toArray(String[]::new));
      build.add(intsHt.toArray(String[]::new));
      for (String[] cmd : build) same(redis, ours, cmd);

      for (String key : new String[] {"s10", "s100", "s10k", "int", "hash-lp", "hash-ht", "list", "list-big",
          "set-int", "set-int-ht", "set-ht", "zset-lp", "zset-sl", "stream"}) {
        String encoding = same(redis, ours, "OBJECT", "ENCODING", key);
        usages.add(new Usage(key, encoding.split("\r\n")[1], integer(redis.call("MEMORY", "USAGE", key, "SAMPLES",
            "0")), integer(ours.call("MEMORY", "USAGE", key, "SAMPLES", "0"))));
      }
      Map<String, Usage> by = new LinkedHashMap<>();
      for (Usage u : usages) by.put(u.what(), u);
      String all = usages.toString();
      System.out.println(all);
      for (boolean redisSide : new boolean[] {true, false}) {
        String side = redisSide ? "redis" : "vireo";
        java.util.function.ToLongFunction<String> size = k -> redisSide ? by.get(k).redis() : by.get(k).ours();
        assertTrue(size.applyAsLong("hash-lp") < size.applyAsLong("hash-ht"), side + ": listpack < hashtable " + all);
        assertTrue(size.applyAsLong("set-int") < size.applyAsLong("set-int-ht"), side + ": intset < hashtable " + all);
        assertTrue(size.applyAsLong("zset-lp") < size.applyAsLong("zset-sl"), side + ": 50 < 1000 members " + all);
        assertTrue(size.applyAsLong("s10") < size.applyAsLong("s100")
            && size.applyAsLong("s100") < size.applyAsLong("s10k"), side + ": strings by length " + all);
        assertTrue(size.applyAsLong("s10k") >= 10_000, side + ": at least the bytes " + all);
        assertTrue(size.applyAsLong("list") < size.applyAsLong("list-big"), side + ": lists by length " + all);
      }
      List<String> far = new ArrayList<>();
      for (Usage u : usages) {
        if (u.ours() * 2 < u.redis() || u.ours() > u.redis() * 2) far.add(u.toString());
      }
      assertEquals(List.of(), far, "MEMORY USAGE more than a factor of 2 from Redis's; all: " + all);
    }
  }

  @Test
  void evictionSettingsAndInfoFieldsAreRedis() {
    try (AnyServer redisServer = MemorySides.start("redis");
        AnyServer oursServer = MemorySides.start(MemorySides.ours());
        RespClient redis = redisServer.client();
        RespClient ours = oursServer.client()) {
      String[][] settings = {
        {"maxmemory", "1mb", "1gb", "-1", "x", "100", "0"},
        {"maxmemory-policy", "foo", "ALLKEYS-LRU", "volatile-lfu", "noeviction"},
        {"maxmemory-samples", "0", "1", "65", "-1", "x", "5"},
        {"lfu-log-factor", "-1", "0", "x", "1000000000", "10"},
        {"lfu-decay-time", "-1", "0", "x", "1"},
        {"maxmemory-eviction-tenacity", "101", "-1", "100", "10"},
        {"replica-ignore-maxmemory", "maybe", "no", "yes"},
        {"lazyfree-lazy-eviction", "x", "yes", "no"},
      };
      for (String[] setting : settings) {
        same(redis, ours, "CONFIG", "GET", setting[0]);
        for (int i = 1; i < setting.length; i++) {
          same(redis, ours, "CONFIG", "SET", setting[0], setting[i]);
          same(redis, ours, "CONFIG", "GET", setting[0]);
        }
      }
      same(redis, ours, "CONFIG", "SET", "maxmemory", "3mb");
      same(redis, ours, "CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
      for (String field : new String[] {"maxmemory", "maxmemory_human", "maxmemory_policy"}) {
        assertEquals(InfoFields.get(redis.call("INFO", "memory"), field), InfoFields.get(ours.call("INFO", "memory"),
            field), field);
      }
      // the fields a monitoring tool reads about memory and eviction are there, whatever their values
      String[][] present = {
        {"memory", "used_memory", "used_memory_human", "used_memory_peak", "used_memory_peak_human",
          "used_memory_dataset", "mem_not_counted_for_evict", "lazyfree_pending_objects"},
        {"stats", "evicted_keys", "total_eviction_exceeded_time", "current_eviction_exceeded_time"},
      };
      for (String[] section : present) {
        String info = ours.call("INFO", section[0]);
        for (int i = 1; i < section.length; i++) {
          assertTrue(InfoFields.get(redis.call("INFO", section[0]), section[i]) != null, section[i]);
          assertTrue(InfoFields.get(info, section[i]) != null, "INFO " + section[0] + " has no " + section[i]);
        }
      }
    }
  }
}
