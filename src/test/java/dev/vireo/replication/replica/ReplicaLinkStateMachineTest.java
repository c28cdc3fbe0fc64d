package dev.vireo.replication.replica;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.bus.Addresses;
import dev.vireo.bus.LocalCodec;
import dev.vireo.config.ServerConfig;
import dev.vireo.replication.ReplState;
import dev.vireo.replication.replica.LinkMessages.AckDue;
import dev.vireo.replication.replica.LinkMessages.Ask;
import dev.vireo.replication.replica.LinkMessages.Follow;
import dev.vireo.replication.replica.LinkMessages.Linked;
import dev.vireo.replication.replica.LinkMessages.LoadFile;
import dev.vireo.replication.replica.LinkMessages.Offer;
import dev.vireo.replication.replica.LinkMessages.Online;
import dev.vireo.replication.replica.LinkMessages.Stream;
import dev.vireo.replication.replica.LinkMessages.ToData;
import dev.vireo.util.Log;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replica link's state machine driven by scripted bytes, without a socket: a scripted connection stands for the
 * master (it records what the link writes and delivers the master's replies in random pieces), and the test plays
 * the data loop on the event bus. The bytes are those a real Redis 7.0 master sends (WIRE.md): {@code +PONG}, the
 * REPLCONF replies, {@code +FULLRESYNC}, a disk-based {@code $len} RDB with the stream right behind it.
 */
class ReplicaLinkStateMachineTest {
  private static final String REPLID = "8de1d8d1b0c8d05b1d4e2c3a5f6e7d8c9b0a1f2e";

  private final Vertx vertx = Vertx.vertx();
  private final BlockingQueue<ToData> toData = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> states = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> written = new LinkedBlockingQueue<>();
  private volatile Handler<Buffer> fromMaster;

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** A connection that records writes and hands its data handler to the test. */
  private NetSocket scriptedConnection() {
    return (NetSocket) Proxy.newProxyInstance(NetSocket.class.getClassLoader(), new Class<?>[] {NetSocket.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "handler" -> {
              @SuppressWarnings("unchecked")
              Handler<Buffer> h = (Handler<Buffer>) args[0];
              fromMaster = h;
              return proxy;
            }
            case "write" -> {
              written.add(((Buffer) args[0]).toString(StandardCharsets.UTF_8));
              return Future.succeededFuture();
            }
            case "close", "end" -> {
              return Future.succeededFuture();
            }
            case "hashCode" -> {
              return System.identityHashCode(proxy);
            }
            case "equals" -> {
              return proxy == args[0];
            }
            case "toString" -> {
              return "scripted master connection";
            }
            default -> {
              return NetSocket.class.isAssignableFrom(method.getReturnType()) ? proxy : null;
            }
          }
        });
  }

  /** The master's bytes, in random pieces, on the link's event loop as a socket would deliver them. */
  private void master(Random random, byte[] bytes) throws InterruptedException {
    for (int at = 0; at < bytes.length; ) {
      int n = Math.min(bytes.length - at, 1 + random.nextInt(64));
      Buffer piece = Buffer.buffer(Arrays.copyOfRange(bytes, at, at + n));
      at += n;
      link.runOnContext(v -> fromMaster.handle(piece));
    }
  }

  private volatile Context link;

  /** The next message to the data loop, past the once-a-second ACK requests (which this data loop leaves). */
  private ToData nextToData() throws InterruptedException {
    while (true) {
      ToData m = toData.poll(5, TimeUnit.SECONDS);
      if (!(m instanceof AckDue)) return m;
    }
  }

  @Test
  void fullResynchronizationFromScriptedBytes(@TempDir Path dir) throws Exception {
    ServerConfig config = ServerConfig.defaults();
    config.apply("dir", dir.toString());
    Log log = new Log();
    log.output(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    LocalCodec.register(vertx);
    String dataAddress = Addresses.REPLICA_LINK + ".test";
    String controlAddress = Addresses.REPLICA_CONTROL + ".test";
    vertx.eventBus().<ToData>localConsumer(dataAddress, m -> {
      if (m.body() instanceof Ask) m.reply(new Offer("?", -1, true), LocalCodec.OPTIONS);
      toData.add(m.body());
    }).completion().await(5, TimeUnit.SECONDS);
    vertx.eventBus().<JsonObject>consumer(Addresses.REPLICATION_STATE, m -> states.add(m.body().getString("state")));
    LinkStatus status = new LinkStatus();
    ReplicaLinkVerticle verticle = new ReplicaLinkVerticle(config, log, status, dataAddress, controlAddress,
        (port, host) -> {
          link = Vertx.currentContext(); // the link's event loop, where a socket would deliver
          return Future.succeededFuture(scriptedConnection());
        });
    vertx.deployVerticle(verticle).await(5, TimeUnit.SECONDS);
    Random random = new Random(11);

    vertx.eventBus().send(controlAddress, new Follow(1, "127.0.0.1", 6380, 7777), LocalCodec.OPTIONS);
    assertEquals("*1\r\n$4\r\nPING\r\n", written.poll(5, TimeUnit.SECONDS));
    master(random, "+PONG\r\n".getBytes(StandardCharsets.US_ASCII));
    String handshake = written.poll(5, TimeUnit.SECONDS);
    assertEquals("*3\r\n$8\r\nREPLCONF\r\n$14\r\nlistening-port\r\n$4\r\n7777\r\n"
        + "*5\r\n$8\r\nREPLCONF\r\n$4\r\ncapa\r\n$3\r\neof\r\n$4\r\ncapa\r\n$6\r\npsync2\r\n", handshake);
    master(random, "+OK\r\n+OK\r\n".getBytes(StandardCharsets.US_ASCII));
    assertInstanceOf(Ask.class, nextToData());
    assertEquals("*3\r\n$5\r\nPSYNC\r\n$1\r\n?\r\n$2\r\n-1\r\n", written.poll(5, TimeUnit.SECONDS));

    byte[] rdb = new byte[5000];
    random.nextBytes(rdb);
    ByteArrayOutputStream reply = new ByteArrayOutputStream();
    reply.writeBytes(("\n\n+FULLRESYNC " + REPLID + " 0\r\n$" + rdb.length + "\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    reply.writeBytes(rdb);
    byte[] stream = "*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n".getBytes(StandardCharsets.US_ASCII);
    reply.writeBytes(stream);
    master(random, reply.toByteArray());

    LoadFile load = (LoadFile) nextToData();
    assertEquals(REPLID, load.replId());
    assertEquals(0, load.offset());
    assertArrayEquals(rdb, Files.readAllBytes(Path.of(load.file())), "the RDB without its header or the stream");
    assertEquals(ReplState.TRANSFER, status.state);

    // the data loop loaded it: the link is up, acknowledges, and hands over the stream that came behind the RDB
    vertx.eventBus().send(controlAddress, new Linked(1, load.link(), REPLID, 0, 42), LocalCodec.OPTIONS);
    Online online = (Online) nextToData();
    assertEquals(load.link(), online.link());
    assertEquals("*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$1\r\n0\r\n", written.poll(5, TimeUnit.SECONDS));
    ByteArrayOutputStream applied = new ByteArrayOutputStream();
    while (applied.size() < stream.length) {
      Stream s = (Stream) nextToData();
      applied.writeBytes(s.bytes().getBytes());
    }
    assertArrayEquals(stream, applied.toByteArray());

    List<String> seen = new ArrayList<>();
    while (!seen.contains("CONNECTED")) {
      String s = states.poll(5, TimeUnit.SECONDS);
      assertTrue(s != null, "states so far: " + seen);
      seen.add(s);
    }
    assertEquals(List.of("CONNECT", "CONNECTING", "RECEIVE_PING_REPLY", "SEND_HANDSHAKE", "RECEIVE_PORT_REPLY",
        "RECEIVE_CAPA_REPLY", "SEND_PSYNC", "RECEIVE_PSYNC_REPLY", "TRANSFER", "CONNECTED"), seen);
  }
}
