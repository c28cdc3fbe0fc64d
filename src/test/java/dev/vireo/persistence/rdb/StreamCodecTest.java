package dev.vireo.persistence.rdb;

import static dev.vireo.persistence.rdb.RdbTestData.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.persistence.rdb.RdbValue.StreamConsumer;
import dev.vireo.persistence.rdb.RdbValue.StreamGroup;
import dev.vireo.persistence.rdb.RdbValue.StreamId;
import dev.vireo.persistence.rdb.RdbValue.StreamNack;
import dev.vireo.persistence.rdb.RdbValue.StreamNode;
import dev.vireo.persistence.rdb.RdbValue.StreamVal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Stream values in DUMP payloads: the three RDB stream types, the node layout checks, and corrupt input. */
class StreamCodecTest {
  /** One entry for {@link #node}: its ID, whether it is deleted, and its field/value pairs. */
  record Entry(long ms, long seq, boolean deleted, String... fieldsAndValues) {}

  /** A node's listpack laid out as Redis lays it out; the master fields are the first entry's fields. */
  static byte[] node(StreamId master, Entry... entries) {
    List<String> masterFields = new ArrayList<>();
    for (int i = 0; i < entries[0].fieldsAndValues().length; i += 2) {
      masterFields.add(entries[0].fieldsAndValues()[i]);
    }
    long live = Arrays.stream(entries).filter(e -> !e.deleted()).count();
    List<byte[]> lp = new ArrayList<>();
    lp.add(Ints.toBytes(live));
    lp.add(Ints.toBytes(entries.length - live));
    lp.add(Ints.toBytes(masterFields.size()));
    masterFields.forEach(f -> lp.add(b(f)));
    lp.add(b("0"));
    for (Entry e : entries) {
      List<String> fields = new ArrayList<>();
      for (int i = 0; i < e.fieldsAndValues().length; i += 2) {
        fields.add(e.fieldsAndValues()[i]);
      }
      boolean same = fields.equals(masterFields);
      lp.add(Ints.toBytes((e.deleted() ? StreamListpack.FLAG_DELETED : 0) | (same ? StreamListpack.FLAG_SAMEFIELDS
          : 0)));
      lp.add(Ints.toBytes(e.ms() - master.ms()));
      lp.add(Ints.toBytes(e.seq() - master.seq()));
      if (same) {
        for (int i = 1; i < e.fieldsAndValues().length; i += 2) {
          lp.add(b(e.fieldsAndValues()[i]));
        }
        lp.add(Ints.toBytes(fields.size() + 3));
      } else {
        lp.add(Ints.toBytes(fields.size()));
        for (String x : e.fieldsAndValues()) {
          lp.add(b(x));
        }
        lp.add(Ints.toBytes(fields.size() * 2L + 4));
      }
    }
    return Listpack.encode(lp);
  }

  static StreamId id(long ms, long seq) {
    return new StreamId(ms, seq);
  }

  /** Two nodes (5 live entries, one deleted), two groups, three consumers. */
  static StreamVal sample() {
    StreamId m1 = id(1, 0);
    StreamId m2 = id(5, 1);
    byte[] n1 = node(m1, new Entry(1, 0, false, "a", "1", "b", "x"), new Entry(2, 0, true, "a", "2", "b", "y"),
        new Entry(3, 7, false, "a", "300000", "b", "z"), new Entry(4, 0, false, "other", "v"));
    byte[] n2 = node(m2, new Entry(5, 1, false, "k", "-5"), new Entry(6, 0, false, "k", "v".repeat(40)));
    StreamNack p1 = new StreamNack(id(1, 0), 1_700_000_000_123L, 1);
    StreamNack p2 = new StreamNack(id(3, 7), 1_700_000_000_456L, 3);
    StreamNack p3 = new StreamNack(id(6, 0), 1_700_000_000_789L, 70000);
    StreamGroup g1 = new StreamGroup(b("g1"), id(6, 0), 5, List.of(p1, p2, p3), List.of(
        new StreamConsumer(b("alice"), 1_700_000_001_000L, List.of(id(1, 0), id(6, 0))),
        new StreamConsumer(b("bob"), 1_700_000_002_000L, List.of(id(3, 7))),
        new StreamConsumer(b("idle"), 1_700_000_003_000L, List.of())));
    StreamGroup g2 = new StreamGroup(b("g2"), id(3, 7), -1, List.of(), List.of());
    return new StreamVal(List.of(new StreamNode(m1, n1), new StreamNode(m2, n2)), 5, id(6, 0), id(1, 0), id(2, 0),
        6, List.of(g1, g2));
  }

