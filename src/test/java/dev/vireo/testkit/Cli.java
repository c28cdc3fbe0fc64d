package dev.vireo.testkit;

import java.io.File;
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
 * Runs the real {@code redis-cli} against a port on loopback, without a terminal (so it prints raw output
 * unless told {@code --no-raw}). Stdin and both outputs go through temp files, so large inputs such as
 * {@code --pipe} cannot dead-lock on full pipes; a run that exceeds its bound is killed.
 */
public final class Cli {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** What one run produced. */
  public record Result(int exitCode, String stdout, String stderr) {
    /** Stdout without the trailing newline(s). */
    public String out() {
      return stdout.stripTrailing();
    }
  }

  private Cli() {}

  /** {@code redis-cli -h 127.0.0.1 -p <port> args...}, no stdin, default bound. */
  public static Result run(int port, String... args) {
    return run(port, null, DEFAULT_TIMEOUT, args);
  }

  /** {@code redis-cli -h 127.0.0.1 -p <port> args...} fed {@code stdin} (may be null), killed after {@code timeout}. */
  public static Result run(int port, byte[] stdin, Duration timeout, String... args) {
    Path cli = ExternalTool.require("redis-cli");
    List<String> command = new ArrayList<>();
    command.add(cli.toString());
    command.add("-h");
    command.add("127.0.0.1");
    command.add("-p");
    command.add(Integer.toString(port));
    command.addAll(List.of(args));
    return exec(command, stdin, timeout);
  }

  /** {@code redis-cli -s <sock> args...} (a server's {@code unixsocket}) fed {@code stdin} (may be null). */
  public static Result onSocket(Path sock, byte[] stdin, String... args) {
    List<String> command = new ArrayList<>(List.of(ExternalTool.require("redis-cli").toString(), "-s",
        sock.toString()));
    command.addAll(List.of(args));
    return exec(command, stdin, DEFAULT_TIMEOUT);
  }

  /** Runs any command line with the same bounds and capture. */
  public static Result exec(List<String> command, byte[] stdin, Duration timeout) {
    Path dir = null;
    Process process = null;
    try {
      dir = Files.createTempDirectory("vireo-cli");
      Path in = dir.resolve("stdin");
      Path out = dir.resolve("stdout");
      Path err = dir.resolve("stderr");
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectOutput(out.toFile())
          .redirectError(err.toFile());
      builder.environment().remove("REDISCLI_AUTH");
      if (stdin != null) {
        Files.write(in, stdin);
        builder.redirectInput(in.toFile());
      } else {
        builder.redirectInput(new File("/dev/null"));
      }
      process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        throw new AssertionError(command + " did not finish within " + timeout.toMillis() + " ms; stdout: "
            + tail(out) + " stderr: " + tail(err));
      }
      return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    } finally {
      if (process != null && process.isAlive()) {
        process.destroyForcibly();
      }
      if (dir != null) {
        TempDirs.deleteQuietly(dir);
      }
    }
  }

  private static String tail(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      return text.length() > 2000 ? "..." + text.substring(text.length() - 2000) : text;
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
