package dev.vireo.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.Replicas;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import dev.vireo.testkit.Transcripts;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Client-side caching (CLIENT TRACKING, CACHING, TRACKINGINFO, GETREDIR) against a real redis-server 7.0: the same
 * scenario runs on both, over several connections, and every frame each connection receives (replies, RESP3
 * invalidation pushes, RESP2 {@code __redis__:invalidate} messages of a redirect) must be the same bytes, in the same
 * order. After each step every connection is read up to a PING marker, so what arrived where is part of the
 * transcript. Client ids differ between the servers: they are written as {@code <id:name>}.
 */
class ClientTrackingDifferentialIT {
  private static RedisServerProcess redis;
  private static TestNode node;

  @BeforeAll
  static void start() {
    // the replica scenario's full syncs start at once
    redis = RedisServerProcess.start("--enable-debug-command", "yes", "--repl-diskless-sync-delay", "0");
    node = TestNode.start("--repl-diskless-sync-delay", "0");
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
    if (redis != null) redis.close();
  }

  /** A few named connections to one server and what each of them received, step by step. */
  private static final class Session implements AutoCloseable {
    final int port;
    final Map<String, RespClient> conns = new LinkedHashMap<>();
    final Map<String, Long> ids = new LinkedHashMap<>();
    final List<String> transcript = new ArrayList<>();
    private int markers;

    Session(int port, String... names) {
      this.port = port;
      for (String n : names) open(n);
      conns.get(names[0]).call("FLUSHALL");
      conns.get(names[0]).call("CONFIG", "SET", "tracking-table-max-keys", "0");
    }

    void open(String name) {
      RespClient c = new RespClient(port).readTimeout(Duration.ofSeconds(5));
      conns.put(name, c);
      ids.put(name, Long.parseLong(c.call("CLIENT", "ID").substring(1).trim()));
    }

    /** Closes a connection (its id stays known for the transcript) and waits until the server let it go. */
    void kill(String name) {
      conns.remove(name).close();
      long id = ids.get(name);
      RespClient any = conns.values().iterator().next();
      Poll.until(Poll.WAIT, "client " + name + " to go",
          () -> !any.call("CLIENT", "LIST", "ID", Long.toString(id)).contains("id=" + id + " "));
    }

    /** Sends the commands as one pipeline on {@code name}, then reads every connection up to a marker. */
    void step(String name, String[]... commands) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      List<String> shown = new ArrayList<>();
      for (String[] cmd : commands) {
        String[] args = new String[cmd.length];
        for (int i = 0; i < cmd.length; i++) args[i] = substitute(cmd[i]);
        out.writeBytes(RespClient.encodeCommand(args));
        shown.add(String.join(" ", cmd));
      }
      transcript.add(name + "> " + String.join(" | ", shown));
      RespClient c = conns.get(name);
      c.sendRaw(out.toByteArray());
      // the replies first, so that the marker is read after the turn the commands ran in (BCAST goes out then)
      StringBuilder got = new StringBuilder();
      for (int replies = 0; replies < commands.length; ) {
        String r = c.readReply();
        got.append(r);
        if (!r.startsWith(">") && !r.startsWith("*3\r\n$7\r\nmessage\r\n")) replies++;
      }
      String reply = normalise(got.toString());
      String last = String.join(" ", commands[commands.length - 1]).toLowerCase();
      if (last.equals("client getredir") || last.equals("client id")) reply = normaliseWhole(reply);
      transcript.add(name + ": " + reply + readToMarker(c));
      for (String other : conns.keySet()) {
        if (other.equals(name)) continue;
        String seen = readToMarker(conns.get(other));
        if (!seen.isEmpty()) transcript.add(other + ": " + seen);
      }
    }

    void step(String name, String... command) {
      step(name, new String[][] {command});
    }

    /** Reads {@code name} until something arrived (an expiry's invalidation), then records it. */
    void awaitFrames(String name) {
      StringBuilder got = new StringBuilder();
      Poll.until(Poll.WAIT, name + " to receive something", () -> {
        got.append(readToMarker(conns.get(name)));
        return got.length() > 0;
      });
      transcript.add(name + ": " + got);
    }

