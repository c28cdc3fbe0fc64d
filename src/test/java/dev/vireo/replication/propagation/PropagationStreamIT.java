package dev.vireo.replication.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What a master sends its replicas, byte for byte: each scripted case runs on a real redis-server 7.0 master and
 * on a Vireo master, each with a listening replica attached ({@link ReplicaStream}), and the commands each stream
 * carries for the case must be the same. Absolute times that depend on the clock (a relative TTL turned into
 * {@code PEXPIREAT} or {@code PXAT}) are compared as offsets from the case's start, within a tolerance; members
 * chosen at random (SPOP) are masked. PINGs and GETACKs are left out.
 *
 * <p>Each case starts with a FLUSHALL and ends with a marker SET, both from a separate client in database 0; the
 * case itself runs on new connections, with active expiry off so that only the commands decide what expires.
 */
class PropagationStreamIT {
  private static final Duration STREAM_TIMEOUT = Duration.ofSeconds(10);
  /** Clock-dependent times may differ by this much between the two masters (they run one after the other). */
  private static final long TIME_TOLERANCE_MS = 3_000;
  private static final Pattern TIME = Pattern.compile("T([+-][0-9]+)");

  interface Script {
    void run(Session s);
  }

  record Case(String name, boolean maskRandom, Script script) {}

  /** One master under test: its address, a control client and the listening replica. */
  static final class Master {
    final String name;
    final int port;
    final RespClient control;
    final ReplicaStream stream;
    int read;

    Master(String name, int port) {
      this.name = name;
      this.port = port;
      this.control = new RespClient(port);
      control.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
      this.stream = new ReplicaStream(port, STREAM_TIMEOUT);
    }

    /** Runs one case and returns the commands its stream carried, normalised. */
    List<String> run(Case k) {
      control.call("FLUSHALL");
      int start = stream.readUntil(read, c -> c.get(0).equalsIgnoreCase("flushall"));
      long t0 = System.currentTimeMillis();
      try (Session s = new Session(port)) {
        k.script.run(s);
      }
      String marker = "case:" + k.name;
      assertEquals("+OK\r\n", control.call("SET", "__marker__", marker));
      int end = stream.readUntil(start + 1, c -> c.size() == 3 && c.get(1).equals("__marker__")
          && c.get(2).equals(marker));
      read = end + 1;
      List<String> out = new ArrayList<>();
      for (List<String> c : stream.commands().subList(start + 1, end)) {
        String n = c.get(0).toUpperCase();
        if (n.equals("PING") || n.equals("REPLCONF")) continue;
        out.add(normalise(c, t0, k.maskRandom));
      }
      // a SELECT the marker needed is not part of the case
      if (!out.isEmpty() && out.get(out.size() - 1).equals("SELECT 0")) out.remove(out.size() - 1);
      return out;
    }

    void close() {
      stream.close();
      control.close();
    }
  }

  /** The connections a case runs on: client 0 by default, more on demand (blocked clients). */
  static final class Session implements AutoCloseable {
    final int port;
    final List<RespClient> clients = new ArrayList<>();

    Session(int port) {
      this.port = port;
    }

    RespClient client(int i) {
      while (clients.size() <= i) clients.add(new RespClient(port));
      return clients.get(i);
    }

    /** Runs a command line split on spaces (no quoting needed in these cases) on client 0. */
    String run(String line) {
      return client(0).call(line.split(" ", -1));
    }

    void runAll(String... lines) {
      for (String l : lines) run(l);
    }

    String call(int client, String... args) {
      return client(client).call(args);
    }

    /** Sends a command that blocks, then waits until the server counts one more blocked client. */
    void block(int client, String line) {
      int before = blockedClients();
      client(client).sendRaw(RespClient.encodeCommand(line.split(" ")));
      Poll.until(Duration.ofSeconds(10), "client " + client + " to block on " + line,
          () -> blockedClients() == before + 1);
    }

    /** The reply of a command sent with {@link #block}. */
    String reply(int client) {
      return client(client).readReply();
    }

