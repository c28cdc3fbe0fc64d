package dev.vireo.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.bus.Addresses;
import dev.vireo.observability.SpanNames;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Matrix;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.Replicas;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.SpanCapture;
import dev.vireo.testkit.TempDirs;
import dev.vireo.testkit.TestNode;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code repl-diskless-load swapdb} and {@code on-empty-db}: the replica parses the master's RDB straight from the
 * socket, whether the master streams it ({@code repl-diskless-sync yes}, {@code $EOF:} form) or sends a file it
 * wrote ({@code no}, {@code $<length>} form). No temp file ever appears in {@code dir}, and a transfer cut short
 * leaves nothing of itself behind.
 */
@Timeout(180)
class ReplicaSocketLoadIT {
  private static final int KEYS = 200_000;
  private static final Duration SYNC = Duration.ofSeconds(60);
  private static final String QUEUE_PROPERTY = "vireo.replica.parser-queue-bytes";

  /**
   * {@code queueBytes}: the replica's bound on bytes received and not yet parsed; a small one makes the socket
   * pause and resume many times during the transfer.
   */
  /** In CI each mode once with the small queue and once with a disk-based master; all six under full. */
  static Stream<Arguments> loads() {
    return Matrix.rows("swapdb, yes, default", "*swapdb, no, 16384", "*swapdb, yes, 16384",
        "on-empty-db, yes, default", "*on-empty-db, no, 16384", "on-empty-db, yes, 16384");
  }

