package dev.vireo.replication.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.RespClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code client-output-buffer-limit replica}: the RDB itself does not count (a dataset larger than the limit still
 * syncs while writes go on), but a replica that stops reading the stream is dropped with a log line, and what the
 * master holds for replicas stays bounded. Against Vireo and against a real Redis master.
 */
@Timeout(90)
class SlowReplicaIT {
  private static final int MB = 1024 * 1024;

  @ParameterizedTest(name = "{0} master, repl-diskless-sync {1}")
  @CsvSource({"vireo,no", "vireo,yes", "redis,no"})
  void aReplicaThatStopsReadingIsDropped(String kind, String diskless) {
    try (Peer p = Peer.start(kind, "--repl-diskless-sync", diskless, "--repl-diskless-sync-delay", "0");
        RawReplica r = new RawReplica(p.port(), 16 * 1024)) {
      RespClient c = p.client();
      assertEquals("+OK\r\n", c.call("CONFIG", "SET", "client-output-buffer-limit", "replica 1mb 512kb 1"));
      // a dataset whose RDB (~8 MB) is far larger than the hard limit and the socket buffers
      assertEquals("+OK\r\n", c.call("CONFIG", "SET", "rdbcompression", "no"));
      assertEquals("+OK\r\n", c.call("DEBUG", "POPULATE", "80000", "big", "100"));

      r.handshake(4321, true);
      long offset = Long.parseLong(r.psync("?", -1).split(" ")[2]);
      String header = r.rdbHeader();
      // writes while the RDB is on its way and unread: buffered for the replica, well under the limit
      for (int i = 0; i < 100; i++) assertEquals("+OK\r\n", c.call("SET", "during:" + i, "v"));
      RawReplica.Rdb rdb = r.readRdb(header);
      assertTrue(rdb.payload().length > 4 * MB, "RDB of " + rdb.payload().length + " bytes");
      awaitOnline(c);
      r.ack(offset);
      List<String> cmd;
      do {
        cmd = r.command();
      } while (!(cmd.get(0).equalsIgnoreCase("set") && cmd.get(1).equals("during:99")));
      assertEquals("1", Repl.info(c, "replication", "connected_slaves"));

      // the replica stops reading; the master writes far more than the limit
      System.gc();
      long usedBefore = Repl.infoLong(c, "memory", "used_memory");
      byte[] batch = batch(100, 10 * 1024);
      long maxReplicaBuffers = 0;
      long maxReplicationBuffers = 0;
      int batches = 0;
      boolean dropped = false;
      // 48 MB in all, most of it after the drop: nothing of it may stay behind for the dead replica
      while (batches < 48 || !dropped) {
        assertTrue(batches < 400, "the replica was never dropped");
        c.sendRaw(batch);
        for (int i = 0; i < 100; i++) c.readReply();
        batches++;
        String mem = c.call("INFO", "memory");
        maxReplicaBuffers = Math.max(maxReplicaBuffers, Long.parseLong(Repl.field(mem, "mem_clients_slaves")));
        maxReplicationBuffers = Math.max(maxReplicationBuffers,
            Long.parseLong(Repl.field(mem, "mem_total_replication_buffers")));
        dropped = dropped || "0".equals(Repl.info(c, "replication", "connected_slaves"));
      }
      p.awaitLog("scheduled to be closed ASAP for overcoming of output buffer limits.");
      assertTrue(r.closedByPeer(10_000), "the connection stayed open");
      // bounded: the hard limit plus what one turn of writes adds, plus the 1 MB backlog
      assertTrue(maxReplicaBuffers <= 3 * MB, "mem_clients_slaves reached " + maxReplicaBuffers);
      assertTrue(maxReplicationBuffers <= 5 * MB, "mem_total_replication_buffers reached " + maxReplicationBuffers);
      assertEquals("0", Repl.info(c, "memory", "mem_clients_slaves"));
      System.gc();
      long usedAfter = Repl.infoLong(c, "memory", "used_memory");
      assertTrue(usedAfter - usedBefore < 24L * MB, "used_memory grew from " + usedBefore + " to " + usedAfter
          + " after " + batches + " MB written");
    }
  }