  private static String canon(RdbValue v) {
    return RdbTestData.canonical(v);
  }

  @Test
  void roundTripsAndSummarisesNodes() throws Exception {
    StreamVal v = sample();
    for (boolean compression : new boolean[] {true, false}) {
      byte[] payload = DumpPayload.encode(v, RdbOptions.defaults().withCompression(compression));
      assertEquals(RdbFormat.TYPE_STREAM_LISTPACKS_2, payload[0]);
      assertEquals(canon(v), canon(DumpPayload.decode(payload)));
    }
    StreamListpack.Summary s = StreamListpack.check(id(1, 0), v.nodes().get(0).listpack());
    assertEquals(3, s.count());
    assertEquals(1, s.deleted());
    assertEquals(id(1, 0), s.firstLive());
  }

  @Test
  void unsignedIdsAndUnknownEntriesReadUseTheFull64Bits() throws Exception {
    long max = -1L; // 2^64 - 1
    StreamId top = id(max, max - 1);
    byte[] n = node(top, new Entry(max, max - 1, false, "f", "v"));
    StreamVal v = new StreamVal(List.of(new StreamNode(top, n)), 1, top, top, id(0, 0), 1,
        List.of(new StreamGroup(b("g"), id(0, 0), -1, List.of(), List.of())));
    byte[] payload = DumpPayload.encode(v, RdbOptions.defaults());
    assertEquals(canon(v), canon(DumpPayload.decode(payload)));
    // entries read -1 is Redis's 0x81 + eight 0xFF bytes
    byte[] minusOne = {(byte) 0x81, -1, -1, -1, -1, -1, -1, -1, -1};
    assertTrue(indexOf(payload, minusOne) > 0);
  }

  @Test
  void emptyStreamWithAndWithoutGroups() throws Exception {
    StreamVal empty = new StreamVal(List.of(), 0, id(9, 9), id(0, 0), id(9, 9), 3, List.of());
    assertEquals(canon(empty), canon(DumpPayload.decode(DumpPayload.encode(empty, RdbOptions.defaults()))));
    StreamVal grouped = new StreamVal(List.of(), 0, id(9, 9), id(0, 0), id(9, 9), 3,
        List.of(new StreamGroup(b("g"), id(9, 9), 3, List.of(), List.of())));
    assertEquals(canon(grouped), canon(DumpPayload.decode(DumpPayload.encode(grouped, RdbOptions.defaults()))));
  }

  @Test
  void type15LeavesOutWhatItDoesNotCarry() throws Exception {
    StreamVal v = sample();
    StreamVal read = (StreamVal) DumpPayload.decode(payload(RdbFormat.TYPE_STREAM_LISTPACKS, v));
    assertNull(read.firstId());
    assertEquals(-1, read.entriesAdded());
    assertEquals(id(0, 0), read.maxDeletedId());
    assertEquals(5, read.length());
    assertEquals(id(6, 0), read.lastId());
    for (StreamGroup g : read.groups()) {
      assertEquals(-1, g.entriesRead());
    }
    assertEquals(3, read.groups().get(0).pending().size());
    assertArrayEquals(v.nodes().get(1).listpack(), read.nodes().get(1).listpack());
    // written back as type 19 with Redis's load-time values: first live ID, entries added = length
    StreamVal again = (StreamVal) DumpPayload.decode(DumpPayload.encode(read, RdbOptions.defaults()));
    assertEquals(id(1, 0), again.firstId());
    assertEquals(5, again.entriesAdded());
  }

