package dev.vireo.persistence.rdb;

import static dev.vireo.persistence.rdb.RdbTestData.b;
import static dev.vireo.persistence.rdb.RdbTestData.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.persistence.rdb.RdbTestData.Recorder;
import dev.vireo.persistence.rdb.RdbValue.ListVal;
import dev.vireo.persistence.rdb.RdbValue.Str;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RdbRoundTripTest {
  private static byte[] writeSample(RdbOptions options) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RdbWriter w = new RdbWriter(bytes, options).header();
    w.standardAux(1700000000L, 123456, 0, "0123456789abcdef0123456789abcdef01234567", 4242, false);
    Map<String, RdbValue> sample = RdbTestData.sample();
    w.selectDb(0).resizeDb(sample.size(), 1);
    long expireAt = 4_000_000_000_000L;
    for (Map.Entry<String, RdbValue> e : sample.entrySet()) {
      w.key(b(e.getKey()), e.getValue(), e.getKey().equals("str:small") ? expireAt : -1);
    }
    w.selectDb(7).resizeDb(1, 0).key(b("other"), new Str(b("db7")), -1);
    w.finish();
    return bytes.toByteArray();
  }

  private static Recorder read(byte[] rdb) throws IOException {
    Recorder r = new Recorder();
    new RdbReader(new ByteArrayInputStream(rdb)).read(r);
    return r;
  }

  @Test
  void writerOutputReadsBack() throws Exception {
    for (RdbOptions options : List.of(RdbOptions.defaults(), RdbOptions.defaults().withCompression(false),
        RdbOptions.defaults().withChecksum(false).withListPackedThreshold(100))) {
      byte[] rdb = writeSample(options);
      assertEquals("REDIS0010", new String(rdb, 0, 9, StandardCharsets.US_ASCII));
      Recorder r = read(rdb);
      assertEquals(Boolean.TRUE, r.ended);
      assertEquals("7.0.15", s(r.aux.get("redis-ver")));
      assertEquals("64", s(r.aux.get("redis-bits")));
      assertEquals("4242", s(r.aux.get("repl-offset")));
      assertEquals(List.of(0, 7), r.dbs);
      Map<String, RdbValue> sample = RdbTestData.sample();
      assertEquals(sample.size() + 1, r.keys.size());
      for (Map.Entry<String, RdbValue> e : sample.entrySet()) {
        RdbTestData.assertSameValue(e.getValue(), r.keys.get("0/" + e.getKey()), e.getKey());
      }
      assertEquals(4_000_000_000_000L, r.expires.get("0/str:small"));
      assertEquals(-1L, r.expires.get("0/hash:big"));
      assertEquals("db7", s(((Str) r.keys.get("7/other")).value()));
      long stored = Listpack.getLE(rdb, rdb.length - 8, 8);
      if (options.checksum()) {
        assertEquals(Crc64.update(0, rdb, 0, rdb.length - 8), stored);
      } else {
        assertEquals(0, stored);
      }
    }
  }

  @Test
  void readerWorksOnAStreamThatTricklesBytes() throws Exception {
    byte[] rdb = writeSample(RdbOptions.defaults());
    Random random = new Random(5);
    InputStream trickle = new ByteArrayInputStream(rdb) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1 + random.nextInt(7)));
      }
    };
    Recorder r = new Recorder();
    new RdbReader(trickle).read(r);
    assertEquals(RdbTestData.sample().size() + 1, r.keys.size());
  }

  @Test
  void bytesAfterTheRdbAreHandedBack() throws Exception {
    byte[] rdb = writeSample(RdbOptions.defaults());
    byte[] stream = concat(rdb, b("*1\r\n$4\r\nPING\r\n"));
    RdbReader reader = new RdbReader(new ByteArrayInputStream(stream));
    reader.read(new Recorder());
    assertEquals(rdb.length, reader.offset());
    assertEquals("*1\r\n$4\r\nPING\r\n", s(reader.unconsumed()));
  }

  @Test
  void lengthEncodings() throws Exception {
    long[] lengths = {0, 1, 63, 64, 16383, 16384, 0xFFFFFFFFL, 0x100000000L, Long.MAX_VALUE};
    int[] sizes = {1, 1, 1, 2, 2, 5, 5, 9, 9};
    for (int i = 0; i < lengths.length; i++) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      RdbOutput out = new RdbOutput(bytes, false);
      out.writeLength(lengths[i]);
      out.flush();
      assertEquals(sizes[i], bytes.size(), "length " + lengths[i]);
      RdbInput in = new RdbInput(new ByteArrayInputStream(bytes.toByteArray()));
      assertEquals(lengths[i], in.readLength("test"));
    }
  }

  @Test
  void stringEncodings() throws Exception {
    String[][] cases = {
        {"", "1"}, {"0", "2"}, {"-128", "2"}, {"127", "2"}, {"128", "3"}, {"-32768", "3"}, {"32768", "5"},
        {"2147483647", "5"}, {"-2147483648", "5"}, {"2147483648", "11"}, {"-0", "3"}, {"012", "4"},
        {"12345678901", "12"}, {"a".repeat(20), "21"}, {"a".repeat(100), null}, {"x".repeat(16384), null}};
    for (String[] c : cases) {
      for (boolean compression : new boolean[] {true, false}) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RdbOutput out = new RdbOutput(bytes, compression);
        out.writeString(b(c[0]));
        out.flush();
        if (c[1] != null) {
          assertEquals(Integer.parseInt(c[1]), bytes.size(), "'" + c[0] + "'");
        } else if (compression) {
          assertTrue(bytes.size() < c[0].length() / 4, "compressed " + c[0].length() + " to " + bytes.size());
          assertEquals(0xC3, bytes.toByteArray()[0] & 0xFF);
        }
        RdbInput in = new RdbInput(new ByteArrayInputStream(bytes.toByteArray()));
        assertEquals(c[0], s(in.readString("test")));
        assertTrue(in.atEnd());
      }
    }
    // incompressible data stays raw
    byte[] random = new byte[1000];
    new Random(1).nextBytes(random);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RdbOutput out = new RdbOutput(bytes, true);
    out.writeString(random);
    out.flush();
    assertEquals(1002, bytes.size());
  }

  @Test
  void largeCompressedStrings() throws Exception {
    Random random = new Random(2);
    byte[] big = new byte[300_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) ('a' + random.nextInt(4));
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RdbOutput out = new RdbOutput(bytes, true);
    out.writeString(big);
    out.flush();
    assertTrue(bytes.size() < big.length);
    assertArrayEquals(big, new RdbInput(new ByteArrayInputStream(bytes.toByteArray())).readString("big"));
  }

  @Test
  void dumpPayloadRoundTrip() throws Exception {
    for (Map.Entry<String, RdbValue> e : RdbTestData.sample().entrySet()) {
      byte[] payload = DumpPayload.encode(e.getValue(), RdbOptions.defaults());
      assertEquals(10, (payload[payload.length - 10] & 0xFF) | (payload[payload.length - 9] & 0xFF) << 8);
      RdbTestData.assertSameValue(e.getValue(), DumpPayload.decode(payload), e.getKey());
    }
  }

  @Test
  void dumpPayloadErrors() {
    byte[] good = DumpPayload.encode(new Str(b("hello")), RdbOptions.defaults());
    byte[] badCrc = good.clone();
    badCrc[badCrc.length - 1] ^= 1;
    assertEquals(DumpPayload.BAD_VERSION_OR_CHECKSUM,
        assertThrows(RdbException.class, () -> DumpPayload.decode(badCrc)).getMessage());
    assertEquals(DumpPayload.BAD_VERSION_OR_CHECKSUM,
        assertThrows(RdbException.class, () -> DumpPayload.decode(new byte[5])).getMessage());
    byte[] newer = good.clone();
    newer[newer.length - 10] = 12;
    fixCrc(newer);
    assertEquals(DumpPayload.BAD_VERSION_OR_CHECKSUM,
        assertThrows(RdbException.class, () -> DumpPayload.decode(newer)).getMessage());
    byte[] badBody = good.clone();
    badBody[1] = 60; // string length beyond the body
    fixCrc(badBody);
    assertEquals(DumpPayload.BAD_FORMAT,
        assertThrows(RdbException.class, () -> DumpPayload.decode(badBody)).getMessage());
  }

  @Test
  void corruptPayloadsWithValidChecksumsFailCleanly() {
    Random random = new Random(21);
    for (RdbValue value : RdbTestData.sample().values()) {
      byte[] good = DumpPayload.encode(value, RdbOptions.defaults());
      for (int i = 0; i < 300; i++) {
        byte[] bad = good.clone();
        bad[random.nextInt(bad.length - 10)] = (byte) random.nextInt(256);
        fixCrc(bad);
        try {
          DumpPayload.decode(bad);
        } catch (RdbException e) {
          assertEquals(DumpPayload.BAD_FORMAT, e.getMessage());
        }
      }
    }
  }

  private static void fixCrc(byte[] payload) {
    long crc = Crc64.update(0, payload, 0, payload.length - 8);
    for (int i = 0; i < 8; i++) {
      payload[payload.length - 8 + i] = (byte) (crc >>> (8 * i));
    }
  }

  @Test
  void everyTruncationIsAnRdbException() throws Exception {
    byte[] rdb = writeSample(RdbOptions.defaults());
    for (int len = 0; len < rdb.length; len += (len < 200 ? 1 : 97)) {
      byte[] cut = Arrays.copyOf(rdb, len);
      RdbException e = assertThrows(RdbException.class, () -> read(cut), "cut at " + len);
      assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
    }
  }

  @Test
  void flippedBytesAreCaughtByTheChecksum() throws Exception {
    byte[] rdb = writeSample(RdbOptions.defaults());
    Random random = new Random(11);
    for (int i = 0; i < 300; i++) {
      byte[] bad = rdb.clone();
      int at = 9 + random.nextInt(rdb.length - 9);
      bad[at] ^= (byte) (1 + random.nextInt(255));
      assertThrows(RdbException.class, () -> read(bad), "flip at " + at);
    }
  }

  @Test
  void withoutChecksumCorruptionNeverEscapesAsAnotherException() throws Exception {
    byte[] rdb = writeSample(RdbOptions.defaults().withChecksum(false));
    Random random = new Random(12);
    for (int i = 0; i < 3000; i++) {
      byte[] bad = rdb.clone();
      for (int k = 0; k < 3; k++) {
        bad[9 + random.nextInt(rdb.length - 9)] = (byte) random.nextInt(256);
      }
      try {
        read(bad);
      } catch (RdbException expected) {
        // the only acceptable failure
      }
    }
  }

  @Test
  void headerErrors() {
    RdbException magic = assertThrows(RdbException.class, () -> read(b("RIDES0010\u00ff")));
    assertTrue(magic.getMessage().contains("magic"), magic.getMessage());
    RdbException v12 = assertThrows(RdbException.class, () -> read(b("REDIS0012\u00ff")));
    assertTrue(v12.getMessage().contains("version 12"), v12.getMessage());
    assertThrows(RdbException.class, () -> read(b("REDIS00x0")));
    assertThrows(RdbException.class, () -> read(b("REDIS")));
  }

  @Test
  void hostileLengthsFailWithoutHugeAllocations() {
    // a string claiming 2^62 bytes, one claiming 2 GB, and an LZF claiming a 2 GB result from 3 bytes
    byte[][] files = {
        concat(b("REDIS0010"), new byte[] {0, 1, 'k', (byte) 0x81, 0x40, 0, 0, 0, 0, 0, 0, 0}),
        concat(b("REDIS0010"), new byte[] {0, 1, 'k', (byte) 0x80, 0x7F, (byte) 0xFF, (byte) 0xFF, 0x00, 'a'}),
        concat(b("REDIS0010"), new byte[] {0, 1, 'k', (byte) 0xC3, 3, (byte) 0x80, 0x7F, (byte) 0xFF, 0, 0, 1, 2,
            3}),
        concat(b("REDIS0010"), new byte[] {18, 1, 'k', (byte) 0x80, 0x7F, (byte) 0xFF, (byte) 0xFF, 0x00}),
        concat(b("REDIS0010"), new byte[] {(byte) 0xFE, (byte) 0x81, 1, 0, 0, 0, 0, 0, 0, 0})};
    for (byte[] f : files) {
      RdbException e = assertThrows(RdbException.class, () -> read(f));
      assertTrue(e.getMessage().contains("offset"), e.getMessage());
    }
  }

  @Test
  void moduleValuesNameTheTypeAndKey() {
    for (int type : new int[] {6, 7}) { // module values
      byte[] f = concat(b("REDIS0010"), new byte[] {(byte) type, 5, 'm', 'y', 'k', 'e', 'y', 0, 0});
      RdbException e = assertThrows(RdbException.class, () -> read(f));
      assertTrue(e.getMessage().contains("type " + type) && e.getMessage().contains("'mykey'"), e.getMessage());
    }
  }

  @Test
  void oldVersionsAndOpcodes() throws Exception {
    // RDB 3 (no checksum): EXPIRETIME in seconds, ZSET with text scores incl. inf markers, LIST, ziplist list,
    // a zipmap hash, FREQ/IDLE before keys, MODULE_AUX skipped
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.writeBytes(b("REDIS0009"));
    f.write(0xF7); // module aux: id, when opcode 2, when 2, then a uint, a string, a double, EOF
    f.writeBytes(new byte[] {(byte) 0x81, 1, 2, 3, 4, 5, 6, 7, 8, 2, 2, 2, 9, 5, 2, 'h', 'i', 4, 0, 0, 0, 0, 0, 0, 0,
        0, 0});
    f.write(0xFE);
    f.write(3);
    f.write(0xFD);
    f.writeBytes(new byte[] {0x10, 0x27, 0, 0}); // 10000 s
    f.write(0xF8);
    f.write(5);
    f.write(0xF9);
    f.write(3);
    f.write(3); // ZSET
    f.writeBytes(new byte[] {1, 'z', 3, 1, 'a', 3, '1', '.', '5', 1, 'b', (byte) 254, 1, 'c', (byte) 255});
    f.write(1); // LIST
    f.writeBytes(new byte[] {1, 'l', 2, 2, 'x', 'y', (byte) 0xC0, (byte) 0xF6});
    f.write(10); // ziplist list with "a" and 5
    byte[] zl = {15, 0, 0, 0, 13, 0, 0, 0, 2, 0, 0, 1, 'a', 3, (byte) 0xF6, (byte) 0xFF};
    zl[0] = (byte) (zl.length);
    f.writeBytes(new byte[] {2, 'z', 'l', (byte) zl.length});
    f.writeBytes(zl);
    f.write(9); // zipmap hash
    byte[] zm = {1, 1, 'f', 1, 0, 'v', (byte) 0xFF};
    f.writeBytes(new byte[] {2, 'z', 'm', (byte) zm.length});
    f.writeBytes(zm);
    f.write(0xFF);
    f.writeBytes(new byte[8]);
    Recorder r = read(f.toByteArray());
    assertEquals("zset:[c=-Infinity, a=1.5, b=Infinity]", RdbTestData.canonical(r.keys.get("3/z")));
    assertEquals(10_000_000L, r.expires.get("3/z"));
    assertEquals(-1L, r.expires.get("3/l"));
    assertEquals("list:[xy, -10]", RdbTestData.canonical(r.keys.get("3/l")));
    assertEquals("list:[a, 5]", RdbTestData.canonical(r.keys.get("3/zl")));
    assertEquals("hash:[f=v]", RdbTestData.canonical(r.keys.get("3/zm")));
    assertEquals(Boolean.TRUE, r.ended);
  }

  /** A ziplist of short strings and small integers, as Redis before 7.0 wrote them. */
  static byte[] ziplist(String... entries) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int prev = 0;
    int lastStart = 10;
    for (String e : entries) {
      int start = 10 + body.size();
      body.write(prev);
      byte[] raw = b(e);
      if (Ints.isCanonicalLong(raw) && Math.abs(Long.parseLong(e)) < 30000) {
        long v = Long.parseLong(e);
        if (v >= 0 && v <= 12) {
          body.write(0xF1 + (int) v);
        } else {
          body.write(0xC0);
          body.write((int) v);
          body.write((int) (v >>> 8));
        }
      } else {
        body.write(raw.length); // 6-bit length: entries here are shorter than 64 bytes
        body.writeBytes(raw);
      }
      prev = 10 + body.size() - start;
      lastStart = start;
    }
    body.write(0xFF);
    byte[] zl = new byte[10 + body.size()];
    System.arraycopy(body.toByteArray(), 0, zl, 10, body.size());
    BlobCodecTest.ByteArrayBuilder.putLE(zl, 0, zl.length, 4);
    BlobCodecTest.ByteArrayBuilder.putLE(zl, 4, lastStart, 4);
    BlobCodecTest.ByteArrayBuilder.putLE(zl, 8, entries.length, 2);
    return zl;
  }

  private static void writeBlob(ByteArrayOutputStream f, byte[] blob) throws IOException {
    RdbOutput out = new RdbOutput(f, false);
    out.writeString(blob);
    out.flush();
  }

  @Test
  void ziplistEncodingsOfRdb9() throws Exception {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.writeBytes(b("REDIS0009"));
    f.write(14); // quicklist of two ziplist nodes
    f.writeBytes(new byte[] {1, 'q', 2});
    writeBlob(f, ziplist("a", "1", "bb"));
    writeBlob(f, ziplist("-300", "c"));
    f.write(12); // zset ziplist: member, score
    f.writeBytes(new byte[] {1, 'z'});
    writeBlob(f, ziplist("x", "1", "y", "2.5", "w", "inf"));
    f.write(13); // hash ziplist: field, value
    f.writeBytes(new byte[] {1, 'h'});
    writeBlob(f, ziplist("f", "v", "g", "12"));
    f.write(11); // intset
    f.writeBytes(new byte[] {1, 'i'});
    writeBlob(f, Intset.encode(new long[] {-5, 7, 100000}));
    f.write(0xFF);
    long crc = Crc64.update(0, f.toByteArray(), 0, f.size());
    for (int i = 0; i < 8; i++) {
      f.write((int) (crc >>> (8 * i)));
    }
    Recorder r = read(f.toByteArray());
    assertEquals("list:[a, 1, bb, -300, c]", RdbTestData.canonical(r.keys.get("0/q")));
    assertEquals("zset:[x=1.0, y=2.5, w=Infinity]", RdbTestData.canonical(r.keys.get("0/z")));
    assertEquals("hash:[f=v, g=12]", RdbTestData.canonical(r.keys.get("0/h")));
    assertEquals("set:[-5, 100000, 7]", RdbTestData.canonical(r.keys.get("0/i")));
  }

  @Test
  void setListpackOfRdb11() throws Exception {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.writeBytes(b("REDIS0011"));
    f.write(20);
    f.writeBytes(new byte[] {1, 's'});
    writeBlob(f, Listpack.encode(RdbTestData.bytesList("apple", "12", "-1")));
    f.write(0xFF);
    f.writeBytes(new byte[8]); // checksum 0: not checked
    Recorder r = read(f.toByteArray());
    assertEquals("set:[-1, 12, apple]", RdbTestData.canonical(r.keys.get("0/s")));
  }

  @Test
  void listNodesSplitBySizeAndPlainThreshold() throws Exception {
    List<byte[]> elements = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      elements.add(b("value-" + i));
    }
    elements.add(new byte[20_000]);
    elements.add(b("tail"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RdbOutput out = new RdbOutput(bytes, false);
    ValueCodec.write(out, new ListVal(elements), RdbOptions.defaults().withListPackedThreshold(10_000));
    out.flush();
    RdbInput in = new RdbInput(new ByteArrayInputStream(bytes.toByteArray()));
    assertEquals(RdbFormat.TYPE_LIST_QUICKLIST_2, in.readByte("type"));
    int nodes = in.readCount("nodes");
    assertTrue(nodes > 3, "nodes: " + nodes);
    int plain = 0;
    int count = 0;
    for (int i = 0; i < nodes; i++) {
      long container = in.readLength("container");
      byte[] blob = in.readString("node");
      if (container == 1) {
        plain++;
        count++;
        assertEquals(20_000, blob.length);
      } else {
        assertTrue(blob.length <= 8192, "node of " + blob.length);
        count += Listpack.decode(blob).size();
      }
    }
    assertEquals(1, plain);
    assertEquals(elements.size(), count);
  }

  @Test
  void scoresFormatAsRedisParsesThem() {
    assertEquals("1", s(ValueCodec.formatScore(1.0)));
    assertEquals("-3", s(ValueCodec.formatScore(-3.0)));
    assertEquals("inf", s(ValueCodec.formatScore(Double.POSITIVE_INFINITY)));
    assertEquals("-inf", s(ValueCodec.formatScore(Double.NEGATIVE_INFINITY)));
    assertEquals("0.10000000000000001", s(ValueCodec.formatScore(0.1))); // %.17g, as Redis 7.0 writes it
    assertEquals("-0", s(ValueCodec.formatScore(-0.0)));
    assertEquals("1.0000000000000001e+300", s(ValueCodec.formatScore(1e300)));
    for (double d : new double[] {1e300, -0.0, 1.0 / 3, 9007199254740993.0, 4.9e-324}) {
      assertEquals(d, RdbInput.parseDouble(ValueCodec.formatScore(d)));
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
