package dev.vireo.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The same seeded random stream of hash and set commands (valid and invalid, over a few keys of mixed types, with
 * small encoding thresholds so conversions happen) sent to Vireo and to a real redis-server 7.0: replies must be
 * byte-equal, except where Redis leaves the order open (hashtable encodings, set algebra) or picks at random.
 */
@Timeout(300)
class HashSetDifferentialIT {
  private static final String[] HKEYS = {"h1", "h2", "h3", "str", "nokey"};
  private static final String[] SKEYS = {"s1", "s2", "s3", "str", "nokey"};
  private static final String LONG = "x".repeat(70);

  private Random rnd;

  @Test
  void hashAndSetCommandsMatchRedis() {
    long seed = Long.getLong("vireo.diff.seed", 20261124L);
    rnd = new Random(seed);
    try (RedisServerProcess redis = RedisServerProcess.start();
        TestNode node = TestNode.start();
        RespClient r2 = redis.client(); RespClient r3 = redis.client();
        RespClient v2 = node.client(); RespClient v3 = node.client()) {
      r3.call("HELLO", "3");
      v3.call("HELLO", "3");
      for (String[] cfg : new String[][] {{"hash-max-listpack-entries", "8"}, {"hash-max-listpack-value", "16"},
          {"set-max-intset-entries", "10"}}) {
        assertEquals(r2.call("CONFIG", "SET", cfg[0], cfg[1]), v2.call("CONFIG", "SET", cfg[0], cfg[1]));
      }
      assertEquals(r2.call("SET", "str", "text"), v2.call("SET", "str", "text"));
      int steps = Integer.getInteger("vireo.diff.steps", 4000);
      for (int i = 0; i < steps; i++) {
        boolean resp3 = rnd.nextInt(4) == 0;
        RespClient r = resp3 ? r3 : r2;
        RespClient v = resp3 ? v3 : v2;
        String[] cmd = rnd.nextBoolean() ? hashCommand() : setCommand();
        step(seed, i, cmd, r, v, r2, v2);
      }
      // Final state: every key's type, encoding and contents.
      for (String k : new String[] {"h1", "h2", "h3", "s1", "s2", "s3", "str", "d1", "d2"}) {
        step(seed, -1, new String[] {"TYPE", k}, r2, v2, r2, v2);
        step(seed, -1, new String[] {"OBJECT", "ENCODING", k}, r2, v2, r2, v2);
      }
    }
  }

  private void step(long seed, int i, String[] cmd, RespClient r, RespClient v, RespClient r2, RespClient v2) {
    String name = cmd[0].toUpperCase();
    String key = cmd.length > 1 ? cmd[1] : "";
    String enc = r2.call("OBJECT", "ENCODING", key);
    boolean compact = enc.contains("listpack") || enc.contains("intset");
    String universe = null;
    if (name.equals("SRANDMEMBER") || name.equals("SPOP")) universe = r2.call("SMEMBERS", key);
    if (name.equals("HRANDFIELD")) universe = r2.call("HGETALL", key);
    String expected = r.call(cmd);
    String actual = v.call(cmd);
    if (expected.equals(actual)) return;
    String where = "seed " + seed + " step " + i + ": " + String.join(" ", cmd) + "\n redis: " + show(expected)
        + "\n vireo: " + show(actual);
    boolean error = expected.startsWith("-") || actual.startsWith("-");
    if (error) fail(where);
    switch (name) {
      case "SINTER", "SUNION", "SDIFF" -> sameMembers(where, expected, actual, 1);
      case "SMEMBERS", "HKEYS", "HVALS" -> {
        if (compact) fail(where);
        sameMembers(where, expected, actual, 1);
      }
      case "HGETALL" -> {
        if (compact) fail(where);
        sameMembers(where, expected, actual, 2);
      }
      case "SSCAN", "HSCAN" -> {
        if (compact) fail(where);
        // Both walked a whole small table with a large COUNT: same cursor (0) and the same members.
        List<Object> e = parse(expected);
        List<Object> a = parse(actual);
        assertEquals(e.get(0), a.get(0), where);
        if (!cmd[2].equals("0")) return; // one bucket of a table whose layout depends on the hash function
        sameMembers(where, join((List<?>) e.get(1)), join((List<?>) a.get(1)), name.equals("HSCAN") ? 2 : 1);
      }
      case "SRANDMEMBER", "HRANDFIELD", "SPOP" -> {
        randomPicks(where, cmd, expected, actual, universe);
        if (name.equals("SPOP")) resync(key, expected, actual, v2);
      }
      default -> fail(where);
    }
  }

