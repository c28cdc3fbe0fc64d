package dev.vireo.persistence.aof;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.testkit.InfoFields;
import dev.vireo.testkit.Poll;
import dev.vireo.testkit.RespClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the AOF tests share: a seeded workload of every type (sent to a real redis-server, which writes the AOF),
 * the dataset as a map of per-key digests per database, and copying an AOF directory for another server.
 */
final class AofFixtures {
  /** Databases the workload writes to, besides 0. */
  static final int[] DBS = {0, 0, 0, 3, 9};
  /** Far enough that nothing expires between the writer's stop and the loader's start. */
  private static final long TTL = 100_000;

  private AofFixtures() {}

  /** {@code ops} random writes of every type, in several databases, with transactions; replies are not checked. */
  static void workload(RespClient r, long seed, int ops) {
    Random rnd = new Random(seed);
    int db = 0;
    r.call("SELECT", "0");
    for (int i = 0; i < ops; i++) {
      int want = DBS[rnd.nextInt(DBS.length)];
      if (want != db) {
        r.call("SELECT", Integer.toString(want));
        db = want;
      }
      int k = rnd.nextInt(30);
      switch (rnd.nextInt(16)) {
        case 0 -> r.call("SET", "s:" + k, "v" + rnd.nextInt(1000), "EX", Long.toString(TTL + rnd.nextInt(1000)));
        case 1 -> r.call("SET", "s:" + k, "value-" + i);
        case 2 -> r.call("INCRBY", "c:" + k, Integer.toString(rnd.nextInt(100) - 50));
        case 3 -> r.call("APPEND", "s:" + k, "+" + i);
        case 4 -> {
          r.call("RPUSH", "l:" + k, "a" + i, "b" + i, "c" + rnd.nextInt(9));
          if (rnd.nextInt(3) == 0) r.call("LPOP", "l:" + k);
          if (rnd.nextInt(5) == 0) r.call("LTRIM", "l:" + k, "0", "6");
        }
        case 5 -> {
          r.call("HSET", "h:" + k, "f" + rnd.nextInt(20), "v" + i, "g" + rnd.nextInt(20), Integer.toString(i));
          if (rnd.nextInt(4) == 0) r.call("HDEL", "h:" + k, "f" + rnd.nextInt(20));
          if (rnd.nextInt(6) == 0) r.call("HINCRBY", "h:" + k, "n", "3");
        }
        case 6 -> {
          r.call("SADD", "set:" + k, Integer.toString(rnd.nextInt(50)), "m" + rnd.nextInt(50));
          if (rnd.nextInt(4) == 0) r.call("SREM", "set:" + k, Integer.toString(rnd.nextInt(50)));
          if (rnd.nextInt(8) == 0) r.call("SPOP", "set:" + k);
        }
        case 7 -> {
          r.call("ZADD", "z:" + k, Integer.toString(rnd.nextInt(100)), "m" + rnd.nextInt(40));
          if (rnd.nextInt(3) == 0) r.call("ZINCRBY", "z:" + k, "1.5", "m" + rnd.nextInt(40));
          if (rnd.nextInt(6) == 0) r.call("ZPOPMIN", "z:" + k);
        }
        case 8 -> stream(r, rnd, "x:" + (k % 6), i);
        case 9 -> r.call("EXPIRE", pick(rnd, k), Long.toString(TTL + rnd.nextInt(100)));
        case 10 -> {
          if (rnd.nextBoolean()) r.call("PERSIST", pick(rnd, k));
          else r.call("DEL", pick(rnd, k));
        }
        case 11 -> {
          r.call("MULTI");
          r.call("INCR", "c:" + k);
          r.call("RPUSH", "l:" + k, "tx" + i);
          r.call("HSET", "h:" + k, "tx", Integer.toString(i));
          r.call("SET", "s:tx", Integer.toString(i), "PX", Long.toString(TTL * 1000));
          r.call("EXEC");
        }
        case 12 -> r.call("PFADD", "hll:" + (k % 4), "e" + rnd.nextInt(500), "e" + rnd.nextInt(500));
        case 13 -> {
          r.call("SETBIT", "bits:" + (k % 4), Integer.toString(rnd.nextInt(2000)), "1");
          r.call("SETRANGE", "s:r" + (k % 4), Integer.toString(rnd.nextInt(20)), "xyz");
        }
        case 14 -> big(r, rnd, k, i);
        default -> {
          if (rnd.nextInt(4) == 0) r.call("RENAME", "s:" + k, "s:" + rnd.nextInt(30));
          else r.call("PEXPIREAT", pick(rnd, k), Long.toString(System.currentTimeMillis() + TTL * 1000));
        }
      }
    }
  }

