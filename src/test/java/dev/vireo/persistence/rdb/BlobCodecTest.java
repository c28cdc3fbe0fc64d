package dev.vireo.persistence.rdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Listpack, intset, ziplist and zipmap blobs. */
class BlobCodecTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String s(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  private static List<String> strings(List<byte[]> list) {
    return list.stream().map(BlobCodecTest::s).toList();
  }

  @Test
  void canonicalIntegers() {
    for (String yes : List.of("0", "1", "-1", "127", "9223372036854775807", "-9223372036854775808", "12345")) {
      assertTrue(Ints.isCanonicalLong(b(yes)), yes);
    }
    for (String no : List.of("", "-", "-0", "01", "+1", " 1", "1 ", "1a", "9223372036854775808",
        "-9223372036854775809", "99999999999999999999", "1.0", "0x10")) {
      assertFalse(Ints.isCanonicalLong(b(no)), no);
    }
  }

  @Test
  void listpackEntryWidths() throws Exception {
    // one value per encoding, at both ends of each range
    String[][] cases = {
        {"0", "1"}, {"127", "1"}, // 7-bit unsigned
        {"128", "2"}, {"-1", "2"}, {"-4096", "2"}, {"4095", "2"}, // 13-bit
        {"4096", "3"}, {"-4097", "3"}, {"32767", "3"}, {"-32768", "3"}, // 16-bit
        {"32768", "4"}, {"-8388608", "4"}, {"8388607", "4"}, // 24-bit
        {"8388608", "5"}, {"-2147483648", "5"}, {"2147483647", "5"}, // 32-bit
        {"2147483648", "9"}, {"-9223372036854775808", "9"}, {"9223372036854775807", "9"}, // 64-bit
        {"", "1"}, {"a", "2"}, {"-0", "3"}, {"007", "4"}, {"x".repeat(63), "64"}, // 6-bit strings
        {"x".repeat(64), "66"}, {"y".repeat(4095), "4097"}, // 12-bit strings
        {"z".repeat(4096), "4101"}, {"w".repeat(70000), "70005"}, // 32-bit strings
    };
    for (String[] c : cases) {
      byte[] e = b(c[0]);
      int size = Integer.parseInt(c[1]); // encoding and data; the backlen adds 1 to 3 bytes for these sizes
      int backlen = size <= 127 ? 1 : size < 16383 ? 2 : 3;
      assertEquals(size + backlen, Listpack.elementSize(e), c[0].length() > 20 ? "long string" : c[0]);
      byte[] lp = Listpack.encode(List.of(e));
      assertEquals(lp.length, (int) Listpack.getLE(lp, 0, 4));
      assertEquals(1, (int) Listpack.getLE(lp, 4, 2));
      assertEquals(0xFF, lp[lp.length - 1] & 0xFF);
      assertEquals(List.of(c[0]), strings(Listpack.decode(lp)));
    }
  }

  @Test
  void listpackExactBytes() {
    // header, 7-bit 5, 13-bit -1 (0xDF 0xFF), string "ab", backlens, terminator
    byte[] lp = Listpack.encode(List.of(b("5"), b("-1"), b("ab")));
    byte[] expected = {
        16, 0, 0, 0, 3, 0,
        5, 1,
        (byte) 0xDF, (byte) 0xFF, 2,
        (byte) 0x82, 'a', 'b', 3,
        (byte) 0xFF};
    assertArrayEquals(expected, lp);
  }

  @Test
  void listpackBacklenOfLargeEntries() throws Exception {
    // entry sizes around the 1/2/3-byte backlen boundaries
    for (int len : new int[] {125, 126, 127, 128, 16377, 16378, 16379, 16380, 2_097_140, 2_097_150}) {
      byte[] e = new byte[len];
      Arrays.fill(e, (byte) 'q');
      byte[] lp = Listpack.encode(List.of(e, b("1")));
      List<byte[]> back = Listpack.decode(lp);
      assertArrayEquals(e, back.get(0));
      assertEquals("1", s(back.get(1)));
    }
  }

  @Test
  void listpackLargeCountAndRandomContent() throws Exception {
    Random random = new Random(3);
    List<byte[]> entries = new ArrayList<>();
    for (int i = 0; i < 70_000; i++) {
      switch (random.nextInt(4)) {
        case 0 -> entries.add(b(Long.toString(random.nextLong())));
        case 1 -> entries.add(b(Integer.toString(random.nextInt(10000) - 5000)));
        case 2 -> entries.add(new byte[0]);
        default -> {
          byte[] e = new byte[random.nextInt(100)];
          random.nextBytes(e);
          entries.add(e);
        }
      }
    }
    byte[] lp = Listpack.encode(entries);
    assertEquals(0xFFFF, (int) Listpack.getLE(lp, 4, 2), "count beyond 65534 is 'unknown'");
    List<byte[]> back = Listpack.decode(lp);
    assertEquals(entries.size(), back.size());
    for (int i = 0; i < entries.size(); i++) {
      byte[] e = entries.get(i);
      assertArrayEquals(e, back.get(i), "entry " + i);
    }
  }

  @Test
  void listpackCorruption() {
    byte[] good = Listpack.encode(List.of(b("hello"), b("123456"), b("x".repeat(100))));
    assertThrows(RdbException.class, () -> Listpack.decode(Arrays.copyOf(good, 5)));
    assertThrows(RdbException.class, () -> Listpack.decode(Arrays.copyOf(good, good.length - 1)));
    byte[] badTerminator = good.clone();
    badTerminator[badTerminator.length - 1] = 0;
    assertThrows(RdbException.class, () -> Listpack.decode(badTerminator));
    byte[] badCount = good.clone();
    badCount[4] = 7;
    assertThrows(RdbException.class, () -> Listpack.decode(badCount));
    byte[] badBacklen = good.clone();
    badBacklen[6 + 6] = 9; // backlen of "hello" is 6
    assertThrows(RdbException.class, () -> Listpack.decode(badBacklen));
    byte[] badLength = good.clone();
    badLength[6] = (byte) (0x80 | 60); // string claims 60 bytes
    assertThrows(RdbException.class, () -> Listpack.decode(badLength));
    byte[] hugeString = {13, 0, 0, 0, 1, 0, (byte) 0xF0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F, 5,
        (byte) 0xFF};
    assertThrows(RdbException.class, () -> Listpack.decode(hugeString));
    Random random = new Random(9);
    for (int i = 0; i < 2000; i++) {
      byte[] fuzzed = good.clone();
      fuzzed[6 + random.nextInt(fuzzed.length - 6)] = (byte) random.nextInt(256);
      try {
        Listpack.decode(fuzzed);
      } catch (RdbException expected) {
        // fine: only RdbException may come out
      }
    }
  }

  @Test
  void intsetWidthsAndValidation() throws Exception {
    long[][] sets = {
        {1, 2, 3}, {-32768, 32767}, {-32769, 5}, {40000}, {Integer.MIN_VALUE, Integer.MAX_VALUE},
        {Long.MIN_VALUE, 0, Long.MAX_VALUE}, {}};
    int[] widths = {2, 2, 4, 4, 4, 8, 2};
    for (int i = 0; i < sets.length; i++) {
      byte[] blob = Intset.encode(sets[i]);
      assertEquals(widths[i], (int) Listpack.getLE(blob, 0, 4));
      assertEquals(sets[i].length, (int) Listpack.getLE(blob, 4, 4));
      assertEquals(8 + widths[i] * sets[i].length, blob.length);
      assertArrayEquals(sets[i], Intset.decode(blob));
    }
    byte[] unsorted = Intset.encode(new long[] {1, 2});
    unsorted[8] = 5;
    assertThrows(RdbException.class, () -> Intset.decode(unsorted));
    byte[] badWidth = Intset.encode(new long[] {1});
    badWidth[0] = 3;
    assertThrows(RdbException.class, () -> Intset.decode(badWidth));
    byte[] badCount = Intset.encode(new long[] {1});
    badCount[4] = (byte) 0xFF;
    badCount[7] = (byte) 0x7F;
    assertThrows(RdbException.class, () -> Intset.decode(badCount));
    assertThrows(RdbException.class, () -> Intset.decode(new byte[3]));
  }

  @Test
  void ziplistWithEveryEncoding() throws Exception {
    // built by hand: "ab", int8 -5, immediate 7, int16 1000, int24 -100000, int32 2^30, int64 2^40, 14-bit string
    ByteArrayBuilder zl = new ByteArrayBuilder();
    zl.u32(0).u32(0).u16(8);
    List<Integer> starts = new ArrayList<>();
    int prev = 0;
    int[][] entries = {
        {0x02, 'a', 'b'}, {0xFE, 0xFB}, {0xF8}, {0xC0, 0xE8, 0x03}, {0xF0, 0x60, 0x79, 0xFE},
        {0xD0, 0, 0, 0, 0x40}, {0xE0, 0, 0, 0, 0, 0x01, 0, 0, 0}};
    for (int[] e : entries) {
      starts.add(zl.size());
      int start = zl.size();
      zl.b(prev);
      for (int x : e) {
        zl.b(x);
      }
      prev = zl.size() - start;
    }
    starts.add(zl.size());
    int start = zl.size();
    zl.b(prev).b(0x40 | 1).b(0x2C); // 14-bit length 300
    for (int i = 0; i < 300; i++) {
      zl.b('s');
    }
    zl.b(0xFF);
    byte[] blob = zl.bytes();
    ByteArrayBuilder.putLE(blob, 0, blob.length, 4);
    ByteArrayBuilder.putLE(blob, 4, start, 4);
    assertEquals(List.of("ab", "-5", "7", "1000", "-100000", "1073741824", "4294967296", "s".repeat(300)),
        strings(Ziplist.decode(blob)));
    byte[] badTail = blob.clone();
    badTail[4] = 0;
    assertThrows(RdbException.class, () -> Ziplist.decode(badTail));
    assertThrows(RdbException.class, () -> Ziplist.decode(Arrays.copyOf(blob, 40)));
  }

  @Test
  void zipmap() throws Exception {
    ByteArrayBuilder zm = new ByteArrayBuilder();
    zm.b(2).b(1).b('a').b(3).b(0).b('x').b('y').b('z').b(2).b('b').b('c').b(1).b(2).b('q').b(0).b(0).b(0xFF);
    assertEquals(List.of("a", "xyz", "bc", "q"), strings(Zipmap.decode(zm.bytes())));
    byte[] bad = zm.bytes();
    bad[3] = 100;
    assertThrows(RdbException.class, () -> Zipmap.decode(bad));
  }

  /** Small helper for hand-built blobs. */
  static final class ByteArrayBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ByteArrayBuilder b(int v) {
      out.write(v);
      return this;
    }

    ByteArrayBuilder u16(int v) {
      return b(v).b(v >>> 8);
    }

    ByteArrayBuilder u32(long v) {
      return b((int) v).b((int) (v >>> 8)).b((int) (v >>> 16)).b((int) (v >>> 24));
    }

    ByteArrayBuilder bytes(byte[] bytes) {
      out.writeBytes(bytes);
      return this;
    }

    int size() {
      return out.size();
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    static void putLE(byte[] dst, int pos, long v, int n) {
      for (int i = 0; i < n; i++) {
        dst[pos + i] = (byte) (v >>> (8 * i));
      }
    }
  }
}