    /** The tracking figures of INFO. */
    void info(String name) {
      String clients = conns.get(name).call("INFO", "clients");
      String stats = conns.get(name).call("INFO", "stats");
      transcript.add("info: tracking_clients=" + InfoFields.get(clients, "tracking_clients") + " keys="
          + InfoFields.get(stats, "tracking_total_keys") + " items=" + InfoFields.get(stats, "tracking_total_items")
          + " prefixes=" + InfoFields.get(stats, "tracking_total_prefixes"));
    }

    /** CLIENT LIST's flags and redir of one connection, seen from {@code from}. */
    void clientList(String from, String of) {
      String line = conns.get(from).call("CLIENT", "LIST", "ID", Long.toString(ids.get(of)));
      transcript.add("list " + of + ": " + field(line, "flags") + " redir=" + normaliseWhole(field(line, "redir")));
    }

    private static String field(String line, String name) {
      int i = line.indexOf(" " + name + "=");
      int end = line.indexOf(' ', i + 1);
      return line.substring(i + name.length() + 2, end);
    }

    private String readToMarker(RespClient c) {
      String marker = "marker-" + (++markers);
      c.sendRaw(RespClient.encodeCommand("PING", marker));
      StringBuilder sb = new StringBuilder();
      while (true) {
        String r = c.readReply();
        // a marker's reply: a bulk string, or a pong array while subscribed in RESP2
        if (r.endsWith("$" + marker.length() + "\r\n" + marker + "\r\n")) return normalise(sb.toString());
        sb.append(r);
      }
    }

    private String substitute(String arg) {
      if (arg.startsWith("<id:") && arg.endsWith(">")) {
        return Long.toString(ids.get(arg.substring(4, arg.length() - 1)));
      }
      return arg;
    }

    /** Client ids where replies carry them (HELLO, TRACKINGINFO, tracking-redir-broken) become names. */
    private String normalise(String s) {
      for (Map.Entry<String, Long> e : ids.entrySet()) {
        for (String before : new String[] {"id\r\n:", "redirect\r\n:", "redir-broken\r\n:"}) {
          s = s.replace(before + e.getValue() + "\r\n", before + "<id:" + e.getKey() + ">\r\n");
        }
      }
      return s;
    }

    /** A reply that is an id (CLIENT GETREDIR, CLIENT ID), or CLIENT LIST's redir field. */
    private String normaliseWhole(String s) {
      for (Map.Entry<String, Long> e : ids.entrySet()) {
        if (s.equals(":" + e.getValue() + "\r\n")) return ":<id:" + e.getKey() + ">\r\n";
        if (s.equals(Long.toString(e.getValue()))) return "<id:" + e.getKey() + ">";
      }
      return s;
    }

