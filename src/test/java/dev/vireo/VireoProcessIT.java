package dev.vireo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.Cli;
import dev.vireo.testkit.FreePort;
import dev.vireo.testkit.VireoJar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar run as a user runs it: startup log, shutdown paths, fatal configuration errors. */
@Timeout(120)
class VireoProcessIT {
  private static final Pattern SHUTTING_DOWN = Pattern.compile("shut(ting)?\\s*down", Pattern.CASE_INSENSITIVE);
  /** The default save rules back (VireoJar turns snapshots off): SHUTDOWN and SIGTERM save as a user's node does. */
  private static final List<String> DEFAULT_SAVE = List.of("--save", "3600 1 300 100 60 10000");

  private final List<VireoJar> processes = new ArrayList<>();
  private int port;

  @BeforeEach
  void pickPort() {
    port = FreePort.get();
  }

  @AfterEach
  void killLeftovers() {
    processes.forEach(VireoJar::close);
  }

  @Test
  void startupLogNamesPortPidAndRoleThenShutdownNosaveExitsZero() {
    VireoJar vireo = start("--port", Integer.toString(port), "--http-port", "0");
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
    VireoJar vireo = start("--port", Integer.toString(port), "--http-port", "0");
    Cli.run(port, "SHUTDOWN");
    assertEquals(0, vireo.awaitExit(), vireo::output);
  }

  @Test
  void sigtermShutsDownGracefully() {
    VireoJar vireo = start("--port", Integer.toString(port), "--http-port", "0");
    vireo.terminate();
    int status = vireo.awaitExit();
    assertTrue(status == 0, "exit status " + status + "; output: " + vireo.output());
    assertTrue(SHUTTING_DOWN.matcher(vireo.output()).find(), vireo.output());
  }

  @Test
  void aCorruptRdbFileStopsTheNode(@TempDir Path dir) throws IOException {
    Files.write(dir.resolve("dump.rdb"), "REDIS0010\u00fa\u0009redis-ver\u00ffgarbage".getBytes(StandardCharsets.ISO_8859_1));
    VireoJar vireo = launch("--port", Integer.toString(port), "--http-port", "0", "--dir", dir.toString());
    int status = vireo.awaitExit();
    assertNotEquals(0, status, vireo.output());
    assertTrue(vireo.output().contains("Fatal error loading the DB"), vireo.output());
  }

  @Test
  void unknownDirectiveOnTheCommandLineIsFatal() {
    VireoJar vireo = launch("--port", Integer.toString(port), "--http-port", "0", "--no-such-directive", "1");
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
    VireoJar vireo = launch(conf.toString(), "--port", Integer.toString(port), "--http-port", "0");
    int status = vireo.awaitExit();
    assertNotEquals(0, status, vireo.output());
    assertTrue(vireo.output().contains("broken-vireo.conf"), vireo.output());
    assertTrue(vireo.output().contains("argument couldn't be parsed into an integer"), vireo.output());
    assertTrue(vireo.output().contains("port abc"), vireo.output());
  }

  private VireoJar start(String... args) {
    VireoJar vireo = VireoJar.start(Map.of(), withDefaultSave(args));
    processes.add(vireo);
    return vireo;
  }

  /** Without waiting for PING: the fatal cases never answer it. */
  private VireoJar launch(String... args) {
    VireoJar vireo = VireoJar.launch(Map.of(), withDefaultSave(args));
    processes.add(vireo);
    return vireo;
  }

  private static String[] withDefaultSave(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(DEFAULT_SAVE);
    return all.toArray(String[]::new);
  }
}
