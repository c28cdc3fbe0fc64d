package dev.vireo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.CliReplica;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.Replicas;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import dev.vireo.testkit.Transcripts;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CLIENT PAUSE and CLIENT UNPAUSE, the same steps on a real redis-server 7.0 and on Vireo: each step's reply, and
 * whether the server held the command, must be the same. A command is held when no reply comes and the server
 * counts one more client in {@code blocked_clients}. Covers what WRITE holds (writes, scripts that may write, FCALL,
 * PUBLISH, PFCOUNT, EXPIRE, EXEC of a write) and lets run (reads, scripts declared {@code no-writes}), ALL, held
 * clients resuming in order on UNPAUSE and on the timeout, keys whose TTL passed during a pause (read as missing,
 * neither deleted nor propagated), the error replies, CLIENT LIST and INFO of held clients; and, Vireo on both
 * ends, a paused replica holding its master's writes.
 */
class ClientPauseIT {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String HELD = Transcripts.HELD;

  private static RedisServerProcess redis;
  private static TestNode vireo;

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

  /** One server under test and the transcript of a scenario on it. */
  private static final class Side implements AutoCloseable {
    final String name;
    final int port;
    final RespClient admin;
    final List<RespClient> clients = new ArrayList<>();
    final List<String> transcript = new ArrayList<>();

    Side(String name, int port) {
      this.name = name;
      this.port = port;
      this.admin = new RespClient(port);
      admin.call("CLIENT", "UNPAUSE");
      admin.call("FLUSHALL");
      admin.call("FUNCTION", "FLUSH");
    }

    RespClient client(String clientName) {
      RespClient c = new RespClient(port);
      clients.add(c);
      c.call("CLIENT", "SETNAME", clientName);
      return c;
    }

    void record(String label, String value) {
      transcript.add(label + " -> " + value);
    }

    /** Runs a command on the admin connection and records its reply. */
    String call(String... cmd) {
      String r = admin.call(cmd);
      record(String.join(" ", cmd), r);
      return r;
    }

    int blocked() {
      return Transcripts.blockedClients(admin);
    }

    /** Sends a command on {@code c}: records its reply, or {@value Transcripts#HELD} once the server holds it. */
    String send(RespClient c, String... cmd) {
      String r = Transcripts.replyOrHeld(admin, c, WAIT, cmd);
      record(String.join(" ", cmd), r);
      return r;
    }

    /** Reads the reply a held client gets once it goes on. */
    void read(RespClient c, String label) {
      record("reply to " + label, c.readReply());
    }

    /** The fields of the line of CLIENT LIST of the client named {@code clientName}. */
    void clientListFields(String clientName, String... fields) {
      record("CLIENT LIST " + clientName, Transcripts.clientListFields(admin, clientName, fields));
    }

    @Override
    public void close() {
      admin.call("CLIENT", "UNPAUSE");
      clients.forEach(RespClient::close);
      admin.close();
    }
  }

  /** Runs {@code scenario} on Redis, then on Vireo, and compares the transcripts. */
  private static void differential(BiConsumer<Side, List<String>> scenario) {
    List<List<String>> seen = new ArrayList<>();
    for (String kind : new String[] {"redis", "vireo"}) {
      try (Side s = new Side(kind, kind.equals("redis") ? redis.port() : vireo.port())) {
        scenario.accept(s, s.transcript);
        seen.add(s.transcript);
      }
    }
    Transcripts.assertSame(seen.get(0), seen.get(1));
  }

