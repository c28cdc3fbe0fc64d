package dev.vireo.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.bus.Addresses;
import dev.vireo.testkit.ExternalTool;
import dev.vireo.testkit.FreePort;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The TCP event-bus bridge, spoken as its clients speak it: length-prefixed JSON frames on a raw socket. */
@Timeout(120)
class EventBusBridgeIT {
  private static final String PASSWORD = "Bridge-Pass-5d9e07";

  /** A raw bridge client: 4-byte big-endian length, then UTF-8 JSON. */
  static final class Frames implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    Frames(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(20_000);
      in = new DataInputStream(socket.getInputStream());
      out = socket.getOutputStream();
    }

    void send(JsonObject frame) throws IOException {
      byte[] json = frame.encode().getBytes(StandardCharsets.UTF_8);
      out.write(ByteBuffer.allocate(4 + json.length).putInt(json.length).put(json).array());
      out.flush();
    }

    JsonObject read() throws IOException {
      int length = in.readInt();
      byte[] json = new byte[length];
      in.readFully(json);
      return new JsonObject(new String(json, StandardCharsets.UTF_8));
    }

    /** Reads frames until one matches; fails on a timeout, with what was read. */
    JsonObject until(String what, Predicate<JsonObject> wanted) throws IOException {
      List<JsonObject> seen = new ArrayList<>();
      try {
        while (true) {
          JsonObject f = read();
          seen.add(f);
          if (wanted.test(f)) return f;
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("no " + what + "; read " + seen, e);
      }
    }

    /** The ping is answered after every frame sent before it has been handled. */
    void sync() throws IOException {
      send(new JsonObject().put("type", "ping"));
      until("pong", f -> f.getString("type").equals("pong"));
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static TestNode bridgeNode(int bridgePort, String... more) {
    List<String> args = new ArrayList<>(List.of("--eventbus-bridge-port", Integer.toString(bridgePort)));
    args.addAll(List.of(more));
    return TestNode.start(args.toArray(String[]::new));
  }

  @Test
  void replicationEventsAndHealthOverRawFrames() throws IOException {
    int bridgePort = FreePort.get();
    try (RedisServerProcess redis = RedisServerProcess.start("--repl-diskless-sync-delay", "0");
        TestNode node = bridgeNode(bridgePort);
        RespClient r = node.client();
        Frames f = new Frames(bridgePort)) {
      f.send(new JsonObject().put("type", "register").put("address", Addresses.REPLICATION_STATE));
      f.sync();
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(redis.port())));
      List<String> states = new ArrayList<>();
      JsonObject online = f.until("the CONNECTED event", frame -> {
        assertEquals("message", frame.getString("type"), frame.encode());
        assertEquals(Addresses.REPLICATION_STATE, frame.getString("address"));
        states.add(frame.getJsonObject("body").getString("state"));
        return states.get(states.size() - 1).equals("CONNECTED");
      });
      assertEquals(List.of("CONNECT", "CONNECTING", "RECEIVE_PING_REPLY", "SEND_HANDSHAKE", "RECEIVE_PORT_REPLY",
          "RECEIVE_CAPA_REPLY", "SEND_PSYNC", "RECEIVE_PSYNC_REPLY", "TRANSFER", "CONNECTED"), states);
      JsonObject body = online.getJsonObject("body");
      assertEquals("TRANSFER", body.getString("previous"));
      assertEquals(redis.port(), body.getInteger("master_port"));
      assertEquals(1, body.getInteger("attempt"));
      assertTrue(body.getLong("elapsed_ms") >= 0);

      // health is the one request a client may send
      f.send(new JsonObject().put("type", "send").put("address", Addresses.HEALTH).put("replyAddress", "r1")
          .putNull("body"));
      JsonObject health = f.until("the health reply", frame -> "r1".equals(frame.getString("address")));
      assertEquals("ok", health.getJsonObject("body").getString("status"));
      assertEquals("slave", health.getJsonObject("body").getString("role"));

      // anything else is refused
      f.send(new JsonObject().put("type", "send").put("address", Addresses.INFO).put("replyAddress", "r2")
          .putNull("body"));
      assertEquals("access_denied", f.until("a refusal", frame -> frame.getString("type").equals("err"))
          .getString("message"));
      f.send(new JsonObject().put("type", "register").put("address", Addresses.INFO));
      assertEquals("access_denied", f.until("a refusal", frame -> frame.getString("type").equals("err"))
          .getString("message"));
      f.send(new JsonObject().put("type", "publish").put("address", Addresses.REPLICATION_STATE)
          .put("body", new JsonObject().put("state", "CONNECTED")));
      assertEquals("access_denied", f.until("a refusal", frame -> frame.getString("type").equals("err"))
          .getString("message"));
    }
  }

  @Test
  void requirepassGuardsRegistration() throws IOException {
    int bridgePort = FreePort.get();
    try (TestNode node = bridgeNode(bridgePort, "--requirepass", PASSWORD);
        Frames without = new Frames(bridgePort);
        Frames wrong = new Frames(bridgePort);
        Frames with = new Frames(bridgePort)) {
      without.send(new JsonObject().put("type", "register").put("address", Addresses.REPLICATION_STATE));
      assertEquals("err", without.read().getString("type"));
      wrong.send(new JsonObject().put("type", "register").put("address", Addresses.REPLICATION_STATE)
          .put("headers", new JsonObject().put("auth", "not-it")));
      assertEquals("err", wrong.read().getString("type"));
      with.send(new JsonObject().put("type", "register").put("address", Addresses.REPLICATION_STATE)
          .put("headers", new JsonObject().put("auth", PASSWORD)));
      with.sync();

      RespClient c = node.client();
      c.call("AUTH", PASSWORD);
      c.call("REPLICAOF", "127.0.0.1", Integer.toString(FreePort.get())); // nobody there: the attempt fails
      JsonObject failed = with.until("the failed connection", frame -> frame.getString("type").equals("message")
          && frame.getJsonObject("body").containsKey("error"));
      assertEquals("CONNECTING", failed.getJsonObject("body").getString("previous"));
      assertFalse(failed.encode().contains(PASSWORD));
      // the unauthenticated clients got nothing but their error
      without.sync();
      wrong.sync();
      c.call("REPLICAOF", "NO", "ONE");
    }
  }