  @ParameterizedTest(name = "repl-diskless-load {0}, master repl-diskless-sync {1}, parser queue {2}")
  @MethodSource("loads")
  void fullSyncParsesFromTheSocketWithoutATempFile(String mode, String disklessSync, String queueBytes)
      throws Exception {
    if (!queueBytes.equals("default")) System.setProperty(QUEUE_PROPERTY, queueBytes);
    Path dir = Files.createTempDirectory("vireo-socketload");
    // uncompressed, the RDB is larger than what the replica queues for its parser: the socket has to pause
    try (RedisServerProcess master = RedisServerProcess.start("--enable-debug-command", "yes",
            "--repl-diskless-sync", disklessSync, "--repl-diskless-sync-delay", "0", "--rdbcompression", "no");
        TestNode n = TestNode.start("--repl-diskless-load", mode, "--dir", dir.toString());
        RespClient r = n.client();
        RespClient m = master.client()) {
      assertEquals("+OK\r\n", m.call("DEBUG", "POPULATE", Integer.toString(KEYS), "key", "100"));
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port())));
      int pollsWhileSyncing = 0;
      boolean sawLoading = false;
      long deadline = System.nanoTime() + SYNC.toNanos();
      while (true) {
        assertTrue(System.nanoTime() < deadline, "the sync did not finish");
        assertEquals(List.of(), tempFiles(dir), "a file appeared in dir during the sync");
        String info = r.call("INFO", "replication");
        if ("up".equals(InfoFields.get(info, "master_link_status"))) break;
        if ("1".equals(InfoFields.get(info, "master_sync_in_progress"))) {
          pollsWhileSyncing++;
          if (mode.equals("on-empty-db")) {
            // the keyspace is being filled: clients are told so rather than shown part of it
            String reply = r.call("GET", "key:1");
            if (reply.startsWith("-LOADING")) sawLoading = true;
            else assertTrue(reply.equals("$-1\r\n") || reply.startsWith("$"), reply);
          } else if (r.call("INFO", "persistence").contains("async_loading:1\r\n")) {
            sawLoading = true;
          }
        }
      }
      assertEquals(List.of(), tempFiles(dir));
      assertTrue(pollsWhileSyncing > 0, "the directory was never polled while the sync ran");
      assertTrue(sawLoading, "the load was never seen in progress");
      assertEquals(":" + KEYS + "\r\n", r.call("DBSIZE"));
      assertEquals(m.call("DEBUG", "DIGEST"), r.call("DEBUG", "DIGEST"));
      // the command stream that follows the RDB is applied
      m.call("SET", "after", "sync");
      Poll.equal(SYNC, "the streamed key", "$4\r\nsync\r\n", () -> r.call("GET", "after"));
      assertEquals(m.call("DEBUG", "DIGEST"), r.call("DEBUG", "DIGEST"));
    } finally {
      System.clearProperty(QUEUE_PROPERTY);
      TempDirs.deleteQuietly(dir);
    }
  }

  @ParameterizedTest(name = "repl-diskless-load {0}")
  @CsvSource({"swapdb", "on-empty-db"})
  void linkKilledMidTransferLeavesNoPartialDataset(String mode) throws Exception {
    Path dir = Files.createTempDirectory("vireo-socketload");
    // the master writes each key slowly, so the kill lands while the replica is still receiving and loading
    try (RedisServerProcess master = RedisServerProcess.start("--enable-debug-command", "yes",
            "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0", "--rdb-key-save-delay", "20");
        TestNode n = TestNode.start("--repl-diskless-load", mode, "--dir", dir.toString());
        RespClient r = n.client();
        RespClient m = master.client()) {
      List<JsonObject> events = new CopyOnWriteArrayList<>();
      n.vertx().eventBus().<JsonObject>consumer(Addresses.REPLICATION_STATE, e -> events.add(e.body()));
      assertEquals("+OK\r\n", m.call("DEBUG", "POPULATE", Integer.toString(KEYS), "key", "100"));
      boolean keepsOld = mode.equals("swapdb"); // on-empty-db parses from the socket only into an empty keyspace
      if (keepsOld) r.call("SET", "old", "data");
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port())));
      Poll.until(SYNC, "part of the RDB received", () -> {
        String read = InfoFields.get(r.call("INFO", "replication"), "master_sync_read_bytes");
        return read != null && Long.parseLong(read) > 100_000;
      });
      assertEquals(List.of(), tempFiles(dir));
      String persistence = r.call("INFO", "persistence");
      if (keepsOld) {
        // as Redis: a swapdb load is asynchronous, the node itself is not loading
        assertTrue(persistence.contains("\nloading:0\r\n") && persistence.contains("async_loading:1\r\n"));
        assertEquals("$4\r\ndata\r\n", r.call("GET", "old"));
      } else {
        assertTrue(persistence.contains("\nloading:1\r\n") && persistence.contains("async_loading:0\r\n"));
        String reply = r.call("GET", "key:1");
        assertTrue(reply.startsWith("-LOADING"), reply);
      }
      assertTrue(m.call("CLIENT", "KILL", "TYPE", "replica").startsWith(":1"));
      Poll.until(SYNC, "the link to fail", () -> events.stream().anyMatch(e -> e.containsKey("error")));
      JsonObject failure = events.stream().filter(e -> e.containsKey("error")).findFirst().orElseThrow();
      assertEquals("TRANSFER", failure.getString("previous"), failure.toString());
      // nothing of the cut transfer is visible: the old dataset whole (swapdb), or an empty one
      assertEquals(keepsOld ? ":1\r\n" : ":0\r\n", r.call("DBSIZE"));
      if (keepsOld) assertEquals("$4\r\ndata\r\n", r.call("GET", "old"));
      Poll.sleep(300); // no batch of the abandoned load shows up later either
      String size = r.call("DBSIZE");
      assertTrue(size.equals(keepsOld ? ":1\r\n" : ":0\r\n") || size.startsWith("-LOADING"), size);

      // the next attempt syncs completely
      m.call("CONFIG", "SET", "rdb-key-save-delay", "0");
      Replicas.awaitLinkUp(r);
      assertEquals(":" + KEYS + "\r\n", r.call("DBSIZE"));
      assertEquals(m.call("DEBUG", "DIGEST"), r.call("DEBUG", "DIGEST"));
      assertEquals(List.of(), tempFiles(dir));
    } finally {
      TempDirs.deleteQuietly(dir);
    }
  }

  @Test
  void onEmptyDbWithDataGoesThroughAFile() throws Exception {
    Path dir = Files.createTempDirectory("vireo-socketload");
    try (RedisServerProcess master = RedisServerProcess.start("--enable-debug-command", "yes",
            "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0", "--rdb-key-save-delay", "10");
        TestNode n = TestNode.start("--repl-diskless-load", "on-empty-db", "--dir", dir.toString());
        RespClient r = n.client();
        RespClient m = master.client()) {
      // a tenth of the keys: each costs the master's save delay, and a file shows up as soon as the transfer starts
      assertEquals("+OK\r\n", m.call("DEBUG", "POPULATE", Integer.toString(KEYS / 10), "key", "100"));
      r.call("SET", "old", "data"); // not empty: a failed transfer must not cost this data, so a file it is
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port())));
      boolean sawFile = false;
      long deadline = System.nanoTime() + SYNC.toNanos();
      while (!"up".equals(InfoFields.get(r.call("INFO", "replication"), "master_link_status"))) {
        assertTrue(System.nanoTime() < deadline, "the sync did not finish");
        if (tempFiles(dir).stream().anyMatch(f -> f.startsWith("temp-") && f.endsWith(".rdb"))) sawFile = true;
      }
      assertTrue(sawFile, "the RDB did not go through a temp file");
      assertEquals(List.of(), tempFiles(dir));
      assertEquals(m.call("DEBUG", "DIGEST"), r.call("DEBUG", "DIGEST"));
    } finally {
      TempDirs.deleteQuietly(dir);
    }
  }

  /**
   * From the socket the two steps overlap: the load span starts while the transfer span still runs, and ends
   * after it; from a file ({@code disabled}) the load follows the transfer.
   */
  @ParameterizedTest(name = "repl-diskless-load {0}")
  @CsvSource({"swapdb", "disabled"})
  void transferAndLoadSpans(String mode) throws Exception {
    try (SpanCapture capture = SpanCapture.install();
        RedisServerProcess master = RedisServerProcess.start("--enable-debug-command", "yes",
            "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0");
        TestNode n = TestNode.start("--repl-diskless-load", mode);
        RespClient r = n.client();
        RespClient m = master.client()) {
      InMemorySpanExporter exporter = capture.exporter;
      assertEquals("+OK\r\n", m.call("DEBUG", "POPULATE", Integer.toString(KEYS), "key", "100"));
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port())));
      Replicas.awaitLinkUp(r);
      SpanData root = exporter.getFinishedSpanItems().stream()
          .filter(x -> x.getName().equals(SpanNames.SYNC) && x.getStatus().getStatusCode() == StatusCode.OK)
          .findFirst().orElseThrow();
      SpanData transfer = child(exporter, root, SpanNames.RDB_TRANSFER);
      SpanData load = child(exporter, root, SpanNames.RDB_LOAD);
      assertTrue(transfer.getStartEpochNanos() <= load.getStartEpochNanos());
      assertTrue(load.getEndEpochNanos() >= transfer.getEndEpochNanos());
      if (mode.equals("swapdb")) {
        assertTrue(load.getStartEpochNanos() < transfer.getEndEpochNanos(), "the load starts during the transfer");
      } else {
        assertTrue(load.getStartEpochNanos() >= transfer.getEndEpochNanos(), "the load follows the transfer");
      }
      assertEquals(m.call("DEBUG", "DIGEST"), r.call("DEBUG", "DIGEST"));
    }
  }

  private static SpanData child(InMemorySpanExporter exporter, SpanData root, String name) {
    List<SpanData> found = exporter.getFinishedSpanItems().stream()
        .filter(x -> x.getParentSpanId().equals(root.getSpanId()) && x.getName().equals(name)).toList();
    assertEquals(1, found.size(), name + " spans: " + found);
    return found.get(0);
  }

  /** Every file in {@code dir}: a replica that loads from the socket writes none. */
  private static List<String> tempFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
