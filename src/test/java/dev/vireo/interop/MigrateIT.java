package dev.vireo.interop;

import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.CliReplica;
import dev.vireo.testkit.FreePort;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.Transcripts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * MIGRATE between standalone nodes, every pairing of Redis 7.0 and Vireo as source and target. One scenario runs on
 * each pairing: the source's replies, the keys the target ends with (their DUMP payloads, TTLs and database), what
 * the source keeps, and the replication stream the source sends (seen by {@code redis-cli --replica}) must all be
 * those of a Redis source migrating to a Redis target. It covers +NOKEY, a key with a TTL, COPY, REPLACE, KEYS, a
 * target key that exists, AUTH and AUTH2 against a target with a password (wrong, missing, right), another
 * database, a database the target refuses, every option and argument error, a target that cannot be reached, one
 * that accepts and never answers (the timeout), a cached connection the target closed (the single retry), and a
 * WATCHed key that migrates away.
 */
class MigrateIT {
  private static final String PASSWORD = "target-secret";
  // Timeouts of calls expected to reach their target are long: on a loaded machine a 1 s RESTORE reply would turn
  // into Redis's and Vireo's IOERR alike (no retry after a timeout).

  @Test
  void everyPairingMigratesAsRedisToRedis() {
    List<String> expected = scenario("redis", "redis");
    String[][] pairs = {{"vireo", "redis"}, {"redis", "vireo"}, {"vireo", "vireo"}};
    for (String[] p : pairs) {
      List<String> actual = scenario(p[0], p[1]);
      try {
        Transcripts.assertSame(expected, actual);
      } catch (AssertionError e) {
        throw new AssertionError(p[0] + " -> " + p[1] + ": " + e.getMessage(), e);
      }
    }
  }

  private static List<String> scenario(String sourceKind, String targetKind) {
    List<String> t = new ArrayList<>();
    try (AnyServer source = AnyServer.start(sourceKind, "--repl-diskless-sync-delay", "0");
        AnyServer target = AnyServer.start(targetKind, "--requirepass", PASSWORD, "--enable-debug-command",
            "yes");
        RespClient src = source.client();
        RespClient dst = target.client();
        RespClient watcher = source.client();
        CliReplica stream = CliReplica.attach(source.port());
        Silent silent = new Silent()) {
      stream.awaitLine("SYNC done");
      dst.call("AUTH", PASSWORD);
      String host = "127.0.0.1";
      String port = Integer.toString(target.port());
      src.call("SET", "s", "v");
      src.call("SET", "t", "ttl-value", "PX", "100000");
      src.call("RPUSH", "l", "a", "b", "c");
      src.call("HSET", "h", "f", "v", "g", "w");
      src.call("SADD", "st", "m1", "m2", "3");
      src.call("ZADD", "z", "1", "m", "2.5", "n");
      src.call("XADD", "x", "1-1", "f", "v");
      src.call("SET", "q", "kept");

      // replies of the source, with what each leaves on it
      String dead = Integer.toString(FreePort.get());
      String quiet = Integer.toString(silent.port());
      String[][] calls = {
        {"MIGRATE", host, port, "nokey", "0", "5000"},
        {"MIGRATE", host, port, "s", "0", "5000"},
        {"MIGRATE", host, port, "s", "0", "5000", "AUTH", "wrong"},
        {"MIGRATE", host, port, "s", "0", "5000", "AUTH", PASSWORD},
        {"MIGRATE", host, port, "", "3", "5000", "COPY", "AUTH2", "default", PASSWORD, "KEYS", "l", "h", "nokey",
            "st", "z", "x"},
        {"MIGRATE", host, port, "", "3", "5000", "AUTH", PASSWORD, "KEYS", "l", "h"},
        {"MIGRATE", host, port, "", "3", "5000", "REPLACE", "AUTH", PASSWORD, "KEYS", "l", "h", "st", "z", "x"},
        {"MIGRATE", host, port, "t", "5", "5000", "AUTH", PASSWORD},
        {"MIGRATE", host, port, "q", "99", "5000", "AUTH", PASSWORD},
        {"MIGRATE", host, port, "q", "0", "5000", "KEYS", "q"},
        {"MIGRATE", host, port, "q", "0", "5000", "FOO"},
        {"MIGRATE", host, port, "q", "0", "5000", "AUTH"},
        {"MIGRATE", host, port, "q", "0", "5000", "AUTH2", "default"},
        {"MIGRATE", host, port, "q", "0", "soon"},
        {"MIGRATE", host, port, "q", "zero", "5000"},
        {"MIGRATE", host, port, "q", "0"},
        {"MIGRATE", host, port, "", "0", "5000", "KEYS"},
        {"MIGRATE", host, dead, "q", "0", "200"},
        {"MIGRATE", host, "not-a-port", "q", "0", "200"},
        {"MIGRATE", host, quiet, "q", "0", "300"},
      };
      for (String[] c : calls) {
        String shown = String.join(" ", c).replace(port, "PORT").replace(dead, "DEAD").replace(quiet, "SILENT");
        t.add(shown + " -> " + src.call(c));
      }
      t.add("source keys: " + src.call("KEYS", "*"));

      // the cached connection to the target is closed by the target: MIGRATE reconnects once and succeeds
      dst.call("CLIENT", "KILL", "TYPE", "normal");
      t.add("after the target closed the cached link: " + src.call("MIGRATE", host, port, "q", "0", "5000", "AUTH",
          PASSWORD));

      // a watched key that migrates away fails the transaction
      src.call("SET", "w", "watched");
      watcher.call("WATCH", "w");
      watcher.call("MULTI");
      watcher.call("GET", "w");
      t.add("migrate watched: " + src.call("MIGRATE", host, port, "w", "0", "5000", "AUTH", PASSWORD));
      t.add("exec: " + watcher.call("EXEC"));

      // what the target holds, database by database
      for (String db : new String[] {"0", "3", "5"}) {
        dst.call("SELECT", db);
        for (String key : new String[] {"s", "t", "l", "h", "st", "z", "x", "q", "w"}) {
          String type = dst.call("TYPE", key);
          if (type.equals("+none\r\n")) continue;
          long pttl = Long.parseLong(dst.call("PTTL", key).substring(1).trim());
          t.add("target db " + db + " " + key + ": " + type.trim() + " " + dst.call("OBJECT", "ENCODING", key).trim()
              + " " + dst.call("DEBUG", "DIGEST-VALUE", key).trim().replace("\r\n", " ") + " ttl "
              + (pttl < 0 ? pttl : pttl > 90_000 ? "kept" : "lost: " + pttl));
        }
      }

      // the replication stream: DELs of the keys that moved, nothing for COPY, failures or +NOKEY
      src.call("SET", "end", "1");
      stream.awaitLine("\"SET\",\"end\"");
      for (String line : stream.seen()) {
        if (line.startsWith("\"") && !line.startsWith("\"PING\"") && !line.startsWith("\"ping\"")) {
          t.add("stream: " + line.replaceAll("\"PXAT\",\"[0-9]+\"", "\"PXAT\",\"<ms>\""));
        }
      }
    }
    return t;
  }

  /** A server that accepts connections and never answers: MIGRATE's reads time out. */
  private static final class Silent implements AutoCloseable {
    private final ServerSocket server;
    private final Map<Socket, Boolean> accepted = new ConcurrentHashMap<>();

    Silent() {
      try {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Thread t = new Thread(() -> {
        try {
          while (true) accepted.put(server.accept(), true);
        } catch (IOException e) {
          // closed
        }
      }, "silent-target");
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() {
      try {
        server.close();
        for (Socket s : accepted.keySet()) s.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
