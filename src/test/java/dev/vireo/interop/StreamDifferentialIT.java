package dev.vireo.interop;

import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The same seeded random stream workload against Vireo and a real Redis 7.0.15: every reply must be byte-equal,
 * except the clock fields {@link StreamReplies} names (idle and delivery times), which must agree within a slack.
 *
 * <p>The workload covers XADD (explicit, {@code ms-*} and {@code *} IDs, NOMKSTREAM, MAXLEN/MINID with {@code =},
 * {@code ~} and LIMIT), XRANGE, XREVRANGE, XLEN, XDEL, XTRIM, XREAD, XGROUP (every subcommand), XREADGROUP (NOACK,
 * BLOCK inside MULTI), XACK, XPENDING (summary and extended), XCLAIM (every option), XAUTOCLAIM, XINFO (STREAM, FULL,
 * GROUPS, CONSUMERS), XSETID, and DEL/TYPE/EXISTS/OBJECT ENCODING on stream keys, valid and invalid, over three
 * stream keys, a string key and a key that exists only when MKSTREAM or an XADD creates it. Streams use {@code stream-node-max-entries 4} first;
 * a second phase varies {@code stream-node-max-bytes} and {@code stream-node-max-entries}, so approximate trims
 * remove whole nodes of different sizes; the last three eighths run under {@code HELLO 3}.
 *
 * <p>IDs are explicit and grow with a counter of the workload, so replies do not depend on the clock. {@code *}
 * is used on two keys only: {@code sf}, whose IDs lie in the year 2286 (an ID generated there is the top ID plus one,
 * whatever the clock says), and {@code sx}, where only the shape of the generated ID and the lengths are compared.
 * Times that clients set (XCLAIM IDLE and TIME, XPENDING IDLE, min-idle-time) are either 0 or hours away from
 * anything the run can reach, so which entries qualify does not depend on how long a step takes.
 *
 * <p>Properties: {@code -Dvireo.diff.seed} (default fixed), {@code -Dvireo.diff.steps}, {@code -Dvireo.diff.slack}
 * (ms allowed between clock fields), {@code -Dvireo.diff.maxMismatches} (after a mismatch both servers are flushed
 * and the run goes on until that many kinds of mismatch were seen, to list several at once; the test fails if there
 * was any), {@code -Dvireo.diff.stats=true}
 * (how many replies of each command were errors, empty or else, and every distinct error), {@code -Dvireo.diff.trace=
 * FILE} (each command and Redis's reply, by step), and {@code -Dvireo.reference=redis}
 * (a second redis-server in place of Vireo, which proves the harness: every reply must then agree).
 */
@Timeout(300)
class StreamDifferentialIT {
  private static final String[] STREAMS = {"s1", "s2", "s3"};
  /** A stream whose IDs lie in the future, so {@code XADD sf *} answers the top ID plus one on both servers. */
  private static final String FUTURE = "sf";
  private static final long FUTURE_MS = 10_000_000_000_000L;
  /** A stream that gets clock-generated IDs: only shapes and lengths are compared there. */
  private static final String CLOCKED = "sx";
  private static final String[] GROUPS = {"g1", "g2", "g3"};
  private static final String[] CONSUMERS = {"c1", "c2", "c3", "c4"};
  private static final Pattern REPLY_ID = Pattern.compile("\r\n(\\d{1,20}-\\d{1,20})\r\n");
  private static final String MAX_ID = "18446744073709551615-18446744073709551615";
  private static final String[] FIELDS = {"f1", "f2", "f3", "name", ""};
  private static final String[] BAD_IDS = {"abc", "1-", "-1", "-", "+", "1-2-3", "", "0-0", "0", "0-1",
      "18446744073709551616-0", "1-18446744073709551616", "$", ">", "-1-1", "1--1", " 1", "1.5", "0x10", "*-1"};
  private static final String[] COUNTS = {"1", "2", "3", "5", "10", "100"};
  private static final String[] ODD_COUNTS = {"0", "-1", "-5", "x", "1.5", "9223372036854775807"};
  private static final String[] LIMITS = {"0", "1", "2", "5", "100"};
  private static final String[] ODD_LIMITS = {"-1", "x"};
  private static final String[] THRESHOLDS = {"0", "1", "2", "3", "4", "5", "8", "12", "20"};
  private static final String[] ODD_THRESHOLDS = {"-1", "abc", ""};
  private static final String[] NUMBERS = {"0", "1", "2", "5", "10", "100", "-1"};
  private static final String[] ODD_NUMBERS = {"-3", "x", "9223372036854775807"};
  /** Far from any idle time the run reaches (an hour), or 0: which entries qualify never depends on timing. */
  private static final String[] MIN_IDLE = {"0", "0", "0", "3600000"};
  private static final String[] ODD_MIN_IDLE = {"-1", "x"};
  private static final String[] SET_IDLE = {"0", "7200000", "100", "-5", "x"};
  private static final String[] SET_TIME = {"1700000000000", "0", "99999999999999", "-3", "x"};
  /**
   * Well above any entry the workload writes, and a little below an allocator size class (1280, 1536, 2048, 4096):
   * redis-server 7.0.15 crashes when a node it starts for an XADD has to grow by reallocation and lands where the
   * tail node it has just shrunk used to be (the radix tree keeps the stale pointer). With a limit of 1 byte after
   * one of 100, {@code XADD s 2-0 f1 <61 bytes> f1 v5} on a one-entry stream and then {@code XRANGE s - +} abort on
   * a listpack assertion. With these limits a node never outgrows its first allocation.
   */
  private static final String[] NODE_BYTES = {"1200", "1500", "2000", "4000"};
  private static final String[] NODE_ENTRIES = {"0", "1", "2", "4", "7", "100"};

  private final long seed = Long.getLong("vireo.diff.seed", 20261202L);
  private final Random rnd = new Random(seed);
  /** Milliseconds part of the IDs the workload adds; it only grows, so most adds succeed. */
  private long clock = 1;
  private long seq;
  /**
   * IDs the workload added (or tried to add), and IDs seen in Redis's replies, by range (the future stream's or the
   * others'), so that reads, deletes, acknowledgements and claims often hit. Redis's replies are deterministic, and
   * Vireo's were equal, so steering by them keeps the workload a function of the seed.
   */
  private final Map<Long, List<String>> recent = new HashMap<>();
  /** By key and group, IDs seen in replies that deliver or list pending entries: what XACK and XCLAIM pick from first. */
  private final Map<String, List<String>> pending = new HashMap<>();
  /** A stream key that a SET turned into a string: deleted again a few dozen steps later. */
  private String turned;
  /**
   * The first mismatch of each kind (command, and the first line of each reply), with how often that kind came up:
   * one difference often shows on many steps.
   */
  private final Map<String, String> mismatches = new LinkedHashMap<>();
  private final Map<String, Integer> repeats = new HashMap<>();
  private int commands;
  /** Per command (and subcommand): how many replies were errors, empty (nil, 0, empty array) or something else. */
  private final Map<String, int[]> kinds = new TreeMap<>();
  private final Set<String> errors = new TreeSet<>();
  /** With {@code -Dvireo.diff.trace=FILE}: every step, command and Redis reply, to replay a run by hand. */
  private PrintWriter trace;

  @Test
  void randomStreamWorkloadMatchesRedis() {
    int steps = Integer.getInteger("vireo.diff.steps", 6000);
    long slack = Long.getLong("vireo.diff.slack", 1000L);
    int maxMismatches = Integer.getInteger("vireo.diff.maxMismatches", 10);
    String kind = "redis".equals(System.getProperty("vireo.reference")) ? "redis" : "vireo";
    long started = System.nanoTime();
    String traceFile = System.getProperty("vireo.diff.trace");
    try (PrintWriter t = traceFile == null ? null : new PrintWriter(Files.newBufferedWriter(Path.of(traceFile)));
        RedisServerProcess redis = RedisServerProcess.start();
        AnyServer other = AnyServer.start(kind);
        RespClient real = redis.client();
        RespClient ours = other.client()) {
      trace = t;
      setUp(real, ours, slack);
      int phase2 = steps * 2 / 8;
      int resp3 = steps * 5 / 8;
      for (int i = 0; i < steps && mismatches.size() < maxMismatches; i++) {
        if (i == phase2) {
          run(i, new String[] {"CONFIG", "SET", "stream-node-max-bytes", "1200"}, real, ours, slack);
        }
        if (i == resp3) {
          real.call("HELLO", "3"); // server identification differs by design: not compared
          ours.call("HELLO", "3");
        }
        if (i > phase2 && rnd.nextInt(150) == 0) {
          String[] cfg = rnd.nextBoolean()
              ? new String[] {"CONFIG", "SET", "stream-node-max-bytes", pick(NODE_BYTES)}
              : new String[] {"CONFIG", "SET", "stream-node-max-entries", pick(NODE_ENTRIES)};
          run(i, cfg, real, ours, slack);
        }
        List<String[]> batch = next();
        for (String[] cmd : batch) {
          if (!run(i, cmd, real, ours, slack) && changedState(cmd)) {
            resync(real, ours, slack);
            break;
          }
        }
      }
      // the final state of every key
      for (String k : new String[] {"s1", "s2", "s3", FUTURE}) {
        run(steps, new String[] {"XINFO", "STREAM", k, "FULL", "COUNT", "0"}, real, ours, slack);
        run(steps, new String[] {"XINFO", "STREAM", k}, real, ours, slack);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.printf("stream workload: seed %d, %d steps, %d commands against %s, %d mismatches, %.1f s%n",
        seed, steps, commands, kind, mismatches.size(), (System.nanoTime() - started) / 1e9);
    if (Boolean.getBoolean("vireo.diff.stats")) {
      kinds.forEach((c, n) -> System.out.printf("%-26s errors %5d  empty %5d  other %5d%n", c, n[0], n[1], n[2]));
      errors.forEach(e -> System.out.println("  " + e));
    }
    if (!mismatches.isEmpty()) {
      StringBuilder all = new StringBuilder(mismatches.size() + " kind(s) of mismatch:");
      mismatches.forEach((k, first) -> all.append("\n[").append(repeats.get(k)).append("x] ").append(first));
      fail(all.toString());
    }
  }

  private void setUp(RespClient real, RespClient ours, long slack) {
    run(-1, new String[] {"CONFIG", "SET", "stream-node-max-entries", "4"}, real, ours, slack);
    run(-1, new String[] {"SET", "str", "text"}, real, ours, slack);
  }

  /** After a mismatch both servers start again from the same empty state (the workload does not read state). */
  private void resync(RespClient real, RespClient ours, long slack) {
    real.call("DISCARD");
    ours.call("DISCARD");
    real.call("FLUSHALL");
    ours.call("FLUSHALL");
    run(-1, new String[] {"SET", "str", "text"}, real, ours, slack);
  }

  private static final Set<String> READ_ONLY = Set.of("XRANGE", "XREVRANGE", "XLEN", "XINFO", "XPENDING", "XREAD",
      "TYPE", "EXISTS", "OBJECT");
  private static final Set<String> NOTHING_DONE = Set.of(":0\r\n", "*0\r\n", "$-1\r\n", "*-1\r\n", "_\r\n");
  private String lastExpected = "";
  private String lastActual = "";

  /**
   * Whether the command that just mismatched may have left the two servers in different states: not when it only
   * reads, nor when neither side did anything (errors, or an error against a zero or a null). Otherwise both are
   * flushed, so that one difference is not reported again and again.
   */
  private boolean changedState(String[] cmd) {
    if (READ_ONLY.contains(cmd[0].toUpperCase(Locale.ROOT))) return false;
    boolean r = lastExpected.startsWith("-") || NOTHING_DONE.contains(lastExpected);
    boolean v = lastActual.startsWith("-") || NOTHING_DONE.contains(lastActual);
    return !(r && v);
  }

  /** Sends one command to both; false (and the mismatch recorded) when the replies differ. */
  private boolean run(int step, String[] cmd, RespClient real, RespClient ours, long slack) {
    commands++;
    if (trace != null) {
      trace.print(step + "\t" + show(cmd) + "\t");
      trace.flush();
    }
    String expected = real.call(cmd);
    String actual = ours.call(cmd);
    lastExpected = expected;
    lastActual = actual;
    count(cmd, expected);
    harvest(cmd, expected);
    if (trace != null) trace.println(show(expected));
    boolean clockIds = cmd[0].equals("XADD") && cmd[1].equals(CLOCKED);
    String why = StreamReplies.mismatch(cmd, expected, actual, slack, clockIds);
    if (why == null) return true;
    String kind = name(cmd) + "|" + firstLine(expected) + "|" + firstLine(actual);
    repeats.merge(kind, 1, Integer::sum);
    mismatches.putIfAbsent(kind, "seed " + seed + " step " + step + " command " + show(cmd) + " (" + why + ")\n  redis: "
        + show(expected) + "\n  vireo: " + show(actual));
    return false;
  }

  private static String name(String[] cmd) {
    String name = cmd[0].toUpperCase(Locale.ROOT);
    if ((name.equals("XGROUP") || name.equals("XINFO")) && cmd.length > 1) name += " " + cmd[1].toUpperCase(Locale.ROOT);
    if (name.equals("XPENDING") && cmd.length >= 6) name += " (extended)";
    return name;
  }

  private static String firstLine(String reply) {
    int eol = reply.indexOf('\r');
    return eol < 0 ? reply : reply.substring(0, eol);
  }

  private void count(String[] cmd, String reply) {
    int[] n = kinds.computeIfAbsent(name(cmd), x -> new int[3]);
    if (reply.startsWith("-")) {
      n[0]++;
      errors.add(reply.strip());
    } else if (List.of("*0\r\n", "$-1\r\n", "*-1\r\n", "_\r\n", ":0\r\n", "%0\r\n").contains(reply)) {
      n[1]++;
    } else {
      n[2]++;
    }
  }

  static String show(String reply) {
    return reply.replace("\r", "\\r").replace("\n", "\\n");
  }

  private static String show(String[] cmd) {
    StringBuilder s = new StringBuilder();
    for (String a : cmd) {
      if (s.length() > 0) s.append(' ');
      s.append(a.isEmpty() || a.contains(" ") ? "'" + a + "'" : a);
    }
    return s.toString();
  }

  // ------------------------------------------------------------------------------------------------ generation

  private String pick(String[] a) {
    return a[rnd.nextInt(a.length)];
  }

  /** Mostly one of {@code good}, one time in eight one of {@code odd}. */
  private String pick(String[] good, String[] odd) {
    return chance(8) ? pick(odd) : pick(good);
  }

  private String count() {
    return pick(COUNTS, ODD_COUNTS);
  }

  private String number() {
    return pick(NUMBERS, ODD_NUMBERS);
  }

  private String minIdle() {
    return pick(MIN_IDLE, ODD_MIN_IDLE);
  }

  private String remember(String key, String id) {
    return remember(recent, base(key), id);
  }

  private static <K> String remember(Map<K, List<String>> pool, K key, String id) {
    List<String> ids = pool.computeIfAbsent(key, k -> new ArrayList<>());
    ids.add(id);
    if (ids.size() > 60) ids.remove(0);
    return id;
  }

  /** Remembers the entry IDs in a reply of Redis (not those the clock made, on {@code sx}). */
  private void harvest(String[] cmd, String reply) {
    if (cmd.length < 2 || cmd[1].equals(CLOCKED) || reply.startsWith("-")) return;
    Matcher m = REPLY_ID.matcher(reply);
    while (m.find()) {
      String id = m.group(1);
      long ms = Long.parseLong(id.substring(0, Math.min(id.indexOf('-'), 18)));
      if (chance(3)) remember(recent, ms >= FUTURE_MS ? FUTURE_MS : 0L, id);
    }
    String name = cmd[0].toUpperCase(Locale.ROOT);
    if (List.of("XPENDING", "XCLAIM", "XAUTOCLAIM").contains(name)) {
      if (cmd.length > 2) harvestPending(cmd[1] + "/" + cmd[2], reply);
    } else if (name.equals("XREADGROUP") && !reply.startsWith("*-1") && !reply.startsWith("_")) {
      // [[key, entries], ...] in RESP2, {key: entries, ...} in RESP3
      StreamReplies.Node n = StreamReplies.parse(reply);
      List<StreamReplies.Node> kids = n.kids;
      for (int i = 0; i < kids.size(); i++) {
        if (n.type == '%' && i % 2 == 0) {
          harvestPending(kids.get(i).text() + "/" + cmd[2], StreamReplies.render(kids.get(i + 1)));
        } else if (n.type == '*' && kids.get(i).kids.size() == 2) {
          harvestPending(kids.get(i).kids.get(0).text() + "/" + cmd[2], StreamReplies.render(kids.get(i).kids.get(1)));
        }
      }
    }
  }

  private void harvestPending(String key, String reply) {
    Matcher m = REPLY_ID.matcher(reply);
    while (m.find()) {
      if (!chance(3)) remember(pending, key, m.group(1));
    }
  }

  private boolean chance(int oneIn) {
    return rnd.nextInt(oneIn) == 0;
  }

  /** A key for stream commands: mostly streams, sometimes the string or a key never created. */
  private String key() {
    int r = rnd.nextInt(40);
    if (r < 31) return STREAMS[r % 3];
    if (r < 35) return FUTURE;
    if (r < 37) return "str";
    return "nokey";
  }

  /** A key for commands whose replies hold no ID: the clock-generated stream too. */
  private String anyKey() {
    return chance(8) ? CLOCKED : key();
  }

  private long base(String key) {
    return key.equals(FUTURE) ? FUTURE_MS : 0;
  }

  /** An ID above every ID the workload added so far. */
  private String nextId(String key) {
    if (rnd.nextInt(10) < 3) {
      seq++;
    } else {
      clock += 1 + rnd.nextInt(3);
      seq = chance(8) ? rnd.nextInt(3) : 0;
    }
    return remember(key, (base(key) + clock) + "-" + seq);
  }

  /** An ID near the recent ones, existing or not. */
  private String nearId(String key) {
    List<String> ids = recent.get(key);
    if (ids != null && !chance(3)) return ids.get(rnd.nextInt(ids.size()));
    long ms = Math.max(0, clock - rnd.nextInt((int) Math.min(clock, 60) + 1));
    return (base(key) + ms) + "-" + rnd.nextInt(3);
  }

  /** The ID argument of an XADD: mostly the next one, sometimes old, partial, generated or malformed. */
  private String addId(String key) {
    int r = rnd.nextInt(40);
    if (r < 26) return nextId(key);
    if (r < 29) {
      clock += 1;
      seq = 0;
      remember(key, (base(key) + clock) + "-0");
      return (base(key) + clock) + "-*";
    }
    if (r < 31) return (base(key) + clock) + "-*"; // the same millisecond: the sequence goes on
    if (r < 33) return nearId(key);
    if (r < 34) return (base(key) + Math.max(0, clock - rnd.nextInt(20))) + "-*";
    if (r < 35) return Long.toString(base(key) + clock + 1); // ms only: sequence 0
    if (chance(100)) return chance(2) ? MAX_ID : "18446744073709551615-*"; // the key is full until deleted
    return pick(BAD_IDS);
  }

  /** An ID for a range bound: special, exclusive, near the data, or malformed. */
  private String rangeId(String key) {
    int r = rnd.nextInt(chance(8) ? 30 : 25);
    if (r < 5) return "-";
    if (r < 10) return "+";
    if (r < 17) return nearId(key);
    if (r < 21) return "(" + nearId(key);
    if (r < 23) return Long.toString(base(key) + Math.max(0, clock - rnd.nextInt(30)));
    if (r < 24) return "(" + Long.toString(base(key) + Math.max(0, clock - rnd.nextInt(30)));
    if (r < 25) return "0";
    return pick(new String[] {"abc", "(", "(-", "(+", "1-", "-1", MAX_ID, "(" + MAX_ID, "(0-0", "0-0",
        "18446744073709551615", "((1-1", "*"});
  }

  /** An ID for XREAD: {@code $}, 0, near the data or malformed. */
  private String readId(String key) {
    int r = rnd.nextInt(20);
    if (r < 4) return "$";
    if (r < 7) return "0";
    if (r < 15) return nearId(key);
    if (r < 16) return "0-0";
    return pick(new String[] {"abc", ">", "+", "-", "1-", MAX_ID, "(1-1"});
  }

  private String groupReadId(String key) {
    int r = rnd.nextInt(20);
    if (r < 12) return ">";
    if (r < 15) return "0";
    if (r < 18) return nearId(key);
    return pick(new String[] {"$", "abc", "+", "-"});
  }

  /** An ID likely to be pending in some group. */
  private String pendingId(String key, String group) {
    List<String> ids = pending.get(key + "/" + group);
    if (ids != null && !chance(4)) return ids.get(rnd.nextInt(ids.size()));
    return nearId(key);
  }

  /** A key for consumer-group commands: nearly always a stream. */
  private String groupKey() {
    return chance(10) ? key() : rnd.nextInt(5) == 0 ? FUTURE : pick(STREAMS);
  }

  private String group() {
    int r = rnd.nextInt(30);
    return r < 18 ? "g1" : r < 27 ? "g2" : r < 29 ? "g3" : "nogroup";
  }

  private String consumer() {
    return pick(CONSUMERS);
  }

  private String value() {
    int r = rnd.nextInt(12);
    if (r < 5) return "v" + rnd.nextInt(10);
    if (r < 8) return Integer.toString(rnd.nextInt(r == 7 ? 100000 : 100) - 10);
    if (r < 9) return "";
    if (r < 10) return "9223372036854775807";
    return "x".repeat(rnd.nextInt(120));
  }

  /** MAXLEN or MINID, with =, ~ or nothing, a threshold, and sometimes LIMIT (with or without ~). */
  private List<String> trim(String key) {
    List<String> a = new ArrayList<>();
    boolean minid = chance(3);
    a.add(minid ? (chance(5) ? "minid" : "MINID") : (chance(5) ? "maxlen" : "MAXLEN"));
    int op = rnd.nextInt(3);
    if (op == 1) a.add("=");
    if (op == 2) a.add("~");
    a.add(minid ? (chance(10) ? pick(BAD_IDS) : nearId(key)) : pick(THRESHOLDS, ODD_THRESHOLDS));
    if ((op == 2 && chance(2)) || chance(12)) a.addAll(List.of("LIMIT", pick(LIMITS, ODD_LIMITS)));
    return a;
  }

  private void fields(List<String> a) {
    int n = chance(40) ? 0 : 1 + rnd.nextInt(3);
    boolean same = chance(2); // entries with the master entry's fields are stored more compactly
    for (int i = 0; i < n; i++) {
      a.add(same ? FIELDS[i] : pick(FIELDS));
      a.add(value());
    }
    if (chance(50)) a.add("odd");
  }

  private List<String[]> next() {
    List<String[]> out = new ArrayList<>();
    List<String> a = new ArrayList<>();
    if (turned != null && chance(40)) {
      out.add(new String[] {"DEL", turned});
      turned = null;
    }
    int op = rnd.nextInt(72);
    switch (op) {
      case 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 -> {
        String k = chance(12) ? CLOCKED : key();
        a.addAll(List.of("XADD", k));
        if (k.equals(CLOCKED)) {
          // exact trims only: how many entries fit a node depends on the size of the IDs' deltas
          if (chance(2)) {
            a.add("MAXLEN");
            if (chance(2)) a.add("=");
            a.add("3");
          }
          a.add("*");
          fields(a);
          break;
        }
        List<List<String>> opts = new ArrayList<>();
        if (chance(8)) opts.add(List.of(chance(4) ? "nomkstream" : "NOMKSTREAM"));
        if (chance(3)) opts.add(trim(k));
        Collections.shuffle(opts, rnd);
        for (List<String> o : opts) a.addAll(o);
        a.add(addId(k));
        fields(a);
      }
      case 11 -> {
        // XADD * on the future stream: the top ID is made a future one first, so the generated ID is top + 1
        out.add(new String[] {"XADD", FUTURE, nextId(FUTURE), "f1", value()});
        a.addAll(List.of("XADD", FUTURE));
        if (chance(3)) a.addAll(trim(FUTURE));
        a.add("*");
        fields(a);
        seq++;
      }
      case 12, 13, 14, 15 -> {
        String k = key();
        boolean rev = chance(3);
        a.addAll(List.of(rev ? "XREVRANGE" : "XRANGE", k, rangeId(k), rangeId(k)));
        if (chance(2)) a.addAll(List.of("COUNT", count()));
        if (chance(30)) a.add("COUNT");
      }
      case 16 -> a.addAll(List.of("XRANGE", key(), "-", "+"));
      case 17, 18 -> a.addAll(List.of("XLEN", anyKey()));
      case 19, 20 -> {
        String k = key();
        a.addAll(List.of("XDEL", k));
        int n = chance(15) ? 0 : 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) a.add(chance(10) ? pick(BAD_IDS) : nearId(k));
      }
      case 21, 22 -> {
        String k = key();
        a.addAll(List.of("XTRIM", k));
        if (!chance(20)) a.addAll(trim(k));
        if (chance(25)) a.add("extra");
      }
      case 23, 24, 25 -> {
        a.add("XREAD");
        if (chance(2)) a.addAll(List.of("COUNT", count()));
        boolean block = chance(4);
        if (block) a.addAll(List.of("BLOCK", pick(new String[] {"0", "10", "-1", "x"})));
        streams(a, false);
        if (block) return inMulti(out, a);
      }
      case 26, 27, 28, 29, 30, 64, 65, 66, 67 -> {
        a.addAll(List.of("XREADGROUP", "GROUP", group(), consumer()));
        if (chance(2)) a.addAll(List.of("COUNT", count()));
        boolean block = chance(5);
        if (block) a.addAll(List.of("BLOCK", pick(new String[] {"0", "10", "-1", "x"})));
        if (chance(4)) a.add("NOACK");
        streams(a, true);
        if (block) return inMulti(out, a);
      }
      case 31 -> {
        // outside MULTI: answers at once when there is something to read, else times out (nil) after 1 ms
        if (!chance(4)) return next();
        String k = pick(STREAMS);
        if (chance(2)) {
          a.addAll(List.of("XREAD", "COUNT", "2", "BLOCK", "1", "STREAMS", k, readId(k)));
        } else {
          a.addAll(List.of("XREADGROUP", "GROUP", pick(GROUPS), consumer(), "COUNT", "2", "BLOCK", "1"));
          if (chance(3)) a.add("NOACK");
          a.addAll(List.of("STREAMS", k, ">"));
        }
      }
      case 32, 33, 34, 62 -> {
        String k = groupKey();
        a.addAll(List.of("XGROUP", chance(6) ? "create" : "CREATE", k, group()));
        a.add(pick(new String[] {"$", "0", "0", "0", nearId(k), nearId(k)}, new String[] {"abc", "-", "+", ">"}));
        if (!chance(3)) a.add("MKSTREAM");
        if (chance(4)) a.addAll(List.of("ENTRIESREAD", number()));
        if (chance(30)) a.add("BOGUS");
      }
      case 35 -> {
        String k = groupKey();
        a.addAll(List.of("XGROUP", "SETID", k, group(), pick(new String[] {"$", "0", nearId(k), nearId(k), "abc"})));
        if (chance(3)) a.addAll(List.of("ENTRIESREAD", number()));
      }
      case 36 -> a.addAll(List.of("XGROUP", "CREATECONSUMER", groupKey(), group(), consumer()));
      case 37 -> a.addAll(List.of("XGROUP", "DELCONSUMER", groupKey(), group(), consumer()));
      case 38 -> {
        if (chance(2)) {
          a.addAll(List.of("XGROUP", "DESTROY", key(), group()));
        } else {
          a.addAll(List.of("XINFO", "GROUPS", key()));
        }
      }
      case 39 -> {
        String[][] odd = {{"XGROUP"}, {"XGROUP", "FOO"}, {"XGROUP", "CREATE", "s1"}, {"XGROUP", "CREATE", "s1", "g1"},
          {"XGROUP", "SETID", "s1", "g1"}, {"XGROUP", "DESTROY", "s1"}, {"XGROUP", "DESTROY", "s1", "g1", "x"},
          {"XGROUP", "CREATECONSUMER", "s1", "g1"}, {"XGROUP", "DELCONSUMER", "s1", "g1", "c1", "x"},
          {"XGROUP", "HELP"}, {"XINFO", "HELP"}, {"XINFO"}, {"XINFO", "FOO", "s1"}, {"XINFO", "STREAM"},
          {"XINFO", "STREAM", "s1", "FULL", "COUNT"}, {"XINFO", "STREAM", "s1", "BOGUS"},
          {"XINFO", "CONSUMERS", "s1"}, {"XINFO", "GROUPS"}, {"XADD", "s1"}, {"XADD", "s1", "9-9"}, {"XRANGE", "s1"},
          {"XREVRANGE", "s1", "+"}, {"XLEN"}, {"XDEL", "s1"}, {"XTRIM", "s1"}, {"XACK", "s1", "g1"},
          {"XREAD", "STREAMS"}, {"XREAD", "STREAMS", "s1"}, {"XREAD", "s1", "0"}, {"XREAD", "COUNT", "1", "s1", "0"},
          {"XREADGROUP", "GROUP", "g1", "STREAMS", "s1", ">"}, {"XREADGROUP", "STREAMS", "s1", ">"},
          {"XREADGROUP", "GROUP", "g1", "c1", "STREAMS", "s1"}, {"XPENDING", "s1"}, {"XPENDING", "s1", "g1", "-"},
          {"XPENDING", "s1", "g1", "-", "+"}, {"XPENDING", "s1", "g1", "IDLE", "0"},
          {"XCLAIM", "s1", "g1", "c1", "0"}, {"XAUTOCLAIM", "s1", "g1", "c1", "0"}, {"XSETID", "s1"},
          {"XSETID", "s1", "1-1", "ENTRIESADDED"}, {"XREAD", "COUNT", "1", "COUNT", "2", "STREAMS", "s1", "0"},
          {"XADD", "s1", "NOMKSTREAM", "NOMKSTREAM", nextId("s1"), "f", "v"},
          {"XADD", "s1", "MAXLEN", "1", "MINID", "1", nextId("s1"), "f", "v"},
          {"XTRIM", "s1", "MAXLEN", "1", "MINID", "1"}, {"XTRIM", "s1", "MAXLEN", "~"},
          {"XTRIM", "s1", "LIMIT", "1", "MAXLEN", "~", "1"}};
        a.addAll(Arrays.asList(pick2(odd)));
      }
      case 40, 41, 68, 69 -> {
        String k = groupKey();
        String g = group();
        a.addAll(List.of("XACK", k, g));
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) a.add(chance(12) ? pick(BAD_IDS) : pendingId(k, g));
      }
      case 42, 43 -> a.addAll(List.of("XPENDING", groupKey(), group()));
      case 44, 45, 46 -> {
        String k = groupKey();
        a.addAll(List.of("XPENDING", k, group()));
        if (chance(3)) a.addAll(List.of("IDLE", minIdle()));
        if (chance(2)) {
          a.addAll(List.of("-", "+"));
        } else {
          a.addAll(List.of(rangeId(k), rangeId(k)));
        }
        a.add(count());
        if (chance(2)) a.add(consumer());
        if (chance(30)) a.add("extra");
      }
      case 47, 48, 49, 70, 71 -> {
        String k = groupKey();
        String g = group();
        a.addAll(List.of("XCLAIM", k, g, consumer(), minIdle()));
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) a.add(chance(15) ? pick(BAD_IDS) : chance(5) ? nearId(k) : pendingId(k, g));
        List<List<String>> opts = new ArrayList<>();
        if (chance(4)) opts.add(List.of("IDLE", pick(SET_IDLE)));
        if (chance(6)) opts.add(List.of("TIME", pick(SET_TIME)));
        if (chance(4)) opts.add(List.of("RETRYCOUNT", number()));
        if (chance(4)) opts.add(List.of("FORCE"));
        if (chance(3)) opts.add(List.of("JUSTID"));
        if (chance(5)) opts.add(List.of("LASTID", chance(5) ? pick(BAD_IDS) : nearId(k)));
        if (chance(30)) opts.add(List.of("BOGUS"));
        Collections.shuffle(opts, rnd);
        for (List<String> o : opts) a.addAll(o);
      }
      case 50, 51 -> {
        String k = groupKey();
        a.addAll(List.of("XAUTOCLAIM", k, group(), consumer(), minIdle(), chance(2) ? "0-0" : rangeId(k)));
        if (chance(2)) a.addAll(List.of("COUNT", count()));
        if (chance(3)) a.add("JUSTID");
        if (chance(30)) a.add("BOGUS");
      }
      case 52, 53 -> {
        a.addAll(List.of("XINFO", "STREAM", key()));
        if (chance(2)) {
          a.add("FULL");
          if (chance(2)) a.addAll(List.of("COUNT", count()));
        }
      }
      case 54 -> a.addAll(List.of("XINFO", "GROUPS", key()));
      case 55 -> a.addAll(List.of("XINFO", "CONSUMERS", groupKey(), group()));
      case 56 -> {
        String k = key();
        a.addAll(List.of("XSETID", k));
        int r = rnd.nextInt(10);
        if (r < 6) {
          a.add((base(k) + clock + rnd.nextInt(3)) + "-" + rnd.nextInt(3));
        } else if (r < 8) {
          a.add(nearId(k));
        } else {
          a.add(chance(10) ? MAX_ID : pick(new String[] {"0-0", "abc", "1-*", "$"}));
        }
        if (chance(3)) a.addAll(List.of("ENTRIESADDED", number()));
        if (chance(3)) a.addAll(List.of("MAXDELETEDID", chance(5) ? pick(BAD_IDS) : nearId(k)));
      }
      case 57 -> {
        String k = anyKey();
        if (!chance(4)) return List.<String[]>of(new String[] {"TYPE", k});
        out.add(new String[] {"DEL", k});
        if (k.startsWith("s") && chance(15)) {
          a.addAll(List.of("SET", k, "now a string")); // a stream key holding another type for a while
          turned = k;
        } else {
          a.addAll(List.of("EXISTS", k));
        }
      }
      case 58 -> a.addAll(List.of("TYPE", anyKey()));
      case 59 -> a.addAll(List.of("OBJECT", "ENCODING", anyKey()));
      case 60 -> a.addAll(List.of("EXISTS", anyKey(), anyKey()));
      case 61 -> {
        // several commands in one transaction, a blocking read among them
        out.add(new String[] {"MULTI"});
        String k = pick(STREAMS);
        out.add(new String[] {"XADD", k, nextId(k), "f1", value()});
        out.add(new String[] {"XREAD", "BLOCK", "0", "STREAMS", k, "$"});
        out.add(new String[] {"XREADGROUP", "GROUP", pick(GROUPS), consumer(), "BLOCK", "0", "STREAMS", k, ">"});
        out.add(new String[] {"XLEN", k});
        out.add(new String[] {"EXEC"});
        return out;
      }
      default -> {
        String k = key();
        a.addAll(List.of("XINFO", "STREAM", k));
      }
    }
    out.add(a.toArray(new String[0]));
    return out;
  }

  private String[] pick2(String[][] a) {
    return a[rnd.nextInt(a.length)];
  }

  /** STREAMS k1 .. kn id1 .. idn, sometimes unbalanced or with a repeated key. */
  private void streams(List<String> a, boolean group) {
    a.add("STREAMS");
    int n = 1 + rnd.nextInt(chance(group ? 6 : 3) ? 3 : 1);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) keys.add(group ? groupKey() : key());
    a.addAll(keys);
    for (String k : keys) a.add(group ? groupReadId(k) : readId(k));
    if (chance(25)) a.remove(a.size() - 1);
  }

  private List<String[]> inMulti(List<String[]> out, List<String> cmd) {
    out.add(new String[] {"MULTI"});
    out.add(cmd.toArray(new String[0]));
    out.add(new String[] {"EXEC"});
    return out;
  }
}