    int blockedClients() {
      Matcher m = Pattern.compile("blocked_clients:([0-9]+)").matcher(client(0).call("INFO", "clients"));
      return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    @Override
    public void close() {
      clients.forEach(RespClient::close);
    }
  }

  /**
   * A command as one line, arguments separated by spaces; a number that reads as a unix time in ms near the
   * case's start becomes {@code T+offset}; with {@code maskRandom} the member of an SREM becomes {@code ?}.
   */
  static String normalise(List<String> cmd, long t0, boolean maskRandom) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cmd.size(); i++) {
      String a = cmd.get(i);
      if (i > 0) sb.append(' ');
      if (maskRandom && i == 2 && cmd.get(0).equals("SREM")) {
        sb.append('?');
      } else if (a.matches("[0-9]{12,14}") && Math.abs(Long.parseLong(a) - t0) < 30L * 24 * 3600 * 1000) {
        long d = Long.parseLong(a) - t0;
        sb.append('T').append(d >= 0 ? "+" : "").append(d);
      } else {
        sb.append(a.replace("\n", "\\n").replace("\r", "\\r"));
      }
    }
    return sb.toString();
  }

  /** Equal, but for clock-dependent times that may differ within the tolerance. */
  static boolean same(String redis, String vireo) {
    if (redis.equals(vireo)) return true;
    String[] r = redis.split(" ", -1);
    String[] v = vireo.split(" ", -1);
    if (r.length != v.length) return false;
    for (int i = 0; i < r.length; i++) {
      if (r[i].equals(v[i])) continue;
      Matcher mr = TIME.matcher(r[i]);
      Matcher mv = TIME.matcher(v[i]);
      if (!mr.matches() || !mv.matches()) return false;
      if (Math.abs(Long.parseLong(mr.group(1)) - Long.parseLong(mv.group(1))) > TIME_TOLERANCE_MS) return false;
    }
    return true;
  }

  @Test
  void everyCaseSendsWhatRedisSends() {
    try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes");
        TestNode node = TestNode.start()) {
      assertSameStreams("streams", new Master("redis", redis.port()), new Master("vireo", node.port()),
          PropagationCases.all(), UnaryOperator.identity());
    }
  }

  /**
   * Runs each case on the Redis master {@code ref}, then on {@code vireo}, and fails with every case whose stream
   * (after {@code normalise}) differs from Redis's, or for which Redis sent nothing. Closes both masters.
   * {@code -Dvireo.propagation.show=true} prints what Redis sent.
   */
  static void assertSameStreams(String what, Master ref, Master vireo, List<Case> cases,
      UnaryOperator<List<String>> normalise) {
    StringBuilder failures = new StringBuilder();
    int compared = 0;
    try {
      for (Case k : cases) {
        List<String> expected = normalise.apply(ref.run(k));
        List<String> actual = normalise.apply(vireo.run(k));
        compared++;
        if (expected.isEmpty()) failures.append("\n--- case ").append(k.name()).append(": Redis sent nothing");
        if (Boolean.getBoolean("vireo.propagation.show")) {
          System.out.println("--- " + k.name() + "\n  " + String.join("\n  ", expected));
        }
        boolean ok = expected.size() == actual.size();
        for (int i = 0; ok && i < expected.size(); i++) ok = same(expected.get(i), actual.get(i));
        if (!ok) {
          failures.append("\n--- case ").append(k.name()).append(firstDifference(expected, actual))
              .append("\n  redis:\n    ").append(String.join("\n    ", expected))
              .append("\n  vireo:\n    ").append(String.join("\n    ", actual));
        }
      }
    } finally {
      ref.close();
      vireo.close();
    }
    if (failures.length() > 0) fail(what + " differ from Redis's:" + failures);
    assertEquals(cases.size(), compared);
  }

  private static String firstDifference(List<String> expected, List<String> actual) {
    for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
      String e = i < expected.size() ? expected.get(i) : "(nothing)";
      String a = i < actual.size() ? actual.get(i) : "(nothing)";
      if (!same(e, a)) return " (first difference at command " + (i + 1) + ": redis `" + e + "`, vireo `" + a + "`)";
    }
    return "";
  }

  static String latin1(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }
}
