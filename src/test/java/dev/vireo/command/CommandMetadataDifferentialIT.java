package dev.vireo.command;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * COMMAND against a real redis-server 7.0.15, in RESP2 and RESP3: INFO and DOCS of every command at once, GETKEYS and
 * GETKEYSANDFLAGS over a corpus of calls (movable keys, errors), LIST with each filter, COUNT. Redis lists its
 * commands and subcommands in hash order, so whole-table replies are compared command by command, subcommands
 * sorted; everything else byte for byte. What Vireo deliberately lacks or adds is listed once, below, with why.
 */
class CommandMetadataDifferentialIT {
  /**
   * Commands and subcommands of Redis 7.0 that Vireo does not have, with the reason; a container stands for its
   * subcommands. README.md lists them too. An entry that Vireo has fails the test: remove it when the command lands.
   */
  static final Map<String, String> MISSING = Map.ofEntries(
      entry("cluster", "cluster mode"),
      entry("asking", "cluster mode"),
      entry("readonly", "cluster mode"),
      entry("readwrite", "cluster mode"),
      entry("restore-asking", "cluster mode"));

  /** Subcommands Vireo has that Redis 7.0 does not: Redis 7.2's, described as 7.2 describes them. */
  static final Set<String> EXTRA = Set.of("client|no-touch", "client|setinfo");

  private static RedisServerProcess redis;
  private static TestNode node;
  private static final RespClient[] R = new RespClient[4];
  private static final RespClient[] V = new RespClient[4];

  @BeforeAll
  static void start() {
    redis = RedisServerProcess.start();
    node = TestNode.start();
    for (int proto : new int[] {2, 3}) {
      R[proto] = redis.client();
      V[proto] = node.client();
      if (proto == 3) {
        R[proto].call("HELLO", "3");
        V[proto].call("HELLO", "3");
      }
    }
  }

  @AfterAll
  static void stop() {
    for (RespClient c : R) if (c != null) c.close();
    for (RespClient c : V) if (c != null) c.close();
    if (redis != null) redis.close();
    if (node != null) node.close();
  }

  private static boolean missing(String name) {
    int bar = name.indexOf('|');
    return MISSING.containsKey(name) || (bar > 0 && MISSING.containsKey(name.substring(0, bar)));
  }

  // ---- RESP as raw text: each aggregate split into its elements' raw text ----

  /** The index just past the reply that starts at {@code p}. */
  private static int end(String s, int p) {
    int eol = s.indexOf("\r\n", p);
    char t = s.charAt(p);
    String head = s.substring(p + 1, eol);
    int q = eol + 2;
    switch (t) {
      case '$', '=', '!' -> {
        int n = Integer.parseInt(head);
        return n < 0 ? q : q + n + 2;
      }
      case '*', '~', '>', '%', '|' -> {
        int n = Integer.parseInt(head);
        if (t == '%' || t == '|') n *= 2;
        for (int i = 0; i < n; i++) q = end(s, q);
        return q;
      }
      default -> {
        return q;
      }
    }
  }

  /** The raw text of each element of the aggregate {@code s} (a map's keys and values alternate). */
  private static List<String> elements(String s) {
    List<String> r = new ArrayList<>();
    int q = s.indexOf("\r\n") + 2;
    while (q < s.length()) {
      int e = end(s, q);
      r.add(s.substring(q, e));
      q = e;
    }
    return r;
  }

  private static String header(String s) {
    return s.substring(0, s.indexOf("\r\n") + 2);
  }

  /** The text of a bulk or simple string reply. */
  private static String text(String s) {
    return s.charAt(0) == '+' ? s.substring(1, s.length() - 2) : s.substring(s.indexOf("\r\n") + 2, s.length() - 2);
  }

  /** An aggregate of {@code n} elements (pairs for a map) like {@code like}, holding {@code parts}. */
  private static String aggregate(String like, int n, List<String> parts) {
    return like.charAt(0) + Integer.toString(n) + "\r\n" + String.join("", parts);
  }

