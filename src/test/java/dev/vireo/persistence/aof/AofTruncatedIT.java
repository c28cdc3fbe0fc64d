package dev.vireo.persistence.aof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TempDirs;
import dev.vireo.testkit.VireoJar;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The last incr file of a real redis-server's AOF ends inside a command (or inside a MULTI block): with
 * {@code aof-load-truncated yes} both servers cut it back to its last complete command (before the MULTI), warn,
 * and serve every complete command; with {@code no} both refuse to start. Redis's behaviour is checked on a copy
 * of the same files in the same run.
 */
class AofTruncatedIT {
  private static final String INCR = "appendonly.aof.1.incr.aof";
  private final List<Path> dirs = new ArrayList<>();

  /** The files, the dataset as of the last complete command, and where that command ended. */
  private record Written(Path source, String digest, Map<Integer, Map<String, String>> keys, long validSize) {}

  @AfterEach
  void cleanUp() {
    dirs.forEach(TempDirs::deleteQuietly);
  }

  private Path dir(String prefix) {
    Path d = AofFixtures.tempDir(prefix);
    dirs.add(d);
    return d;
  }

  /**
   * A workload, then one last write that the file loses part of: a long RPUSH cut in its middle, or a MULTI block
   * cut just before its EXEC (every command in it complete).
   */
  private Written write(boolean multi) {
    Path source = dir("aof-source");
    String digest;
    Map<Integer, Map<String, String>> keys;
    long valid;
    try (RedisServerProcess redis = RedisServerProcess.start("--appendonly", "yes", "--appendfsync", "always",
        "--enable-debug-command", "yes"); RespClient r = redis.client()) {
      AofFixtures.workload(r, 21, 800);
      r.call("SELECT", "0");
      r.call("SET", "pre", "x"); // the last write before the cut one is in db 0, so no SELECT comes between
      digest = r.call("DEBUG", "DIGEST");
      keys = AofFixtures.keyDigests(r);
      Path incr = redis.dir().resolve("appendonlydir").resolve(INCR);
      valid = AofFixtures.size(incr);
      List<String> rpush = new ArrayList<>(List.of("RPUSH", "cut"));
      for (int i = 0; i < 300; i++) rpush.add("element-" + i);
      if (multi) {
        r.call("MULTI");
        r.call("SET", "in-tx", "1");
        r.call(rpush.toArray(String[]::new));
        assertTrue(r.call("EXEC").startsWith("*2\r\n"));
      } else {
        r.call(rpush.toArray(String[]::new));
      }
      r.sendRaw(RespClient.encodeCommand("SHUTDOWN", "NOSAVE"));
      r.isClosedByPeer(Duration.ofSeconds(5));
      redis.awaitExit();
      AofFixtures.copyDir(redis.dir().resolve("appendonlydir"), source);
    }
    Path incr = source.resolve(INCR);
    byte[] data = AofFixtures.bytes(incr);
    List<Integer> commands = AofFixtures.commandOffsets(data, (int) valid);
    int cut;
    if (multi) {
      assertEquals(5, commands.size(), "MULTI, SET, RPUSH, EXEC and the end, after the valid part");
      cut = commands.get(3); // the file ends right before EXEC
    } else {
      assertEquals(2, commands.size(), "the RPUSH alone after the valid part");
      cut = (int) (valid + (data.length - valid) / 2);
    }
    AofFixtures.write(incr, Arrays.copyOf(data, cut));
    return new Written(source, digest, keys, valid);
  }

  private Path copy(Written w, String prefix) {
    Path d = dir(prefix);
    AofFixtures.copyDir(w.source(), d.resolve("appendonlydir"));
    return d;
  }

  @ParameterizedTest(name = "inside MULTI: {0}")
  @ValueSource(booleans = {false, true})
  void withAofLoadTruncatedTheTailIsCutBack(boolean multi) {
    Written w = write(multi);
    String truncating = "!!! Truncating the AOF " + INCR + " at offset " + w.validSize() + " !!!";
    String anyway = "AOF " + INCR + " loaded anyway because aof-load-truncated is enabled";
    String revert = "Revert incomplete MULTI/EXEC transaction in AOF file " + INCR;

    Path redisDir = copy(w, "redis-aof");
    try (RedisServerProcess redis = RedisServerProcess.start("--dir", redisDir.toString(), "--appendonly", "yes",
        "--aof-load-truncated", "yes", "--enable-debug-command", "yes"); RespClient r = redis.client()) {
      assertEquals(w.digest(), r.call("DEBUG", "DIGEST"));
      assertEquals(w.validSize(), AofFixtures.size(redisDir.resolve("appendonlydir").resolve(INCR)));
      String log = redis.log();
      assertTrue(log.contains("!!! Warning: short read while loading the AOF file " + INCR + "!!!"), log);
      assertTrue(log.contains(truncating), log);
      assertTrue(log.contains(anyway), log);
      assertEquals(multi, log.contains(revert), log);
    }

    Path vireoDir = copy(w, "vireo-aof");
    try (VireoJar vireo = VireoJar.start(Map.of(), "--dir", vireoDir.toString(), "--appendonly", "yes",
        "--aof-load-truncated", "yes", "--enable-debug-command", "yes"); RespClient v = vireo.client()) {
      AofFixtures.assertSameKeys(w.keys(), AofFixtures.keyDigests(v));
      assertEquals(w.digest(), v.call("DEBUG", "DIGEST"));
      assertEquals(w.validSize(), AofFixtures.size(vireoDir.resolve("appendonlydir").resolve(INCR)));
      String out = vireo.output();
      assertTrue(out.contains("!!! Warning: short read while loading the AOF file " + INCR + "!!!"), out);
      assertTrue(out.contains(truncating), out);
      assertTrue(out.contains(anyway), out);
      assertEquals(multi, out.contains(revert), out);
    }
  }

  @ParameterizedTest(name = "inside MULTI: {0}")
  @ValueSource(booleans = {false, true})
  void withoutAofLoadTruncatedNeitherStarts(boolean multi) {
    Written w = write(multi);
    String unexpected = "Unexpected end of file reading the append only file " + INCR;

    Path redisDir = copy(w, "redis-aof");
    long cutSize = AofFixtures.size(redisDir.resolve("appendonlydir").resolve(INCR));
    IllegalStateException refused = assertThrows(IllegalStateException.class, () -> RedisServerProcess.start(
        "--dir", redisDir.toString(), "--appendonly", "yes", "--aof-load-truncated", "no").close());
    assertTrue(refused.getMessage().contains("redis-server exited with 1"), refused.getMessage());
    assertTrue(refused.getMessage().contains(unexpected + ". You can: 1) Make a backup of your AOF file, then use "
        + "./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' "
        + "configuration option to yes and restart the server."), refused.getMessage());

    Path vireoDir = copy(w, "vireo-aof");
    try (VireoJar vireo = VireoJar.launch(Map.of(), "--dir", vireoDir.toString(), "--appendonly", "yes",
        "--aof-load-truncated", "no")) {
      assertEquals(1, vireo.awaitExit());
      String out = vireo.output();
      assertTrue(out.contains(unexpected + " after offset " + w.validSize()), out);
      assertTrue(out.contains("'aof-load-truncated' configuration option to yes"), out);
    }
    // refusing leaves the file as it was
    assertEquals(cutSize, AofFixtures.size(vireoDir.resolve("appendonlydir").resolve(INCR)));
  }
}
