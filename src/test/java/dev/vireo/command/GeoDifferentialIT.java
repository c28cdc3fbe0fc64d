package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.testkit.Matrix;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random geo commands, every command and option with good and bad arguments, sent to a node and to a real
 * redis-server 7.0 in RESP2 and then RESP3; every reply must be byte-equal. Points cluster around a few centres
 * (so searches find members at every radius), sit on the limits (±180, ±85.05112878, the poles of the box), repeat
 * exactly (equal distances keep Redis's order) or come from plain ZADD scores that are no geohash at all. After
 * each store the stored set is compared with its scores and encoding.
 *
 * <p>CI runs one seed; {@code -Dvireo.diff.seed=N} runs another, {@code -Dvireo.matrix=full} four more, and
 * {@code -Dvireo.diff.steps=N} sets the number of commands per protocol.
 */
public class GeoDifferentialIT {
  private static final long CI_SEED = 20261203L;

  static LongStream seeds() {
    Long one = Long.getLong("vireo.diff.seed");
    if (one != null) return LongStream.of(one);
    return Matrix.full() ? LongStream.of(CI_SEED, 1, 2, 3, 4) : LongStream.of(CI_SEED);
  }

  private static final String[] KEYS = {"g0", "g1", "g2", "g0", "g1", "w", "str", "none"};
  private static final String[] UNITS = {"m", "km", "ft", "mi", "M", "KM", "Ft", "mI", "yd", "", "meters"};
  private static final String[] BAD_NUMBERS = {"nan", "NaN", "inf", "-inf", "+inf", "1e400", "-1e400", "abc", "",
      " 1", "1 ", "0x10", "1e-400", "1e300", "-1e300", "85.05112879", "-85.05112879", "180.0000001", "-0",
      "1.5e1", "9e-320"};
  private static final String[] RADII = {"0", "1", "10", "100", "1000", "5000", "50000", "200000", "1000000",
      "5000000", "20000000", "1e10", "inf", "0.5", "-1", "-0", "x", "nan", "1e400"};
  private static final double[][] CENTRES = {{13.361389, 38.115556}, {-0.1276, 51.5072}, {151.2093, -33.8688},
      {-179.99, 0.5}, {179.99, -0.5}, {0, 0}, {10, 84.9}, {-120, -84.9}, {0.0001, 66.5}, {-73.9857, 40.7484}};

  private final Random rnd = new Random(CI_SEED);

  private String pick(String[] a) {
    return a[rnd.nextInt(a.length)];
  }

  private static String num(double d) {
    return Double.toString(d);
  }

  /** A longitude/latitude pair, mostly valid, sometimes on or past the limits, sometimes not a number. */
  private String[] lonLat(boolean valid) {
    int r = rnd.nextInt(valid ? 20 : 24);
    if (r < 12) {
      double[] c = CENTRES[rnd.nextInt(CENTRES.length)];
      double spread = new double[] {0.0001, 0.01, 0.5, 3}[rnd.nextInt(4)];
      double lon = Math.max(-180, Math.min(180, c[0] + (rnd.nextDouble() - 0.5) * spread));
      double lat = Math.max(-85.05112878, Math.min(85.05112878, c[1] + (rnd.nextDouble() - 0.5) * spread));
      return new String[] {num(lon), num(lat)};
    }
    if (r < 15) {
      String[] lons = {"180", "-180", "0", "179.9999999", "-179.9999999", "90", "-90"};
      String[] lats = {"85.05112878", "-85.05112878", "0", "85", "-85", "85.051128", "-85.051128"};
      return new String[] {pick(lons), pick(lats)};
    }
    if (r < 20) {
      return new String[] {num(rnd.nextDouble() * 360 - 180), num(rnd.nextDouble() * 170.1 - 85.05)};
    }
    if (r < 22) return new String[] {pick(BAD_NUMBERS), num(rnd.nextDouble() * 10)};
    return new String[] {num(rnd.nextDouble() * 10), pick(BAD_NUMBERS)};
  }

  private String member() {
    int r = rnd.nextInt(30);
    if (r == 0) return "";
    if (r == 1) return "long-member-" + "x".repeat(70);
    return "m" + rnd.nextInt(r < 10 ? 6 : 40);
  }

  private String unit() {
    return rnd.nextInt(12) == 0 ? pick(UNITS) : UNITS[rnd.nextInt(8)];
  }

  private String radius() {
    return rnd.nextInt(6) == 0 ? pick(RADII) : RADII[rnd.nextInt(13)];
  }

  /** The options GEORADIUS and GEOSEARCH share, in random order, with an occasional wrong one. */
  private void options(List<String> c, boolean withs, boolean search) {
    int n = rnd.nextInt(5);
    for (int i = 0; i < n; i++) {
      switch (rnd.nextInt(search ? 11 : 10)) {
        case 0 -> c.add(withs || rnd.nextInt(4) == 0 ? "WITHDIST" : "ASC");
        case 1 -> c.add(withs || rnd.nextInt(4) == 0 ? "WITHCOORD" : "DESC");
        case 2 -> c.add(withs || rnd.nextInt(4) == 0 ? "withhash" : "asc");
        case 3 -> c.add(rnd.nextBoolean() ? "ASC" : "desc");
        case 4 -> c.add("DESC");
        case 5, 6 -> {
          c.add("COUNT");
          c.add(rnd.nextInt(10) == 0 ? pick(new String[] {"0", "-1", "x", "1.5", "99999999999"})
              : Integer.toString(1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 30)));
          if (rnd.nextInt(3) == 0) c.add("ANY");
        }
        case 7 -> {
          if (rnd.nextInt(6) == 0) c.add(rnd.nextBoolean() ? "ANY" : "COUNT");
          else c.add("ASC");
        }
        case 8 -> {
          if (rnd.nextInt(8) == 0) c.add(pick(new String[] {"STORE", "STOREDIST", "bogus", "WITHDISTX"}));
        }
        case 9 -> {
          if (rnd.nextInt(10) == 0) {
            c.add("FROMMEMBER");
            c.add(member());
          }
        }
        default -> {
          if (rnd.nextInt(6) == 0) {
            c.add("BYRADIUS");
            c.add(radius());
            c.add(unit());
          }
        }
      }
    }
  }

  private void from(List<String> c) {
    if (rnd.nextInt(3) == 0) {
      c.add(rnd.nextBoolean() ? "FROMMEMBER" : "frommember");
      c.add(member());
    } else {
      c.add(rnd.nextBoolean() ? "FROMLONLAT" : "fromlonlat");
      String[] p = lonLat(rnd.nextInt(10) != 0);
      c.add(p[0]);
      c.add(p[1]);
    }
  }

  private void by(List<String> c) {
    if (rnd.nextBoolean()) {
      c.add(rnd.nextBoolean() ? "BYRADIUS" : "byradius");
      c.add(radius());
    } else {
      c.add(rnd.nextBoolean() ? "BYBOX" : "bybox");
      c.add(radius());
      c.add(radius());
    }
    c.add(unit());
  }

  /** The GEOSEARCH area: usually FROM then BY, sometimes missing, doubled or in the other order. */
  private void area(List<String> c) {
    int r = rnd.nextInt(20);
    if (r == 0) {
      by(c);
    } else if (r == 1) {
      from(c);
    } else if (r == 2) {
      by(c);
      from(c);
    } else if (r == 3) {
      from(c);
      from(c);
      by(c);
    } else if (r == 4) {
      from(c);
      by(c);
      by(c);
    } else {
      from(c);
      by(c);
    }
  }

  private List<String> next() {
    List<String> c = new ArrayList<>();
    String key = pick(KEYS);
    switch (rnd.nextInt(22)) {
      case 0, 1, 2, 3 -> {
        c.add(rnd.nextBoolean() ? "GEOADD" : "geoadd");
        c.add(rnd.nextInt(8) == 0 ? key : "g" + rnd.nextInt(3));
        while (rnd.nextInt(4) == 0) c.add(pick(new String[] {"NX", "XX", "CH", "ch", "nx"}));
        int n = rnd.nextInt(12) == 0 ? 0 : 1 + rnd.nextInt(rnd.nextInt(5) == 0 ? 25 : 4);
        for (int i = 0; i < n; i++) {
          String[] p = lonLat(rnd.nextInt(12) != 0);
          c.add(p[0]);
          c.add(p[1]);
          c.add(member());
        }
        if (rnd.nextInt(25) == 0) c.add("extra");
      }
      case 4 -> {
        c.add("GEOPOS");
        c.add(key);
        int n = rnd.nextInt(5);
        for (int i = 0; i < n; i++) c.add(member());
      }
      case 5 -> {
        c.add("GEOHASH");
        c.add(key);
        int n = rnd.nextInt(5);
        for (int i = 0; i < n; i++) c.add(member());
      }
      case 6, 7 -> {
        c.add("GEODIST");
        c.add(key);
        c.add(member());
        c.add(member());
        if (rnd.nextInt(3) != 0) c.add(unit());
        if (rnd.nextInt(20) == 0) c.add("extra");
        if (rnd.nextInt(30) == 0) c.remove(c.size() - 1);
      }
      case 8, 9, 10, 11 -> {
        c.add(rnd.nextBoolean() ? "GEOSEARCH" : "geosearch");
        c.add(key);
        area(c);
        options(c, true, true);
      }
      case 12, 13 -> {
        c.add(rnd.nextBoolean() ? "GEOSEARCHSTORE" : "GeoSearchStore");
        c.add(dest());
        c.add(key);
        area(c);
        options(c, rnd.nextInt(8) == 0, true);
        if (rnd.nextInt(3) == 0) c.add("STOREDIST");
      }
      case 14, 15, 16 -> {
        boolean ro = rnd.nextInt(3) == 0;
        c.add(ro ? "GEORADIUS_RO" : "GEORADIUS");
        c.add(key);
        String[] p = lonLat(rnd.nextInt(10) != 0);
        c.add(p[0]);
        c.add(p[1]);
        c.add(radius());
        c.add(unit());
        store(c, ro);
      }
      case 17, 18, 19 -> {
        boolean ro = rnd.nextInt(3) == 0;
        c.add(ro ? "GEORADIUSBYMEMBER_RO" : "GEORADIUSBYMEMBER");
        c.add(key);
        c.add(member());
        c.add(radius());
        c.add(unit());
        store(c, ro);
      }
      case 20 -> {
        if (rnd.nextInt(3) == 0) c.addAll(List.of("SET", "d" + rnd.nextInt(2), "v", "EX", "1000"));
        else c.addAll(List.of("ZRANGE", key, "0", "-1", "WITHSCORES"));
      }
      default -> {
        // a wrong number of arguments for any of them
        String[] names = {"GEOADD", "GEOPOS", "GEOHASH", "GEODIST", "GEOSEARCH", "GEOSEARCHSTORE", "GEORADIUS",
            "GEORADIUS_RO", "GEORADIUSBYMEMBER", "GEORADIUSBYMEMBER_RO"};
        c.add(pick(names));
        int n = rnd.nextInt(7);
        for (int i = 0; i < n; i++) c.add(i == 0 ? key : "1");
      }
    }
    return c;
  }

  /** A destination: mostly d0 or d1, sometimes the string key (a store replaces any type). */
  private String dest() {
    return rnd.nextInt(15) == 0 ? "str" : "d" + rnd.nextInt(2);
  }

  private void store(List<String> c, boolean ro) {
    boolean store = rnd.nextInt(3) == 0;
    options(c, !store || rnd.nextInt(8) == 0, false);
    if (store || (ro && rnd.nextInt(6) == 0)) {
      c.add(rnd.nextBoolean() ? "STORE" : "STOREDIST");
      c.add(dest());
    }
  }

  /** The events a pattern subscriber received, as "event key", up to the SET of the marker key. */
  private static List<String> events(RespClient sub) {
    List<String> out = new ArrayList<>();
    while (true) {
      // *4 $8 pmessage $n pattern $n channel $n key
      String[] parts = sub.readReply().split("\r\n");
      String event = parts[6].substring(parts[6].indexOf(':') + 1);
      String key = parts[8];
      if (event.equals("set") && key.equals("__marker__")) return out;
      out.add(event + " " + key);
    }
  }

  private static void both(RespClient r, RespClient v, String... cmd) {
    r.call(cmd);
    v.call(cmd);
  }

  /**
   * Replies that differ only where the C library's sine or arc sine rounds a distance one unit away from the nearest
   * double (a few in ten thousand, which Java's rounded-to-nearest functions cannot reproduce): numbers printed with
   * 17 digits may differ by a few units in the last place, and the elements of a reply sorted by distance, or of a
   * stored set, may swap places among themselves ({@code sorted}); an unsorted reply must keep Redis's order. Any
   * other difference fails.
   */
  public static boolean sameButRounding(String expected, String actual, boolean sorted) {
    if (!sorted) return sameWithinUlps(expected, actual);
    if (!expected.startsWith("*") || !actual.startsWith("*")) return false;
    List<String> e = elements(expected);
    List<String> a = elements(actual);
    if (e.size() != a.size()) return false;
    List<String> es = new ArrayList<>(e);
    List<String> as = new ArrayList<>(a);
    Collections.sort(es);
    Collections.sort(as);
    for (int i = 0; i < es.size(); i++) {
      if (!sameWithinUlps(es.get(i), as.get(i)) && !sameWithinUlps(e.get(i), a.get(i))) return false;
    }
    return true;
  }

  /** Whether the reply is ordered by distance (ASC, DESC, or COUNT, which sorts ascending). */
  public static boolean sortsByDistance(List<String> cmd) {
    for (String a : cmd) {
      String u = a.toUpperCase();
      if (u.equals("ASC") || u.equals("DESC") || u.equals("COUNT")) return true;
    }
    return false;
  }

  /** The top-level elements of an array reply, as the RESP text of each. */
  static List<String> elements(String reply) {
    int[] pos = {reply.indexOf("\r\n") + 2};
    int n = Integer.parseInt(reply.substring(1, pos[0] - 2));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int start = pos[0];
      skip(reply, pos);
      out.add(reply.substring(start, pos[0]));
    }
    return out;
  }

  private static void skip(String s, int[] pos) {
    int eol = s.indexOf("\r\n", pos[0]);
    char type = s.charAt(pos[0]);
    String head = s.substring(pos[0] + 1, eol);
    pos[0] = eol + 2;
    if (type == '$' && !head.equals("-1")) pos[0] += Integer.parseInt(head) + 2;
    if ((type == '*' || type == '~') && !head.equals("-1")) {
      for (int i = 0, n = Integer.parseInt(head); i < n; i++) skip(s, pos);
    }
  }

  /** Equal but for numbers that differ by a few units in the last place (bulk lengths aside). */
  static boolean sameWithinUlps(String expected, String actual) {
    String[] e = Arrays.stream(expected.split("\r\n")).filter(t -> !t.startsWith("$")).toArray(String[]::new);
    String[] a = Arrays.stream(actual.split("\r\n")).filter(t -> !t.startsWith("$")).toArray(String[]::new);
    if (e.length != a.length) return false;
    for (int i = 0; i < e.length; i++) {
      if (e[i].equals(a[i])) continue;
      try {
        double x = Double.parseDouble(e[i].startsWith(",") ? e[i].substring(1) : e[i]);
        double y = Double.parseDouble(a[i].startsWith(",") ? a[i].substring(1) : a[i]);
        if (Math.abs(x - y) > 4 * Math.ulp(x)) return false;
      } catch (NumberFormatException ex) {
        return false;
      }
    }
    return true;
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void sameRepliesAsRedis(long seed) {
    Random gen = new Random(seed);
    rnd.setSeed(gen.nextLong());
    String[] conf = {"--zset-max-listpack-entries", "8", "--zset-max-listpack-value", "32"};
    int steps = Integer.getInteger("vireo.diff.steps", 2500);
    int compared = 0;
    int tolerated = 0;
    int eventCount = 0;
    try (RedisServerProcess redis = RedisServerProcess.start(conf);
        TestNode node = TestNode.start(conf);
        RespClient r = redis.client();
        RespClient v = node.client();
        RespClient rEvents = redis.client();
        RespClient vEvents = node.client()) {
      both(r, v, "CONFIG", "SET", "notify-keyspace-events", "KEA");
      rEvents.call("PSUBSCRIBE", "__keyevent@*");
      vEvents.call("PSUBSCRIBE", "__keyevent@*");
      for (int proto = 2; proto <= 3; proto++) {
        both(r, v, "HELLO", Integer.toString(proto));
        both(r, v, "FLUSHALL");
        both(r, v, "SET", "str", "x");
        // sorted sets whose scores are no geohash: beyond 52 bits, negative, fractional, infinite
        both(r, v, "ZADD", "w", "-5", "neg", "4503599627370496", "b52", "9007199254740993", "b53", "1e20", "big",
            "0.5", "half", "inf", "pinf", "-inf", "ninf", "3471579339700058", "real", "3471579339700058", "twin");
        for (int i = 0; i < steps; i++) {
          List<String> cmd = next();
          String[] args = cmd.toArray(new String[0]);
          String expected = r.call(args);
          String actual = v.call(args);
          compared++;
          if (!expected.equals(actual) && sameButRounding(expected, actual, sortsByDistance(cmd))) {
            tolerated++;
          } else if (!expected.equals(actual)) {
            fail("seed " + seed + " (RESP" + proto + ", step " + i + "): " + String.join(" ", cmd)
                + "\nredis: " + expected.replace("\r\n", "\\r\\n") + "\nvireo: " + actual.replace("\r\n", "\\r\\n"));
          }
          String name = args[0].toUpperCase();
          if (name.contains("STORE") || cmd.contains("STORE") || cmd.contains("STOREDIST")) {
            for (String d : new String[] {"d0", "d1", "str"}) {
              for (String[] check : new String[][] {{"ZRANGE", d, "0", "-1", "WITHSCORES"}, {"OBJECT", "ENCODING", d},
                  {"TYPE", d}, {"TTL", d}}) {
                String e = r.call(check);
                String a = v.call(check);
                compared++;
                if (!e.equals(a) && sameButRounding(e, a, check[0].equals("ZRANGE"))) {
                  tolerated++;
                } else if (!e.equals(a)) {
                  fail("seed " + seed + " (RESP" + proto + ", step " + i + ") after " + String.join(" ", cmd) + ": "
                      + String.join(" ", check) + "\nredis: " + e.replace("\r\n", "\\r\\n") + "\nvireo: "
                      + a.replace("\r\n", "\\r\\n"));
                }
              }
            }
          }
        }
        // the keyspace events of the whole run, in order: zadd from GEOADD, the store events, del of emptied keys
        both(r, v, "SET", "__marker__", "end");
        List<String> expected = events(rEvents);
        List<String> actual = events(vEvents);
        if (!expected.equals(actual)) {
          fail("seed " + seed + " (RESP" + proto + "): keyspace events differ\nredis: " + expected + "\nvireo: "
              + actual);
        }
        eventCount += expected.size();
      }
    }
    System.out.println("GeoDifferentialIT seed " + seed + ": " + compared + " commands, " + eventCount
        + " keyspace events, " + tolerated
        + " replies equal but for the C library's rounding of a distance");
    assertTrue(compared > 0);
    // more than a few would mean a real difference hiding behind the rounding allowance
    assertTrue(tolerated * 100 <= compared, tolerated + " of " + compared + " replies differ by rounding");
  }
}
