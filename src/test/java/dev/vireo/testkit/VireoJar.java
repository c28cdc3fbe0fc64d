package dev.vireo.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The packaged jar ({@code vireo.jar} system property, else {@code target/vireo.jar}) as a separate JVM, started as
 * a user starts it, with an environment of the test's choosing: for what only a whole process shows (its
 * OpenTelemetry setup from {@code OTEL_*} variables, exit paths). Free ports and a temp {@code dir} unless given;
 * {@code OTEL_*} variables of the test's own environment are not passed on, so only the test decides them.
 */
public final class VireoJar implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final int port;
  private final String password;
  private final Path ownDir;
  private final StringBuffer output = new StringBuffer();
  private final Thread reader;

  private VireoJar(Process process, int port, String password, Path ownDir) {
    this.process = process;
    this.port = port;
    this.password = password;
    this.ownDir = ownDir;
    this.reader = new Thread(() -> {
      byte[] buf = new byte[8192];
      try (InputStream in = process.getInputStream()) {
        for (int n; (n = in.read(buf)) >= 0; ) {
          output.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
      } catch (IOException ignored) {
        // the process is gone
      }
    }, "vireo-jar-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts the jar with {@code args} (directives as on the command line) plus {@code --port <free> --http-port 0
   * --save "" --dir <temp>} where not given, and waits until it answers PING.
   */
  public static VireoJar start(Map<String, String> env, String... args) {
    VireoJar vireo = launch(env, args);
    try {
      vireo.awaitPong();
    } catch (RuntimeException | Error e) {
      vireo.close();
      throw e;
    }
    return vireo;
  }

  /**
   * Starts the jar as {@link #start} does but returns at once, without waiting for PING: for a process expected
   * to exit (a fatal configuration), or whose readiness the test checks its own way.
   */
  public static VireoJar launch(Map<String, String> env, String... args) {
    Path jar = Path.of(System.getProperty("vireo.jar", "target/vireo.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no jar at " + jar.toAbsolutePath() + "; run mvn package first");
    }
    List<String> given = List.of(args);
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
    command.addAll(given);
    String portArg = value(given, "port");
    int port = portArg != null ? Integer.parseInt(portArg) : FreePort.get();
    if (portArg == null) command.addAll(List.of("--port", Integer.toString(port)));
    if (value(given, "http-port") == null) command.addAll(List.of("--http-port", "0"));
    if (value(given, "save") == null) command.addAll(List.of("--save", ""));
    Path ownDir = null;
    if (value(given, "dir") == null) {
      try {
        ownDir = Files.createTempDirectory("vireo-jar");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      command.addAll(List.of("--dir", ownDir.toString()));
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("OTEL_"));
    builder.environment().putAll(env);
    try {
      return new VireoJar(builder.start(), port, value(given, "requirepass"), ownDir);
    } catch (IOException e) {
      if (ownDir != null) TempDirs.deleteQuietly(ownDir);
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  private static String value(List<String> args, String directive) {
    for (int i = 0; i + 1 < args.size(); i++) {
      if (args.get(i).equalsIgnoreCase("--" + directive)) return args.get(i + 1);
    }
    return null;
  }

  private void awaitPong() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("vireo exited with " + process.exitValue() + " before answering PING; "
            + "output: " + output());
      }
      try (RespClient client = new RespClient(port).readTimeout(Duration.ofSeconds(2))) {
        last = client.call("PING");
        if (last.equals("+PONG\r\n") || last.startsWith("-NOAUTH")) return;
      } catch (RuntimeException e) {
        last = e.getMessage();
      }
      Poll.sleep(50);
    }
    throw new IllegalStateException("vireo did not answer PING on " + port + " within "
        + START_TIMEOUT.toSeconds() + " s (last: " + last + "); output: " + output());
  }

  /** The RESP port. */
  /** The process id, for signals (SIGSTOP/SIGCONT) a test sends with {@link Signals}. */
  public long pid() {
    return process.pid();
  }

  public int port() {
    return port;
  }

  /** Everything the process printed so far (stdout and stderr). */
  public String output() {
    return output.toString();
  }

  /** A new raw client, already authenticated when the node has a password; the caller closes it. */
  public RespClient client() {
    RespClient client = new RespClient(port);
    if (password != null) client.call("AUTH", password);
    return client;
  }

  /** Waits until the output matches {@code pattern}; returns the output. */
  public String awaitOutput(Pattern pattern) {
    Poll.until(START_TIMEOUT, "output matching " + pattern, () -> pattern.matcher(output()).find(), this::output);
    return output();
  }

  /** {@code SHUTDOWN NOSAVE}, then waits for the process and its output to end; returns the exit status. */
  public int shutdown() {
    try (RespClient client = client().readTimeout(Duration.ofSeconds(5))) {
      client.sendRaw(RespClient.encodeCommand("SHUTDOWN", "NOSAVE"));
      client.isClosedByPeer(Duration.ofSeconds(5));
    }
    return awaitExit();
  }

  /** Sends SIGTERM, as a service manager stops the node; {@link #awaitExit} tells how it ended. */
  public void terminate() {
    // through the handle: Process.destroy() would also close our end of the output pipe
    process.toHandle().destroy();
  }

  /** Waits for the process to end, then for its output to be drained; returns its exit status. */
  public int awaitExit() {
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("vireo did not exit within " + STOP_TIMEOUT.toSeconds() + " s; output: "
            + output());
      }
      reader.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    return process.exitValue();
  }

  /** Kills the process if it still runs and removes its own directory. */
  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (ownDir != null) TempDirs.deleteQuietly(ownDir);
    }
  }
}
