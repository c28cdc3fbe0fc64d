package dev.vireo.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RespClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the AOF tests look at on disk and in INFO persistence, the same way for Redis and Vireo: the files of an
 * {@code appenddirname} directory, the manifest's text, a rewrite waited out, and replies with their clock readings
 * blanked (stream delivery and seen times).
 */
final class AofDirs {
  static final Duration WAIT = Duration.ofSeconds(60);

  private AofDirs() {}

  /** The file names in {@code dir}, sorted; none when it does not exist. */
  static List<String> names(Path dir) {
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String manifest(Path dir) {
    return read(dir.resolve("appendonly.aof.manifest"));
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String persistence(RespClient c, String field) {
    return InfoFields.get(c.call("INFO", "persistence"), field);
  }

  static long rewrites(RespClient c) {
    return Long.parseLong(persistence(c, "aof_rewrites"));
  }

  /** Waits until no rewrite runs or is scheduled and {@code aof_rewrites} is at least {@code atLeast}. */
  static void awaitRewrites(RespClient c, long atLeast) {
    Poll.until(WAIT, "aof_rewrites >= " + atLeast + " and no rewrite running or scheduled", () -> {
      String info = c.call("INFO", "persistence");
      return Long.parseLong(InfoFields.get(info, "aof_rewrites")) >= atLeast
          && InfoFields.get(info, "aof_rewrite_in_progress").equals("0")
          && InfoFields.get(info, "aof_rewrite_scheduled").equals("0");
    }, () -> c.call("INFO", "persistence"));
  }

  /** The field names of an INFO section, in order. */
  static List<String> fieldNames(String info) {
    List<String> names = new ArrayList<>();
    for (String line : info.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#") && !line.startsWith("$")) names.add(line.substring(0, colon));
    }
    return names;
  }

  /** A reply with every integer that reads as a Unix time in milliseconds (13 digits) blanked. */
  static String withoutTimes(String reply) {
    return reply.replaceAll(":\\d{13}\r\n", ":<time>\r\n");
  }

  /** The digest of each listed db is the one expected (DBSIZE per db, then DEBUG DIGEST). */
  static void assertSameDataset(String expectedDigest, List<String> expectedSizes, RespClient c, String context) {
    assertEquals(expectedDigest, c.call("DEBUG", "DIGEST"), context);
    assertEquals(expectedSizes, dbSizes(c, expectedSizes.size()), context);
  }

  /** DBSIZE of dbs 0..n-1, leaving the connection on db 0. */
  static List<String> dbSizes(RespClient c, int n) {
    List<String> sizes = new ArrayList<>();
    for (int db = 0; db < n; db++) {
      c.call("SELECT", Integer.toString(db));
      sizes.add(c.call("DBSIZE"));
    }
    c.call("SELECT", "0");
    return sizes;
  }
}
