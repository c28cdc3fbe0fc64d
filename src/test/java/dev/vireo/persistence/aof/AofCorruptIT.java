package dev.vireo.persistence.aof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TempDirs;
import dev.vireo.testkit.VireoJar;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Corrupt AOF files from a real redis-server (base as commands, then an incr file): garbage between two commands,
 * a damaged argument header, a base file cut short with an incr file after it. Neither server starts; Vireo's
 * message names the file and the byte offset where the bad bytes start. Redis's own message is checked on a copy
 * of the same files in the same run.
 */
class AofCorruptIT {
  private static final String BASE = "appendonly.aof.2.base.aof";
  private static final String INCR = "appendonly.aof.2.incr.aof";
  private final List<Path> dirs = new ArrayList<>();
  private Path source;

  /** A base written by BGREWRITEAOF without the RDB preamble, then writes in its incr file. */
  @BeforeEach
  void writeAof() {
    source = dir("aof-source");
    try (RedisServerProcess redis = RedisServerProcess.start("--appendonly", "yes", "--aof-use-rdb-preamble", "no",
        "--appendfsync", "always"); RespClient r = redis.client()) {
      AofFixtures.workload(r, 31, 400);
      r.call("BGREWRITEAOF");
      AofFixtures.awaitRewrite(r);
      AofFixtures.workload(r, 32, 400);
      r.sendRaw(RespClient.encodeCommand("SHUTDOWN", "NOSAVE"));
      r.isClosedByPeer(Duration.ofSeconds(5));
      redis.awaitExit();
      AofFixtures.copyDir(redis.dir().resolve("appendonlydir"), source);
    }
  }

  @AfterEach
  void cleanUp() {
    dirs.forEach(TempDirs::deleteQuietly);
  }

  private Path dir(String prefix) {
    Path d = AofFixtures.tempDir(prefix);
    dirs.add(d);
    return d;
  }

  /** A copy of the source files for one server, with {@code file} replaced by {@code data}. */
  private Path copyWith(String file, byte[] data) {
    Path d = dir("aof-corrupt");
    AofFixtures.copyDir(source, d.resolve("appendonlydir"));
    AofFixtures.write(d.resolve("appendonlydir").resolve(file), data);
    return d;
  }

  /** Redis refuses to start on the files; returns its log. */
  private String redisRefuses(String file, byte[] data) {
    Path d = copyWith(file, data);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> RedisServerProcess.start("--dir", d.toString(), "--appendonly", "yes").close());
    assertTrue(e.getMessage().contains("redis-server exited with 1"), e.getMessage());
    return e.getMessage();
  }

  /** Vireo (the jar, as a user starts it) exits with status 1 on the files; returns its output. */
  private String vireoRefuses(String file, byte[] data) {
    Path d = copyWith(file, data);
    try (VireoJar vireo = VireoJar.launch(Map.of(), "--dir", d.toString(), "--appendonly", "yes")) {
      assertEquals(1, vireo.awaitExit(), vireo.output());
      return vireo.output();
    }
  }

  private static byte[] insert(byte[] data, int at, String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(data, 0, at);
    out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    out.write(data, at, data.length - at);
    return out.toByteArray();
  }

  @Test
  void garbageBetweenTwoCommands() {
    byte[] incr = AofFixtures.bytes(source.resolve(INCR));
    List<Integer> commands = AofFixtures.commandOffsets(incr, 0);
    int at = commands.get(commands.size() / 2);
    byte[] bad = insert(incr, at, "this is not a command\r\n");

    String redis = redisRefuses(INCR, bad);
    assertTrue(redis.contains("Bad file format reading the append only file " + INCR + ": make a backup of your "
        + "AOF file, then use ./redis-check-aof --fix <filename.manifest>"), redis);

    String vireo = vireoRefuses(INCR, bad);
    assertTrue(vireo.contains("Bad file format reading the append only file " + INCR + " at offset " + at), vireo);
    assertTrue(vireo.contains("redis-check-aof --fix <filename.manifest>"), vireo);
  }

  @Test
  void aDamagedArgumentHeader() {
    byte[] incr = AofFixtures.bytes(source.resolve(INCR));
    List<Integer> commands = AofFixtures.commandOffsets(incr, 0);
    int command = commands.get(commands.size() / 3);
    int header = command;
    while (incr[header] != '$') header++; // the first argument's $<len> line
    byte[] bad = Arrays.copyOf(incr, incr.length);
    bad[header] = 'X';

    String redis = redisRefuses(INCR, bad);
    assertTrue(redis.contains("Bad file format reading the append only file " + INCR), redis);

    String vireo = vireoRefuses(INCR, bad);
    assertTrue(vireo.contains("Bad file format reading the append only file " + INCR + " at offset " + header),
        vireo);
  }

  @Test
  void aTruncatedFileThatIsNotTheLast() {
    byte[] base = AofFixtures.bytes(source.resolve(BASE));
    List<Integer> commands = AofFixtures.commandOffsets(base, 0);
    int last = commands.get(commands.size() - 2);
    byte[] cut = Arrays.copyOf(base, last + (base.length - last) / 2);

    String redis = redisRefuses(BASE, cut);
    assertTrue(redis.contains("Fatal error: the truncated file is not the last file"), redis);

    String vireo = vireoRefuses(BASE, cut);
    assertTrue(vireo.contains("Fatal error: the truncated file is not the last file: " + BASE
        + " ends inside a command after offset " + last), vireo);
  }

  @Test
  void anUnknownCommand() {
    byte[] incr = AofFixtures.bytes(source.resolve(INCR));
    List<Integer> commands = AofFixtures.commandOffsets(incr, 0);
    byte[] bad = insert(incr, commands.get(commands.size() / 2), "*2\r\n$6\r\nNOSUCH\r\n$1\r\nx\r\n");

    String redis = redisRefuses(INCR, bad);
    assertTrue(redis.contains("Unknown command 'NOSUCH' reading the append only file " + INCR), redis);

    String vireo = vireoRefuses(INCR, bad);
    assertTrue(vireo.contains("Unknown command 'NOSUCH' reading the append only file " + INCR), vireo);
  }
}
