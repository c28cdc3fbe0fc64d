package dev.vireo.replication.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.CliReplica;
import dev.vireo.testkit.Cli;
import dev.vireo.testkit.Datasets;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real redis-cli speaking the replica protocol to a master: {@code --rdb} saves a file that a real redis-server
 * loads with the master's dataset, and {@code --replica} prints the command stream. Against Vireo and against a real
 * Redis master.
 */
@Timeout(60)
class RedisCliSyncIT {
  @ParameterizedTest(name = "{0} master, repl-diskless-sync {1}")
  @CsvSource({"vireo,no", "vireo,yes", "redis,no", "redis,yes"})
  void rdbFileLoadsIntoRealRedis(String kind, String diskless, @TempDir Path dir) {
    try (Peer master = Peer.start(kind, "--repl-diskless-sync", diskless, "--repl-diskless-sync-delay", "0")) {
      RespClient m = master.client();
      Datasets.fillEveryType(m);
      Path file = dir.resolve("from-cli.rdb");
      Cli.Result res = Cli.run(master.port(), null, Duration.ofSeconds(20), "--rdb", file.toString());
      String out = res.stdout() + res.stderr();
      assertEquals(0, res.exitCode(), out);
      assertTrue(out.contains("Transfer finished with success"), out);
      assertTrue(out.contains(diskless.equals("yes") ? "until EOF marker" : "writing "), out);
      // the master let go of it
      Repl.until("the rdb-only client to leave", () -> "0".equals(Repl.info(m, "replication", "connected_slaves")));
      try (RedisServerProcess loaded = RedisServerProcess.start("--enable-debug-command", "yes",
              "--dir", dir.toString(), "--dbfilename", "from-cli.rdb");
          RespClient l = loaded.client()) {
        assertEquals(m.call("DEBUG", "DIGEST"), l.call("DEBUG", "DIGEST"));
        assertEquals(m.call("DBSIZE"), l.call("DBSIZE"));
      }
    }
  }

  @ParameterizedTest(name = "{0} master")
  @ValueSource(strings = {Peer.VIREO, Peer.REDIS})
  void replicaModePrintsTheStream(String kind) throws Exception {
    try (Peer master = Peer.start(kind, "--repl-diskless-sync", "no")) {
      RespClient m = master.client();
      m.call("SET", "in-the-rdb", "not printed");
      try (CliReplica cli = CliReplica.attach(master.port())) {
        List<String> seen = cli.seen();
        cli.awaitLine("SYNC done");
        Repl.until("the replica to be online",
            () -> String.valueOf(Repl.info(m, "replication", "slave0")).contains("state=online"));
        m.call("SET", "hello", "world");
        RespClient m4 = master.client();
        m4.call("SELECT", "4");
        m4.call("LPUSH", "l", "a", "b c");
        m.call("MULTI");
        m.call("INCR", "n");
        m.call("DEL", "hello");
        m.call("EXEC");
        m.call("SET", "last", "1");
        int from = seen.size();
        cli.awaitLine("\"SET\",\"last\",\"1\"");
        List<String> stream = new ArrayList<>();
        for (String l : seen.subList(from, seen.size())) {
          if (!l.equalsIgnoreCase("\"ping\"")) stream.add(l);
        }
        // an RDB without keys comes diskless whatever repl-diskless-sync says; redis-cli acknowledges it once and
        // prints every command but the stream's first SELECT
        assertTrue(seen.contains("SYNC with master, discarding bytes of bulk transfer until EOF marker..."),
            seen.toString());
        assertEquals(List.of("sending REPLCONF ACK 0", "\"SET\",\"hello\",\"world\"", "\"SELECT\",\"4\"",
            "\"LPUSH\",\"l\",\"a\",\"b c\"", "\"SELECT\",\"0\"", "\"MULTI\"", "\"INCR\",\"n\"", "\"DEL\",\"hello\"",
            "\"EXEC\"", "\"SET\",\"last\",\"1\""), stream, "all lines: " + seen);
        assertTrue(seen.stream().noneMatch(l -> l.contains("in-the-rdb")), seen.toString());
      }
      Repl.until("the replica to be gone", () -> "0".equals(Repl.info(m, "replication", "connected_slaves")));
    }
  }

}