  /** Both replies hold the same number of elements, each drawn from the key's contents before the call. */
  private void randomPicks(String where, String[] cmd, String expected, String actual, String universe) {
    Object e = parseOne(expected);
    Object a = parseOne(actual);
    if ((e instanceof List) != (a instanceof List)) fail(where);
    List<?> el = flatten(listOf(e));
    List<?> al = flatten(listOf(a));
    assertEquals(el.size(), al.size(), where);
    Set<Object> all = new HashSet<>(flatten(parse(universe)));
    for (Object x : al) {
      if (!all.contains(x)) fail(where + "\n not a member: " + x);
    }
    boolean distinct = cmd[0].equalsIgnoreCase("SPOP") || (cmd.length > 2 && !cmd[2].startsWith("-"));
    if (distinct && cmd[0].equalsIgnoreCase("SRANDMEMBER") || cmd[0].equalsIgnoreCase("SPOP")) {
      assertEquals(al.size(), new HashSet<>(al).size(), where + "\n repeated picks");
    }
  }

  /** After an SPOP, makes Vireo's set equal to Redis's again: put back what Vireo popped, drop what Redis did. */
  private void resync(String key, String expected, String actual, RespClient v2) {
    List<?> vp = flatten(listOf(parseOne(actual)));
    List<?> rp = flatten(listOf(parseOne(expected)));
    if (!vp.isEmpty()) {
      List<String> add = new ArrayList<>(List.of("SADD", key));
      for (Object o : vp) add.add(bulkText(o));
      v2.call(add.toArray(new String[0]));
    }
    if (!rp.isEmpty()) {
      List<String> rem = new ArrayList<>(List.of("SREM", key));
      for (Object o : rp) rem.add(bulkText(o));
      v2.call(rem.toArray(new String[0]));
    }
  }

  private static List<?> listOf(Object o) {
    return o instanceof List<?> l ? l : o.toString().startsWith("$") ? List.of(o) : List.of();
  }

  private static String bulkText(Object o) {
    String s = o.toString();
    return s.substring(s.indexOf("\r\n") + 2, s.length() - 2);
  }

  private static void sameMembers(String where, String expected, String actual, int group) {
    List<Object> e = parse(expected);
    List<Object> a = parse(actual);
    assertEquals(e.size(), a.size(), where);
    assertEquals(groups(e, group), groups(a, group), where);
  }