  @Test
  void writePauseHoldsWhatMayWriteOrReplicateAndLetsReadsRun() {
    differential((s, t) -> {
      s.call("SET", "k", "v");
      s.call("PFADD", "hll", "a");
      s.call("FUNCTION", "LOAD", "#!lua name=lib\n"
          + "redis.register_function('w', function(keys, args) return redis.call('set', keys[1], 'f') end)\n"
          + "redis.register_function{function_name='r', callback=function() return 'ro' end, flags={'no-writes'}}");
      String sha = s.admin.call("SCRIPT", "LOAD", "#!lua flags=no-writes\nreturn 2").split("\r\n")[1];
      s.call("CLIENT", "PAUSE", "100000", "WRITE");
      String[][] commands = {
        {"GET", "k"}, {"PING"}, {"EXISTS", "k"}, {"EVAL", "#!lua flags=no-writes\nreturn 1", "0"},
        {"EVALSHA", sha, "0"}, {"EVAL_RO", "return redis.call('get', KEYS[1])", "1", "k"}, {"FCALL", "r", "0"},
        {"FCALL_RO", "r", "0"}, {"DBSIZE"}, {"TYPE", "k"}, {"ECHO", "x"},
        {"SET", "k", "w1"}, {"EVAL", "return redis.call('set', KEYS[1], 'e')", "1", "k"}, {"EVAL", "return 1", "0"},
        {"EVAL", "#!lua\nreturn 1", "0"}, {"FCALL", "w", "1", "k"}, {"PUBLISH", "ch", "m"}, {"PFCOUNT", "hll"},
        {"EXPIRE", "k", "100"}, {"DEL", "nokey"}, {"INCR", "n"}, {"SCRIPT", "LOAD", "return 3"},
        {"SORT_RO", "l"}, {"SORT", "l"}, {"XREAD", "STREAMS", "s", "0"}, {"XREADGROUP", "GROUP", "g", "c", "STREAMS",
          "s", ">"}, {"BLPOP", "nolist", "0.05"}, {"GETEX", "k"}, {"GETDEL", "nokey"}, {"TOUCH", "k"},
        {"OBJECT", "ENCODING", "k"}, {"FUNCTION", "DELETE", "nolib"}, {"SCRIPT", "FLUSH"}, {"SUBSCRIBE", "ch"},
        {"WAIT", "0", "0"}, {"FLUSHDB"},
      };
      List<RespClient> held = new ArrayList<>();
      List<String> labels = new ArrayList<>();
      for (int i = 0; i < commands.length; i++) {
        RespClient c = s.client("c" + i);
        String r = s.send(c, commands[i]);
        if (r.equals(HELD)) {
          held.add(c);
          labels.add(String.join(" ", commands[i]));
        }
      }
      s.record("blocked_clients", Integer.toString(s.blocked()));
      s.clientListFields("c11", "flags", "cmd");
      s.clientListFields("c0", "flags", "cmd");
      s.call("CLIENT", "UNPAUSE");
      for (int i = 0; i < held.size(); i++) s.read(held.get(i), labels.get(i));
      s.record("blocked_clients", Integer.toString(s.blocked()));
    });
  }

  @Test
  void heldClientsGoOnInTheOrderTheyWereHeld() {
    differential((s, t) -> {
      s.call("CLIENT", "PAUSE", "100000", "WRITE");
      RespClient[] c = {s.client("a"), s.client("b"), s.client("c")};
      s.send(c[1], "RPUSH", "l", "b");
      s.send(c[0], "RPUSH", "l", "a");
      s.send(c[2], "RPUSH", "l", "c");
      s.call("CLIENT", "UNPAUSE");
      for (RespClient x : new RespClient[] {c[1], c[0], c[2]}) s.read(x, "RPUSH");
      s.call("LRANGE", "l", "0", "-1");
      // the end of the timeout lets them go on too, and a shorter pause does not shorten a longer one
      s.call("CLIENT", "PAUSE", "300", "WRITE");
      s.call("CLIENT", "PAUSE", "10", "WRITE");
      s.send(c[2], "RPUSH", "l", "z");
      s.send(c[0], "RPUSH", "l", "y");
      s.read(c[2], "RPUSH after the timeout");
      s.read(c[0], "RPUSH after the timeout");
      s.call("LRANGE", "l", "0", "-1");
    });
  }

  @Test
  void allPauseHoldsEveryCommandOfNormalClientsUntilItEnds() {
    differential((s, t) -> {
      s.call("SET", "k", "v");
      RespClient a = s.client("a");
      RespClient b = s.client("b");
      s.call("CLIENT", "PAUSE", "400", "ALL");
      // under ALL the admin's INFO is held too: held means no reply within a while, then a reply after the end
      a.sendRaw(RespClient.encodeCommand("GET", "k"));
      b.sendRaw(RespClient.encodeCommand("PING"));
      a.readTimeout(Duration.ofMillis(150));
      try {
        s.record("GET during ALL", a.readReply());
      } catch (UncheckedIOException e) {
        s.record("GET during ALL", HELD);
      }
      a.readTimeout(RespClient.DEFAULT_READ_TIMEOUT);
      s.read(a, "GET");
      s.read(b, "PING");
      s.call("GET", "k");
    });
  }