  /** COMMAND INFO's entries by name, each with its subcommands sorted and those one side lacks dropped. */
  private static Map<String, String> infoByName(String reply) {
    Map<String, String> r = new TreeMap<>();
    for (String e : elements(reply)) {
      List<String> fields = elements(e);
      String name = text(fields.get(0));
      if (missing(name) || EXTRA.contains(name)) continue;
      Map<String, String> subs = new TreeMap<>();
      for (String sub : elements(fields.get(9))) {
        String subName = text(elements(sub).get(0));
        if (!missing(subName) && !EXTRA.contains(subName)) subs.put(subName, sub);
      }
      fields.set(9, aggregate(fields.get(9), subs.size(), new ArrayList<>(subs.values())));
      r.put(name, header(e) + String.join("", fields));
    }
    return r;
  }

  /** COMMAND DOCS's entries by name, subcommands sorted and those one side lacks dropped. */
  private static Map<String, String> docsByName(String reply) {
    Map<String, String> r = new TreeMap<>();
    List<String> all = elements(reply);
    for (int i = 0; i < all.size(); i += 2) {
      String name = text(all.get(i));
      if (missing(name) || EXTRA.contains(name)) continue;
      String doc = all.get(i + 1);
      List<String> fields = elements(doc);
      for (int f = 0; f < fields.size(); f += 2) {
        if (!text(fields.get(f)).equals("subcommands")) continue;
        List<String> subs = elements(fields.get(f + 1));
        Map<String, String> sorted = new TreeMap<>();
        for (int k = 0; k < subs.size(); k += 2) {
          String subName = text(subs.get(k));
          if (!missing(subName) && !EXTRA.contains(subName)) sorted.put(subName, subs.get(k) + subs.get(k + 1));
        }
        fields.set(f + 1, aggregate(fields.get(f + 1), fields.get(f + 1).charAt(0) == '%' ? sorted.size()
            : sorted.size() * 2, new ArrayList<>(sorted.values())));
      }
      r.put(name, header(doc) + String.join("", fields));
    }
    return r;
  }

  private static Set<String> names(String reply) {
    Set<String> r = new TreeSet<>();
    for (String e : elements(reply)) r.add(text(e));
    return r;
  }

  private static Set<String> withoutMissing(Set<String> names) {
    Set<String> r = new TreeSet<>(names);
    r.removeIf(CommandMetadataDifferentialIT::missing);
    return r;
  }

  /** The same commands, each described the same: names the differing ones, then shows the first difference. */
  private static void assertSameEntries(Map<String, String> expected, Map<String, String> actual, String what) {
    assertEquals(expected.keySet(), actual.keySet(), what + ": commands");
    List<String> differ = new ArrayList<>();
    for (String name : expected.keySet()) if (!expected.get(name).equals(actual.get(name))) differ.add(name);
    if (!differ.isEmpty()) {
      String first = differ.get(0);
      assertEquals(expected.get(first), actual.get(first), what + " differs for " + differ);
    }
  }

  // ---- the tests ----

  @Test
  void infoOfEveryCommand() {
    for (int proto : new int[] {2, 3}) {
      Map<String, String> expected = infoByName(R[proto].call("COMMAND", "INFO"));
      assertSameEntries(expected, infoByName(V[proto].call("COMMAND", "INFO")), "COMMAND INFO, RESP" + proto);
      assertSameEntries(expected, infoByName(V[proto].call("COMMAND")), "COMMAND, RESP" + proto);
    }
  }

  @Test
  void docsOfEveryCommand() {
    for (int proto : new int[] {2, 3}) {
      Map<String, String> expected = docsByName(R[proto].call("COMMAND", "DOCS"));
      assertSameEntries(expected, docsByName(V[proto].call("COMMAND", "DOCS")), "COMMAND DOCS, RESP" + proto);
    }
  }

  @Test
  void infoAndDocsByName() {
    String[] names = {"get", "set", "lmpop", "zunionstore", "sort", "georadius", "xreadgroup", "eval", "bitfield",
        "spublish", "config|get", "object|encoding", "memory|usage", "nosuch", "GET", "config|nosuch", "slaveof"};
    for (int proto : new int[] {2, 3}) {
      for (String sub : new String[] {"INFO", "DOCS"}) {
        List<String> cmd = new ArrayList<>(List.of("COMMAND", sub));
        cmd.addAll(List.of(names));
        String[] args = cmd.toArray(new String[0]);
        assertEquals(R[proto].call(args), V[proto].call(args), "COMMAND " + sub + ", RESP" + proto);
      }
    }
  }

