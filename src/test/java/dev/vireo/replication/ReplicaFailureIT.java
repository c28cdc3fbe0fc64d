package dev.vireo.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.bus.Addresses;
import dev.vireo.persistence.rdb.RdbOptions;
import dev.vireo.persistence.rdb.RdbValue;
import dev.vireo.persistence.rdb.RdbWriter;
import dev.vireo.testkit.Datasets;
import dev.vireo.testkit.ExternalTool;
import dev.vireo.testkit.FreePort;
import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.Replicas;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.RespLines;
import dev.vireo.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How the replica behaves when things go wrong: the master dies and comes back with other data, the connection
 * drops in the middle of the RDB, and a master that stops answering.
 */
@Timeout(120)
class ReplicaFailureIT {
  private static final String REPLID = "fedcba9876543210fedcba9876543210fedcba98";
  private static final Duration IO = Duration.ofSeconds(15);

  // ---------------------------------------------------------------- the real master dies and comes back

  @Test
  void masterKilledAndRestartedWithOtherData() throws Exception {
    int port = FreePort.get();
    Path dir = Files.createTempDirectory("vireo-failover");
    Process first = null;
    Process second = null;
    try (TestNode node = TestNode.start();
        RespClient r = node.client()) {
      first = startRedis(port, dir.resolve("first"));
      String firstId;
      try (RespClient m = new RespClient(port)) {
        m.call("SET", "only-on-first", "1");
        m.call("RPUSH", "l", "a", "b");
        assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(port)));
        Replicas.awaitLinkUp(r);
        Replicas.awaitSameDigest(m, r);
        // read once a replica is attached: a master without a backlog takes a new id when the first one comes
        firstId = InfoFields.get(m.call("INFO", "replication"), "master_replid");
        assertEquals(firstId, InfoFields.get(r.call("INFO", "replication"), "master_replid"));
      }

      first.destroyForcibly();
      assertTrue(first.waitFor(10, TimeUnit.SECONDS), "the first master did not exit");
      Poll.equal(Poll.WAIT, "master_link_status", "down",
          () -> InfoFields.get(r.call("INFO", "replication"), "master_link_status"));
      String down = r.call("INFO", "replication");
      String since = InfoFields.get(down, "master_link_down_since_seconds");
      assertNotNull(since, down);
      assertTrue(Long.parseLong(since) >= 0, down);
      // stale data is served meanwhile
      assertEquals("$1\r\n1\r\n", r.call("GET", "only-on-first"));