  @Test
  void type21DropsTheConsumerActiveTime() throws Exception {
    StreamVal v = sample();
    assertEquals(canon(v), canon(DumpPayload.decode(payload(RdbFormat.TYPE_STREAM_LISTPACKS_3, v))));
  }

  @Test
  void readSortsNodesGroupsConsumersAndPendingEntries() throws Exception {
    StreamVal v = sample();
    List<StreamNode> nodes = new ArrayList<>(v.nodes());
    Collections.reverse(nodes);
    StreamGroup g1 = v.groups().get(0);
    List<StreamNack> pel = new ArrayList<>(g1.pending());
    Collections.reverse(pel);
    List<StreamConsumer> consumers = new ArrayList<>(g1.consumers());
    Collections.reverse(consumers);
    StreamVal shuffled = new StreamVal(nodes, v.length(), v.lastId(), v.firstId(), v.maxDeletedId(),
        v.entriesAdded(), List.of(v.groups().get(1), new StreamGroup(g1.name(), g1.lastId(), g1.entriesRead(), pel,
            consumers)));
    assertEquals(canon(v), canon(DumpPayload.decode(DumpPayload.encode(shuffled, RdbOptions.defaults()))));
  }

  // ------------------------------------------------------------------------------------------------- corrupt

  @Test
  void corruptStreamsAreRefused() throws Exception {
    StreamVal v = sample();
    StreamNode n1 = v.nodes().get(0);
    StreamNode n2 = v.nodes().get(1);
    byte[] lp = n1.listpack();

    byte[] shortHeader = lp.clone();
    shortHeader[0]--; // total bytes says one less
    byte[] noEnd = lp.clone();
    noEnd[noEnd.length - 1] = 0;
    List<byte[]> elements = Listpack.decode(lp);
    List<byte[]> badCount = new ArrayList<>(elements);
    badCount.set(0, b("4")); // four live entries claimed, three held
    List<byte[]> badLpCount = new ArrayList<>(elements);
    badLpCount.set(elements.size() - 1, b("9"));
    List<byte[]> noTerminator = new ArrayList<>(elements);
    noTerminator.set(5, b("1"));
    List<byte[]> truncatedEntry = new ArrayList<>(elements.subList(0, elements.size() - 2));

    List<StreamVal> bad = new ArrayList<>();
    bad.add(withNodes(v, new StreamNode(n1.master(), shortHeader), n2));
    bad.add(withNodes(v, new StreamNode(n1.master(), noEnd), n2));
    bad.add(withNodes(v, new StreamNode(n1.master(), Listpack.encode(badCount)), n2));
    bad.add(withNodes(v, new StreamNode(n1.master(), Listpack.encode(badLpCount)), n2));
    bad.add(withNodes(v, new StreamNode(n1.master(), Listpack.encode(noTerminator)), n2));
    bad.add(withNodes(v, new StreamNode(n1.master(), Listpack.encode(truncatedEntry)), n2));
    bad.add(withNodes(v, new StreamNode(n1.master(), Listpack.encode(List.of())), n2)); // empty listpack
    bad.add(withNodes(v, n1, new StreamNode(n1.master(), n2.listpack()))); // same master twice
    bad.add(withNodes(v, n1, new StreamNode(id(3, 0), node(id(3, 0), new Entry(5, 1, false, "k", "-5"),
        new Entry(6, 0, false, "k", "v"))))); // overlaps the first node, which runs to 4-0
    bad.add(withNodes(v, n1, new StreamNode(m2Of(v), node(m2Of(v), new Entry(6, 0, false, "k", "-5"),
        new Entry(5, 1, false, "k", "v"))))); // entries out of order
    bad.add(withNodes(v, n1, new StreamNode(id(5, 2), node(id(5, 2), new Entry(5, 1, false, "k", "-5"),
        new Entry(6, 0, false, "k", "v"))))); // first entry 5-1 below its master
    bad.add(new StreamVal(v.nodes(), v.length(), id(5, 9), v.firstId(), v.maxDeletedId(), 6, v.groups())); // last
    bad.add(new StreamVal(v.nodes(), 6, v.lastId(), v.firstId(), v.maxDeletedId(), 6, v.groups())); // length
    bad.add(new StreamVal(List.of(), 1, v.lastId(), v.firstId(), v.maxDeletedId(), 6, List.of())); // no nodes
    StreamGroup g1 = v.groups().get(0);
    bad.add(withGroup(v, new StreamGroup(g1.name(), g1.lastId(), 5, g1.pending(), List.of(
        new StreamConsumer(b("alice"), 1, List.of(id(1, 0), id(6, 0), id(7, 7))), g1.consumers().get(1)))));
    bad.add(withGroup(v, new StreamGroup(g1.name(), g1.lastId(), 5, g1.pending(), List.of(
        new StreamConsumer(b("alice"), 1, List.of(id(1, 0), id(6, 0))),
        new StreamConsumer(b("bob"), 1, List.of(id(3, 7), id(1, 0))))))); // owned twice
    bad.add(withGroup(v, new StreamGroup(g1.name(), g1.lastId(), 5, g1.pending(), List.of(
        new StreamConsumer(b("alice"), 1, List.of(id(1, 0), id(6, 0))))))); // 3-7 has no consumer
    bad.add(withGroup(v, new StreamGroup(g1.name(), g1.lastId(), 5, g1.pending(), List.of(
        g1.consumers().get(0), g1.consumers().get(1), g1.consumers().get(1))))); // duplicate consumer
    bad.add(withGroup(v, new StreamGroup(g1.name(), g1.lastId(), 5, List.of(g1.pending().get(0),
        g1.pending().get(0)), List.of()))); // duplicate PEL entry
    bad.add(new StreamVal(v.nodes(), v.length(), v.lastId(), v.firstId(), v.maxDeletedId(), v.entriesAdded(),
        List.of(g1, g1))); // duplicate group
    List<String> reasons = List.of("header says 82 bytes but the blob has 83", "does not end with 0xFF",
        "counts 4 live and 1 deleted entries but holds 3 and 1", "lp-count 9 does not match its 6 elements",
        "master entry not terminated by 0", "entry overruns its listpack", "empty listpack inside stream",
        "node 1-0 overlaps", "node 3-0 overlaps", "entry 5-1 out of order in the node of 5-1",
        "entry 5-1 out of order in the node of 5-2", "last ID 5-9 is below its entry 6-0",
        "length 6 but its nodes hold 5", "length 1 but its nodes hold 0", "7-7 that is not in the PEL",
        "1-0 owned twice", "pending entries without a consumer", "duplicate consumer 'bob'",
        "duplicate pending entry 1-0", "duplicate consumer group 'g1'");
    assertEquals(reasons.size(), bad.size());
    for (int i = 0; i < bad.size(); i++) {
      byte[] payload = payload(RdbFormat.TYPE_STREAM_LISTPACKS_2, bad.get(i));
      RdbException e = assertThrows(RdbException.class, () -> DumpPayload.decode(payload), "case " + i);
      assertTrue(e.getCause().getMessage().contains(reasons.get(i)), "case " + i + ": " + e.getCause().getMessage());
      assertEquals(DumpPayload.BAD_FORMAT, e.getMessage(), "case " + i);
    }
    // a 15-byte node key
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RdbOutput out = new RdbOutput(bytes, false);
    out.writeByte(RdbFormat.TYPE_STREAM_LISTPACKS_2);
    out.writeLength(1);
    out.writeString(Arrays.copyOf(RdbOutput.rawStreamId(n1.master()), 15));
    out.writeString(lp);
    out.flush();
    RdbException e = assertThrows(RdbException.class, () -> DumpPayload.decode(trailer(bytes.toByteArray())));
    assertTrue(e.getCause().getMessage().contains("node key of 15 bytes"), e.getCause().getMessage());
  }