  /**
   * Calls whose keys COMMAND GETKEYS/GETKEYSANDFLAGS reports, or refuses with Redis's error: one a line, words split
   * on spaces, {@code ''} an empty word and {@code 'a b'} one word with a space.
   */
  private static final String GETKEYS_CORPUS = """
      get k
      set k v
      set k v get
      set k v ex 10 GET
      mset a 1 b 2
      mset a 1 b
      lmpop 2 a b left
      lmpop 0 a left
      lmpop x a left
      lmpop 3 a left
      blmpop 0 2 a b left
      bzmpop 0 1 z min
      zmpop 2 z1 z2 max count 3
      zunionstore d 2 a b weights 1 2
      zunionstore d 0 a
      zunionstore d 3 a b
      zinterstore d 1 a
      zdiffstore d 2 a b
      zunion 2 a b withscores
      zinter 1 a
      zdiff 2 a b
      zintercard 2 a b limit 1
      sintercard 2 a b
      sintercard 0 a
      eval 'return 1' 0
      eval 'return 1' 2 a b c
      eval 'return 1' 3 a b
      eval 'return 1' x a
      eval 'return 1' -1 a
      evalsha abc 1 k
      eval_ro s 1 k
      evalsha_ro s 2 k l
      fcall f 1 k
      fcall_ro f 0
      georadius g 0 0 10 km store d
      georadius g 0 0 10 km storedist d
      georadius g 0 0 10 km
      georadius g 0 0 10 km store
      georadius g 0 0 10 km store d storedist e
      georadiusbymember g m 10 km store d
      georadius_ro g 0 0 10 km
      sort k
      sort k store d
      sort k by p get # store d limit 0 1
      sort k store d store e
      sort k limit store d 1
      sort_ro k by p
      xread streams s 0
      xread count 2 block 0 streams s t 0 0
      xread streams s
      xread foo streams s 0
      xreadgroup group g c streams s >
      xreadgroup group g c noack streams s t > >
      migrate h 6379 k 0 100
      migrate h 6379 '' 0 100 keys a b
      migrate h 6379 '' 0 100 copy replace auth pw keys a b
      migrate h 6379 '' 0 100 auth2 u p keys a
      migrate h 6379 k 0 100 keys a
      object encoding k
      object freq k
      object help
      object
      memory usage k
      memory usage k samples 5
      memory doctor
      bitfield k get u8 0
      bitfield k set u8 0 1
      bitfield k overflow sat get u8 0
      bitfield k incrby u8 0 1 get u8 0
      bitfield k get u8
      bitfield_ro k get u8 0
      blmove a b left right 0
      lmove a b left right
      rpoplpush a b
      del a b c
      exists a b
      touch a
      rename a b
      copy a b db 1
      smove a b m
      spublish ch m
      ssubscribe a b
      publish ch m
      ping
      ping x
      nosuch k
      config get x
      config nosuch x
      client list
      get
      get a b
      dbsize x
      xadd s * f v
      pfmerge d a b
      pfcount a b
      msetnx a 1 b 2
      expire k 10
      lpos k e
      watch a b
      restore k 0 payload
      dump k
      debug object k
      GET k
      Lmpop 1 a LEFT
      xinfo stream s
      xgroup create s g $
      pubsub channels
      hset h f v
      """;

  private static List<String> words(String line) {
    List<String> r = new ArrayList<>();
    Matcher m = Pattern.compile("'([^']*)'|(\\S+)").matcher(line);
    while (m.find()) r.add(m.group(1) != null ? m.group(1) : m.group(2));
    return r;
  }

  @Test
  void getkeysAndFlagsOverACorpus() {
    int compared = 0;
    for (int proto : new int[] {2, 3}) {
      for (String line : GETKEYS_CORPUS.strip().split("\n")) {
        List<String> call = words(line.strip());
        if (missing(call.get(0).toLowerCase(Locale.ROOT))) continue;
        for (String sub : new String[] {"GETKEYS", "GETKEYSANDFLAGS"}) {
          List<String> cmd = new ArrayList<>(List.of("COMMAND", sub));
          cmd.addAll(call);
          String[] args = cmd.toArray(new String[0]);
          assertEquals(R[proto].call(args), V[proto].call(args), String.join(" ", cmd) + ", RESP" + proto);
          compared++;
        }
      }
      for (String[] error : new String[][] {{"COMMAND", "GETKEYS"}, {"COMMAND", "GETKEYS", "get"},
          {"COMMAND", "GETKEYSANDFLAGS", "set"}, {"COMMAND", "GETKEYSANDFLAGS"}}) {
        assertEquals(R[proto].call(error), V[proto].call(error), String.join(" ", error));
      }
    }
    assertTrue(compared > 300, "compared " + compared);
  }

