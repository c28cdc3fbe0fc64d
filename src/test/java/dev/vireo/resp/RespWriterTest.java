package dev.vireo.resp;

import dev.vireo.util.Doubles;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The reply encoder: exact RESP2 and RESP3 bytes for every reply type. */
class RespWriterTest {
  private static String write(int proto, Consumer<RespWriter> body) {
    RespWriter w = new RespWriter();
    w.proto(proto);
    body.accept(w);
    return w.take().toString(StandardCharsets.ISO_8859_1);
  }

  private static void both(String resp2, String resp3, Consumer<RespWriter> body) {
    assertEquals(resp2, write(2, body), "RESP2");
    assertEquals(resp3, write(3, body), "RESP3");
  }

  @Test
  void scalars() {
    both("+OK\r\n", "+OK\r\n", RespWriter::ok);
    both("+PONG\r\n", "+PONG\r\n", w -> w.raw(RespWriter.PONG));
    both("+hello world\r\n", "+hello world\r\n", w -> w.simple("hello world"));
    both("-ERR bad thing\r\n", "-ERR bad thing\r\n", w -> w.error("ERR bad thing"));
    both("-ERR a b\r\n", "-ERR a b\r\n", w -> w.error("ERR a\nb"));
    for (long v : new long[] {0, 1, 9999, 10000, 123456789, -1, -10001, Long.MAX_VALUE, Long.MIN_VALUE}) {
      both(":" + v + "\r\n", ":" + v + "\r\n", w -> w.integer(v));
    }
  }

  @Test
  void bulks() {
    both("$0\r\n\r\n", "$0\r\n\r\n", w -> w.bulk(""));
    both("$3\r\nabc\r\n", "$3\r\nabc\r\n", w -> w.bulk("abc"));
    both("$2\r\n\u00c3\u00a9\r\n", "$2\r\n\u00c3\u00a9\r\n", w -> w.bulk("\u00e9"));
    byte[] big = new byte[70_000];
    String expected = "$70000\r\n" + new String(big, StandardCharsets.ISO_8859_1) + "\r\n";
    both(expected, expected, w -> w.bulk(big));
    both("$2\r\nbc\r\n", "$2\r\nbc\r\n", w -> w.bulk(new byte[] {'a', 'b', 'c'}, 1, 2));
    both("$2\r\n-5\r\n", "$2\r\n-5\r\n", w -> w.bulkLong(-5));
  }

  @Test
  void nulls() {
    both("$-1\r\n", "_\r\n", RespWriter::nullBulk);
    both("*-1\r\n", "_\r\n", RespWriter::nullArray);
  }

  @Test
  void aggregates() {
    both("*0\r\n", "*0\r\n", w -> w.array(0));
    both("*2\r\n$1\r\na\r\n:1\r\n", "*2\r\n$1\r\na\r\n:1\r\n", w -> w.array(2).bulk("a").integer(1));
    both("*4\r\n$1\r\nk\r\n$1\r\nv\r\n$1\r\nn\r\n:2\r\n", "%2\r\n$1\r\nk\r\n$1\r\nv\r\n$1\r\nn\r\n:2\r\n",
        w -> w.map(2).bulk("k").bulk("v").bulk("n").integer(2));
    both("*0\r\n", "%0\r\n", w -> w.map(0));
    both("*1\r\n+RO\r\n", "~1\r\n+RO\r\n", w -> w.set(1).simple("RO"));
    both("*3\r\n", ">3\r\n", w -> w.push(3));
  }

  @Test
  void booleansAndVerbatim() {
    both(":1\r\n", "#t\r\n", w -> w.bool(true));
    both(":0\r\n", "#f\r\n", w -> w.bool(false));
    both("$5\r\nab\ncd\r\n", "=9\r\ntxt:ab\ncd\r\n", w -> w.verbatim("ab\ncd"));
  }

  @Test
  void doublesAsRedis70Prints() {
    // Compared with ZSCORE replies of Redis 7.0.15.
    both("$18\r\n3.1400000000000001\r\n", ",3.1400000000000001\r\n", w -> w.dbl(3.14));
    both("$5\r\n1e+20\r\n", ",1e+20\r\n", w -> w.dbl(1e20));
    both("$19\r\n0.10000000000000001\r\n", ",0.10000000000000001\r\n", w -> w.dbl(0.1));
    both("$22\r\n1.4999999999999999e-07\r\n", ",1.4999999999999999e-07\r\n", w -> w.dbl(1.5e-7));
    both("$3\r\ninf\r\n", ",inf\r\n", w -> w.dbl(Double.POSITIVE_INFINITY));
    both("$4\r\n-inf\r\n", ",-inf\r\n", w -> w.dbl(Double.NEGATIVE_INFINITY));
    assertEquals("1", Doubles.format(1));
    assertEquals("-2.5", Doubles.format(-2.5));
    assertEquals("1.5", Doubles.format(1.5));
    assertEquals("100000", Doubles.format(1e5));
    assertEquals("10000000000000000", Doubles.format(1e16));
    assertEquals("1e+17", Doubles.format(1e17));
    assertEquals("0.0001", Doubles.format(1e-4));
    assertEquals("1.0000000000000001e-05", Doubles.format(1e-5));
    assertEquals("0", Doubles.format(0.0));
  }

  @Test
  void takeEmptiesTheWriter() {
    RespWriter w = new RespWriter();
    w.integer(1);
    assertEquals(":1\r\n", w.take().toString(StandardCharsets.ISO_8859_1));
    assertEquals(true, w.isEmpty());
  }
}
