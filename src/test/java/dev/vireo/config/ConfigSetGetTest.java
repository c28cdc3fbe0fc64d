package dev.vireo.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSetGetTest {
  @TempDir Path tmp;

  private static List<String[]> pairs(String... kv) {
    List<String[]> out = new ArrayList<>();
    for (int i = 0; i < kv.length; i += 2) out.add(new String[] {kv[i], kv[i + 1]});
    return out;
  }

  private static List<String> names(List<Map.Entry<String, String>> entries) {
    return entries.stream().map(Map.Entry::getKey).collect(Collectors.toList());
  }

  @Test
  void setAndGet() {
    ServerConfig c = ServerConfig.defaults();
    assertNull(c.set(pairs("maxmemory", "10mb", "maxmemory-policy", "ALLKEYS-LFU", "appendonly", "Yes")));
    assertEquals("10485760", c.get("maxmemory"));
    assertEquals("allkeys-lfu", c.get("maxmemory-policy"));
    assertTrue(c.getBool("appendonly"));
    assertTrue(c.isExplicit("maxmemory"));
    assertNull(c.set(pairs("SLAVE-READ-ONLY", "no")));
    assertFalse(c.getBool("replica-read-only"));
  }

  @Test
  void setErrorsHaveRedisText() {
    ServerConfig c = ServerConfig.defaults();
    assertEquals("Unknown option or number of arguments for CONFIG SET - 'foo'", c.set(pairs("foo", "1")));
    assertEquals("CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config",
        c.set(pairs("daemonize", "yes")));
    assertEquals("CONFIG SET failed (possibly related to argument 'maxclients') - argument couldn't be parsed into an integer",
        c.set(pairs("maxclients", "lots")));
    assertEquals("CONFIG SET failed (possibly related to argument 'maxclients') - argument must be between 1 and 4294967295 inclusive",
        c.set(pairs("maxclients", "0")));
    assertEquals("CONFIG SET failed (possibly related to argument 'hz') - argument must be between 1 and 500 inclusive",
        c.set(pairs("hz", "501")));
    assertEquals("CONFIG SET failed (possibly related to argument 'appendonly') - argument must be 'yes' or 'no'",
        c.set(pairs("appendonly", "true")));
    assertEquals("CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value",
        c.set(pairs("maxmemory", "lots")));
    assertEquals("CONFIG SET failed (possibly related to argument 'repl-diskless-load') - argument(s) must be one of the following: disabled, on-empty-db, swapdb",
        c.set(pairs("repl-diskless-load", "sometimes")));
    assertEquals("CONFIG SET failed (possibly related to argument 'timeout') - duplicate parameter",
        c.set(pairs("timeout", "1", "timeout", "2")));
    assertEquals("CONFIG SET failed (possibly related to argument 'replica-read-only') - argument must be 'yes' or 'no'",
        c.set(pairs("slave-read-only", "maybe")), "a bad value names the canonical directive");
    assertEquals("CONFIG SET failed (possibly related to argument 'SlaveOf') - can't set immutable config",
        c.set(pairs("SlaveOf", "h 1")), "a refused name is quoted as given");
    assertEquals("Unknown option or number of arguments for CONFIG SET - 'bar'", c.set(pairs("port", "1", "bar", "2")),
        "unknown names are reported before anything else");
    assertEquals(6379, c.getInt("port"));
    assertEquals(10000, c.getInt("maxclients"));
  }

  @Test
  void setIsAtomic() {
    ServerConfig c = ServerConfig.defaults();
    List<String> fired = new ArrayList<>();
    c.onChange("timeout", v -> fired.add("timeout=" + v));
    assertEquals("CONFIG SET failed (possibly related to argument 'maxclients') - argument couldn't be parsed into an integer",
        c.set(pairs("timeout", "30", "maxclients", "x")));
    assertEquals(0, c.getInt("timeout"), "the first pair was not applied");
    assertFalse(c.isExplicit("timeout"));
    assertEquals(List.of(), fired);
    assertNull(c.set(pairs("timeout", "30", "maxclients", "50")));
    assertEquals(30, c.getInt("timeout"));
    assertEquals(50, c.getInt("maxclients"));
    assertEquals(List.of("timeout=30"), fired);
  }

  @Test
  void listenersFireOnChangeOnly() {
    ServerConfig c = ServerConfig.defaults();
    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    c.onChange("maxmemory", a::add);
    c.onChange("maxmemory", b::add);
    List<String> ro = new ArrayList<>();
    c.onChange("slave-read-only", ro::add);
    assertNull(c.set("maxmemory", "1kb"));
    assertNull(c.set("maxmemory", "1024"));
    assertNull(c.set("replica-read-only", "NO"));
    assertEquals(List.of("1024"), a, "the canonical value, once: the second set changed nothing");
    assertEquals(a, b);
    assertEquals(List.of("no"), ro);
    assertThrows(IllegalArgumentException.class, () -> c.onChange("nope", v -> {}));
  }

  @Test
  void failingListenerDoesNotStopTheOthers() {
    ServerConfig c = ServerConfig.defaults();
    List<String> seen = new ArrayList<>();
    c.onChange("hz", v -> {
      throw new IllegalStateException("boom");
    });
    c.onChange("hz", seen::add);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.set("hz", "42"));
    assertEquals("boom", e.getMessage());
    assertEquals(List.of("42"), seen);
    assertEquals(42, c.getInt("hz"), "the value was committed before listeners ran");
  }

  @Test
  void saveViaConfigSet() {
    ServerConfig c = ServerConfig.defaults();
    assertNull(c.set("save", "100 10 50 5"));
    assertEquals("100 10 50 5", c.get("save"));
    assertNull(c.set("save", "7 7"));
    assertEquals("7 7", c.get("save"), "CONFIG SET replaces, unlike repeated file lines");
    assertNull(c.set("save", ""));
    assertEquals("", c.get("save"));
    assertEquals("CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters", c.set("save", "100"));
  }

  @Test
  void clientOutputBufferLimitViaConfigSet() {
    ServerConfig c = ServerConfig.defaults();
    assertNull(c.set("client-output-buffer-limit", "pubsub 64mb 16mb 90"));
    assertEquals("normal 0 0 0 slave 268435456 67108864 60 pubsub 67108864 16777216 90",
        c.get("client-output-buffer-limit"));
    assertNull(c.set("client-output-buffer-limit", "normal 1 2 3 slave 4 5 6"));
    assertEquals("normal 1 2 3 slave 4 5 6 pubsub 67108864 16777216 90", c.get("client-output-buffer-limit"));
    assertEquals("CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - "
        + "Wrong number of arguments in buffer limit configuration.", c.set("client-output-buffer-limit", "normal 1 2"));
    assertEquals("CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - "
        + "Error in hard, soft or soft_seconds setting in buffer limit configuration.",
        c.set("client-output-buffer-limit", "normal 1 x 3"));
  }

  @Test
  void dirMustExist() throws Exception {
    ServerConfig c = ServerConfig.defaults();
    assertEquals("CONFIG SET failed (possibly related to argument 'dir') - No such file or directory",
        c.set("dir", tmp.resolve("missing").toString()));
    Path file = Files.createFile(tmp.resolve("plain"));
    assertEquals("CONFIG SET failed (possibly related to argument 'dir') - Not a directory", c.set("dir", file.toString()));
    Path sub = Files.createDirectories(tmp.resolve("data/sub"));
    assertNull(c.set("dir", tmp.resolve("data").toString()));
    assertEquals(tmp.resolve("data").toString(), c.get("dir"));
    assertNull(c.set("dir", "sub"), "relative to the current dir");
    assertEquals(sub.toString(), c.get("dir"));
  }

  @Test
  void keyspaceEventsAndPercentiles() {
    ServerConfig c = ServerConfig.defaults();
    assertNull(c.set("notify-keyspace-events", "Kx"));
    assertEquals("xK", c.get("notify-keyspace-events"));
    assertEquals("CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - "
        + "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.", c.set("notify-keyspace-events", "Q"));
    // recorded from redis-server 7.0.15: types (or A), then n, then K, E, m; A hides an n that stays in force
    String[][] shown = {{"KEA", "AKE"}, {"AKEnm", "AKEm"}, {"mnEK", "nKEm"}, {"KEdt", "tdKE"}, {"Eg$", "g$E"},
        {"g$lshzxetdn", "A"}};
    for (String[] v : shown) {
      assertNull(c.set("notify-keyspace-events", v[0]));
      assertEquals(v[1], c.get("notify-keyspace-events"), v[0]);
    }
    assertEquals("An", c.stored("notify-keyspace-events"));
    assertNull(c.set("latency-tracking-info-percentiles", "50.0 99.90 100"));
    assertEquals("50 99.9 100", c.get("latency-tracking-info-percentiles"));
  }

  @Test
  void applyBypassesImmutability() {
    ServerConfig c = ServerConfig.defaults();
    List<String> fired = new ArrayList<>();
    c.onChange("replicaof", fired::add);
    assertNull(c.apply("replicaof", "10.1.1.1", "6380"));
    assertEquals("10.1.1.1 6380", c.get("replicaof"));
    assertNull(c.apply("replicaof", "no", "one"));
    assertEquals("", c.get("replicaof"));
    assertEquals("Invalid master port", c.apply("replicaof", "h", "99999"));
    assertEquals(List.of(), fired);
  }

  // ---- CONFIG GET ----

  @Test
  void matchExactNameAndAlias() {
    ServerConfig c = ServerConfig.defaults();
    assertEquals(List.of(Map.entry("port", "6379")), c.match("port"));
    assertEquals(List.of(Map.entry("port", "6379")), c.match("PORT"));
    assertEquals(List.of(Map.entry("replica-read-only", "yes")), c.match("slave-read-only"));
    assertEquals(List.of(), c.match("nope"));
  }

  @Test
  void matchGlobs() {
    ServerConfig c = ServerConfig.defaults();
    List<String> mm = names(c.match("maxmemory*"));
    assertEquals(Set.of("maxmemory", "maxmemory-policy", "maxmemory-samples", "maxmemory-eviction-tenacity",
        "maxmemory-clients"), new HashSet<>(mm));
    List<String> repl = names(c.match("*repl*"));
    assertTrue(repl.containsAll(List.of("repl-backlog-size", "repl-timeout", "replicaof", "replica-read-only",
        "min-replicas-to-write", "repl-diskless-sync")), repl.toString());
    assertEquals(repl.size(), new HashSet<>(repl).size(), "each directive once");
    assertFalse(repl.contains("port"));
    assertTrue(names(c.match("*slave*")).contains("replica-priority"), "aliases match globs too");
    assertFalse(names(c.match("*slave*")).contains("slave-priority"), "but the canonical name is returned");
    assertFalse(names(c.match("*")).contains("key-load-delay"), "hidden directives need an exact name");
    assertEquals(List.of(Map.entry("key-load-delay", "0")), c.match("key-load-delay"));
    assertEquals(List.of(Map.entry("hz", "10")), c.match("h?"));
    assertEquals(List.of(Map.entry("repl-backlog-size", "1048576")), c.match("repl-backlog-si[a-z]e"));
  }

  @Test
  void matchSeveralPatternsDeduplicates() {
    ServerConfig c = ServerConfig.defaults();
    List<Map.Entry<String, String>> got = c.match(List.of("port", "bind", "p*rt", "databases"));
    assertEquals(List.of("bind", "port", "databases"), names(got));
    assertEquals("16", got.get(2).getValue());
  }

  @Test
  void everyDirectiveRoundTripsThroughSet() {
    ServerConfig c = ServerConfig.defaults();
    for (Map.Entry<String, String> e : c.match("*")) {
      Directive d = DirectiveTable.lookup(e.getKey());
      if (!d.mutable) continue;
      assertNull(c.set(e.getKey(), e.getValue()), e.getKey());
      assertEquals(e.getValue(), c.get(e.getKey()), e.getKey());
    }
  }

  @Test
  void redactedSnapshotHidesSecrets() {
    ServerConfig c = ServerConfig.defaults();
    assertEquals("", c.redactedSnapshot().get("requirepass"));
    assertNull(c.set(pairs("requirepass", "hunter2", "masterauth", "swordfish")));
    Map<String, String> snap = c.redactedSnapshot();
    assertEquals("(redacted)", snap.get("requirepass"));
    assertEquals("(redacted)", snap.get("masterauth"));
    assertFalse(snap.values().stream().anyMatch(v -> v.contains("hunter2") || v.contains("swordfish")));
    assertEquals("6379", snap.get("port"));
    assertEquals("16379", snap.get("http-port"));
    assertTrue(ServerConfig.isSensitive("requirepass"));
    assertFalse(ServerConfig.isSensitive("port"));
  }

  @Test
  void typedGettersRejectWrongUse() {
    ServerConfig c = ServerConfig.defaults();
    assertThrows(IllegalArgumentException.class, () -> c.getInt("no-such"));
    assertThrows(IllegalArgumentException.class, () -> c.getBool("port"));
    assertThrows(NumberFormatException.class, () -> c.getInt("bind"));
  }

  @Test
  void tableIsConsistent() {
    for (Directive d : DirectiveTable.ALL) {
      try {
        String parsed = d.parse(d.multiArg ? DirectiveTable.split(d.defaultValue) : List.of(d.defaultValue),
            d.defaultValue, false);
        assertEquals(d.defaultValue, parsed, d.name + " default is canonical");
      } catch (Directive.BadValue e) {
        throw new AssertionError(d.name + " default rejected: " + e.getMessage());
      }
    }
  }
}