      second = startRedis(port, dir.resolve("second"));
      try (RespClient m = new RespClient(port)) {
        Datasets.fillEveryType(m);
        m.call("SET", "only-on-second", "2");
        Replicas.awaitLinkUp(r);
        Replicas.awaitSameDigest(m, r);
        String secondId = InfoFields.get(m.call("INFO", "replication"), "master_replid");
        assertNotEquals(firstId, secondId);
        String info = r.call("INFO", "replication");
        assertEquals(secondId, InfoFields.get(info, "master_replid"), info);
        assertEquals("$-1\r\n", r.call("GET", "only-on-first"));
        assertEquals("$1\r\n2\r\n", r.call("GET", "only-on-second"));
        m.call("INCR", "after-restart");
        Replicas.awaitSameDigest(m, r);
      }
    } finally {
      stop(first);
      stop(second);
      deleteTree(dir);
    }
  }

  private static Process startRedis(int port, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path server = ExternalTool.require("redis-server");
    Process p = new ProcessBuilder(server.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no",
        "--enable-debug-command", "yes", "--repl-diskless-sync-delay", "0")
        .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
    try {
      Poll.until(Poll.WAIT, "redis-server on port " + port, () -> {
        if (!p.isAlive()) throw new AssertionError("redis-server exited: " + p.exitValue());
        try (RespClient c = new RespClient(port).readTimeout(Duration.ofSeconds(2))) {
          return c.call("PING").equals("+PONG\r\n");
        } catch (RuntimeException e) {
          return false;
        }
      });
    } catch (RuntimeException | Error e) {
      stop(p);
      throw e;
    }
    return p;
  }

  private static void stop(Process p) {
    if (p == null || !p.isAlive()) return;
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }

  // ---------------------------------------------------------------- the RDB cut short

  @Test
  void connectionDroppedInTheMiddleOfTheRdb() throws Exception {
    try (ServerSocket master = new ServerSocket(0);
        TestNode node = TestNode.start();
        RespClient r = node.client()) {
      master.setSoTimeout((int) IO.toMillis());
      List<JsonObject> events = events(node);
      r.call("SET", "old1", "x");
      r.call("SET", "old2", "y");
      byte[] file = rdb("new", 50);
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.getLocalPort())));

      try (Socket s = master.accept()) {
        s.setSoTimeout((int) IO.toMillis());
        handshake(s, node);
        OutputStream out = s.getOutputStream();
        out.write(("+FULLRESYNC " + REPLID + " 0\r\n$" + file.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(file, 0, file.length / 2);
        out.flush();
        Poll.equal(Poll.WAIT, "master_sync_read_bytes", Integer.toString(file.length / 2),
            () -> InfoFields.get(r.call("INFO", "replication"), "master_sync_read_bytes"));
      }
      awaitError(events, "Master closed the connection during TRANSFER");

      // the old data is still there, none of the half-received data is
      String info = r.call("INFO", "replication");
      assertEquals("down", InfoFields.get(info, "master_link_status"), info);
      assertEquals("0", InfoFields.get(info, "master_sync_in_progress"), info);
      assertEquals(":2\r\n", r.call("DBSIZE"));
      assertEquals("$1\r\nx\r\n", r.call("GET", "old1"));
      assertEquals("$-1\r\n", r.call("GET", "new0"));

      try (Socket s = master.accept()) {
        s.setSoTimeout((int) IO.toMillis());
        InputStream in = s.getInputStream();
        handshake(s, node);
        OutputStream out = s.getOutputStream();
        out.write(("+FULLRESYNC " + REPLID + " 7\r\n$" + file.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(file);
        out.flush();
        assertEquals(List.of("REPLCONF", "ACK", "7"), RespLines.readCommand(in));
        String set = RespLines.command("SET", "streamed", "yes");
        out.write(set.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Poll.equal(Poll.WAIT, "the streamed key", "$3\r\nyes\r\n", () -> r.call("GET", "streamed"));
        assertEquals(":51\r\n", r.call("DBSIZE"));
        assertEquals("$-1\r\n", r.call("GET", "old1"));
        assertEquals("$2\r\nv0\r\n", r.call("GET", "new0"));
        assertEquals("$3\r\nv49\r\n", r.call("GET", "new49"));
        String up = r.call("INFO", "replication");
        assertEquals("up", InfoFields.get(up, "master_link_status"), up);
        assertEquals(REPLID, InfoFields.get(up, "master_replid"), up);
        assertEquals(Long.toString(7 + set.length()), InfoFields.get(up, "slave_repl_offset"), up);
      }
    }
  }

  @Test
  void connectionDroppedWhileTheRdbLoads() throws Exception {
    try (ServerSocket master = new ServerSocket(0);
        TestNode node = TestNode.start();
        RespClient r = node.client()) {
      master.setSoTimeout((int) IO.toMillis());
      List<JsonObject> events = events(node);
      r.call("SET", "old", "x");
      // 10 us a key (2 s in all): the load is still going when polled, however fast the machine
      assertEquals("+OK\r\n", r.call("CONFIG", "SET", "key-load-delay", "10"));
      int n = 200_000;
      byte[] big = rdb("big", n);
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.getLocalPort())));
      try (Socket s = master.accept()) {
        s.setSoTimeout((int) IO.toMillis());
        handshake(s, node);
        OutputStream out = s.getOutputStream();
        out.write(("+FULLRESYNC " + REPLID + " 0\r\n$" + big.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(big);
        out.flush();
        // some keys are in, not all: INFO answers while the replica loads
        Poll.until(Poll.WAIT, "part of the RDB loaded", () -> {
          String db0 = InfoFields.get(r.call("INFO", "keyspace"), "db0");
          if (db0 == null) return false;
          long keys = Long.parseLong(db0.substring(5, db0.indexOf(',')));
          return keys > 1 && keys < n; // the old key alone is not a sign of the load
        });
      } // closed while the replica is (most likely) still loading
      Poll.until(Poll.WAIT, "the link to fail", () -> events.stream().anyMatch(e ->
          e.getString("state").equals("CONNECT") && e.containsKey("error")));
      JsonObject failure = events.stream().filter(e -> e.containsKey("error")).findFirst().orElseThrow();
      // either the load was abandoned and nothing of it is visible, or it finished before the close was seen. The
      // link publishes its failure as it tells the data loop, which answers -LOADING until it has dropped the load
      Poll.until(Poll.WAIT, "the load to end", () -> !r.call("DBSIZE").startsWith("-LOADING"));
      String size = r.call("DBSIZE");
      if (failure.getString("error").contains("during TRANSFER")) {
        assertEquals(":0\r\n", size, failure.toString());
      } else {
        assertEquals(":" + n + "\r\n", size, failure.toString());
      }
      Poll.sleep(300); // nothing of the abandoned load may show up later either
      assertEquals(size, r.call("DBSIZE"));

      byte[] small = rdb("small", 3);
      try (Socket s = master.accept()) {
        s.setSoTimeout((int) IO.toMillis());
        handshake(s, node);
        OutputStream out = s.getOutputStream();
        out.write(("+FULLRESYNC " + REPLID + " 0\r\n$" + small.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(small);
        out.flush();
        assertEquals(List.of("REPLCONF", "ACK", "0"), RespLines.readCommand(s.getInputStream()));
        Replicas.awaitLinkUp(r);
        assertEquals(":3\r\n", r.call("DBSIZE"));
        assertEquals("$2\r\nv2\r\n", r.call("GET", "small2"));
      }
    }
  }

  // ---------------------------------------------------------------- a master that says nothing

  @Test
  void silentMasterTimesOutAndIsRetried() throws Exception {
    try (ServerSocket master = new ServerSocket(0);
        TestNode node = TestNode.start("--repl-timeout", "1");
        RespClient r = node.client()) {
      master.setSoTimeout((int) IO.toMillis());
      List<JsonObject> events = events(node);
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.getLocalPort())));
      try (Socket s = master.accept()) {
        s.setSoTimeout((int) IO.toMillis());
        assertEquals(List.of("PING"), RespLines.readCommand(s.getInputStream()));
        // no answer: the replica gives up and closes
        assertEquals(-1, s.getInputStream().read());
      }
      awaitError(events, "Timeout connecting to the MASTER during RECEIVE_PING_REPLY");
      assertEquals("down", InfoFields.get(r.call("INFO", "replication"), "master_link_status"));
      try (Socket s = master.accept()) {
        s.setSoTimeout((int) IO.toMillis());
        assertEquals(List.of("PING"), RespLines.readCommand(s.getInputStream()));
      }
    }
  }

  @Test
  void silenceAfterFullresyncTimesOutAndIsRetried() throws Exception {
    try (ServerSocket master = new ServerSocket(0);
        TestNode node = TestNode.start("--repl-timeout", "1");
        RespClient r = node.client()) {
      master.setSoTimeout((int) IO.toMillis());
      List<JsonObject> events = events(node);
      r.call("SET", "old", "kept");
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.getLocalPort())));
      try (Socket s = master.accept()) {
        s.setSoTimeout((int) IO.toMillis());
        handshake(s, node);
        s.getOutputStream().write(("+FULLRESYNC " + REPLID + " 0\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        assertEquals(-1, s.getInputStream().read());
      }
      awaitError(events, "Timeout connecting to the MASTER during TRANSFER");
      String info = r.call("INFO", "replication");
      assertEquals("down", InfoFields.get(info, "master_link_status"), info);
      assertEquals("0", InfoFields.get(info, "master_sync_in_progress"), info);
      assertEquals("$4\r\nkept\r\n", r.call("GET", "old"));
      try (Socket s = master.accept()) {
        s.setSoTimeout((int) IO.toMillis());
        assertEquals(List.of("PING"), RespLines.readCommand(s.getInputStream()));
      }
    }
  }

  // ---------------------------------------------------------------- the scripted master

  private static List<JsonObject> events(TestNode node) {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    node.vertx().eventBus().<JsonObject>consumer(Addresses.REPLICATION_STATE, m -> events.add(m.body()));
    return events;
  }

  private static void awaitError(List<JsonObject> events, String error) {
    Poll.until(Poll.WAIT, "a CONNECT event with the error '" + error + "'", () -> events.stream()
        .anyMatch(e -> e.getString("state").equals("CONNECT") && e.getString("error", "").contains(error)));
  }

  /** PING, REPLCONF and PSYNC answered up to the PSYNC reply, which the caller writes. */
  private static void handshake(Socket s, TestNode node) throws IOException {
    InputStream in = s.getInputStream();
    OutputStream out = s.getOutputStream();
    assertEquals(List.of("PING"), RespLines.readCommand(in));
    out.write("+PONG\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    assertEquals(List.of("REPLCONF", "listening-port", Integer.toString(node.port())), RespLines.readCommand(in));
    assertEquals(List.of("REPLCONF", "capa", "eof", "capa", "psync2"), RespLines.readCommand(in));
    out.write("+OK\r\n+OK\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    List<String> psync = RespLines.readCommand(in);
    assertEquals("PSYNC", psync.get(0), psync.toString());
  }

  /** An RDB with string keys {@code prefix0..prefix(n-1)} = {@code v0..v(n-1)} in db 0. */
  private static byte[] rdb(String prefix, int n) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    RdbWriter w = new RdbWriter(b, RdbOptions.defaults()).header();
    w.selectDb(0).resizeDb(n, 0);
    for (int i = 0; i < n; i++) {
      w.key((prefix + i).getBytes(StandardCharsets.UTF_8),
          new RdbValue.Str(("v" + i).getBytes(StandardCharsets.UTF_8)), -1);
    }
    w.finish();
    return b.toByteArray();
  }

}
