package dev.vireo.persistence.rdb;

import static dev.vireo.persistence.rdb.RdbTestData.b;
import static dev.vireo.persistence.rdb.RdbTestData.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.persistence.rdb.RdbTestData.Recorder;
import dev.vireo.persistence.rdb.RdbValue.Field;
import dev.vireo.persistence.rdb.RdbValue.HashVal;
import dev.vireo.persistence.rdb.RdbValue.ListVal;
import dev.vireo.persistence.rdb.RdbValue.Member;
import dev.vireo.persistence.rdb.RdbValue.SetVal;
import dev.vireo.persistence.rdb.RdbValue.Str;
import dev.vireo.persistence.rdb.RdbValue.ZSetVal;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TempDirs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** The codecs against the real Redis 7.0: files it writes, files it loads, DUMP and RESTORE. */
class RedisInteropIT {
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final List<Path> dirs = new ArrayList<>();

  @AfterEach
  void stopEverything() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    for (Path dir : dirs) TempDirs.deleteQuietly(dir);
  }

  private RedisServerProcess redis(String... args) {
    List<String> all = new ArrayList<>(List.of("--enable-debug-command", "yes", "--dbfilename", "x.rdb"));
    all.addAll(List.of(args));
    RedisServerProcess redis = RedisServerProcess.start(all.toArray(String[]::new));
    resources.add(redis);
    return redis;
  }

  private RespClient client(RedisServerProcess redis) {
    RespClient client = redis.client();
    resources.add(client);
    return client;
  }

  private Path tempDir() throws IOException {
    Path dir = Files.createTempDirectory("vireo-rdb-test");
    dirs.add(dir);
    return dir;
  }

  // ------------------------------------------------------------------------------------------------- tests

  @Test
  void readsWhatRedisSaves() throws Exception {
    RedisServerProcess a = redis();
    RespClient c = client(a);
    Map<String, RdbValue> expected = fill(c);
    ok(c.call("SAVE"));
    Recorder r = read(a.dir().resolve("x.rdb"));
    assertEquals(Boolean.TRUE, r.ended);
    assertEquals("7.0.15", s(r.aux.get("redis-ver")));
    for (Map.Entry<String, RdbValue> e : expected.entrySet()) {
      RdbValue actual = r.keys.get(e.getKey());
      assertTrue(actual != null, "missing " + e.getKey());
      RdbTestData.assertSameValue(e.getValue(), actual, e.getKey());
    }
    assertEquals(EXPIRE_AT, r.expires.get("2/ttl:str"));
    assertEquals(EXPIRE_AT + 1, r.expires.get("2/ttl:hash"));
    assertEquals(-1L, r.expires.get("0/str:small"));
    assertEquals("value:777", s(((Str) r.keys.get("5/key:777")).value()));
    assertEquals(expected.size() + 1000, r.keys.size());
  }

  @Test
  void redisLoadsWhatTheWriterWritesAndDigestsMatch() throws Exception {
    // Redis -> RDB -> reader -> writer -> Redis: same DEBUG DIGEST, same values, expected encodings
    RedisServerProcess a = redis();
    RespClient ca = client(a);
    Map<String, RdbValue> expected = fill(ca);
    ok(ca.call("SAVE"));
    Recorder r = read(a.dir().resolve("x.rdb"));

    Path dir = tempDir();
    try (OutputStream out = Files.newOutputStream(dir.resolve("x.rdb"))) {
      RdbWriter w = new RdbWriter(out, RdbOptions.defaults()).header();
      w.standardAux(System.currentTimeMillis() / 1000, 1_000_000, 0, "a".repeat(40), 0, false);
      Map<Integer, List<String>> byDb = new LinkedHashMap<>();
      for (String k : r.keys.keySet()) {
        byDb.computeIfAbsent(Integer.parseInt(k.substring(0, k.indexOf('/'))), x -> new ArrayList<>()).add(k);
      }
      for (Map.Entry<Integer, List<String>> db : byDb.entrySet()) {
        long expires = db.getValue().stream().filter(k -> r.expires.get(k) >= 0).count();
        w.selectDb(db.getKey()).resizeDb(db.getValue().size(), expires);
        for (String k : db.getValue()) {
          w.key(b(k.substring(k.indexOf('/') + 1)), r.keys.get(k), r.expires.get(k));
        }
      }
      w.finish();
    }
    RedisServerProcess bServer = redis("--dir", dir.toString(), "--sanitize-dump-payload", "yes");
    RespClient cb = client(bServer);
    assertEquals(ca.call("DEBUG", "DIGEST"), cb.call("DEBUG", "DIGEST"), bServer.log());
    for (Map.Entry<String, RdbValue> e : expected.entrySet()) {
      String k = e.getKey();
      select(cb, Integer.parseInt(k.substring(0, k.indexOf('/'))));
      RdbTestData.assertSameValue(e.getValue(), fetch(cb, k.substring(k.indexOf('/') + 1)), k);
    }
    select(cb, 2);
    long pttl = Long.parseLong(cb.call("PTTL", "ttl:str").trim().substring(1));
    assertTrue(pttl > 0 && pttl <= 3_600_000, "pttl " + pttl);
    select(cb, 0);
    Map<String, String> encodings = Map.of("str:int16", "int", "str:lzf", "raw", "list:big", "quicklist",
        "set:ints", "intset", "set:strings", "hashtable", "set:manyints", "hashtable", "zset:small", "listpack",
        "zset:big", "skiplist", "hash:small", "listpack", "hash:big", "hashtable");
    for (Map.Entry<String, String> e : encodings.entrySet()) {
      assertEquals("$" + e.getValue().length() + "\r\n" + e.getValue() + "\r\n",
          cb.call("OBJECT", "ENCODING", e.getKey()), e.getKey());
    }
    // and Redis can save and reload what it loaded from us
    ok(cb.call("DEBUG", "RELOAD"));
    assertEquals(ca.call("DEBUG", "DIGEST"), cb.call("DEBUG", "DIGEST"));
  }

  @Test
  void redisLoadsTheSampleWithEveryWriterOption() throws Exception {
    for (RdbOptions options : List.of(RdbOptions.defaults(), RdbOptions.defaults().withCompression(false)
        .withChecksum(false), RdbOptions.defaults().withListPackedThreshold(100))) {
      Path dir = tempDir();
      Map<String, RdbValue> sample = RdbTestData.sample();
      try (OutputStream out = Files.newOutputStream(dir.resolve("x.rdb"))) {
        RdbWriter w = new RdbWriter(out, options).header();
        w.standardAux(System.currentTimeMillis() / 1000, 1_000_000, 0, null, 0, false);
        w.selectDb(0).resizeDb(sample.size(), 1);
        for (Map.Entry<String, RdbValue> e : sample.entrySet()) {
          w.key(b(e.getKey()), e.getValue(), e.getKey().equals("hash:big") ? EXPIRE_AT : -1);
        }
        w.finish();
      }
      RedisServerProcess redis = redis("--dir", dir.toString(), "--sanitize-dump-payload", "yes");
      RespClient c = client(redis);
      assertEquals(":" + sample.size() + "\r\n", c.call("DBSIZE"));
      for (Map.Entry<String, RdbValue> e : sample.entrySet()) {
        assertEquals("+" + e.getValue().typeName() + "\r\n", c.call("TYPE", e.getKey()), e.getKey());
        RdbTestData.assertSameValue(e.getValue(), fetch(c, e.getKey()), e.getKey());
      }
      assertEquals(":" + EXPIRE_AT + "\r\n", c.call("PEXPIRETIME", "hash:big"));
      assertEquals(":-1\r\n", c.call("PEXPIRETIME", "str:lzf"));
      redis.close();
      resources.remove(redis);
    }
  }

  @Test
  void dumpAndRestoreWithRedis() throws Exception {
    RedisServerProcess a = redis("--sanitize-dump-payload", "yes");
    RespClient c = client(a);
    Map<String, RdbValue> expected = fill(c);
    select(c, 0);
    for (Map.Entry<String, RdbValue> e : expected.entrySet()) {
      if (!e.getKey().startsWith("0/")) {
        continue;
      }
      String key = e.getKey().substring(2);
      byte[] payload = bulk(c.callBytes(b("DUMP"), b(key)));
      RdbTestData.assertSameValue(e.getValue(), DumpPayload.decode(payload), key);
      byte[] ours = DumpPayload.encode(e.getValue(), RdbOptions.defaults());
      ok(s(c.callBytes(b("RESTORE"), b("restored:" + key), b("0"), ours)));
      RdbTestData.assertSameValue(e.getValue(), fetch(c, "restored:" + key), "restored " + key);
    }
    String bad = s(c.callBytes(b("RESTORE"), b("bad"), b("0"), Arrays.copyOf(
        DumpPayload.encode(new Str(b("x")), RdbOptions.defaults()), 5)));
    assertTrue(bad.startsWith("-ERR DUMP payload version or checksum are wrong"), bad);
  }

  @Test
  void redisWritesPlainListNodesAndTheReaderTakesThem() throws Exception {
    RedisServerProcess a = redis();
    RespClient c = client(a);
    fill(c);
    byte[] payload = bulk(c.callBytes(b("DUMP"), b("list:plain")));
    RdbInput in = new RdbInput(new ByteArrayInputStream(payload));
    assertEquals(RdbFormat.TYPE_LIST_QUICKLIST_2, in.readByte("type"));
    int nodes = in.readCount("nodes");
    int plain = 0;
    for (int i = 0; i < nodes; i++) {
      if (in.readLength("container") == RdbFormat.QUICKLIST_NODE_PLAIN) {
        plain++;
      }
      in.readString("node");
    }
    assertEquals(2, plain, "plain nodes in Redis's own encoding");
  }

  @Test
  void functionLibrariesBothWays() throws Exception {
    String code = "#!lua name=vireolib\nredis.register_function('vireo_one', function() return 1 end)";
    RedisServerProcess a = redis();
    RespClient c = client(a);
    assertEquals("$8\r\nvireolib\r\n", c.call("FUNCTION", "LOAD", code));
    ok(c.call("SET", "k", "v"));
    ok(c.call("SAVE"));
    Recorder r = read(a.dir().resolve("x.rdb"));
    assertEquals(1, r.functions.size());
    assertEquals(code, s(r.functions.get(0)));

    Path dir = tempDir();
    try (OutputStream out = Files.newOutputStream(dir.resolve("x.rdb"))) {
      new RdbWriter(out, RdbOptions.defaults()).header()
          .standardAux(System.currentTimeMillis() / 1000, 0, 0, null, 0, false)
          .function(r.functions.get(0))
          .selectDb(0).resizeDb(1, 0).key(b("k"), new Str(b("v")), -1)
          .finish();
    }
    RedisServerProcess bServer = redis("--dir", dir.toString());
    RespClient cb = client(bServer);
    assertEquals(":1\r\n", cb.call("FCALL", "vireo_one", "0"));
    assertEquals("$1\r\nv\r\n", cb.call("GET", "k"));
  }

  @Test
  void payloadsAreByteForByteRedisOwnWithoutCompression() throws Exception {
    // encodings chosen and blobs laid out exactly as Redis does, uncompressed (LZF: the test below)
    RedisServerProcess a = redis("--rdbcompression", "no");
    RespClient c = client(a);
    Map<String, RdbValue> values = new LinkedHashMap<>();
    values.put("s", new Str(b("hello")));
    values.put("i", new Str(b("-70000")));
    values.put("l", new ListVal(RdbTestData.bytesList("a", "0", "127", "128", "-4096", "-4097", "40000", "-9000000",
        "3000000000", "-9223372036854775808", "x".repeat(70), "y".repeat(5000))));
    values.put("si", new SetVal(RdbTestData.bytesList("3", "1", "-2", "100000")));
    values.put("ss", new SetVal(RdbTestData.bytesList("a")));
    values.put("z", new ZSetVal(List.of(new Member(b("a"), 1), new Member(b("b"), 2.5), new Member(b("c"), -7),
        new Member(b("d"), Double.POSITIVE_INFINITY))));
    values.put("h", new HashVal(List.of(new Field(b("f"), b("v")), new Field(b("n"), b("12345")))));
    for (Map.Entry<String, RdbValue> e : values.entrySet()) {
      push(c, e.getKey(), e.getValue());
      byte[] theirs = bulk(c.callBytes(b("DUMP"), b(e.getKey())));
      byte[] ours = DumpPayload.encode(e.getValue(), RdbOptions.defaults().withCompression(false));
      assertArrayEquals(theirs, ours, e.getKey() + ": redis " + RdbTestData.hex(theirs) + " ours "
          + RdbTestData.hex(ours));
    }
  }

  @Test
  void compressedPayloadsAreByteForByteRedisOwn() throws Exception {
    // LZF as Redis does it: the same matches, and the same choice of when a string stays raw
    RedisServerProcess a = redis();
    RespClient c = client(a);
    Random random = new Random(42);
    Map<String, RdbValue> values = new LinkedHashMap<>();
    for (int len : new int[] {21, 22, 24, 25, 30, 40, 64, 100, 257, 300, 1000, 5000, 70000}) {
      values.put("rep" + len, new Str(b("ab".repeat(len / 2 + 1).substring(0, len))));
      StringBuilder text = new StringBuilder();
      while (text.length() < len) {
        text.append("word").append(random.nextInt(50)).append(random.nextBoolean() ? ' ' : ',');
      }
      values.put("text" + len, new Str(b(text.substring(0, len))));
      byte[] noise = new byte[len];
      for (int i = 0; i < len; i++) {
        noise[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : 'a' + random.nextInt(3));
      }
      values.put("noise" + len, new Str(noise));
    }
    values.put("l", new ListVal(RdbTestData.bytesList("alpha", "beta", "gamma", "alpha", "beta", "gamma", "12345",
        "delta".repeat(9))));
    values.put("h", new HashVal(List.of(new Field(b("field:1"), b("value:1")), new Field(b("field:2"), b("value:2")),
        new Field(b("field:3"), b("value:3")))));
    values.put("z", new ZSetVal(List.of(new Member(b("member:a"), 1.5), new Member(b("member:b"), 2.5),
        new Member(b("member:c"), 3.5))));
    for (Map.Entry<String, RdbValue> e : values.entrySet()) {
      push(c, e.getKey(), e.getValue());
      byte[] theirs = bulk(c.callBytes(b("DUMP"), b(e.getKey())));
      byte[] ours = DumpPayload.encode(e.getValue(), RdbOptions.defaults());
      assertArrayEquals(theirs, ours, e.getKey() + ": redis " + RdbTestData.hex(theirs) + " ours "
          + RdbTestData.hex(ours));
    }
  }

  @Test
  void corruptFilesFromRedisAreRefused() throws Exception {
    RedisServerProcess a = redis();
    RespClient c = client(a);
    fill(c);
    ok(c.call("SAVE"));
    byte[] rdb = Files.readAllBytes(a.dir().resolve("x.rdb"));
    for (int cut : new int[] {0, 5, 9, 50, rdb.length / 2, rdb.length - 9, rdb.length - 1}) {
      RdbException e = Assertions.assertThrows(RdbException.class,
          () -> read(Arrays.copyOf(rdb, cut)));
      assertTrue(e.getMessage().contains("offset") || e.getMessage().contains("magic"), e.getMessage());
    }
    byte[] flipped = rdb.clone();
    flipped[rdb.length / 3] ^= 0x20;
    Assertions.assertThrows(RdbException.class, () -> read(flipped));
  }

  // ------------------------------------------------------------------------------------------------- helpers

  private static final long EXPIRE_AT = System.currentTimeMillis() + 3_600_000;

  /** Fills db 0 with the sample, db 2 with keys that expire, db 5 by DEBUG POPULATE; returns "db/key" -> value. */
  private static Map<String, RdbValue> fill(RespClient c) {
    Map<String, RdbValue> expected = new LinkedHashMap<>();
    select(c, 0);
    for (Map.Entry<String, RdbValue> e : RdbTestData.sample().entrySet()) {
      push(c, e.getKey(), e.getValue());
      expected.put("0/" + e.getKey(), e.getValue());
    }
    // a list with plain nodes: elements over the packed threshold get a node of their own
    ok(c.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1000"));
    ListVal plain = new ListVal(List.of(b("small"), b("p".repeat(9000)), b("42"), b("q".repeat(1500))));
    push(c, "list:plain", plain);
    expected.put("0/list:plain", plain);
    ok(c.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1073741824"));
    select(c, 2);
    RdbValue ttlStr = new Str(b("expiring"));
    push(c, "ttl:str", ttlStr);
    assertEquals(":1\r\n", c.call("PEXPIREAT", "ttl:str", Long.toString(EXPIRE_AT)));
    RdbValue ttlHash = new HashVal(List.of(new Field(b("a"), b("b"))));
    push(c, "ttl:hash", ttlHash);
    assertEquals(":1\r\n", c.call("PEXPIREAT", "ttl:hash", Long.toString(EXPIRE_AT + 1)));
    expected.put("2/ttl:str", ttlStr);
    expected.put("2/ttl:hash", ttlHash);
    select(c, 5);
    ok(c.call("DEBUG", "POPULATE", "1000"));
    select(c, 0);
    return expected;
  }

  private static void push(RespClient c, String key, RdbValue value) {
    List<byte[]> args = new ArrayList<>();
    if (value instanceof Str s) {
      ok(s(c.callBytes(b("SET"), b(key), s.value())));
      return;
    } else if (value instanceof ListVal l) {
      args.addAll(l.elements());
      sendBatched(c, "RPUSH", key, args, 1);
    } else if (value instanceof SetVal s) {
      args.addAll(s.members());
      sendBatched(c, "SADD", key, args, 1);
    } else if (value instanceof ZSetVal z) {
      for (Member m : z.members()) {
        args.add(ValueCodec.formatScore(m.score()));
        args.add(m.member());
      }
      sendBatched(c, "ZADD", key, args, 2);
    } else if (value instanceof HashVal h) {
      for (Field f : h.fields()) {
        args.add(f.field());
        args.add(f.value());
      }
      sendBatched(c, "HSET", key, args, 2);
    }
  }

  private static void sendBatched(RespClient c, String command, String key, List<byte[]> args, int group) {
    int batch = 200 * group;
    for (int i = 0; i < args.size(); i += batch) {
      List<byte[]> call = new ArrayList<>();
      call.add(b(command));
      call.add(b(key));
      call.addAll(args.subList(i, Math.min(args.size(), i + batch)));
      String reply = s(c.callBytes(call.toArray(byte[][]::new)));
      assertTrue(reply.startsWith(":"), command + " " + key + ": " + reply);
    }
  }

  /** The value of {@code key} as Redis reports it. */
  private static RdbValue fetch(RespClient c, String key) {
    String type = c.call("TYPE", key).trim().substring(1);
    switch (type) {
      case "string":
        return new Str(bulk(c.callBytes(b("GET"), b(key))));
      case "list":
        return new ListVal(array(c.callBytes(b("LRANGE"), b(key), b("0"), b("-1"))));
      case "set":
        return new SetVal(array(c.callBytes(b("SMEMBERS"), b(key))));
      case "zset": {
        List<byte[]> flat = array(c.callBytes(b("ZRANGE"), b(key), b("0"), b("-1"), b("WITHSCORES")));
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < flat.size(); i += 2) {
          members.add(new Member(flat.get(i), RdbInput.parseDouble(flat.get(i + 1))));
        }
        return new ZSetVal(members);
      }
      case "hash": {
        List<byte[]> flat = array(c.callBytes(b("HGETALL"), b(key)));
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < flat.size(); i += 2) {
          fields.add(new Field(flat.get(i), flat.get(i + 1)));
        }
        return new HashVal(fields);
      }
      default:
        throw new AssertionError("unexpected type " + type + " for " + key);
    }
  }

  private static void select(RespClient c, int db) {
    ok(c.call("SELECT", Integer.toString(db)));
  }

  private static void ok(String reply) {
    assertEquals("+OK\r\n", reply);
  }

  private static Recorder read(Path file) throws IOException {
    Recorder r = new Recorder();
    try (InputStream in = Files.newInputStream(file)) {
      new RdbReader(in).read(r);
    }
    return r;
  }

  private static Recorder read(byte[] rdb) throws IOException {
    Recorder r = new Recorder();
    new RdbReader(new ByteArrayInputStream(rdb)).read(r);
    return r;
  }

  /** The payload of a {@code $n\r\n...\r\n} reply. */
  private static byte[] bulk(byte[] reply) {
    int crlf = indexOfCrlf(reply, 0);
    assertEquals('$', reply[0], new String(reply, StandardCharsets.ISO_8859_1));
    int n = Integer.parseInt(new String(reply, 1, crlf - 1, StandardCharsets.US_ASCII));
    return Arrays.copyOfRange(reply, crlf + 2, crlf + 2 + n);
  }

  /** The elements of an array of bulk strings. */
  private static List<byte[]> array(byte[] reply) {
    assertEquals('*', reply[0], new String(reply, StandardCharsets.ISO_8859_1));
    int crlf = indexOfCrlf(reply, 0);
    int count = Integer.parseInt(new String(reply, 1, crlf - 1, StandardCharsets.US_ASCII));
    List<byte[]> out = new ArrayList<>(count);
    int pos = crlf + 2;
    for (int i = 0; i < count; i++) {
      int end = indexOfCrlf(reply, pos);
      int n = Integer.parseInt(new String(reply, pos + 1, end - pos - 1, StandardCharsets.US_ASCII));
      out.add(Arrays.copyOfRange(reply, end + 2, end + 2 + n));
      pos = end + 2 + n + 2;
    }
    return out;
  }

  private static int indexOfCrlf(byte[] b, int from) {
    for (int i = from; i + 1 < b.length; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n') {
        return i;
      }
    }
    throw new AssertionError("no CRLF in reply");
  }
}
