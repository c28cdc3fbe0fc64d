package dev.vireo.persistence.aof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The AOF command reader: offsets, annotations, the end of the file, truncation and bad bytes, in any read sizes. */
class AofReaderTest {
  private static final String SET = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n";
  private static final String SELECT = "*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n";

  private static AofReader reader(String text, long start, long seed) {
    byte[] data = text.getBytes(StandardCharsets.ISO_8859_1);
    InputStream in = new ByteArrayInputStream(data, (int) start, data.length - (int) start);
    Random rnd = new Random(seed);
    // hands out the bytes in random small pieces, as a slow disk or a pipe might
    InputStream choppy = new FilterInputStream(in) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.max(1, Math.min(len, rnd.nextInt(7))));
      }
    };
    return new AofReader(choppy, start, data.length);
  }

  private static List<String> all(AofReader r) throws Exception {
    List<String> out = new ArrayList<>();
    for (byte[][] argv; (argv = r.next()) != null; ) {
      StringBuilder sb = new StringBuilder();
      for (byte[] a : argv) sb.append(sb.length() == 0 ? "" : " ").append(new String(a, StandardCharsets.ISO_8859_1));
      out.add(sb.toString());
    }
    return out;
  }

  @Test
  void commandsAnnotationsAndOffsets() throws Exception {
    String text = "#TS:1700000000\r\n" + SELECT + SET + "#TS:1700000001\r\n" + SET;
    for (long seed = 0; seed < 20; seed++) {
      AofReader r = reader(text, 0, seed);
      assertEquals("SELECT 3", String.join(" ", str(r.next())));
      assertEquals(16 + SELECT.length(), r.offset());
      assertEquals("SET k value", String.join(" ", str(r.next())));
      assertEquals(List.of("SET k value"), all(r));
      assertEquals(text.length(), r.offset());
    }
  }

  @Test
  void readingStartsWhereTheRdbPreambleEnded() throws Exception {
    String text = "REDIS0009...rdb bytes..." + SET;
    AofReader r = reader(text, 24, 1);
    assertArrayEquals(new byte[][] {"SET".getBytes(), "k".getBytes(), "value".getBytes()}, r.next());
    assertNull(r.next());
    assertEquals(text.length(), r.offset());
  }

  @Test
  void anAnnotationCutByTheEndEndsTheFile() throws Exception {
    assertEquals(List.of("SET k value"), all(reader(SET + "#TS:17", 0, 3)));
  }

  @Test
  void theEndInsideACommandIsTruncation() {
    String full = SELECT + SET;
    for (int cut = SELECT.length() + 1; cut < full.length(); cut++) {
      AofReader r = reader(full.substring(0, cut), 0, cut);
      assertThrows(AofReader.Truncated.class, () -> all(r), "cut at " + cut);
    }
  }

  @Test
  void badBytesAreReportedWhereTheirLineStarts() throws Exception {
    assertEquals(SELECT.length(), badAt(SELECT + "garbage\r\n" + SET));
    assertEquals(SELECT.length(), badAt(SELECT + "*0\r\n"));
    assertEquals(SELECT.length(), badAt(SELECT + "*x\r\n"));
    assertEquals(SELECT.length() + 4, badAt(SELECT + "*1\r\nX3\r\nSET\r\n"));
    assertEquals(SELECT.length() + 4, badAt(SELECT + "*1\r\n$-3\r\nSET\r\n"));
    // the CRLF after an argument must be there
    assertEquals(SELECT.length() + 11, badAt(SELECT + "*1\r\n$3\r\nSETxx" + SET));
  }

  private static long badAt(String text) {
    return assertThrows(AofReader.BadFormat.class, () -> all(reader(text, 0, 5))).offset;
  }

  private static List<String> str(byte[][] argv) {
    List<String> out = new ArrayList<>();
    for (byte[] a : argv) out.add(new String(a, StandardCharsets.ISO_8859_1));
    return out;
  }
}
