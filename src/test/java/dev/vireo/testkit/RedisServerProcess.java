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

/**
 * A real {@code redis-server} on a free loopback port in its own temp directory, for tests that need a
 * genuine peer (a master, a replica, a reference answer). No persistence unless the extra args ask for it.
 */
public final class RedisServerProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final Process process;
  private final int port;
  private final Path dir;
  private final Path log;
  private final String password;

  private RedisServerProcess(Process process, int port, Path dir, Path log, String password) {
    this.process = process;
    this.port = port;
    this.dir = dir;
    this.log = log;
    this.password = password;
  }

  /**
   * Starts {@code redis-server} with {@code --port P --save "" --appendonly no --dir tmp}, then {@code extraArgs}
   * (which may give their own {@code --port} and {@code --dir}).
   */
  public static RedisServerProcess start(String... extraArgs) {
    return start(false, null, extraArgs);
  }

  /** Like {@link #start}, reading {@code configFile} first (so CONFIG REWRITE has a file to rewrite). */
  public static RedisServerProcess startWithConfigFile(Path configFile, String... extraArgs) {
    return start(false, configFile, extraArgs);
  }

  /** Like {@link #start}, but returns as soon as the server answers, {@code -LOADING} included. */
  public static RedisServerProcess startLoading(String... extraArgs) {
    return start(true, null, extraArgs);
  }

  private static RedisServerProcess start(boolean loadingWillDo, Path configFile, String... extraArgs) {
    Path server = ExternalTool.require("redis-server");
    int port = FreePort.get();
    for (int i = 0; i + 1 < extraArgs.length; i++) {
      // a given port wins (a restart on the same port), as the last --port does in redis-server itself
      if (extraArgs[i].equalsIgnoreCase("--port")) port = Integer.parseInt(extraArgs[i + 1]);
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("vireo-redis");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path log = dir.resolve("redis.log");
    List<String> command = new ArrayList<>(List.of(server.toString()));
    if (configFile != null) command.add(configFile.toString());
    command.addAll(List.of(
        "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--dir", dir.toString(), "--daemonize", "no"));
    command.addAll(List.of(extraArgs));
    String password = null;
    for (int i = 0; i + 1 < extraArgs.length; i++) {
      if (extraArgs[i].equalsIgnoreCase("--requirepass")) {
        password = extraArgs[i + 1];
      }
    }
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      TempDirs.deleteQuietly(dir);
      throw new UncheckedIOException("cannot start " + command, e);
    }
    RedisServerProcess redis = new RedisServerProcess(process, port, dir, log, password);
    try {
      redis.awaitPing(loadingWillDo);
    } catch (RuntimeException | Error e) {
      redis.close();
      throw e;
    }
    return redis;
  }

  private void awaitPing(boolean loadingWillDo) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited with " + process.exitValue() + ": " + log());
      }
      try (RespClient client = new RespClient(port).readTimeout(Duration.ofSeconds(2))) {
        last = client.call("PING");
        if (last.equals("+PONG\r\n") || last.startsWith("-NOAUTH") || loadingWillDo && last.startsWith("-LOADING")) {
          return;
        }
      } catch (RuntimeException e) {
        last = e.getMessage();
      }
      Poll.sleep(50);
    }
    throw new IllegalStateException("redis-server on port " + port + " did not answer PING within "
        + START_TIMEOUT.toSeconds() + " s (last: " + last + "); log: " + log());
  }

  /** The process id, for signals (SIGSTOP/SIGCONT) a test sends with {@link Signals}. */
  public long pid() {
    return process.pid();
  }

  public int port() {
    return port;
  }

  /** The server's working directory (where an RDB would go). */
  public Path dir() {
    return dir;
  }

  /** A new raw client to this server, already authenticated when it has a password. */
  public RespClient client() {
    RespClient client = new RespClient(port);
    if (password != null) {
      client.call("AUTH", password);
    }
    return client;
  }

  /** Runs {@code redis-cli -p P args...} and returns its stdout. */
  public String cli(String... args) {
    return Cli.run(port, args).stdout();
  }

  /** Everything the server has logged so far. */
  public String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /** Waits (bounded) for the process to end after a SHUTDOWN or a signal; returns its exit status. */
  public int awaitExit() {
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("redis-server did not exit within " + STOP_TIMEOUT.toSeconds() + " s; log: " + log());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    return process.exitValue();
  }

  /** Stops the server: SHUTDOWN NOSAVE, then SIGTERM, then SIGKILL, each bounded. */
  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        try (RespClient client = client().readTimeout(Duration.ofSeconds(2))) {
          client.sendRaw(RespClient.encodeCommand("SHUTDOWN", "NOSAVE"));
          client.isClosedByPeer(Duration.ofSeconds(2));
        } catch (RuntimeException ignored) {
          // fall through to signals
        }
      }
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroy();
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
