package dev.vireo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.FreePort;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RespClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/vireo}, the README's way to run a node: it makes its class-data archive on first use, starts a node
 * that answers PING, and that node ends with status 0 on SIGTERM; a damaged archive is made again, never a reason
 * not to start.
 */
@Timeout(300)
class LauncherIT {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  @TempDir
  Path cds;
  @TempDir
  Path data;
  private Process process;

  @AfterEach
  void kill() throws InterruptedException {
    if (process != null && process.isAlive()) process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  @Test
  void startsANodeThatAnswersPingAndExitsZeroOnSigterm() throws Exception {
    runOnce("first"); // makes the archive
    Path archive = archive();
    assertTrue(Files.size(archive) > 0, "archive " + archive);
    runOnce("second"); // runs on it
  }

  @Test
  void aTruncatedArchiveIsMadeAgainAndTheNodeStarts() throws Exception {
    runOnce("first");
    Path archive = archive();
    long whole = Files.size(archive);
    assertTrue(archive.toFile().setWritable(true), "writable " + archive); // the JVM writes it read-only
    try (FileChannel f = FileChannel.open(archive, StandardOpenOption.WRITE)) {
      f.truncate(whole / 3);
    }
    runOnce("after truncation");
    assertTrue(Files.size(archive()) > whole / 3, "the archive was made again");
  }

  /** Starts the launcher, waits for +PONG, sends SIGTERM and expects exit status 0. */
  private void runOnce(String which) throws Exception {
    int port = FreePort.get();
    Path out = data.resolve(which.replace(' ', '-') + ".log");
    ProcessBuilder builder = new ProcessBuilder(List.of("bin/vireo", "--port", Integer.toString(port),
        "--http-port", "0", "--save", "", "--dir", data.toString()))
        .redirectErrorStream(true).redirectOutput(out.toFile());
    builder.environment().put("VIREO_JAR", Path.of(System.getProperty("vireo.jar", "target/vireo.jar"))
        .toAbsolutePath().toString());
    builder.environment().put("VIREO_CDS_DIR", cds.toString());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().keySet().removeIf(k -> k.startsWith("OTEL_"));
    builder.environment().put("OTEL_SDK_DISABLED", "true");
    process = builder.start();

    Poll.until(START_TIMEOUT, which + " run answers PING on " + port, () -> {
      if (!process.isAlive()) throw new AssertionError("exited with " + process.exitValue() + ": " + read(out));
      try (RespClient client = new RespClient(port).readTimeout(Duration.ofSeconds(2))) {
        return client.call("PING").equals("+PONG\r\n");
      } catch (RuntimeException notYet) {
        return false;
      }
    }, () -> read(out));

    process.toHandle().destroy(); // SIGTERM, as a service manager stops it
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "no exit after SIGTERM: " + read(out));
    assertEquals(0, process.exitValue(), () -> read(out));
  }

  private Path archive() throws IOException {
    try (Stream<Path> files = Files.list(cds)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".jsa")).findFirst()
          .orElseThrow(() -> new AssertionError("no archive in " + cds));
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