  private static String pick(Random rnd, int k) {
    String[] prefixes = {"s:", "c:", "l:", "h:", "set:", "z:"};
    return prefixes[rnd.nextInt(prefixes.length)] + k;
  }

  /** Streams with consumer groups: entries, trims, groups, reads that fill the PEL, acks and claims. */
  private static void stream(RespClient r, Random rnd, String key, int i) {
    switch (rnd.nextInt(7)) {
      case 0 -> r.call("XADD", key, "MAXLEN", "~", "40", "*", "f", "v" + i, "n", Integer.toString(i));
      case 1 -> r.call("XGROUP", "CREATE", key, "g" + rnd.nextInt(3), "0", "MKSTREAM");
      case 2 -> r.call("XREADGROUP", "GROUP", "g" + rnd.nextInt(3), "c" + rnd.nextInt(3), "COUNT", "3", "STREAMS",
          key, ">");
      case 3 -> r.call("XTRIM", key, "MAXLEN", Integer.toString(10 + rnd.nextInt(20)));
      case 4 -> r.call("XAUTOCLAIM", key, "g" + rnd.nextInt(3), "c9", "0", "0-0", "COUNT", "2");
      case 5 -> r.call("XGROUP", "CREATECONSUMER", key, "g" + rnd.nextInt(3), "idle" + rnd.nextInt(3));
      default -> {
        for (int j = 0; j < 3; j++) r.call("XADD", key, "*", "f", "w" + i + "." + j);
      }
    }
  }

  /** Values past the small encodings: a quicklist, a hashtable hash, a skiplist zset, a big set. */
  private static void big(RespClient r, Random rnd, int k, int i) {
    List<String> args = new ArrayList<>();
    switch (rnd.nextInt(4)) {
      case 0 -> {
        args.addAll(List.of("RPUSH", "bl:" + (k % 3)));
        for (int j = 0; j < 150; j++) args.add("item-" + i + "-" + j);
      }
      case 1 -> {
        args.addAll(List.of("HSET", "bh:" + (k % 3)));
        for (int j = 0; j < 150; j++) args.addAll(List.of("field" + j, "v" + i));
      }
      case 2 -> {
        args.addAll(List.of("ZADD", "bz:" + (k % 3)));
        for (int j = 0; j < 150; j++) args.addAll(List.of(Integer.toString(rnd.nextInt(10000)), "m" + j));
      }
      default -> {
        args.addAll(List.of("SADD", "bs:" + (k % 3)));
        for (int j = 0; j < 600; j++) args.add(Integer.toString(rnd.nextInt(100000)));
      }
    }
    r.call(args.toArray(String[]::new));
  }

  /** Per database (non-empty only): each key's DEBUG DIGEST-VALUE. */
  static Map<Integer, Map<String, String>> keyDigests(RespClient r) {
    Map<Integer, Map<String, String>> out = new TreeMap<>();
    for (int db = 0; db < 16; db++) {
      r.call("SELECT", Integer.toString(db));
      List<String> keys = strings(r.call("KEYS", "*"));
      if (keys.isEmpty()) continue;
      Map<String, String> digests = new TreeMap<>();
      for (String key : keys) digests.put(key, strings(r.call("DEBUG", "DIGEST-VALUE", key)).get(0));
      out.put(db, digests);
    }
    r.call("SELECT", "0");
    return out;
  }