  private static List<String> groups(List<Object> items, int group) {
    List<Object> flat = flatten(items);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < flat.size(); i += group) {
      StringBuilder sb = new StringBuilder();
      for (int j = 0; j < group && i + j < flat.size(); j++) sb.append(flat.get(i + j));
      out.add(sb.toString());
    }
    Collections.sort(out);
    return out;
  }

  private static List<Object> flatten(List<?> items) {
    List<Object> out = new ArrayList<>();
    for (Object o : items) {
      if (o instanceof List<?> l) out.addAll(flatten(l));
      else out.add(o);
    }
    return out;
  }

  private static String join(List<?> items) {
    StringBuilder sb = new StringBuilder("*" + items.size() + "\r\n");
    for (Object o : items) sb.append(o);
    return sb.toString();
  }

  // ---- a tiny RESP reader over the raw reply text: scalars stay raw, aggregates become lists ----

  /** The elements of an aggregate reply. */
  private static List<Object> parse(String raw) {
    Object o = parseOne(raw);
    return o instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
  }

  private static Object parseOne(String raw) {
    return read(raw, new int[] {0});
  }

  private static Object read(String s, int[] pos) {
    int start = pos[0];
    int eol = s.indexOf("\r\n", start);
    char t = s.charAt(start);
    String head = s.substring(start + 1, eol);
    pos[0] = eol + 2;
    switch (t) {
      case '$', '=' -> {
        int n = Integer.parseInt(head);
        if (n < 0) return s.substring(start, pos[0]);
        pos[0] += n + 2;
        return s.substring(start, pos[0]).replaceFirst("^=", "\\$");
      }
      case '*', '~', '%', '>' -> {
        int n = Integer.parseInt(head);
        if (n < 0) return s.substring(start, pos[0]);
        if (t == '%') n *= 2;
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(read(s, pos));
        return out;
      }
      default -> {
        return s.substring(start, pos[0]);
      }
    }
  }

  private static String show(String reply) {
    String s = reply.replace("\r\n", "\\r\\n");
    return s.length() > 600 ? s.substring(0, 600) + "..." : s;
  }

  // ---- generators ----

  private String pick(String... options) {
    return options[rnd.nextInt(options.length)];
  }

  private String field() {
    int p = rnd.nextInt(20);
    if (p == 0) return LONG;
    if (p == 1) return "";
    return "f" + rnd.nextInt(12);
  }

  private String hvalue() {
    return switch (rnd.nextInt(8)) {
      case 0 -> Integer.toString(rnd.nextInt(200) - 100);
      case 1 -> "1.5";
      case 2 -> "9223372036854775807";
      case 3 -> rnd.nextInt(30) == 0 ? LONG : "word";
      case 4 -> "-3.25e2";
      case 5 -> pick("", "0x1p4", " 2", "1e400");
      default -> "v" + rnd.nextInt(50);
    };
  }

  private String member() {
    return switch (rnd.nextInt(12)) {
      case 0 -> pick("a", "b", "c", "hello");
      case 1 -> pick("01", "-0", "+1", " 1", "9223372036854775807", "-9223372036854775808", "9223372036854775808");
      case 2 -> LONG;
      default -> Integer.toString(rnd.nextInt(25) - 5);
    };
  }

  private String count() {
    return switch (rnd.nextInt(10)) {
      case 0 -> "0";
      case 1 -> "-" + (1 + rnd.nextInt(6));
      case 2 -> "abc";
      case 3 -> "100";
      case 4 -> "-9223372036854775808";
      default -> Integer.toString(1 + rnd.nextInt(6));
    };
  }

  private String hkey() {
    return rnd.nextInt(10) == 0 ? pick(HKEYS) : pick("h1", "h2", "h3");
  }

  private String skey() {
    return rnd.nextInt(10) == 0 ? pick(SKEYS) : pick("s1", "s2", "s3");
  }

  private String[] with(String... base) {
    return base;
  }

  private String[] fields(String cmd, String key, int min, boolean values) {
    List<String> a = new ArrayList<>(List.of(cmd, key));
    int n = min + rnd.nextInt(4);
    for (int i = 0; i < n; i++) {
      a.add(field());
      if (values) a.add(hvalue());
    }
    if (rnd.nextInt(25) == 0) a.add("odd");
    return a.toArray(new String[0]);
  }

  private String[] common() {
    return switch (rnd.nextInt(7)) {
      case 0 -> with("SET", "str", "text");
      case 1 -> with("DEL", pick("h1", "h2", "h3", "s1", "s2", "s3", "d1"));
      case 2 -> with("TYPE", pick("h1", "s1", "str", "d1"));
      case 3 -> with("OBJECT", "ENCODING", pick("h1", "h2", "h3", "s1", "s2", "s3", "d1", "d2"));
      case 4 -> with("GET", pick("str", "h1"));
      case 5 -> with("EXISTS", pick("h1", "s1", "d1"));
      default -> with("SCARD", pick("d1", "d2"));
    };
  }

  private String[] hashCommand() {
    String k = hkey();
    return switch (rnd.nextInt(24)) {
      case 0, 1, 2 -> fields("HSET", k, rnd.nextInt(30) == 0 ? 0 : 1, true);
      case 3 -> fields("HMSET", k, 1, true);
      case 4 -> with("HSETNX", k, field(), hvalue());
      case 5 -> with("HGET", k, field());
      case 6 -> fields("HMGET", k, 1, false);
      case 7 -> fields("HDEL", k, 1, false);
      case 8 -> with("HLEN", k);
      case 9 -> with("HSTRLEN", k, field());
      case 10 -> with("HEXISTS", k, field());
      case 11 -> with("HKEYS", k);
      case 12 -> with("HVALS", k);
      case 13 -> with("HGETALL", k);
      case 14 -> with("HINCRBY", k, field(), pick("1", "-5", "100", "x", "9223372036854775807", "1.5"));
      case 15 -> with("HINCRBYFLOAT", k, field(), pick("1.5", "-2", "0.1", "x", "inf", "1e3", "10",
          "0x10", "-0X1.8p-1", ".5", "1.", "+2", "1e", "0x", " 1", "5e-3", "1e-25"));
      case 16 -> with("HRANDFIELD", k);
      case 17 -> rnd.nextBoolean() ? with("HRANDFIELD", k, count()) : with("HRANDFIELD", k, count(),
          pick("WITHVALUES", "withvalues", "bad"));
      case 18 -> with("HSCAN", k, pick("0", "0", "x", "-1"), "COUNT", pick("1000", "1000", "0"));
      case 19 -> with("HSCAN", k, "0", "MATCH", pick("f1*", "*", "f?", "[a-f]1"), "COUNT", "1000");
      case 20 -> with("HGET", k);
      default -> common();
    };
  }

  private String[] setCommand() {
    String k = skey();
    List<String> keys = new ArrayList<>();
    int n = 1 + rnd.nextInt(3);
    for (int i = 0; i < n; i++) keys.add(skey());
    return switch (rnd.nextInt(26)) {
      case 0, 1, 2, 3 -> members("SADD", k, 1 + rnd.nextInt(3));
      case 4, 5 -> members("SREM", k, 1 + rnd.nextInt(2));
      case 6 -> with("SCARD", k);
      case 7 -> with("SISMEMBER", k, member());
      case 8 -> members("SMISMEMBER", k, 1 + rnd.nextInt(3));
      case 9 -> with("SMEMBERS", k);
      case 10 -> rnd.nextBoolean() ? with("SRANDMEMBER", k) : with("SRANDMEMBER", k, count());
      case 11 -> rnd.nextBoolean() ? with("SPOP", k) : with("SPOP", k, pick("0", "1", "2", "-1", "x", "100"));
      case 12 -> with("SMOVE", k, skey(), member());
      case 13 -> list("SINTER", null, keys);
      case 14 -> list("SUNION", null, keys);
      case 15 -> list("SDIFF", null, keys);
      case 16 -> list("SINTERSTORE", pick("d1", "d2", "s3", "h3"), keys);
      case 17 -> list("SUNIONSTORE", pick("d1", "d2", "s3"), keys);
      case 18 -> list("SDIFFSTORE", pick("d1", "d2", "s2"), keys);
      case 19 -> sintercard(keys);
      case 20 -> with("SSCAN", k, pick("0", "0", "x"), "COUNT", "1000");
      case 21 -> with("SSCAN", k, "0", "MATCH", pick("1*", "*", "?", "a"), "COUNT", "1000");
      case 22 -> with("SMEMBERS", pick("d1", "d2"));
      default -> common();
    };
  }

  private String[] members(String cmd, String key, int n) {
    List<String> a = new ArrayList<>(List.of(cmd, key));
    for (int i = 0; i < n; i++) a.add(member());
    return a.toArray(new String[0]);
  }

  private String[] list(String cmd, String dest, List<String> keys) {
    List<String> a = new ArrayList<>(List.of(cmd));
    if (dest != null) a.add(dest);
    a.addAll(keys);
    return a.toArray(new String[0]);
  }

  private String[] sintercard(List<String> keys) {
    List<String> a = new ArrayList<>(List.of("SINTERCARD"));
    int p = rnd.nextInt(10);
    a.add(p == 0 ? "0" : p == 1 ? Integer.toString(keys.size() + 1) : Integer.toString(keys.size()));
    a.addAll(keys);
    if (rnd.nextBoolean()) a.addAll(Arrays.asList("LIMIT", pick("0", "1", "2", "-1", "x")));
    return a.toArray(new String[0]);
  }
}
