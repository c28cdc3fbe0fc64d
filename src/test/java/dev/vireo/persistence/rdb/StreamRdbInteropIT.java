package dev.vireo.persistence.rdb;

import static dev.vireo.persistence.rdb.RdbTestData.b;
import static dev.vireo.persistence.rdb.RdbTestData.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.persistence.rdb.RdbTestData.Recorder;
import dev.vireo.persistence.rdb.RdbValue.StreamConsumer;
import dev.vireo.persistence.rdb.RdbValue.StreamGroup;
import dev.vireo.persistence.rdb.RdbValue.StreamId;
import dev.vireo.persistence.rdb.RdbValue.StreamNack;
import dev.vireo.persistence.rdb.RdbValue.StreamNode;
import dev.vireo.persistence.rdb.RdbValue.StreamVal;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TempDirs;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Streams against the real Redis 7.0: its DUMP payloads and snapshots parse into what XINFO STREAM FULL reports,
 * the writer gives back Redis's payload byte for byte, and Redis restores and loads what the writer writes.
 */
class StreamRdbInteropIT {
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final List<Path> dirs = new ArrayList<>();
  private final List<RedisServerProcess> servers = new ArrayList<>();

  @AfterEach
  void stopEverything() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    for (Path dir : dirs) TempDirs.deleteQuietly(dir);
  }

  private RespClient redis(String... args) {
    List<String> all = new ArrayList<>(List.of("--enable-debug-command", "yes", "--dbfilename", "x.rdb",
        "--stream-node-max-entries", "5", "--sanitize-dump-payload", "yes"));
    all.addAll(List.of(args));
    RedisServerProcess redis = RedisServerProcess.start(all.toArray(String[]::new));
    resources.add(redis);
    servers.add(redis);
    RespClient client = redis.client();
    resources.add(client);
    return client;
  }

  /** The stream keys {@link #fill} makes. */
  private static final List<String> KEYS = List.of("s", "ints", "empty", "emptygroups", "top", "one", "wide");

  /** Builds streams with many nodes, deleted and trimmed entries, groups, pending entries and claims. */
  private static void fill(RespClient c) {
    // "s": mixed fields (SAMEFIELDS and not), integer-looking values, a long compressible value, XDEL and XTRIM
    for (int i = 1; i <= 30; i++) {
      List<String> args = new ArrayList<>(List.of("XADD", "s", i + "-" + (i % 3)));
      if (i % 7 == 0) {
        args.addAll(List.of("city", "paris", "zip", Integer.toString(75000 + i)));
      } else if (i % 11 == 0) {
        args.addAll(List.of("name", "x".repeat(120), "age", "-" + i));
      } else {
        args.addAll(List.of("name", "user" + i, "age", Integer.toString(i * 1000)));
      }
      assertTrue(c.call(args.toArray(String[]::new)).startsWith("$"), "XADD " + i);
    }
    assertEquals(":3\r\n", c.call("XDEL", "s", "2-2", "12-0", "29-2"));
    assertTrue(c.call("XTRIM", "s", "MINID", "4-0").startsWith(":"));
    ok(c.call("XGROUP", "CREATE", "s", "g1", "0"));
    ok(c.call("XGROUP", "CREATE", "s", "g2", "$"));
    ok(c.call("XGROUP", "CREATE", "s", "g3", "15-0")); // entries read unknown
    ok(c.call("XGROUP", "CREATE", "s", "g4", "0", "ENTRIESREAD", "3"));
    assertTrue(c.call("XREADGROUP", "GROUP", "g1", "alice", "COUNT", "3", "STREAMS", "s", ">").startsWith("*1"));
    assertTrue(c.call("XREADGROUP", "GROUP", "g1", "bob", "COUNT", "4", "STREAMS", "s", ">").startsWith("*1"));
    assertTrue(c.call("XREADGROUP", "GROUP", "g1", "alice", "COUNT", "2", "STREAMS", "s", "0").startsWith("*1"));
    assertTrue(c.call("XCLAIM", "s", "g1", "carol", "0", "4-1", "JUSTID").startsWith("*1"));
    assertEquals(":1\r\n", c.call("XACK", "s", "g1", "8-2"));
    assertEquals(":1\r\n", c.call("XGROUP", "CREATECONSUMER", "s", "g2", "idle"));
    assertTrue(c.call("XREADGROUP", "GROUP", "g3", "dave", "COUNT", "2", "STREAMS", "s", ">").startsWith("*1"));
    // "ints": 60 entries of small integers, 12 nodes
    for (int i = 1; i <= 60; i++) {
      c.call("XADD", "ints", "5-" + i, "v", Integer.toString(i), "w", Integer.toString(-i * 37));
    }
    // "empty": every entry trimmed away; "emptygroups": the same with a group
    assertTrue(c.call("XADD", "empty", "MAXLEN", "0", "7-7", "a", "1").startsWith("$"));
    assertTrue(c.call("XADD", "emptygroups", "1-1", "a", "1").startsWith("$"));
    ok(c.call("XGROUP", "CREATE", "emptygroups", "g", "$"));
    assertEquals(":1\r\n", c.call("XDEL", "emptygroups", "1-1"));
    // "top": IDs at the top of the unsigned 64-bit range
    assertTrue(c.call("XADD", "top", "18446744073709551615-18446744073709551614", "f", "v").startsWith("$"));
    assertTrue(c.call("XADD", "top", "18446744073709551615-18446744073709551615", "f", "w").startsWith("$"));
    ok(c.call("XGROUP", "CREATE", "top", "g", "0"));
    assertTrue(c.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "top", ">").startsWith("*1"));
    // "one": a single tiny entry (a listpack too short to compress)
    assertTrue(c.call("XADD", "one", "1-1", "a", "b").startsWith("$"));
    // "wide": one entry with many fields, large enough for LZF
    List<String> wide = new ArrayList<>(List.of("XADD", "wide", "9-9"));
    for (int i = 0; i < 40; i++) {
      wide.add("field" + i);
      wide.add("value" + (i % 4));
    }
    assertTrue(c.call(wide.toArray(String[]::new)).startsWith("$"));
  }

  @Test
  void dumpPayloadsParseMatchXinfoAndComeBackByteForByte() throws Exception {
    RespClient c = redis();
    fill(c);
    for (String key : KEYS) {
      byte[] payload = bulk(c.callBytes(b("DUMP"), b(key)));
      assertEquals(RdbFormat.TYPE_STREAM_LISTPACKS_2, payload[0], key);
      StreamVal v = (StreamVal) DumpPayload.decode(payload);
      checkAgainstXinfo(c, key, v);
      byte[] ours = DumpPayload.encode(v, RdbOptions.defaults());
      assertArrayEquals(payload, ours, key + ": redis " + RdbTestData.hex(payload) + "\nours " + RdbTestData.hex(ours));
      ok(s(c.callBytes(b("RESTORE"), b("copy:" + key), b("0"), ours)));
      assertEquals(c.call("DEBUG", "DIGEST-VALUE", key), c.call("DEBUG", "DIGEST-VALUE", "copy:" + key), key);
      assertEquals(c.call("XINFO", "STREAM", key, "FULL", "COUNT", "0"),
          c.call("XINFO", "STREAM", "copy:" + key, "FULL", "COUNT", "0"), key);
    }
    // without compression too
    RespClient plain = redis("--rdbcompression", "no");
    fill(plain);
    for (String key : KEYS) {
      byte[] payload = bulk(plain.callBytes(b("DUMP"), b(key)));
      StreamVal v = (StreamVal) DumpPayload.decode(payload);
      assertArrayEquals(payload, DumpPayload.encode(v, RdbOptions.defaults().withCompression(false)), key);
    }
  }

  @Test
  void theListpackCompressesExactlyWhenRedisCompressesIt() throws Exception {
    RespClient c = redis();
    fill(c);
    Map<String, Boolean> compressed = new LinkedHashMap<>();
    for (String key : List.of("one", "wide", "s")) {
      byte[] payload = bulk(c.callBytes(b("DUMP"), b(key)));
      // after the type byte, the node count and the 16-byte key (a 0x10 length byte), the listpack string
      compressed.put(key, (payload[1 + 1 + 17] & 0xFF) == 0xC3);
    }
    assertEquals(Map.of("one", false, "wide", true, "s", true), compressed);
  }

  @Test
  void aSavedSnapshotReadsAndRedisLoadsItWrittenBack() throws Exception {
    RespClient a = redis();
    fill(a);
    Map<String, String> fromDump = new LinkedHashMap<>();
    for (String key : KEYS) {
      fromDump.put(key, RdbTestData.canonical(DumpPayload.decode(bulk(a.callBytes(b("DUMP"), b(key))))));
    }
    ok(a.call("SAVE"));
    Recorder r = new Recorder();
    try (InputStream in = Files.newInputStream(servers.get(0).dir().resolve("x.rdb"))) {
      new RdbReader(in).read(r);
    }
    for (String key : KEYS) {
      assertEquals(fromDump.get(key), RdbTestData.canonical(r.keys.get("0/" + key)), key);
    }
    Path dir = Files.createTempDirectory("vireo-stream-rdb");
    dirs.add(dir);
    try (OutputStream out = Files.newOutputStream(dir.resolve("x.rdb"))) {
      RdbWriter w = new RdbWriter(out, RdbOptions.defaults()).header();
      w.standardAux(System.currentTimeMillis() / 1000, 1_000_000, 0, null, 0, false);
      w.selectDb(0).resizeDb(r.keys.size(), 0);
      for (Map.Entry<String, RdbValue> e : r.keys.entrySet()) {
        w.key(b(e.getKey().substring(2)), e.getValue(), -1);
      }
      w.finish();
    }
    RespClient b = redis("--dir", dir.toString());
    assertEquals(a.call("DEBUG", "DIGEST"), b.call("DEBUG", "DIGEST"), servers.get(1).log());
    for (String key : KEYS) {
      assertEquals(a.call("XINFO", "STREAM", key, "FULL", "COUNT", "0"),
          b.call("XINFO", "STREAM", key, "FULL", "COUNT", "0"), key);
    }
  }

  @Test
  void aType15PayloadLoadsHereAndInRedis() throws Exception {
    // Redis 7.0 still restores the Redis 5/6 layout (type 15, no first ID, max deleted ID, entries added or
    // entries read): a payload built by hand in that layout from a real stream's nodes
    RespClient c = redis();
    fill(c);
    for (String key : List.of("s", "ints", "top")) {
      StreamVal v = (StreamVal) DumpPayload.decode(bulk(c.callBytes(b("DUMP"), b(key))));
      byte[] old = StreamCodecTest.payload(RdbFormat.TYPE_STREAM_LISTPACKS, v);
      StreamVal read = (StreamVal) DumpPayload.decode(old);
      assertNull(read.firstId(), key);
      assertEquals(-1, read.entriesAdded(), key);
      assertEquals(new StreamId(0, 0), read.maxDeletedId(), key);
      assertEquals(v.length(), read.length(), key);
      assertEquals(v.lastId(), read.lastId(), key);
      for (int i = 0; i < v.nodes().size(); i++) {
        assertArrayEquals(v.nodes().get(i).listpack(), read.nodes().get(i).listpack(), key);
      }
      for (StreamGroup g : read.groups()) {
        assertEquals(-1, g.entriesRead(), key);
      }
      ok(s(c.callBytes(b("RESTORE"), b("old:" + key), b("0"), old)));
      assertEquals(c.call("XRANGE", key, "-", "+"), c.call("XRANGE", "old:" + key, "-", "+"), key);
      assertEquals(":" + v.length() + "\r\n", c.call("XLEN", "old:" + key));
      // what Redis made of it on load is what our writer writes for it
      byte[] theirs = bulk(c.callBytes(b("DUMP"), b("old:" + key)));
      StreamVal loaded = (StreamVal) DumpPayload.decode(theirs);
      assertEquals(read.length(), loaded.entriesAdded(), key);
      assertEquals(firstLive(v), loaded.firstId(), key);
      byte[] ours = DumpPayload.encode(read, RdbOptions.defaults());
      StreamVal back = (StreamVal) DumpPayload.decode(ours);
      assertEquals(loaded.firstId(), back.firstId(), key);
      assertEquals(loaded.entriesAdded(), back.entriesAdded(), key);
    }
  }

  @Test
  void redisRefusesWhatTheReaderRefuses() throws Exception {
    // the reader's checks are no stricter than Redis's own deep sanitization on these cases
    RespClient c = redis();
    fill(c);
    StreamVal v = (StreamVal) DumpPayload.decode(bulk(c.callBytes(b("DUMP"), b("s"))));
    StreamGroup g1 = v.groups().get(0);
    List<StreamConsumer> consumers = new ArrayList<>(g1.consumers());
    StreamConsumer first = consumers.get(0);
    List<StreamId> extra = new ArrayList<>(first.pending());
    extra.add(new StreamId(999, 999));
    consumers.set(0, new StreamConsumer(first.name(), first.seenTime(), extra));
    List<StreamGroup> groups = new ArrayList<>(v.groups());
    groups.set(0, new StreamGroup(g1.name(), g1.lastId(), g1.entriesRead(), g1.pending(), consumers));
    StreamVal notInPel = new StreamVal(v.nodes(), v.length(), v.lastId(), v.firstId(), v.maxDeletedId(),
        v.entriesAdded(), groups);
    List<StreamConsumer> fewer = new ArrayList<>(g1.consumers());
    fewer.remove(0);
    groups.set(0, new StreamGroup(g1.name(), g1.lastId(), g1.entriesRead(), g1.pending(), fewer));
    StreamVal orphan = new StreamVal(v.nodes(), v.length(), v.lastId(), v.firstId(), v.maxDeletedId(),
        v.entriesAdded(), groups);
    StreamNode n = v.nodes().get(0);
    byte[] lp = n.listpack().clone();
    lp[0]++;
    List<StreamNode> nodes = new ArrayList<>(v.nodes());
    nodes.set(0, new StreamNode(n.master(), lp));
    StreamVal badHeader = new StreamVal(nodes, v.length(), v.lastId(), v.firstId(), v.maxDeletedId(),
        v.entriesAdded(), v.groups());
    List<byte[]> elements = new ArrayList<>(Listpack.decode(n.listpack()));
    elements.set(elements.size() - 1, b("99"));
    nodes.set(0, new StreamNode(n.master(), Listpack.encode(elements)));
    StreamVal badLpCount = new StreamVal(nodes, v.length(), v.lastId(), v.firstId(), v.maxDeletedId(),
        v.entriesAdded(), v.groups());
    Map<String, StreamVal> cases = new LinkedHashMap<>();
    cases.put("consumer entry not in the group PEL", notInPel);
    cases.put("PEL entry without a consumer", orphan);
    cases.put("listpack header length", badHeader);
    cases.put("entry lp-count", badLpCount);
    for (Map.Entry<String, StreamVal> e : cases.entrySet()) {
      byte[] payload = StreamCodecTest.payload(RdbFormat.TYPE_STREAM_LISTPACKS_2, e.getValue());
      String reply = s(c.callBytes(b("RESTORE"), b("bad"), b("0"), payload));
      assertEquals("-" + DumpPayload.BAD_FORMAT + "\r\n", reply, e.getKey());
      RdbException ex = assertThrows(RdbException.class,
          () -> DumpPayload.decode(payload), e.getKey());
      assertEquals(DumpPayload.BAD_FORMAT, ex.getMessage());
    }
  }

  // ------------------------------------------------------------------------------------------------- checks

  private static StreamId firstLive(StreamVal v) throws RdbException {
    for (StreamNode n : v.nodes()) {
      StreamId id = StreamListpack.check(n.master(), n.listpack()).firstLive();
      if (id != null) {
        return id;
      }
    }
    return new StreamId(0, 0);
  }

  /** The parsed value against XINFO STREAM key FULL COUNT 0 (Redis 7.0's layout of that reply). */
  @SuppressWarnings("unchecked")
  private static void checkAgainstXinfo(RespClient c, String key, StreamVal v) throws RdbException {
    Map<String, Object> info = map(Resp.parse(c.callBytes(b("XINFO"), b("STREAM"), b(key), b("FULL"), b("COUNT"),
        b("0"))));
    assertEquals(info.get("length"), v.length(), key);
    assertEquals(c.call("XLEN", key), ":" + v.length() + "\r\n", key);
    assertEquals(info.get("radix-tree-keys"), (long) v.nodes().size(), key);
    assertEquals(info.get("last-generated-id"), RdbTestData.id(v.lastId()), key);
    assertEquals(info.get("max-deleted-entry-id"), RdbTestData.id(v.maxDeletedId()), key);
    assertEquals(info.get("entries-added"), v.entriesAdded(), key);
    assertEquals(info.get("recorded-first-entry-id"), RdbTestData.id(v.firstId()), key);
    // the entries, from the listpacks, against the entries Redis lists
    List<Object> entries = (List<Object>) info.get("entries");
    assertEquals(entries.size(), (int) v.length(), key);
    long live = 0;
    for (StreamNode n : v.nodes()) {
      live += StreamListpack.check(n.master(), n.listpack()).count();
    }
    assertEquals(v.length(), live, key);
    if (!entries.isEmpty()) {
      assertEquals(((List<Object>) entries.get(0)).get(0), RdbTestData.id(firstLive(v)), key);
    }
    List<Object> groups = (List<Object>) info.get("groups");
    assertEquals(groups.size(), v.groups().size(), key);
    for (int i = 0; i < groups.size(); i++) {
      Map<String, Object> g = map(groups.get(i));
      StreamGroup ours = v.groups().get(i);
      String what = key + " group " + s(ours.name());
      assertEquals(g.get("name"), s(ours.name()), what);
      assertEquals(g.get("last-delivered-id"), RdbTestData.id(ours.lastId()), what);
      assertEquals(g.get("entries-read"), ours.entriesRead() == -1 ? null : ours.entriesRead(), what);
      assertEquals(g.get("pel-count"), (long) ours.pending().size(), what);
      List<Object> pending = (List<Object>) g.get("pending");
      Map<StreamId, String> owner = new LinkedHashMap<>();
      for (StreamConsumer cons : ours.consumers()) {
        cons.pending().forEach(id -> owner.put(id, s(cons.name())));
      }
      for (int j = 0; j < pending.size(); j++) {
        List<Object> p = (List<Object>) pending.get(j);
        StreamNack nack = ours.pending().get(j);
        assertEquals(List.of(RdbTestData.id(nack.id()), owner.get(nack.id()), nack.deliveryTime(),
            nack.deliveryCount()), p, what);
      }
      List<Object> consumers = (List<Object>) g.get("consumers");
      assertEquals(consumers.size(), ours.consumers().size(), what);
      for (int j = 0; j < consumers.size(); j++) {
        Map<String, Object> cm = map(consumers.get(j));
        StreamConsumer cons = ours.consumers().get(j);
        assertEquals(cm.get("name"), s(cons.name()), what);
        assertEquals(cm.get("seen-time"), cons.seenTime(), what);
        assertEquals(cm.get("pel-count"), (long) cons.pending().size(), what);
        List<Object> cp = (List<Object>) cm.get("pending");
        for (int k = 0; k < cp.size(); k++) {
          assertEquals(((List<Object>) cp.get(k)).get(0), RdbTestData.id(cons.pending().get(k)), what);
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object flat) {
    List<Object> l = (List<Object>) flat;
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < l.size(); i += 2) {
      m.put((String) l.get(i), l.get(i + 1));
    }
    return m;
  }

  /** A small RESP2 reader for nested replies: strings, integers (as Long), nil (null) and arrays. */
  private static final class Resp {
    private final byte[] b;
    private int pos;

    private Resp(byte[] b) {
      this.b = b;
    }

    static Object parse(byte[] reply) {
      return new Resp(reply).next();
    }

    private String line() {
      int start = pos;
      while (b[pos] != '\r') {
        pos++;
      }
      String s = new String(b, start, pos - start, StandardCharsets.ISO_8859_1);
      pos += 2;
      return s;
    }

    private Object next() {
      char type = (char) b[pos++];
      String line = line();
      switch (type) {
        case '+':
          return line;
        case '-':
          throw new AssertionError("error reply " + line);
        case ':':
          return Long.parseLong(line);
        case '$': {
          int n = Integer.parseInt(line);
          if (n < 0) {
            return null;
          }
          String s = new String(b, pos, n, StandardCharsets.ISO_8859_1);
          pos += n + 2;
          return s;
        }
        case '*': {
          int n = Integer.parseInt(line);
          if (n < 0) {
            return null;
          }
          List<Object> out = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            out.add(next());
          }
          return out;
        }
        default:
          throw new AssertionError("unexpected reply type " + type);
      }
    }
  }

  private static void ok(String reply) {
    assertEquals("+OK\r\n", reply);
  }

  /** The payload of a {@code $n\r\n...\r\n} reply. */
  private static byte[] bulk(byte[] reply) {
    assertEquals('$', reply[0], new String(reply, StandardCharsets.ISO_8859_1));
    int crlf = 0;
    while (reply[crlf] != '\r') {
      crlf++;
    }
    int n = Integer.parseInt(new String(reply, 1, crlf - 1, StandardCharsets.US_ASCII));
    return Arrays.copyOfRange(reply, crlf + 2, crlf + 2 + n);
  }
}