  @Test
  void everyTruncationAndManyBitFlipsAreRdbExceptions() throws Exception {
    byte[] body = payload(RdbFormat.TYPE_STREAM_LISTPACKS_3, sample());
    body = Arrays.copyOf(body, body.length - 10);
    for (int cut = 1; cut < body.length; cut++) {
      byte[] cutPayload = trailer(Arrays.copyOf(body, cut));
      assertThrows(RdbException.class, () -> DumpPayload.decode(cutPayload), "cut at " + cut);
    }
    Random random = new Random(7);
    for (int i = 0; i < 3000; i++) {
      byte[] flipped = body.clone();
      int flips = 1 + random.nextInt(3);
      for (int j = 0; j < flips; j++) {
        flipped[1 + random.nextInt(flipped.length - 1)] ^= (byte) (1 << random.nextInt(8));
      }
      try {
        DumpPayload.decode(trailer(flipped));
      } catch (RdbException expected) {
        // fine: refused
      } catch (RuntimeException | Error other) {
        fail("flip " + i + " threw " + other, other);
      }
    }
  }

  // ------------------------------------------------------------------------------------------------- helpers

  private static StreamId m2Of(StreamVal v) {
    return v.nodes().get(1).master();
  }

  private static StreamVal withNodes(StreamVal v, StreamNode... nodes) {
    return new StreamVal(List.of(nodes), v.length(), v.lastId(), v.firstId(), v.maxDeletedId(), v.entriesAdded(),
        v.groups());
  }