  @Test
  void transactions() {
    differential((s, t) -> {
      RespClient w = s.client("w");
      RespClient r = s.client("r");
      s.send(w, "MULTI");
      s.send(w, "SET", "foo", "bar");
      s.send(r, "MULTI");
      s.send(r, "GET", "foo");
      s.call("CLIENT", "PAUSE", "100000", "WRITE");
      s.send(r, "PING");
      s.send(r, "EXEC");
      s.send(w, "EXEC");
      s.record("blocked_clients", Integer.toString(s.blocked()));
      s.clientListFields("w", "flags", "cmd", "multi");
      s.call("CLIENT", "UNPAUSE");
      s.read(w, "EXEC");
      // a write inside MULTI while paused
      s.send(w, "MULTI");
      s.call("CLIENT", "PAUSE", "100000", "WRITE");
      s.send(w, "INCR", "n");
      s.call("CLIENT", "UNPAUSE");
      s.read(w, "INCR");
      s.send(w, "EXEC");
      // a pause given inside a transaction starts after it
      s.send(w, "MULTI");
      s.send(w, "SET", "foo1", "bar");
      s.send(w, "CLIENT", "PAUSE", "100000", "WRITE");
      s.send(w, "SET", "foo2", "bar");
      s.send(w, "EXEC");
      s.send(r, "SET", "foo3", "bar");
      s.call("MGET", "foo1", "foo2", "foo3");
      s.call("CLIENT", "UNPAUSE");
      s.read(r, "SET foo3");
      // scripts declared no-writes in a transaction run; one that may write holds EXEC
      s.call("CLIENT", "PAUSE", "100000", "WRITE");
      s.send(r, "MULTI");
      s.send(r, "EVAL", "#!lua flags=no-writes\nreturn 12", "0");
      s.send(r, "EXEC");
      s.send(r, "MULTI");
      s.send(r, "EVAL", "#!lua\nreturn 13", "0");
      s.call("CLIENT", "UNPAUSE");
      s.read(r, "EVAL");
      s.send(r, "EXEC");
      s.send(w, "MULTI");
      s.send(w, "EVAL", "#!lua\nreturn 14", "0");
      s.call("CLIENT", "PAUSE", "100000", "WRITE");
      s.send(w, "EXEC");
      s.call("CLIENT", "UNPAUSE");
      s.read(w, "EXEC");
    });
  }

  @Test
  void errors() {
    differential((s, t) -> {
      s.call("CLIENT", "PAUSE");
      s.call("CLIENT", "PAUSE", "abc");
      s.call("CLIENT", "PAUSE", "-1");
      s.call("CLIENT", "PAUSE", "10", "foo");
      s.call("CLIENT", "PAUSE", "10", "write", "extra");
      s.call("CLIENT", "PAUSE", "1.5");
      s.call("CLIENT", "PAUSE", "99999999999999999999");
      s.call("CLIENT", "UNPAUSE", "x");
      s.call("CLIENT", "UNPAUSE");
      s.call("CLIENT", "PAUSE", "100000", "WRITE");
      // a command refused for its arguments is answered at once
      s.send(s.client("e"), "SET", "k");
      s.send(s.client("u"), "NOSUCHCOMMAND");
      s.call("CLIENT", "UNPAUSE");
    });
  }

  @Test
  void keysWhoseTtlPassesDuringAPauseReadAsMissingButAreNeitherDeletedNorPropagated() {
    differential((s, t) -> {
      s.call("CONFIG", "SET", "repl-ping-replica-period", "3600");
      s.call("CONFIG", "SET", "repl-diskless-sync-delay", "0");
      try (CliReplica stream = CliReplica.attach(s.port)) {
        Poll.until(WAIT, "the cli replica online", () -> "1".equals(InfoFields.get(s.admin.call("INFO",
            "replication"), "connected_slaves")) && InfoFields.get(s.admin.call("INFO", "replication"), "slave0")
            .contains("state=online"));
        s.call("SET", "k", "v", "PX", "100");
        s.call("SET", "keep", "v");
        String expired = InfoFields.get(s.admin.call("INFO", "stats"), "expired_keys");
        s.call("CLIENT", "PAUSE", "100000", "WRITE");
        String offset = InfoFields.get(s.admin.call("INFO", "replication"), "master_repl_offset");
        Poll.until(WAIT, "k to read as missing", () -> s.admin.call("GET", "k").equals("$-1\r\n"));
        s.call("GET", "k");
        s.call("EXISTS", "k");
        s.call("TTL", "k");
        s.call("KEYS", "*");
        s.call("DBSIZE");
        s.record("keys in INFO keyspace", InfoFields.get(s.admin.call("INFO", "keyspace"), "db0")
            .replaceAll(",avg_ttl=\\d+", ""));
        s.record("expired_keys unchanged",
            Boolean.toString(expired.equals(InfoFields.get(s.admin.call("INFO", "stats"), "expired_keys"))));
        s.record("master_repl_offset unchanged", Boolean.toString(
            offset.equals(InfoFields.get(s.admin.call("INFO", "replication"), "master_repl_offset"))));
        s.call("CLIENT", "UNPAUSE");
        s.call("GET", "k");
        s.call("DBSIZE");
        stream.awaitLine("\"DEL\"");
        s.record("stream", stream.seen().stream().filter(l -> l.startsWith("\""))
            .map(l -> l.split(",")[0]).toList().toString());
      }
    });
  }