  /**
   * The soft limit alone: a replica over it is not dropped at once, only once it has stayed over it for longer
   * than the soft seconds.
   */
  @ParameterizedTest(name = "{0} master")
  @CsvSource({"vireo", "redis"})
  void theSoftLimitDropsAReplicaOnlyAfterItsSeconds(String kind) {
    try (Peer p = Peer.start(kind, "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0");
        RawReplica r = new RawReplica(p.port(), 16 * 1024)) {
      RespClient c = p.client();
      assertEquals("+OK\r\n", c.call("CONFIG", "SET", "client-output-buffer-limit", "replica 0 256kb 3"));
      r.handshake(4321, true);
      long offset = Long.parseLong(r.psync("?", -1).split(" ")[2]);
      r.readRdb();
      awaitOnline(c);
      r.ack(offset);
      // the replica reads nothing more; 4 MB of writes leave far more than 256kb owed to it
      byte[] batch = batch(100, 10 * 1024);
      for (int b = 0; b < 4; b++) {
        c.sendRaw(batch);
        for (int i = 0; i < 100; i++) c.readReply();
      }
      assertEquals("1", Repl.info(c, "replication", "connected_slaves"), "dropped before the soft seconds");
      // Redis checks the limits as it feeds the stream: a write now and then lets it see the seconds have passed
      Repl.until("the replica dropped by the soft limit", () -> {
        c.call("SET", "tick", "1");
        return "0".equals(Repl.info(c, "replication", "connected_slaves"));
      });
      // Redis says "closed for ..." when it drops a client while feeding it, "scheduled to be closed ASAP" otherwise
      p.awaitLog("for overcoming of output buffer limits.");
    }
  }

  /**
   * A replica that stops reading inside its RDB: its stream buffer overflows, it is dropped, and the transfer to it
   * stops (no snapshot encoding left running for nobody, no temporary file left behind); the next replica syncs as
   * usual.
   */
  @ParameterizedTest(name = "{0} master, repl-diskless-sync {1}")
  @CsvSource({"vireo,yes", "redis,yes", "vireo,no", "redis,no"})
  void aReplicaStalledInsideItsRdbIsDroppedAndTheTransferStops(String kind, String diskless) {
    try (Peer p = Peer.start(kind, "--repl-diskless-sync", diskless, "--repl-diskless-sync-delay", "0");
        RawReplica r = new RawReplica(p.port(), 16 * 1024)) {
      RespClient c = p.client();
      assertEquals("+OK\r\n", c.call("CONFIG", "SET", "client-output-buffer-limit", "replica 1mb 512kb 1"));
      assertEquals("+OK\r\n", c.call("CONFIG", "SET", "rdbcompression", "no"));
      assertEquals("+OK\r\n", c.call("DEBUG", "POPULATE", "80000", "big", "100"));
      r.handshake(4321, true);
      r.psync("?", -1);
      assertEquals(diskless.equals("yes"), r.rdbHeader().startsWith("$EOF:"));
      r.readFor(100);
      byte[] batch = batch(100, 10 * 1024);
      for (int batches = 0; !"0".equals(Repl.info(c, "replication", "connected_slaves")); batches++) {
        assertTrue(batches < 100, "the replica was never dropped");
        c.sendRaw(batch);
        for (int i = 0; i < 100; i++) c.readReply();
      }
      p.awaitLog("scheduled to be closed ASAP for overcoming of output buffer limits.");
      if (diskless.equals("yes")) p.awaitLog("Diskless rdb transfer, last replica dropped");
      assertTrue(r.closedByPeer(10_000), "the connection stayed open");
      if (p.isVireo() && diskless.equals("no")) {
        // the snapshot file of the abandoned transfer is removed
        Path dir = Path.of(RealReplicaIT.configValue(c, "dir"));
        Repl.until("the temporary RDB to be deleted", () -> {
          try (Stream<Path> files = Files.list(dir)) {
            return files.noneMatch(f -> f.getFileName().toString().startsWith("temp-"));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      }

      try (RawReplica next = new RawReplica(p.port())) {
        next.handshake(4322, true);
        long offset = Long.parseLong(next.psync("?", -1).split(" ")[2]);
        assertTrue(next.readRdb().payload().length > 4 * MB);
        awaitOnline(c);
        next.ack(offset);
        c.call("SET", "after", "1");
        List<String> cmd;
        do {
          cmd = next.command();
        } while (!cmd.get(0).equalsIgnoreCase("set") || !cmd.get(1).equals("after"));
      }
    }
  }

  /**
   * A diskless master starts the stream on the first ACK that finds the replica online; Redis puts it online only
   * when its transfer child has been reaped, so an ACK sent as soon as the RDB is read may come too early there.
   */
  private static void awaitOnline(RespClient c) {
    Repl.until("the replica to be online", () -> {
      String line = Repl.info(c, "replication", "slave0");
      return line != null && line.contains("state=online");
    });
  }

  /** {@code n} SETs of a value of {@code size} bytes over a few keys: the dataset does not grow. */
  private static byte[] batch(int n, int size) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    String v = "x".repeat(size);
    for (int i = 0; i < n; i++) b.writeBytes(RespClient.encodeCommand("SET", "k" + (i % 10), v));
    return b.toByteArray();
  }
}
