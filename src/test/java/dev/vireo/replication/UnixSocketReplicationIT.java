package dev.vireo.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.Cli;
import dev.vireo.testkit.ExternalTool;
import dev.vireo.testkit.FreePort;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.Replicas;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TempDirs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A master whose clients write through its {@code unixsocket} while its replicas follow it over TCP: writes before
 * the replica attaches, during its full sync and after it are all on the replica in the end (equal DEBUG DIGEST).
 * Vireo and a real redis-server in both roles.
 */
class UnixSocketReplicationIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static long offset(RespClient c, String field) {
    return Long.parseLong(InfoFields.get(c.call("INFO", "replication"), field));
  }

  /** {@code redis-benchmark -s sock -q} writing random keys of several types; its summary lines. */
  private static String writeThroughSocket(Path sock, int requests) {
    List<String> command = new ArrayList<>(List.of(ExternalTool.require("redis-benchmark").toString(),
        "-s", sock.toString(), "-q", "-n", Integer.toString(requests), "-r", "500", "-P", "8",
        "-t", "set,incr,lpush,sadd,hset,zadd"));
    Cli.Result r = Cli.exec(command, null, WAIT.multipliedBy(2));
    assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    assertTrue(!r.stdout().toLowerCase().contains("err"), r.stdout());
    return r.stdout();
  }

  @ParameterizedTest(name = "{0} master, {1} replica")
  @CsvSource({"vireo, vireo", "vireo, redis", "redis, vireo", "redis, redis"})
  void replicaOverTcpWhileClientsWriteThroughTheSocket(String masterKind, String replicaKind) throws Exception {
    Path dir = Files.createTempDirectory("vireo-us");
    Path sock = dir.resolve("m.sock");
    try (AnyServer master = masterKind.equals("redis")
            ? AnyServer.redis("--unixsocket", sock.toString(), "--enable-debug-command", "yes")
            // a node in this JVM would take --port 0, which with unixsocket means no TCP at all
            : AnyServer.node("--unixsocket", sock.toString(), "--port", Integer.toString(FreePort.get()));
        AnyServer replica = AnyServer.start(replicaKind, "--enable-debug-command", "yes");
        RespClient m = master.client();
        RespClient r = replica.client()) {
      writeThroughSocket(sock, 3000);
      CompletableFuture<String> during = CompletableFuture.supplyAsync(() -> writeThroughSocket(sock, 20000));
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port())));
      Replicas.awaitLinkUp(r);
      during.get(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
      String pipe = "SET after 1\r\nINCR after\r\nRPUSH tail a b c\r\nDEL key:__rand_int__\r\n";
      Cli.Result piped = Cli.onSocket(sock, pipe.getBytes(StandardCharsets.UTF_8), "--pipe");
      assertTrue(piped.stdout().contains("errors: 0, replies: 4"), piped.stdout());

      long target = offset(m, "master_repl_offset");
      Poll.until(WAIT, "the replica at offset " + target, () -> offset(r, "slave_repl_offset") >= target);
      assertEquals(m.call("DEBUG", "DIGEST"), r.call("DEBUG", "DIGEST"));
      assertEquals(m.call("DBSIZE"), r.call("DBSIZE"));
      assertEquals("$1\r\n2\r\n", r.call("GET", "after"));
      String info = m.call("INFO", "replication");
      assertEquals("1", InfoFields.get(info, "connected_slaves"));
      assertTrue(InfoFields.get(info, "slave0").startsWith("ip=127.0.0.1,port=" + replica.port() + ",state=online"),
          info);
    } finally {
      TempDirs.deleteQuietly(dir);
    }
  }
}
