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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/vireo}, the README's way to run a node: it makes its class-data archive on first use, starts a node
 * that answers PING, and that node ends with status 0 on SIGTERM; a damaged archive is made again, never a reason
 * not to start; the heap's limit follows maxmemory.
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

  /**
   * The heap's limit follows maxmemory (twice it plus 256 MB), from the configuration file or the command line
   * (which wins, as for the node); JAVA_OPTS's own -Xmx wins over both.
   */
  @Test
  void theHeapLimitFollowsMaxmemory() throws Exception {
    Path conf = data.resolve("vireo.conf");
    Files.writeString(conf, "maxmemory 100mb\n");
    long mb = 1024 * 1024;
    assertEquals((2 * 100 + 256) * mb, heapMax("file", Map.of(), conf.toString()));
    assertEquals((2 * 300 + 256) * mb, heapMax("flag", Map.of(), conf.toString(), "--maxmemory", "300mb"));
    assertEquals(300 * mb, heapMax("opts", Map.of("JAVA_OPTS", "-Xmx300m"), "--maxmemory", "1gb"));
  }

  /**
   * The launcher runs Shenandoah, compact heuristics, where the JDK has it (G1 otherwise), and the collector JAVA_OPTS
   * names when it names one, with that collector's settings.
   */
  @Test
  void theCollectorIsShenandoahWhereTheJdkHasIt() throws Exception {
    String expected = hasShenandoah() ? "gc Shenandoah Cycles:" : "gc G1 Young Generation:";
    assertTrue(mallocStats("default", Map.of()).contains(expected), expected);
    assertTrue(mallocStats("named", Map.of("JAVA_OPTS", "-XX:+UseG1GC")).contains("gc G1 Young Generation:"));
  }

  private static boolean hasShenandoah() throws Exception {
    Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseShenandoahGC", "-version").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    assertTrue(java.waitFor(60, TimeUnit.SECONDS));
    return java.exitValue() == 0;
  }

  /** INFO's jvm_heap_max of a node started (without an archive) by the launcher with these arguments. */
  private long heapMax(String which, Map<String, String> env, String... args) throws Exception {
    for (String line : ask(which, env, List.of("INFO", "memory"), args).split("\r\n")) {
      if (line.startsWith("jvm_heap_max:")) return Long.parseLong(line.substring("jvm_heap_max:".length()));
    }
    throw new AssertionError("no jvm_heap_max in INFO memory");
  }

  /** MEMORY MALLOC-STATS of a node started by the launcher: the JVM's pools and collectors. */
  private String mallocStats(String which, Map<String, String> env) throws Exception {
    return ask(which, env, List.of("MEMORY", "MALLOC-STATS"));
  }

  /** The reply to one command of a node started (without an archive) by the launcher with these arguments. */
  private String ask(String which, Map<String, String> env, List<String> request, String... args) throws Exception {
    int port = FreePort.get();
    Path out = data.resolve(which + ".log");
    List<String> command = new ArrayList<>(List.of(args));
    command.add(0, "bin/vireo");
    command.addAll(List.of("--port", Integer.toString(port), "--http-port", "0", "--save", "", "--dir",
        data.toString()));
    ProcessBuilder builder = launcher(command, out);
    builder.environment().put("VIREO_CDS", "off");
    builder.environment().putAll(env);
    process = builder.start();
    awaitPong(which, port, out);
    try (RespClient client = new RespClient(port)) {
      return client.call(request.toArray(String[]::new));
    } finally {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** Starts the launcher, waits for +PONG, sends SIGTERM and expects exit status 0. */
  private void runOnce(String which) throws Exception {
    int port = FreePort.get();
    Path out = data.resolve(which.replace(' ', '-') + ".log");
    ProcessBuilder builder = launcher(List.of("bin/vireo", "--port", Integer.toString(port),
        "--http-port", "0", "--save", "", "--dir", data.toString()), out);
    process = builder.start();
    awaitPong(which, port, out);

    process.toHandle().destroy(); // SIGTERM, as a service manager stops it
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "no exit after SIGTERM: " + read(out));
    assertEquals(0, process.exitValue(), () -> read(out));
  }

  private ProcessBuilder launcher(List<String> command, Path out) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
    builder.environment().put("VIREO_JAR", Path.of(System.getProperty("vireo.jar", "target/vireo.jar"))
        .toAbsolutePath().toString());
    builder.environment().put("VIREO_CDS_DIR", cds.toString());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().keySet().removeIf(k -> k.startsWith("OTEL_"));
    builder.environment().put("OTEL_SDK_DISABLED", "true");
    builder.environment().remove("JAVA_OPTS");
    return builder;
  }

  private void awaitPong(String which, int port, Path out) {
    Poll.until(START_TIMEOUT, which + " run answers PING on " + port, () -> {
      if (!process.isAlive()) throw new AssertionError("exited with " + process.exitValue() + ": " + read(out));
      try (RespClient client = new RespClient(port).readTimeout(Duration.ofSeconds(2))) {
        return client.call("PING").equals("+PONG\r\n");
      } catch (RuntimeException notYet) {
        return false;
      }
    }, () -> read(out));
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