  /** Failover phases come out as published; the role changes REPLICAOF makes come out at vireo.replication.role. */
  @Test
  void failoverEventsAndRoleChangesOverRawFrames() throws IOException {
    int bridgePort = FreePort.get();
    try (TestNode node = bridgeNode(bridgePort, "--requirepass", PASSWORD);
        RespClient c = node.client();
        Frames f = new Frames(bridgePort)) {
      JsonObject auth = new JsonObject().put("auth", PASSWORD);
      f.send(new JsonObject().put("type", "register").put("address", Addresses.REPLICATION_FAILOVER)
          .put("headers", auth));
      f.send(new JsonObject().put("type", "register").put("address", Addresses.REPLICATION_ROLE)
          .put("headers", auth));
      f.sync();
      JsonObject phase = new JsonObject().put("phase", "synced").put("side", "master")
          .put("state", "failover-in-progress").put("target", "127.0.0.1:7001").put("offset", 4096)
          .put("target_offset", 4096).put("elapsed_ms", 12).put("ts", System.currentTimeMillis());
      node.vertx().eventBus().publish(Addresses.REPLICATION_FAILOVER, phase);
      JsonObject got = f.until("the failover phase", frame -> Addresses.REPLICATION_FAILOVER.equals(
          frame.getString("address")));
      assertEquals(phase, got.getJsonObject("body"));

      c.call("AUTH", PASSWORD);
      int nobody = FreePort.get();
      assertEquals("+OK\r\n", c.call("REPLICAOF", "127.0.0.1", Integer.toString(nobody)));
      JsonObject replica = f.until("the role change", frame -> Addresses.REPLICATION_ROLE.equals(
          frame.getString("address"))).getJsonObject("body");
      assertEquals("replica", replica.getString("role"));
      assertEquals("127.0.0.1:" + nobody, replica.getString("master"));
      assertEquals("master", replica.getString("previous_role"));
      assertEquals("replicaof", replica.getString("cause"));
      assertEquals("+OK\r\n", c.call("REPLICAOF", "NO", "ONE"));
      JsonObject master = f.until("the way back", frame -> Addresses.REPLICATION_ROLE.equals(
          frame.getString("address"))).getJsonObject("body");
      assertEquals("master", master.getString("role"));
      assertTrue(master.getLong("since") >= replica.getLong("since"));
    }
  }

  /** The Python example in README.md, extracted and run as it stands, prints the handshake as it happens. */
  @Test
  void readmePythonExamplePrintsTheHandshake() throws Exception {
    Path python = ExternalTool.require("python3");
    Path script = Files.createTempFile("vireo-watch", ".py");
    Files.writeString(script, readmePythonExample());
    int bridgePort = FreePort.get();
    Process process = null;
    try (RedisServerProcess redis = RedisServerProcess.start("--repl-diskless-sync-delay", "0");
        TestNode node = bridgeNode(bridgePort);
        RespClient r = node.client()) {
      process = new ProcessBuilder(python.toString(), script.toString(), "127.0.0.1", Integer.toString(bridgePort))
          .redirectErrorStream(true).start();
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      Process p = process;
      Thread reader = new Thread(() -> {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
            StandardCharsets.UTF_8))) {
          String line;
          while ((line = out.readLine()) != null) lines.add(line);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }, "python-output");
      reader.setDaemon(true);
      reader.start();

      List<String> printed = new ArrayList<>();
      awaitLine(lines, printed, "watching 127.0.0.1:" + bridgePort);
      assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(redis.port())));
      awaitLine(lines, printed, "stream online");
      String where = "(127.0.0.1:" + redis.port() + " attempt 1)";
      List<String> expected = List.of("connect       CONNECTING " + where, "PING          RECEIVE_PING_REPLY " + where,
          "REPLCONF      RECEIVE_PORT_REPLY " + where, "PSYNC         RECEIVE_PSYNC_REPLY " + where,
          "transfer/load TRANSFER " + where, "stream online CONNECTED " + where);
      System.out.println(String.join("\n", printed)); // kept in the test's output file
      List<String> steps = printed.subList(1, printed.size());
      assertEquals(expected.size(), steps.size(), String.join("\n", printed));
      for (int i = 0; i < expected.size(); i++) {
        assertTrue(steps.get(i).matches(" *\\d+ ms  \\Q" + expected.get(i) + "\\E"), steps.get(i));
      }
    } finally {
      if (process != null) {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
      }
      Files.deleteIfExists(script);
    }
  }

  private static void awaitLine(BlockingQueue<String> lines, List<String> printed, String part)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (printed.isEmpty() || !printed.get(printed.size() - 1).contains(part)) {
      String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) throw new AssertionError("the script did not print '" + part + "'; it printed " + printed);
      printed.add(line);
    }
  }

  /** The first {@code ```python} block of the README's "Event-bus bridge" section. */
  static String readmePythonExample() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int section = readme.indexOf("\n## Event-bus bridge");
    assertTrue(section >= 0, "README.md has an Event-bus bridge section");
    int start = readme.indexOf("```python\n", section);
    assertTrue(start >= 0, "the section has a python example");
    start += "```python\n".length();
    int end = readme.indexOf("\n```", start);
    return readme.substring(start, end + 1);
  }
}
