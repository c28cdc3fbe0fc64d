package dev.vireo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * WATCH and MULTI/EXEC semantics compared byte for byte with a real redis-server 7.0: which writes touch a watched
 * key (movable-key pops, store commands' destinations and not their sources, LTRIM, PFCOUNT, stream group commands),
 * keys already expired when watched, FLUSHALL/FLUSHDB/SWAPDB, a blocked client served by SWAPDB, queue-time
 * rejections (-OOM included) and RESTORE's FREQ and IDLETIME. Each scenario runs the same script on both servers.
 */
@Timeout(60)
class TransactionSemanticsDifferentialIT {
  static RedisServerProcess redis;
  static TestNode vireo;

  @BeforeAll
  static void start() {
    redis = RedisServerProcess.start("--enable-debug-command", "yes");
    vireo = TestNode.start();
  }

  @AfterAll
  static void stop() {
    if (redis != null) redis.close();
    if (vireo != null) vireo.close();
  }

  /** Runs {@code scenario} on a flushed Redis and a flushed Vireo; their replies must be the same bytes. */
  private static void same(Function<Supplier<RespClient>, List<String>> scenario) {
    List<String> expected = runOn(redis::client, scenario);
    List<String> actual = runOn(vireo::client, scenario);
    assertEquals(expected, actual);
  }

  private static List<String> runOn(Supplier<RespClient> connect, Function<Supplier<RespClient>, List<String>> s) {
    try (RespClient admin = connect.get()) {
      admin.call("FLUSHALL");
      admin.call("CONFIG", "SET", "maxmemory", "0");
      admin.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
      admin.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
      try {
        List<RespClient> opened = new ArrayList<>();
        try {
          return s.apply(() -> {
            RespClient c = connect.get();
            opened.add(c);
            return c;
          });
        } finally {
          opened.forEach(RespClient::close);
        }
      } finally {
        admin.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
      }
    }
  }

  /** MULTI, PING, EXEC: the EXEC reply says whether a watched key was touched. */
  private static String exec(RespClient a) {
    a.call("MULTI");
    a.call("PING");
    return a.call("EXEC");
  }

  /**
   * For each case: {@code b} runs the setup, {@code a} watches the keys, {@code b} runs the command; the command's
   * reply and the EXEC's.
   */
  private static List<String> touches(Supplier<RespClient> connect, String[][][] cases) {
    List<String> r = new ArrayList<>();
    RespClient a = connect.get();
    RespClient b = connect.get();
    for (String[][] c : cases) {
      b.call("FLUSHALL");
      for (int i = 0; i < c.length - 2; i++) b.call(c[i]);
      a.call(prepend("WATCH", c[c.length - 2]));
      String[] command = c[c.length - 1];
      r.add(String.join(" ", command) + " -> " + b.call(command));
      r.add(exec(a));
    }
    return r;
  }

  private static String[] prepend(String first, String[] rest) {
    String[] out = new String[rest.length + 1];
    out[0] = first;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }

  private static String[] c(String... args) {
    return args;
  }

  /** setup commands..., the watched keys, the command. */
  private static String[][] t(String[]... steps) {
    return steps;
  }

  @Test
  void movableKeyPopsTouchThePoppedKeyOnly() {
    same(s -> touches(s, new String[][][] {
        t(c("RPUSH", "l", "a", "b", "c"), c("l"), c("LMPOP", "1", "l", "LEFT")),
        t(c("RPUSH", "l", "a", "b"), c("l"), c("LMPOP", "2", "missing", "l", "RIGHT", "COUNT", "1")),
        t(c("RPUSH", "l", "a", "b"), c("missing"), c("LMPOP", "2", "missing", "l", "RIGHT")),
        t(c("RPUSH", "l1", "a", "b"), c("RPUSH", "l2", "a", "b"), c("l2"), c("LMPOP", "2", "l1", "l2", "LEFT")),
        t(c("RPUSH", "l", "a", "b"), c("l"), c("BLMPOP", "0", "1", "l", "LEFT")),
        t(c("ZADD", "z", "1", "a", "2", "b"), c("z"), c("ZMPOP", "1", "z", "MIN")),
        t(c("ZADD", "z", "1", "a", "2", "b"), c("z"), c("BZMPOP", "0", "1", "z", "MAX")),
        t(c("ZADD", "z", "1", "a", "2", "b"), c("other"), c("ZMPOP", "2", "other", "z", "MAX")),
        t(c("SADD", "s", "a"), c("s"), c("SINTERCARD", "1", "s")),
        t(c("SET", "k", "1"), c("SET", "k2", "1"), c("k2"), c("EVAL", "redis.call('incr', KEYS[1])", "2", "k", "k2")),
        t(c("SET", "k", "1"), c("k"), c("EVAL", "redis.call('incr', KEYS[1])", "1", "k")),
        t(c("SET", "k", "1"), c("k"), c("EVAL", "return redis.call('get', KEYS[1])", "1", "k")),
    }));
  }

  @Test
  void storeCommandsTouchTheirDestinationNotTheirSources() {
    same(s -> touches(s, new String[][][] {
        t(c("ZADD", "z", "1", "a"), c("ZADD", "d", "5", "x"), c("d"), c("ZUNIONSTORE", "d", "1", "z")),
        t(c("ZADD", "z", "1", "a"), c("z"), c("ZUNIONSTORE", "d", "1", "z")),
        t(c("ZADD", "z", "1", "a"), c("ZADD", "d", "5", "x"), c("d"), c("ZINTERSTORE", "d", "1", "z")),
        t(c("ZADD", "d", "5", "x"), c("d"), c("ZDIFFSTORE", "d", "1", "missing")),
        t(c("d"), c("ZINTERSTORE", "d", "1", "missing")),
        t(c("ZADD", "z", "1", "a"), c("z"), c("ZRANGESTORE", "d", "z", "0", "-1")),
        t(c("RPUSH", "l", "3", "1", "2"), c("RPUSH", "d", "x"), c("d"), c("SORT", "l", "STORE", "d")),
        t(c("RPUSH", "l", "3", "1"), c("l"), c("SORT", "l", "STORE", "d")),
        t(c("d"), c("SORT", "missing", "STORE", "d")),
        t(c("GEOADD", "g", "13.361389", "38.115556", "p"), c("ZADD", "d", "1", "x"), c("d"),
            c("GEOSEARCHSTORE", "d", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km")),
        t(c("GEOADD", "g", "13.361389", "38.115556", "p"), c("g"),
            c("GEOSEARCHSTORE", "d", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km")),
        t(c("GEOADD", "g", "13.361389", "38.115556", "p"), c("g"), c("GEORADIUS", "g", "15", "37", "200", "km",
            "STORE", "d")),
        t(c("SET", "s1", "ab"), c("SET", "d", "x"), c("d"), c("BITOP", "AND", "d", "s1")),
        t(c("SET", "s1", "ab"), c("s1"), c("BITOP", "OR", "d", "s1")),
        t(c("SADD", "s", "a"), c("s"), c("SINTERSTORE", "d", "s")),
        t(c("SADD", "s", "a"), c("s"), c("SUNIONSTORE", "d", "s")),
        t(c("SADD", "d", "x"), c("d"), c("SDIFFSTORE", "d", "missing")),
        t(c("PFADD", "h", "a"), c("h"), c("PFMERGE", "d", "h")),
        t(c("SET", "s", "1"), c("s"), c("COPY", "s", "d")),
        t(c("SET", "a", "1"), c("b"), c("DEL", "a", "b")),
        t(c("SET", "a", "1"), c("b"), c("UNLINK", "a", "b")),
        t(c("SADD", "s", "a"), c("SADD", "d", "a"), c("d"), c("SMOVE", "s", "d", "a")),
        t(c("SADD", "s", "a"), c("SADD", "d", "a"), c("s"), c("SMOVE", "s", "d", "a")),
    }));
  }

  @Test
  void inPlaceChangesThatTouchOrNot() {
    same(s -> touches(s, new String[][][] {
        t(c("RPUSH", "l", "a"), c("l"), c("LTRIM", "l", "0", "-1")),
        t(c("PFADD", "h", "a"), c("h"), c("PFCOUNT", "h")),
        t(c("PFADD", "h", "a"), c("PFCOUNT", "h"), c("h"), c("PFCOUNT", "h")),
        t(c("XADD", "x", "1-1", "f", "v"), c("x"), c("XGROUP", "CREATE", "x", "g", "0")),
        t(c("x"), c("XGROUP", "CREATE", "x", "g", "0", "MKSTREAM")),
        t(c("XADD", "x", "1-1", "f", "v"), c("XGROUP", "CREATE", "x", "g", "0"), c("x"),
            c("XGROUP", "CREATECONSUMER", "x", "g", "c")),
        t(c("XADD", "x", "1-1", "f", "v"), c("XGROUP", "CREATE", "x", "g", "0"), c("x"),
            c("XGROUP", "SETID", "x", "g", "$")),
        t(c("XADD", "x", "1-1", "f", "v"), c("XGROUP", "CREATE", "x", "g", "0"), c("x"),
            c("XGROUP", "DESTROY", "x", "g")),
        t(c("XADD", "x", "1-1", "f", "v"), c("x"), c("XSETID", "x", "5-5")),
        t(c("XADD", "x", "1-1", "f", "v"), c("XGROUP", "CREATE", "x", "g", "0"),
            c("XREADGROUP", "GROUP", "g", "c", "STREAMS", "x", ">"), c("x"), c("XACK", "x", "g", "1-1")),
        t(c("XADD", "x", "1-1", "f", "v"), c("XGROUP", "CREATE", "x", "g", "0"),
            c("XREADGROUP", "GROUP", "g", "c", "STREAMS", "x", ">"), c("x"), c("XCLAIM", "x", "g", "c2", "0", "1-1")),
        t(c("XADD", "x", "1-1", "f", "v"), c("XDEL", "x", "1-1"), c("x"), c("XADD", "x", "2-1", "f", "v")),
    }));
  }

  /**
   * A blocked client served by another's push changes the keys it moves to or pops from, outside a command of its
   * own: a watcher of those keys fails its EXEC.
   */
  @Test
  void blockedClientsServedTouchTheKeysTheyChange() {
    same(s -> {
      RespClient a = s.get();
      RespClient b = s.get();
      RespClient blocked = s.get();
      List<String> r = new ArrayList<>();
      String[][] waits = {{"BLMOVE", "s", "d", "LEFT", "LEFT", "0"}, {"BRPOPLPUSH", "s", "d", "0"},
          {"BLMPOP", "0", "1", "s", "LEFT"}, {"BZMPOP", "0", "1", "z", "MIN"}};
      for (String[] wait : waits) {
        b.call("FLUSHALL");
        b.call("RPUSH", "d", "x");
        // d: only the served client writes it (the pops' sources are written by the push as well)
        a.call("WATCH", "d");
        blocked.sendRaw(RespClient.encodeCommand(wait));
        Poll.until(Poll.WAIT, "the client to block", () -> b.call("INFO", "clients").contains("blocked_clients:1"));
        r.add(wait[0].startsWith("BZ") ? b.call("ZADD", "z", "1", "a", "2", "b") : b.call("RPUSH", "s", "y", "z"));
        r.add(blocked.readReply());
        r.add(exec(a));
      }
      return r;
    });
  }

  /** CLIENT INFO's {@code d} flag: a touched watch, before MULTI too; gone after UNWATCH and after EXEC. */
  @Test
  void clientFlagsShowATouchedWatch() {
    same(s -> {
      RespClient a = s.get();
      RespClient b = s.get();
      List<String> r = new ArrayList<>();
      a.call("WATCH", "k");
      r.add(flags(a));
      b.call("SET", "k", "1");
      r.add(flags(a));
      a.call("UNWATCH");
      r.add(flags(a));
      a.call("WATCH", "k");
      a.call("MULTI");
      b.call("SET", "k", "2");
      r.add(flags(b.call("CLIENT", "LIST", "ID", clientId(a))));
      r.add(a.call("EXEC"));
      r.add(flags(a));
      return r;
    });
  }

  private static String flags(RespClient c) {
    return flags(c.call("CLIENT", "INFO"));
  }

  private static String flags(String info) {
    int at = info.indexOf(" flags=") + 7;
    return info.substring(at, info.indexOf(' ', at));
  }

  private static String clientId(RespClient c) {
    String id = c.call("CLIENT", "ID");
    return id.substring(1, id.length() - 2);
  }

  /** SET k 1 PX 1, and wait until its TTL has passed (the key stays stored: active expiry is off). */
  private static void stale(RespClient b, String key) {
    b.call("SET", key, "1", "PX", "1");
    Poll.sleep(5);
  }

  @Test
  void keysAlreadyExpiredWhenWatched() {
    same(s -> {
      RespClient a = s.get();
      RespClient b = s.get();
      List<String> r = new ArrayList<>();
      String[][] after = {{"GET", "k"}, {"DEL", "k"}, {"EXISTS", "k"}, {"SET", "k", "2"}, {"FLUSHALL"},
          {"FLUSHDB"}, {"SWAPDB", "0", "1"}};
      for (String[] command : after) {
        b.call("FLUSHALL");
        stale(b, "k");
        r.add(a.call("WATCH", "k"));
        r.add(String.join(" ", command) + " -> " + b.call(command));
        r.add(exec(a));
      }
      // deleted on lookup, then created again
      b.call("FLUSHALL");
      stale(b, "k");
      a.call("WATCH", "k");
      r.add(b.call("GET", "k"));
      r.add(b.call("SET", "k", "2"));
      r.add(exec(a));
      // deleted by the active expiry cycle
      b.call("FLUSHALL");
      stale(b, "k");
      a.call("WATCH", "k");
      b.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
      Poll.until(Duration.ofSeconds(5), "the active cycle to delete the key", () -> b.call("DBSIZE").equals(":0\r\n"));
      b.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
      r.add(exec(a));
      // a key that expires after WATCH fails EXEC, whether or not it was deleted meanwhile
      b.call("FLUSHALL");
      b.call("SET", "k", "1", "PX", "20");
      a.call("WATCH", "k");
      Poll.until(Duration.ofSeconds(5), "the TTL to pass", () -> b.call("PTTL", "k").equals(":-2\r\n"));
      r.add(exec(a));
      return r;
    });
  }

  @Test
  void flushAndSwapdbTouchOnlyKeysThatExist() {
    same(s -> {
      RespClient a = s.get();
      RespClient b = s.get();
      List<String> r = new ArrayList<>();
      // a missing watched key: FLUSHALL, FLUSHALL ASYNC, FLUSHDB do not touch it
      for (String[] flush : new String[][] {{"FLUSHALL"}, {"FLUSHALL", "ASYNC"}, {"FLUSHDB"}}) {
        b.call("SET", "other", "1");
        a.call("WATCH", "k");
        r.add(b.call(flush));
        r.add(exec(a));
      }
      // an existing one: FLUSHDB of another database does not touch it, FLUSHDB of its own does
      b.call("SET", "k", "1");
      a.call("WATCH", "k");
      b.call("SELECT", "1");
      r.add(b.call("FLUSHDB"));
      r.add(exec(a));
      a.call("WATCH", "k");
      b.call("SELECT", "0");
      r.add(b.call("FLUSHDB"));
      r.add(exec(a));
      // SWAPDB: in this database, in the other, in neither, expired on either side or both
      String[][][] swaps = {
          {{"SET", "k", "1"}},
          {{"SELECT", "1"}, {"SET", "k", "1"}, {"SELECT", "0"}},
          {{"SET", "other", "1"}},
          {{"STALE"}},
          {{"SELECT", "1"}, {"STALE"}, {"SELECT", "0"}},
          {{"STALE"}, {"SELECT", "1"}, {"STALE"}, {"SELECT", "0"}},
          {{"STALE"}, {"SELECT", "1"}, {"SET", "k", "1"}, {"SELECT", "0"}},
          {{"SELECT", "2"}, {"SET", "k", "1"}, {"SELECT", "0"}},
      };
      for (String[][] setup : swaps) {
        b.call("FLUSHALL");
        for (String[] step : setup) {
          if (step[0].equals("STALE")) stale(b, "k");
          else b.call(step);
        }
        a.call("WATCH", "k");
        r.add(b.call("SWAPDB", "0", "1"));
        r.add(exec(a));
      }
      // an expired key brought in by SWAPDB, then deleted on lookup
      b.call("FLUSHALL");
      b.call("SELECT", "1");
      stale(b, "k");
      a.call("WATCH", "k");
      r.add(b.call("SWAPDB", "0", "1"));
      b.call("SELECT", "0");
      r.add(b.call("GET", "k"));
      r.add(exec(a));
      return r;
    });
  }

  @Test
  void swapdbServesClientsBlockedOnTheSwappedDatabase() {
    same(s -> {
      RespClient blocked = s.get();
      RespClient mover = s.get();
      RespClient b = s.get();
      List<String> r = new ArrayList<>();
      blocked.call("SELECT", "1");
      mover.call("SELECT", "1");
      blocked.sendRaw(RespClient.encodeCommand("BLPOP", "l", "0"));
      mover.sendRaw(RespClient.encodeCommand("BLMOVE", "m", "d", "LEFT", "LEFT", "0"));
      Poll.until(Poll.WAIT, "two blocked clients", () -> b.call("INFO", "clients").contains("blocked_clients:2"));
      b.call("RPUSH", "l", "x");
      b.call("RPUSH", "m", "y");
      r.add(b.call("SWAPDB", "0", "1"));
      r.add(blocked.readReply());
      r.add(mover.readReply());
      r.add(b.call("LLEN", "d"));
      b.call("SELECT", "1");
      r.add(b.call("LRANGE", "d", "0", "-1"));
      r.add(b.call("EXISTS", "l", "m"));
      return r;
    });
  }

  @Test
  void queueTimeRejectionsAbortTheTransaction() {
    same(s -> {
      RespClient a = s.get();
      RespClient b = s.get();
      List<String> r = new ArrayList<>();
      b.call("SET", "big", "x".repeat(10_000));
      b.call("CONFIG", "SET", "maxmemory", "1");
      r.add(a.call("MULTI"));
      r.add(a.call("SET", "k", "v"));
      r.add(a.call("GET", "k"));
      r.add(a.call("EXEC"));
      b.call("CONFIG", "SET", "maxmemory", "0");
      r.add(b.call("EXISTS", "k"));
      String[][] refused = {{"NOSUCH"}, {"GET"}, {"CONFIG", "NOPE"}, {"WATCH", "k"}};
      for (String[] command : refused) {
        r.add(a.call("MULTI"));
        r.add(a.call(command));
        r.add(a.call("EXEC"));
      }
      // queued, failing only when EXEC runs them: the others still run
      r.add(a.call("MULTI"));
      r.add(a.call("EVALSHA", "0".repeat(40), "0"));
      r.add(a.call("SET", "k", "v"));
      r.add(a.call("EXEC"));
      return r;
    });
  }

  /** On a replica: -READONLY and -MASTERDOWN while queueing abort the transaction too. */
  @Test
  void replicaRejectionsAbortTheTransaction() {
    same(s -> {
      RespClient a = s.get();
      List<String> r = new ArrayList<>();
      try {
        r.add(a.call("REPLICAOF", "127.0.0.1", "1")); // nothing listens there: the link stays down
        r.add(a.call("MULTI"));
        r.add(a.call("SET", "k", "v"));
        r.add(a.call("GET", "k"));
        r.add(a.call("EXEC"));
        a.call("CONFIG", "SET", "replica-serve-stale-data", "no");
        r.add(a.call("MULTI"));
        r.add(a.call("GET", "k"));
        r.add(a.call("EXEC"));
      } finally {
        a.call("CONFIG", "SET", "replica-serve-stale-data", "yes");
        a.call("REPLICAOF", "NO", "ONE");
      }
      return r;
    });
  }

  @Test
  void restoreKeepsFreqAndIdletime() {
    same(s -> {
      RespClient a = s.get();
      List<String> r = new ArrayList<>();
      a.call("SET", "s", "x");
      byte[] dump = a.callBytes(bytes("DUMP"), bytes("s"));
      int header = new String(dump, StandardCharsets.ISO_8859_1).indexOf("\r\n") + 2;
      byte[] payload = Arrays.copyOfRange(dump, header, dump.length - 2);
      a.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
      r.add(restore(a, payload, "k1", "FREQ", "100"));
      r.add(a.call("OBJECT", "FREQ", "k1"));
      r.add(restore(a, payload, "k2", "FREQ", "256"));
      r.add(restore(a, payload, "k3", "IDLETIME", "10"));
      r.add(restore(a, payload, "k4", "FREQ", "5", "IDLETIME", "10"));
      r.add(a.call("OBJECT", "IDLETIME", "k1"));
      a.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
      r.add(restore(a, payload, "k5", "IDLETIME", "1000"));
      r.add(idle(a, "k5", 1000));
      r.add(restore(a, payload, "k6", "FREQ", "7"));
      r.add(a.call("OBJECT", "FREQ", "k6"));
      r.add(restore(a, payload, "k7", "IDLETIME", "-1"));
      r.add(restore(a, payload, "k8", "IDLETIME", "1000", "IDLETIME", "5"));
      r.add(idle(a, "k8", 5));
      return r;
    });
  }

  /** OBJECT IDLETIME, which may have grown by a second since RESTORE set it to {@code expected}. */
  private static String idle(RespClient a, String key, long expected) {
    String reply = a.call("OBJECT", "IDLETIME", key);
    return reply.equals(":" + (expected + 1) + "\r\n") ? ":" + expected + "\r\n" : reply;
  }

  private static String restore(RespClient a, byte[] payload, String key, String... options) {
    byte[][] args = new byte[4 + options.length][];
    args[0] = bytes("RESTORE");
    args[1] = bytes(key);
    args[2] = bytes("0");
    args[3] = payload;
    for (int i = 0; i < options.length; i++) args[4 + i] = bytes(options[i]);
    return new String(a.callBytes(args), StandardCharsets.ISO_8859_1);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