    @Override
    public void close() {
      for (RespClient c : conns.values()) c.close();
    }
  }

  private static String[] c(String... args) {
    return args;
  }

  /** Runs the scenario on both servers and requires the same transcripts. */
  private static List<String> same(String[] names, Consumer<Session> scenario) {
    List<String> expected;
    List<String> actual;
    try (Session s = new Session(redis.port(), names)) {
      scenario.accept(s);
      expected = s.transcript;
    }
    try (Session s = new Session(node.port(), names)) {
      scenario.accept(s);
      actual = s.transcript;
    }
    Transcripts.assertSame(expected, actual);
    return expected;
  }

  @Test
  void optionsErrorsAndIntrospection() {
    List<String> t = same(new String[] {"w", "a", "b"}, s -> {
      s.step("a", "CLIENT", "TRACKING", "on", "prefix", "x");
      s.step("a", "CLIENT", "TRACKING", "on", "optin", "optout");
      s.step("a", "CLIENT", "TRACKING", "on", "bcast", "optin");
      s.step("a", "CLIENT", "TRACKING", "on", "redirect", "999999");
      s.step("a", "CLIENT", "TRACKING", "on", "redirect", "abc");
      s.step("a", "CLIENT", "TRACKING", "on", "redirect", "<id:b>", "redirect", "<id:b>");
      s.step("a", "CLIENT", "TRACKING", "on", "redirect");
      s.step("a", "CLIENT", "TRACKING", "on", "bcast", "prefix", "a", "prefix", "ab");
      s.step("a", "CLIENT", "TRACKING", "maybe");
      s.step("a", "CLIENT", "TRACKING", "on", "foo");
      s.step("a", "CLIENT", "TRACKING");
      s.step("a", "CLIENT", "CACHING", "yes");
      s.step("a", "CLIENT", "TRACKINGINFO");
      s.step("a", "CLIENT", "GETREDIR");
      s.step("a", "CLIENT", "TRACKING", "off", "prefix", "p");
      s.step("a", "CLIENT", "TRACKING", "on");
      s.step("a", "CLIENT", "TRACKINGINFO");
      s.step("a", "CLIENT", "GETREDIR");
      s.clientList("w", "a");
      s.step("a", "CLIENT", "CACHING", "yes");
      s.step("a", "CLIENT", "CACHING", "maybe");
      s.step("a", "CLIENT", "TRACKING", "on", "bcast");
      s.step("a", "CLIENT", "TRACKING", "on", "optin");
      s.step("a", "CLIENT", "TRACKING", "off");
      s.step("a", "CLIENT", "TRACKING", "on", "optin", "noloop", "redirect", "<id:b>");
      s.step("a", "CLIENT", "CACHING", "no");
      s.step("a", "CLIENT", "CACHING", "yes");
      s.step("a", "CLIENT", "TRACKINGINFO");
      s.step("a", "CLIENT", "GETREDIR");
      s.clientList("w", "a");
      s.step("a", "CLIENT", "TRACKING", "on", "optout");
      s.step("a", "CLIENT", "TRACKING", "off");
      s.step("a", "CLIENT", "TRACKING", "on", "bcast", "prefix", "a", "prefix", "b");
      s.step("a", "CLIENT", "TRACKING", "on", "bcast", "prefix", "ab");
      s.step("a", "CLIENT", "TRACKING", "on", "bcast", "prefix", "c");
      s.step("a", "CLIENT", "TRACKINGINFO");
      s.clientList("w", "a");
      s.info("w");
      s.step("b", "HELLO", "3");
      s.step("b", "CLIENT", "TRACKING", "on", "optout", "noloop");
      s.step("b", "CLIENT", "CACHING", "no");
      s.step("b", "CLIENT", "TRACKINGINFO");
      s.info("w");
      s.step("a", "RESET");
      s.step("a", "CLIENT", "TRACKINGINFO");
      s.info("w");
    });
    assertTrue(t.contains("a: -ERR PREFIX option requires BCAST mode to be enabled\r\n"), t.toString());
  }

  @Test
  void resp3InvalidationsFollowReplies() {
    List<String> t = same(new String[] {"w", "a"}, s -> {
      s.step("a", "HELLO", "3");
      s.step("a", "CLIENT", "TRACKING", "on");
      s.step("a", "GET", "k");
      s.step("a", "SET", "k", "1"); // its own write: the reply, then the invalidation
      s.step("a", "GET", "k");
      s.step("w", "SET", "k", "2");
      s.step("w", "SET", "k", "3"); // no longer tracked: nothing
      s.step("a", c("GET", "k"), c("MGET", "k", "k2"), c("GET", "k"));
      s.step("a", c("MULTI"), c("GET", "k"), c("SET", "k", "3"), c("GET", "k2"), c("EXEC"));
      s.step("a", c("GET", "n"), c("RPUSH", "l", "a"), c("LRANGE", "l", "0", "-1"), c("HGETALL", "h"));
      s.step("w", c("INCR", "n"), c("RPUSH", "l", "b"), c("HSET", "h", "f", "v"), c("DEL", "missing"));
      s.step("a", c("GET", "x"), c("STRLEN", "y"), c("EXISTS", "z"));
      s.info("w");
      s.step("w", "MSET", "x", "1", "y", "2", "z", "3");
      s.step("a", "EVAL", "return redis.call('get', KEYS[1])", "1", "s1");
      s.step("a", "EVAL", "return redis.call('get', 's2')", "0");
      s.step("w", "MSET", "s1", "1", "s2", "2");
      s.step("a", c("GET", "e"), c("GET", "f"));
      s.step("w", "PEXPIRE", "e", "100000");
      s.step("w", "SET", "e", "1");
      s.step("a", "GET", "e");
      s.step("w", "PEXPIRE", "e", "100000");
      s.step("a", "GET", "f");
      s.step("w", "FLUSHALL");
      s.step("a", "GET", "f");
      s.step("a", "FLUSHDB");
      s.info("w");
      s.clientList("w", "a");
    });
    assertTrue(t.contains("a: +OK\r\n>2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n"), t.toString());
  }

  /** The keys a read-only command names are tracked as Redis finds them (numkeys, STREAMS, several keys...). */
  @Test
  void readOnlyCommandsTrackTheirKeys() {
    same(new String[] {"w", "a"}, s -> {
      s.step("w", c("SET", "s1", "abc"), c("SET", "s2", "abd"), c("RPUSH", "l1", "1"), c("SADD", "set1", "a"),
          c("SADD", "set2", "b"), c("ZADD", "z1", "1", "a"), c("ZADD", "z2", "2", "b"), c("HSET", "h1", "f", "v"),
          c("XADD", "x1", "1-1", "f", "v"), c("XADD", "x2", "1-1", "f", "v"), c("GEOADD", "g1", "13.4", "52.5", "m"),
          c("SET", "b1", "x"), c("PFADD", "p1", "a"), c("SET", "e1", "1"), c("SET", "t1", "1"));
      s.step("a", "HELLO", "3");
      s.step("a", "CLIENT", "TRACKING", "on");
      // the keys come from the command table's key specs, as COMMAND GETKEYS finds them
      s.step("a", c("STRLEN", "s1"), c("LCS", "s1", "s2"), c("LRANGE", "l1", "0", "-1"),
          c("SINTER", "set1", "set2"), c("ZRANGE", "z1", "0", "-1"), c("ZSCORE", "z2", "a"), c("HSTRLEN", "h1", "f"),
          c("XRANGE", "x1", "-", "+"), c("XLEN", "x2"), c("GEORADIUS_RO", "g1", "13.4", "52.5", "1", "km"),
          c("BITFIELD_RO", "b1", "GET", "u8", "0"), c("EXISTS", "e1", "nokey"), c("TYPE", "t1"),
          c("SORT_RO", "l1"), c("EVAL_RO", "return redis.call('get', KEYS[1])", "1", "s1"),
          c("PUBSUB", "CHANNELS"), c("KEYS", "nothing*"), c("SINTERCARD", "2", "set1", "set2"),
          c("ZUNION", "2", "z1", "z2"), c("XREAD", "STREAMS", "x1", "x2", "0", "0"));
      s.step("w", "DEL", "s1", "s2", "l1", "set1", "set2", "z1", "z2", "h1", "x1", "x2", "g1", "b1", "p1", "e1",
          "t1");
      s.info("w");
    });
  }

  @Test
  void noloopOptinAndOptout() {
    same(new String[] {"w", "a"}, s -> {
      s.step("a", "HELLO", "3");
      s.step("a", "CLIENT", "TRACKING", "on", "noloop");
      s.step("a", "MGET", "n1", "n2", "n3");
      s.step("a", c("SET", "n1", "1"), c("INCR", "n3"));
      s.step("w", c("SET", "n1", "x"), c("SET", "n2", "y"));
      s.step("a", "GET", "n3");
      s.step("a", "EVAL", "redis.call('get', KEYS[1]); return redis.call('incr', KEYS[1])", "1", "n3");
      s.step("a", "CLIENT", "TRACKING", "off");
      s.step("a", "CLIENT", "TRACKING", "on", "optin");
      s.step("a", c("CLIENT", "CACHING", "yes"), c("CLIENT", "GETNAME"), c("GET", "o1"), c("GET", "o2"));
      s.step("w", "MSET", "o1", "1", "o2", "2");
      s.step("a", c("CLIENT", "CACHING", "yes"), c("MULTI"), c("GET", "m1"), c("GET", "m2"), c("EXEC"),
          c("GET", "m3"));
      s.step("w", "MSET", "m1", "1", "m2", "2", "m3", "3");
      s.step("a", c("MULTI"), c("CLIENT", "CACHING", "yes"), c("GET", "q1"), c("EXEC"), c("GET", "q2"));
      s.step("w", "MSET", "q1", "1", "q2", "2");
      s.step("a", c("CLIENT", "CACHING", "yes"), c("PING"), c("GET", "p1"));
      s.step("a", c("CLIENT", "CACHING", "yes"), c("NOSUCH"), c("GET", "p2"));
      s.step("a", c("CLIENT", "CACHING", "yes"), c("GET", "p3"));
      s.step("a", c("CLIENT", "CACHING", "yes"), c("EVAL", "return redis.call('get', KEYS[1])", "1", "e1"),
          c("EVAL", "return redis.call('get', KEYS[1])", "1", "e2"));
      s.step("w", "MSET", "p1", "1", "p2", "2", "p3", "3", "e1", "1", "e2", "2");
      s.step("a", "CLIENT", "TRACKING", "off");
      s.step("a", "CLIENT", "TRACKING", "on", "optout");
      s.step("a", c("CLIENT", "CACHING", "no"), c("GET", "x1"), c("GET", "x2"));
      s.step("w", "MSET", "x1", "1", "x2", "2");
      s.info("w");
    });
  }

  @Test
  void resp2RedirectAndBrokenRedirect() {
    List<String> t = same(new String[] {"w", "a", "r", "r2", "r3"}, s -> {
      s.step("r", "SUBSCRIBE", "__redis__:invalidate");
      s.step("a", "CLIENT", "TRACKING", "on", "redirect", "<id:r>");
      s.step("a", "GET", "k");
      s.step("w", "SET", "k", "1");
      s.step("a", "GET", "k");
      s.step("w", "FLUSHALL");
      s.step("a", c("GET", "k"), c("SET", "k", "v"));
      s.step("a", "CLIENT", "TRACKING", "on", "redirect", "<id:r2>"); // RESP2, not subscribed: nothing to send
      s.step("a", "GET", "k");
      s.step("w", "SET", "k", "1");
      s.step("r3", "HELLO", "3");
      s.step("a", "CLIENT", "TRACKING", "on", "redirect", "<id:r3>"); // RESP3: a push
      s.step("a", "GET", "k");
      s.step("w", "SET", "k", "2");
      s.step("a", "CLIENT", "TRACKING", "off");
      s.step("a", "CLIENT", "TRACKING", "on", "bcast", "prefix", "b:", "redirect", "<id:r>");
      s.step("w", c("MSET", "b:2", "1", "b:1", "2", "c:1", "3"), c("SET", "b:2", "x"));
      s.step("w", "FLUSHDB");
      s.step("a", "HELLO", "3");
      s.step("a", "CLIENT", "TRACKING", "off");
      s.step("a", "CLIENT", "TRACKING", "on", "redirect", "<id:r>");
      s.step("a", "GET", "k");
      s.kill("r");
      s.clientList("w", "a");
      s.step("w", "SET", "k", "2");
      s.clientList("w", "a");
      s.step("a", "CLIENT", "TRACKINGINFO");
      s.step("a", "GET", "k");
      s.step("w", "SET", "k", "3");
      s.step("a", "HELLO", "2");
      s.step("a", "CLIENT", "TRACKING", "on", "redirect", "<id:r2>");
      s.kill("r2");
      s.step("a", "GET", "k");
      s.step("w", "SET", "k", "4");
      s.step("a", "CLIENT", "TRACKINGINFO");
      s.info("w");
    });
    assertTrue(t.contains("r: *3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n$-1\r\n"), t.toString());
    assertTrue(t.contains("a: >2\r\n$21\r\ntracking-redir-broken\r\n:<id:r>\r\n"), t.toString());
  }

  @Test
  void broadcastPrefixesAreBatchedPerTurn() {
    same(new String[] {"w", "a", "b"}, s -> {
      s.step("a", "HELLO", "3");
      s.step("b", "HELLO", "3");
      s.step("a", "CLIENT", "TRACKING", "on", "bcast", "prefix", "b:", "prefix", "c:", "noloop");
      s.step("b", "CLIENT", "TRACKING", "on", "bcast");
      s.step("a", c("SET", "b:1", "x"), c("SET", "b:2", "x"), c("SET", "c:1", "y"));
      // a script's writes are the script client's: NOLOOP does not leave them out (Redis 7.0)
      s.step("a", "EVAL", "return redis.call('set', KEYS[1], 'x')", "1", "b:5");
      s.step("w", c("SET", "b:3", "x"), c("SET", "b:1", "x"), c("SET", "c:1", "y"), c("SET", "b:1", "z"),
          c("SET", "d", "1"));
      s.step("a", "PING");
      s.step("b", "PING");
      s.step("b", c("SET", "a", "x"), c("SET", "b:9", "x"));
      s.step("a", "PING");
      s.step("b", "PING");
      s.step("w", c("RPUSH", "c:l", "1"), c("RPUSH", "c:l", "2"), c("DEL", "nothing"));
      s.step("a", "PING");
      s.info("w");
      s.step("w", "FLUSHDB");
      s.step("a", "CLIENT", "TRACKING", "off");
      s.info("w");
    });
  }

  @Test
  void expiryInvalidates() {
    same(new String[] {"w", "a"}, s -> {
      s.step("a", "HELLO", "3");
      s.step("a", "CLIENT", "TRACKING", "on");
      s.step("w", "DEBUG", "SET-ACTIVE-EXPIRE", "0");
      s.step("w", c("SET", "lazy", "1", "PX", "150"), c("SET", "own", "1", "PX", "150"));
      s.step("a", c("GET", "lazy"), c("GET", "own"));
      Poll.sleep(200);
      s.step("w", "GET", "lazy"); // lazy expiry on another client's read
      s.step("a", "GET", "own"); // on its own read: the reply, then the invalidation; the key is tracked again
      s.step("w", "SET", "own", "2");
      s.step("w", "DEBUG", "SET-ACTIVE-EXPIRE", "1");
      s.step("w", "SET", "active", "1", "PX", "100");
      s.step("a", "GET", "active");
      s.awaitFrames("a"); // the active cycle deletes it
      s.info("w");
    });
  }

  /** Which keys leave the table is random in Redis: the number of invalidations and of keys left are compared. */
  @Test
  void trackingTableMaxKeys() {
    List<String> seen = new ArrayList<>();
    for (int port : new int[] {redis.port(), node.port()}) {
      try (Session s = new Session(port, "w", "a")) {
        s.step("a", "HELLO", "3");
        s.step("a", "CLIENT", "TRACKING", "on");
        s.step("w", "CONFIG", "SET", "tracking-table-max-keys", "2");
        s.step("a", "MGET", "a", "b", "c", "d", "e");
        s.step("a", "GET", "f");
        s.step("w", "CONFIG", "SET", "tracking-table-max-keys", "0");
        s.step("a", "MGET", "g", "h", "i");
        s.step("w", "CONFIG", "SET", "tracking-table-max-keys", "2"); // applies at once
        s.info("w");
        s.step("w", "CONFIG", "SET", "tracking-table-max-keys", "0");
        String all = String.join("\n", s.transcript);
        String info = s.transcript.stream().filter(l -> l.startsWith("info:")).findFirst().orElse("(no info)");
        seen.add("invalidations=" + (all.split(">2\r\n\\$10\r\ninvalidate", -1).length - 1) + " " + info);
      }
    }
    assertEquals(seen.get(0), seen.get(1));
    assertTrue(seen.get(0).contains("keys=2 items=2"), seen.get(0));
  }

  /**
   * An evicted key is invalidated like a written one. Which keys go is random in Redis: on each server the keys
   * invalidated must be exactly the tracked keys that are gone.
   */
  @Test
  void evictionInvalidates() {
    for (int port : new int[] {redis.port(), node.port()}) {
      try (Session s = new Session(port, "w", "a")) {
        RespClient w = s.conns.get("w");
        String value = "x".repeat(1000);
        String[] mget = new String[31];
        mget[0] = "MGET";
        for (int i = 0; i < 30; i++) {
          w.call("SET", "k" + i, value);
          mget[i + 1] = "k" + i;
        }
        s.step("a", "HELLO", "3");
        s.step("a", "CLIENT", "TRACKING", "on");
        s.step("a", mget);
        long used = Long.parseLong(InfoFields.get(w.call("INFO", "memory"), "used_memory"));
        w.call("CONFIG", "SET", "maxmemory-policy", "allkeys-random");
        w.call("CONFIG", "SET", "maxmemory", Long.toString(used - 10_000));
        s.step("w", "SET", "trigger", "1");
        w.call("CONFIG", "SET", "maxmemory", "0");
        w.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
        List<String> gone = new ArrayList<>();
        for (int i = 0; i < 30; i++) if (w.call("EXISTS", "k" + i).equals(":0\r\n")) gone.add("k" + i);
        List<String> invalidated = new ArrayList<>();
        for (String line : s.transcript) {
          if (!line.startsWith("a: ")) continue;
          for (String push : line.split(">2\r\n\\$10\r\ninvalidate\r\n\\*1\r\n")) {
            if (push.startsWith("$")) invalidated.add(push.split("\r\n")[1]);
          }
        }
        assertTrue(!gone.isEmpty(), "port " + port + ": nothing was evicted");
        assertEquals(gone.stream().sorted().toList(), invalidated.stream().sorted().toList(), "port " + port);
      }
    }
  }

  /** A replica's clients hear of the keys its master changes (and flushes), as on Redis. */
  @Test
  void replicaInvalidatesWhatItsMasterWrites() {
    List<List<String>> seen = new ArrayList<>();
    try (RedisServerProcess redisReplica = RedisServerProcess.start();
        TestNode ourReplica = TestNode.start()) {
      int[][] pairs = {{redis.port(), redisReplica.port()}, {node.port(), ourReplica.port()}};
      for (int[] pair : pairs) {
        try (RespClient master = new RespClient(pair[0]); Session s = new Session(pair[1], "w", "a")) {
          master.call("FLUSHALL");
          s.conns.get("w").call("REPLICAOF", "127.0.0.1", Integer.toString(pair[0]));
          Replicas.awaitLinkUp(s.conns.get("w"));
          s.step("a", "HELLO", "3");
          s.step("a", "CLIENT", "TRACKING", "on");
          s.step("a", c("GET", "k"), c("HGET", "h", "f"), c("LLEN", "l"));
          master.call("SET", "k", "1");
          master.call("HSET", "h", "f", "v");
          master.call("RPUSH", "l", "x");
          master.call("SET", "k", "2", "PX", "60000");
          Replicas.awaitApplied(master, s.conns.get("w"));
          s.step("a", "PING");
          s.step("a", "GET", "k");
          master.call("FLUSHALL");
          Replicas.awaitApplied(master, s.conns.get("w"));
          s.step("a", "PING");
          s.step("w", "REPLICAOF", "NO", "ONE");
          seen.add(s.transcript);
        }
      }
    }
    Transcripts.assertSame(seen.get(0), seen.get(1));
    assertTrue(String.join("", seen.get(0)).contains("invalidate\r\n*1\r\n$1\r\nh\r\n"), seen.get(0).toString());
  }
}