  @Test
  void listWithEachFilter() {
    List<List<String>> filters = new ArrayList<>();
    filters.add(List.of());
    for (String cat : new String[] {"keyspace", "read", "write", "set", "sortedset", "list", "hash", "string", "bitmap",
        "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking", "dangerous", "connection",
        "transaction", "scripting", "READ", "nosuch"}) {
      filters.add(List.of("FILTERBY", "ACLCAT", cat));
    }
    for (String pattern : new String[] {"*", "x*", "client|*", "*|*", "[a-c]*", "get", "GET", "*range*"}) {
      filters.add(List.of("FILTERBY", "PATTERN", pattern));
    }
    filters.add(List.of("FILTERBY", "MODULE", "nosuch"));
    for (int proto : new int[] {2, 3}) {
      for (List<String> filter : filters) {
        List<String> cmd = new ArrayList<>(List.of("COMMAND", "LIST"));
        cmd.addAll(filter);
        String[] args = cmd.toArray(new String[0]);
        String expected = R[proto].call(args);
        String actual = V[proto].call(args);
        assertEquals(header(expected).charAt(0), header(actual).charAt(0), String.join(" ", cmd));
        Set<String> vireo = names(actual);
        vireo.removeAll(EXTRA);
        assertEquals(withoutMissing(names(expected)), vireo, String.join(" ", cmd) + ", RESP" + proto);
      }
      for (String[] error : new String[][] {{"COMMAND", "LIST", "FILTERBY"},
          {"COMMAND", "LIST", "FILTERBY", "foo", "x"}, {"COMMAND", "LIST", "foo"},
          {"COMMAND", "LIST", "FILTERBY", "PATTERN"}, {"COMMAND", "LIST", "FILTERBY", "PATTERN", "a", "b"}}) {
        assertEquals(R[proto].call(error), V[proto].call(error), String.join(" ", error));
      }
    }
  }

  @Test
  void countLeavesOutOnlyTheMissingCommands() {
    int expected = Integer.parseInt(R[2].call("COMMAND", "COUNT").substring(1).trim());
    for (String name : MISSING.keySet()) if (name.indexOf('|') < 0) expected--;
    assertEquals(":" + expected + "\r\n", V[2].call("COMMAND", "COUNT"));
    assertEquals(R[3].call("COMMAND", "COUNT", "x"), V[3].call("COMMAND", "COUNT", "x"));
  }

  @Test
  void everyCommandRedisListsExistsOrTheReadmeSaysWhy() throws IOException {
    Set<String> redisNames = names(R[2].call("COMMAND", "LIST"));
    Set<String> vireoNames = names(V[2].call("COMMAND", "LIST"));
    List<String> unexplained = new ArrayList<>();
    for (String name : redisNames) if (!vireoNames.contains(name) && !missing(name)) unexplained.add(name);
    assertEquals(List.of(), unexplained, "Redis commands Vireo lacks, not in MISSING");
    for (String name : MISSING.keySet()) {
      assertTrue(redisNames.contains(name), name + " is not a Redis 7.0 command");
      assertFalse(vireoNames.contains(name), name + " exists now: remove it from MISSING and from README.md");
    }
    for (String name : vireoNames) {
      assertTrue(redisNames.contains(name) || EXTRA.contains(name), name + " is not in Redis 7.0: add it to EXTRA");
    }
    String readme = Files.readString(Path.of("README.md"));
    int from = readme.indexOf("### Commands Redis has that Vireo lacks");
    assertTrue(from >= 0, "README.md section missing");
    int to = readme.indexOf("\n#", from + 4);
    String section = readme.substring(from, to < 0 ? readme.length() : to);
    for (String name : MISSING.keySet()) {
      String shown = "`" + name.toUpperCase(Locale.ROOT).replace('|', ' ') + "`";
      assertTrue(section.contains(shown), shown + " not in README.md's list of missing commands");
    }
  }
}
