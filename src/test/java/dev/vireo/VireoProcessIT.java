package dev.vireo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.testkit.Cli;
import dev.vireo.testkit.FreePort;
import dev.vireo.testkit.RespClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar run as a user runs it: startup log, shutdown paths, fatal configuration errors. */
@Timeout(120)
class VireoProcessIT {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern SHUTTING_DOWN = Pattern.compile("shut(ting)?\\s*down", Pattern.CASE_INSENSITIVE);

  private final List<VireoProcess> processes = new ArrayList<>();
  private int port;

  @BeforeEach
  void pickPort() {
    port = FreePort.get();
  }

  @AfterEach
  void killLeftovers() {
    processes.forEach(VireoProcess::kill);
  }

  @Test
  void startupLogNamesPortPidAndRoleThenShutdownNosaveExitsZero() {
    VireoProcess vireo = start("--port", Integer.toString(port), "--http-port", "0");
    vireo.awaitPong(port);
    String log = vireo.awaitOutput(Pattern.compile("(?is)(?=.*\\bpid\\b)(?=.*\\brole\\b).*" + port));
    String lower = log.toLowerCase(Locale.ROOT);
    assertTrue(log.contains(Integer.toString(port)), log);
    assertTrue(lower.contains("pid"), log);
    assertTrue(lower.contains("role"), log);

    Cli.run(port, "SHUTDOWN", "NOSAVE");
    assertEquals(0, vireo.awaitExit(), vireo::output);
  }

  @Test
  void plainShutdownExitsZero() {
    VireoProcess vireo = start("--port", Integer.toString(port), "--http-port", "0");
    vireo.awaitPong(port);
    Cli.run(port, "SHUTDOWN");
    assertEquals(0, vireo.awaitExit(), vireo::output);
  }

  @Test
  void sigtermShutsDownGracefully() {
    VireoProcess vireo = start("--port", Integer.toString(port), "--http-port", "0");
    vireo.awaitPong(port);
    // SIGTERM through the handle: Process.destroy() would also close our end of the output pipe
    vireo.process.toHandle().destroy();
    int status = vireo.awaitExit();
    assertTrue(status == 0, "exit status " + status + "; output: " + vireo.output());
    assertTrue(SHUTTING_DOWN.matcher(vireo.output()).find(), vireo.output());
  }

  @Test
  void aCorruptRdbFileStopsTheNode(@TempDir Path dir) throws IOException {
    Files.write(dir.resolve("dump.rdb"), "REDIS0010\u00fa\u0009redis-ver\u00ffgarbage".getBytes(StandardCharsets.ISO_8859_1));
    VireoProcess vireo = start("--port", Integer.toString(port), "--http-port", "0", "--dir", dir.toString());
    int status = vireo.awaitExit();
    assertNotEquals(0, status, vireo.output());
    assertTrue(vireo.output().contains("Fatal error loading the DB"), vireo.output());
  }

  @Test
  void unknownDirectiveOnTheCommandLineIsFatal() {
    VireoProcess vireo = start("--port", Integer.toString(port), "--http-port", "0", "--no-such-directive", "1");
    int status = vireo.awaitExit();
    assertNotEquals(0, status, vireo.output());
    assertTrue(vireo.output().contains("Bad directive or wrong number of arguments"), vireo.output());
    assertTrue(vireo.output().contains("no-such-directive"), vireo.output());
  }

  @Test
  void badIntegerInAConfigFileIsFatalAndNamesTheFile(@TempDir Path dir) throws IOException {
    Path conf = dir.resolve("broken-vireo.conf");
    Files.writeString(conf, "# a broken file\nport abc\n");
    // The flags come after the file, so a server that wrongly accepted the file still avoids the default ports.
    VireoProcess vireo = start(conf.toString(), "--port", Integer.toString(port), "--http-port", "0");
    int status = vireo.awaitExit();
    assertNotEquals(0, status, vireo.output());
    assertTrue(vireo.output().contains("broken-vireo.conf"), vireo.output());
    assertTrue(vireo.output().contains("argument couldn't be parsed into an integer"), vireo.output());
    assertTrue(vireo.output().contains("port abc"), vireo.output());
  }

  // ----------------------------------------------------------------------------------------- the process

  private VireoProcess start(String... args) {
    Path jar = Path.of(System.getProperty("vireo.jar", "target/vireo.jar"));
    assertTrue(Files.isRegularFile(jar), "no jar at " + jar.toAbsolutePath() + "; run mvn package first");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    if (!List.of(args).contains("--dir")) {
      try {
        // SHUTDOWN saves when save rules are configured (the default): keep the file out of the project directory
        command.addAll(List.of("--dir", Files.createTempDirectory("vireo-it").toString()));
      } catch (IOException e) {
        return fail("cannot create a temp dir", e);
      }
    }
    try {
      VireoProcess vireo = new VireoProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
      processes.add(vireo);
      return vireo;
    } catch (IOException e) {
      return fail("cannot start " + command, e);
    }
  }

  /** A started jar whose merged stdout/stderr is collected by a reader thread. */
  private static final class VireoProcess {
    final Process process;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;

    VireoProcess(Process process) {
      this.process = process;
      this.reader = new Thread(() -> {
        byte[] buf = new byte[8192];
        try (InputStream in = process.getInputStream()) {
          for (int n; (n = in.read(buf)) >= 0; ) {
            output.append(new String(buf, 0, n, StandardCharsets.UTF_8));
          }
        } catch (IOException ignored) {
          // the process is gone
        }
      }, "vireo-output");
      reader.setDaemon(true);
      reader.start();
    }

    String output() {
      return output.toString();
    }

    /** Waits until the node answers PING on the port. */
    void awaitPong(int port) {
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      String last = "";
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          fail("vireo exited with " + process.exitValue() + " before answering PING; output: " + output());
        }
        try (RespClient client = new RespClient(port).readTimeout(Duration.ofSeconds(2))) {
          last = client.call("PING");
          if (last.equals("+PONG\r\n")) {
            return;
          }
        } catch (RuntimeException e) {
          last = e.getMessage();
        }
        pause();
      }
      fail("vireo did not answer PING on " + port + " within " + START_TIMEOUT.toSeconds() + " s (last: " + last
          + "); output: " + output());
    }

    /** Waits until the output matches; returns it. */
    String awaitOutput(Pattern pattern) {
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        String text = output();
        if (pattern.matcher(text).find()) {
          return text;
        }
        pause();
      }
      return fail("output never matched " + pattern + " within " + START_TIMEOUT.toSeconds() + " s: " + output());
    }

    /** Waits for the process to end, then for its output to be drained; returns its exit status. */
    int awaitExit() {
      try {
        if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          kill();
          fail("vireo did not exit within " + EXIT_TIMEOUT.toSeconds() + " s; output: " + output());
        }
        reader.join(5000);
        return process.exitValue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return fail("interrupted", e);
      }
    }

    void kill() {
      if (process.isAlive()) {
        process.destroyForcibly();
        try {
          process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private static void pause() {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
