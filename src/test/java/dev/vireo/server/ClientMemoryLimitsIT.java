package dev.vireo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Client output buffer limits and client eviction, through the protocol, on a Vireo node and on a real
 * redis-server running the same steps with the same assertions (which proves the expectations): a subscriber that
 * stops reading is closed at the pubsub hard limit, a client pipelining big GETs without reading at the normal
 * hard limit (both with Redis's log line and the recent output peak in INFO), and with {@code maxmemory-clients}
 * the client taking the most memory is disconnected (evicted_clients) while a bigger one with CLIENT NO-EVICT on
 * stays, as do the small ones.
 */
class ClientMemoryLimitsIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String SCHEDULED = "scheduled to be closed ASAP for overcoming of output buffer limits.";

  /** One server under test: its port and its log. */
  private record Target(int port, Supplier<String> logs, AutoCloseable closer) implements AutoCloseable {
    String log() {
      return logs.get();
    }

    RespClient client() {
      return new RespClient(port);
    }

    @Override
    public void close() throws Exception {
      closer.close();
    }
  }

  private static Target start(String kind) {
    if (kind.equals("redis")) {
      RedisServerProcess p = RedisServerProcess.start();
      return new Target(p.port(), p::log, p);
    }
    TestNode n = TestNode.start();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    n.node().server().log.output(new PrintStream(log, true, StandardCharsets.UTF_8));
    return new Target(n.port(), () -> {
      synchronized (log) {
        return log.toString(StandardCharsets.UTF_8);
      }
    }, n);
  }

  /** A raw connection with a small receive buffer, so that output it does not read piles up on the server. */
  private static Socket slowReader(int port) throws IOException {
    Socket s = new Socket();
    s.setReceiveBufferSize(4096);
    s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    return s;
  }

  /** True when the server closed the connection (everything sent before is read and dropped). */
  private static boolean closedByServer(Socket s, Duration within) throws IOException {
    long deadline = System.nanoTime() + within.toNanos();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[64 * 1024];
    try {
      while (System.nanoTime() < deadline) {
        s.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        if (in.read(buf) < 0) return true;
      }
      return false;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // reset
    }
  }

  private static long field(RespClient c, String section, String name) {
    return Long.parseLong(InfoFields.get(c.call("INFO", section), name));
  }

  private static List<String> clientLines(RespClient c) {
    String reply = c.call("CLIENT", "LIST");
    List<String> lines = new ArrayList<>();
    for (String l : reply.substring(reply.indexOf("\r\n") + 2).split("\n")) {
      if (l.startsWith("id=")) lines.add(l.strip());
    }
    return lines;
  }

  private static boolean listed(RespClient c, long id) {
    return clientLines(c).stream().anyMatch(l -> l.startsWith("id=" + id + " "));
  }

  private static String line(RespClient c, long id) {
    return clientLines(c).stream().filter(l -> l.startsWith("id=" + id + " ")).findFirst().orElseThrow();
  }

  private static long clientId(RespClient c) {
    String r = c.call("CLIENT", "ID");
    return Long.parseLong(r.substring(1).strip());
  }

  private static long idOf(Socket s) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(RespClient.encodeCommand("CLIENT", "ID"));
    out.flush();
    s.setSoTimeout(10_000);
    InputStream in = s.getInputStream();
    StringBuilder sb = new StringBuilder();
    int b;
    while ((b = in.read()) != '\n') sb.append((char) b);
    return Long.parseLong(sb.toString().substring(1).strip());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "vireo"})
  void subscriberThatDoesNotReadIsClosedAtThePubsubHardLimit(String kind) throws Exception {
    try (Target t = start(kind); RespClient ctl = t.client(); Socket sub = slowReader(t.port())) {
      long id = subscribeUnder(ctl, sub, "pubsub 1mb 0 0");
      String payload = "x".repeat(100_000);
      int published = 0;
      while (ctl.call("PUBLISH", "ch", payload).equals(":1\r\n")) {
        assertTrue(++published < 400, "the subscriber is still there after " + published + " messages");
      }
      assertTrue(published >= 10, "closed after " + published + " messages only");
      assertFalse(listed(ctl, id));
      assertTrue(closedByServer(sub, WAIT));
      Poll.until(WAIT, "the log line", () -> t.log().contains(SCHEDULED));
      String logged = t.log().lines().filter(l -> l.contains(SCHEDULED)).findFirst().orElseThrow();
      assertTrue(logged.contains("id=" + id + " ") && logged.contains(" flags=P "), logged);
    }
  }

  /** Sets the pubsub class's limit, subscribes the slow reader to "ch", and returns its client id. */
  private static long subscribeUnder(RespClient ctl, Socket sub, String limit) throws Exception {
    assertEquals("+OK\r\n", ctl.call("CONFIG", "SET", "client-output-buffer-limit", limit));
    long id = idOf(sub);
    OutputStream out = sub.getOutputStream();
    out.write(RespClient.encodeCommand("SUBSCRIBE", "ch"));
    out.flush();
    Poll.until(WAIT, "the subscription", () -> ctl.call("PUBSUB", "NUMSUB", "ch").contains(":1\r\n"));
    return id;
  }

  private static long omem(RespClient ctl, long id) {
    return Long.parseLong(line(ctl, id).replaceAll(".* omem=(\\d+) .*", "$1"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "vireo"})
  void subscriberOverTheSoftLimitIsClosedOnlyOnceTheSecondsHavePassed(String kind) throws Exception {
    try (Target t = start(kind); RespClient ctl = t.client(); Socket sub = slowReader(t.port())) {
      long id = subscribeUnder(ctl, sub, "pubsub 0 512kb 2");
      String payload = "x".repeat(100_000);
      int published = 0;
      while (omem(ctl, id) < 600_000) {
        assertEquals(":1\r\n", ctl.call("PUBLISH", "ch", payload));
        assertTrue(++published < 400, "the output never grew");
      }
      // over the soft limit: more output within the seconds keeps it
      long overSince = System.currentTimeMillis();
      for (int i = 0; i < 3; i++) assertEquals(":1\r\n", ctl.call("PUBLISH", "ch", payload));
      assertTrue(System.currentTimeMillis() - overSince < 1000, "too slow to tell the seconds apart");
      assertTrue(listed(ctl, id));
      // then, with no more output, the cron closes it once the seconds have passed
      Poll.until(WAIT, "the subscriber to be closed", () -> !listed(ctl, id));
      long closedAfter = System.currentTimeMillis() - overSince;
      assertTrue(closedAfter >= 1500, "closed after " + closedAfter + " ms");
      assertTrue(closedByServer(sub, WAIT));
      assertTrue(t.log().contains("Client id=" + id + " "), t.log());
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "vireo"})
  void clientPipeliningBigGetsWithoutReadingIsClosedAtTheNormalHardLimit(String kind) throws Exception {
    try (Target t = start(kind); RespClient ctl = t.client(); Socket slow = slowReader(t.port())) {
      assertEquals("+OK\r\n", ctl.call("SET", "big", "x".repeat(100_000)));
      long id = idOf(slow);
      // under the default (no limit for normal clients) a pipeline of 100 is answered; the replies it does not read
      // yet are its output buffer, which INFO's recent peak tells (sampled once a second by Redis)
      OutputStream out = slow.getOutputStream();
      ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
      for (int i = 0; i < 100; i++) pipeline.write(RespClient.encodeCommand("GET", "big"));
      out.write(pipeline.toByteArray());
      out.flush();
      Poll.until(WAIT, "the output peak", () -> field(ctl, "clients", "client_recent_max_output_buffer") > 1_000_000);
      String pending = line(ctl, id);
      assertTrue(Long.parseLong(pending.replaceAll(".* omem=(\\d+) .*", "$1")) > 1_000_000, pending);
      assertTrue(Long.parseLong(pending.replaceAll(".* oll=(\\d+) .*", "$1")) > 0, pending);
      assertTrue(field(ctl, "memory", "mem_clients_normal") > 1_000_000);
      assertFalse(closedByServer(slow, Duration.ofMillis(1500))); // reads the 100 replies
      assertTrue(listed(ctl, id));

      assertEquals("+OK\r\n", ctl.call("CONFIG", "SET", "client-output-buffer-limit", "normal 2mb 0 0"));
      pipeline.reset();
      for (int i = 0; i < 300; i++) pipeline.write(RespClient.encodeCommand("GET", "big"));
      out.write(pipeline.toByteArray());
      out.flush();
      Poll.until(WAIT, "the client to be closed", () -> !listed(ctl, id));
      assertTrue(closedByServer(slow, WAIT));
      Poll.until(WAIT, "the log line", () -> t.log().contains(SCHEDULED));
      String logged = t.log().lines().filter(l -> l.contains(SCHEDULED)).findFirst().orElseThrow();
      assertTrue(logged.contains("id=" + id + " ") && logged.contains(" flags=N "), logged);
    }
  }

  /** Sends the start of a SET whose value is {@code len} bytes, with only {@code sent} of them. */
  private static void partialSet(RespClient c, int len, int sent) {
    c.sendRaw("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + len + "\r\n" + "v".repeat(sent));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "vireo"})
  void maxmemoryClientsEvictsTheBiggestClientButNotANoEvictOne(String kind) throws Exception {
    try (Target t = start(kind); RespClient ctl = t.client(); RespClient big = t.client();
        RespClient bigger = t.client(); RespClient small = t.client()) {
      assertEquals("-ERR syntax error\r\n", ctl.call("CLIENT", "NO-EVICT", "maybe"));
      assertEquals("-ERR wrong number of arguments for 'client|no-evict' command\r\n",
          ctl.call("CLIENT", "NO-EVICT"));
      assertEquals("+OK\r\n", ctl.call("CLIENT", "NO-EVICT", "on"));
      assertEquals("+OK\r\n", bigger.call("CLIENT", "NO-EVICT", "on"));
      long ctlId = clientId(ctl);
      long bigId = clientId(big);
      long biggerId = clientId(bigger);
      long smallId = clientId(small);
      assertTrue(line(ctl, biggerId).contains(" flags=e "), line(ctl, biggerId));
      assertTrue(line(ctl, ctlId).contains(" flags=e "));
      assertTrue(line(ctl, smallId).contains(" flags=N "));

      // measured on redis-server 7.0.15 (and on Vireo): from 290kb to 350kb of clients with the bigger one's partial
      // command, about 450kb once the big one sends its own
      assertEquals("+OK\r\n", ctl.call("CONFIG", "SET", "maxmemory-clients", "400kb"));
      partialSet(bigger, 250_000, 200_000);
      Poll.until(WAIT, "the bigger client's query buffer", () -> line(ctl, biggerId).contains(" qbuf=2000"));
      Poll.until(WAIT, "its memory counted", () -> field(ctl, "memory", "mem_clients_normal") > 250_000);
      assertEquals(0, field(ctl, "stats", "evicted_clients"));

      try {
        partialSet(big, 150_000, 140_000);
      } catch (UncheckedIOException e) {
        // evicted before it was done sending
      }
      Poll.until(WAIT, "an eviction", () -> field(ctl, "stats", "evicted_clients") == 1);
      assertFalse(listed(ctl, bigId));
      assertTrue(big.isClosedByPeer(WAIT));
      assertTrue(listed(ctl, biggerId));
      assertTrue(listed(ctl, smallId));
      assertEquals("+PONG\r\n", small.call("PING"));
      assertTrue(t.log().contains("Evicting client: id=" + bigId + " "), t.log());
      assertEquals(1, field(ctl, "stats", "evicted_clients"));

      assertEquals("+OK\r\n", ctl.call("CONFIG", "SET", "maxmemory-clients", "0"));
      bigger.sendRaw("v".repeat(50_000) + "\r\n"); // the rest of its SET
      assertEquals("+OK\r\n", bigger.readReply());
      assertEquals("+OK\r\n", bigger.call("CLIENT", "NO-EVICT", "off"));
      assertTrue(line(ctl, biggerId).contains(" flags=N "), line(ctl, biggerId));
    }
  }
}