  private static StreamVal withGroup(StreamVal v, StreamGroup g) {
    return new StreamVal(v.nodes(), v.length(), v.lastId(), v.firstId(), v.maxDeletedId(), v.entriesAdded(),
        List.of(g));
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** A payload of {@code type} (15, 19 or 21) laid out by hand, with no checks, so any layout can be fed. */
  static byte[] payload(int type, StreamVal v) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RdbOutput out = new RdbOutput(bytes, false);
    out.writeByte(type);
    out.writeLength(v.nodes().size());
    for (StreamNode n : v.nodes()) {
      out.writeString(RdbOutput.rawStreamId(n.master()));
      out.writeString(n.listpack());
    }
    out.writeLength(v.length());
    out.writeUnsignedLength(v.lastId().ms());
    out.writeUnsignedLength(v.lastId().seq());
    if (type != RdbFormat.TYPE_STREAM_LISTPACKS) {
      out.writeUnsignedLength(v.firstId().ms());
      out.writeUnsignedLength(v.firstId().seq());
      out.writeUnsignedLength(v.maxDeletedId().ms());
      out.writeUnsignedLength(v.maxDeletedId().seq());
      out.writeUnsignedLength(v.entriesAdded());
    }
    out.writeLength(v.groups().size());
    for (StreamGroup g : v.groups()) {
      out.writeString(g.name());
      out.writeUnsignedLength(g.lastId().ms());
      out.writeUnsignedLength(g.lastId().seq());
      if (type != RdbFormat.TYPE_STREAM_LISTPACKS) {
        out.writeUnsignedLength(g.entriesRead());
      }
      out.writeLength(g.pending().size());
      for (StreamNack n : g.pending()) {
        out.writeRawStreamId(n.id());
        out.writeLongLE(n.deliveryTime(), 8);
        out.writeLength(n.deliveryCount());
      }
      out.writeLength(g.consumers().size());
      for (StreamConsumer c : g.consumers()) {
        out.writeString(c.name());
        out.writeLongLE(c.seenTime(), 8);
        if (type == RdbFormat.TYPE_STREAM_LISTPACKS_3) {
          out.writeLongLE(c.seenTime() + 1, 8);
        }
        out.writeLength(c.pending().size());
        for (StreamId id : c.pending()) {
          out.writeRawStreamId(id);
        }
      }
    }
    out.flush();
    return trailer(bytes.toByteArray());
  }

  /** The body, then RDB version 10 and the CRC-64, as DUMP ends a payload. */
  static byte[] trailer(byte[] body) {
    byte[] out = Arrays.copyOf(body, body.length + 10);
    out[body.length] = 10;
    long crc = Crc64.update(0, out, 0, body.length + 2);
    for (int i = 0; i < 8; i++) {
      out[body.length + 2 + i] = (byte) (crc >>> (8 * i));
    }
    return out;
  }
}
