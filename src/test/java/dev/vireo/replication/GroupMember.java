package dev.vireo.replication;

import dev.vireo.testkit.ExternalTool;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.Signals;
import dev.vireo.testkit.TestNode;
import dev.vireo.testkit.VireoJar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One node of a replication group that a test restarts as an operator does: started from a config file in its own
 * directory on a fixed port, stopped as SIGTERM stops it (saving its RDB, since {@code save} rules are set) and
 * started again from the same file and directory, which {@code CONFIG REWRITE} may have changed meanwhile. Kinds:
 * {@code redis} (a redis-server process), {@code vireo} (a node in this JVM, stopped by the same graceful shutdown
 * its SIGTERM handler runs) and {@code jar} (Vireo's jar as a process, sent a real SIGTERM).
 */
final class GroupMember implements AutoCloseable {
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  final String kind;
  final int port;
  private final Path dir;
  private final Path conf;
  private Process redis;
  private TestNode node;
  private VireoJar jar;

  private GroupMember(String kind, int port, Path dir) {
    this.kind = kind;
    this.port = port;
    this.dir = dir;
    this.conf = dir.resolve(kind.equals("redis") ? "redis.conf" : "vireo.conf");
  }

  /** Writes the config file ({@code extraLines} appended) and starts the node. */
  static GroupMember start(String kind, int port, Path dir, String... extraLines) {
    GroupMember m = new GroupMember(kind, port, dir);
    StringBuilder text = new StringBuilder()
        .append("port ").append(port).append('\n')
        .append("bind 127.0.0.1\n")
        .append("dir ").append(dir).append('\n')
        .append("dbfilename dump.rdb\n")
        // a rule that never fires during a test, so that SIGTERM saves the RDB as in production
        .append("save 3600 1\n")
        .append("appendonly no\n")
        .append("enable-debug-command yes\n");
    if (!kind.equals("redis")) text.append("http-port 0\n");
    for (String line : extraLines) text.append(line).append('\n');
    try {
      Files.writeString(m.conf, text.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    m.start();
    return m;
  }

  /** Starts the node from its config file and directory (again, after {@link #stop}). */
  void start() {
    switch (kind) {
      case "redis" -> {
        Path server = ExternalTool.require("redis-server");
        try {
          redis = new ProcessBuilder(server.toString(), conf.toString()).redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile())).start();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        awaitPong();
      }
      // the file's port and dir, repeated where the test kit would otherwise pick its own
      case "vireo" -> node = TestNode.start(conf.toString(), "--port", Integer.toString(port), "--dir", dir.toString(),
          "--save", "3600 1", "--http-port", "0");
      case "jar" -> jar = VireoJar.start(Map.of(), conf.toString(), "--port", Integer.toString(port), "--dir",
          dir.toString(), "--save", "3600 1", "--http-port", "0");
      default -> throw new IllegalArgumentException(kind);
    }
  }

  private void awaitPong() {
    Poll.until(Poll.WAIT, "redis-server on " + port + " answering PING", () -> {
      if (!redis.isAlive()) throw new AssertionError("redis-server exited: " + log());
      try (RespClient c = new RespClient(port).readTimeout(Duration.ofSeconds(2))) {
        return c.call("PING").equals("+PONG\r\n");
      } catch (RuntimeException e) {
        return false;
      }
    }, this::log);
  }

  /** A new connection; the caller closes it. */
  RespClient client() {
    return new RespClient(port);
  }

  /** SIGTERM (or, in this JVM, the shutdown it triggers), waiting until the node is gone. */
  void stop() {
    try {
      switch (kind) {
        case "redis" -> {
          redis.toHandle().destroy(); // SIGTERM
          if (!redis.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("redis-server did not exit on SIGTERM: " + log());
          }
        }
        case "vireo" -> {
          TestNode.await(node.node().shutdown(), STOP_TIMEOUT, "shut the node down");
          node.close();
        }
        case "jar" -> {
          jar.terminate();
          jar.awaitExit();
        }
        default -> throw new IllegalArgumentException(kind);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** SIGKILL, as a crash: nothing saved, nothing said to replicas; waits until the process is gone. */
  void kill() {
    switch (kind) {
      case "redis" -> {
        Signals.send("KILL", redis.pid());
        awaitGone(redis);
      }
      case "jar" -> {
        Signals.send("KILL", jar.pid());
        jar.awaitExit();
      }
      default -> throw new IllegalArgumentException(kind + " has no process of its own to kill");
    }
  }

  private void awaitGone(Process p) {
    try {
      if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) throw new AssertionError("still running");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The config file as it is now ({@code CONFIG REWRITE} may have changed it). */
  String configText() {
    try {
      return Files.readString(conf, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String log() {
    if (jar != null) return jar.output();
    try {
      Path log = dir.resolve("redis.log");
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    try {
      if (redis != null && redis.isAlive()) {
        redis.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (node != null) node.close();
    if (jar != null) jar.close();
  }
}