  /** Fails naming the first keys (database, key) whose digests differ or that only one side has. */
  static void assertSameKeys(Map<Integer, Map<String, String>> expected, Map<Integer, Map<String, String>> actual) {
    List<String> diffs = new ArrayList<>();
    java.util.Set<Integer> dbs = new java.util.TreeSet<>(expected.keySet());
    dbs.addAll(actual.keySet());
    for (int db : dbs) {
      Map<String, String> e = expected.getOrDefault(db, Map.of());
      Map<String, String> a = actual.getOrDefault(db, Map.of());
      java.util.Set<String> keys = new java.util.TreeSet<>(e.keySet());
      keys.addAll(a.keySet());
      for (String k : keys) {
        if (!java.util.Objects.equals(e.get(k), a.get(k))) diffs.add(db + ":" + k + " " + e.get(k) + " / " + a.get(k));
      }
    }
    int total = expected.values().stream().mapToInt(Map::size).sum();
    assertEquals(List.of(), diffs.subList(0, Math.min(20, diffs.size())), diffs.size() + " of " + total
        + " keys differ (db:key expected / actual)");
  }

  /** DBSIZE of each database. */
  static List<String> dbsizes(RespClient r) {
    List<String> sizes = new ArrayList<>();
    for (int db = 0; db < 16; db++) {
      r.call("SELECT", Integer.toString(db));
      sizes.add(r.call("DBSIZE"));
    }
    r.call("SELECT", "0");
    return sizes;
  }

  /** The strings of a flat RESP array of bulk or simple strings. */
  static List<String> strings(String reply) {
    List<String> out = new ArrayList<>();
    String[] lines = reply.split("\r\n", -1);
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].startsWith("$")) {
        out.add(lines[++i]);
      } else if (lines[i].startsWith("+")) {
        out.add(lines[i].substring(1));
      }
    }
    return out;
  }

  /** Waits for a BGREWRITEAOF to be over on a real redis-server. */
  static void awaitRewrite(RespClient r) {
    Poll.until(Poll.WAIT, "the AOF rewrite to end", () -> {
      String info = r.call("INFO", "persistence");
      return InfoFields.get(info, "aof_rewrite_in_progress").equals("0")
          && InfoFields.get(info, "aof_rewrite_scheduled").equals("0");
    });
    assertEquals("ok", InfoFields.get(r, "aof_last_bgrewrite_status"));
  }

  /** Copies the files of {@code from} (not recursively) into {@code to}, created if needed. */
  static void copyDir(Path from, Path to) {
    try {
      Files.createDirectories(to);
      try (Stream<Path> files = Files.list(from)) {
        for (Path f : files.toList()) {
          if (Files.isRegularFile(f)) Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The offsets where each command of an AOF file's command part starts (from {@code from}), then its end. */
  static List<Integer> commandOffsets(byte[] data, int from) {
    List<Integer> out = new ArrayList<>();
    int at = from;
    while (at < data.length) {
      if (data[at] == '#') {
        at = lineEnd(data, at);
        continue;
      }
      out.add(at);
      int eol = lineEnd(data, at);
      int argc = Integer.parseInt(new String(data, at + 1, eol - at - 3, java.nio.charset.StandardCharsets.US_ASCII));
      at = eol;
      for (int i = 0; i < argc; i++) {
        eol = lineEnd(data, at);
        int len = Integer.parseInt(new String(data, at + 1, eol - at - 3, java.nio.charset.StandardCharsets.US_ASCII));
        at = eol + len + 2;
      }
    }
    out.add(at);
    return out;
  }

  private static int lineEnd(byte[] data, int at) {
    while (data[at] != '\n') at++;
    return at + 1;
  }

  static byte[] bytes(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(Path p, byte[] data) {
    try {
      Files.write(p, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
