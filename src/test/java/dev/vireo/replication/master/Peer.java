package dev.vireo.replication.master;

import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A master under test: a Vireo node, or a real redis-server doing the same thing, so that every expectation a
 * test states is also proven to be what Redis does. Arguments are {@code --directive value} pairs for both.
 */
final class Peer implements AutoCloseable {
  static final String VIREO = "vireo";
  static final String REDIS = "redis";

  final String kind;
  private final TestNode node;
  private final RedisServerProcess redis;
  private final Repl.LogCapture log;
  private final List<RespClient> clients = new ArrayList<>();

  private Peer(String kind, TestNode node, RedisServerProcess redis) {
    this.kind = kind;
    this.node = node;
    this.redis = redis;
    this.log = node == null ? null : Repl.LogCapture.of(node);
  }

  static Peer start(String kind, String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    if (kind.equals(VIREO)) return new Peer(kind, TestNode.start(a.toArray(String[]::new)), null);
    if (!kind.equals(REDIS)) throw new IllegalArgumentException(kind);
    if (!a.contains("--enable-debug-command")) a.addAll(List.of("--enable-debug-command", "yes"));
    return new Peer(kind, null, RedisServerProcess.start(a.toArray(String[]::new)));
  }

  boolean isVireo() {
    return node != null;
  }

  int port() {
    return node != null ? node.port() : redis.port();
  }

  /** A new connection, closed with the peer. */
  RespClient client() {
    RespClient c = node != null ? node.client() : redis.client();
    clients.add(c);
    return c;
  }

  /** What the server logged (a Vireo node: since it started). */
  String log() {
    return node != null ? log.text() : redis.log();
  }

  void awaitLog(String line) {
    long deadline = System.nanoTime() + Repl.WAIT.toNanos();
    while (!log().contains(line)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(kind + " did not log '" + line + "' in time; log:\n" + log());
      }
      Repl.sleep(20);
    }
  }

  TestNode node() {
    return node;
  }

  @Override
  public String toString() {
    return kind + ":" + port();
  }

  @Override
  public void close() {
    clients.forEach(RespClient::close);
    if (node != null) node.close();
    else redis.close();
  }
}