  @Test
  void nothingIsEvictedWhilePaused() {
    differential((s, t) -> {
      s.call("CONFIG", "SET", "maxmemory-policy", "allkeys-random");
      s.call("DEBUG", "POPULATE", "100");
      s.call("CLIENT", "PAUSE", "100000", "WRITE");
      try {
        s.call("CONFIG", "SET", "maxmemory", "1");
        s.call("GET", "key:1");
        s.call("DBSIZE");
        s.record("evicted_keys", InfoFields.get(s.admin.call("INFO", "stats"), "evicted_keys"));
        s.call("CLIENT", "UNPAUSE");
        s.call("GET", "nokey");
        Poll.until(WAIT, "every key evicted", () -> s.admin.call("DBSIZE").equals(":0\r\n"));
        s.record("evicted_keys", InfoFields.get(s.admin.call("INFO", "stats"), "evicted_keys"));
      } finally {
        s.call("CONFIG", "SET", "maxmemory", "0");
        s.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
        s.call("CONFIG", "RESETSTAT");
      }
    });
  }

  @Test
  void clientUnblockDoesNotLetAHeldClientGo() {
    // redis-server 7.0.15 crashes on this, so Vireo's behaviour is checked alone: the held client stays held
    try (Side s = new Side("vireo", vireo.port())) {
      RespClient c = s.client("h");
      String id = c.call("CLIENT", "ID").substring(1).trim();
      s.call("CLIENT", "PAUSE", "100000", "WRITE");
      assertEquals(HELD, s.send(c, "BLPOP", "list", "0"));
      assertEquals(":0\r\n", s.admin.call("CLIENT", "UNBLOCK", id, "TIMEOUT"));
      assertEquals(":0\r\n", s.admin.call("CLIENT", "UNBLOCK", id, "ERROR"));
      assertEquals(1, s.blocked());
      s.call("CLIENT", "UNPAUSE");
      Poll.until(WAIT, "BLPOP blocking on its key", () -> s.admin.call("CLIENT", "UNBLOCK", id, "TIMEOUT")
          .equals(":1\r\n"));
      assertEquals("*-1\r\n", c.readReply());
      // RANDOMKEY with only a key whose TTL passed during the pause answers it (without looping), then none
      s.call("SET", "key", "value", "PX", "30");
      s.call("CLIENT", "PAUSE", "100000", "WRITE");
      Poll.until(WAIT, "key to read as missing", () -> s.admin.call("EXISTS", "key").equals(":0\r\n"));
      assertEquals("$3\r\nkey\r\n", s.admin.call("RANDOMKEY"));
      s.call("CLIENT", "UNPAUSE");
      assertEquals("$-1\r\n", s.admin.call("RANDOMKEY"));
    }
  }

  @Test
  void aPausedReplicaHoldsItsMastersWritesUntilUnpaused() {
    try (TestNode master = TestNode.start("--repl-ping-replica-period", "3600", "--repl-diskless-sync-delay", "0");
        TestNode replica = TestNode.start("--replicaof", "127.0.0.1 " + master.port())) {
      RespClient m = master.client();
      RespClient r = replica.client();
      Replicas.awaitLinkUp(r);
      m.call("SET", "foo", "bar");
      Poll.equal(WAIT, "the replica's offset", offset(m, "master_repl_offset"), () -> offset(r, "slave_repl_offset"));
      long before = offset(r, "slave_repl_offset");
      assertEquals("+OK\r\n", r.call("CLIENT", "PAUSE", "100000", "WRITE"));
      m.call("SET", "foo2", "bar2");
      long target = offset(m, "master_repl_offset");
      Poll.equal(WAIT, "the replica reading the write", target, () -> offset(r, "slave_read_repl_offset"));
      assertEquals(before, offset(r, "slave_repl_offset"));
      assertEquals("$-1\r\n", r.call("GET", "foo2"));
      assertEquals("+OK\r\n", r.call("CLIENT", "UNPAUSE"));
      Poll.equal(WAIT, "the replica's offset after UNPAUSE", target, () -> offset(r, "slave_repl_offset"));
      assertEquals("$4\r\nbar2\r\n", r.call("GET", "foo2"));
      assertTrue(InfoFields.get(r.call("INFO", "replication"), "master_link_status").equals("up"));
    }
  }

  private static long offset(RespClient c, String field) {
    return Long.parseLong(InfoFields.get(c.call("INFO", "replication"), field));
  }
}
