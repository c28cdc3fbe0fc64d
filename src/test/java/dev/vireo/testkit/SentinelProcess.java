package dev.vireo.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code redis-sentinel} on a free loopback port, from a config file it may rewrite in its own temp
 * directory, watching one master: {@code sentinel monitor}, {@code down-after-milliseconds} 1000 and a short
 * {@code failover-timeout}, addresses announced and resolved as plain loopback IPs. Stopped with SIGTERM, then
 * SIGKILL, its directory removed.
 */
public final class SentinelProcess implements AutoCloseable {
  /** The master name every test sentinel monitors. */
  public static final String MASTER = "mymaster";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern ADDRESS = Pattern.compile("^\\*2\r\n\\$\\d+\r\n([^\r]*)\r\n\\$\\d+\r\n(\\d+)\r\n$");

  private final Process process;
  private final int port;
  private final Path dir;
  private final Path log;

  private SentinelProcess(Process process, int port, Path dir, Path log) {
    this.process = process;
    this.port = port;
    this.dir = dir;
    this.log = log;
  }

  /**
   * Starts a sentinel monitoring {@link #MASTER} at {@code 127.0.0.1:masterPort} with {@code quorum}; {@code
   * extraLines} are appended to its config file (e.g. {@code sentinel rename-command mymaster CONFIG XCONFIG}).
   * Waits until it answers PING.
   */
  public static SentinelProcess start(int masterPort, int quorum, String... extraLines) {
    Path sentinel = ExternalTool.require("redis-sentinel");
    int port = FreePort.get();
    Path dir;
    try {
      dir = Files.createTempDirectory("vireo-sentinel");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path conf = dir.resolve("sentinel.conf");
    Path log = dir.resolve("sentinel.log");
    StringBuilder text = new StringBuilder()
        .append("port ").append(port).append('\n')
        .append("bind 127.0.0.1\n")
        .append("daemonize no\n")
        .append("dir ").append(dir).append('\n')
        .append("pidfile ").append(dir.resolve("sentinel.pid")).append('\n')
        .append("logfile \"\"\n")
        // loopback addresses as they are: nothing to resolve, nothing to translate
        .append("sentinel resolve-hostnames no\n")
        .append("sentinel announce-hostnames no\n")
        .append("sentinel announce-ip 127.0.0.1\n")
        .append("sentinel monitor ").append(MASTER).append(" 127.0.0.1 ").append(masterPort).append(' ')
        .append(quorum).append('\n')
        .append("sentinel down-after-milliseconds ").append(MASTER).append(" 1000\n")
        .append("sentinel failover-timeout ").append(MASTER).append(" 4000\n")
        .append("sentinel parallel-syncs ").append(MASTER).append(" 2\n");
    for (String line : extraLines) text.append(line).append('\n');
    Process process;
    try {
      Files.writeString(conf, text.toString(), StandardCharsets.UTF_8);
      process = new ProcessBuilder(sentinel.toString(), conf.toString()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      TempDirs.deleteQuietly(dir);
      throw new UncheckedIOException("cannot start redis-sentinel", e);
    }
    SentinelProcess s = new SentinelProcess(process, port, dir, log);
    try {
      s.awaitPong();
    } catch (RuntimeException | Error e) {
      s.close();
      throw e;
    }
    return s;
  }

  private void awaitPong() {
    Poll.until(START_TIMEOUT, "redis-sentinel on " + port + " answering PING", () -> {
      if (!process.isAlive()) throw new IllegalStateException("redis-sentinel exited: " + log());
      try (RespClient c = new RespClient(port).readTimeout(Duration.ofSeconds(2))) {
        return c.call("PING").equals("+PONG\r\n");
      } catch (RuntimeException e) {
        return false;
      }
    }, this::log);
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /** A new connection; the caller closes it. */
  public RespClient client() {
    return new RespClient(port);
  }

  /** One command on a new connection, its raw reply. */
  public String call(String... args) {
    try (RespClient c = client().readTimeout(Duration.ofSeconds(5))) {
      return c.call(args);
    }
  }

  /**
   * {@code SENTINEL DEBUG name value ...}: shorter periods than Redis's fixed defaults (INFO every 10 s, a role
   * change acted on after 8 s), so that a test waits seconds instead of tens of seconds.
   */
  public void debug(String... nameValues) {
    List<String> args = new ArrayList<>(List.of("SENTINEL", "DEBUG"));
    args.addAll(List.of(nameValues));
    String reply = call(args.toArray(String[]::new));
    if (!reply.equals("+OK\r\n")) throw new AssertionError("SENTINEL DEBUG answered " + reply);
  }

  /** {@code SENTINEL GET-MASTER-ADDR-BY-NAME}: the master's port as this sentinel sees it, or -1. */
  public int masterPort() {
    Matcher m = ADDRESS.matcher(call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER));
    return m.matches() ? Integer.parseInt(m.group(2)) : -1;
  }

  /** Everything the sentinel has logged so far (its events: +sdown, +odown, +switch-master...). */
  public String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        process.toHandle().destroy(); // SIGTERM
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      TempDirs.deleteQuietly(dir);
    }
  }
}
