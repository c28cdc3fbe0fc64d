package dev.vireo.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.Replicas;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TempDirs;
import dev.vireo.testkit.TestNode;
import dev.vireo.testkit.VireoJar;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SHUTDOWN waiting for its replicas, as Redis 7.0 does: a Vireo master (in this JVM, and the jar as a process for
 * SIGTERM) with a Vireo replica made to lag by a CLIENT PAUSE WRITE on it. The master pauses writes and waits (the
 * SHUTDOWN client blocked, with Redis's log lines) until the replica acknowledged everything, then exits with the
 * final write on the replica and the SHUTDOWN connection closed without a reply; SHUTDOWN ABORT cancels the wait
 * (the waiting client gets Redis's error); SHUTDOWN NOW does not wait; SIGTERM waits at most shutdown-timeout
 * seconds. The replies, INFO and CLIENT LIST fields and log lines expected were recorded from a redis-server 7.0.15
 * master with a paused replica.
 */
class ShutdownWaitIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration QUICK = Duration.ofMillis(200);

  private static final String[] MASTER_ARGS = {"--repl-diskless-sync-delay", "0", "--repl-ping-replica-period", "3600"};

  /** One replica for every test, made to follow each test's master in turn. */
  private static TestNode replica;

  @BeforeAll
  static void startReplica() {
    replica = TestNode.start();
  }

  @AfterAll
  static void stopReplica() {
    if (replica != null) replica.close();
  }

  /** The jar as a master, started while the replica of the previous test lets go of its own. */
  private static VireoJar master() {
    // no tracing: with no collector listening, exporting the replication spans at exit would take seconds
    VireoJar master = VireoJar.launch(Map.of("OTEL_SDK_DISABLED", "true"), MASTER_ARGS);
    try (RespClient r = replica.client()) {
      r.call("CLIENT", "UNPAUSE");
      r.call("REPLICAOF", "NO", "ONE");
    }
    Poll.until(Duration.ofSeconds(60), "the master answering PING", () -> {
      try (RespClient c = new RespClient(master.port())) {
        return c.call("PING").equals("+PONG\r\n");
      } catch (RuntimeException e) {
        return false;
      }
    }, master::output);
    return master;
  }

  /** A master in this JVM, its log captured. */
  private static final class NodeMaster implements AutoCloseable {
    final TestNode node = TestNode.start(MASTER_ARGS);
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    NodeMaster() {
      try (RespClient r = replica.client()) {
        r.call("CLIENT", "UNPAUSE");
      }
      node.node().server().log.output(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    String output() {
      synchronized (log) {
        return log.toString(StandardCharsets.UTF_8);
      }
    }

    void awaitOutput(String text) {
      Poll.until(WAIT, "the log saying " + text, () -> output().contains(text), this::output);
    }

    void awaitClosed() {
      TestNode.await(node.node().closed(), WAIT, "close the master");
    }

    @Override
    public void close() {
      node.close();
    }
  }

  /** The replica following {@code port}, in sync, then paused for writes: it reads the stream, applies nothing. */
  private static void lagBehind(int port, RespClient m) {
    RespClient r = replica.client();
    r.call("REPLICAOF", "127.0.0.1", Integer.toString(port));
    Replicas.awaitLinkUp(r);
    m.call("SET", "k", "1");
    Poll.until(WAIT, "the replica acknowledging the master's offset", () -> {
      String info = m.call("INFO", "replication");
      return InfoFields.get(info, "slave0").contains(",offset=" + InfoFields.get(info, "master_repl_offset") + ",");
    });
    assertEquals("+OK\r\n", r.call("CLIENT", "PAUSE", "100000", "WRITE"));
    assertEquals(":2\r\n", m.call("INCR", "k"));
  }

  private static int blocked(RespClient c) {
    return Integer.parseInt(InfoFields.get(c.call("INFO", "clients"), "blocked_clients"));
  }

  /** True when no reply comes within {@link #QUICK}. */
  private static boolean noReplyYet(RespClient c) {
    Duration normal = c.readTimeout();
    c.readTimeout(QUICK);
    try {
      c.readReply();
      return false;
    } catch (UncheckedIOException e) {
      return true;
    } finally {
      c.readTimeout(normal);
    }
  }

  @Test
  void waitsForTheLaggingReplicaThenExitsWithTheFinalWriteReplicated() {
    try (NodeMaster master = new NodeMaster(); RespClient m = master.node.client()) {
      lagBehind(master.node.port(), m);
      try (RespClient shut = master.node.client(); RespClient writer = master.node.client()) {
        shut.sendRaw(RespClient.encodeCommand("SHUTDOWN", "NOSAVE"));
        master.awaitOutput("Waiting for replicas before shutting down.");
        assertTrue(noReplyYet(shut), "the SHUTDOWN client waits");
        assertEquals(1, blocked(m));
        long left = Long.parseLong(InfoFields.get(m.call("INFO", "server"), "shutdown_in_milliseconds"));
        assertTrue(left > 0 && left <= 10_000, "shutdown_in_milliseconds:" + left);
        // writes wait with the shutdown, reads go on
        writer.sendRaw(RespClient.encodeCommand("SET", "late", "x"));
        Poll.equal(WAIT, "the write held", 2, () -> blocked(m));
        assertEquals("$1\r\n2\r\n", m.call("GET", "k"));
        String list = m.call("CLIENT", "LIST");
        assertTrue(Pattern.compile("flags=b [^\n]* cmd=shutdown ").matcher(list).find(), list);

        RespClient r = replica.client();
        assertEquals("$1\r\n1\r\n", r.call("GET", "k"));
        assertEquals("+OK\r\n", r.call("CLIENT", "UNPAUSE"));
        master.awaitClosed();
        assertEquals("$1\r\n2\r\n", r.call("GET", "k"));
        assertEquals("$-1\r\n", r.call("GET", "late"));
        assertThrows(UncheckedIOException.class, shut::readReply, "the connection closes without a reply");
        String out = master.output();
        assertTrue(out.contains("User requested shutdown..."), out);
        assertTrue(out.contains("1 of 1 replicas are in sync when shutting down."), out);
        assertFalse(out.contains("Lagging replica"), out);
      }
    }
  }

  @Test
  void abortCancelsTheWaitAndSigtermWaitsAtMostTheTimeout() {
    try (VireoJar master = master(); RespClient m = master.client()) {
      lagBehind(master.port(), m);
      try (RespClient shut = master.client(); RespClient writer = master.client()) {
        assertEquals("-ERR No shutdown in progress.\r\n", m.call("SHUTDOWN", "ABORT"));
        assertEquals("-ERR syntax error\r\n", m.call("SHUTDOWN", "ABORT", "NOSAVE"));
        assertEquals("-ERR syntax error\r\n", m.call("SHUTDOWN", "SAVE", "NOSAVE"));
        shut.sendRaw(RespClient.encodeCommand("SHUTDOWN"));
        master.awaitOutput(Pattern.compile("Waiting for replicas before shutting down\\."));
        writer.sendRaw(RespClient.encodeCommand("INCR", "k"));
        Poll.equal(WAIT, "the write held", 2, () -> blocked(m));
        assertEquals("+OK\r\n", m.call("SHUTDOWN", "ABORT"));
        assertEquals("-ERR Errors trying to SHUTDOWN. Check logs.\r\n", shut.readReply());
        assertEquals(":3\r\n", writer.readReply());
        assertEquals(0, blocked(m));
        assertEquals("-ERR No shutdown in progress.\r\n", m.call("SHUTDOWN", "ABORT"));
        assertEquals(null, InfoFields.get(m.call("INFO", "server"), "shutdown_in_milliseconds"));
        master.awaitOutput(Pattern.compile("Shutdown manually aborted\\."));

        // SIGTERM waits too, for shutdown-timeout seconds at most, then leaves the replica behind
        assertEquals("+OK\r\n", m.call("CONFIG", "SET", "shutdown-timeout", "1"));
        long t0 = System.nanoTime();
        master.terminate();
        master.awaitOutput(Pattern.compile("Received SIGTERM scheduling shutdown"));
        master.awaitOutput(Pattern.compile("Waiting for replicas before shutting down\\."));
        assertEquals(0, master.awaitExit(), master.output());
        assertTrue(System.nanoTime() - t0 >= 900_000_000L, "the master waited for the timeout");
        String out = master.output();
        assertTrue(Pattern.compile("Lagging replica 127\\.0\\.0\\.1:\\d+ reported offset \\d+ behind master, "
            + "lag=\\d+, state=online\\.").matcher(out).find(), out);
        assertTrue(out.contains("0 of 1 replicas are in sync when shutting down."), out);
        assertEquals("$1\r\n1\r\n", replica.client().call("GET", "k"));
      }
    }
  }

  @Test
  void shutdownNowDoesNotWait() {
    try (NodeMaster master = new NodeMaster(); RespClient m = master.node.client();
        RespClient shut = master.node.client()) {
      assertEquals("+OK\r\n", shut.call("MULTI"));
      assertEquals("-ERR Command not allowed inside a transaction\r\n", shut.call("SHUTDOWN", "NOW"));
      assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", shut.call("EXEC"));
      lagBehind(master.node.port(), m);
      shut.sendRaw(RespClient.encodeCommand("SHUTDOWN", "NOW", "NOSAVE"));
      master.awaitClosed();
      assertThrows(UncheckedIOException.class, shut::readReply, "the connection closes without a reply");
      String out = master.output();
      assertFalse(out.contains("Waiting for replicas"), out);
      assertTrue(Pattern.compile("Lagging replica 127\\.0\\.0\\.1:\\d+ reported offset \\d+ behind master, "
          + "lag=\\d+, state=online\\.").matcher(out).find(), out);
      assertTrue(out.contains("0 of 1 replicas are in sync when shutting down."), out);
    }
  }

  @Test
  void shutdownWhileLoadingDoesNotSaveThePartialDataset() throws Exception {
    Path dir = Files.createTempDirectory("vireo-shutdown");
    try {
      try (TestNode n = TestNode.start("--dir", dir.toString()); RespClient c = n.client()) {
        for (int i = 0; i < 20; i++) c.call("SET", "k" + i, "v");
        assertEquals("+OK\r\n", c.call("SAVE"));
      }
      byte[] saved = Files.readAllBytes(dir.resolve("dump.rdb"));
      // 50 ms a key: the SHUTDOWN (with save rules, which would save) arrives while the file loads
      try (TestNode n = TestNode.start("--dir", dir.toString(), "--save", "3600 1", "--key-load-delay", "50000");
          RespClient c = n.client()) {
        assertTrue(c.call("GET", "k0").startsWith("-LOADING"));
        c.sendRaw(RespClient.encodeCommand("SHUTDOWN"));
        TestNode.await(n.node().closed(), WAIT, "close the node");
      }
      assertArrayEquals(saved, Files.readAllBytes(dir.resolve("dump.rdb")), "the file is the one loaded");
    } finally {
      TempDirs.deleteQuietly(dir);
    }
  }
}
